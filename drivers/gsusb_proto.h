// SPDX-License-Identifier: MIT
/* The gs_usb wire protocol (candleLight, CANable, CANtact and friends):
 * control requests, device structs and the host frame carried on the bulk
 * endpoints. Everything is little-endian and packed; the codecs work on
 * byte buffers, never on overlaid structs. Facts from adapters.md §1
 * (linux drivers/net/can/usb/gs_usb.c@0024675, candleLight_fw@64dc8dc
 * include/gs_usb.h). */
#ifndef EVGW_DRIVERS_GSUSB_PROTO_H
#define EVGW_DRIVERS_GSUSB_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"
#include "drivers/usb_bittiming.h"

/* Control requests, bRequest values (adapters.md §1.3). */
enum gsusb_request {
	GSUSB_REQ_HOST_FORMAT = 0,
	GSUSB_REQ_BITTIMING = 1,
	GSUSB_REQ_MODE = 2,
	GSUSB_REQ_BERR = 3,
	GSUSB_REQ_BT_CONST = 4,
	GSUSB_REQ_DEVICE_CONFIG = 5,
	GSUSB_REQ_TIMESTAMP = 6,
	GSUSB_REQ_IDENTIFY = 7,
	GSUSB_REQ_GET_USER_ID = 8,
	GSUSB_REQ_SET_USER_ID = 9,
	GSUSB_REQ_DATA_BITTIMING = 10,
	GSUSB_REQ_BT_CONST_EXT = 11,
	GSUSB_REQ_SET_TERMINATION = 12,
	GSUSB_REQ_GET_TERMINATION = 13,
	GSUSB_REQ_GET_STATE = 14,
};

/* bmRequestType: vendor, recipient interface (adapters.md §1.3). */
#define GSUSB_RT_OUT 0x41
#define GSUSB_RT_IN 0xC1
/* HOST_FORMAT's payload; candleLight ignores it (adapters.md §1.3). */
#define GSUSB_HOST_FORMAT_LE 0x0000beefu

/* BT_CONST.feature and MODE.flags share bit positions (adapters.md §1.4). */
enum gsusb_feature {
	GSUSB_FEAT_LISTEN_ONLY = 1u << 0,
	GSUSB_FEAT_LOOP_BACK = 1u << 1,
	GSUSB_FEAT_TRIPLE_SAMPLE = 1u << 2,
	GSUSB_FEAT_ONE_SHOT = 1u << 3,
	GSUSB_FEAT_HW_TIMESTAMP = 1u << 4,
	GSUSB_FEAT_IDENTIFY = 1u << 5,
	GSUSB_FEAT_USER_ID = 1u << 6,
	GSUSB_FEAT_PAD_PKTS = 1u << 7,
	GSUSB_FEAT_FD = 1u << 8,
	GSUSB_FEAT_REQ_USB_QUIRK_LPC546XX = 1u << 9,
	GSUSB_FEAT_BT_CONST_EXT = 1u << 10,
	GSUSB_FEAT_TERMINATION = 1u << 11,
	GSUSB_FEAT_BERR_REPORTING = 1u << 12,
	GSUSB_FEAT_GET_STATE = 1u << 13,
};

enum gsusb_mode { GSUSB_MODE_RESET = 0, GSUSB_MODE_START = 1 };

/* gs_host_frame.flags (adapters.md §1.5). */
enum gsusb_frame_flag {
	GSUSB_FLAG_OVERFLOW = 1u << 0,
	GSUSB_FLAG_FD = 1u << 1,
	GSUSB_FLAG_BRS = 1u << 2,
	GSUSB_FLAG_ESI = 1u << 3,
};

/* gs_device_state.state (adapters.md §1.4). */
enum gsusb_can_state {
	GSUSB_STATE_ACTIVE = 0,
	GSUSB_STATE_WARNING,
	GSUSB_STATE_PASSIVE,
	GSUSB_STATE_BUS_OFF,
	GSUSB_STATE_STOPPED,
	GSUSB_STATE_SLEEPING,
};

/* echo_id of a received frame; anything else echoes a host TX. */
#define GSUSB_ECHO_RX 0xFFFFFFFFu
/* The kernel keeps at most 10 frames in flight per channel (§1.6). */
#define GSUSB_MAX_ECHO 10u
/* Channels: icount + 1, the kernel takes at most 3 (§1.3). */
#define GSUSB_MAX_CHANNELS 3u

/* SocketCAN's can_id flag bits, also used in the host frame (§1.5). */
#define GSUSB_CAN_EFF 0x80000000u
#define GSUSB_CAN_RTR 0x40000000u
#define GSUSB_CAN_ERR 0x20000000u

/* Struct sizes on the wire (§1.4). */
#define GSUSB_DEVICE_CONFIG_SIZE 12u
#define GSUSB_BITTIMING_SIZE 20u
#define GSUSB_MODE_SIZE 8u
#define GSUSB_BT_CONST_SIZE 40u
#define GSUSB_BT_CONST_EXT_SIZE 72u
#define GSUSB_STATE_SIZE 12u
/* Host frame: header 12, data 8 or 64, optional 4-byte timestamp (§1.5). */
#define GSUSB_FRAME_HDR 12u
#define GSUSB_FRAME_MAX 80u

struct gsusb_device_config {
	uint8_t icount; /* channels - 1 */
	uint32_t sw_version, hw_version;
};

struct gsusb_bt_const {
	uint32_t feature;
	uint32_t fclk_can;
	struct evgw_bt_limits nominal;
	struct evgw_bt_limits data; /* BT_CONST_EXT only; zero otherwise */
};

struct gsusb_state {
	uint32_t state, rxerr, txerr;
};

struct gsusb_host_frame {
	uint32_t echo_id;
	uint32_t can_id; /* with the SocketCAN flag bits */
	uint8_t can_dlc;
	uint8_t channel;
	uint8_t flags;
	uint8_t reserved;
	uint8_t data[64];
	bool has_ts;
	uint32_t ts_us;
};

/* Bytes of a host frame in the given layout: 20, 24, 76 or 80 (§1.5). */
size_t gsusb_frame_size(bool fd, bool ts);

/* Host frame -> bytes; the layout is FD when flags carry GSUSB_FLAG_FD, the
 * timestamp is written when f->has_ts. Returns the length or -ENOSPC. */
int gsusb_frame_encode(const struct gsusb_host_frame *f, uint8_t *buf, size_t cap);

/* Bytes -> host frame. The layout follows the FD flag, the timestamp is read
 * when `ts` (the MODE had HW_TIMESTAMP). Bytes past the layout (padding) are
 * ignored; -EBADMSG when the transfer is shorter than its layout. */
int gsusb_frame_decode(const uint8_t *buf, size_t len, bool ts, struct gsusb_host_frame *f);

/* A received host frame as an evgw frame (ts_us left to the caller);
 * -EBADMSG for a DLC or length no CAN frame can have. */
int gsusb_frame_to_evgw(const struct gsusb_host_frame *h, struct evgw_frame *f);
/* An evgw frame as a host frame for TX; -EINVAL when it cannot be sent
 * (an error frame, an FD frame with fd == false, a bad length). */
int gsusb_frame_from_evgw(const struct evgw_frame *f, bool fd, uint8_t channel,
			  uint32_t echo_id, struct gsusb_host_frame *h);

int gsusb_device_config_decode(const uint8_t *buf, size_t len, struct gsusb_device_config *c);
/* BT_CONST (40 bytes) or BT_CONST_EXT (72 bytes, fills c->data). */
int gsusb_bt_const_decode(const uint8_t *buf, size_t len, struct gsusb_bt_const *c);
int gsusb_state_decode(const uint8_t *buf, size_t len, struct gsusb_state *s);
/* 20 bytes: prop_seg, phase_seg1, phase_seg2, sjw, brp. */
void gsusb_bittiming_encode(const struct evgw_bittiming *bt, uint8_t out[GSUSB_BITTIMING_SIZE]);
/* 8 bytes: mode, flags. */
void gsusb_mode_encode(uint32_t mode, uint32_t flags, uint8_t out[GSUSB_MODE_SIZE]);

/* Echo-id bookkeeping for one channel: which of the GSUSB_MAX_ECHO ids are
 * waiting for the device to echo them. */
struct gsusb_echo {
	uint16_t busy; /* bit i: echo id i is in flight */
	uint64_t confirmed, unknown;
};

/* A free echo id, marked busy; ids in `exclude` (bit i: id i) are skipped,
 * e.g. those whose OUT transfer has not completed yet although the device
 * already echoed them. -ENOBUFS when none is free. */
int gsusb_echo_take(struct gsusb_echo *e, uint16_t exclude);
/* The device echoed `id`: true when it was in flight (now free); an id not
 * in flight is counted as unknown and ignored, as the kernel does. */
bool gsusb_echo_done(struct gsusb_echo *e, uint32_t id);
/* Give an id back without an echo (its transfer failed). */
void gsusb_echo_release(struct gsusb_echo *e, uint32_t id);
unsigned gsusb_echo_in_flight(const struct gsusb_echo *e);

#endif
