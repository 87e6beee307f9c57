// SPDX-License-Identifier: MIT
/* A CAN or CAN FD frame as the core holds it. The layout is ours, not the
 * kernel's, so that the core builds on machines without linux/can.h; drivers
 * convert at the edge. Data bytes past `len` are not meaningful. */
#ifndef EVGW_CAN_FRAME_H
#define EVGW_CAN_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define EVGW_CAN_MAX_DLEN 8
#define EVGW_CANFD_MAX_DLEN 64

#define EVGW_CAN_SFF_MASK 0x000007FFu
#define EVGW_CAN_EFF_MASK 0x1FFFFFFFu

enum evgw_frame_flags {
	EVGW_FRAME_EXT = 1u << 0, /* 29-bit identifier */
	EVGW_FRAME_RTR = 1u << 1, /* remote request: no data */
	EVGW_FRAME_ERR = 1u << 2, /* error frame: id holds the error class (linux/can/error.h) */
	EVGW_FRAME_FD = 1u << 3,  /* CAN FD frame */
	EVGW_FRAME_BRS = 1u << 4, /* FD bit-rate switch */
	EVGW_FRAME_ESI = 1u << 5, /* FD error state indicator */
	EVGW_FRAME_TX = 1u << 6,  /* sent by evgw (requests, flow control), not received */
};

struct evgw_frame {
	int64_t ts_us;   /* receive time, microseconds since the Unix epoch */
	uint32_t id;     /* 11 or 29 bits, no flag bits */
	uint8_t len;     /* payload length in bytes, 0..64 */
	uint8_t flags;   /* enum evgw_frame_flags */
	uint8_t dlc;     /* classic: raw DLC 0..15 (>8 only with len8_dlc); FD: the DLC code */
	uint8_t bus;     /* index of the bus the frame came from */
	uint8_t data[EVGW_CANFD_MAX_DLEN];
};

/* A receive filter as SocketCAN applies it: a frame passes when its id
 * width matches `ext` and (frame id & mask) == (id & mask). */
struct evgw_can_filter {
	uint32_t id;
	uint32_t mask;
	bool ext;        /* the filter is for 29-bit ids */
};

/* CAN FD DLC code <-> length (ISO 11898-1:2015 table). */
uint8_t evgw_canfd_dlc_to_len(uint8_t dlc);
/* Smallest DLC whose length holds len bytes. */
uint8_t evgw_canfd_len_to_dlc(uint8_t len);
/* True when len is a length a CAN FD frame can carry (0..8,12,16,20,24,32,48,64). */
bool evgw_canfd_len_valid(uint8_t len);

#endif
