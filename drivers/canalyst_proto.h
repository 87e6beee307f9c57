// SPDX-License-Identifier: MIT
/* The CANalyst-II / USBCAN-II (04d8:0053) protocol as reverse-engineered by
 * projectgus/python-canalystii@7ef3a4a (canalystii/protocol.py, device.py),
 * summarised in adapters.md §2: 64-byte commands on the command endpoints,
 * 21-byte messages packed three to a 64-byte buffer on the message
 * endpoints, SJA1000 BTR0/BTR1 timing, timestamps in 100 us ticks. */
#ifndef EVGW_DRIVERS_CANALYST_PROTO_H
#define EVGW_DRIVERS_CANALYST_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

#define CANALYST_VID 0x04D8u
#define CANALYST_PID 0x0053u
#define CANALYST_CHANNELS 2u
/* Endpoints per channel (device.py CHANNEL_TO_*_EP): messages 1/3, commands 2/4. */
#define CANALYST_EP_MSG(ch) ((uint8_t)(1u + 2u * (ch)))
#define CANALYST_EP_CMD(ch) ((uint8_t)(2u + 2u * (ch)))

#define CANALYST_PACKET 64u     /* every command, reply and message buffer */
#define CANALYST_MSG_SIZE 21u   /* protocol.py Message, packed */
#define CANALYST_MSGS_PER_BUF 3u
#define CANALYST_TICK_US 100u   /* Message.timestamp unit */

/* Command opcodes (protocol.py COMMAND_*). */
enum canalyst_cmd {
	CANALYST_CMD_INIT = 0x01,
	CANALYST_CMD_START = 0x02,
	CANALYST_CMD_STOP = 0x03,
	CANALYST_CMD_CLEAR_RX = 0x05,
	CANALYST_CMD_MESSAGE_STATUS = 0x0A,
	CANALYST_CMD_CAN_STATUS = 0x0B,
	CANALYST_CMD_PREINIT = 0x13,
};

/* Message.send_type bits (protocol.py SEND_TYPE_*). */
#define CANALYST_SEND_NORETRY 0x01u
#define CANALYST_SEND_ECHO 0x02u

struct canalyst_msg {
	uint32_t can_id;
	uint32_t timestamp; /* 100 us ticks */
	uint8_t time_flag;
	uint8_t send_type;
	uint8_t remote;
	uint8_t extended;
	uint8_t data_len;
	uint8_t data[8];
};

struct canalyst_status {
	uint32_t rx_pending;
	uint16_t tx_pending;
};

/* A command packet with no body (START, STOP, CLEAR_RX, MESSAGE_STATUS...). */
void canalyst_cmd_simple(uint32_t cmd, uint8_t out[CANALYST_PACKET]);
/* INIT with the body python-canalystii sends and the given BTR0/BTR1. */
void canalyst_cmd_init(uint8_t btr0, uint8_t btr1, uint8_t out[CANALYST_PACKET]);
/* MESSAGE_STATUS reply; -EBADMSG when short. */
int canalyst_status_decode(const uint8_t *buf, size_t len, struct canalyst_status *st);

/* Bytes to read for rx_pending messages: one spare buffer, as device.py does. */
size_t canalyst_rx_read_size(uint32_t rx_pending);

void canalyst_msg_encode(const struct canalyst_msg *m, uint8_t out[CANALYST_MSG_SIZE]);
void canalyst_msg_decode(const uint8_t in[CANALYST_MSG_SIZE], struct canalyst_msg *m);

/* Call fn for each message in a message-endpoint transfer (a whole number
 * of 64-byte buffers, each a count 0..3 and three slots). Returns the number
 * of messages, or -EBADMSG for a ragged length or a count above 3 (the
 * buffers before it have been delivered). */
typedef void (*canalyst_msg_fn)(void *ud, const struct canalyst_msg *m);
int canalyst_parse_buffers(const uint8_t *buf, size_t len, canalyst_msg_fn fn, void *ud);

/* Pack up to three frames into one 64-byte buffer; returns how many were
 * packed, or -EINVAL when the first cannot be sent (FD, error frame, id). */
int canalyst_pack_buffer(const struct evgw_frame *frames, unsigned n, uint8_t send_type,
			 uint8_t out[CANALYST_PACKET]);

int canalyst_msg_to_evgw(const struct canalyst_msg *m, struct evgw_frame *f);
int canalyst_msg_from_evgw(const struct evgw_frame *f, uint8_t send_type, struct canalyst_msg *m);

/* BTR0/BTR1 for a bitrate: the python-canalystii table (device.py TIMINGS),
 * matched within 0.1 % of what each entry really gives. -EINVAL if absent. */
int canalyst_btr_lookup(uint32_t bitrate, uint8_t *btr0, uint8_t *btr1);
/* BTR0/BTR1 for any bitrate: the table first, else the kernel's bit-timing
 * search with the SJA1000's limits at its 8 MHz CAN clock. -EINVAL when
 * nothing within 5 % exists. */
int canalyst_btr_for(uint32_t bitrate, uint8_t *btr0, uint8_t *btr1);
/* The bitrate an SJA1000 at 16 MHz gets from BTR0/BTR1 (adapters.md §2, derived). */
uint32_t canalyst_btr_bitrate(uint8_t btr0, uint8_t btr1);

#endif
