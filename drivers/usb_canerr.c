/* The same reading of error frames as the kernel's gs_usb (gs_update_state
 * in gs_usb.c@0024675, adapters.md §1.6): bus-off and restart from the
 * class bits, warning/passive/active from the controller byte, the counters
 * from data[6] (tx) and data[7] (rx) when CAN_ERR_CNT is set. */
#include "drivers/usb_canerr.h"

void evgw_canerr_apply(const struct evgw_frame *f, struct evgw_bus_status *st)
{
	if (!(f->flags & EVGW_FRAME_ERR))
		return;
	if (f->id & EVGW_CAN_ERR_CRTL) {
		uint8_t c = f->data[1];
		if (c & (EVGW_CAN_ERR_CRTL_RX_PASSIVE | EVGW_CAN_ERR_CRTL_TX_PASSIVE))
			st->state = EVGW_BUS_PASSIVE;
		else if (c & (EVGW_CAN_ERR_CRTL_RX_WARNING | EVGW_CAN_ERR_CRTL_TX_WARNING))
			st->state = EVGW_BUS_WARNING;
		else if (c & EVGW_CAN_ERR_CRTL_ACTIVE)
			st->state = EVGW_BUS_ACTIVE;
		if (c & EVGW_CAN_ERR_CRTL_RX_OVERFLOW)
			st->overruns++;
	}
	if (f->id & EVGW_CAN_ERR_RESTARTED)
		st->state = EVGW_BUS_ACTIVE;
	if (f->id & EVGW_CAN_ERR_BUSOFF)
		st->state = EVGW_BUS_OFF;
	if (f->id & EVGW_CAN_ERR_CNT) {
		st->tx_errors = f->data[6];
		st->rx_errors = f->data[7];
	}
}
