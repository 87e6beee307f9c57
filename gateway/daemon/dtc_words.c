// SPDX-License-Identifier: MIT
#include "daemon/dtc_words.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "charging/gbt27930_text.h"
#include "daemon/daemon.h"
#include "daemon/fault_sources.h"
#include "daemon/j1939_listener.h"
#include "vehicle/dtc_text.h"

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !memcmp(s + n - t, tail, t);
}

const char *evgw_daemon_dtc_words(struct evgw_daemon *d, const char *bus, enum evgw_fault_protocol p,
				  uint64_t raw, const char *code, const char *desc, const char *lang, char *out,
				  size_t cap)
{
	if (!cap)
		return out;
	if (!lang || !*lang || !strcmp(lang, "en") || p == EVGW_FP_DBC || !evgw_dtc_lang_known(lang)) {
		snprintf(out, cap, "%s", desc ? desc : "");
		return out;
	}
	const struct evgw_station *st = bus ? evgw_daemon_station(d, bus) : NULL;
	const struct evgw_dtc_text *words = evgw_daemon_dtc_text(d, st);
	switch (p) {
	case EVGW_FP_J1939:
		/* SPN | FMI << 19; a DM2 DTC said "(previously active)". */
		evgw_j1939_dtc_words(st ? st->bus : NULL, words, (uint32_t)(raw & 0x7FFFF), (unsigned)(raw >> 19) & 0x1F,
				     desc && ends_with(desc, " (previously active)"), lang, out, cap);
		break;
	case EVGW_FP_UDS:
	case EVGW_FP_KWP:
	case EVGW_FP_OBD:
		if (code && strchr(code, '-'))
			evgw_dtc_describe_uds_lang(words, lang, (uint32_t)(raw & 0xFFFFFF), out, cap);
		else
			evgw_dtc_describe_obd_lang(words, lang, (uint16_t)raw, out, cap);
		break;
	case EVGW_FP_GBT27930: {
		/* PGN << 32 | the message's fault bits (daemon/charging_faults.h). */
		int m = gbt_msg_of_pgn((uint32_t)(raw >> 32));
		if (m < 0 || !gbt_fault_text((enum gbt_msg)m, (uint32_t)raw, lang, out, cap))
			snprintf(out, cap, "%s", desc ? desc : "");
		break;
	}
	default:
		snprintf(out, cap, "%s", desc ? desc : "");
	}
	return out;
}
