// SPDX-License-Identifier: MIT
/* J1939-21 transport protocol, transmit side: BAM paced by poll, and
 * RTS/CTS driven by the responder's CTS and EndOfMsgAck. */
#include <errno.h>
#include <string.h>

#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "j1939/j1939_tp_internal.h"

void tp_tx_end(struct j1939_tp *tp, struct j1939_tp_session *s, int err, uint8_t reason,
	       int64_t now_us)
{
	uint32_t pgn = s->pgn;
	uint8_t da = s->resp;

	if (err)
		tp->stats.tx_failed++;
	else
		tp->stats.tx_done++;
	/* Free first: the callback may start the next transfer to da. */
	s->state = TP_FREE;
	if (tp->ops.tx_done)
		tp->ops.tx_done(tp->ud, pgn, da, err, reason, now_us);
}

/* TP.DT: sequence number, then 7 bytes; the last packet is padded with
 * 0xFF (J1939-21, TP.DT). */
static int send_dt(struct j1939_tp *tp, struct j1939_tp_session *s, uint8_t seq)
{
	uint8_t d[8];
	unsigned off = (seq - 1u) * 7u;
	unsigned n = s->size - off < 7u ? s->size - off : 7u;

	memset(d, 0xFF, sizeof d);
	d[0] = seq;
	memcpy(d + 1, s->data + off, n);
	return tp_send8(tp, J1939_PGN_TP_DT, s->resp, d);
}

/* The driver refused a packet: retry soon, for up to Tr, then give up (the
 * receivers' T1 would expire soon after). */
static void tx_refused(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us)
{
	if (s->give_up_us == TP_NEVER)
		s->give_up_us = now_us + J1939_TP_TR_US;
	if (now_us >= s->give_up_us) {
		if (s->state == TP_TX_SENDING)
			tp_send_abort(tp, s->resp, s->pgn, J1939_TP_ABORT_RESOURCES);
		tp_tx_end(tp, s, -EIO, s->state == TP_TX_SENDING ? J1939_TP_ABORT_RESOURCES : 0, now_us);
		return;
	}
	s->due_us = now_us + J1939_TP_RETRY_US;
}

void tp_tx_pump(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us)
{
	if (s->state == TP_TX_BAM) {
		/* One packet per call, then the gap from now: a late poll
		 * never bunches packets closer than 50 ms. */
		if (send_dt(tp, s, s->next) < 0) {
			tx_refused(tp, s, now_us);
			return;
		}
		s->give_up_us = TP_NEVER;
		s->last_us = now_us;
		if (s->next++ == s->packets) {
			tp_tx_end(tp, s, 0, 0, now_us);
			return;
		}
		s->due_us = now_us + tp->cfg.bam_gap_us;
		return;
	}
	while (s->next <= s->window_end && now_us >= s->due_us) {
		if (send_dt(tp, s, s->next) < 0) {
			tx_refused(tp, s, now_us);
			return;
		}
		s->give_up_us = TP_NEVER;
		s->last_us = now_us;
		if (s->next > s->sent_max)
			s->sent_max = s->next;
		s->next++;
		s->due_us = now_us + tp->cfg.dt_gap_us;
		if (s->next == 0)
			break;   /* wrapped past 255: the window ended there */
	}
	if (s->next > s->window_end || s->next == 0) {
		/* J1939-21: after the last packet of a window the originator
		 * waits T3 for the next CTS or the EndOfMsgAck. */
		s->state = s->window_end == s->packets ? TP_TX_WAIT_EOMA : TP_TX_WAIT_CTS;
		s->deadline_us = now_us + J1939_TP_T3_US;
		s->due_us = TP_NEVER;
	}
}

void tp_tx_on_cts(struct j1939_tp *tp, struct j1939_tp_session *s, uint8_t count, uint8_t next,
		  int64_t now_us)
{
	unsigned end;

	if (s->state == TP_TX_SENDING) {
		/* J1939-21 abort reason 4: a CTS while a window is in flight. */
		tp_send_abort(tp, s->resp, s->pgn, J1939_TP_ABORT_CTS_IN_DT);
		tp_tx_end(tp, s, -EPROTO, J1939_TP_ABORT_CTS_IN_DT, now_us);
		return;
	}
	if (count == 0) {
		/* A hold (J1939-21 TP.CM_CTS with 0 packets): the responder
		 * repeats it within Th; we wait T4 for the next CTS. */
		s->state = TP_TX_WAIT_CTS;
		s->deadline_us = now_us + J1939_TP_T4_US;
		return;
	}
	if (next == 0 || next > s->packets) {
		tp_send_abort(tp, s->resp, s->pgn, J1939_TP_ABORT_OTHER);
		tp_tx_end(tp, s, -EPROTO, J1939_TP_ABORT_OTHER, now_us);
		return;
	}
	if (next <= s->sent_max && ++s->retransmits > J1939_TP_MAX_RETRANSMITS) {
		tp_send_abort(tp, s->resp, s->pgn, J1939_TP_ABORT_RETRANSMITS);
		tp_tx_end(tp, s, -EPROTO, J1939_TP_ABORT_RETRANSMITS, now_us);
		return;
	}
	/* More than our RTS allowed is the responder's error; send what we
	 * offered. */
	if (count > tp->cfg.rts_max)
		count = tp->cfg.rts_max;
	end = (unsigned)next + count - 1u;
	s->next = next;
	s->window_end = (uint8_t)(end > s->packets ? s->packets : end);
	s->state = TP_TX_SENDING;
	s->deadline_us = TP_NEVER;
	s->give_up_us = TP_NEVER;
	s->due_us = now_us;   /* J1939-21 expects the first packet within Tr: now */
	tp_tx_pump(tp, s, now_us);
}

void tp_tx_on_eoma(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us)
{
	/* Only once every packet has gone out; an early one is ignored. */
	if (s->state != TP_TX_SENDING && s->sent_max == s->packets)
		tp_tx_end(tp, s, 0, 0, now_us);
	else
		tp->stats.rx_bad++;
}

static void put_cm(uint8_t d[8], uint8_t ctl, uint16_t size, uint8_t packets, uint8_t b4,
		   uint32_t pgn)
{
	d[0] = ctl;
	d[1] = (uint8_t)size;
	d[2] = (uint8_t)(size >> 8);
	d[3] = packets;
	d[4] = b4;
	d[5] = (uint8_t)pgn;
	d[6] = (uint8_t)(pgn >> 8);
	d[7] = (uint8_t)(pgn >> 16);
}

int j1939_tp_send(struct j1939_tp *tp, uint32_t pgn, uint8_t da, const uint8_t *data, size_t len,
		  uint8_t prio, int64_t now_us)
{
	struct j1939_tp_session *s;
	uint8_t d[8];
	int rc;

	if (!tp_can_send(tp))
		return -EADDRNOTAVAIL;
	if (pgn > J1939_PGN_MASK || (len && !data) || da == J1939_ADDR_NULL || da == tp->cfg.our_sa)
		return -EINVAL;
	if (len > J1939_TP_MAX_SIZE)
		return -EMSGSIZE;
	if (j1939_pgn_is_pdu1(pgn))
		pgn &= 0x3FF00u;
	if (len <= 8) {
		struct evgw_frame f;

		j1939_frame_init(&f, prio, pgn, da, tp->cfg.our_sa, data, (uint8_t)len);
		f.bus = tp->cfg.bus;
		rc = tp->ops.send(tp->ud, &f);
		if (rc < 0)
			tp->stats.send_errors++;
		return rc < 0 ? rc : 0;
	}
	/* J1939-21: one BAM at a time from a node, and one connection per
	 * pair of nodes and direction. */
	if (da == J1939_ADDR_GLOBAL ? tp_find_bam(tp, tp->cfg.our_sa) != NULL
				    : tp_find_conn(tp, tp->cfg.our_sa, da) != NULL)
		return -EBUSY;
	s = tp_alloc(tp, true, now_us);
	if (!s)
		return -EBUSY;
	s->orig = tp->cfg.our_sa;
	s->resp = da;
	s->pgn = pgn;
	s->size = (uint16_t)len;
	s->packets = (uint8_t)tp_packets_for((unsigned)len);
	memcpy(s->data, data, len);
	if (da == J1939_ADDR_GLOBAL)
		put_cm(d, J1939_TP_BAM, s->size, s->packets, 0xFF, pgn);
	else
		put_cm(d, J1939_TP_RTS, s->size, s->packets, tp->cfg.rts_max, pgn);
	rc = tp_send8(tp, J1939_PGN_TP_CM, da, d);
	if (rc < 0)
		return rc;   /* the slot is still free */
	if (da == J1939_ADDR_GLOBAL) {
		s->state = TP_TX_BAM;
		s->window_end = s->packets;
		s->due_us = now_us + tp->cfg.bam_gap_us;
	} else {
		/* J1939-21: the originator waits T3 for the first CTS. */
		s->state = TP_TX_WAIT_CTS;
		s->deadline_us = now_us + J1939_TP_T3_US;
	}
	return 1;
}
