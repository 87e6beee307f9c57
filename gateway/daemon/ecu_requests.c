// SPDX-License-Identifier: MIT
#include "daemon/ecu_requests.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus.h"
#include "daemon/daemon.h"
#include "daemon/fault_sources.h"
#include "daemon/j1939_listener.h"
#include "daemon/station.h"
#include "diag/dtc.h"
#include "diag/obd_session.h"
#include "diag/uds_isotp.h"
#include "j1939/j1939_dm.h"
#include "j1939/j1939_vin.h"
#include "vehicle/dtc_text.h"
#include "vehicle/profile.h"

/* J1979 on CAN: at most six PIDs in one mode 01 request. */
#define OBD_PIDS_PER_REQUEST 6
/* The last supported-PID bitmap (E1-FF); 8 bitmap rounds at most. */
#define OBD_LAST_BITMAP 0xE0
/* KWP2000 groupOfDiagnosticInformation: all groups (ISO 14230-3). */
#define KWP_ALL_GROUPS 0xFF00
#define UDS_P2_US 150000 /* USB adapters add latency to the standard 50 ms */

/* One request: its ECUs, what to ask, the answers so far. */
struct ecu_job {
	struct evgw_ecu_target t;
	struct evgw_ecu_query q;
	struct evgw_ecu_result *res;
	evgw_ecu_done_fn done;
	void *ud;
	unsigned pos; /* the address being asked */
	struct ecu_job *next;
};

/* Mode 01 live data: the bitmap rounds, then the PID rounds. */
struct obd_pid_run {
	bool discovering;
	uint8_t base;               /* the bitmap PID being asked: 0x00, 0x20, ... 0xE0 */
	uint8_t ask[EVGW_ECU_MAX_PIDS];
	unsigned n_ask, pos;        /* the PIDs to ask, the next one */
	uint8_t round[OBD_PIDS_PER_REQUEST];
	unsigned n_round;           /* the PIDs of the request in flight */
};

struct evgw_ecu_requests {
	struct evgw_daemon *d;
	struct evgw_station *st;
	struct evgw_bus *bus;
	struct ecu_job *job;        /* running, or NULL */
	struct ecu_job *queue, *queue_tail;
	unsigned n_queued;
	/* The step in flight: one ISO-TP ECU, or one functional OBD request. */
	struct uds_isotp u;
	struct obd_session obd;
	bool uds_busy, obd_busy;
	struct evgw_ecu_entry *cur; /* the ISO-TP ECU's entry */
	bool kwp;                   /* speaking KWP2000 to it (declared, or after NRC 0x11) */
	unsigned obd_step;          /* which mode of an OBD DTC read is running */
	struct obd_pid_run pids;
	struct evgw_timer timer;    /* ISO-TP / OBD timeouts */
	struct evgw_timer kick;     /* starts a queued job outside the caller's stack */
};

static void run_job(struct evgw_ecu_requests *g);
static void step_finished(struct evgw_ecu_requests *g);

static int bus_send(void *ud, const struct evgw_frame *f)
{
	struct evgw_ecu_requests *g = ud;
	int r = evgw_bus_send(g->bus, f);
	if (r == 0)
		evgw_debug(&g->d->log, "bus %s: sent %03" PRIX32 " (%u bytes)", g->bus->name, f->id, f->len);
	return r;
}

static void rearm(struct evgw_ecu_requests *g)
{
	int64_t now = evgw_now_mono_us();
	int64_t next = g->obd_busy ? obd_session_poll(&g->obd, now)
		       : g->uds_busy ? uds_isotp_poll(&g->u, now)
				     : INT64_MAX;
	if (next == INT64_MAX)
		evgw_timer_arm(&g->timer, 0, 0);
	else
		evgw_timer_arm(&g->timer, next > now ? (uint64_t)(next - now) : 1, 0);
}

/* A VIN read names the vehicle session of the bus (logged on a change). */
static void name_vehicle(struct evgw_ecu_requests *g, const char *vin)
{
	int64_t id = evgw_faults_vehicle(&g->d->faults, g->bus->name, vin, evgw_now_real_us());
	if (id > 0)
		evgw_info(&g->d->log, "bus %s: vehicle %s (session %" PRId64 ")", g->bus->name, vin, id);
}

static void entry_name(struct evgw_ecu_entry *e, const struct evgw_profile_ecu *pe)
{
	snprintf(e->name, sizeof e->name, "%s", pe ? pe->name : "");
}

/* ---- DTCs read become faults ---- */

static struct evgw_fault fault_template(struct evgw_ecu_requests *g, const struct evgw_ecu_entry *e)
{
	struct evgw_fault t;
	memset(&t, 0, sizeof t);
	snprintf(t.bus, sizeof t.bus, "%s", g->bus->name);
	t.ecu = e->ecu;
	snprintf(t.ecu_name, sizeof t.ecu_name, "%s", e->name);
	t.protocol = e->protocol;
	t.severity = EVGW_SEV_WARNING;
	return t;
}

/* The DTCs of an ISO-TP ECU (UDS or KWP). */
static void uds_dtcs(struct evgw_ecu_requests *g, const struct uds_dtc_list *l)
{
	struct evgw_ecu_entry *e = g->cur;
	struct evgw_daemon *d = g->d;
	const struct evgw_dtc_text *words = evgw_daemon_dtc_text(d, g->st);
	uint64_t codes[EVGW_ECU_MAX_DTCS];
	unsigned n = 0;
	int64_t now = evgw_now_real_us();
	struct evgw_fault t = fault_template(g, e);
	struct evgw_textbuf ff;
	evgw_textbuf_init(&ff);
	evgw_diag_freeze_frame(&ff, g->st, evgw_profile_ecu_by_request(g->st->profile, (uint32_t)e->ecu));
	for (size_t i = 0; i < l->count; i++) {
		struct uds_dtc dtc;
		struct evgw_ecu_dtc *out;
		if (uds_dtc_list_get(l, i, &dtc) < 0 || !(out = evgw_ecu_dtc_add(e)))
			break;
		if (l->dtc_bytes == 2) {
			dtc_format_2byte((uint16_t)dtc.code, out->code, sizeof out->code);
			evgw_dtc_describe_obd(words, (uint16_t)dtc.code, out->description, sizeof out->description);
		} else {
			dtc_format_3byte(dtc.code, '-', out->code, sizeof out->code);
			evgw_dtc_describe_uds(words, dtc.code, out->description, sizeof out->description);
		}
		out->raw = dtc.code;
		out->status = dtc.status;
		enum dtc_state s = g->kwp ? kwp_dtc_state(dtc.status) : uds_dtc_state(dtc.status);
		out->fault_status = s == DTC_STATE_ACTIVE ? EVGW_FS_ACTIVE
				    : s == DTC_STATE_STORED ? EVGW_FS_STORED
				    : s == DTC_STATE_PENDING ? EVGW_FS_PENDING
							     : 0;
		if (!out->fault_status)
			continue; /* listed, but its status bits say no fault: not raised (and cleared below) */
		t.raw_code = dtc.code;
		t.status = out->fault_status;
		snprintf(t.code, sizeof t.code, "%s", out->code);
		snprintf(t.description, sizeof t.description, "%s", out->description);
		evgw_faults_raise(&d->faults, &t, ff.failed ? NULL : ff.buf, now);
		codes[n++] = dtc.code;
	}
	evgw_textbuf_free(&ff);
	/* What the ECU no longer reports is cleared. */
	evgw_faults_clear_absent(&d->faults, t.bus, t.protocol, t.ecu, 0, codes, n, now);
}

/* Faults of (protocol, ecu) on this bus are cleared: the ECU cleared them. */
static void clear_faults(struct evgw_ecu_requests *g, enum evgw_fault_protocol p, int32_t ecu)
{
	struct evgw_fault_engine *fe = &g->d->faults;
	for (unsigned i = 0; i < fe->n; i++) {
		struct evgw_fault *f = fe->faults[i];
		if (f->protocol == p && f->ecu == ecu && !strcmp(f->bus, g->bus->name))
			evgw_faults_clear(fe, f->bus, f->protocol, f->ecu, f->raw_code, evgw_now_real_us());
	}
}

/* The profile's DIDs of this ECU with this identifier, decoded (one DID
 * may carry several quantities). */
static void did_values(struct evgw_ecu_requests *g, struct evgw_ecu_entry *e, const uint8_t *val, size_t len)
{
	const struct evgw_profile *p = g->st->profile;
	for (unsigned i = 0; p && i < p->n_dids && e->n_values < EVGW_ECU_MAX_VALUES; i++) {
		const struct evgw_profile_did *pd = &p->dids[i];
		double v;
		if (pd->did != e->did || pd->ecu < 0 || p->ecus[pd->ecu].request != (uint32_t)e->request_id ||
		    evgw_profile_did_decode(pd, val, len, &v) < 0)
			continue;
		struct evgw_ecu_value *out = &e->values[e->n_values++];
		snprintf(out->name, sizeof out->name, "%s", pd->name);
		snprintf(out->unit, sizeof out->unit, "%s", pd->unit);
		out->value = v;
		out->decimals = -1;
	}
}

/* ---- one ECU over ISO-TP: UDS, or KWP2000 ---- */

static int uds_send(struct evgw_ecu_requests *g, const struct ecu_job *j)
{
	struct uds_client *c = &g->u.client;
	int64_t now = evgw_now_mono_us();
	switch (j->q.ask) {
	case EVGW_ASK_READ_DTC:
		return g->kwp ? kwp_read_dtc_by_status(c, 0x00, KWP_ALL_GROUPS, 2, now)
			      : uds_read_dtc_by_status(c, 0xFF, now);
	case EVGW_ASK_CLEAR_DTC:
		return g->kwp ? kwp_clear_dtc(c, KWP_ALL_GROUPS, now) : uds_clear_dtc(c, 0xFFFFFF, now);
	case EVGW_ASK_READ_DID:
		return uds_read_did(c, j->q.did, now);
	case EVGW_ASK_VIN:
		return uds_read_did(c, 0xF190, now);
	default:
		return -EINVAL;
	}
}

static void uds_positive(struct evgw_ecu_requests *g, const struct ecu_job *j, const struct uds_result *r)
{
	struct evgw_ecu_entry *e = g->cur;
	struct uds_dtc_list l;
	switch (j->q.ask) {
	case EVGW_ASK_READ_DTC:
		if ((g->kwp ? kwp_parse_dtc_by_status(r->data, r->len, 0, &l) : uds_parse_dtc_list(r->data, r->len, &l)) < 0) {
			evgw_ecu_entry_fail(e, EVGW_ECU_BAD_RESPONSE, "ECU 0x%03" PRIX32 " sent a malformed DTC list",
					    (uint32_t)e->ecu);
			return;
		}
		uds_dtcs(g, &l);
		return;
	case EVGW_ASK_CLEAR_DTC:
		if (g->kwp && kwp_parse_clear_dtc(r->data, r->len, KWP_ALL_GROUPS) < 0) {
			evgw_ecu_entry_fail(e, EVGW_ECU_BAD_RESPONSE, "ECU 0x%03" PRIX32 " sent a malformed clear answer",
					    (uint32_t)e->ecu);
			return;
		}
		e->cleared = true;
		clear_faults(g, e->protocol, e->ecu);
		return;
	default: {
		uint16_t did = j->q.ask == EVGW_ASK_VIN ? 0xF190 : j->q.did;
		const uint8_t *val;
		size_t len;
		if (uds_parse_did(r->data, r->len, did, &val, &len) < 0 || !(e->data = malloc(len ? len : 1))) {
			evgw_ecu_entry_fail(e, EVGW_ECU_BAD_RESPONSE, "ECU 0x%03" PRIX32 " sent a malformed DID answer",
					    (uint32_t)e->ecu);
			return;
		}
		memcpy(e->data, val, len);
		e->len = len;
		e->has_did = true;
		e->did = did;
		did_values(g, e, val, len);
		if (did == 0xF190 && uds_parse_vin(r->data, r->len, e->vin) == 0)
			name_vehicle(g, e->vin);
		else
			e->vin[0] = '\0';
	}
	}
}

static void on_uds_result(void *ud, const struct uds_result *r)
{
	struct evgw_ecu_requests *g = ud;
	struct ecu_job *j = g->job;
	struct evgw_ecu_entry *e = g->cur;
	if (!g->uds_busy || !j)
		return;
	if (r->rc < 0) {
		evgw_ecu_entry_fail(e, EVGW_ECU_TIMEOUT, "no answer from ECU 0x%03" PRIX32 ": %s", (uint32_t)e->ecu,
				    uds_rc_str(r->rc));
	} else if (r->rc > 0) {
		bool kwp_has_it = j->q.ask == EVGW_ASK_READ_DTC || j->q.ask == EVGW_ASK_CLEAR_DTC;
		if (r->rc == UDS_NRC_SERVICE_NOT_SUPPORTED && !g->kwp && kwp_has_it) {
			/* Older modules (BYD among them) speak KWP2000 only. */
			g->kwp = true;
			e->protocol = EVGW_FP_KWP;
			if (uds_send(g, j) == 0) {
				rearm(g);
				return;
			}
		}
		evgw_ecu_entry_fail(e, EVGW_ECU_NEGATIVE, "ECU 0x%03" PRIX32 " refused: %s (NRC 0x%02X)",
				    (uint32_t)e->ecu, uds_nrc_name((uint8_t)r->rc), r->rc);
		e->nrc = (uint8_t)r->rc;
	} else {
		uds_positive(g, j, r);
	}
	g->uds_busy = false;
	step_finished(g);
}

static int start_uds(struct evgw_ecu_requests *g, struct ecu_job *j, const struct evgw_ecu_address *a)
{
	struct evgw_ecu_entry *e = evgw_ecu_entry_add(j->res);
	if (!e)
		return -ENOSPC;
	e->ecu = e->request_id = (int32_t)a->tx;
	e->response_id = (int32_t)a->rx;
	e->protocol = a->protocol;
	entry_name(e, a->pe);
	g->cur = e;
	g->kwp = a->protocol == EVGW_FP_KWP;
	struct isotp_cfg cfg;
	isotp_cfg_default(&cfg, a->tx, a->rx);
	struct uds_timing t;
	uds_timing_default(&t);
	t.p2_us = UDS_P2_US;
	int rc = uds_isotp_init(&g->u, &cfg, bus_send, g, &t, on_uds_result, g);
	if (rc == 0)
		rc = uds_send(g, j);
	if (rc < 0) {
		evgw_ecu_entry_fail(e, EVGW_ECU_IO, "cannot send to ECU 0x%03" PRIX32 ": %s", a->tx, strerror(-rc));
		return rc;
	}
	g->uds_busy = true;
	/* A DID read is one of many (battery reads about twenty): debug only;
	 * reading and clearing DTCs is a mechanic's act worth a line. */
	evgw_log(&g->d->log, j->q.ask == EVGW_ASK_READ_DID ? EVGW_LOG_DEBUG : EVGW_LOG_INFO,
		 "bus %s: %s request to ECU 0x%03" PRIX32 "%s", g->bus->name, g->kwp ? "KWP2000" : "UDS", a->tx,
		 j->q.ask == EVGW_ASK_READ_DID ? " (read DID)" : "");
	rearm(g);
	return 0;
}

/* ---- OBD-II: a functional request, whoever answers ---- */

static const uint8_t obd_dtc_modes[] = {0x03, 0x07, 0x0A};

/* The next mode 01 request: a bitmap while discovering, else up to six
 * PIDs whose lengths are known (a PID of unknown length would hide the ones
 * after it in the answer, so it goes alone). */
static int pids_request(struct obd_pid_run *r, uint8_t *req, size_t cap)
{
	if (r->discovering)
		return obd_build_request(req, cap, OBD_MODE_CURRENT, &r->base, 1);
	r->n_round = 0;
	while (r->pos < r->n_ask && r->n_round < OBD_PIDS_PER_REQUEST) {
		uint8_t pid = r->ask[r->pos];
		bool known = obd_pid_info(pid) != NULL;
		if (!known && r->n_round)
			break;
		r->round[r->n_round++] = pid;
		r->pos++;
		if (!known)
			break;
	}
	return obd_build_request(req, cap, OBD_MODE_CURRENT, r->round, r->n_round);
}

static int obd_send_step(struct evgw_ecu_requests *g)
{
	uint8_t req[8];
	int len;
	switch (g->job->q.ask) {
	case EVGW_ASK_READ_PIDS:
		len = pids_request(&g->pids, req, sizeof req);
		break;
	case EVGW_ASK_READ_DTC:
		len = obd_build_request(req, sizeof req, obd_dtc_modes[g->obd_step], NULL, 0);
		break;
	case EVGW_ASK_CLEAR_DTC:
		len = obd_build_request(req, sizeof req, 0x04, NULL, 0);
		break;
	default: {
		uint8_t pid = OBD_PID_VIN;
		len = obd_build_request(req, sizeof req, 0x09, &pid, 1);
	}
	}
	return len < 0 ? len : obd_session_request(&g->obd, req, (size_t)len, evgw_now_mono_us());
}

/* The responder's entry; a new one for a new responder (NULL when full). */
static struct evgw_ecu_entry *obd_entry(struct evgw_ecu_requests *g, uint32_t rx_id, bool may_add)
{
	int32_t ecu = (int32_t)obd_physical_request_id(rx_id, false);
	struct evgw_ecu_entry *e = evgw_ecu_entry_find(g->job->res, EVGW_FP_OBD, ecu);
	if (e || !may_add || !(e = evgw_ecu_entry_add(g->job->res)))
		return e;
	/* The ECU answering on 0x7E8 is the one asked physically at 0x7E0:
	 * one address for it everywhere (this entry, its faults, read-dtc 7E0). */
	e->ecu = ecu;
	e->protocol = EVGW_FP_OBD;
	e->request_id = 0x7DF;
	e->response_id = (int32_t)rx_id;
	entry_name(e, evgw_profile_ecu_by_request(g->st->profile, (uint32_t)ecu));
	return e;
}

static void obd_dtcs(struct evgw_ecu_requests *g, struct evgw_ecu_entry *e, const uint8_t *data, size_t len)
{
	struct obd_dtc_list l;
	if (obd_parse_dtcs(data, len, true, &l) < 0)
		return;
	static const char *const kinds[] = {"stored", "pending", "permanent"};
	static const enum evgw_fault_status status[] = {EVGW_FS_STORED, EVGW_FS_PENDING, EVGW_FS_STORED};
	struct evgw_fault t = fault_template(g, e);
	t.status = status[g->obd_step];
	struct evgw_textbuf ff;
	evgw_textbuf_init(&ff);
	evgw_diag_freeze_frame(&ff, g->st, evgw_profile_ecu_by_request(g->st->profile, (uint32_t)e->ecu));
	size_t pos = 0;
	uint16_t code;
	struct evgw_ecu_dtc *out;
	while (obd_dtc_next(&l, &pos, &code) == 1 && (out = evgw_ecu_dtc_add(e))) {
		dtc_format_2byte(code, out->code, sizeof out->code);
		out->raw = code;
		out->obd_kind = kinds[g->obd_step];
		out->fault_status = t.status;
		evgw_dtc_describe_obd(evgw_daemon_dtc_text(g->d, g->st), code, out->description,
				      sizeof out->description);
		t.raw_code = code;
		snprintf(t.code, sizeof t.code, "%s", out->code);
		snprintf(t.description, sizeof t.description, "%s", out->description);
		evgw_faults_raise(&g->d->faults, &t, ff.failed ? NULL : ff.buf, evgw_now_real_us());
	}
	evgw_textbuf_free(&ff);
}

/* One PID's value: name, the decoded value (0x01: MIL and DTC count), the bytes. */
static void pid_value(struct evgw_ecu_entry *e, uint8_t pid, const uint8_t *v, size_t n)
{
	for (unsigned i = 0; i < e->n_pids; i++)
		if (e->pids[i].pid == pid)
			return; /* an ECU repeating itself counts once */
	if (e->n_pids == EVGW_ECU_MAX_PIDS)
		return;
	struct evgw_ecu_pid *p = &e->pids[e->n_pids++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->info = obd_pid_info(pid);
	struct obd_monitor_status ms;
	if (pid == 0x01 && obd_decode_monitor_status(v, n, &ms) == 0) {
		p->has_monitor = true;
		p->mil = ms.mil;
		p->dtc_count = ms.dtc_count;
	} else if (obd_decode_pid(pid, v, n, &p->value) == 0) {
		p->has_value = true;
	}
	p->len = (uint8_t)(n < sizeof p->data ? n : sizeof p->data);
	memcpy(p->data, v, p->len);
}

/* 41 {PID data}*: a bitmap while discovering, else the PIDs of the round. */
static void pids_response(struct evgw_ecu_requests *g, uint32_t rx_id, const uint8_t *data, size_t len)
{
	struct obd_pid_run *r = &g->pids;
	struct obd_pid_cursor c;
	struct evgw_ecu_entry *e;
	if (obd_mode01_begin(&c, data, len) < 0 || !(e = obd_entry(g, rx_id, r->discovering)))
		return;
	e->has_pids = true;
	uint8_t pid;
	const uint8_t *v;
	size_t n;
	while (obd_mode01_next(&c, &pid, &v, &n) == 1) {
		if (r->discovering) {
			if (pid == r->base)
				(void)obd_pid_set_add(&e->supported, pid, v, n);
		} else if (memchr(r->round, pid, r->n_round)) {
			pid_value(e, pid, v, n);
		}
	}
}

/* After the bitmaps: the PIDs to ask, ascending. Those the request names,
 * else every one obd_pid_info() knows; only PIDs some ECU supports, never
 * the bitmaps themselves. */
static void pids_plan(struct evgw_ecu_requests *g)
{
	struct obd_pid_run *r = &g->pids;
	const struct ecu_job *j = g->job;
	struct obd_pid_set want;
	memset(&want, 0, sizeof want);
	for (unsigned i = 0; i < j->q.n_pids; i++)
		want.bits[j->q.pids[i] / 8] |= (uint8_t)(1u << (j->q.pids[i] % 8));
	r->discovering = false;
	r->n_ask = r->pos = 0;
	for (unsigned pid = 1; pid <= 0xFF && r->n_ask < EVGW_ECU_MAX_PIDS; pid++) {
		bool supported = false;
		for (unsigned i = 0; i < j->res->n; i++)
			supported |= obd_pid_set_has(&j->res->entries[i].supported, (uint8_t)pid);
		if (!supported || !(pid & 0x1F))
			continue;
		if (j->q.n_pids ? obd_pid_set_has(&want, (uint8_t)pid) : obd_pid_info((uint8_t)pid) != NULL)
			r->ask[r->n_ask++] = (uint8_t)pid;
	}
}

/* One mode 01 round is over: the next bitmap while the last one says its
 * range goes on, then the PID rounds. false when the step is over. */
static bool pids_next_round(struct evgw_ecu_requests *g)
{
	struct obd_pid_run *r = &g->pids;
	const struct evgw_ecu_result *res = g->job->res;
	if (r->discovering && !res->n)
		return false;
	if (r->discovering) {
		bool more = false;
		for (unsigned i = 0; i < res->n && r->base < OBD_LAST_BITMAP; i++)
			more |= obd_pid_set_has(&res->entries[i].supported, (uint8_t)(r->base + 0x20));
		if (more)
			r->base += 0x20;
		else
			pids_plan(g);
	}
	return r->discovering || r->pos < r->n_ask;
}

static void on_obd_response(void *ud, uint32_t rx_id, const uint8_t *data, size_t len, int err)
{
	struct evgw_ecu_requests *g = ud;
	if (!g->obd_busy || !g->job || err < 0 || !len)
		return;
	enum evgw_ecu_ask ask = g->job->q.ask;
	if (ask == EVGW_ASK_READ_PIDS) {
		pids_response(g, rx_id, data, len);
		return;
	}
	struct evgw_ecu_entry *e = obd_entry(g, rx_id, true);
	if (!e)
		return;
	if (ask == EVGW_ASK_READ_DTC) {
		obd_dtcs(g, e, data, len);
	} else if (ask == EVGW_ASK_VIN) {
		if (obd_parse_vin(data, len, e->vin) == 0)
			name_vehicle(g, e->vin);
		else
			evgw_ecu_entry_fail(e, EVGW_ECU_BAD_RESPONSE, "ECU 0x%03" PRIX32 " sent a malformed VIN", rx_id);
	} else if (obd_parse_clear(data, len) == 0) {
		e->cleared = true;
		clear_faults(g, EVGW_FP_OBD, e->ecu);
	}
}

/* One functional request is done (every ECU answered or the window closed). */
static void on_obd_done(void *ud, unsigned responders)
{
	struct evgw_ecu_requests *g = ud;
	if (!g->obd_busy || !g->job)
		return;
	enum evgw_ecu_ask ask = g->job->q.ask;
	bool more = ask == EVGW_ASK_READ_PIDS ? pids_next_round(g)
		    : ask == EVGW_ASK_READ_DTC && g->obd_step + 1 < sizeof obd_dtc_modes
			    ? (g->obd_step++, true)
			    : false;
	if (more) {
		int rc = obd_send_step(g);
		if (rc == 0) {
			rearm(g);
			return;
		}
		g->job->res->err = EVGW_ECU_IO;
		snprintf(g->job->res->message, sizeof g->job->res->message, "cannot send on bus %s: %s",
			 g->bus->name, strerror(-rc));
	}
	g->obd_busy = false;
	step_finished(g);
}

static int start_obd(struct evgw_ecu_requests *g)
{
	struct obd_session_cfg oc;
	obd_session_cfg_default(&oc);
	oc.on_response = on_obd_response;
	oc.on_done = on_obd_done;
	oc.ud = g;
	obd_session_init(&g->obd, &oc, bus_send, g);
	g->obd_step = 0;
	g->pids = (struct obd_pid_run){.discovering = true, .base = 0x00};
	int rc = obd_send_step(g);
	if (rc < 0)
		return rc;
	g->obd_busy = true;
	evgw_info(&g->d->log, "bus %s: OBD-II functional request (0x7DF)", g->bus->name);
	rearm(g);
	return 0;
}

/* ---- J1939: through the bus's listener ---- */

static void j1939_step_done(void *ud)
{
	step_finished(ud);
}

static int start_j1939(struct evgw_ecu_requests *g, struct ecu_job *j, const struct evgw_ecu_address *a)
{
	uint32_t pgn = j->q.ask == EVGW_ASK_READ_DTC  ? J1939_PGN_DM2
		       : j->q.ask == EVGW_ASK_VIN     ? J1939_PGN_VI
		       : j->q.j1939_dm == 3	      ? J1939_PGN_DM3
						      : J1939_PGN_DM11;
	return evgw_j1939_ask(g->st->j1939, pgn, a->sa, j->res, j1939_step_done, g);
}

/* ---- the job: its addresses one after the other ---- */

/* A step that could not start: its entry says why (one ECU), or the
 * result does (a broadcast). */
static void step_refused(struct evgw_ecu_requests *g, const struct evgw_ecu_address *a, int rc)
{
	if (a->protocol == EVGW_FP_UDS || a->protocol == EVGW_FP_KWP)
		return; /* start_uds has written its entry */
	struct evgw_ecu_result *res = g->job->res;
	enum evgw_ecu_err err = rc == -EADDRINUSE ? EVGW_ECU_ADDRESS_IN_USE : EVGW_ECU_IO;
	char msg[192];
	if (rc == -EADDRINUSE)
		snprintf(msg, sizeof msg, "bus '%s': J1939 address 0xF9 is held by a higher-priority ECU; evgw "
					  "stays silent there", g->bus->name);
	else
		snprintf(msg, sizeof msg, "cannot send on bus '%s': %s", g->bus->name, strerror(-rc));
	if (a->protocol == EVGW_FP_OBD || a->sa == 0xFF) { /* a broadcast: the result says why */
		res->err = err;
		snprintf(res->message, sizeof res->message, "%s", msg);
		return;
	}
	struct evgw_ecu_entry *e = evgw_ecu_entry_add(res);
	if (!e)
		return;
	e->ecu = a->sa;
	e->protocol = EVGW_FP_J1939;
	entry_name(e, a->pe);
	evgw_ecu_entry_fail(e, err, "%s", msg);
}

static void run_steps(struct evgw_ecu_requests *g)
{
	struct ecu_job *j = g->job;
	while (j->pos < j->t.n) {
		const struct evgw_ecu_address *a = &j->t.ecus[j->pos];
		int rc = a->protocol == EVGW_FP_OBD     ? start_obd(g)
			 : a->protocol == EVGW_FP_J1939 ? start_j1939(g, j, a)
							: start_uds(g, j, a);
		if (rc == 0)
			return;
		step_refused(g, a, rc);
		j->pos++;
	}
	/* Every address asked: the answer, then the next request. */
	g->job = NULL;
	j->res->asked = j->t.kind == EVGW_TARGET_OBD || (j->t.kind == EVGW_TARGET_J1939 && j->t.ecus[0].sa == 0xFF)
				? -1
				: (int)j->t.n;
	j->done(j->ud, j->res);
	evgw_ecu_result_free(j->res);
	free(j);
	run_job(g);
}

static void step_finished(struct evgw_ecu_requests *g)
{
	if (!g->job)
		return;
	evgw_timer_arm(&g->timer, 0, 0);
	g->job->pos++;
	/* The next ECU from the loop, not from inside the engine that just
	 * finished (its callback is on the stack). */
	evgw_timer_arm(&g->kick, 1, 0);
}

/* Start the next queued job, if none runs. */
static void run_job(struct evgw_ecu_requests *g)
{
	if (g->job || !g->queue)
		return;
	struct ecu_job *j = g->queue;
	g->queue = j->next;
	if (!g->queue)
		g->queue_tail = NULL;
	g->n_queued--;
	g->job = j;
	run_steps(g);
}

static void on_kick(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct evgw_ecu_requests *g = t->ud;
	if (g->job && !g->uds_busy && !g->obd_busy && !evgw_j1939_asking(g->st->j1939))
		run_steps(g);
	else
		run_job(g);
}

static void on_timer(struct evgw_loop *loop, struct evgw_timer *t)
{
	rearm(t->ud);
}

static void on_frame(void *ud, struct evgw_bus *bus, const struct evgw_frame *f)
{
	struct evgw_ecu_requests *g = ud;
	if (f->flags & (EVGW_FRAME_EXT | EVGW_FRAME_ERR | EVGW_FRAME_RTR | EVGW_FRAME_TX))
		return;
	int64_t now = evgw_now_mono_us();
	if (g->obd_busy) {
		if (f->id >= 0x7E8 && f->id <= 0x7EF && obd_session_on_frame(&g->obd, f, now) && g->obd_busy)
			rearm(g);
	} else if (g->uds_busy && g->cur && f->id == (uint32_t)g->cur->response_id) {
		if (uds_isotp_on_frame(&g->u, f, now) && g->uds_busy)
			rearm(g);
	}
}

int evgw_ecu_requests_attach(struct evgw_station *st, struct evgw_ecu_requests **out)
{
	struct evgw_daemon *d = st->d;
	struct evgw_ecu_requests *g = calloc(1, sizeof *g);
	if (!g)
		return -ENOMEM;
	g->d = d;
	g->st = st;
	g->bus = st->bus;
	g->timer.io.fd = -1;
	g->kick.io.fd = -1;
	int r = evgw_timer_init(&d->loop, &g->timer, on_timer, g);
	if (r == 0)
		r = evgw_timer_init(&d->loop, &g->kick, on_kick, g);
	struct evgw_frame_listener l = {on_frame, g, false};
	if (r == 0)
		r = evgw_bus_add_listener(st->bus, &l);
	if (r < 0) {
		evgw_ecu_requests_free(g);
		return r;
	}
	*out = g;
	return 0;
}

/* A job that will not run to its end (the bus goes away): the ECU being
 * asked is "gone", and so is the whole request when nothing answered. */
static void job_gone(struct evgw_ecu_requests *g, struct ecu_job *j, bool running)
{
	struct evgw_ecu_result *res = j->res;
	if (running && g->uds_busy && g->cur)
		evgw_ecu_entry_fail(g->cur, EVGW_ECU_GONE, "bus %s went away", g->bus->name);
	if (!evgw_ecu_result_answered(res) && !res->err) {
		res->err = EVGW_ECU_GONE;
		snprintf(res->message, sizeof res->message, "bus %s went away", g->bus->name);
	}
	j->done(j->ud, res);
	evgw_ecu_result_free(res);
	free(j);
}

void evgw_ecu_requests_free(struct evgw_ecu_requests *g)
{
	if (!g)
		return;
	struct ecu_job *running = g->job;
	g->job = NULL;
	if (running)
		job_gone(g, running, true);
	g->uds_busy = g->obd_busy = false;
	while (g->queue) {
		struct ecu_job *j = g->queue;
		g->queue = j->next;
		job_gone(g, j, false);
	}
	evgw_bus_remove_listener(g->bus, g);
	evgw_timer_fini(&g->d->loop, &g->timer);
	evgw_timer_fini(&g->d->loop, &g->kick);
	free(g);
}

int evgw_ecu_request(struct evgw_ecu_requests *g, const struct evgw_ecu_target *t,
		     const struct evgw_ecu_query *q, evgw_ecu_done_fn done, void *ud)
{
	if (g->bus->params.listen_only)
		return -EPERM;
	if (g->n_queued >= EVGW_ECU_QUEUE)
		return -EBUSY;
	struct ecu_job *j = calloc(1, sizeof *j);
	if (!j || !(j->res = evgw_ecu_result_new(q->ask))) {
		free(j);
		return -ENOMEM;
	}
	j->t = *t;
	j->q = *q;
	j->done = done;
	j->ud = ud;
	j->res->kind = t->kind;
	snprintf(j->res->target, sizeof j->res->target, "%s", t->text);
	snprintf(j->res->profile, sizeof j->res->profile, "%s", g->st->profile ? g->st->profile->name : "");
	if (g->queue_tail)
		g->queue_tail->next = j;
	else
		g->queue = j;
	g->queue_tail = j;
	g->n_queued++;
	/* Started from the loop: done is never called from inside this call. */
	if (!g->job)
		evgw_timer_arm(&g->kick, 1, 0);
	return 0;
}
