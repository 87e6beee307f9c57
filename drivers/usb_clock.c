// SPDX-License-Identifier: MIT
#include "drivers/usb_clock.h"

void evgw_usb_clock_init(struct evgw_usb_clock *c, uint32_t unit_us)
{
	*c = (struct evgw_usb_clock){.unit_us = unit_us ? unit_us : 1};
}

int64_t evgw_usb_clock_map(struct evgw_usb_clock *c, uint32_t raw, int64_t now_wall)
{
	if (c->anchored) {
		/* Unsigned difference: the counter's wrap-around is a forward step. */
		c->dev_us += (int64_t)(uint32_t)(raw - c->last_raw) * c->unit_us;
	}
	c->last_raw = raw;
	int64_t t = c->anchor_wall + (c->dev_us - c->anchor_dev);
	if (!c->anchored || t > now_wall || t < now_wall - EVGW_USB_CLOCK_SLACK_US) {
		c->anchored = true;
		c->anchor_dev = c->dev_us;
		c->anchor_wall = now_wall;
		t = now_wall;
	}
	return t;
}
