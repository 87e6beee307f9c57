// SPDX-License-Identifier: MIT
/* CAN bit timing from a bitrate, a controller clock and its limits: the
 * Linux kernel's can_calc_bittiming() algorithm, so that evgw picks the
 * same registers the kernel would for the same adapter (adapters.md §1.8,
 * from linux drivers/net/can/dev/calc_bittiming.c@1d147cb). */
#ifndef EVGW_DRIVERS_USB_BITTIMING_H
#define EVGW_DRIVERS_USB_BITTIMING_H

#include <stdint.h>

/* The controller's limits, as gs_usb's BT_CONST reports them. */
struct evgw_bt_limits {
	uint32_t tseg1_min, tseg1_max;
	uint32_t tseg2_min, tseg2_max;
	uint32_t sjw_max;
	uint32_t brp_min, brp_max, brp_inc;
};

struct evgw_bittiming {
	uint32_t bitrate;      /* the real bitrate these registers give */
	uint32_t sample_point; /* per mille */
	uint32_t tq_ns;        /* time quantum, truncated */
	uint32_t prop_seg, phase_seg1, phase_seg2, sjw, brp;
};

/* The CiA sample point the kernel defaults to (per mille). */
uint32_t evgw_bt_default_sample_point(uint32_t bitrate);

/* Registers for `bitrate` on a controller clocked at clk Hz; sp_ref is the
 * wanted sample point in per mille (0: the CiA default). -EINVAL when the
 * bitrate cannot be reached within 5 % or the inputs make no sense. */
int evgw_bt_calc(uint32_t clk, const struct evgw_bt_limits *lim, uint32_t bitrate,
		 uint32_t sp_ref, struct evgw_bittiming *out);

#endif
