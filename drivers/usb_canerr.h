/* SocketCAN error frames (as gs_usb devices send them) folded into a bus
 * status: state, error counters, overruns. */
#ifndef EVGW_DRIVERS_USB_CANERR_H
#define EVGW_DRIVERS_USB_CANERR_H

#include "can/frame.h"
#include "drivers/driver.h"

/* Error classes in the id of an error frame and controller detail in
 * data[1] (linux include/uapi/linux/can/error.h). */
#define EVGW_CAN_ERR_CRTL 0x00000004u
#define EVGW_CAN_ERR_BUSOFF 0x00000040u
#define EVGW_CAN_ERR_RESTARTED 0x00000100u
#define EVGW_CAN_ERR_CNT 0x00000200u
#define EVGW_CAN_ERR_CRTL_RX_OVERFLOW 0x01u
#define EVGW_CAN_ERR_CRTL_TX_OVERFLOW 0x02u
#define EVGW_CAN_ERR_CRTL_RX_WARNING 0x04u
#define EVGW_CAN_ERR_CRTL_TX_WARNING 0x08u
#define EVGW_CAN_ERR_CRTL_RX_PASSIVE 0x10u
#define EVGW_CAN_ERR_CRTL_TX_PASSIVE 0x20u
#define EVGW_CAN_ERR_CRTL_ACTIVE 0x40u

/* Apply one error frame (EVGW_FRAME_ERR) to st; other frames are ignored. */
void evgw_canerr_apply(const struct evgw_frame *f, struct evgw_bus_status *st);

#endif
