// SPDX-License-Identifier: MIT
/* Which USB adapter and channel a bus uses: the `device` string of the
 * gsusb and canalyst drivers.
 *
 *   [VID:PID][@SERIAL][#CHANNEL]
 *
 * VID:PID in hex (1-4 digits each), any ID the driver knows when absent;
 * SERIAL is the USB serial-number string, any adapter when absent;
 * CHANNEL is a decimal channel number, 0 when absent. Examples:
 * "" (the first known adapter, channel 0), "#1", "@0042001C5346",
 * "1d50:606f@0042001C5346#1", "04d8:0053#1". */
#ifndef EVGW_DRIVERS_USB_SPEC_H
#define EVGW_DRIVERS_USB_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVGW_USB_SERIAL_MAX 64
#define EVGW_USB_CHANNEL_MAX 15

struct evgw_usb_spec {
	bool has_id;
	uint16_t vid, pid;
	char serial[EVGW_USB_SERIAL_MAX]; /* "" = any */
	unsigned channel;
};

/* -EINVAL with a reason in err when s is malformed; NULL or "" is "any". */
int evgw_usb_spec_parse(const char *s, struct evgw_usb_spec *out, char *err, size_t errlen);

/* VID:PID pairs a driver probes when the spec names none. */
struct evgw_usb_id {
	uint16_t vid, pid;
};

/* Whether a device with this vid:pid and serial is what spec asks for;
 * with no ID in the spec, one of ids[0..n) must match. serial may be NULL
 * when the spec names none. */
bool evgw_usb_spec_matches(const struct evgw_usb_spec *spec, const struct evgw_usb_id *ids,
			   size_t n, uint16_t vid, uint16_t pid, const char *serial);

#endif
