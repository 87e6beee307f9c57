// SPDX-License-Identifier: MIT
/* What error frames say about a bus: its state, its controller's error
 * counters and the frames lost in the controller. Every driver reports
 * errors as SocketCAN error frames (linux/can/error.h layout), so the core
 * folds them here, whatever the adapter. */
#ifndef EVGW_CAN_CAN_ERROR_H
#define EVGW_CAN_CAN_ERROR_H

#include <stdint.h>

#include "can/frame.h"
#include "can/bus_state.h"

/* Error classes (can_id bits of an error frame, linux/can/error.h). */
#define EVGW_CAN_ERR_TX_TIMEOUT 0x001u
#define EVGW_CAN_ERR_LOSTARB 0x002u
#define EVGW_CAN_ERR_CRTL 0x004u
#define EVGW_CAN_ERR_PROT 0x008u
#define EVGW_CAN_ERR_TRX 0x010u
#define EVGW_CAN_ERR_ACK 0x020u
#define EVGW_CAN_ERR_BUSOFF 0x040u
#define EVGW_CAN_ERR_BUSERROR 0x080u
#define EVGW_CAN_ERR_RESTARTED 0x100u
#define EVGW_CAN_ERR_CNT 0x200u
/* data[1] of a CRTL error */
#define EVGW_CAN_ERR_CRTL_RX_OVERFLOW 0x01u
#define EVGW_CAN_ERR_CRTL_TX_OVERFLOW 0x02u
#define EVGW_CAN_ERR_CRTL_RX_WARNING 0x04u
#define EVGW_CAN_ERR_CRTL_TX_WARNING 0x08u
#define EVGW_CAN_ERR_CRTL_RX_PASSIVE 0x10u
#define EVGW_CAN_ERR_CRTL_TX_PASSIVE 0x20u
#define EVGW_CAN_ERR_CRTL_ACTIVE 0x40u

struct evgw_can_errstate {
	enum evgw_bus_state state;
	uint32_t rx_errors, tx_errors;
	uint64_t controller_overruns; /* CAN_ERR_CRTL_{RX,TX}_OVERFLOW reports */
	uint64_t bus_errors;          /* protocol, ACK, transceiver, TX timeout */
	uint64_t lost_arbitration;
	uint64_t bus_offs, restarts;
};

/* Fold one error frame (f->flags has EVGW_FRAME_ERR; f->id is the error
 * class mask, f->data the error.h payload) into s. */
void evgw_can_error_fold(struct evgw_can_errstate *s, const struct evgw_frame *f);

/* The netlink CAN state (enum can_state in linux/can/netlink.h: 0 active,
 * 1 warning, 2 passive, 3 bus-off, 4 stopped, 5 sleeping) as a bus state. */
enum evgw_bus_state evgw_can_state_from_netlink(int can_state);

#endif
