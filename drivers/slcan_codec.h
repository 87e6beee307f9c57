// SPDX-License-Identifier: MIT
/* The Lawicel / slcan ASCII protocol, without any I/O: commands and frames
 * encoded into text, received bytes split into lines and the lines parsed.
 * The tty driver (drivers/slcan.c) is built on it; tests and the fuzzer use
 * it alone.
 *
 * Grammar (adapters.md §3.1; kernel slcan-core.c; canable2-fw README):
 *   tIIIL<data>      classic, 11-bit id (3 hex), L = DLC 0..8, 2*L hex data
 *   TIIIIIIIIL<data> classic, 29-bit id (8 hex)
 *   rIIIL / RIIIIIIIIL  remote frames (no data)
 *   dIIIL / DIIIIIIIIL  CAN FD without BRS; bIIIL / BIIIIIIIIL  with BRS:
 *                    L is one hex DLC code 0..F (9 -> 12 ... F -> 64 bytes)
 *   any frame line may end in 4 hex digits: the adapter's ms timestamp (Z1)
 *   \r alone = OK, \a (BELL) = error, z\r / Z\r = std / ext frame sent
 *   Fxx             status flags (reply to F)
 *   e<n><codes>     bus errors, s<a|w|p|b><rx:3><tx:3> state (newer kernels)
 * A line ends at \r or \a (as in the kernel's slcan_unesc); \n is skipped so
 * that adapters writing \r\n work too. */
#ifndef EVGW_DRIVERS_SLCAN_CODEC_H
#define EVGW_DRIVERS_SLCAN_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

/* Longest valid line without its terminator: "B" + 8 id + 1 DLC + 128 data +
 * 4 timestamp = 142; version strings stay well below. Longer is garbage. */
#define EVGW_SLCAN_LINE_MAX 160
/* Longest encoded frame, with its \r: 1 + 8 + 1 + 128 + 1. */
#define EVGW_SLCAN_FRAME_TEXT_MAX 139

/* Which firmware family the adapter runs: decides what S7 means and how
 * listen-only is asked for (adapters.md §3.1, §8). */
enum evgw_slcan_fw {
	EVGW_SLCAN_FW_UNKNOWN = 0, /* Lawicel commands; S7 refused (ambiguous) */
	EVGW_SLCAN_FW_LAWICEL,     /* Lawicel, kernel slcan, canable2 forks: S7 = 800k, L */
	EVGW_SLCAN_FW_CANABLE,     /* normaldotcom canable-fw / canable2-fw: S7 = 750k, M1+O, no acks */
};

/* The S digit (0..8) for a nominal bitrate, or -EINVAL when the table has
 * no such rate, -ENOTUNIQ for 750k / 800k when fw is UNKNOWN (S7 means
 * 800k on Lawicel firmware but 750k on the CANable's), -EINVAL for the
 * rate the given firmware's S7 is not. */
int evgw_slcan_bitrate_code(uint32_t bitrate, enum evgw_slcan_fw fw);
/* The Y digit for a CAN FD data bitrate (500k..8M), or -EINVAL. */
int evgw_slcan_data_bitrate_code(uint32_t data_bitrate);

/* Encode a frame as a transmit command, "\r" included; returns the length
 * (the text is also NUL-terminated), -ENOSPC when cap is too small, -EINVAL
 * for what slcan cannot carry: error frames, remote FD frames, an id too
 * wide for its kind, a classic DLC above 8, an invalid FD length. */
int evgw_slcan_encode_frame(const struct evgw_frame *f, char *buf, size_t cap);

enum evgw_slcan_kind {
	EVGW_SLCAN_ACK = 1,   /* \r alone: the oldest command was accepted */
	EVGW_SLCAN_NACK,      /* \a: the oldest command was refused */
	EVGW_SLCAN_TX_ACK,    /* z / Z: a frame was queued for sending */
	EVGW_SLCAN_FRAME,     /* a received frame in .frame */
	EVGW_SLCAN_STATUS,    /* Fxx: flags in .status */
	EVGW_SLCAN_BUS_ERROR, /* e...: error frame in .frame */
	EVGW_SLCAN_STATE,     /* s...: .state, .rx_errors, .tx_errors, error frame in .frame */
	EVGW_SLCAN_INFO,      /* V / v / N / I / i replies: nothing to act on */
};

/* F flags (Lawicel; canable2-fw fork src/slcan.c enum). */
enum {
	EVGW_SLCAN_F_RX_FIFO_FULL = 0x01,
	EVGW_SLCAN_F_TX_FIFO_FULL = 0x02,
	EVGW_SLCAN_F_ERR_WARNING = 0x04,
	EVGW_SLCAN_F_DATA_OVERRUN = 0x08,
	EVGW_SLCAN_F_ERR_PASSIVE = 0x20,
	EVGW_SLCAN_F_ARB_LOST = 0x40,
	EVGW_SLCAN_F_BUS_ERROR = 0x80,
};

enum evgw_slcan_state {
	EVGW_SLCAN_ST_ACTIVE = 0,
	EVGW_SLCAN_ST_WARNING,
	EVGW_SLCAN_ST_PASSIVE,
	EVGW_SLCAN_ST_BUS_OFF,
};

struct evgw_slcan_msg {
	enum evgw_slcan_kind kind;
	struct evgw_frame frame;  /* FRAME, BUS_ERROR, STATE; ts_us and bus left 0 */
	bool has_ts;              /* FRAME: a timestamp followed the data */
	uint16_t ts_ms;
	uint8_t status;           /* STATUS */
	enum evgw_slcan_state state; /* STATE */
	uint16_t rx_errors, tx_errors; /* STATE: 0..999 as sent */
	bool overrun;             /* BUS_ERROR with 'o', STATUS with the overrun flag */
};

/* Parse one line (without its terminator; bell = it ended in \a). Returns
 * 0 with *out filled, or -EINVAL for a malformed line. Never reads past len. */
int evgw_slcan_parse_line(const char *line, size_t len, bool bell, struct evgw_slcan_msg *out);

/* Error frame (linux/can/error.h layout) for a change of state, as the
 * kernel's slcan_bump_state + can_change_state build it; counters clamped to 255. */
void evgw_slcan_state_frame(enum evgw_slcan_state st, unsigned rx_errors, unsigned tx_errors,
			    struct evgw_frame *f);
/* Error frame for an F reply, given the flags of the one before: its
 * events (overrun, bus error, lost arbitration) and a change of the
 * warning / passive level (F does not say which side: both bits are set).
 * False when there is nothing to report. */
bool evgw_slcan_status_frame(uint8_t flags, uint8_t prev_flags, struct evgw_frame *f);

/* Splits a byte stream into lines with a bounded buffer. Lines that do not
 * fit are dropped whole (up to their terminator) and counted. */
struct evgw_slcan_lines {
	char buf[EVGW_SLCAN_LINE_MAX];
	size_t len;
	bool overlong;            /* dropping until the next terminator */
	uint64_t dropped;         /* over-long lines dropped */
};

/* Consume bytes from in[0..n) until a line is complete: returns the bytes
 * consumed; when a line ended, *line / *len / *bell describe it (valid
 * until the next call) and *got is true. Call again with the rest. */
size_t evgw_slcan_lines_next(struct evgw_slcan_lines *lb, const char *in, size_t n, bool *got,
			     const char **line, size_t *len, bool *bell);

/* Turns the adapter's 16-bit ms timestamps (wrapping at 60000, or at 65536
 * on firmwares that count further) into wall-clock times: the offset to
 * the host clock follows the smallest delay seen, so frames read late from
 * a full buffer keep their spacing, and a device clock that drifts is
 * pulled back to the host's. */
struct evgw_slcan_clock {
	bool started;
	uint16_t last_ms;
	uint32_t wrap;            /* 60000, or 65536 once a larger value was seen */
	int64_t dev_us;           /* device time, unwrapped */
	int64_t offset_us;        /* host wall time - device time */
};

int64_t evgw_slcan_clock_stamp(struct evgw_slcan_clock *c, uint16_t ts_ms, int64_t now_us);

#endif
