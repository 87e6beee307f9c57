// SPDX-License-Identifier: MIT
/* The session tracker: see charging_session.h. */
#include "charging/charging_session.h"

#include <errno.h>
#include <string.h>

#include "charging/gbt27930_text.h"

static const uint8_t stop_msgs[EVGW_CHARGING_STOPS] = {GBT_BST, GBT_CST, GBT_BEM, GBT_CEM};

enum gbt_msg evgw_charging_stop_msg(unsigned slot)
{
	return slot < EVGW_CHARGING_STOPS ? (enum gbt_msg)stop_msgs[slot] : GBT_MSG_COUNT;
}

static int stop_slot(enum gbt_msg m)
{
	for (int i = 0; i < EVGW_CHARGING_STOPS; i++)
		if (stop_msgs[i] == m)
			return i;
	return -1;
}

const char *evgw_charging_outcome_name(enum evgw_charging_outcome o)
{
	switch (o) {
	case EVGW_CHARGING_RUNNING: return "running";
	case EVGW_CHARGING_NORMAL: return "normal";
	case EVGW_CHARGING_ABNORMAL: return "abnormal";
	case EVGW_CHARGING_LOST: return "lost";
	}
	return "";
}

void evgw_charging_init(struct evgw_charging *c, const struct evgw_charging_ops *ops, void *ud)
{
	memset(c, 0, sizeof *c);
	if (ops)
		c->ops = *ops;
	c->ud = ud;
}

static bool heard(const struct evgw_charging_session *s, enum gbt_msg m)
{
	return s->seen & (1u << m);
}

static enum evgw_charging_outcome outcome_of(const struct evgw_charging_session *s)
{
	bool stopped = false;
	for (unsigned i = 0; i < EVGW_CHARGING_STOPS; i++) {
		if (gbt_fault_bits((enum gbt_msg)stop_msgs[i], s->stop_bits[i]))
			return EVGW_CHARGING_ABNORMAL;
		stopped |= s->stop_us[i] != 0 && (stop_msgs[i] == GBT_BST || stop_msgs[i] == GBT_CST);
	}
	return stopped ? EVGW_CHARGING_NORMAL : EVGW_CHARGING_LOST;
}

static void finish(struct evgw_charging *c, int64_t now_us)
{
	struct evgw_charging_session *s = &c->cur;
	s->ended_us = s->last_us;
	s->outcome = (uint8_t)outcome_of(s);
	c->done[c->n_done % EVGW_CHARGING_HISTORY] = *s;
	c->n_done++;
	c->active = false;
	if (c->ops.ended)
		c->ops.ended(c->ud, &c->done[(c->n_done - 1) % EVGW_CHARGING_HISTORY], now_us);
}

void evgw_charging_poll(struct evgw_charging *c, int64_t now_us)
{
	if (c->active && now_us - c->cur.last_us >= EVGW_CHARGING_SILENCE_US)
		finish(c, now_us);
}

/* A session begins at stage, or (an error message first) at none known. */
static void begin(struct evgw_charging *c, enum gbt_stage stage, bool error, int64_t now_us)
{
	struct evgw_charging_session *s = &c->cur;
	memset(s, 0, sizeof *s);
	s->number = ++c->sessions;
	s->started_us = s->last_us = now_us;
	s->stage = error ? GBT_STAGE_HANDSHAKE : (uint8_t)stage;
	if (!error)
		s->stage_us[stage] = now_us;
	s->joined = error || stage >= GBT_STAGE_PARAMETERS;
	s->outcome = EVGW_CHARGING_RUNNING;
	c->active = true;
}

/* The newest finished session when m trails it: a stop, statistics or
 * error message within the silence after it. */
static struct evgw_charging_session *trailed(struct evgw_charging *c, enum gbt_msg m, int64_t now_us)
{
	if (c->active || !c->n_done || gbt_msg_info(m)->stage != GBT_STAGE_END)
		return NULL;
	struct evgw_charging_session *s = &c->done[(c->n_done - 1) % EVGW_CHARGING_HISTORY];
	return now_us - s->last_us < EVGW_CHARGING_SILENCE_US ? s : NULL;
}

/* A handshake or recognition message once the session is past recognition:
 * the charger started over (a new plug-in, or a retry after a timeout). */
static bool starts_over(const struct evgw_charging_session *s, const struct gbt_decoded *g)
{
	if (s->stage < GBT_STAGE_PARAMETERS)
		return false;
	return g->msg == GBT_CHM || g->msg == GBT_BHM || (g->msg == GBT_CRM && g->u.crm.recognised == 0x00);
}

static void store(struct evgw_charging_session *s, const struct gbt_decoded *g)
{
	switch (g->msg) {
	case GBT_CHM: s->chm = g->u.chm; break;
	case GBT_BHM: s->bhm = g->u.bhm; break;
	case GBT_CRM: s->crm = g->u.crm; break;
	case GBT_BRM: s->brm = g->u.brm; break;
	case GBT_BCP: s->bcp = g->u.bcp; break;
	case GBT_CML: s->cml = g->u.cml; break;
	case GBT_BRO: s->bro = g->u.ready.state; break;
	case GBT_CRO: s->cro = g->u.ready.state; break;
	case GBT_BCL: s->bcl = g->u.bcl; break;
	case GBT_BCS:
		s->bcs = g->u.bcs;
		if (!s->has_soc_first && g->u.bcs.soc != GBT_NA8) {
			s->soc_first = g->u.bcs.soc;
			s->has_soc_first = true;
		}
		break;
	case GBT_CCS:
		s->ccs = g->u.ccs;
		if (g->u.ccs.output_current_raw != GBT_NA16 &&
		    gbt_charge_da(g->u.ccs.output_current_raw) > s->peak_output_da)
			s->peak_output_da = gbt_charge_da(g->u.ccs.output_current_raw);
		break;
	case GBT_BSM: s->bsm = g->u.bsm; break;
	case GBT_BMV: s->bmv = g->u.bmv; break;
	case GBT_BMT: s->bmt = g->u.bmt; break;
	case GBT_BSD: s->bsd = g->u.bsd; break;
	case GBT_CSD: s->csd = g->u.csd; break;
	case GBT_CTS:
	case GBT_BSP:
	case GBT_BST:
	case GBT_CST:
	case GBT_BEM:
	case GBT_CEM:
	case GBT_MSG_COUNT:
		break;
	}
}

/* A stop or error message: its bits, and the faults not yet told. */
static void stopped(struct evgw_charging *c, struct evgw_charging_session *s, const struct gbt_decoded *g,
		    int64_t now_us)
{
	int k = stop_slot(g->msg);
	if (k < 0)
		return;
	/* Fields are ORed: a later "normal" frame does not unsay a fault. */
	s->stop_bits[k] |= g->u.stop.bits;
	if (!s->stop_us[k])
		s->stop_us[k] = now_us;
	uint32_t fb = gbt_fault_bits(g->msg, s->stop_bits[k]);
	if ((fb & ~s->told[k]) == 0)
		return;
	s->told[k] = fb;
	if (c->ops.fault)
		c->ops.fault(c->ud, s, g->msg, fb, now_us);
}

/* Is this message GB/T 27930 in its own direction? A BMS message comes from
 * 0xF4 to the charger (or to everyone: BAM), a charger message the other way. */
static bool ours(const struct gbt_msg_info *mi, uint8_t sa, uint8_t da)
{
	uint8_t from = mi->from_bms ? GBT_SA_BMS : GBT_SA_CHARGER;
	uint8_t to = mi->from_bms ? GBT_SA_CHARGER : GBT_SA_BMS;
	return sa == from && (da == to || da == 0xFF);
}

int evgw_charging_rx(struct evgw_charging *c, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data,
		     size_t len, int64_t now_us)
{
	int m = gbt_msg_of_pgn(pgn);
	if (m < 0 || !ours(gbt_msg_info((enum gbt_msg)m), sa, da))
		return 0;
	struct gbt_decoded g;
	if (gbt_decode(pgn, data, len, &g) < 0) {
		c->malformed++;
		return -EBADMSG;
	}
	c->messages++;
	evgw_charging_poll(c, now_us);
	struct evgw_charging_session *s = trailed(c, g.msg, now_us);
	if (s) {
		s->last_us = now_us;
		s->seen |= 1u << g.msg;
		store(s, &g);
		return 1;
	}
	if (c->active && starts_over(&c->cur, &g))
		finish(c, now_us);
	enum gbt_stage st = (enum gbt_stage)gbt_msg_info(g.msg)->stage;
	/* Errors say where a stage failed; they begin no stage of their own. */
	bool error = g.msg == GBT_BEM || g.msg == GBT_CEM;
	if (!c->active)
		begin(c, st, error, now_us);
	s = &c->cur;
	s->last_us = now_us;
	s->seen |= 1u << g.msg;
	if (!error && st > s->stage) {
		s->stage = (uint8_t)st;
		s->stage_us[st] = now_us;
	}
	store(s, &g);
	stopped(c, s, &g, now_us);
	if (s->stage == GBT_STAGE_END && heard(s, GBT_BSD) && heard(s, GBT_CSD))
		finish(c, now_us);
	return 1;
}

const struct evgw_charging_session *evgw_charging_current(const struct evgw_charging *c)
{
	return c->active ? &c->cur : NULL;
}

const struct evgw_charging_session *evgw_charging_finished(const struct evgw_charging *c, unsigned i)
{
	if (i >= c->n_done || i >= EVGW_CHARGING_HISTORY)
		return NULL;
	return &c->done[(c->n_done - 1 - i) % EVGW_CHARGING_HISTORY];
}
