// SPDX-License-Identifier: MIT
#include "faults/fault_members.h"

#include <inttypes.h>
#include <string.h>

static void str(struct evgw_textbuf *tb, const char *key, const char *v)
{
	evgw_textbuf_printf(tb, ",\"%s\":", key);
	evgw_textbuf_json_string(tb, v, strlen(v), false);
}

/* An empty text is "none": null, not "". */
static void str_or_null(struct evgw_textbuf *tb, const char *key, const char *v)
{
	if (v && v[0])
		str(tb, key, v);
	else
		evgw_textbuf_printf(tb, ",\"%s\":null", key);
}

static void ts(struct evgw_textbuf *tb, const char *key, int64_t us)
{
	evgw_textbuf_printf(tb, ",\"%s\":%" PRId64 ".%06" PRId64, key, us / 1000000, us % 1000000);
}

void evgw_fault_json_members(struct evgw_textbuf *tb, const struct evgw_fault *f, const char *description)
{
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
	/* JSON text the daemon wrote itself. */
	evgw_textbuf_puts(tb, f->freeze_frame && *f->freeze_frame ? f->freeze_frame : "{}");
	evgw_textbuf_putc(tb, '}');
}
