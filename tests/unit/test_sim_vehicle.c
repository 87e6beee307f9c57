// SPDX-License-Identifier: MIT
/* Simulated vehicles, driven by a fake clock. What they send is decoded back
 * with the test's own load of the same DBC files, and judged against what a
 * car or bus on the described cycle must show: rates from the DBC (or the
 * documented defaults), plausible ranges, values that move, J1939 source
 * addresses, a fault that comes and goes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "charging/gbt27930.h"
#include "j1939/j1939_id.h"
#include "sim/sim_vehicle.h"
#include "test_support.h"

#define SRC_DBC_DIR EVGW_TEST_DATA "/../../dbc"
#define T0 INT64_C(1234567890)  /* any monotonic start */
#define SEC INT64_C(1000000)
#define STEP_US 1000
#define MAX_IDS 32
#define MAX_SIGS 256

/* Per-signal statistics over a run. */
struct sig_stats {
	char name[48];
	double min, max, first;
	uint32_t ints; /* bit n: the integer value n (0..31) was seen */
	bool seen, changed;
	unsigned n, transitions;
	double last;
};

struct run {
	struct dbc_db *db[2];
	unsigned n_db;
	uint32_t ids[MAX_IDS];
	unsigned count[MAX_IDS];
	int64_t last_ts[MAX_IDS];
	int64_t min_gap[MAX_IDS], max_gap[MAX_IDS];
	int sa[MAX_IDS];
	struct sig_stats sig[MAX_SIGS];
	unsigned n_ids, n_sigs;
	unsigned frames;
	unsigned gbt;     /* GB/T 27930 charging frames (single-frame messages) */
};

static void load(struct run *r, const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", SRC_DBC_DIR, file);
	assert_int_equal(dbc_load_file(path, NULL, &r->db[r->n_db]), 0);
	assert_int_equal(r->db[r->n_db]->n_errors, 0);
	r->n_db++;
}

static void run_free(struct run *r)
{
	for (unsigned i = 0; i < r->n_db; i++)
		dbc_free(r->db[i]);
}

static struct sig_stats *stats_of(struct run *r, const char *name)
{
	for (unsigned i = 0; i < r->n_sigs; i++)
		if (strcmp(r->sig[i].name, name) == 0)
			return &r->sig[i];
	fail_msg("signal %s never decoded", name);
	return NULL;
}

static unsigned id_slot(struct run *r, uint32_t id)
{
	for (unsigned i = 0; i < r->n_ids; i++)
		if (r->ids[i] == id)
			return i;
	assert_true(r->n_ids < MAX_IDS);
	r->ids[r->n_ids] = id;
	r->min_gap[r->n_ids] = INT64_MAX;
	return r->n_ids++;
}

static void note_signal(struct run *r, const struct dbc_db *db, const struct dbc_value *v)
{
	struct evgw_str name = dbc_str(db, v->sig->name);
	struct sig_stats *s = NULL;
	for (unsigned i = 0; i < r->n_sigs && !s; i++)
		if (evgw_str_eq_cstr(name, r->sig[i].name))
			s = &r->sig[i];
	if (!s) {
		assert_true(r->n_sigs < MAX_SIGS);
		s = &r->sig[r->n_sigs++];
		assert_true(name.len < sizeof s->name);
		memcpy(s->name, name.ptr, name.len);
		s->min = s->max = s->first = s->last = v->phys;
		s->seen = true;
	}
	if (v->phys != s->last)
		s->transitions++;
	s->min = fmin(s->min, v->phys);
	s->max = fmax(s->max, v->phys);
	s->changed |= v->phys != s->first;
	s->last = v->phys;
	s->n++;
	if (v->phys >= 0 && v->phys < 32 && v->phys == floor(v->phys))
		s->ints |= 1u << (unsigned)v->phys;
}

/* The bus's simulated J1939 ECUs also send address claims (PGN 0xEE00),
 * DM1 (0xFECA) and BAM transfers (0xEC00, 0xEB00), and its simulated GB/T
 * 27930 charger and BMS (0x56, 0xF4) a charge; test_sim_j1939 and
 * test_sim_charging cover those, the DBC messages are checked here. */
static bool gbt(const struct evgw_frame *f)
{
	uint8_t sa = j1939_id_sa(f->id);
	return (f->flags & EVGW_FRAME_EXT) && (sa == GBT_SA_CHARGER || sa == GBT_SA_BMS) &&
	       gbt_msg_of_pgn(j1939_id_pgn(f->id)) >= 0;
}

static bool j1939_diag(const struct evgw_frame *f)
{
	uint32_t pf = (f->id >> 16) & 0xFF;
	return (f->flags & EVGW_FRAME_EXT) &&
	       (pf == 0xEE || pf == 0xEC || pf == 0xEB || ((f->id >> 8) & 0xFFFF) == 0xFECA || gbt(f));
}

static void note_frame(struct run *r, const struct evgw_frame *f, int64_t now)
{
	r->gbt += gbt(f);
	if (j1939_diag(f))
		return;
	unsigned k = id_slot(r, f->id);
	assert_true(f->ts_us <= now);
	if (r->count[k] > 0) {
		int64_t gap = f->ts_us - r->last_ts[k];
		r->min_gap[k] = gap < r->min_gap[k] ? gap : r->min_gap[k];
		r->max_gap[k] = gap > r->max_gap[k] ? gap : r->max_gap[k];
	}
	r->last_ts[k] = f->ts_us;
	r->count[k]++;
	r->frames++;

	const struct dbc_message *m = NULL;
	const struct dbc_db *db = NULL;
	int sa = -1;
	for (unsigned i = 0; i < r->n_db && !m; i++)
		if ((m = dbc_lookup(r->db[i], f, &sa)))
			db = r->db[i];
	if (!m)
		fail_msg("frame 0x%x matches no message", f->id);
	assert_int_equal(f->len, m->length);
	r->sa[k] = sa;
	struct dbc_value vals[MAX_SIGS];
	assert_true(m->n_signals <= MAX_SIGS);
	uint32_t n = dbc_decode(m, f, vals);
	/* Multiplexed messages go out with switch 0: only what it selects decodes. */
	if (!m->has_mux)
		assert_int_equal(n, m->n_signals);
	for (uint32_t i = 0; i < n; i++)
		note_signal(r, db, &vals[i]);
}

/* Run the vehicle for `secs` of fake time in STEP_US steps (and a last poll
 * at exactly the end). */
static void drive(struct evgw_sim_vehicle *v, struct run *r, int64_t secs, unsigned max)
{
	struct evgw_frame f[64];
	for (int64_t now = T0; now <= T0 + secs * SEC; now += STEP_US) {
		int n;
		while ((n = evgw_sim_vehicle_poll(v, now, f, max)) > 0) {
			for (int i = 0; i < n; i++)
				note_frame(r, &f[i], now);
			if ((unsigned)n < max)
				break;
		}
		assert_true(evgw_sim_vehicle_next_due(v) > now);
	}
}

static struct evgw_sim_vehicle *create(const char *name)
{
	struct evgw_sim_vehicle *v = NULL;
	char err[256] = "";
	int rc = evgw_sim_vehicle_create(name, SRC_DBC_DIR, &v, err, sizeof err);
	if (rc != 0)
		fail_msg("create %s: %d: %s", name, rc, err);
	return v;
}

/* Every message at its period: the exact gap between sends, and the count
 * over 10 s (t = 0 included). */
static void expect_period(struct run *r, uint32_t id, int64_t period_ms)
{
	unsigned k = id_slot(r, id);
	int64_t want = 10000 / period_ms;
	if (r->count[k] != want && r->count[k] != want + 1)
		fail_msg("0x%x: %u frames in 10 s, want %lld", id, r->count[k], (long long)want);
	assert_int_equal(r->min_gap[k], period_ms * 1000);
	assert_int_equal(r->max_gap[k], period_ms * 1000);
}

static void test_byd_cycle_times(void **state)
{
	struct run r = {0};
	(void)state;
	load(&r, "byd_atto3.dbc");
	load(&r, "demo/byd_demo_bms.dbc");
	struct evgw_sim_vehicle *v = create("byd-atto3");
	assert_true(evgw_sim_vehicle_next_due(v) == INT64_MIN);
	drive(v, &r, 10, 64);
	assert_int_equal(r.n_ids, 19); /* 18 messages of byd_atto3.dbc, the demo BMS */
	/* byd_atto3.dbc has no cycle times: the vehicle's own 20 ms for speed
	 * and steering, 100 ms for the rest; the demo BMS says 100 ms. */
	expect_period(&r, 0x121, 20);
	expect_period(&r, 0x11F, 20);
	expect_period(&r, 0x1F0, 100);
	expect_period(&r, 0x1FC, 100);
	expect_period(&r, 0x242, 100);
	expect_period(&r, 0x3F0, 100);
	assert_int_equal(dbc_find_message_by_name(r.db[1], "EVGW_DEMO_BMS")->cycle_time_ms, 100);
	for (unsigned k = 0; k < r.n_ids; k++)
		assert_int_equal(r.sa[k], -1);
	evgw_sim_vehicle_free(v);
	run_free(&r);
}

static const struct dbc_message *msg_in(const struct run *r, const char *name)
{
	for (unsigned i = 0; i < r->n_db; i++) {
		const struct dbc_message *m = dbc_find_message_by_name(r->db[i], name);
		if (m)
			return m;
	}
	return NULL;
}

static void test_yutong_cycle_times_and_sa(void **state)
{
	static const struct {
		const char *name;
		uint32_t id, dbc_ms, ms; /* GenMsgCycleTime (0: none), period sent */
		int sa;
	} want[] = {
		{"CCVS1", 0x18FEF100, 100, 100, 0x00},
		{"EEC1", 0x0CF00400, 50, 50, 0x00},
		{"VEP1", 0x18FEF700, 1000, 1000, 0x00},
		/* ebus_bms_golden_dragon.dbc gives no cycle times: the simulator's
		 * 100 ms; the BMS at 0xF3, the insulation monitor at 0x49. */
		{"BMS_1", 0x18F201F3, 0, 100, 0xF3},
		{"BMS_ALARM", 0x18F205F3, 0, 100, 0xF3},
		{"BMS_CELL_VMAX_B", 0x18F207F3, 0, 100, 0xF3},
		{"BMS_BOX_ONLINE", 0x185017F3, 0, 100, 0xF3},
		{"IMD_STATUS", 0x18FF2B49, 0, 100, 0x49},
	};
	struct run r = {0};
	struct evgw_frame f[8];
	(void)state;
	load(&r, "yutong_ebus.dbc");
	load(&r, "ebus_bms_golden_dragon.dbc");
	struct evgw_sim_vehicle *v = create("yutong-bus");
	/* Before driving: the first poll sends at t = 0, extended, J1939 filler. */
	assert_true(evgw_sim_vehicle_poll(v, T0, f, 8) >= 1);
	assert_true(f[0].flags & EVGW_FRAME_EXT);
	evgw_sim_vehicle_free(v);

	v = create("yutong-bus");
	drive(v, &r, 10, 3);
	assert_int_equal(r.n_ids, 19); /* 3 standard groups + 16 of the BMS layout */
	for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct dbc_message *m = msg_in(&r, want[i].name);
		assert_non_null(m);
		assert_true(m->flags & DBC_MSG_J1939);
		assert_int_equal(m->cycle_time_ms, want[i].dbc_ms);
		expect_period(&r, want[i].id, want[i].ms);
		assert_int_equal(r.sa[id_slot(&r, want[i].id)], want[i].sa);
	}
	assert_int_equal(msg_in(&r, "CCVS1")->pgn, 65265);
	assert_int_equal(msg_in(&r, "EEC1")->pgn, 61444);
	evgw_sim_vehicle_free(v);
	run_free(&r);
}

/* Unused J1939 bytes read "not available" (0xFF). */
static void test_yutong_filler(void **state)
{
	struct evgw_frame f[32];
	(void)state;
	struct evgw_sim_vehicle *v = create("yutong-bus");
	int n = evgw_sim_vehicle_poll(v, T0, f, 8);
	int dbc_frames = 0;
	for (int i = 0; i < n; i++)
		dbc_frames += !j1939_diag(&f[i]);
	assert_int_equal(dbc_frames, 1); /* t = 0: the first message */
	struct evgw_frame g[64];
	int m = evgw_sim_vehicle_poll(v, T0 + 10 * SEC, g, 64);
	n = 0;
	for (int i = 0; i < m; i++)
		if (!j1939_diag(&g[i]))
			f[n++] = g[i];
	assert_int_equal(n, 19); /* 10 s late: each of the 19 messages once */
	for (int i = 0; i < n; i++) {
		assert_int_equal(f[i].len, 8);
		assert_int_equal(f[i].flags, EVGW_FRAME_EXT);
		if (f[i].id == 0x18FEF100) { /* speed in bytes 1-2 only */
			assert_int_equal(f[i].data[0], 0xFF);
			for (int b = 3; b < 8; b++)
				assert_int_equal(f[i].data[b], 0xFF);
		}
	}
	evgw_sim_vehicle_free(v);
}

static void test_byd_values(void **state)
{
	struct run r = {0};
	(void)state;
	load(&r, "byd_atto3.dbc");
	load(&r, "demo/byd_demo_bms.dbc");
	struct evgw_sim_vehicle *v = create("byd-atto3");
	drive(v, &r, 120, 64); /* two cycles */

	struct sig_stats *s = stats_of(&r, "VEHICLE_SPEED");
	assert_true(s->min == 0);
	assert_true(s->max > 55 && s->max < 65);
	s = stats_of(&r, "GEAR"); /* P, N and D (1, 3, 4), never R */
	assert_int_equal(s->ints, 1u << 1 | 1u << 3 | 1u << 4);
	assert_true(s->transitions >= 6);
	s = stats_of(&r, "STEER_ANGLE_2");
	assert_true(s->min < -10 && s->max > 10 && s->min > -20 && s->max < 20);
	s = stats_of(&r, "SOC");
	assert_true(s->changed && s->min > 70 && s->max <= 80 && s->last < s->first);
	s = stats_of(&r, "PACK_VOLTAGE"); /* 126 LFP cells */
	assert_true(s->changed && s->min > 370 && s->max < 440);
	s = stats_of(&r, "PACK_CURRENT"); /* discharging, then regenerating */
	assert_true(s->max > 30 && s->max < 200);
	assert_true(s->min < -5 && s->min > -150);
	s = stats_of(&r, "CELL_TEMP_MAX");
	assert_true(s->min >= 20 && s->max <= 45);
	/* Fault on for 10 s of each 60 s cycle: 100 of 600 frames per cycle. */
	s = stats_of(&r, "FAULT_FL");
	assert_true(s->min == 0 && s->max == 1);
	assert_int_equal(s->transitions, 4);
	struct sig_stats *other = stats_of(&r, "FAULT_FR");
	assert_true(other->max == 0);
	evgw_sim_vehicle_free(v);
	run_free(&r);
}

/* Fault frames counted directly: on for 10 s per cycle. */
static void test_byd_fault_duration(void **state)
{
	struct run r = {0};
	struct evgw_frame f[64];
	unsigned on = 0, total = 0;
	(void)state;
	load(&r, "byd_atto3.dbc");
	const struct dbc_message *m = dbc_find_message_by_name(r.db[0], "WHEEL_SPEED_STATUS");
	const struct dbc_signal *fl = dbc_find_signal(r.db[0], m, "FAULT_FL");
	struct evgw_sim_vehicle *v = create("byd-atto3");
	for (int64_t now = T0; now < T0 + 120 * SEC; now += 10000) {
		int n = evgw_sim_vehicle_poll(v, now, f, 64);
		for (int i = 0; i < n; i++)
			if (f[i].id == 0x1F0) {
				total++;
				on += (unsigned)dbc_extract_raw(fl, f[i].data);
			}
	}
	assert_int_equal(total, 1200);
	assert_int_equal(on, 200);
	evgw_sim_vehicle_free(v);
	run_free(&r);
}

static void test_yutong_values(void **state)
{
	struct run r = {0};
	(void)state;
	load(&r, "yutong_ebus.dbc");
	load(&r, "ebus_bms_golden_dragon.dbc");
	struct evgw_sim_vehicle *v = create("yutong-bus");
	drive(v, &r, 120, 64);

	struct sig_stats *s = stats_of(&r, "WheelBasedVehicleSpeed");
	assert_true(s->min == 0 && s->max > 45 && s->max < 60);
	double top = s->max;
	s = stats_of(&r, "EngineSpeed"); /* the motor follows the wheels */
	assert_true(s->min == 0 && s->max > top * 20 && s->max < top * 60);
	s = stats_of(&r, "BMS_SOC");
	assert_true(s->changed && s->min > 70 && s->max <= 86);
	s = stats_of(&r, "BMS_PackVoltage"); /* 192 LFP cells */
	assert_true(s->changed && s->min > 560 && s->max < 680);
	s = stats_of(&r, "BMS_PackCurrent");
	assert_true(s->max > 100 && s->max < 600 && s->min < -20 && s->min > -400);
	/* The fault story: the insulation monitor's resistance falls from
	 * 5000 to 80 kOhm and its warning goes to level 2 for 10 s a cycle. */
	s = stats_of(&r, "IMD_Resistance");
	assert_true(s->min == 80 && s->max == 5000);
	assert_int_equal(s->transitions, 4);
	s = stats_of(&r, "IMD_Warning");
	assert_true(s->min == 0 && s->max == 2);
	/* Two charges in 120 s (52 s into each cycle), each with 2 CHM, 2 BHM,
	 * 2 CRM, CTS, CML, BRO, CRO (10), 12 x (BCL, CCS, BSM) (36), 3 BST, 2
	 * CST, 2 x (BSD, CSD) (9): 55 single frames. */
	assert_int_equal(r.gbt, 2 * 55);
	assert_true(stats_of(&r, "BMS_W_ChargeOverCurrent")->max == 0);
	/* The BMS layout's cell messages: the pack's voltage over its 192 cells
	 * (560..680 V -> 2.9..3.6 V), 20 mV apart; cells 25 C and warming. */
	s = stats_of(&r, "BMS_MaxCellVoltage");
	assert_true(s->changed && s->min > 2.9 && s->max < 3.6);
	double vmax = s->max;
	s = stats_of(&r, "BMS_MinCellVoltage");
	assert_true(s->changed && s->min > 2.9 && s->max < vmax);
	s = stats_of(&r, "BMS_MaxCellTemp");
	assert_true(s->min >= 25 && s->max < 40);
	s = stats_of(&r, "BMS_MinCellTemp");
	assert_true(s->min >= 21 && s->max < 37);
	evgw_sim_vehicle_free(v);
	run_free(&r);
}

/* A late poll sends each message once, not a burst; frames past max stay due. */
static void test_late_poll_and_max(void **state)
{
	struct evgw_frame f[64];
	(void)state;
	struct evgw_sim_vehicle *v = create("byd-atto3");
	assert_int_equal(evgw_sim_vehicle_poll(v, T0, f, 1), 1);
	assert_true(evgw_sim_vehicle_next_due(v) <= T0 + 1000 * 6);
	int n = evgw_sim_vehicle_poll(v, T0 + 5 * SEC, f, 64);
	assert_int_equal(n, 19); /* one of each message, not a burst */
	for (int i = 1; i < n; i++)
		assert_true(f[i].ts_us >= f[i - 1].ts_us);
	assert_true(evgw_sim_vehicle_next_due(v) > T0 + 5 * SEC);
	assert_int_equal(evgw_sim_vehicle_poll(v, T0 + 5 * SEC, f, 64), 0);
	assert_int_equal(evgw_sim_vehicle_poll(v, T0 + 5 * SEC, f, 0), 0);
	evgw_sim_vehicle_receive(v, &f[0]); /* accepted, no answer yet */
	evgw_sim_vehicle_free(v);
	evgw_sim_vehicle_free(NULL);
}

static void test_create_errors(void **state)
{
	struct evgw_sim_vehicle *v = (struct evgw_sim_vehicle *)1;
	char err[256];
	(void)state;
	assert_int_equal(evgw_sim_vehicle_create("tractor", SRC_DBC_DIR, &v, err, sizeof err), -EINVAL);
	assert_null(v);
	assert_non_null(strstr(err, "\"tractor\""));
	assert_non_null(strstr(err, "byd-atto3, yutong-bus"));
	assert_int_equal(evgw_sim_vehicle_create(NULL, SRC_DBC_DIR, &v, err, sizeof err), -EINVAL);
	assert_int_equal(evgw_sim_vehicle_create("byd-atto3", NULL, &v, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "DBC directory"));
	assert_int_equal(evgw_sim_vehicle_create("yutong-bus", "/nonexistent", &v, err, sizeof err),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/yutong_ebus.dbc"));
	/* A DBC with errors is refused, with the place of the first one. */
	char dir[] = "/tmp/evgw-sim-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/demo", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/yutong_ebus.dbc", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("VERSION \"\"\nBO_ 1 A: 8 X\n SG_ S : 0|99@1+ (1,0) [0|1] \"\" X\n", fp);
	fclose(fp);
	assert_int_equal(evgw_sim_vehicle_create("yutong-bus", dir, &v, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "line 3"));
	unlink(path);
	snprintf(path, sizeof path, "%s/demo", dir);
	rmdir(path);
	rmdir(dir);

	const char *const *files = evgw_sim_vehicle_dbc_files("byd-atto3");
	assert_non_null(files);
	assert_string_equal(files[0], "byd_atto3.dbc");
	assert_string_equal(files[1], "demo/byd_demo_bms.dbc");
	assert_null(files[2]);
	assert_null(evgw_sim_vehicle_dbc_files("tractor"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_byd_cycle_times),
		cmocka_unit_test(test_yutong_cycle_times_and_sa),
		cmocka_unit_test(test_yutong_filler),
		cmocka_unit_test(test_byd_values),
		cmocka_unit_test(test_byd_fault_duration),
		cmocka_unit_test(test_yutong_values),
		cmocka_unit_test(test_late_poll_and_max),
		cmocka_unit_test(test_create_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
