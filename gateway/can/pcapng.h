// SPDX-License-Identifier: MIT
/* pcapng files of CAN frames (Wireshark, tshark, tcpdump read them).
 *
 * Block layouts (pcapng, draft-ietf-opsawg-pcapng; every block is
 * type u32, total length u32, body, total length u32 again, padded to 4):
 *   Section Header (0x0A0D0D0A): byte-order magic 0x1A2B3C4D, version 1.0,
 *     section length i64 (-1: unknown), options.
 *   Interface Description (1): link type u16, reserved u16, snap length u32,
 *     options (if_name 2, if_tsresol 9: one byte, 10^-n or 2^-(n&0x7F) s
 *     when bit 7 is set; if_tsoffset 14: i64 seconds).
 *   Enhanced Packet (6): interface id u32, timestamp high u32, low u32,
 *     captured length u32, original length u32, data padded to 4, options
 *     (epb_flags 2: u32, bits 0-1 the direction, 1 inbound, 2 outbound).
 *   Options: code u16, length u16, value padded to 4; code 0 ends them;
 *     opt_comment (1) is UTF-8 text in any block.
 * Packets are LINKTYPE_CAN_SOCKETCAN (227, tcpdump.org/linktypes): CAN id
 * and flags u32 big-endian (0x80000000 extended, 0x40000000 remote,
 * 0x20000000 error frame), payload length u8, FD flags u8 (0x01 BRS,
 * 0x02 ESI, 0x04 FDF: a CAN FD frame), reserved u8, len8_dlc u8 (a raw DLC
 * 9..15 of an 8-byte classic frame), then the payload. Without FDF a
 * 72-byte packet is CAN FD and a 16-byte one classic (older writers);
 * CAN XL (bit 0x80 of the length octet) is not read.
 *
 * evgw writes little-endian sections with microsecond timestamps
 * (if_tsresol 6), packets at the kernel's sizes (16 bytes classic, 72 FD)
 * and epb_flags only for frames evgw sent. The reader takes either byte
 * order, any resolution, several sections; it is a bounded cursor over
 * untrusted bytes and says at which byte of the file a block went wrong. */
#ifndef EVGW_CAN_PCAPNG_H
#define EVGW_CAN_PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "can/frame.h"

#define EVGW_PCAPNG_LINKTYPE_CAN_SOCKETCAN 227
#define EVGW_PCAPNG_MAGIC "\x0A\x0D\x0D\x0A"
/* The largest EPB evgw writes without a comment. */
#define EVGW_PCAPNG_EPB_MAX (28 + 72 + 8 + 4 + 4)

/* Section Header Block with one opt_comment per comment (NULL: none).
 * Returns the block's length, or -ENOSPC when cap is too small, -EINVAL for a
 * comment over 65535 bytes. Every put_ function does the same. */
int evgw_pcapng_put_shb(uint8_t *buf, size_t cap, const char *const *comments, unsigned n_comments);
/* Interface Description Block: LINKTYPE_CAN_SOCKETCAN, if_name, if_tsresol 6. */
int evgw_pcapng_put_idb(uint8_t *buf, size_t cap, const char *if_name);
/* Enhanced Packet Block for f on interface ifid, with comments before it
 * (opt_comment, may be NULL). -EINVAL for a frame the link type cannot hold. */
int evgw_pcapng_put_epb(uint8_t *buf, size_t cap, uint32_t ifid, const struct evgw_frame *f,
			const char *const *comments, const size_t *comment_lens, unsigned n_comments);
/* Bytes put_epb needs for f and comments of that total length and count. */
size_t evgw_pcapng_epb_size(const struct evgw_frame *f, size_t comments_total, unsigned n_comments);

/* ---- reading ---- */

#define EVGW_PCAPNG_MAX_IFACES 256
#define EVGW_PCAPNG_MAX_BLOCK (256u << 10)   /* larger blocks of kinds we read are refused */
#define EVGW_PCAPNG_MAX_COMMENTS 8          /* comments kept per block; more are dropped */

typedef ssize_t (*evgw_pcapng_read_fn)(void *ud, void *buf, size_t cap);

struct evgw_pcapng_iface {
	char name[64];        /* if_name, or "" */
	uint16_t linktype;
	uint8_t tsresol;
	int64_t tsoffset_s;
};

struct evgw_pcapng_reader {
	evgw_pcapng_read_fn read;
	void *ud;
	uint8_t *buf;         /* one block at a time */
	uint8_t *ahead;       /* what read gave beyond it (a read per block would be a system call) */
	size_t ahead_pos, ahead_len;
	size_t have;          /* bytes of the current block read so far */
	uint64_t offset;      /* file offset of the next block */
	bool big_endian;
	bool in_section;
	bool eof;
	struct evgw_pcapng_iface ifaces[EVGW_PCAPNG_MAX_IFACES];
	unsigned n_ifaces;
	uint64_t skipped;     /* blocks of other kinds, packets of other link types, CAN XL */
};

enum evgw_pcapng_kind {
	EVGW_PCAPNG_SECTION = 1, /* a Section Header: comments only */
	EVGW_PCAPNG_FRAME = 2,   /* a CAN frame */
};

struct evgw_pcapng_record {
	enum evgw_pcapng_kind kind;
	struct evgw_frame frame;              /* FRAME; TX set for outbound packets */
	const struct evgw_pcapng_iface *iface; /* FRAME */
	uint32_t ifid;
	uint64_t offset;                      /* the block's place in the file */
	const char *comments[EVGW_PCAPNG_MAX_COMMENTS]; /* slices of the block, not terminated */
	size_t comment_lens[EVGW_PCAPNG_MAX_COMMENTS];
	unsigned n_comments;
};

/* read(ud, buf, cap): up to cap bytes, 0 at the end, negative errno. */
int evgw_pcapng_reader_init(struct evgw_pcapng_reader *r, evgw_pcapng_read_fn read, void *ud);
void evgw_pcapng_reader_free(struct evgw_pcapng_reader *r);
/* The next section or frame: 1, 0 at the end of the file, or a negative
 * errno: -EINVAL (-EBADMSG for a truncated file) with err saying what, at
 * "byte N" (the offset of the block), or the read function's error.
 * Records point into the reader's buffer until the next call. */
int evgw_pcapng_next(struct evgw_pcapng_reader *r, struct evgw_pcapng_record *rec, char *err, size_t errlen);

#endif
