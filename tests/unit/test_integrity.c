// SPDX-License-Identifier: MIT
/* Checksum and counter validation (gateway/bus/bus_integrity.c): the
 * algorithms against hand-computed bytes, the DBC attributes, and a real
 * bus (evgw_bus_dispatch) raising and clearing faults. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"
#include "bus/bus_integrity.h"
#include "dbc/dbc.h"
#include "test_support.h"

/* A BYD-like message (0x1E2): counter in byte 6 bits 4-7, checksum byte 7;
 * and a J1939 one with an "inc:15" counter and an xor8 checksum in byte 0. */
static const char dbc_text[] =
	"VERSION \"t\"\n"
	"BO_ 482 ADAS: 8 CAM\n"
	" SG_ ANGLE : 0|16@1- (0.1,0) [-780|780] \"deg\" Vector__XXX\n"
	" SG_ COUNTER : 52|4@1+ (1,0) [0|15] \"\" Vector__XXX\n"
	" SG_ CHECKSUM : 56|8@1+ (1,0) [0|255] \"\" Vector__XXX\n"
	"BO_ 2566844915 J: 8 BMS\n"
	" SG_ CS : 0|8@1+ (1,0) [0|255] \"\" Vector__XXX\n"
	" SG_ CTR : 8|4@1+ (1,0) [0|15] \"\" Vector__XXX\n"
	"BO_ 100 PLAIN: 8 X\n"
	" SG_ A : 0|8@1+ (1,0) [0|255] \"\" Vector__XXX\n"
	"BA_DEF_ \"ProtocolType\" STRING ;\n"
	"BA_DEF_ SG_ \"EvgwChecksum\" STRING ;\n"
	"BA_DEF_ SG_ \"EvgwCounter\" STRING ;\n"
	"BA_DEF_DEF_ \"EvgwChecksum\" \"\";\n"
	"BA_DEF_DEF_ \"EvgwCounter\" \"\";\n"
	"BA_ \"EvgwChecksum\" SG_ 482 CHECKSUM \"sum8_inv\";\n"
	"BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc\";\n"
	"BA_ \"EvgwChecksum\" SG_ 2566844915 CS \"xor8\";\n"
	"BA_ \"EvgwCounter\" SG_ 2566844915 CTR \"inc:15\";\n";

static struct dbc_db *load(const char *text)
{
	struct diags dg = {0};
	struct dbc_load_opts o = {false, diag_cb, &dg};
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_buffer(text, strlen(text), "t.dbc", &o, &db), 0);
	if (dg.n_err)
		dump_diags(&dg);
	assert_int_equal(dg.n_err, 0);
	return db;
}

static void test_algorithms_by_hand(void **state)
{
	(void)state;
	const uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 0x55};
	/* 1+..+7 = 28 = 0x1C; ~0x1C = 0xE3; 1^2^3^4^5^6^7 = 0 */
	assert_int_equal(evgw_integrity_checksum(EVGW_INTEG_SUM8_INV, a, 8, 7), 0xE3);
	assert_int_equal(evgw_integrity_checksum(EVGW_INTEG_SUM8, a, 8, 7), 0x1C);
	assert_int_equal(evgw_integrity_checksum(EVGW_INTEG_XOR8, a, 8, 7), 0x00);
	/* Skipping byte 0 instead: 2+..+7 + 0x55 = 27 + 85 = 112 = 0x70 -> ~ = 0x8F */
	assert_int_equal(evgw_integrity_checksum(EVGW_INTEG_SUM8_INV, a, 8, 0), 0x8F);
	/* Seven 0xFF: 7 * 255 = 1785 = 0x6F9 -> 0xF9 -> ~ = 0x06 */
	const uint8_t ff[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0};
	assert_int_equal(evgw_integrity_checksum(EVGW_INTEG_SUM8_INV, ff, 8, 7), 0x06);
}

static void test_plan_and_seal(void **state)
{
	(void)state;
	struct dbc_db *db = load(dbc_text);
	struct evgw_integrity_plan p;
	char err[200] = "";
	assert_int_equal(evgw_integrity_plan_build(db, 0, msg_named(db, "ADAS"), &p, err, sizeof err), 1);
	assert_int_equal(p.algo, EVGW_INTEG_SUM8_INV);
	assert_int_equal(p.cs_byte, 7);
	assert_int_equal(p.ctr_mod, 16);
	/* Counter 5 in byte 6 bits 4-7 -> 0x50; checksum ~0x50 = 0xAF. Counter
	 * 21 wraps to 5 as well. */
	uint8_t d[8] = {0};
	evgw_integrity_seal(&p, d, 8, 21);
	const uint8_t want[8] = {0, 0, 0, 0, 0, 0, 0x50, 0xAF};
	assert_memory_equal(d, want, 8);
	/* An angle of -12.5 deg (0xFF83 -> 83 FF) and counter 15:
	 * 0x83 + 0xFF + 0xF0 = 0x272 -> 0x72 -> ~ = 0x8D */
	uint8_t e[8] = {0x83, 0xFF, 0, 0, 0, 0, 0, 0};
	evgw_integrity_seal(&p, e, 8, 15);
	assert_int_equal(e[6], 0xF0);
	assert_int_equal(e[7], 0x8D);

	assert_int_equal(evgw_integrity_plan_build(db, 0, msg_named(db, "J"), &p, err, sizeof err), 1);
	assert_int_equal(p.algo, EVGW_INTEG_XOR8);
	assert_int_equal(p.cs_byte, 0);
	assert_int_equal(p.ctr_mod, 15);
	assert_int_equal(evgw_integrity_plan_build(db, 0, msg_named(db, "PLAIN"), &p, err, sizeof err), 0);
	dbc_free(db);
}

static void expect_bad(const char *attrs, const char *what)
{
	char text[2048];
	snprintf(text, sizeof text,
		 "VERSION \"t\"\nBO_ 482 ADAS: 8 CAM\n"
		 " SG_ COUNTER : 52|4@1+ (1,0) [0|15] \"\" Vector__XXX\n"
		 " SG_ NIBBLE : 48|4@1+ (1,0) [0|15] \"\" Vector__XXX\n"
		 " SG_ CHECKSUM : 56|8@1+ (1,0) [0|255] \"\" Vector__XXX\n"
		 "BA_DEF_ SG_ \"EvgwChecksum\" STRING ;\nBA_DEF_ SG_ \"EvgwCounter\" STRING ;\n%s",
		 attrs);
	struct dbc_db *db = load(text);
	struct evgw_integrity_plan p;
	char err[200] = "";
	assert_int_equal(evgw_integrity_plan_build(db, 0, msg_named(db, "ADAS"), &p, err, sizeof err), -EINVAL);
	if (!strstr(err, what))
		fail_msg("error \"%s\" does not say \"%s\"", err, what);
	dbc_free(db);
}

/* A counter stepping by S: "inc,step=4" on the 4-bit COUNTER (byte 6 bits
 * 4-7) counts 0, 4, 8, 12, 0; frame 3 carries 12 -> 0xC0, frame 5 20 % 16
 * = 4 -> 0x40. "inc:15,step=14" counts down 0, 14, 13, ...: frame 2 gives
 * 28 % 15 = 13 -> 0xD0. */
static void test_counter_step(void **state)
{
	(void)state;
	const char *forms[2] = {"inc,step=4", "inc:15,step=14"};
	const uint32_t mods[2] = {16, 15}, steps[2] = {4, 14}, frame[2] = {3, 2};
	const uint8_t want[2] = {0xC0, 0xD0};
	for (int i = 0; i < 2; i++) {
		char text[1024];
		snprintf(text, sizeof text,
			 "VERSION \"t\"\nBO_ 482 ADAS: 8 CAM\n SG_ COUNTER : 52|4@1+ (1,0) [0|15] \"\" Vector__XXX\n"
			 "BA_DEF_ SG_ \"EvgwCounter\" STRING ;\nBA_ \"EvgwCounter\" SG_ 482 COUNTER \"%s\";\n",
			 forms[i]);
		struct dbc_db *db = load(text);
		struct evgw_integrity_plan p;
		char err[200] = "";
		assert_int_equal(evgw_integrity_plan_build(db, 0, msg_named(db, "ADAS"), &p, err, sizeof err), 1);
		assert_int_equal(p.ctr_mod, mods[i]);
		assert_int_equal(p.ctr_step, steps[i]);
		uint8_t d[8] = {0};
		evgw_integrity_seal(&p, d, 8, frame[i]);
		assert_int_equal(d[6], want[i]);
		if (i == 0) {
			evgw_integrity_seal(&p, d, 8, 5);
			assert_int_equal(d[6], 0x40);
		}
		dbc_free(db);
	}
}

static void test_bad_attributes(void **state)
{
	(void)state;
	expect_bad("BA_ \"EvgwChecksum\" SG_ 482 CHECKSUM \"crc8\";\n", "unknown EvgwChecksum algorithm \"crc8\"");
	expect_bad("BA_ \"EvgwChecksum\" SG_ 482 NIBBLE \"sum8\";\n", "ADAS.NIBBLE: an EvgwChecksum signal must be one whole");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"dec\";\n", "ADAS.COUNTER: EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc:17\";\n", "EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc,step=16\";\n", "EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc:15,step=15\";\n", "EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc,step=0\";\n", "EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc,step=\";\n", "EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc,stp=2\";\n", "EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc:,step=2\";\n", "EvgwCounter must be");
	expect_bad("BA_ \"EvgwCounter\" SG_ 482 COUNTER \"inc\";\nBA_ \"EvgwCounter\" SG_ 482 NIBBLE \"inc\";\n",
		   "more than one EvgwCounter");
}

/* The forms evgw discover writes, with parameters. Expected bytes by hand:
 * AUTOSAR's CRC library gives CRC-8 SAE J1850 (0x1D, start and final XOR
 * 0xFF) of 00 00 00 00 as 0x59, and of F2 01 83 as 0x37; 8H2F (0x2F) of
 * 00 00 00 00 as 0x12. Sums and XORs added up here. */
static void test_algorithms_with_parameters(void **state)
{
	(void)state;
	struct evgw_integrity_plan p;
	memset(&p, 0, sizeof p);
	const char *j1850 = "crc8:poly=0x1D,init=0xFF,xorout=0xFF";
	assert_int_equal(evgw_integrity_parse_algo(j1850, strlen(j1850), &p.algo, &p.prm), 0);
	assert_int_equal(p.algo, EVGW_INTEG_CRC8);
	uint8_t zeros[5] = {0, 0, 0, 0, 0};
	p.cs_byte = 4;
	assert_int_equal(evgw_integrity_plan_checksum(&p, zeros, 5), 0x59);
	uint8_t f2[4] = {0x00, 0xF2, 0x01, 0x83}; /* checksum first, over bytes 1-3 */
	p.cs_byte = 0;
	assert_int_equal(evgw_integrity_plan_checksum(&p, f2, 4), 0x37);
	const char *h2f = "crc8:poly=0x2F,init=0xFF,xorout=0xFF";
	assert_int_equal(evgw_integrity_parse_algo(h2f, strlen(h2f), &p.algo, &p.prm), 0);
	p.cs_byte = 4;
	assert_int_equal(evgw_integrity_plan_checksum(&p, zeros, 5), 0x12);
	/* Toyota-style: the id's bytes added; 0x2E4: 0xE4 + 0x02 = 0xE6.
	 * 01 02 03 + 0xE6 = 0xEC. */
	const char *sum = "sum8:add=0xE6";
	uint8_t d[4] = {0x01, 0x02, 0x03, 0x00};
	assert_int_equal(evgw_integrity_parse_algo(sum, strlen(sum), &p.algo, &p.prm), 0);
	p.cs_byte = 3;
	assert_int_equal(evgw_integrity_plan_checksum(&p, d, 4), 0xEC);
	/* Only bytes 1-2, XORed, then 0xFF: 02 ^ 03 ^ FF = 0xFE. */
	const char *x = "xor8:xorout=0xFF,bytes=1-2";
	assert_int_equal(evgw_integrity_parse_algo(x, strlen(x), &p.algo, &p.prm), 0);
	assert_int_equal(evgw_integrity_plan_checksum(&p, d, 4), 0xFE);
	/* ~(0x10 + 01 + 02 + 03) = ~0x16 = 0xE9 */
	const char *inv = "sum8_inv:add=0x10";
	assert_int_equal(evgw_integrity_parse_algo(inv, strlen(inv), &p.algo, &p.prm), 0);
	assert_int_equal(evgw_integrity_plan_checksum(&p, d, 4), 0xE9);
	static const char *const bad[] = {"crc8", "crc8:init=0xFF", "sum8:poly=0x1D", "xor8:add=1", "sum8:add=0x100",
					  "crc8:poly=0x1D,bytes=5-2", "sum8:", "sum8:reflected", "crc9:poly=0x1D"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(evgw_integrity_parse_algo(bad[i], strlen(bad[i]), &p.algo, &p.prm), -EINVAL);
}

/* --- on a real bus ------------------------------------------------------ */

struct seen {
	unsigned raised, cleared;
	char last_sig[32];
	const char *last_text;
};

static void on_fault(void *ud, struct evgw_bus *bus, const struct evgw_frame *f, const struct dbc_message *msg,
		     unsigned db, const struct dbc_signal *sig, const struct evgw_sig_fault *sf)
{
	struct seen *s = ud;
	if (sf->active)
		s->raised++;
	else
		s->cleared++;
	struct evgw_str n = dbc_str(bus->dbs[db], sig->name);
	snprintf(s->last_sig, sizeof s->last_sig, "%.*s", (int)n.len, n.ptr);
	s->last_text = sf->text;
}

static struct evgw_bus *make_bus_of(struct seen *seen, const char *text, uint32_t n_plans)
{
	struct dbc_db *db = load(text);
	struct evgw_bus_params bp;
	memset(&bp, 0, sizeof bp);
	bp.name = "car";
	bp.driver = "replay";
	bp.listen_only = true;
	struct evgw_bus *bus = NULL;
	struct evgw_driver_err err;
	assert_int_equal(evgw_bus_create(&bp, &db, 1, &bus, &err), 0);
	assert_non_null(bus->integrity);
	assert_int_equal(bus->integrity->n_plans, n_plans);
	bus->on_fault = on_fault;
	bus->on_fault_ud = seen;
	return bus;
}

static struct evgw_bus *make_bus(struct seen *seen)
{
	return make_bus_of(seen, dbc_text, 2);
}

/* Frame k of 0x1E2 at 10 ms steps, with counter ctr; checksum right or not. */
static void send_adas(struct evgw_bus *bus, int64_t t_us, uint32_t ctr, bool good)
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = 482;
	f.len = f.dlc = 8;
	f.ts_us = t_us;
	f.data[0] = 0x10;
	f.data[6] = (uint8_t)((ctr & 15) << 4);
	f.data[7] = (uint8_t) ~(0x10 + f.data[6]);
	if (!good)
		f.data[7] ^= 0x01;
	evgw_bus_dispatch(bus, &f, t_us);
}

static const struct evgw_id_stats *stats_of(const struct evgw_bus *bus, uint32_t key)
{
	for (uint32_t i = 0; i < EVGW_BUS_MAX_IDS * 2; i++)
		if (bus->ids[i].key == key)
			return &bus->ids[i];
	fail_msg("no statistics for id 0x%X", key);
	return NULL;
}

static void test_checksum_fault_raised_and_cleared(void **state)
{
	(void)state;
	struct seen seen = {0};
	struct evgw_bus *bus = make_bus(&seen);
	int64_t t = 1000000;
	uint32_t c = 0;
	for (int i = 0; i < 20; i++, t += 10000)
		send_adas(bus, t, c++, true);
	assert_int_equal(seen.raised, 0);
	/* Two bad frames among good ones: not yet "repeatedly". */
	send_adas(bus, t += 10000, c++, false);
	send_adas(bus, t += 10000, c++, true);
	send_adas(bus, t += 10000, c++, false);
	assert_int_equal(seen.raised, 0);
	/* The third within 8 frames raises it, on the checksum signal. */
	send_adas(bus, t += 10000, c++, false);
	assert_int_equal(seen.raised, 1);
	assert_string_equal(seen.last_sig, "CHECKSUM");
	assert_non_null(strstr(seen.last_text, "checksum (sum8_inv) wrong in 3 of the last 8 frames"));
	const struct evgw_id_stats *e = stats_of(bus, 482);
	assert_int_equal(e->integ.checksum_errors, 3);
	assert_int_equal(e->integ.counter_errors, 0);
	/* 15 good frames keep it, the 16th clears it. */
	for (int i = 0; i < 15; i++)
		send_adas(bus, t += 10000, c++, true);
	assert_int_equal(seen.cleared, 0);
	send_adas(bus, t += 10000, c++, true);
	assert_int_equal(seen.cleared, 1);
	assert_int_equal(seen.raised, 1);
	evgw_bus_free(bus);
}

static void test_counter_stall_and_jump(void **state)
{
	(void)state;
	struct seen seen = {0};
	struct evgw_bus *bus = make_bus(&seen);
	int64_t t = 1000000;
	/* 0..15 then wrapping to 0, 1: all fine. */
	for (uint32_t c = 0; c < 18; c++, t += 10000)
		send_adas(bus, t, c, true);
	assert_int_equal(seen.raised, 0);
	/* Stalled at 1 three times: raised on the counter signal. */
	for (int i = 0; i < 3; i++)
		send_adas(bus, t += 10000, 1, true);
	assert_int_equal(seen.raised, 1);
	assert_string_equal(seen.last_sig, "COUNTER");
	assert_non_null(strstr(seen.last_text, "counter stalled or jumped"));
	assert_int_equal(stats_of(bus, 482)->integ.counter_errors, 3);
	assert_int_equal(stats_of(bus, 482)->integ.checksum_errors, 0);
	evgw_bus_free(bus);

	/* A jump (frames lost by the ECU): 2 -> 5, 6 -> 9, 10 -> 13. */
	memset(&seen, 0, sizeof seen);
	bus = make_bus(&seen);
	t = 1000000;
	const uint32_t seq[] = {0, 1, 2, 5, 6, 9, 10, 13};
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
		send_adas(bus, t += 10000, seq[i], true);
	assert_int_equal(stats_of(bus, 482)->integ.counter_errors, 3);
	assert_int_equal(seen.raised, 1);
	evgw_bus_free(bus);
}

/* evgwd follows a counter that steps by 3 ("inc,step=3"): 0, 3, 6, 9, 12,
 * 15, 2, 5 ... (3k mod 16) is right; a +1 step after it is wrong, each. */
static void test_counter_with_a_step(void **state)
{
	(void)state;
	char text[sizeof dbc_text + 64];
	const char *at = strstr(dbc_text, "COUNTER \"inc\"");
	assert_non_null(at);
	snprintf(text, sizeof text, "%.*sCOUNTER \"inc,step=3\"%s", (int)(at - dbc_text), dbc_text,
		 at + strlen("COUNTER \"inc\""));
	struct seen seen = {0};
	struct evgw_bus *bus = make_bus_of(&seen, text, 2);
	int64_t t = 1000000;
	uint32_t k = 0;
	for (; k < 40; k++)
		send_adas(bus, t += 10000, 3 * k % 16, true);
	assert_int_equal(stats_of(bus, 482)->integ.counter_errors, 0);
	assert_int_equal(seen.raised, 0);
	/* 3 * 39 % 16 = 5, then 6, 7, 8: three steps of +1 */
	for (uint32_t v = 6; v <= 8; v++)
		send_adas(bus, t += 10000, v, true);
	assert_int_equal(stats_of(bus, 482)->integ.counter_errors, 3);
	assert_int_equal(seen.raised, 1);
	evgw_bus_free(bus);
}

static void test_counter_restarts_after_silence(void **state)
{
	(void)state;
	struct seen seen = {0};
	struct evgw_bus *bus = make_bus(&seen);
	int64_t t = 1000000;
	send_adas(bus, t, 3, true);
	send_adas(bus, t += 10000, 4, true);
	/* 600 ms of silence (no cycle time: 500 ms): the next value is a fresh start. */
	send_adas(bus, t += 600000, 11, true);
	send_adas(bus, t += 10000, 12, true);
	assert_int_equal(stats_of(bus, 482)->integ.counter_errors, 0);
	/* 400 ms is not silence: 12 -> 7 is a jump. */
	send_adas(bus, t += 400000, 7, true);
	assert_int_equal(stats_of(bus, 482)->integ.counter_errors, 1);
	evgw_bus_free(bus);
}

static void test_j1939_sources_followed_apart(void **state)
{
	(void)state;
	struct seen seen = {0};
	struct evgw_bus *bus = make_bus(&seen);
	int64_t t = 1000000;
	/* Two source addresses of the same PGN, each counting 0..14 (inc:15)
	 * with its own xor8 checksum in byte 0: no errors although the
	 * interleaved sequence would look like jumps. */
	for (uint32_t k = 0; k < 20; k++) {
		for (uint32_t sa = 0xF3; sa <= 0xF4; sa++) {
			struct evgw_frame f;
			memset(&f, 0, sizeof f);
			f.id = 0x18F201u << 8 | sa;
			f.flags = EVGW_FRAME_EXT;
			f.len = f.dlc = 8;
			f.data[1] = (uint8_t)((k + sa) % 15);
			f.data[2] = 0x5A;
			f.data[0] = (uint8_t)(f.data[1] ^ 0x5A);
			evgw_bus_dispatch(bus, &f, t += 5000);
		}
	}
	assert_int_equal(stats_of(bus, 0x80000000u | 0x18F201F3u)->integ.counter_errors, 0);
	assert_int_equal(stats_of(bus, 0x80000000u | 0x18F201F4u)->integ.counter_errors, 0);
	assert_int_equal(stats_of(bus, 0x80000000u | 0x18F201F4u)->integ.checksum_errors, 0);
	assert_int_equal(seen.raised, 0);
	evgw_bus_free(bus);
}

/* The shipped BYD definition: its checked messages and their plans. */
static void test_byd_definition(void **state)
{
	(void)state;
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_file(EVGW_TEST_DATA "/../../dbc/byd_atto3.dbc", NULL, &db), 0);
	/* File order; every one with the BYD byte-7 checksum and a 4-bit counter
	 * (opendbc PR 3337 dbc.py: every CHECKSUM and COUNTER of a byd_* DBC). */
	static const char *const checked[] = {"STEERING_MODULE_ADAS", "WHEEL_SPEED_STATUS", "STEERING_TORQUE",
					      "LKAS_HUD_ADAS",        "ACC_HUD_ADAS",       "ACC_CMD",
					      "PEDAL"};
	/* The counter's first bit, from the sources' layouts (dbc/byd_atto3.dbc
	 * comments): 0x32D and 0x32E have it in the low nibble of byte 6. */
	static const unsigned ctr_bit[] = {52, 52, 52, 52, 48, 48, 52};
	unsigned n = 0;
	for (uint32_t i = 0; i < db->n_messages; i++) {
		struct evgw_integrity_plan p;
		char err[200] = "";
		int r = evgw_integrity_plan_build(db, 0, db->messages[i], &p, err, sizeof err);
		assert_true(r >= 0);
		if (r == 1) {
			struct evgw_str name = dbc_str(db, db->messages[i]->name);
			assert_true(n < sizeof checked / sizeof checked[0]);
			assert_true(evgw_str_eq_cstr(name, checked[n]));
			assert_int_equal(p.algo, EVGW_INTEG_SUM8_INV);
			assert_int_equal(p.cs_byte, 7);
			assert_int_equal(p.ctr_mod, 16);
			assert_non_null(p.ctr_sig);
			assert_int_equal(p.ctr_sig->start_bit, ctr_bit[n]);
			n++;
		}
	}
	assert_int_equal(n, 7);
	dbc_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algorithms_by_hand),
		cmocka_unit_test(test_plan_and_seal),
		cmocka_unit_test(test_bad_attributes),
		cmocka_unit_test(test_counter_step),
		cmocka_unit_test(test_algorithms_with_parameters),
		cmocka_unit_test(test_checksum_fault_raised_and_cleared),
		cmocka_unit_test(test_counter_stall_and_jump),
		cmocka_unit_test(test_counter_with_a_step),
		cmocka_unit_test(test_counter_restarts_after_silence),
		cmocka_unit_test(test_j1939_sources_followed_apart),
		cmocka_unit_test(test_byd_definition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
