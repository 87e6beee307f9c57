// SPDX-License-Identifier: MIT
#include "daemon/charging_faults.h"

#include <stdio.h>
#include <string.h>

#include "charging/gbt27930_text.h"
#include "daemon/daemon.h"
#include "daemon/fault_sources.h"
#include "daemon/log.h"
#include "daemon/station.h"
#include "util/textbuf.h"
#include "vehicle/profile.h"

static bool from_sa(const void *ud, const struct evgw_bus *bus, unsigned db, const struct dbc_message *m,
		    const struct dbc_signal *sig, const struct evgw_sig_slot *slot)
{
	return slot->sa == *(const uint8_t *)ud;
}

static void fault_of(const struct evgw_station *st, enum gbt_msg m, uint32_t bits, struct evgw_fault *t)
{
	const struct gbt_msg_info *mi = gbt_msg_info(m);
	uint8_t sa = mi->from_bms ? GBT_SA_BMS : GBT_SA_CHARGER;
	const struct evgw_profile_ecu *pe = evgw_profile_ecu_by_address(st->profile, sa);
	memset(t, 0, sizeof *t);
	snprintf(t->bus, sizeof t->bus, "%s", st->bus->name);
	t->ecu = sa;
	snprintf(t->ecu_name, sizeof t->ecu_name, "%s", pe ? pe->name : gbt_reason_side(m));
	t->protocol = EVGW_FP_GBT27930;
	t->raw_code = (uint64_t)mi->pgn << 32 | bits;
	snprintf(t->code, sizeof t->code, "%s %02X %02X %02X %02X", mi->name, bits & 0xFFu, (bits >> 8) & 0xFFu,
		 (bits >> 16) & 0xFFu, bits >> 24);
	gbt_fault_text(m, bits, "en", t->description, sizeof t->description);
	t->status = EVGW_FS_ACTIVE; /* set: each session that stops so is one more occurrence */
	t->severity = EVGW_SEV_ERROR;
}

static void on_fault(void *ud, const struct evgw_charging_session *s, enum gbt_msg m, uint32_t bits, int64_t now_us)
{
	struct evgw_station *st = ud;
	struct evgw_daemon *d = st->d;
	struct evgw_fault t;
	fault_of(st, m, bits, &t);
	uint8_t sa = (uint8_t)t.ecu;
	const char *freeze = NULL;
	struct evgw_textbuf ff;
	evgw_textbuf_init(&ff);
	if (!evgw_faults_find(&d->faults, t.bus, t.protocol, t.ecu, t.raw_code)) {
		if (!evgw_profile_freeze_frame(&ff, st, evgw_profile_ecu_by_address(st->profile, sa)))
			evgw_freeze_frame(&ff, st->bus, from_sa, &sa);
		freeze = ff.failed ? NULL : ff.buf;
	}
	evgw_info(&d->log, "bus %s: charging session %u: %s", t.bus, s->number, t.description);
	if (evgw_faults_raise(&d->faults, &t, freeze, now_us) < 0)
		evgw_warn(&d->log, "bus %s: the fault store could not record %s", t.bus, t.code);
	evgw_textbuf_free(&ff);
}

static void on_ended(void *ud, const struct evgw_charging_session *s, int64_t now_us)
{
	struct evgw_station *st = ud;
	struct evgw_daemon *d = st->d;
	evgw_info(&d->log, "bus %s: charging session %u ended (%s)", st->bus->name, s->number,
		  evgw_charging_outcome_name((enum evgw_charging_outcome)s->outcome));
	if (s->outcome != EVGW_CHARGING_NORMAL)
		return;
	evgw_faults_clear_absent(&d->faults, st->bus->name, EVGW_FP_GBT27930, GBT_SA_BMS, 0, NULL, 0, now_us);
	evgw_faults_clear_absent(&d->faults, st->bus->name, EVGW_FP_GBT27930, GBT_SA_CHARGER, 0, NULL, 0, now_us);
}

const struct evgw_charging_ops evgw_charging_fault_ops = {on_fault, on_ended};
