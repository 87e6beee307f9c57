// SPDX-License-Identifier: MIT
/* Frames received for one channel of a USB adapter, waiting for that
 * channel's bus to read them, and the eventfd that wakes the bus: libusb
 * completes transfers for every channel of a device in whichever bus
 * happens to run the events, so each channel gets its own queue and its
 * own wake-up. A full ring drops the newest frame and counts it. */
#ifndef EVGW_DRIVERS_USB_RING_H
#define EVGW_DRIVERS_USB_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "can/frame.h"

#define EVGW_USB_RING_FRAMES 4096u /* ~0.5 s of a saturated 1 Mbit/s bus */

struct evgw_usb_ring {
	struct evgw_frame *frames;
	uint32_t head, tail; /* free-running; head - tail frames queued */
	uint64_t dropped;
	int wake_fd;         /* eventfd, -1 when none */
	bool woken;          /* the eventfd has been written since last read */
	bool held;           /* the reader runs the events itself: no wake-up needed */
};

/* 0 or -errno; the ring is empty and its eventfd quiet. */
int evgw_usb_ring_init(struct evgw_usb_ring *r);
void evgw_usb_ring_free(struct evgw_usb_ring *r);
/* A slot for the next frame (NULL when full: counted as dropped); commit it
 * with evgw_usb_ring_commit. */
struct evgw_frame *evgw_usb_ring_slot(struct evgw_usb_ring *r);
void evgw_usb_ring_commit(struct evgw_usb_ring *r);
/* Move up to max frames out; the eventfd stays readable while frames are left. */
unsigned evgw_usb_ring_take(struct evgw_usb_ring *r, struct evgw_frame *out, unsigned max);
unsigned evgw_usb_ring_count(const struct evgw_usb_ring *r);
/* Make the eventfd readable (frames queued, or the device went away). */
void evgw_usb_ring_wake(struct evgw_usb_ring *r);
void evgw_usb_ring_clear(struct evgw_usb_ring *r);
/* Between hold and release, commits do not write the eventfd: the bus that
 * owns the ring is running libusb's events and reads the ring right after
 * (two syscalls a frame saved when frames come one at a time); release
 * wakes only when frames are left that nobody will read now. */
void evgw_usb_ring_hold(struct evgw_usb_ring *r);
void evgw_usb_ring_release(struct evgw_usb_ring *r);

#endif
