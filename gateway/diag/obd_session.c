// SPDX-License-Identifier: MIT
/* Functional OBD-II request, answers sorted by responder (ISO 15765-4). */
#include <string.h>

#include "diag/obd_session.h"

void obd_session_cfg_default(struct obd_session_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->pad = 0x00;
	cfg->window_us = 100000;
	cfg->p2_star_us = 5000000;
}

void obd_session_init(struct obd_session *s, const struct obd_session_cfg *cfg,
		      isotp_send_fn send, void *send_ud)
{
	s->cfg = *cfg;
	s->send = send;
	s->send_ud = send_ud;
	s->busy = false;
	s->deadline = ISOTP_NO_DEADLINE;
	s->responders = 0;
	s->dropped = 0;
	for (size_t i = 0; i < OBD_MAX_ECUS; i++) {
		s->ecu[i].used = false;
		s->ecu[i].s = s;
	}
}

static void slot_rx(void *ud, const uint8_t *data, size_t len, int err, int64_t now)
{
	struct obd_ecu_slot *e = ud;
	struct obd_session *s = e->s;

	if (err == 0 && len >= 3 && data[0] == 0x7F && data[2] == 0x78) {
		/* responsePending: this ECU will answer within P2* (J1979 on ISO 15765-4). */
		if (s->busy && now + (int64_t)s->cfg.p2_star_us > s->deadline)
			s->deadline = now + s->cfg.p2_star_us;
		return;
	}
	if (err == 0 && s->busy && !e->answered) {
		e->answered = true;
		s->responders++;
	}
	if (s->cfg.on_response)
		s->cfg.on_response(s->cfg.ud, e->rx_id, data, len, err);
}

static struct obd_ecu_slot *slot_for(struct obd_session *s, uint32_t id)
{
	struct isotp_cfg cfg;
	struct obd_ecu_slot *e;

	for (size_t i = 0; i < OBD_MAX_ECUS; i++)
		if (s->ecu[i].used && s->ecu[i].rx_id == id)
			return &s->ecu[i];
	for (size_t i = 0; i < OBD_MAX_ECUS; i++) {
		e = &s->ecu[i];
		if (e->used)
			continue;
		/* FCs go to the ECU's physical request id, DLC 8, BS 0, STmin 0. */
		isotp_cfg_default(&cfg, obd_physical_request_id(id, s->cfg.ext_id), id);
		cfg.ext_id = s->cfg.ext_id;
		cfg.pad = s->cfg.pad;
		cfg.on_rx = slot_rx;
		cfg.cb_ud = e;
		if (isotp_init(&e->link, &cfg, s->send, s->send_ud) < 0)
			return NULL;
		e->used = true;
		e->answered = false;
		e->rx_id = id;
		return e;
	}
	return NULL;
}

int obd_session_request(struct obd_session *s, const uint8_t *payload, size_t len, int64_t now_us)
{
	struct evgw_frame f;
	int rc;

	if (s->busy)
		return -EBUSY;
	rc = obd_functional_frame(&f, s->cfg.ext_id, payload, len, s->cfg.pad);
	if (rc < 0)
		return rc;
	rc = s->send(s->send_ud, &f);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < OBD_MAX_ECUS; i++)
		s->ecu[i].answered = false;
	s->responders = 0;
	s->busy = true;
	s->deadline = now_us + s->cfg.window_us;
	return 0;
}

bool obd_session_on_frame(struct obd_session *s, const struct evgw_frame *f, int64_t now_us)
{
	struct obd_ecu_slot *e;

	if (!f || !(f->flags & EVGW_FRAME_EXT) != !s->cfg.ext_id ||
	    obd_response_ecu(f->id, s->cfg.ext_id) < 0)
		return false;
	e = slot_for(s, f->id);
	if (!e) {
		s->dropped++;
		return false;
	}
	return isotp_on_frame(&e->link, f, now_us);
}

int64_t obd_session_poll(struct obd_session *s, int64_t now_us)
{
	int64_t next = ISOTP_NO_DEADLINE, t;
	bool receiving = false;

	for (size_t i = 0; i < OBD_MAX_ECUS; i++) {
		if (!s->ecu[i].used)
			continue;
		t = isotp_poll(&s->ecu[i].link, now_us);
		if (t < next)
			next = t;
		receiving |= isotp_rx_busy(&s->ecu[i].link);
	}
	/* The window has passed; an answer still arriving ends by itself (N_Cr). */
	if (s->busy && now_us >= s->deadline && !receiving) {
		s->busy = false;
		if (s->cfg.on_done)
			s->cfg.on_done(s->cfg.ud, s->responders);
	}
	/* Past the window but still receiving: the link's N_Cr is the next event. */
	if (s->busy && !(receiving && s->deadline <= now_us) && s->deadline < next)
		next = s->deadline;
	return next;
}
