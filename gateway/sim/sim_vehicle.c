// SPDX-License-Identifier: MIT
/* Simulated vehicles: the DBC side. Each message of the vehicle's DBC files
 * is scheduled at its cycle time; at each send the model's state for that
 * moment is encoded into the message's signals with the DBC encoder. All
 * lookups (signal bindings, gear codes, constant values) happen at create,
 * so a poll only computes and packs. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus_integrity.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "sim/sim_charging.h"
#include "sim/sim_diag.h"
#include "sim/sim_j1939.h"
#include "sim/sim_model.h"
#include "sim/sim_vehicle.h"

#define MAX_DBC_FILES 4
#define DEFAULT_PERIOD_MS 100
#define PATH_LEN 4096
/* Spread the messages' first sends over the first milliseconds instead of
 * sending every message at t = 0. */
#define STAGGER_US 1000

struct sim_sig {
	const struct dbc_signal *sig;
	uint8_t qty;                               /* enum evgw_sim_qty */
	uint64_t const_raw;                        /* EVGW_SIM_Q_NONE */
	uint64_t gear_raw[EVGW_SIM_GEAR_COUNT];    /* EVGW_SIM_Q_GEAR */
};

struct sim_msg {
	uint32_t id;
	uint8_t flags, len, dlc;
	bool fill_ff;          /* J1939: unused bytes read "not available" */
	int64_t period_us;
	int64_t next_due;
	uint32_t first_sig, n_sigs;
	struct evgw_integrity_plan *integ; /* checksum/counter, NULL if none */
	uint32_t counter;
};

struct evgw_sim_vehicle {
	const struct evgw_sim_profile *p;
	struct dbc_db *db[MAX_DBC_FILES];
	unsigned n_db;
	struct sim_msg *msgs;
	uint32_t n_msgs;
	struct sim_sig *sigs;
	bool started;
	int64_t t0;
	bool j1939_ecus;      /* the bus: simulated J1939 ECUs (claims, DM1) */
	struct sim_j1939 j1939;
	struct sim_charging charging; /* the bus: a GB/T 27930 charge once a cycle */
	bool diag_ecus;       /* simulated UDS/KWP/OBD servers (sim_diag.h) */
	int64_t last_now;     /* the last poll's time: requests arrive then */
	struct sim_diag diag;
};

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen,
							   const char *fmt, ...)
{
	va_list ap;
	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *const *evgw_sim_vehicle_dbc_files(const char *name)
{
	const struct evgw_sim_profile *p = evgw_sim_profile_find(name);
	return p ? p->dbc_files : NULL;
}

struct first_error {
	char text[160];
	bool seen;
};

static void catch_error(void *ud, const struct dbc_diag *d)
{
	struct first_error *fe = ud;
	if (d->severity != DBC_ERROR || fe->seen)
		return;
	fe->seen = true;
	snprintf(fe->text, sizeof fe->text, "line %u, column %u: %s", d->line, d->col, d->msg);
}

static int load_dbc(struct evgw_sim_vehicle *v, const char *dir, const char *file, char *err,
		    size_t errlen)
{
	char path[PATH_LEN];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path) {
		set_err(err, errlen, "sim: %s: the DBC path is too long", v->p->name);
		return -ENAMETOOLONG;
	}
	struct first_error fe = {.seen = false};
	struct dbc_load_opts opts = {.strict = false, .diag = catch_error, .diag_ud = &fe};
	struct dbc_db *db = NULL;
	int rc = dbc_load_file(path, &opts, &db);
	if (rc < 0) {
		set_err(err, errlen, "sim: %s: cannot load the DBC file \"%s\": %s", v->p->name, path,
			fe.seen ? fe.text : strerror(-rc));
		return rc;
	}
	v->db[v->n_db++] = db;
	if (db->n_errors > 0) {
		set_err(err, errlen, "sim: %s: the DBC file \"%s\" has %u errors (first: %s)",
			v->p->name, path, db->n_errors, fe.text);
		return -EINVAL;
	}
	return 0;
}

static uint8_t qty_of(const struct evgw_sim_profile *p, const struct dbc_db *db,
		      const struct dbc_signal *s)
{
	struct evgw_str name = dbc_str(db, s->name);
	for (const struct evgw_sim_binding *b = p->bindings; b->signal; b++)
		if (evgw_str_eq_cstr(name, b->signal))
			return b->qty;
	return EVGW_SIM_Q_NONE;
}

static uint32_t period_ms_of(const struct evgw_sim_profile *p, const struct dbc_db *db,
			     const struct dbc_message *m)
{
	if (m->cycle_time_ms > 0)
		return m->cycle_time_ms;
	struct evgw_str name = dbc_str(db, m->name);
	for (const struct evgw_sim_period *q = p->periods; q->message; q++)
		if (evgw_str_eq_cstr(name, q->message))
			return q->ms;
	return DEFAULT_PERIOD_MS;
}

/* The raw code whose value-table text is `label`; 0 when the table has none. */
static uint64_t raw_of_label(const struct dbc_db *db, const struct dbc_signal *s, const char *label)
{
	if (!s->extra)
		return 0;
	for (uint32_t i = 0; i < s->extra->n_values; i++)
		if (evgw_str_eq_cstr(dbc_str(db, s->extra->values[i].text), label))
			return (uint64_t)s->extra->values[i].value;
	return 0;
}

/* Multiplexed signals other than those of switch value 0 are not sent: the
 * switch goes out as 0. */
static bool sendable(const struct dbc_signal *s)
{
	if (!(s->flags & DBC_SIG_MUXED))
		return true;
	return s->mux_value == 0 && !(s->flags & DBC_SIG_MUX_RANGES);
}

static void bind_signal(const struct evgw_sim_profile *p, const struct dbc_db *db,
			const struct dbc_signal *s, struct sim_sig *out)
{
	static const char *const gear_labels[EVGW_SIM_GEAR_COUNT] = {"P", "N", "D"};
	memset(out, 0, sizeof *out);
	out->sig = s;
	out->qty = (s->flags & DBC_SIG_MUX_SWITCH) ? EVGW_SIM_Q_NONE : qty_of(p, db, s);
	if (out->qty == EVGW_SIM_Q_GEAR)
		for (int g = 0; g < EVGW_SIM_GEAR_COUNT; g++)
			out->gear_raw[g] = raw_of_label(db, s, gear_labels[g]);
	/* Unsimulated signals: 0, moved into the signal's range when 0 is outside it. */
	double c = 0;
	if (s->min < s->max)
		c = fmin(fmax(c, s->min), s->max);
	(void)dbc_phys_to_raw(s, c, &out->const_raw);
}

static void bind_message(struct evgw_sim_vehicle *v, const struct dbc_db *db,
			 const struct dbc_message *m, uint32_t *n_sigs)
{
	struct sim_msg *sm = &v->msgs[v->n_msgs];
	memset(sm, 0, sizeof *sm);
	sm->id = m->id;
	sm->len = m->length;
	if (m->flags & DBC_MSG_EXTENDED)
		sm->flags |= EVGW_FRAME_EXT;
	if ((m->flags & DBC_MSG_FD) || m->length > EVGW_CAN_MAX_DLEN) {
		sm->flags |= EVGW_FRAME_FD;
		if (m->flags & DBC_MSG_BRS)
			sm->flags |= EVGW_FRAME_BRS;
		sm->len = evgw_canfd_dlc_to_len(evgw_canfd_len_to_dlc(m->length));
		sm->dlc = evgw_canfd_len_to_dlc(m->length);
	} else {
		sm->dlc = m->length;
	}
	sm->fill_ff = m->flags & DBC_MSG_J1939;
	sm->period_us = (int64_t)period_ms_of(v->p, db, m) * 1000;
	sm->first_sig = *n_sigs;
	for (uint32_t k = 0; k < m->n_signals; k++)
		if (sendable(&m->signals[k]))
			bind_signal(v->p, db, &m->signals[k], &v->sigs[(*n_sigs)++]);
	sm->n_sigs = *n_sigs - sm->first_sig;
	/* A healthy ECU: right checksums, counters that count. */
	struct evgw_integrity_plan plan;
	if (evgw_integrity_plan_build(db, 0, m, &plan, NULL, 0) == 1 && (sm->integ = malloc(sizeof plan)))
		*sm->integ = plan;
	v->n_msgs++;
}

static int bind_all(struct evgw_sim_vehicle *v)
{
	uint32_t n_msgs = 0, n_sigs = 0;
	for (unsigned d = 0; d < v->n_db; d++)
		for (uint32_t i = 0; i < v->db[d]->n_messages; i++) {
			const struct dbc_message *m = v->db[d]->messages[i];
			if (!(m->flags & DBC_MSG_PSEUDO)) {
				n_msgs++;
				n_sigs += m->n_signals;
			}
		}
	if (n_msgs == 0)
		return -ENODATA;
	v->msgs = calloc(n_msgs, sizeof *v->msgs);
	v->sigs = calloc(n_sigs ? n_sigs : 1, sizeof *v->sigs);
	if (!v->msgs || !v->sigs)
		return -ENOMEM;
	uint32_t used = 0;
	for (unsigned d = 0; d < v->n_db; d++)
		for (uint32_t i = 0; i < v->db[d]->n_messages; i++)
			if (!(v->db[d]->messages[i]->flags & DBC_MSG_PSEUDO))
				bind_message(v, v->db[d], v->db[d]->messages[i], &used);
	return 0;
}

int evgw_sim_vehicle_create(const char *name, const char *dbc_dir, struct evgw_sim_vehicle **out,
			    char *err, size_t errlen)
{
	const struct evgw_sim_profile *p = evgw_sim_profile_find(name);
	*out = NULL;
	if (!p) {
		char known[128] = "";
		for (unsigned i = 0; evgw_sim_profile_at(i); i++) {
			size_t n = strlen(known);
			snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "",
				 evgw_sim_profile_at(i)->name);
		}
		set_err(err, errlen, "sim: unknown simulated vehicle \"%s\" (known: %s)",
			name ? name : "", known);
		return -EINVAL;
	}
	if (!dbc_dir || !*dbc_dir) {
		set_err(err, errlen, "sim: %s: no DBC directory given", p->name);
		return -EINVAL;
	}
	struct evgw_sim_vehicle *v = calloc(1, sizeof *v);
	if (!v) {
		set_err(err, errlen, "sim: %s: %s", p->name, strerror(ENOMEM));
		return -ENOMEM;
	}
	v->p = p;
	/* The bus carries J1939 diagnostics too: address claims and DM1. */
	v->j1939_ecus = !strcmp(p->name, "yutong-bus");
	/* Diagnostic servers on the OBD port: BMS, body module, OBD-II. */
	v->diag_ecus = !strcmp(p->name, "byd-atto3");
	int rc = 0;
	for (const char *const *f = p->dbc_files; *f && rc == 0; f++)
		if (v->n_db < MAX_DBC_FILES)
			rc = load_dbc(v, dbc_dir, *f, err, errlen);
	if (rc == 0 && (rc = bind_all(v)) < 0)
		set_err(err, errlen, "sim: %s: %s", p->name,
			rc == -ENODATA ? "its DBC files describe no messages" : strerror(-rc));
	if (rc < 0) {
		evgw_sim_vehicle_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void evgw_sim_vehicle_free(struct evgw_sim_vehicle *v)
{
	if (!v)
		return;
	for (unsigned d = 0; d < v->n_db; d++)
		dbc_free(v->db[d]);
	for (uint32_t i = 0; v->msgs && i < v->n_msgs; i++)
		free(v->msgs[i].integ);
	free(v->msgs);
	free(v->sigs);
	free(v);
}

static void pack(const struct evgw_sim_vehicle *v, const struct sim_msg *sm, int64_t due,
		 struct evgw_frame *f)
{
	struct evgw_sim_state st;
	evgw_sim_model_at(v->p, (double)(due - v->t0) / 1e6, &st);
	memset(f, 0, sizeof *f);
	f->ts_us = due;
	f->id = sm->id;
	f->len = sm->len;
	f->dlc = sm->dlc;
	f->flags = sm->flags;
	if (sm->fill_ff)
		memset(f->data, 0xFF, sm->len);
	for (uint32_t k = 0; k < sm->n_sigs; k++) {
		const struct sim_sig *s = &v->sigs[sm->first_sig + k];
		uint64_t raw = s->const_raw;
		if (s->qty == EVGW_SIM_Q_GEAR)
			raw = s->gear_raw[st.gear];
		else if (s->qty != EVGW_SIM_Q_NONE)
			(void)dbc_phys_to_raw(s->sig, evgw_sim_state_value(&st, s->qty), &raw);
		dbc_insert_raw(s->sig, f->data, raw);
	}
	if (sm->integ)
		evgw_integrity_seal(sm->integ, f->data, f->len, sm->counter);
}

int evgw_sim_vehicle_poll(struct evgw_sim_vehicle *v, int64_t now_us, struct evgw_frame *out,
			  unsigned max)
{
	if (!v->started) {
		v->started = true;
		v->t0 = now_us;
		v->last_now = now_us;
		if (v->j1939_ecus) {
			sim_j1939_start(&v->j1939, now_us);
			sim_charging_start(&v->charging, now_us);
		}
		if (v->diag_ecus)
			sim_diag_start(&v->diag, v->p, now_us);
		for (uint32_t i = 0; i < v->n_msgs; i++)
			v->msgs[i].next_due = now_us + (int64_t)i * STAGGER_US % v->msgs[i].period_us;
	}
	if (now_us > v->last_now)
		v->last_now = now_us;
	if (v->diag_ecus)
		sim_diag_run(&v->diag, now_us);
	unsigned n = 0;
	while (n < max) {
		struct sim_msg *next = NULL;
		for (uint32_t i = 0; i < v->n_msgs; i++)
			if (!next || v->msgs[i].next_due < next->next_due)
				next = &v->msgs[i];
		if (v->diag_ecus && v->diag.count &&
		    (!next || v->diag.queue[v->diag.head].ts_us <= next->next_due) &&
		    sim_diag_pop(&v->diag, now_us, &out[n])) {
			n++;
			continue;
		}
		if (v->j1939_ecus && (!next || sim_j1939_next_due(&v->j1939) <= next->next_due) &&
		    sim_j1939_pop(&v->j1939, now_us, &out[n])) {
			n++;
			continue;
		}
		if (v->j1939_ecus && (!next || sim_charging_next_due(&v->charging) <= next->next_due) &&
		    sim_charging_pop(&v->charging, now_us, &out[n])) {
			n++;
			continue;
		}
		if (!next || next->next_due > now_us)
			break;
		int64_t due = next->next_due;
		pack(v, next, due, &out[n++]);
		next->counter++;
		/* Behind by more than a period: skip to the first slot after now. */
		int64_t after = due + next->period_us;
		if (after <= now_us)
			after = due + ((now_us - due) / next->period_us + 1) * next->period_us;
		next->next_due = after;
	}
	return (int)n;
}

int64_t evgw_sim_vehicle_next_due(const struct evgw_sim_vehicle *v)
{
	if (!v->started)
		return INT64_MIN;
	int64_t due = INT64_MAX;
	for (uint32_t i = 0; i < v->n_msgs; i++)
		if (v->msgs[i].next_due < due)
			due = v->msgs[i].next_due;
	if (v->j1939_ecus) {
		int64_t j = sim_j1939_next_due((struct sim_j1939 *)&v->j1939);
		if (j < due)
			due = j;
		int64_t c = sim_charging_next_due(&v->charging);
		if (c < due)
			due = c;
	}
	if (v->diag_ecus) {
		int64_t d = sim_diag_next_due(&v->diag);
		if (d < due)
			due = d;
	}
	return due;
}

/* The request's time is the last poll's: the frame's ts_us may be on
 * another clock (the daemon stamps wall time), and receive has no clock of
 * its own. Frames before the first poll find no ECU awake. */
void evgw_sim_vehicle_receive(struct evgw_sim_vehicle *v, const struct evgw_frame *f)
{
	if (!v || !f || !v->started)
		return;
	if (v->j1939_ecus)
		sim_j1939_receive(&v->j1939, f, v->last_now);
	if (v->diag_ecus)
		sim_diag_receive(&v->diag, f, v->last_now);
}
