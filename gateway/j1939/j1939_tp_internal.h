// SPDX-License-Identifier: MIT
/* Shared between j1939_tp.c (table, receive, timers) and j1939_tp_tx.c
 * (transmit). Not for other users. */
#ifndef EVGW_J1939_J1939_TP_INTERNAL_H
#define EVGW_J1939_J1939_TP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"

#define TP_NEVER INT64_MAX

enum tp_state {
	TP_FREE = 0,
	TP_RX_BAM,        /* a broadcast being received */
	TP_RX_CONN,       /* a connection to us: we send CTS and EndOfMsgAck */
	TP_RX_DONE,       /* delivered; the EndOfMsgAck still waits for the driver */
	TP_PASSIVE,       /* a connection between two other nodes, overheard */
	TP_TX_BAM,        /* our broadcast, paced by poll */
	TP_TX_WAIT_CTS,   /* our RTS or last window sent; or held by CTS(0) */
	TP_TX_SENDING,    /* packets of a CTS window going out */
	TP_TX_WAIT_EOMA,  /* every packet sent, waiting for EndOfMsgAck */
};

static inline bool tp_is_tx(const struct j1939_tp_session *s)
{
	return s->state >= TP_TX_BAM;
}

static inline bool tp_is_conn(const struct j1939_tp_session *s)
{
	return s->state != TP_FREE && s->state != TP_RX_BAM && s->state != TP_TX_BAM;
}

static inline bool tp_have_address(const struct j1939_tp *tp)
{
	return tp->cfg.our_sa < J1939_ADDR_NULL;
}

static inline bool tp_can_send(const struct j1939_tp *tp)
{
	return tp_have_address(tp) && tp->ops.send;
}

/* Packets needed for size bytes, 7 per TP.DT. */
static inline unsigned tp_packets_for(unsigned size)
{
	return (size + 6u) / 7u;
}

struct j1939_tp_session *tp_alloc(struct j1939_tp *tp, bool evict, int64_t now_us);
struct j1939_tp_session *tp_find_conn(struct j1939_tp *tp, uint8_t orig, uint8_t resp);
struct j1939_tp_session *tp_find_bam(struct j1939_tp *tp, uint8_t orig);
/* Send one 8-byte frame from our address; counts refusals. */
int tp_send8(struct j1939_tp *tp, uint32_t pgn, uint8_t da, const uint8_t d[8]);
/* TP.Conn_Abort to da, best effort. */
void tp_send_abort(struct j1939_tp *tp, uint8_t da, uint32_t pgn, uint8_t reason);
/* Free a transfer of ours and report it through tx_done. */
void tp_tx_end(struct j1939_tp *tp, struct j1939_tp_session *s, int err, uint8_t reason,
	       int64_t now_us);
/* Send what is due of a TX_BAM or TX_SENDING session. */
void tp_tx_pump(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us);
void tp_tx_on_cts(struct j1939_tp *tp, struct j1939_tp_session *s, uint8_t count, uint8_t next,
		  int64_t now_us);
void tp_tx_on_eoma(struct j1939_tp *tp, struct j1939_tp_session *s, int64_t now_us);

#endif
