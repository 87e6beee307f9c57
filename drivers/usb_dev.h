// SPDX-License-Identifier: MIT
/* One opened USB adapter, shared by the buses that use its channels.
 *
 * Each adapter gets its own libusb context, so the set of fds libusb asks
 * us to poll is fixed once the device is open (its event fd, its timerfd,
 * the usbfs fd) and belongs to that adapter alone. Each bus polls its own
 * dup()s of them (epoll refuses the same fd twice), runs libusb's events
 * with a zero timeout when woken, and reads its channel's ring. No thread
 * and no blocking wait: libusb's pollfd API.
 *
 * The daemon owns one evgw_usb_hub (zero-initialised, no teardown needed:
 * an entry leaves it when its last bus closes it) and hands it to every bus
 * in evgw_bus_params.usb_hub; buses that name the same adapter (by VID:PID
 * and serial) then share one handle. Without a hub a bus opens the adapter
 * on its own. This header needs no libusb headers. */
#ifndef EVGW_DRIVERS_USB_DEV_H
#define EVGW_DRIVERS_USB_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/driver.h"
#include "drivers/usb_spec.h"

#define EVGW_USB_HUB_MAX 16

struct evgw_usb_dev;

struct evgw_usb_hub {
	struct evgw_usb_dev *devs[EVGW_USB_HUB_MAX];
};

struct libusb_context;
struct libusb_device_handle;

struct evgw_usb_dev {
	struct evgw_usb_hub *hub;    /* NULL when private or gone */
	const char *kind;            /* the driver's name: sharing stays within a driver */
	unsigned refs;
	struct libusb_context *ctx;
	struct libusb_device_handle *h;
	uint16_t vid, pid;
	uint8_t bus_no, addr;
	char serial[EVGW_USB_SERIAL_MAX];
	int iface;
	bool kernel_detached;        /* re-attach the kernel driver on release */
	uint8_t ep_in, ep_out;       /* first bulk IN/OUT pair of the interface */
	uint16_t mps_in;
	bool gone;                   /* unplugged: no new transfers */
	/* The driver's shared state, freed with the device (after its transfers). */
	void *proto;
	void (*proto_free)(struct evgw_usb_dev *d);
};

struct evgw_usb_match {
	const char *kind;
	const struct evgw_usb_id *ids; /* probed when the spec names no VID:PID */
	size_t n_ids;
	int iface;                     /* the interface to claim */
	int config;                    /* the configuration to select (0: leave it) */
};

/* Find and open the adapter spec names, or take another reference to it if
 * a bus already has it open; *fresh tells whether this call opened it. On
 * that first open the driver's per-adapter object is made too: proto_size
 * zeroed bytes whose first member is a struct evgw_usb_dev * (pointed at
 * the device), freed by proto_free with the device. -ENODEV when no such
 * adapter is plugged in, -EACCES when it cannot be opened, -EBUSY when the
 * interface is held elsewhere, -ENOMEM; err says which, prefixed with
 * m->kind. */
int evgw_usb_dev_get_proto(struct evgw_usb_hub *hub, const struct evgw_usb_spec *spec,
			   const struct evgw_usb_match *m, size_t proto_size,
			   void (*proto_free)(struct evgw_usb_dev *d), struct evgw_usb_dev **out,
			   bool *fresh, struct evgw_driver_err *err);
/* A USB driver's open() start: the device string parsed into spec and a
 * zeroed bus object of bus_size in *bus. 0, or -EINVAL/-ENOMEM with err
 * saying why, prefixed with kind. */
int evgw_usb_bus_new(const char *kind, const char *device, size_t bus_size,
		     struct evgw_usb_spec *spec, void **bus, struct evgw_driver_err *err);
/* Drop a reference; the last one frees proto, releases the interface,
 * re-attaches the kernel driver it detached and closes everything. */
void evgw_usb_dev_put(struct evgw_usb_dev *d);

/* The device was unplugged: no new sharers find it. */
void evgw_usb_dev_mark_gone(struct evgw_usb_dev *d);

/* dup()s of libusb's pollfds for one bus (closed with evgw_usb_fds_close);
 * returns how many, or -errno. */
int evgw_usb_dev_dup_fds(struct evgw_usb_dev *d, struct evgw_driver_fd *fds, int max);
void evgw_usb_fds_close(struct evgw_driver_fd *fds, int n);

/* Run libusb's events without waiting: completion callbacks run here. */
int evgw_usb_dev_events(struct evgw_usb_dev *d);
/* Run events until *in_flight drops to 0 or max_ms pass (closing: transfers
 * must complete, or be cancelled, before they are freed). */
int evgw_usb_dev_wait(struct evgw_usb_dev *d, const unsigned *in_flight, int max_ms);

/* A libusb error code as -errno. */
int evgw_usb_errno(int libusb_err);

#endif
