// SPDX-License-Identifier: MIT
/* libFuzzer target: the GB/T 27930 decoder and the session tracker.
 * Input: records of [message index (mod 22), time step in 10 ms units,
 * length, payload...] (a record cut short takes what is left). Each payload
 * is copied to an exact-size buffer so that ASan sees any overread, decoded,
 * and fed to one tracker. Checks: decode returns 0 or -EBADMSG only, the
 * fields stay in their bit widths, the reasons text stays bounded, the
 * tracker's sessions are numbered in order and their stages in time. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charging/charging_session.h"
#include "charging/gbt27930.h"
#include "charging/gbt27930_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct evgw_charging tracker;

static void check_decoded(const struct gbt_decoded *g, size_t len)
{
	char text[64];
	switch (g->msg) {
	case GBT_BCS:
		if (g->u.bcs.max_cell_cv > 0x0FFF || g->u.bcs.max_cell_group > 15)
			abort();
		break;
	case GBT_BMV:
		if (g->u.bmv.cells != len / 2 || g->u.bmv.cells > GBT_MAX_CELLS || g->u.bmv.min_cv > g->u.bmv.max_cv ||
		    g->u.bmv.max_cv > 0x0FFF || g->u.bmv.min_cell > g->u.bmv.cells || g->u.bmv.max_cell > g->u.bmv.cells)
			abort();
		break;
	case GBT_BMT:
		if (g->u.bmt.probes != len || g->u.bmt.min_raw > g->u.bmt.max_raw || g->u.bmt.max_probe > len)
			abort();
		break;
	case GBT_BRM:
		if (strlen(g->u.brm.maker) > 4 || strlen(g->u.brm.vin) > 17 || (g->u.brm.has_ext && len < 41))
			abort();
		break;
	case GBT_BST:
	case GBT_CST:
	case GBT_BEM:
	case GBT_CEM:
		if (gbt_fault_bits(g->msg, g->u.stop.bits) & ~0x55555555u)
			abort();
		if (gbt_reasons_text(g->msg, g->u.stop.bits, false, text, sizeof text) >= sizeof text ||
		    strlen(text) >= sizeof text)
			abort();
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	evgw_charging_init(&tracker, NULL, NULL);
	int64_t now = 1000000;
	uint32_t last_number = 0;
	size_t at = 0;
	while (at + 3 <= size) {
		enum gbt_msg m = (enum gbt_msg)(data[at] % GBT_MSG_COUNT);
		now += (int64_t)data[at + 1] * 10000;
		size_t len = data[at + 2];
		at += 3;
		if (len > size - at)
			len = size - at;
		uint8_t *p = malloc(len ? len : 1);
		if (!p)
			return 0;
		memcpy(p, data + at, len);
		at += len;
		const struct gbt_msg_info *mi = gbt_msg_info(m);
		struct gbt_decoded g;
		int rc = gbt_decode(mi->pgn, p, len, &g);
		if (rc == 0)
			check_decoded(&g, len);
		else if (rc != -EBADMSG)
			abort();
		uint8_t sa = mi->from_bms ? GBT_SA_BMS : GBT_SA_CHARGER, da = mi->from_bms ? GBT_SA_CHARGER : 0xFF;
		int r = evgw_charging_rx(&tracker, mi->pgn, sa, da, p, len, now);
		if (r != (rc == 0 ? 1 : -EBADMSG))
			abort();
		free(p);
		const struct evgw_charging_session *s = evgw_charging_current(&tracker);
		if (s) {
			if (s->number < last_number || s->stage >= GBT_STAGE_COUNT || s->last_us > now)
				abort();
			last_number = s->number;
			for (unsigned k = 0; k < GBT_STAGE_COUNT; k++)
				if (s->stage_us[k] && (s->stage_us[k] < s->started_us || s->stage_us[k] > now))
					abort();
		}
	}
	evgw_charging_poll(&tracker, now + EVGW_CHARGING_SILENCE_US);
	if (evgw_charging_current(&tracker))
		abort();
	for (unsigned i = 0; evgw_charging_finished(&tracker, i); i++) {
		const struct evgw_charging_session *s = evgw_charging_finished(&tracker, i);
		if (s->outcome == EVGW_CHARGING_RUNNING || s->ended_us < s->started_us)
			abort();
		if (i && s->number >= evgw_charging_finished(&tracker, i - 1)->number)
			abort();
	}
	return 0;
}
