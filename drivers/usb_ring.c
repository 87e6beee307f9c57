// SPDX-License-Identifier: MIT
#include "drivers/usb_ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

int evgw_usb_ring_init(struct evgw_usb_ring *r)
{
	memset(r, 0, sizeof *r);
	r->wake_fd = -1;
	r->frames = malloc(EVGW_USB_RING_FRAMES * sizeof *r->frames);
	if (!r->frames)
		return -ENOMEM;
	r->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->wake_fd < 0) {
		int e = errno;
		free(r->frames);
		r->frames = NULL;
		return -e;
	}
	return 0;
}

void evgw_usb_ring_free(struct evgw_usb_ring *r)
{
	if (r->wake_fd >= 0)
		close(r->wake_fd);
	free(r->frames);
	r->frames = NULL;
	r->wake_fd = -1;
}

unsigned evgw_usb_ring_count(const struct evgw_usb_ring *r)
{
	return r->head - r->tail;
}

struct evgw_frame *evgw_usb_ring_slot(struct evgw_usb_ring *r)
{
	if (!r->frames || evgw_usb_ring_count(r) >= EVGW_USB_RING_FRAMES) {
		r->dropped++;
		return NULL;
	}
	return &r->frames[r->head % EVGW_USB_RING_FRAMES];
}

void evgw_usb_ring_commit(struct evgw_usb_ring *r)
{
	if (r->head++ == r->tail && !r->held)
		evgw_usb_ring_wake(r);
}

void evgw_usb_ring_hold(struct evgw_usb_ring *r)
{
	r->held = true;
}

void evgw_usb_ring_release(struct evgw_usb_ring *r)
{
	r->held = false;
}

void evgw_usb_ring_wake(struct evgw_usb_ring *r)
{
	uint64_t one = 1;
	if (r->woken || r->wake_fd < 0)
		return; /* still readable from the last wake-up */
	r->woken = true;
	/* EAGAIN only when the counter is saturated: it is readable anyway. */
	if (write(r->wake_fd, &one, sizeof one) < 0)
		return;
}

static void quiet(struct evgw_usb_ring *r)
{
	uint64_t v;
	if (!r->woken || r->wake_fd < 0)
		return;
	r->woken = false;
	if (read(r->wake_fd, &v, sizeof v) < 0)
		return;
}

unsigned evgw_usb_ring_take(struct evgw_usb_ring *r, struct evgw_frame *out, unsigned max)
{
	unsigned n = 0;
	while (n < max && r->tail != r->head)
		out[n++] = r->frames[r->tail++ % EVGW_USB_RING_FRAMES];
	quiet(r);
	if (r->tail != r->head)
		evgw_usb_ring_wake(r);
	return n;
}

void evgw_usb_ring_clear(struct evgw_usb_ring *r)
{
	r->tail = r->head;
	quiet(r);
}
