// SPDX-License-Identifier: MIT
/* An adapter's free-running 32-bit timestamp counter mapped onto the wall
 * clock: the first frame anchors it, later frames keep the device's spacing
 * (so bursts keep their real gaps), and the anchor is re-taken when the
 * mapped time runs ahead of now or falls too far behind (drift, a reset
 * counter, a long gap). */
#ifndef EVGW_DRIVERS_USB_CLOCK_H
#define EVGW_DRIVERS_USB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* How far behind the host's clock a mapped time may fall before re-anchoring. */
#define EVGW_USB_CLOCK_SLACK_US 200000

struct evgw_usb_clock {
	uint32_t unit_us;   /* microseconds per tick: 1 gs_usb, 100 CANalyst-II */
	bool anchored;
	uint32_t last_raw;
	int64_t dev_us;     /* unwrapped device time */
	int64_t anchor_dev, anchor_wall;
};

void evgw_usb_clock_init(struct evgw_usb_clock *c, uint32_t unit_us);
/* Wall-clock microseconds for a frame stamped `raw`, received at now_wall. */
int64_t evgw_usb_clock_map(struct evgw_usb_clock *c, uint32_t raw, int64_t now_wall);

#endif
