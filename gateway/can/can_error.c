// SPDX-License-Identifier: MIT
/* Error-frame classes and payload bytes are those of linux/can/error.h
 * (kernel Documentation/networking/can.rst, "Network Problem
 * Notifications"); adapters.md §6 lists them. Written out in can_error.h
 * so the core builds without the kernel's headers. */
#include "can/can_error.h"

void evgw_can_error_fold(struct evgw_can_errstate *s, const struct evgw_frame *f)
{
	uint32_t cls = f->id;
	const uint8_t *d = f->data;
	/* error.h frames always carry 8 bytes; shorter ones are read as zeros */
	uint8_t b[8] = {0};
	for (unsigned i = 0; i < 8 && i < f->len; i++)
		b[i] = d[i];

	if (cls & EVGW_CAN_ERR_LOSTARB)
		s->lost_arbitration++;
	if (cls & (EVGW_CAN_ERR_PROT | EVGW_CAN_ERR_TRX | EVGW_CAN_ERR_ACK | EVGW_CAN_ERR_TX_TIMEOUT | EVGW_CAN_ERR_BUSERROR))
		s->bus_errors++;
	if (cls & EVGW_CAN_ERR_CRTL) {
		uint8_t c = b[1];
		if (c & (EVGW_CAN_ERR_CRTL_RX_OVERFLOW | EVGW_CAN_ERR_CRTL_TX_OVERFLOW))
			s->controller_overruns++;
		/* The most severe condition named wins; ACTIVE alone means back to normal. */
		if (c & (EVGW_CAN_ERR_CRTL_RX_PASSIVE | EVGW_CAN_ERR_CRTL_TX_PASSIVE))
			s->state = EVGW_BUS_PASSIVE;
		else if (c & (EVGW_CAN_ERR_CRTL_RX_WARNING | EVGW_CAN_ERR_CRTL_TX_WARNING))
			s->state = EVGW_BUS_WARNING;
		else if (c & EVGW_CAN_ERR_CRTL_ACTIVE)
			s->state = EVGW_BUS_ACTIVE;
	}
	if (cls & EVGW_CAN_ERR_CNT) {
		s->tx_errors = b[6];
		s->rx_errors = b[7];
	}
	if (cls & EVGW_CAN_ERR_BUSOFF) {
		if (s->state != EVGW_BUS_OFF)
			s->bus_offs++;
		s->state = EVGW_BUS_OFF;
	}
	if (cls & EVGW_CAN_ERR_RESTARTED) {
		s->restarts++;
		s->state = EVGW_BUS_ACTIVE;
		s->tx_errors = s->rx_errors = 0;
	}
}

enum evgw_bus_state evgw_can_state_from_netlink(int can_state)
{
	switch (can_state) {
	case 0: return EVGW_BUS_ACTIVE;
	case 1: return EVGW_BUS_WARNING;
	case 2: return EVGW_BUS_PASSIVE;
	case 3: return EVGW_BUS_OFF;
	default: return EVGW_BUS_DOWN; /* stopped, sleeping */
	}
}
