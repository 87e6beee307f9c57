// SPDX-License-Identifier: MIT
/* SAE J1939-21 transport protocol: messages of 9..1785 bytes carried in
 * TP.CM (PGN 0xEC00) and TP.DT (PGN 0xEB00) frames, either broadcast (BAM)
 * or over a connection (RTS/CTS) between two addresses.
 *
 * Receive: every BAM on the bus, every connection addressed to us (we answer
 * with CTS, EndOfMsgAck and Abort through ops.send), and every connection
 * between two other nodes, followed passively from both directions. Send:
 * BAM (paced 50..200 ms per packet) and RTS/CTS.
 *
 * The clock is the caller's: every call takes now_us, monotonic microseconds.
 * j1939_tp_poll() runs timeouts and transmit pacing and returns when it wants
 * to be called next. Nothing here sleeps, logs or allocates: state lives in a
 * struct j1939_tp the caller owns (about 60 KB: keep it off small stacks).
 *
 * Wire layouts (J1939-21, "Transport protocol", TP.CM message formats; also
 * ../shared/reference/vehicles-and-protocols.md 3a). Byte numbers from 0:
 *   RTS   10 size.lo size.hi packets max_per_cts pgn.lo pgn.mid pgn.hi
 *   CTS   11 count next_seq FF FF pgn x3
 *   EOMA  13 size.lo size.hi packets FF pgn x3
 *   BAM   20 size.lo size.hi packets FF pgn x3          (DA = 0xFF)
 *   Abort FF reason FF FF FF pgn x3
 *   TP.DT seq(1..255) data x7, the last packet padded with FF */
#ifndef EVGW_J1939_J1939_TP_H
#define EVGW_J1939_J1939_TP_H

#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

#define J1939_TP_MAX_SIZE 1785u   /* 255 packets x 7 bytes */
#define J1939_TP_MAX_PACKETS 255u
#define J1939_TP_SESSIONS 32u     /* rx, tx and passive together */

/* J1939-21 timeouts ("Transport protocol", timing), in microseconds:
 * Tr response time, Th hold time (CTS(0) repeat), T1 between data packets,
 * T2 from CTS to data, T3 from the last packet sent (or the RTS) to CTS or
 * EndOfMsgAck, T4 from a hold CTS(0) to the next CTS. We answer at once and
 * never hold, so Tr bounds only our retries of refused frames and Th is not
 * a timer of ours; an overheard hold is timed with T4, as its originator
 * does. */
#define J1939_TP_TR_US 200000
#define J1939_TP_TH_US 500000
#define J1939_TP_T1_US 750000
#define J1939_TP_T2_US 1250000
#define J1939_TP_T3_US 1250000
#define J1939_TP_T4_US 1050000
/* J1939-21 BAM: 50..200 ms between the packets of a broadcast. */
#define J1939_TP_BAM_GAP_MIN_US 50000
#define J1939_TP_BAM_GAP_MAX_US 200000
/* Ours: retry a frame the driver would not take after this long. */
#define J1939_TP_RETRY_US 5000
/* Ours: retransmission requests (a CTS asking again for packets already
 * sent) allowed per transfer before we abort with reason 5. */
#define J1939_TP_MAX_RETRANSMITS 2u

/* TP.CM control byte (byte 0). */
enum j1939_tp_ctrl {
	J1939_TP_RTS = 0x10,
	J1939_TP_CTS = 0x11,
	J1939_TP_EOMA = 0x13,
	J1939_TP_BAM = 0x20,
	J1939_TP_ABORT = 0xFF,
};

/* J1939-21 connection abort reasons (TP.Conn_Abort byte 1). */
enum j1939_tp_abort_reason {
	J1939_TP_ABORT_BUSY = 1,          /* already in a session, cannot support another */
	J1939_TP_ABORT_RESOURCES = 2,     /* resources needed for another task */
	J1939_TP_ABORT_TIMEOUT = 3,
	J1939_TP_ABORT_CTS_IN_DT = 4,     /* CTS received while data transfer in progress */
	J1939_TP_ABORT_RETRANSMITS = 5,   /* maximum retransmit requests reached */
	J1939_TP_ABORT_UNEXPECTED_DT = 6,
	J1939_TP_ABORT_BAD_SEQ = 7,
	J1939_TP_ABORT_DUP_SEQ = 8,
	J1939_TP_ABORT_TOO_BIG = 9,       /* message size > 1785 bytes */
	J1939_TP_ABORT_OTHER = 250,       /* a reason not in the table */
};

/* Callbacks. ud is j1939_tp_init's. They may call j1939_tp_send(), never
 * j1939_tp_rx() or j1939_tp_poll(). */
struct j1939_tp_ops {
	/* Queue one frame for the bus: 0, or a negative errno (e.g. -EAGAIN
	 * when the driver queue is full: the frame is retried every
	 * J1939_TP_RETRY_US for up to Tr). NULL: listen only, never transmit. */
	int (*send)(void *ud, const struct evgw_frame *f);
	/* A complete message: BAM (da 0xFF), addressed to us, or overheard
	 * between two other nodes. data is valid during the call only. */
	void (*deliver)(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data,
			size_t len, int64_t now_us);
	/* The end of a transfer that j1939_tp_send() started (it returned 1):
	 * err 0 = sent (BAM) or acknowledged (EndOfMsgAck); -ETIMEDOUT = the
	 * peer went silent (we sent Abort reason 3); -ECONNABORTED = the peer
	 * aborted with `reason`; -EPROTO = we aborted with `reason`; -EIO = the
	 * driver refused our frames for longer than Tr; -ECANCELED = our address
	 * changed. Optional. */
	void (*tx_done)(void *ud, uint32_t pgn, uint8_t da, int err, uint8_t reason, int64_t now_us);
};

struct j1939_tp_config {
	uint8_t our_sa;        /* our claimed address; 0xFE/0xFF = none: listen only */
	uint8_t bus;           /* copied into every frame we send */
	uint8_t cts_max;       /* packets we grant per CTS (1..255) */
	uint8_t rts_max;       /* RTS byte 4 we send: packets per CTS we accept (0xFF = any) */
	uint32_t bam_gap_us;   /* between BAM packets; clamped to 50..200 ms */
	uint32_t dt_gap_us;    /* between RTS/CTS packets; 0 = a window in one go */
};

struct j1939_tp_stats {
	uint32_t rx_done;        /* messages delivered */
	uint32_t rx_timeouts;    /* receive and passive sessions timed out */
	uint32_t rx_seq_errors;  /* packets out of sequence */
	uint32_t rx_aborted;     /* sessions ended by an Abort frame */
	uint32_t rx_replaced;    /* a new BAM/RTS from the same sender restarted a session */
	uint32_t rx_bad;         /* malformed or unexpected TP frames */
	uint32_t rx_no_slot;     /* sessions refused, or overheard ones evicted: table full */
	uint32_t tx_done;        /* transfers completed */
	uint32_t tx_failed;      /* transfers that ended otherwise */
	uint32_t aborts_sent;
	uint32_t send_errors;    /* ops.send refusals (each retry counts) */
};

/* One transfer. Internal; in the header so that callers can own the table. */
struct j1939_tp_session {
	uint8_t state;           /* 0 = free */
	uint8_t orig;            /* originator (sender of the data) */
	uint8_t resp;            /* responder, 0xFF for BAM */
	uint8_t packets;
	uint8_t next;            /* rx: sequence expected; tx: sequence to send */
	uint8_t window_end;      /* last sequence of the current CTS window */
	uint8_t max_per_cts;     /* RTS byte 4 */
	uint8_t sent_max;        /* tx: highest sequence sent */
	uint8_t retransmits;
	uint8_t pending;         /* a control frame still to send (CTS, EOMA) */
	uint16_t size;
	uint32_t pgn;
	int64_t deadline_us;     /* protocol timeout, INT64_MAX when none */
	int64_t due_us;          /* next frame to send (tx pacing, retries) */
	int64_t give_up_us;      /* stop retrying a refused frame here */
	int64_t last_us;         /* last activity, for eviction */
	uint8_t data[J1939_TP_MAX_SIZE];
};

struct j1939_tp {
	struct j1939_tp_config cfg;
	struct j1939_tp_ops ops;
	void *ud;
	struct j1939_tp_stats stats;
	struct j1939_tp_session s[J1939_TP_SESSIONS];
};

/* Defaults: no address (listen only), bus 0, cts_max 16, rts_max 0xFF,
 * BAM gap 50 ms, RTS/CTS gap 0. */
void j1939_tp_config_default(struct j1939_tp_config *cfg);

/* Set up tp (every session free). ops is copied; ops->deliver may be NULL
 * only for a transmit-only user. 0 or -EINVAL (cts_max 0). */
int j1939_tp_init(struct j1939_tp *tp, const struct j1939_tp_config *cfg,
		  const struct j1939_tp_ops *ops, void *ud);

/* Change our address (after an address claim). Sessions we take part in
 * under the old address end: ours with tx_done(-ECANCELED), received ones
 * silently. 0xFE/0xFF make us listen only. */
void j1939_tp_set_address(struct j1939_tp *tp, uint8_t sa, int64_t now_us);

/* Feed one received frame. 1 when it was a TP.CM or TP.DT frame (consumed,
 * whatever became of it), 0 when it is not TP (pass it on). Frames from our
 * own address (driver echo) are consumed and ignored. */
int j1939_tp_rx(struct j1939_tp *tp, const struct evgw_frame *f, int64_t now_us);

/* Send len bytes of pgn to da (0xFF = everyone, by BAM) from our address.
 * len <= 8 goes out at once as one frame with priority prio (PDU2 PGNs are
 * global whatever da) and returns 0. Longer messages start a TP transfer
 * and return 1; tx_done reports its end. Errors: -EADDRNOTAVAIL (no
 * address or no ops.send), -EMSGSIZE (len > 1785), -EINVAL (pgn > 18 bits),
 * -EBUSY (a BAM of ours, or a connection to da, is already running; or no
 * free slot), or ops.send's error for the first frame. data is copied. */
int j1939_tp_send(struct j1939_tp *tp, uint32_t pgn, uint8_t da, const uint8_t *data, size_t len,
		  uint8_t prio, int64_t now_us);

/* Run what is due at now_us: timeouts, paced packets, retries. Returns the
 * next time it needs a call (INT64_MAX when idle). */
int64_t j1939_tp_poll(struct j1939_tp *tp, int64_t now_us);

/* The time j1939_tp_poll() next wants, without running anything. */
int64_t j1939_tp_next_deadline(const struct j1939_tp *tp);

/* Sessions in use. */
unsigned j1939_tp_active(const struct j1939_tp *tp);

#endif
