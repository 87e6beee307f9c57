// SPDX-License-Identifier: MIT
#include "faults/fault_members.h"

#include <inttypes.h>
#include <string.h>

#include "util/json_member.h"

void evgw_fault_json_members(struct evgw_textbuf *tb, const struct evgw_fault *f, const char *description)
{
	evgw_json_member_str(tb, "bus", f->bus);
	if (f->ecu >= 0)
		evgw_textbuf_printf(tb, ",\"ecu\":%d", f->ecu);
	else
		evgw_textbuf_puts(tb, ",\"ecu\":null");
	evgw_json_member_str_or_null(tb, "ecu_name", f->ecu_name);
	evgw_json_member_str(tb, "protocol", evgw_fault_protocol_name(f->protocol));
	evgw_json_member_str(tb, "code", f->code);
	/* Below 2^53 for every protocol (a JSON double holds it exactly);
	 * older stores may hold larger DBC hashes: those are cut the same way. */
	evgw_textbuf_printf(tb, ",\"raw_code\":%" PRIu64, f->raw_code & (((uint64_t)1 << 53) - 1));
	evgw_json_member_str(tb, "description", description ? description : f->description);
	evgw_json_member_str(tb, "status", evgw_fault_status_name(f->status));
	evgw_json_member_str(tb, "severity", evgw_fault_severity_name(f->severity));
	evgw_textbuf_printf(tb, ",\"unconfirmed\":%s", f->unconfirmed ? "true" : "false");
	evgw_json_member_str_or_null(tb, "lamp", f->lamp);
	evgw_json_member_time(tb, "first_seen", f->first_seen_us);
	evgw_json_member_time(tb, "last_seen", f->last_seen_us);
	evgw_textbuf_printf(tb, ",\"occurrences\":%" PRIu32 ",\"freeze_frame\":", f->occurrences);
	/* JSON text the daemon wrote itself. */
	evgw_textbuf_puts(tb, f->freeze_frame && *f->freeze_frame ? f->freeze_frame : "{}");
	evgw_textbuf_putc(tb, '}');
}
