// SPDX-License-Identifier: MIT
/* An ECU request's answer (daemon/ecu_result.h) as the socket's reply:
 * {"target","profile","asked","answered","ecus":[...]}, one entry per ECU
 * with its result or its error; an error reply when no ECU answered. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "daemon/dtc_words.h"
#include "daemon/ecu_result.h"
#include "diag/dtc.h"
#include "vehicle/profile.h"

static enum api_error err_code(enum evgw_ecu_err e)
{
	switch (e) {
	case EVGW_ECU_OK: return API_ERR_NONE;
	case EVGW_ECU_TIMEOUT: return API_ERR_TIMEOUT;
	case EVGW_ECU_NEGATIVE: return API_ERR_NEGATIVE_RESPONSE;
	case EVGW_ECU_BAD_RESPONSE: return API_ERR_BAD_RESPONSE;
	case EVGW_ECU_IO: return API_ERR_IO_ERROR;
	case EVGW_ECU_GONE: return API_ERR_GONE;
	case EVGW_ECU_ADDRESS_IN_USE: return API_ERR_ADDRESS_IN_USE;
	case EVGW_ECU_UNSUPPORTED: return API_ERR_UNSUPPORTED;
	}
	return API_ERR_INTERNAL;
}

static void key(struct evgw_textbuf *tb, const char *k)
{
	evgw_textbuf_printf(tb, ",\"%s\":", k);
}

static void str_or_null(struct evgw_textbuf *tb, const char *k, const char *v)
{
	key(tb, k);
	api_json_str(tb, v && *v ? v : NULL);
}

static void id_or_null(struct evgw_textbuf *tb, const char *k, int32_t v)
{
	if (v >= 0)
		evgw_textbuf_printf(tb, ",\"%s\":%" PRId32, k, v);
	else
		evgw_textbuf_printf(tb, ",\"%s\":null", k);
}

static void hex(struct evgw_textbuf *tb, const uint8_t *p, size_t n)
{
	key(tb, "hex");
	evgw_textbuf_putc(tb, '"');
	for (size_t i = 0; i < n; i++)
		evgw_textbuf_printf(tb, "%02X", p[i]);
	evgw_textbuf_putc(tb, '"');
}

/* The language DTC texts are given in (the request's "lang"). */
struct words {
	struct evgw_daemon *d; /* NULL: as recorded (English) */
	const char *bus, *lang;
};

static void dtc_json(struct evgw_textbuf *tb, enum evgw_fault_protocol p, const struct evgw_ecu_dtc *d,
		     const struct words *w)
{
	evgw_textbuf_puts(tb, "{\"code\":");
	api_json_str(tb, d->code);
	evgw_textbuf_printf(tb, ",\"raw\":%" PRIu32, d->raw);
	if (d->status >= 0) {
		char bits[160] = "";
		if (p == EVGW_FP_KWP)
			kwp_dtc_status_str((uint8_t)d->status, bits, sizeof bits);
		else
			uds_dtc_status_str((uint8_t)d->status, bits, sizeof bits);
		evgw_textbuf_printf(tb, ",\"status\":%d", d->status);
		str_or_null(tb, "status_text", bits);
	}
	if (d->obd_kind)
		str_or_null(tb, "kind", d->obd_kind);
	if (d->j1939)
		evgw_textbuf_printf(tb, ",\"spn\":%" PRIu32 ",\"fmi\":%u,\"oc\":%u", d->spn, d->fmi, d->oc);
	str_or_null(tb, "fault_status", d->fault_status ? evgw_fault_status_name(d->fault_status) : NULL);
	char text[EVGW_FAULT_TEXT];
	const char *desc = d->description;
	if (w && w->d)
		desc = evgw_daemon_dtc_words(w->d, w->bus, d->j1939 ? EVGW_FP_J1939 : p,
					     d->j1939 ? d->spn | ((uint64_t)d->fmi << 19) : d->raw, d->code, d->description,
					     w->lang, text, sizeof text);
	str_or_null(tb, "description", desc);
	evgw_textbuf_putc(tb, '}');
}

static void values_json(struct evgw_textbuf *tb, const struct evgw_ecu_entry *e)
{
	if (!e->n_values)
		return;
	/* The first quantity as name/value/unit, all of them in "values". */
	for (unsigned i = 0; i <= e->n_values; i++) {
		const struct evgw_ecu_value *v = &e->values[i ? i - 1 : 0];
		if (i == 1)
			evgw_textbuf_puts(tb, ",\"values\":[");
		if (i > 1)
			evgw_textbuf_putc(tb, ',');
		evgw_textbuf_puts(tb, i ? "{\"name\":" : ",\"name\":");
		api_json_str(tb, v->name);
		evgw_textbuf_puts(tb, ",\"value\":");
		evgw_textbuf_json_double(tb, v->value);
		evgw_textbuf_puts(tb, ",\"unit\":");
		api_json_str(tb, v->unit);
		if (i)
			evgw_textbuf_putc(tb, '}');
	}
	evgw_textbuf_putc(tb, ']');
}

static void pids_json(struct evgw_textbuf *tb, const struct evgw_ecu_entry *e)
{
	evgw_textbuf_puts(tb, ",\"supported\":[");
	const char *sep = "";
	for (unsigned pid = 1; pid <= 0xFF; pid++)
		if (obd_pid_set_has(&e->supported, (uint8_t)pid)) {
			evgw_textbuf_printf(tb, "%s%u", sep, pid);
			sep = ",";
		}
	evgw_textbuf_puts(tb, "],\"pids\":[");
	for (unsigned i = 0; i < e->n_pids; i++) {
		const struct evgw_ecu_pid *p = &e->pids[i];
		evgw_textbuf_printf(tb, "%s{\"pid\":%u,\"name\":", i ? "," : "", p->pid);
		api_json_str(tb, p->info ? p->info->name : NULL);
		if (p->has_monitor) {
			evgw_textbuf_printf(tb, ",\"mil\":%s,\"dtc_count\":%u", p->mil ? "true" : "false", p->dtc_count);
		} else if (p->has_value && p->info) {
			evgw_textbuf_puts(tb, ",\"value\":");
			evgw_textbuf_json_double(tb, p->value);
			str_or_null(tb, "unit", p->info->unit);
		}
		hex(tb, p->data, p->len);
		evgw_textbuf_putc(tb, '}');
	}
	evgw_textbuf_putc(tb, ']');
}

static const char *ack_name(int8_t a)
{
	static const char *const names[] = {"ack", "nack", "access_denied", "cannot_respond"};
	return a >= 0 && a < 4 ? names[a] : NULL;
}

static void entry_json(struct evgw_textbuf *tb, enum evgw_ecu_ask ask, const struct evgw_ecu_entry *e,
		       const struct words *w)
{
	evgw_textbuf_puts(tb, "{\"ecu\":");
	if (e->ecu >= 0)
		evgw_textbuf_printf(tb, "%" PRId32, e->ecu);
	else
		evgw_textbuf_puts(tb, "null");
	str_or_null(tb, "ecu_name", e->name);
	str_or_null(tb, "protocol", evgw_fault_protocol_name(e->protocol));
	id_or_null(tb, "request_id", e->request_id);
	id_or_null(tb, "response_id", e->response_id);
	if (e->err) {
		evgw_textbuf_puts(tb, ",\"ok\":false,\"error\":{\"code\":");
		api_json_str(tb, api_error_info(err_code(e->err))->code);
		evgw_textbuf_puts(tb, ",\"message\":");
		api_json_str(tb, e->message);
		if (e->err == EVGW_ECU_NEGATIVE)
			evgw_textbuf_printf(tb, ",\"nrc\":%u", e->nrc);
		evgw_textbuf_puts(tb, "}}");
		return;
	}
	evgw_textbuf_puts(tb, ",\"ok\":true");
	switch (ask) {
	case EVGW_ASK_READ_DTC:
		evgw_textbuf_puts(tb, ",\"dtcs\":[");
		for (unsigned i = 0; i < e->n_dtcs; i++) {
			if (i)
				evgw_textbuf_putc(tb, ',');
			dtc_json(tb, e->protocol, &e->dtcs[i], w);
		}
		evgw_textbuf_putc(tb, ']');
		break;
	case EVGW_ASK_CLEAR_DTC:
		evgw_textbuf_printf(tb, ",\"cleared\":%s", e->cleared ? "true" : "false");
		if (ack_name(e->j1939_ack))
			str_or_null(tb, "result", ack_name(e->j1939_ack));
		break;
	case EVGW_ASK_READ_DID:
	case EVGW_ASK_VIN:
		if (e->has_did) {
			evgw_textbuf_printf(tb, ",\"did\":%u", e->did);
			hex(tb, e->data, e->len);
		}
		if (e->vin[0])
			str_or_null(tb, "vin", e->vin);
		values_json(tb, e);
		break;
	case EVGW_ASK_READ_PIDS:
		pids_json(tb, e);
		break;
	}
	evgw_textbuf_putc(tb, '}');
}

static void entries_json(struct evgw_textbuf *tb, const struct evgw_ecu_result *r, const struct words *w)
{
	evgw_textbuf_puts(tb, "[");
	for (unsigned i = 0; i < r->n; i++) {
		if (i)
			evgw_textbuf_putc(tb, ',');
		entry_json(tb, r->ask, &r->entries[i], w);
	}
	evgw_textbuf_puts(tb, "]");
}

/* No ECU answered: one ECU's own error, or for several the request's. */
static void reply_failure(struct evgw_client *c, const char *id_json, const struct evgw_ecu_result *r)
{
	bool one = r->asked == 1 && r->n == 1;
	enum api_error code = API_ERR_TIMEOUT;
	const char *message = NULL;
	char msg[256];
	if (one) {
		code = err_code(r->entries[0].err);
		message = r->entries[0].message;
	} else if (r->err) {
		code = err_code(r->err);
		message = r->message;
	} else {
		bool all_timeouts = true;
		for (unsigned i = 0; i < r->n; i++)
			all_timeouts &= r->entries[i].err == EVGW_ECU_TIMEOUT;
		if (!all_timeouts)
			code = err_code(r->entries[0].err);
		if (r->kind == EVGW_TARGET_OBD)
			snprintf(msg, sizeof msg, "no ECU answered the OBD-II functional request (0x7DF)");
		else if (r->kind == EVGW_TARGET_J1939)
			snprintf(msg, sizeof msg, "no J1939 ECU answered within 1.25 s");
		else
			snprintf(msg, sizeof msg, "no ECU answered: %u asked, %u failed", r->n, r->n);
		message = msg;
	}
	struct evgw_textbuf extra;
	evgw_textbuf_init(&extra);
	if (!one && r->n) {
		evgw_textbuf_puts(&extra, ",\"ecus\":");
		entries_json(&extra, r, NULL);
	}
	api_reply_error_with(c, id_json, code, message, &extra);
	evgw_textbuf_free(&extra);
}

void api_reply_ecu(struct evgw_client *c, const char *id_json, const struct evgw_ecu_result *r, const char *bus,
		   const char *lang)
{
	struct words w = {lang && strcmp(lang, "en") ? c->api->d : NULL, bus, lang};
	unsigned answered = evgw_ecu_result_answered(r);
	if (!answered) {
		reply_failure(c, id_json, r);
		return;
	}
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "{\"target\":");
	api_json_str(&tb, r->target);
	str_or_null(&tb, "profile", r->profile);
	if (r->asked >= 0)
		evgw_textbuf_printf(&tb, ",\"asked\":%d", r->asked);
	else
		evgw_textbuf_puts(&tb, ",\"asked\":null");
	evgw_textbuf_printf(&tb, ",\"answered\":%u,\"ecus\":", answered);
	entries_json(&tb, r, &w);
	evgw_textbuf_putc(&tb, '}');
	if (tb.failed)
		api_reply_error(c, id_json, API_ERR_INTERNAL, "out of memory");
	else
		api_reply_ok(c, id_json, &tb);
	evgw_textbuf_free(&tb);
}
