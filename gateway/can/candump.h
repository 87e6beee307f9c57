// SPDX-License-Identifier: MIT
/* Parser for can-utils' text frame formats.
 *
 * Log line (candump -l, canplayer):  "(1436509052.249713) can0 123#1122334455667788"
 * Compact frame (cansend):           "123#1122334455667788"
 *
 * Frame grammar (can-utils lib.h, documented here so the parser can be read alone):
 *   III#DD..            standard id: exactly 3 hex digits; data 0..8 bytes as hex pairs,
 *                       optionally separated by '.'. Longer payloads (up to 64 bytes,
 *                       as some tools write them) are read as they are, not as FD.
 *   IIIIIIII#DD..       extended id: exactly 8 hex digits (29 bits)
 *   III#R / III#Rn      remote frame, optional length digit n (0..8)
 *   III#DD.._L          classic frame with a raw DLC L (hex 9..F) for 8-byte payloads
 *   III##FDD..          CAN FD frame: one hex flags nibble F, then 0..64 data bytes
 *                       (a valid FD length). Flags: 0x1 BRS, 0x2 ESI, 0x4 FDF. Older
 *                       can-utils wrote the nibble without FDF (0..3), current ones set
 *                       FDF (4..7); both mean a CAN FD frame.
 *   2xxxxxxx#DD..       an 8-digit id with bit 29 (CAN_ERR_FLAG) set is an error frame;
 *                       its data is the linux/can/error.h layout (8 bytes).
 *
 * A log line may end in a direction mark after the frame, " R" (received) or
 * " T" (transmitted), as candump -l -x writes it (can-utils' candump.c, 2021
 * on), canplayer and python-can read it, and evgw's recorder writes " T".
 *
 * The parser is a bounded cursor over untrusted bytes: it never reads past `len`,
 * never allocates, and reports where the line went wrong. */
#ifndef EVGW_CAN_CANDUMP_H
#define EVGW_CAN_CANDUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "can/frame.h"

struct evgw_candump_line {
	struct evgw_frame frame;
	bool has_ts;             /* the line carried "(sec.usec)" */
	const char *iface;       /* interface name, a slice of the input line (not terminated) */
	size_t iface_len;        /* 0 for the compact form */
	bool tx;                 /* the line ended in the direction mark " T" */
};

enum evgw_candump_result {
	EVGW_CANDUMP_FRAME = 0,  /* a frame was parsed */
	EVGW_CANDUMP_BLANK = 1,  /* empty or whitespace-only line, or a '#' comment */
};

/* Parse one line (without or with its trailing "\n" / "\r\n"). Returns an
 * enum evgw_candump_result on success, or -EINVAL on malformed input; then
 * *err_col (1-based byte column) and *err_msg (static text) say where and what. */
int evgw_candump_parse_line(const char *line, size_t len, struct evgw_candump_line *out,
			    size_t *err_col, const char **err_msg);

/* Write a frame in the compact form, never with '.' separators: e.g.
 * "123#1122", "1ABCDEF0##5AABB", "123#R4". buf needs at most 8+2+1+128+1 = 140
 * bytes. Returns the string length, -ENOSPC when buf is too small, or
 * -EINVAL for a frame the text form cannot hold (id too wide for its kind,
 * invalid FD length, remote FD, remote or FD error frame, DLC above 15).
 * Flags without meaning there (BRS/ESI on a classic frame) are dropped.
 * On success of the parser, *err_col is 0 and *err_msg NULL; *out is zeroed
 * first in every case; iface is NULL for the compact form. */
int evgw_candump_format_frame(const struct evgw_frame *f, char *buf, size_t cap);

#endif
