// SPDX-License-Identifier: MIT
/* A fault as the API shows it. */
#include <inttypes.h>
#include <string.h>

#include "api/api_internal.h"
#include "daemon/dtc_words.h"
#include "faults/fault.h"
#include "faults/fault_members.h"

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
	evgw_fault_json_members(tb, f, description);
}
