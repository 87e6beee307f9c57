// SPDX-License-Identifier: MIT
/* ISO-TP (ISO 15765-2:2016) in userspace over any CAN driver.
 *
 * One link is one pair of identifiers: frames we send carry tx_id, frames we
 * accept carry rx_id (both 11-bit, or both 29-bit for normal-fixed addressing,
 * 0x18DA<TA><SA>, clause 10.3). With extended or mixed addressing (also
 * 10.3) the first data byte of every frame is an address byte: we write
 * tx_ae and accept only frames whose first byte is rx_ae.
 *
 * Both directions run at once on one link: a message we send (SF, or FF + CFs
 * paced by the receiver's flow control) and a message we receive (SF, or FF +
 * CFs paced by our own FC with cfg.bs / cfg.stmin).
 *
 * Driving it:
 *   - isotp_on_frame() for every received frame (it says whether the frame was
 *     addressed to this link);
 *   - isotp_poll() whenever the clock reaches the deadline it last returned
 *     (or earlier: early calls are harmless); it returns the next deadline;
 *   - the callbacks in the config report reassembled messages and the end of
 *     each send. They may call isotp_send() on the same link.
 * Time is `now_us`, monotonic microseconds from the caller. No sleeps, no
 * threads, no allocation: the link holds a 4095-byte receive buffer, or uses
 * the caller's (cfg.rx_buf) for larger messages (32-bit FF_DL, clause 9.6.3).
 *
 * Errors are negative errno values; the ISO 15765-2 N_Result codes map to
 * the ISOTP_ERR_* names below. */
#ifndef EVGW_DIAG_ISOTP_H
#define EVGW_DIAG_ISOTP_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

#define ISOTP_DEFAULT_MAX 4095u         /* the 12-bit FF_DL limit */
#define ISOTP_NO_DEADLINE INT64_MAX     /* isotp_poll(): nothing to wait for */
#define ISOTP_NO_PAD (-1)

/* N_Result (ISO 15765-2:2016, service parameters) as negative errno. */
#define ISOTP_ERR_TIMEOUT (-ETIMEDOUT)      /* N_TIMEOUT_A / N_TIMEOUT_Bs / N_TIMEOUT_Cr */
#define ISOTP_ERR_WRONG_SN (-EILSEQ)        /* N_WRONG_SN */
#define ISOTP_ERR_INVALID_FS (-EPROTO)      /* N_INVALID_FS */
#define ISOTP_ERR_UNEXP_PDU (-ECONNRESET)   /* N_UNEXP_PDU: a new SF/FF cut a reception short */
#define ISOTP_ERR_WFT_OVRN (-ECONNABORTED)  /* more FC.WAIT than cfg.wft_max (sender-side guard) */
#define ISOTP_ERR_PEER_OVFLW (-EOVERFLOW)   /* N_BUFFER_OVFLW: the peer's FC said overflow */
#define ISOTP_ERR_TOO_BIG (-EMSGSIZE)       /* received FF_DL > our buffer (we sent FC.OVFLW) */

/* Send one frame. Return 0 when the driver took it, -EAGAIN or -ENOBUFS when
 * its queue is full (the link retries from isotp_poll() until N_As runs
 * out), any other negative errno to abort the message. */
typedef int (*isotp_send_fn)(void *ud, const struct evgw_frame *f);
/* A received message (err 0; data valid only during the call) or a failed
 * reception (err < 0, data NULL). */
typedef void (*isotp_rx_fn)(void *ud, const uint8_t *data, size_t len, int err, int64_t now_us);
/* The send started by isotp_send() finished: err 0 once the last frame was
 * handed to the driver, else why it stopped. */
typedef void (*isotp_tx_fn)(void *ud, int err, int64_t now_us);
/* A FF announcing a len-byte message was accepted (N_USData_FF.indication):
 * a multi-frame reception is under way and will end in on_rx. */
typedef void (*isotp_ff_fn)(void *ud, size_t len, int64_t now_us);

struct isotp_cfg {
	uint32_t tx_id;       /* identifier of the frames we send (and our FCs) */
	uint32_t rx_id;       /* identifier of the frames we accept */
	bool ext_id;          /* both identifiers are 29-bit */
	bool use_ae;          /* extended/mixed addressing: first byte is an address */
	uint8_t tx_ae;        /* address byte we send (N_TA or N_AE) */
	uint8_t rx_ae;        /* address byte a frame must carry to be ours */
	bool fd;              /* send CAN FD frames */
	bool brs;             /* with fd: set bit-rate switch */
	uint8_t tx_dl;        /* largest frame we send: 8, or with fd 12..64 (a valid FD length) */
	int16_t pad;          /* pad byte (0..255) or ISOTP_NO_PAD for classic frames */
	uint8_t bs;           /* block size we advertise in our FCs (0: no further FC) */
	uint8_t stmin;        /* STmin we advertise, raw (0x00-0x7F ms, 0xF1-0xF9 100-900 us) */
	uint8_t wft_max;      /* FC.WAIT frames accepted in a row before giving up */
	uint32_t n_as_us;     /* our frame must reach the driver within this (N_As) */
	uint32_t n_ar_us;     /* our FC must reach the driver within this (N_Ar) */
	uint32_t n_bs_us;     /* FC must arrive within this after FF / block end (N_Bs) */
	uint32_t n_cr_us;     /* next CF must arrive within this (N_Cr) */
	uint32_t retry_us;    /* after -EAGAIN from the driver, try again this much later */
	uint8_t *rx_buf;      /* optional receive buffer for messages > 4095 bytes */
	size_t rx_cap;        /* its size; with rx_buf NULL, at most ISOTP_DEFAULT_MAX */
	isotp_rx_fn on_rx;
	isotp_tx_fn on_tx_done;
	isotp_ff_fn on_rx_ff; /* optional */
	void *cb_ud;          /* passed to on_rx, on_tx_done and on_rx_ff */
};

enum isotp_tx_state { ISOTP_TX_IDLE, ISOTP_TX_SF, ISOTP_TX_FF, ISOTP_TX_WAIT_FC, ISOTP_TX_CF };
enum isotp_rx_state { ISOTP_RX_IDLE, ISOTP_RX_CF };

struct isotp_stats {
	uint32_t ignored;     /* frames addressed to us but dropped (malformed, unexpected) */
	uint32_t rx_msgs, tx_msgs, rx_errors, tx_errors;
};

/* Treat as opaque; the fields are here so that callers can embed links. */
struct isotp_link {
	struct isotp_cfg cfg;
	isotp_send_fn send;
	void *send_ud;
	uint8_t *rx_buf;
	size_t rx_cap;
	struct {
		enum isotp_tx_state state;
		const uint8_t *data;
		size_t len, off;
		uint8_t sn, bs, bs_left, wft;
		uint32_t stmin_us;
		int64_t deadline;
		int64_t fail_since;   /* first -EAGAIN of the current frame, or -1 */
	} tx;
	struct {
		enum isotp_rx_state state;
		size_t len, off;
		uint8_t sn, dl, bs_left;
		bool fc_pending;      /* our FC.CTS is owed to the driver (it said -EAGAIN) */
		int64_t deadline;
		int64_t fail_since;
	} rx;
	struct isotp_stats stats;
	uint8_t rx_store[ISOTP_DEFAULT_MAX];
};

/* Defaults for a normal-addressed classic link: N_As/N_Ar/N_Bs/N_Cr 1000 ms
 * (ISO 15765-2:2016 network layer timing), padding 0xCC (the value the
 * standard recommends), BS 0 and STmin 0 advertised, wft_max 10, retry 1 ms,
 * no callbacks. */
void isotp_cfg_default(struct isotp_cfg *cfg, uint32_t tx_id, uint32_t rx_id);
/* Normal fixed addressing (10.3): 29-bit 0x18DA<TA><SA> physical,
 * 0x18DB<TA><SA> functional. */
uint32_t isotp_fixed_id(uint8_t ta, uint8_t sa, bool functional);
/* Defaults for talking to `ecu` from `tester` with normal fixed addressing. */
void isotp_cfg_fixed(struct isotp_cfg *cfg, uint8_t ecu, uint8_t tester);

/* Check cfg and reset the link. -EINVAL for an impossible configuration. */
int isotp_init(struct isotp_link *l, const struct isotp_cfg *cfg, isotp_send_fn send, void *ud);

/* Start sending len bytes (1 .. 2^32-1). The data is not copied: it must stay
 * valid until on_tx_done runs. Returns 0 (on_tx_done will run exactly once,
 * possibly before this returns), -EBUSY while a send is in flight, -EINVAL,
 * or the driver's error when the very first frame failed (no callback then). */
int isotp_send(struct isotp_link *l, const uint8_t *data, size_t len, int64_t now_us);

/* Feed a received frame. True when it was addressed to this link (even if it
 * was then ignored as malformed); false when it belongs to someone else. */
bool isotp_on_frame(struct isotp_link *l, const struct evgw_frame *f, int64_t now_us);

/* Run timers: CF pacing, retries, N_Bs / N_Cr / N_As / N_Ar. Returns the
 * next deadline (absolute, microseconds) or ISOTP_NO_DEADLINE. */
int64_t isotp_poll(struct isotp_link *l, int64_t now_us);

/* Drop whatever is in flight in both directions without callbacks. */
void isotp_reset(struct isotp_link *l);

bool isotp_tx_busy(const struct isotp_link *l);
bool isotp_rx_busy(const struct isotp_link *l);

/* STmin byte -> microseconds (9.6.5.5): 0x00-0x7F ms, 0xF1-0xF9 100-900 us,
 * reserved values as 0x7F (127 ms). */
uint32_t isotp_stmin_us(uint8_t raw);

/* A short text for an ISOTP_ERR_* (or any negative errno). */
const char *isotp_strerror(int err);

#endif
