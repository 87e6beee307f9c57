// SPDX-License-Identifier: MIT
/* A fault as the API shows it. */
#include <inttypes.h>
#include <string.h>

#include "api/api_internal.h"
#include "daemon/dtc_words.h"
#include "faults/fault.h"

static void str(struct evgw_textbuf *tb, const char *key, const char *v)
{
	evgw_textbuf_printf(tb, ",\"%s\":", key);
	evgw_textbuf_json_string(tb, v, strlen(v), false);
}

/* An empty text is "none": null, not "". */
static void str_or_null(struct evgw_textbuf *tb, const char *key, const char *v)
{
	if (v[0])
		str(tb, key, v);
	else
		evgw_textbuf_printf(tb, ",\"%s\":null", key);
}

static void ts(struct evgw_textbuf *tb, const char *key, int64_t us)
{
	evgw_textbuf_printf(tb, ",\"%s\":%" PRId64 ".%06" PRId64, key, us / 1000000, us % 1000000);
}

const char *api_fault_words(struct evgw_daemon *d, const struct evgw_fault *f, const char *lang, char *buf,
			    size_t cap)
{
	if (!lang || !strcmp(lang, "en"))
		return f->description;
	return evgw_daemon_dtc_words(d, f->bus, f->protocol, f->raw_code, f->code, f->description, lang, buf, cap);
}

void api_fault_json(struct evgw_textbuf *tb, const struct evgw_fault *f, const char *description)
{
	evgw_textbuf_printf(tb, "{\"id\":%" PRId64 ",\"session\":%" PRId64, f->id, f->session_id);
	str(tb, "bus", f->bus);
	if (f->ecu >= 0)
		evgw_textbuf_printf(tb, ",\"ecu\":%d", f->ecu);
	else
		evgw_textbuf_puts(tb, ",\"ecu\":null");
	str_or_null(tb, "ecu_name", f->ecu_name);
	str(tb, "protocol", evgw_fault_protocol_name(f->protocol));
	str(tb, "code", f->code);
	/* Below 2^53 for every protocol (a JSON double holds it exactly);
	 * older stores may hold larger DBC hashes: those are cut the same way. */
	evgw_textbuf_printf(tb, ",\"raw_code\":%" PRIu64, f->raw_code & (((uint64_t)1 << 53) - 1));
	str(tb, "description", description ? description : f->description);
	str(tb, "status", evgw_fault_status_name(f->status));
	str(tb, "severity", evgw_fault_severity_name(f->severity));
	evgw_textbuf_printf(tb, ",\"unconfirmed\":%s", f->unconfirmed ? "true" : "false");
	str_or_null(tb, "lamp", f->lamp);
	ts(tb, "first_seen", f->first_seen_us);
	ts(tb, "last_seen", f->last_seen_us);
	evgw_textbuf_printf(tb, ",\"occurrences\":%" PRIu32 ",\"freeze_frame\":", f->occurrences);
	/* Stored as JSON text by the daemon itself. */
	evgw_textbuf_puts(tb, f->freeze_frame && *f->freeze_frame ? f->freeze_frame : "{}");
	evgw_textbuf_putc(tb, '}');
}
