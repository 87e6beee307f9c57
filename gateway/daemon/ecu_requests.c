// SPDX-License-Identifier: MIT
#include "daemon/ecu_requests.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus.h"
#include "daemon/daemon.h"
#include "daemon/station.h"
#include "diag/dtc.h"
#include "diag/obd_session.h"
#include "diag/uds_isotp.h"
#include "daemon/fault_sources.h"
#include "vehicle/dtc_text.h"
#include "vehicle/profile.h"

/* J1979 on CAN: at most six PIDs in one mode 01 request. */
#define OBD_PIDS_PER_REQUEST 6
/* The last supported-PID bitmap (E1-FF); 8 bitmap rounds at most. */
#define OBD_LAST_BITMAP 0xE0

/* Mode 01 live data: what one responder said. */
struct obd_pid_ecu {
	uint32_t rx_id;
	struct obd_pid_set supported;
	struct obd_pid_set answered; /* PIDs in values: an ECU repeating itself counts once */
	unsigned n_values;
	struct evgw_textbuf values; /* its PIDs, JSON objects separated by commas */
};

/* EVGW_DIAG_OBD_PIDS: the bitmap rounds, then the PID rounds. */
struct obd_pid_run {
	bool discovering;
	uint8_t base;               /* the bitmap PID being asked: 0x00, 0x20, ... 0xE0 */
	uint8_t ask[EVGW_DIAG_MAX_PIDS];
	unsigned n_ask, pos;        /* the PIDs to ask, the next one */
	uint8_t round[OBD_PIDS_PER_REQUEST];
	unsigned n_round;           /* the PIDs of the request in flight */
	unsigned n_ecus;
	struct obd_pid_ecu ecu[OBD_MAX_ECUS];
};

struct evgw_ecu_requests {
	struct evgw_daemon *d;
	struct evgw_station *st;
	struct evgw_bus *bus;
	struct uds_isotp u;
	struct obd_session obd;
	unsigned obd_step;        /* which mode of EVGW_DIAG_OBD_DTC is running */
	unsigned obd_items;       /* entries written to the result so far */
	struct obd_pid_run pids;
	struct evgw_timer timer;
	bool busy, kwp_fallback;
	struct evgw_diag_request req;
	evgw_diag_done_fn done;
	void *done_ud;
	struct evgw_textbuf result;
};

static int bus_send(void *ud, const struct evgw_frame *f)
{
	struct evgw_ecu_requests *g = ud;
	int r = evgw_bus_send(g->bus, f);
	if (r == 0)
		evgw_debug(&g->d->log, "bus %s: sent %03" PRIX32 " (%u bytes) to ECU 0x%03" PRIX32, g->bus->name,
			   f->id, f->len, g->req.tx_id);
	return r;
}

static bool is_obd(enum evgw_diag_kind k)
{
	return k == EVGW_DIAG_OBD_DTC || k == EVGW_DIAG_OBD_CLEAR || k == EVGW_DIAG_OBD_VIN ||
	       k == EVGW_DIAG_OBD_PIDS;
}

static void rearm(struct evgw_ecu_requests *g)
{
	int64_t now = evgw_now_mono_us();
	int64_t next = is_obd(g->req.kind) ? obd_session_poll(&g->obd, now) : uds_isotp_poll(&g->u, now);
	if (!g->busy || next == INT64_MAX)
		evgw_timer_arm(&g->timer, 0, 0);
	else
		evgw_timer_arm(&g->timer, next > now ? (uint64_t)(next - now) : 1, 0);
}

static void finish(struct evgw_ecu_requests *g, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void finish(struct evgw_ecu_requests *g, const char *code, const char *fmt, ...)
{
	char err[256] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, sizeof err, fmt, ap);
		va_end(ap);
	}
	g->busy = false;
	evgw_timer_arm(&g->timer, 0, 0);
	evgw_diag_done_fn done = g->done;
	g->done = NULL;
	if (done)
		done(g->done_ud, &g->result, code, code ? err : NULL);
}

/* A profile name, or null. */
static void put_name(struct evgw_textbuf *tb, const char *name)
{
	if (name[0])
		evgw_textbuf_json_string(tb, name, strlen(name), false);
	else
		evgw_textbuf_puts(tb, "null");
}

/* A VIN read names the vehicle session of the bus (logged on a change). */
static void name_vehicle(struct evgw_ecu_requests *g, const char *vin)
{
	int64_t id = evgw_faults_vehicle(&g->d->faults, g->bus->name, vin, evgw_now_real_us());
	if (id > 0)
		evgw_info(&g->d->log, "bus %s: vehicle %s (session %" PRId64 ")", g->bus->name, vin, id);
}

/* KWP2000 statusOfDTC storage state, bits 6-5 (diag/dtc.c): 11
 * presentAtRequest is active, 01 storedNotPresent stored, 10
 * maturingIntermittent (and 00) pending. */
static enum evgw_fault_status kwp_fault_status(uint8_t st)
{
	switch ((st >> 5) & 3) {
	case 3: return EVGW_FS_ACTIVE;
	case 1: return EVGW_FS_STORED;
	default: return EVGW_FS_PENDING;
	}
}

static enum evgw_fault_status dtc_status(uint8_t st)
{
	if (st & 0x01) /* testFailed */
		return EVGW_FS_ACTIVE;
	if (st & 0x08) /* confirmedDTC */
		return EVGW_FS_STORED;
	return EVGW_FS_PENDING;
}

/* The DTCs read become faults, and the answer's JSON array. */
static void dtcs_to_faults(struct evgw_ecu_requests *g, const struct uds_dtc_list *l, bool kwp)
{
	struct evgw_daemon *d = g->d;
	uint64_t codes[256];
	unsigned n = 0;
	int64_t now = evgw_now_real_us();
	struct evgw_fault t;
	memset(&t, 0, sizeof t);
	snprintf(t.bus, sizeof t.bus, "%s", g->bus->name);
	t.ecu = (int32_t)g->req.tx_id;
	const struct evgw_profile_ecu *pe = evgw_profile_ecu_by_request(g->st->profile, g->req.tx_id);
	snprintf(t.ecu_name, sizeof t.ecu_name, "%s", pe ? pe->name : ""); /* the address is t.ecu */
	const struct evgw_dtc_text *words = evgw_daemon_dtc_text(d, g->st);
	t.protocol = kwp ? EVGW_FP_KWP : EVGW_FP_UDS;
	t.severity = EVGW_SEV_WARNING;
	struct evgw_textbuf ff;
	evgw_textbuf_init(&ff);
	evgw_diag_freeze_frame(&ff, g->st, pe);
	evgw_textbuf_printf(&g->result, "{\"ecu\":%" PRIu32 ",\"ecu_name\":", g->req.tx_id);
	put_name(&g->result, t.ecu_name);
	evgw_textbuf_printf(&g->result, ",\"protocol\":\"%s\",\"dtcs\":[", kwp ? "kwp" : "uds");
	for (size_t i = 0; i < l->count; i++) {
		struct uds_dtc dtc;
		if (uds_dtc_list_get(l, i, &dtc) < 0)
			break;
		char code[32], bits[160];
		if (l->dtc_bytes == 2)
			dtc_format_2byte((uint16_t)dtc.code, code, sizeof code);
		else
			dtc_format_3byte(dtc.code, '-', code, sizeof code);
		if (kwp)
			kwp_dtc_status_str(dtc.status, bits, sizeof bits);
		else
			uds_dtc_status_str(dtc.status, bits, sizeof bits);
		if (i)
			evgw_textbuf_putc(&g->result, ',');
		if (l->dtc_bytes == 2)
			evgw_dtc_describe_obd(words, (uint16_t)dtc.code, t.description, sizeof t.description);
		else
			evgw_dtc_describe_uds(words, dtc.code, t.description, sizeof t.description);
		evgw_textbuf_printf(&g->result, "{\"code\":\"%s\",\"raw\":%" PRIu32 ",\"status\":%u,\"status_text\":",
				    code, dtc.code, dtc.status);
		evgw_textbuf_json_string(&g->result, bits, strlen(bits), false);
		t.status = kwp ? kwp_fault_status(dtc.status) : dtc_status(dtc.status);
		evgw_textbuf_printf(&g->result, ",\"fault_status\":\"%s\",\"description\":",
				    evgw_fault_status_name(t.status));
		evgw_textbuf_json_string(&g->result, t.description, strlen(t.description), false);
		evgw_textbuf_putc(&g->result, '}');
		t.raw_code = dtc.code;
		snprintf(t.code, sizeof t.code, "%s", code);
		evgw_faults_raise(&d->faults, &t, ff.failed ? NULL : ff.buf, now);
		if (n < sizeof codes / sizeof codes[0])
			codes[n++] = dtc.code;
	}
	evgw_textbuf_puts(&g->result, "]}");
	evgw_textbuf_free(&ff);
	/* What the ECU no longer reports is cleared. */
	evgw_faults_clear_absent(&d->faults, t.bus, t.protocol, t.ecu, 0, codes, n, now);
}

/* The profile's DIDs of this ECU with this identifier, decoded: the
 * first as name/value/unit, all of them in "values" (one DID may carry
 * several quantities). */
static void did_values(struct evgw_ecu_requests *g, const uint8_t *val, size_t len)
{
	const struct evgw_profile *p = g->st->profile;
	unsigned n = 0;
	for (unsigned i = 0; p && i < p->n_dids; i++) {
		const struct evgw_profile_did *pd = &p->dids[i];
		double v;
		if (pd->did != g->req.did || pd->ecu < 0 || p->ecus[pd->ecu].request != g->req.tx_id ||
		    evgw_profile_did_decode(pd, val, len, &v) < 0)
			continue;
		char one[160];
		struct evgw_textbuf *tb = &g->result;
		snprintf(one, sizeof one, "\"name\":\"%s\",\"value\":%.10g,\"unit\":", pd->name, v);
		if (!n) {
			evgw_textbuf_printf(tb, ",%s", one);
			evgw_textbuf_json_string(tb, pd->unit, strlen(pd->unit), false);
			evgw_textbuf_puts(tb, ",\"values\":[");
		} else {
			evgw_textbuf_putc(tb, ',');
		}
		evgw_textbuf_printf(tb, "{%s", one);
		evgw_textbuf_json_string(tb, pd->unit, strlen(pd->unit), false);
		evgw_textbuf_putc(tb, '}');
		n++;
	}
	if (n)
		evgw_textbuf_putc(&g->result, ']');
}

static void on_result(void *ud, const struct uds_result *r)
{
	struct evgw_ecu_requests *g = ud;
	if (!g->busy)
		return;
	if (r->rc < 0) {
		finish(g, "timeout", "no answer from ECU 0x%03" PRIX32 ": %s", g->req.tx_id, uds_rc_str(r->rc));
		return;
	}
	if (r->rc > 0) {
		if (g->req.kind == EVGW_DIAG_READ_DTC && !g->kwp_fallback && r->rc == UDS_NRC_SERVICE_NOT_SUPPORTED) {
			/* Older BYD modules: KWP2000 ReadDTCByStatus, all groups. */
			g->kwp_fallback = true;
			if (kwp_read_dtc_by_status(&g->u.client, 0x00, 0xFF00, 2, evgw_now_mono_us()) == 0) {
				rearm(g);
				return;
			}
		}
		finish(g, "negative_response", "ECU 0x%03" PRIX32 " refused: %s (NRC 0x%02X)", g->req.tx_id,
		       uds_nrc_name((uint8_t)r->rc), r->rc);
		return;
	}
	struct uds_dtc_list l;
	switch (g->req.kind) {
	case EVGW_DIAG_READ_DTC:
		if ((g->kwp_fallback ? kwp_parse_dtc_by_status(r->data, r->len, 0, &l)
				     : uds_parse_dtc_list(r->data, r->len, &l)) < 0) {
			finish(g, "bad_response", "ECU 0x%03" PRIX32 " sent a malformed DTC list", g->req.tx_id);
			return;
		}
		dtcs_to_faults(g, &l, g->kwp_fallback);
		break;
	case EVGW_DIAG_CLEAR_DTC:
		evgw_textbuf_printf(&g->result, "{\"ecu\":%" PRIu32 ",\"cleared\":true}", g->req.tx_id);
		for (unsigned i = 0; i < g->d->faults.n; i++) {
			struct evgw_fault *f = g->d->faults.faults[i];
			if ((f->protocol == EVGW_FP_UDS || f->protocol == EVGW_FP_KWP) &&
			    f->ecu == (int32_t)g->req.tx_id && !strcmp(f->bus, g->bus->name))
				evgw_faults_clear(&g->d->faults, f->bus, f->protocol, f->ecu, f->raw_code,
						  evgw_now_real_us());
		}
		break;
	case EVGW_DIAG_READ_DID: {
		const uint8_t *val;
		size_t len;
		if (uds_parse_did(r->data, r->len, g->req.did, &val, &len) < 0) {
			finish(g, "bad_response", "ECU 0x%03" PRIX32 " sent a malformed DID answer", g->req.tx_id);
			return;
		}
		evgw_textbuf_printf(&g->result, "{\"ecu\":%" PRIu32 ",\"did\":%u,\"hex\":\"", g->req.tx_id, g->req.did);
		for (size_t i = 0; i < len; i++)
			evgw_textbuf_printf(&g->result, "%02X", val[i]);
		evgw_textbuf_puts(&g->result, "\"");
		did_values(g, val, len);
		char vin[UDS_VIN_LEN + 1];
		if (g->req.did == 0xF190 && uds_parse_vin(r->data, r->len, vin) == 0) {
			evgw_textbuf_printf(&g->result, ",\"vin\":\"%s\"", vin);
			name_vehicle(g, vin);
		}
		evgw_textbuf_putc(&g->result, '}');
		break;
	}
	default: /* OBD-II requests report through obd_response */
		break;
	}
	finish(g, NULL, NULL);
}

/* ---- OBD-II ---- */

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
	if (g->req.kind == EVGW_DIAG_OBD_PIDS)
		len = pids_request(&g->pids, req, sizeof req);
	else if (g->req.kind == EVGW_DIAG_OBD_DTC)
		len = obd_build_request(req, sizeof req, obd_dtc_modes[g->obd_step], NULL, 0);
	else if (g->req.kind == EVGW_DIAG_OBD_CLEAR)
		len = obd_build_request(req, sizeof req, 0x04, NULL, 0);
	else {
		uint8_t pid = OBD_PID_VIN;
		len = obd_build_request(req, sizeof req, 0x09, &pid, 1);
	}
	return len < 0 ? len : obd_session_request(&g->obd, req, (size_t)len, evgw_now_mono_us());
}

static void obd_dtcs(struct evgw_ecu_requests *g, uint32_t rx_id, const uint8_t *data, size_t len)
{
	struct obd_dtc_list l;
	if (obd_parse_dtcs(data, len, true, &l) < 0)
		return;
	static const char *const kinds[] = {"stored", "pending", "permanent"};
	static const enum evgw_fault_status status[] = {EVGW_FS_STORED, EVGW_FS_PENDING, EVGW_FS_STORED};
	struct evgw_fault t;
	memset(&t, 0, sizeof t);
	snprintf(t.bus, sizeof t.bus, "%s", g->bus->name);
	/* The ECU answering on 0x7E8 is the one asked physically at 0x7E0:
	 * one address for it everywhere (the fault, the answer, read-dtc 7E0). */
	t.ecu = (int32_t)obd_physical_request_id(rx_id, false);
	const struct evgw_profile_ecu *ope = evgw_profile_ecu_by_request(g->st->profile, (uint32_t)t.ecu);
	snprintf(t.ecu_name, sizeof t.ecu_name, "%s", ope ? ope->name : "");
	t.protocol = EVGW_FP_OBD;
	t.severity = EVGW_SEV_WARNING;
	t.status = status[g->obd_step];
	struct evgw_textbuf ff;
	evgw_textbuf_init(&ff);
	evgw_diag_freeze_frame(&ff, g->st, ope);
	size_t pos = 0;
	uint16_t code;
	while (obd_dtc_next(&l, &pos, &code) == 1) {
		char text[16];
		dtc_format_2byte(code, text, sizeof text);
		if (g->obd_items++)
			evgw_textbuf_putc(&g->result, ',');
		t.raw_code = code;
		snprintf(t.code, sizeof t.code, "%s", text);
		evgw_dtc_describe_obd(evgw_daemon_dtc_text(g->d, g->st), code, t.description, sizeof t.description);
		evgw_textbuf_printf(&g->result, "{\"ecu\":%d,\"ecu_name\":", t.ecu);
		put_name(&g->result, t.ecu_name);
		evgw_textbuf_printf(&g->result, ",\"response_id\":%" PRIu32 ",\"code\":\"%s\",\"raw\":%u,\"kind\":\"%s\","
				    "\"fault_status\":\"%s\",\"description\":",
				    rx_id, text, code, kinds[g->obd_step], evgw_fault_status_name(t.status));
		evgw_textbuf_json_string(&g->result, t.description, strlen(t.description), false);
		evgw_textbuf_putc(&g->result, '}');
		evgw_faults_raise(&g->d->faults, &t, ff.failed ? NULL : ff.buf, evgw_now_real_us());
	}
	evgw_textbuf_free(&ff);
}

/* The responder's entry; a new one only while discovering (NULL when full). */
static struct obd_pid_ecu *pid_ecu(struct obd_pid_run *r, uint32_t rx_id)
{
	for (unsigned i = 0; i < r->n_ecus; i++)
		if (r->ecu[i].rx_id == rx_id)
			return &r->ecu[i];
	if (!r->discovering || r->n_ecus == OBD_MAX_ECUS)
		return NULL;
	struct obd_pid_ecu *e = &r->ecu[r->n_ecus++];
	e->rx_id = rx_id;
	memset(&e->supported, 0, sizeof e->supported);
	memset(&e->answered, 0, sizeof e->answered);
	e->n_values = 0;
	evgw_textbuf_reset(&e->values);
	return e;
}

/* One PID as JSON: name, the decoded value (0x01: MIL and DTC count), the bytes. */
static void pid_value(struct obd_pid_ecu *e, uint8_t pid, const uint8_t *v, size_t n)
{
	struct evgw_textbuf *tb = &e->values;
	const struct obd_pid_info *info = obd_pid_info(pid);
	struct obd_monitor_status ms;
	double val;
	if (obd_pid_set_has(&e->answered, pid))
		return;
	e->answered.bits[pid / 8] |= (uint8_t)(1u << (pid % 8));
	if (e->n_values++)
		evgw_textbuf_putc(tb, ',');
	evgw_textbuf_printf(tb, "{\"pid\":%u,\"name\":", pid);
	if (info)
		evgw_textbuf_json_string(tb, info->name, strlen(info->name), false);
	else
		evgw_textbuf_puts(tb, "null");
	if (pid == 0x01 && obd_decode_monitor_status(v, n, &ms) == 0) {
		evgw_textbuf_printf(tb, ",\"mil\":%s,\"dtc_count\":%u", ms.mil ? "true" : "false", ms.dtc_count);
	} else if (obd_decode_pid(pid, v, n, &val) == 0) {
		evgw_textbuf_puts(tb, ",\"value\":");
		evgw_textbuf_json_double(tb, val);
		evgw_textbuf_puts(tb, ",\"unit\":");
		evgw_textbuf_json_string(tb, info->unit, strlen(info->unit), false);
	}
	evgw_textbuf_puts(tb, ",\"hex\":\"");
	for (size_t i = 0; i < n; i++)
		evgw_textbuf_printf(tb, "%02X", v[i]);
	evgw_textbuf_puts(tb, "\"}");
}

/* 41 {PID data}*: a bitmap while discovering, else the PIDs of the round. */
static void pids_response(struct evgw_ecu_requests *g, uint32_t rx_id, const uint8_t *data, size_t len)
{
	struct obd_pid_run *r = &g->pids;
	struct obd_pid_cursor c;
	struct obd_pid_ecu *e;
	if (obd_mode01_begin(&c, data, len) < 0 || !(e = pid_ecu(r, rx_id)))
		return;
	uint8_t pid;
	const uint8_t *v;
	size_t n;
	while (obd_mode01_next(&c, &pid, &v, &n) == 1) {
		if (r->discovering) {
			if (pid == r->base)
				(void)obd_pid_set_add(&e->supported, pid, v, n);
			continue;
		}
		if (memchr(r->round, pid, r->n_round))
			pid_value(e, pid, v, n);
	}
}

/* After the bitmaps: the PIDs to ask, ascending, at most EVGW_DIAG_MAX_PIDS.
 * Those the request names, else every one obd_pid_info() knows; only PIDs
 * some ECU supports, never the bitmaps themselves. */
static void pids_plan(struct evgw_ecu_requests *g)
{
	struct obd_pid_run *r = &g->pids;
	struct obd_pid_set want;
	memset(&want, 0, sizeof want);
	for (unsigned i = 0; i < g->req.n_pids && i < EVGW_DIAG_MAX_PIDS; i++)
		want.bits[g->req.pids[i] / 8] |= (uint8_t)(1u << (g->req.pids[i] % 8));
	r->discovering = false;
	r->n_ask = r->pos = 0;
	for (unsigned pid = 1; pid <= 0xFF && r->n_ask < EVGW_DIAG_MAX_PIDS; pid++) {
		bool supported = false;
		for (unsigned i = 0; i < r->n_ecus; i++)
			supported |= obd_pid_set_has(&r->ecu[i].supported, (uint8_t)pid);
		if (!supported || !(pid & 0x1F))
			continue;
		if (g->req.n_pids ? obd_pid_set_has(&want, (uint8_t)pid) : obd_pid_info((uint8_t)pid) != NULL)
			r->ask[r->n_ask++] = (uint8_t)pid;
	}
}

/* {"protocol":"obd","ecus":[ is already there: one entry per ECU, by id. */
static void pids_result(struct evgw_ecu_requests *g)
{
	struct obd_pid_run *r = &g->pids;
	struct evgw_textbuf *tb = &g->result;
	unsigned done = 0;
	for (unsigned k = 0; k < r->n_ecus; k++) {
		unsigned best = OBD_MAX_ECUS;
		for (unsigned i = 0; i < r->n_ecus; i++)
			if (!(done & 1u << i) && (best == OBD_MAX_ECUS || r->ecu[i].rx_id < r->ecu[best].rx_id))
				best = i;
		done |= 1u << best;
		struct obd_pid_ecu *e = &r->ecu[best];
		evgw_textbuf_printf(tb, "%s{\"ecu\":%" PRIu32 ",\"supported\":[", k ? "," : "", e->rx_id);
		const char *sep = "";
		for (unsigned pid = 1; pid <= 0xFF; pid++)
			if (obd_pid_set_has(&e->supported, (uint8_t)pid)) {
				evgw_textbuf_printf(tb, "%s%u", sep, pid);
				sep = ",";
			}
		evgw_textbuf_puts(tb, "],\"pids\":[");
		if (e->values.len)
			evgw_textbuf_append(tb, e->values.buf, e->values.len);
		evgw_textbuf_puts(tb, "]}");
		if (e->values.failed)
			tb->failed = true;
	}
	evgw_textbuf_puts(tb, "]}");
}

/* One mode 01 round is over: the next bitmap while the last one says its
 * range goes on (bit 0 of D), then the PID rounds, then the answer. */
static void pids_done(struct evgw_ecu_requests *g)
{
	struct obd_pid_run *r = &g->pids;
	if (r->discovering && !r->n_ecus) {
		finish(g, "timeout", "no OBD-II ECU answered mode 01 on bus %s", g->bus->name);
		return;
	}
	if (r->discovering) {
		bool more = false;
		for (unsigned i = 0; i < r->n_ecus && r->base < OBD_LAST_BITMAP; i++)
			more |= obd_pid_set_has(&r->ecu[i].supported, (uint8_t)(r->base + 0x20));
		if (more)
			r->base += 0x20;
		else
			pids_plan(g);
	}
	if (!r->discovering && r->pos >= r->n_ask) {
		pids_result(g);
		if (g->result.failed)
			finish(g, "internal", "out of memory");
		else
			finish(g, NULL, NULL);
		return;
	}
	int rc = obd_send_step(g);
	if (rc < 0) {
		finish(g, "io_error", "cannot send on bus %s: %s", g->bus->name, strerror(-rc));
		return;
	}
	rearm(g);
}

static void obd_response(void *ud, uint32_t rx_id, const uint8_t *data, size_t len, int err)
{
	struct evgw_ecu_requests *g = ud;
	if (!g->busy || err < 0 || !len)
		return;
	if (g->req.kind == EVGW_DIAG_OBD_PIDS) {
		pids_response(g, rx_id, data, len);
	} else if (g->req.kind == EVGW_DIAG_OBD_DTC) {
		obd_dtcs(g, rx_id, data, len);
	} else if (g->req.kind == EVGW_DIAG_OBD_VIN) {
		char vin[OBD_VIN_LEN + 1];
		if (obd_parse_vin(data, len, vin) == 0) {
			name_vehicle(g, vin);
			if (g->obd_items++)
				evgw_textbuf_putc(&g->result, ',');
			evgw_textbuf_printf(&g->result, "{\"ecu\":%" PRIu32 ",\"vin\":\"%s\"}", rx_id, vin);
		}
	} else if (obd_parse_clear(data, len) == 0) {
		if (g->obd_items++)
			evgw_textbuf_putc(&g->result, ',');
		evgw_textbuf_printf(&g->result, "{\"ecu\":%" PRIu32 ",\"cleared\":true}", rx_id);
		for (unsigned i = 0; i < g->d->faults.n; i++) {
			struct evgw_fault *f = g->d->faults.faults[i];
			if (f->protocol == EVGW_FP_OBD && !strcmp(f->bus, g->bus->name) &&
			    f->ecu == (int32_t)obd_physical_request_id(rx_id, false))
				evgw_faults_clear(&g->d->faults, f->bus, f->protocol, f->ecu, f->raw_code,
						  evgw_now_real_us());
		}
	}
}

/* One functional request is done (every ECU answered or the window closed). */
static void obd_done(void *ud, unsigned responders)
{
	struct evgw_ecu_requests *g = ud;
	if (!g->busy)
		return;
	if (g->req.kind == EVGW_DIAG_OBD_PIDS) {
		pids_done(g);
		return;
	}
	if (g->req.kind == EVGW_DIAG_OBD_DTC && g->obd_step + 1 < sizeof obd_dtc_modes) {
		g->obd_step++;
		if (obd_send_step(g) == 0) {
			rearm(g);
			return;
		}
	}
	if (!responders && g->obd_step == 0) {
		finish(g, "timeout", "no OBD-II ECU answered on bus %s", g->bus->name);
		return;
	}
	evgw_textbuf_puts(&g->result, "]}");
	finish(g, NULL, NULL);
}

static void on_timer(struct evgw_loop *loop, struct evgw_timer *t)
{
	rearm(t->ud);
}

static void on_frame(void *ud, struct evgw_bus *bus, const struct evgw_frame *f)
{
	struct evgw_ecu_requests *g = ud;
	if (!g->busy || (f->flags & (EVGW_FRAME_EXT | EVGW_FRAME_ERR | EVGW_FRAME_RTR)))
		return;
	if (is_obd(g->req.kind)) {
		if (f->id >= 0x7E8 && f->id <= 0x7EF && obd_session_on_frame(&g->obd, f, evgw_now_mono_us()) &&
		    g->busy)
			rearm(g);
		return;
	}
	if (f->id == g->req.rx_id && uds_isotp_on_frame(&g->u, f, evgw_now_mono_us()) && g->busy)
		rearm(g);
}

int evgw_ecu_requests_attach(struct evgw_station *st, struct evgw_ecu_requests **out)
{
	struct evgw_daemon *d = st->d;
	struct evgw_bus *bus = st->bus;
	struct evgw_ecu_requests *g = calloc(1, sizeof *g);
	if (!g)
		return -ENOMEM;
	g->d = d;
	g->st = st;
	g->bus = bus;
	g->timer.io.fd = -1;
	evgw_textbuf_init(&g->result);
	for (unsigned i = 0; i < OBD_MAX_ECUS; i++)
		evgw_textbuf_init(&g->pids.ecu[i].values);
	int r = evgw_timer_init(&d->loop, &g->timer, on_timer, g);
	struct evgw_frame_listener l = {on_frame, g, false};
	if (r == 0)
		r = evgw_bus_add_listener(bus, &l);
	if (r < 0) {
		evgw_ecu_requests_free(g);
		return r;
	}
	*out = g;
	return 0;
}

void evgw_ecu_requests_free(struct evgw_ecu_requests *g)
{
	if (!g)
		return;
	if (g->busy)
		finish(g, "gone", "bus %s went away", g->bus->name);
	evgw_bus_remove_listener(g->bus, g);
	evgw_timer_fini(&g->d->loop, &g->timer);
	evgw_textbuf_free(&g->result);
	for (unsigned i = 0; i < OBD_MAX_ECUS; i++)
		evgw_textbuf_free(&g->pids.ecu[i].values);
	free(g);
}

int evgw_diag_run(struct evgw_ecu_requests *g, const struct evgw_diag_request *r, evgw_diag_done_fn done, void *ud)
{
	if (g->busy)
		return -EBUSY;
	if (g->bus->params.listen_only)
		return -EPERM;
	if (is_obd(r->kind)) {
		struct obd_session_cfg oc;
		obd_session_cfg_default(&oc);
		oc.on_response = obd_response;
		oc.on_done = obd_done;
		oc.ud = g;
		obd_session_init(&g->obd, &oc, bus_send, g);
		g->req = *r;
		g->done = done;
		g->done_ud = ud;
		g->obd_step = 0;
		g->obd_items = 0;
		g->pids.discovering = true;
		g->pids.base = 0x00;
		g->pids.n_ecus = 0;
		g->pids.n_ask = g->pids.pos = g->pids.n_round = 0;
		evgw_textbuf_reset(&g->result);
		evgw_textbuf_printf(&g->result, "{\"protocol\":\"obd\",\"%s\":[",
				    r->kind == EVGW_DIAG_OBD_DTC ? "dtcs" : "ecus");
		int rc = obd_send_step(g);
		if (rc < 0) {
			g->done = NULL;
			return rc;
		}
		g->busy = true;
		evgw_info(&g->d->log, "bus %s: OBD-II %s (functional 0x7DF)", g->bus->name,
			  r->kind == EVGW_DIAG_OBD_PIDS ? "mode 01 live data" : "request");
		rearm(g);
		return 0;
	}
	struct isotp_cfg cfg;
	isotp_cfg_default(&cfg, r->tx_id, r->rx_id);
	struct uds_timing t;
	uds_timing_default(&t);
	t.p2_us = 150000; /* USB adapters add latency to the standard 50 ms */
	int rc = uds_isotp_init(&g->u, &cfg, bus_send, g, &t, on_result, g);
	if (rc < 0)
		return rc;
	g->req = *r;
	g->kwp_fallback = false;
	g->done = done;
	g->done_ud = ud;
	evgw_textbuf_reset(&g->result);
	int64_t now = evgw_now_mono_us();
	switch (r->kind) {
	case EVGW_DIAG_READ_DTC:
		rc = uds_read_dtc_by_status(&g->u.client, 0xFF, now);
		break;
	case EVGW_DIAG_CLEAR_DTC:
		rc = uds_clear_dtc(&g->u.client, 0xFFFFFF, now);
		break;
	case EVGW_DIAG_READ_DID:
		rc = uds_read_did(&g->u.client, r->did, now);
		break;
	default:
		rc = -EINVAL;
	}
	if (rc < 0) {
		g->done = NULL;
		return rc;
	}
	g->busy = true;
	evgw_info(&g->d->log, "bus %s: diagnostic request %d to ECU 0x%03" PRIX32, g->bus->name, r->kind, r->tx_id);
	rearm(g);
	return 0;
}
