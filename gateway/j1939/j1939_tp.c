// SPDX-License-Identifier: MIT
/* J1939-21 transport protocol: the session table, the receive side and the
 * timers. Transmit is in j1939_tp_tx.c. */
#include "j1939/j1939_tp.h"

#include <errno.h>
#include <string.h>

#include "j1939/j1939_cur.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp_internal.h"

void j1939_tp_config_default(struct j1939_tp_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->our_sa = J1939_ADDR_NULL;
	cfg->cts_max = 16;
	cfg->rts_max = 0xFF;
	cfg->bam_gap_us = J1939_TP_BAM_GAP_MIN_US;
	cfg->dt_gap_us = 0;
}

int j1939_tp_init(struct j1939_tp *tp, const struct j1939_tp_config *cfg,
		  const struct j1939_tp_ops *ops, void *ud)
{
	if (!tp || !cfg || !ops || cfg->cts_max == 0)
		return -EINVAL;
	memset(tp, 0, offsetof(struct j1939_tp, s));
	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++)
		tp->s[i].state = TP_FREE;
	tp->cfg = *cfg;
	/* J1939-21 BAM: the sender spaces packets 50..200 ms apart. */
	if (tp->cfg.bam_gap_us < J1939_TP_BAM_GAP_MIN_US)
		tp->cfg.bam_gap_us = J1939_TP_BAM_GAP_MIN_US;
	if (tp->cfg.bam_gap_us > J1939_TP_BAM_GAP_MAX_US)
		tp->cfg.bam_gap_us = J1939_TP_BAM_GAP_MAX_US;
	if (tp->cfg.rts_max == 0)
		tp->cfg.rts_max = 0xFF;
	tp->ops = *ops;
	tp->ud = ud;
	return 0;
}

unsigned j1939_tp_active(const struct j1939_tp *tp)
{
	unsigned n = 0;
	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++)
		n += tp->s[i].state != TP_FREE;
	return n;
}

/* A free slot. When the table is full and evict is set (a transfer we take
 * part in), the least recently active overheard session gives way: ours
 * matter more than other nodes' traffic. */
struct j1939_tp_session *tp_alloc(struct j1939_tp *tp, bool evict, int64_t now_us)
{
	struct j1939_tp_session *s = NULL;

	for (unsigned i = 0; i < J1939_TP_SESSIONS && !s; i++)
		if (tp->s[i].state == TP_FREE)
			s = &tp->s[i];
	for (unsigned i = 0; i < J1939_TP_SESSIONS && !s && evict; i++) {
		struct j1939_tp_session *v = &tp->s[i];
		if ((v->state == TP_RX_BAM || v->state == TP_PASSIVE) && (!s || v->last_us < s->last_us))
			s = v;
	}
	if (!s)
		return NULL;
	if (s->state != TP_FREE)
		tp->stats.rx_no_slot++;   /* the evicted transfer is lost */
	s->state = TP_FREE;
	s->next = 1;
	s->window_end = 0;
	s->max_per_cts = 0xFF;
	s->sent_max = 0;
	s->retransmits = 0;
	s->pending = 0;
	s->deadline_us = TP_NEVER;
	s->due_us = TP_NEVER;
	s->give_up_us = TP_NEVER;
	s->last_us = now_us;
	return s;
}

struct j1939_tp_session *tp_find_conn(struct j1939_tp *tp, uint8_t orig, uint8_t resp)
{
	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++) {
		struct j1939_tp_session *s = &tp->s[i];
		if (tp_is_conn(s) && s->orig == orig && s->resp == resp)
			return s;
	}
	return NULL;
}

struct j1939_tp_session *tp_find_bam(struct j1939_tp *tp, uint8_t orig)
{
	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++) {
		struct j1939_tp_session *s = &tp->s[i];
		if ((s->state == TP_RX_BAM || s->state == TP_TX_BAM) && s->orig == orig)
			return s;
	}
	return NULL;
}

int tp_send8(struct j1939_tp *tp, uint32_t pgn, uint8_t da, const uint8_t d[8])
{
	struct evgw_frame f;
	int rc;

	j1939_frame_init(&f, J1939_PRIO_TP, pgn, da, tp->cfg.our_sa, d, 8);
	f.bus = tp->cfg.bus;
	rc = tp->ops.send(tp->ud, &f);
	if (rc < 0)
		tp->stats.send_errors++;
	return rc;
}

static void put_pgn(uint8_t d[8], uint32_t pgn)
{
	d[5] = (uint8_t)pgn;
	d[6] = (uint8_t)(pgn >> 8);
	d[7] = (uint8_t)(pgn >> 16);
}

/* J1939-21 TP.Conn_Abort: FF reason FF FF FF pgn. Byte 2 is 0xFF: later
 * editions put the aborter's role in its low bits, and 0b11 there reads as
 * "not specified", which every edition accepts. */
void tp_send_abort(struct j1939_tp *tp, uint8_t da, uint32_t pgn, uint8_t reason)
{
	uint8_t d[8] = {J1939_TP_ABORT, reason, 0xFF, 0xFF, 0xFF};

	if (!tp_can_send(tp))
		return;
	put_pgn(d, pgn);
	if (tp_send8(tp, J1939_PGN_TP_CM, da, d) == 0)
		tp->stats.aborts_sent++;
}

/* --- receive -------------------------------------------------------------- */

static void rx_free(struct j1939_tp_session *s)
{
	s->state = TP_FREE;
}

/* The session is RX_DONE during the callback: a j1939_tp_send() from there
 * can neither evict it nor see it as a BAM in progress. */
static void rx_deliver(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us)
{
	s->state = TP_RX_DONE;
	s->deadline_us = TP_NEVER;
	tp->stats.rx_done++;
	if (tp->ops.deliver)
		tp->ops.deliver(tp->ud, s->pgn, s->orig, s->resp, s->data, s->size, now_us);
}

/* Send the control frame a receive session owes (CTS or EndOfMsgAck). A
 * refusal is retried from poll for up to Tr, the time J1939-21 gives a node
 * to answer. 0 when sent. */
static int rx_send_ctl(struct j1939_tp *tp, struct j1939_tp_session *s, uint8_t ctl, int64_t now_us)
{
	uint8_t d[8];

	if (ctl == J1939_TP_CTS) {
		/* J1939-21 TP.CM_CTS: 11 count next FF FF pgn. */
		d[0] = J1939_TP_CTS;
		d[1] = (uint8_t)(s->window_end - s->next + 1u);
		d[2] = s->next;
		d[3] = 0xFF;
		d[4] = 0xFF;
	} else {
		/* J1939-21 TP.CM_EndOfMsgAck: 13 size packets FF pgn. */
		d[0] = J1939_TP_EOMA;
		d[1] = (uint8_t)s->size;
		d[2] = (uint8_t)(s->size >> 8);
		d[3] = s->packets;
		d[4] = 0xFF;
	}
	put_pgn(d, s->pgn);
	if (tp_send8(tp, J1939_PGN_TP_CM, s->orig, d) == 0) {
		s->pending = 0;
		s->give_up_us = TP_NEVER;
		s->due_us = TP_NEVER;
		return 0;
	}
	if (s->give_up_us == TP_NEVER)
		s->give_up_us = now_us + J1939_TP_TR_US;
	s->pending = ctl;
	s->due_us = now_us + J1939_TP_RETRY_US;
	return -1;
}

/* Grant the next window of a connection to us: as many packets as the RTS
 * allows, our cts_max allows and remain. The sender then has T2. */
static void rx_grant(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us)
{
	unsigned n = s->packets - s->next + 1u;

	if (n > s->max_per_cts)
		n = s->max_per_cts;
	if (n > tp->cfg.cts_max)
		n = tp->cfg.cts_max;
	s->window_end = (uint8_t)(s->next + n - 1u);
	s->deadline_us = now_us + J1939_TP_T2_US;
	rx_send_ctl(tp, s, J1939_TP_CTS, now_us);
}

/* 0 when size and packet count agree, else the abort reason. J1939-21
 * uses TP from 9 bytes; a shorter announced size is harmless and seen from
 * some ECUs, so it is accepted. */
static uint8_t check_size(unsigned size, unsigned packets)
{
	if (size > J1939_TP_MAX_SIZE)
		return J1939_TP_ABORT_TOO_BIG;
	if (size == 0 || packets != tp_packets_for(size))
		return J1939_TP_ABORT_OTHER;
	return 0;
}

static void rx_setup(struct j1939_tp_session *s, uint8_t state, uint8_t orig, uint8_t resp,
		     uint32_t pgn, uint16_t size, uint8_t packets)
{
	s->state = state;
	s->orig = orig;
	s->resp = resp;
	s->pgn = pgn;
	s->size = size;
	s->packets = packets;
	s->window_end = packets;
}

/* J1939-21 TP.CM_BAM. A BAM from a sender that has one running replaces it
 * (a node broadcasts one message at a time). */
static void rx_bam(struct j1939_tp *tp, uint8_t sa, uint16_t size, uint8_t packets, uint32_t pgn,
		   int64_t now_us)
{
	struct j1939_tp_session *s;

	if (check_size(size, packets)) {
		tp->stats.rx_bad++;
		return;
	}
	s = tp_find_bam(tp, sa);
	if (s) {
		tp->stats.rx_replaced++;
		s->last_us = now_us;
		s->next = 1;
	} else if (!(s = tp_alloc(tp, false, now_us))) {
		tp->stats.rx_no_slot++;
		return;
	}
	rx_setup(s, TP_RX_BAM, sa, J1939_ADDR_GLOBAL, pgn, size, packets);
	s->deadline_us = now_us + J1939_TP_T1_US;
}

/* J1939-21 TP.CM_RTS. To us: answer CTS (or Abort when we cannot). Between
 * others: follow it. J1939-21 allows one connection per originator and
 * responder, and has the most recent RTS acted on and the earlier one
 * abandoned without an Abort. It says so for a repeated PGN; we do the same
 * for any PGN, so that a sender that restarted is never locked out. */
static void rx_rts(struct j1939_tp *tp, uint8_t sa, uint8_t da, uint16_t size, uint8_t packets,
		   uint8_t max, uint32_t pgn, int64_t now_us)
{
	bool ours = tp_can_send(tp) && da == tp->cfg.our_sa;
	struct j1939_tp_session *s = tp_find_conn(tp, sa, da);
	uint8_t bad = check_size(size, packets);

	if (bad) {
		tp->stats.rx_bad++;
		if (s)
			rx_free(s);
		if (ours)
			tp_send_abort(tp, sa, pgn, bad);
		return;
	}
	if (s) {
		tp->stats.rx_replaced++;
		s->last_us = now_us;
		s->next = 1;
		s->pending = 0;
		s->due_us = TP_NEVER;
		s->give_up_us = TP_NEVER;
	} else if (!(s = tp_alloc(tp, ours, now_us))) {
		tp->stats.rx_no_slot++;
		if (ours)
			tp_send_abort(tp, sa, pgn, J1939_TP_ABORT_BUSY);
		return;
	}
	rx_setup(s, ours ? TP_RX_CONN : TP_PASSIVE, sa, da, pgn, size, packets);
	/* Early editions reserved byte 4 (0xFF); 0 would allow nothing. */
	s->max_per_cts = max ? max : 0xFF;
	if (ours) {
		rx_grant(tp, s, now_us);
	} else {
		s->window_end = 0;
		/* The originator waits T3 for the first CTS. */
		s->deadline_us = now_us + J1939_TP_T3_US;
	}
}

/* TP.CM_CTS from resp to orig. */
static void rx_cts(struct j1939_tp *tp, uint8_t resp, uint8_t orig, uint8_t count, uint8_t next,
		   uint32_t pgn, int64_t now_us)
{
	struct j1939_tp_session *s = tp_find_conn(tp, orig, resp);

	if (!s || s->pgn != pgn || s->state == TP_RX_CONN || s->state == TP_RX_DONE) {
		tp->stats.rx_bad++;
		return;
	}
	s->last_us = now_us;
	if (tp_is_tx(s)) {
		tp_tx_on_cts(tp, s, count, next, now_us);
		return;
	}
	if (count == 0) {
		/* A hold: the originator now waits T4 for the next CTS. */
		s->deadline_us = now_us + J1939_TP_T4_US;
		return;
	}
	if (next == 0 || next > s->packets || next > s->next) {
		/* A jump forward means we missed a packet the responder has:
		 * what we hold has a hole, so the overheard copy is lost. */
		tp->stats.rx_seq_errors++;
		rx_free(s);
		return;
	}
	/* next < s->next is a retransmission request: take the packets again. */
	s->next = next;
	s->window_end = (uint8_t)(next + count - 1u > s->packets ? s->packets : next + count - 1u);
	s->deadline_us = now_us + J1939_TP_T2_US;
}

/* TP.CM_EndOfMsgAck from resp to orig. Overheard transfers were delivered
 * on their last packet; only our own transfers wait for it. */
static void rx_eoma(struct j1939_tp *tp, uint8_t resp, uint8_t orig, uint32_t pgn, int64_t now_us)
{
	struct j1939_tp_session *s = tp_find_conn(tp, orig, resp);

	if (s && tp_is_tx(s) && s->pgn == pgn)
		tp_tx_on_eoma(tp, s, now_us);
}

/* TP.Conn_Abort from sa to da ends the session between them, either way
 * round, that carries pgn. To global, it ends sa's BAM (not in J1939-21,
 * but harmless and seen). */
static void rx_abort(struct j1939_tp *tp, uint8_t sa, uint8_t da, uint8_t reason, uint32_t pgn,
		     int64_t now_us)
{
	struct j1939_tp_session *s;

	if (da == J1939_ADDR_GLOBAL) {
		s = tp_find_bam(tp, sa);
		if (s && s->state == TP_RX_BAM && s->pgn == pgn) {
			tp->stats.rx_aborted++;
			rx_free(s);
		}
		return;
	}
	s = tp_find_conn(tp, sa, da);
	if (!s || s->pgn != pgn)
		s = tp_find_conn(tp, da, sa);
	if (!s || s->pgn != pgn)
		return;
	if (tp_is_tx(s)) {
		tp_tx_end(tp, s, -ECONNABORTED, reason, now_us);
		return;
	}
	tp->stats.rx_aborted++;
	rx_free(s);
}

static void rx_cm(struct j1939_tp *tp, uint8_t sa, uint8_t da, const struct evgw_frame *f,
		  int64_t now_us)
{
	struct j1939_cur c = j1939_cur_make(f->data, f->len);
	uint8_t ctl = j1939_cur_u8(&c);
	uint8_t b1 = j1939_cur_u8(&c);
	uint8_t b2 = j1939_cur_u8(&c);
	uint8_t b3 = j1939_cur_u8(&c);
	uint8_t b4 = j1939_cur_u8(&c);
	uint32_t pgn = j1939_cur_le24(&c);
	uint16_t size = (uint16_t)(b1 | b2 << 8);

	/* J1939-21: TP.CM is always 8 bytes. The PGN field is 18 bits wide;
	 * a PDU1 PGN has its destination byte at zero. */
	if (c.bad || pgn > J1939_PGN_MASK) {
		tp->stats.rx_bad++;
		return;
	}
	if (j1939_pgn_is_pdu1(pgn))
		pgn &= 0x3FF00u;
	if (da == J1939_ADDR_NULL || (da == J1939_ADDR_GLOBAL && ctl != J1939_TP_BAM &&
				      ctl != J1939_TP_ABORT)) {
		tp->stats.rx_bad++;
		return;
	}
	switch (ctl) {
	case J1939_TP_BAM:
		if (da != J1939_ADDR_GLOBAL)
			tp->stats.rx_bad++;
		else
			rx_bam(tp, sa, size, b3, pgn, now_us);
		break;
	case J1939_TP_RTS:
		rx_rts(tp, sa, da, size, b3, b4, pgn, now_us);
		break;
	case J1939_TP_CTS:
		rx_cts(tp, sa, da, b1, b2, pgn, now_us);
		break;
	case J1939_TP_EOMA:
		rx_eoma(tp, sa, da, pgn, now_us);
		break;
	case J1939_TP_ABORT:
		rx_abort(tp, sa, da, b1, pgn, now_us);
		break;
	default:
		tp->stats.rx_bad++;
		break;
	}
}

/* Copy packet seq into the session. 0, or -1 when the frame is too short
 * for the bytes it must carry. */
static int rx_store(struct j1939_tp_session *s, const struct evgw_frame *f, uint8_t seq)
{
	unsigned off = (seq - 1u) * 7u;
	unsigned n = s->size - off < 7u ? s->size - off : 7u;

	if (f->len < 1u + n)
		return -1;
	memcpy(s->data + off, f->data + 1, n);
	return 0;
}

/* J1939-21 TP.DT. Packets come in order; a BAM or overheard transfer has
 * nobody to ask again, so a gap ends the BAM and an overheard packet out of
 * turn is ignored (a CTS may rewind it). To us, a duplicate (reason 8) or
 * any other packet out of turn (reason 7) aborts the connection. */
static void rx_dt(struct j1939_tp *tp, uint8_t sa, uint8_t da, const struct evgw_frame *f,
		  int64_t now_us)
{
	struct j1939_tp_session *s = da == J1939_ADDR_GLOBAL ? tp_find_bam(tp, sa) : tp_find_conn(tp, sa, da);
	uint8_t seq = f->len ? f->data[0] : 0;

	if (!s || tp_is_tx(s) || s->state == TP_RX_DONE || f->len == 0) {
		tp->stats.rx_bad++;
		return;
	}
	s->last_us = now_us;
	if (s->state == TP_RX_CONN && s->pending) {
		tp->stats.rx_bad++;   /* data before our CTS went out */
		return;
	}
	/* Overheard packets may come before we saw a CTS (window_end 0). */
	if (seq != s->next || (s->state != TP_PASSIVE && seq > s->window_end)) {
		tp->stats.rx_seq_errors++;
		if (s->state == TP_RX_BAM) {
			rx_free(s);
		} else if (s->state == TP_RX_CONN) {
			tp_send_abort(tp, s->orig, s->pgn,
				      seq && seq < s->next ? J1939_TP_ABORT_DUP_SEQ : J1939_TP_ABORT_BAD_SEQ);
			rx_free(s);
		}
		return;
	}
	if (rx_store(s, f, seq) < 0) {
		tp->stats.rx_bad++;
		return;
	}
	s->next++;
	if (seq == s->packets) {
		if (s->state == TP_RX_CONN) {
			/* Acknowledge first so the sender is not kept waiting
			 * on our consumer. */
			s->state = TP_RX_DONE;
			s->deadline_us = TP_NEVER;
			int sent = rx_send_ctl(tp, s, J1939_TP_EOMA, now_us);
			rx_deliver(tp, s, now_us);
			if (sent == 0)
				rx_free(s);
		} else {
			rx_deliver(tp, s, now_us);
			rx_free(s);
		}
		return;
	}
	if (s->state == TP_RX_CONN && seq == s->window_end)
		rx_grant(tp, s, now_us);
	else if (s->state == TP_PASSIVE && seq == s->window_end)
		s->deadline_us = now_us + J1939_TP_T3_US;   /* the originator waits for a CTS */
	else
		s->deadline_us = now_us + J1939_TP_T1_US;
}

/* --- timers -------------------------------------------------------------- */

/* J1939-21 timeouts: a receiver to us aborts with reason 3; a BAM or an
 * overheard transfer is simply dropped (nobody to tell). */
static void on_timeout(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us)
{
	switch (s->state) {
	case TP_RX_CONN:
		tp_send_abort(tp, s->orig, s->pgn, J1939_TP_ABORT_TIMEOUT);
		/* fall through */
	case TP_RX_BAM:
	case TP_PASSIVE:
		tp->stats.rx_timeouts++;
		rx_free(s);
		break;
	case TP_TX_WAIT_CTS:
	case TP_TX_WAIT_EOMA:
		tp_send_abort(tp, s->resp, s->pgn, J1939_TP_ABORT_TIMEOUT);
		tp_tx_end(tp, s, -ETIMEDOUT, J1939_TP_ABORT_TIMEOUT, now_us);
		break;
	default:
		s->deadline_us = TP_NEVER;
		break;
	}
}

static void retry_ctl(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us)
{
	uint8_t ctl = s->pending;

	if (rx_send_ctl(tp, s, ctl, now_us) == 0) {
		if (s->state == TP_RX_DONE)
			rx_free(s);
		else
			s->deadline_us = now_us + J1939_TP_T2_US;
	} else if (now_us >= s->give_up_us) {
		/* The driver has refused us for Tr: the peer will time out. */
		if (s->state == TP_RX_CONN)
			tp->stats.rx_timeouts++;
		rx_free(s);
	}
}

int64_t j1939_tp_poll(struct j1939_tp *tp, int64_t now_us)
{
	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++) {
		struct j1939_tp_session *s = &tp->s[i];

		if (s->state == TP_FREE)
			continue;
		if (s->pending && now_us >= s->due_us)
			retry_ctl(tp, s, now_us);
		if ((s->state == TP_TX_BAM || s->state == TP_TX_SENDING) && now_us >= s->due_us)
			tp_tx_pump(tp, s, now_us);
		if (s->state != TP_FREE && now_us >= s->deadline_us)
			on_timeout(tp, s, now_us);
	}
	return j1939_tp_next_deadline(tp);
}

int64_t j1939_tp_next_deadline(const struct j1939_tp *tp)
{
	int64_t t = TP_NEVER;

	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++) {
		const struct j1939_tp_session *s = &tp->s[i];

		if (s->state == TP_FREE)
			continue;
		if (s->deadline_us < t)
			t = s->deadline_us;
		if ((s->pending || s->state == TP_TX_BAM || s->state == TP_TX_SENDING) && s->due_us < t)
			t = s->due_us;
	}
	return t;
}

int j1939_tp_rx(struct j1939_tp *tp, const struct evgw_frame *f, int64_t now_us)
{
	uint32_t pgn;
	uint8_t sa, da;

	if (!j1939_frame_ok(f))
		return 0;
	pgn = j1939_id_pgn(f->id);
	if (pgn != J1939_PGN_TP_CM && pgn != J1939_PGN_TP_DT)
		return 0;
	sa = j1939_id_sa(f->id);
	da = j1939_id_ps(f->id);
	if (tp_have_address(tp) && sa == tp->cfg.our_sa)
		return 1;   /* our own frame, echoed by the driver */
	/* Whatever fell due before this frame happens first, so that the
	 * outcome does not depend on how often the caller polls. */
	j1939_tp_poll(tp, now_us);
	/* J1939-81: the null and global addresses never originate TP. */
	if (sa >= J1939_ADDR_NULL) {
		tp->stats.rx_bad++;
		return 1;
	}
	if (pgn == J1939_PGN_TP_DT)
		rx_dt(tp, sa, da, f, now_us);
	else
		rx_cm(tp, sa, da, f, now_us);
	return 1;
}

void j1939_tp_set_address(struct j1939_tp *tp, uint8_t sa, int64_t now_us)
{
	if (sa == tp->cfg.our_sa)
		return;
	tp->cfg.our_sa = sa;
	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++) {
		struct j1939_tp_session *s = &tp->s[i];

		if (tp_is_tx(s))
			tp_tx_end(tp, s, -ECANCELED, 0, now_us);
		else if (s->state == TP_RX_CONN || s->state == TP_RX_DONE)
			rx_free(s);
	}
}
