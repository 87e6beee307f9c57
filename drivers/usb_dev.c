// SPDX-License-Identifier: MIT
/* Opening, sharing and closing USB adapters through libusb-1.0, one
 * context per adapter (see usb_dev.h). Discovery follows adapters.md §1.2
 * and §1.7: claim the interface (detaching a kernel driver that holds it),
 * take the first bulk IN/OUT pair from the descriptors instead of fixed
 * endpoint numbers, re-attach the kernel driver when done. */
#include "drivers/usb_dev.h"

#include <errno.h>
#include <fcntl.h>
#include <libusb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>


int evgw_usb_errno(int e)
{
	switch (e) {
	case LIBUSB_SUCCESS:
		return 0;
	case LIBUSB_ERROR_INVALID_PARAM:
		return -EINVAL;
	case LIBUSB_ERROR_ACCESS:
		return -EACCES;
	case LIBUSB_ERROR_NO_DEVICE:
		return -ENODEV;
	case LIBUSB_ERROR_NOT_FOUND:
		return -ENOENT;
	case LIBUSB_ERROR_BUSY:
		return -EBUSY;
	case LIBUSB_ERROR_TIMEOUT:
		return -ETIMEDOUT;
	case LIBUSB_ERROR_OVERFLOW:
		return -EOVERFLOW;
	case LIBUSB_ERROR_PIPE:
		return -EPIPE;
	case LIBUSB_ERROR_INTERRUPTED:
		return -EINTR;
	case LIBUSB_ERROR_NO_MEM:
		return -ENOMEM;
	case LIBUSB_ERROR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

static void spec_text(const struct evgw_usb_spec *s, char *buf, size_t len)
{
	char id[16] = "";
	if (s->has_id)
		snprintf(id, sizeof id, "%04x:%04x", s->vid, s->pid);
	snprintf(buf, len, "%s%s%s", id, s->serial[0] ? " serial " : "", s->serial);
}

static void hub_remove(struct evgw_usb_dev *d)
{
	if (!d->hub)
		return;
	for (unsigned i = 0; i < EVGW_USB_HUB_MAX; i++)
		if (d->hub->devs[i] == d)
			d->hub->devs[i] = NULL;
	d->hub = NULL;
}

static void hub_add(struct evgw_usb_hub *hub, struct evgw_usb_dev *d)
{
	for (unsigned i = 0; hub && i < EVGW_USB_HUB_MAX; i++) {
		if (!hub->devs[i]) {
			hub->devs[i] = d;
			d->hub = hub;
			return;
		}
	}
	/* A full hub only costs the sharing. */
}

static bool held_by_hub(const struct evgw_usb_hub *hub, uint8_t bus_no, uint8_t addr)
{
	for (unsigned i = 0; hub && i < EVGW_USB_HUB_MAX; i++) {
		const struct evgw_usb_dev *d = hub->devs[i];
		if (d && d->bus_no == bus_no && d->addr == addr)
			return true;
	}
	return false;
}

static void read_serial(libusb_device_handle *h, uint8_t idx, char *out, size_t len)
{
	out[0] = '\0';
	if (!idx)
		return;
	int n = libusb_get_string_descriptor_ascii(h, idx, (unsigned char *)out, (int)len);
	out[n > 0 && (size_t)n < len ? n : 0] = '\0';
}

/* Walk the bus for the first device matching spec; opens it into d. */
static int find_device(struct evgw_usb_dev *d, struct evgw_usb_hub *hub,
		       const struct evgw_usb_spec *spec, const struct evgw_usb_match *m,
		       struct evgw_driver_err *err)
{
	libusb_device **list;
	ssize_t n = libusb_get_device_list(d->ctx, &list);
	if (n < 0) {
		evgw_driver_set_err(err, "cannot list USB devices: %s", libusb_strerror((int)n));
		return evgw_usb_errno((int)n);
	}
	struct evgw_usb_spec id_only = *spec;
	id_only.serial[0] = '\0';
	int rc = -ENODEV, denied = 0;
	char what[96];
	spec_text(spec, what, sizeof what);
	for (ssize_t i = 0; i < n && rc == -ENODEV; i++) {
		struct libusb_device_descriptor desc;
		if (libusb_get_device_descriptor(list[i], &desc) != 0 ||
		    !evgw_usb_spec_matches(&id_only, m->ids, m->n_ids, desc.idVendor, desc.idProduct,
					   NULL))
			continue;
		uint8_t bus_no = libusb_get_bus_number(list[i]), addr = libusb_get_device_address(list[i]);
		if (held_by_hub(hub, bus_no, addr))
			continue;
		libusb_device_handle *h;
		int r = libusb_open(list[i], &h);
		if (r != 0) {
			if (r == LIBUSB_ERROR_ACCESS && !denied) {
				denied = 1;
				evgw_driver_set_err(err, "%s adapter %04x:%04x on USB bus %u device %u: permission "
					"denied (see the udev rules in udev/)", m->kind, desc.idVendor,
					desc.idProduct, bus_no, addr);
			}
			continue;
		}
		read_serial(h, desc.iSerialNumber, d->serial, sizeof d->serial);
		if (!evgw_usb_spec_matches(spec, m->ids, m->n_ids, desc.idVendor, desc.idProduct,
					   d->serial)) {
			libusb_close(h);
			continue;
		}
		d->h = h;
		d->vid = desc.idVendor;
		d->pid = desc.idProduct;
		d->bus_no = bus_no;
		d->addr = addr;
		rc = 0;
	}
	libusb_free_device_list(list, 1);
	if (rc == -ENODEV && denied)
		return -EACCES;
	if (rc == -ENODEV)
		evgw_driver_set_err(err, "no %s adapter%s%s is plugged in", m->kind, what[0] ? " " : "", what);
	return rc;
}

/* The first bulk IN and OUT endpoints of the interface's first altsetting. */
static int find_endpoints(struct evgw_usb_dev *d, struct evgw_driver_err *err)
{
	struct libusb_config_descriptor *cfg;
	int r = libusb_get_active_config_descriptor(libusb_get_device(d->h), &cfg);
	if (r != 0) {
		evgw_driver_set_err(err, "cannot read the configuration descriptor: %s", libusb_strerror(r));
		return evgw_usb_errno(r);
	}
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface *it = &cfg->interface[i];
		if (it->num_altsetting < 1 || it->altsetting[0].bInterfaceNumber != d->iface)
			continue;
		const struct libusb_interface_descriptor *alt = &it->altsetting[0];
		for (int e = 0; e < alt->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
			if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
				continue;
			if ((ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) && !d->ep_in) {
				d->ep_in = ep->bEndpointAddress;
				d->mps_in = ep->wMaxPacketSize;
			} else if (!(ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) && !d->ep_out) {
				d->ep_out = ep->bEndpointAddress;
			}
		}
	}
	libusb_free_config_descriptor(cfg);
	if (!d->ep_in || !d->ep_out) {
		evgw_driver_set_err(err, "interface %d has no bulk IN/OUT endpoint pair", d->iface);
		return -EPROTO;
	}
	if (!d->mps_in)
		d->mps_in = 64;
	return 0;
}

static int claim(struct evgw_usb_dev *d, const struct evgw_usb_match *m, struct evgw_driver_err *err)
{
	int r;
	if (m->config > 0) {
		int cur = 0;
		if (libusb_get_configuration(d->h, &cur) == 0 && cur != m->config &&
		    (r = libusb_set_configuration(d->h, m->config)) != 0) {
			evgw_driver_set_err(err, "cannot select configuration %d: %s", m->config, libusb_strerror(r));
			return evgw_usb_errno(r);
		}
	}
	if ((r = find_endpoints(d, err)) < 0)
		return r;
	if (libusb_kernel_driver_active(d->h, d->iface) == 1) {
		r = libusb_detach_kernel_driver(d->h, d->iface);
		if (r != 0) {
			evgw_driver_set_err(err, "cannot detach the kernel driver from interface %d: %s", d->iface,
				libusb_strerror(r));
			return evgw_usb_errno(r);
		}
		d->kernel_detached = true;
	}
	r = libusb_claim_interface(d->h, d->iface);
	if (r != 0) {
		evgw_driver_set_err(err, "cannot claim interface %d%s: %s", d->iface,
			r == LIBUSB_ERROR_BUSY ? " (another program holds it)" : "", libusb_strerror(r));
		return evgw_usb_errno(r);
	}
	return 0;
}

static void dev_free(struct evgw_usb_dev *d)
{
	hub_remove(d);
	if (d->h) {
		libusb_release_interface(d->h, d->iface);
		if (d->kernel_detached && !d->gone)
			libusb_attach_kernel_driver(d->h, d->iface);
		libusb_close(d->h);
	}
	if (d->ctx)
		libusb_exit(d->ctx);
	free(d);
}

static int dev_get(struct evgw_usb_hub *hub, const struct evgw_usb_spec *spec,
		   const struct evgw_usb_match *m, struct evgw_usb_dev **out, bool *fresh,
		   struct evgw_driver_err *err)
{
	*out = NULL;
	*fresh = false;
	for (unsigned i = 0; hub && i < EVGW_USB_HUB_MAX; i++) {
		struct evgw_usb_dev *d = hub->devs[i];
		if (d && !d->gone && !strcmp(d->kind, m->kind) &&
		    evgw_usb_spec_matches(spec, m->ids, m->n_ids, d->vid, d->pid, d->serial)) {
			d->refs++;
			*out = d;
			return 0;
		}
	}
	struct evgw_usb_dev *d = calloc(1, sizeof *d);
	if (!d) {
		evgw_driver_set_err(err, "out of memory");
		return -ENOMEM;
	}
	d->kind = m->kind;
	d->iface = m->iface;
	d->refs = 1;
	int r = libusb_init(&d->ctx);
	if (r != 0) {
		d->ctx = NULL;
		evgw_driver_set_err(err, "cannot initialise libusb: %s", libusb_strerror(r));
		dev_free(d);
		return evgw_usb_errno(r);
	}
	if ((r = find_device(d, hub, spec, m, err)) < 0 || (r = claim(d, m, err)) < 0) {
		dev_free(d);
		return r;
	}
	hub_add(hub, d);
	*out = d;
	*fresh = true;
	return 0;
}

void evgw_usb_dev_put(struct evgw_usb_dev *d)
{
	if (!d || --d->refs > 0)
		return;
	if (d->proto_free)
		d->proto_free(d);
	dev_free(d);
}

void evgw_usb_dev_mark_gone(struct evgw_usb_dev *d)
{
	d->gone = true;
	hub_remove(d);
}

void evgw_usb_fds_close(struct evgw_driver_fd *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
}

int evgw_usb_dev_dup_fds(struct evgw_usb_dev *d, struct evgw_driver_fd *fds, int max)
{
	const struct libusb_pollfd **pf = libusb_get_pollfds(d->ctx);
	if (!pf)
		return -EIO;
	int n = 0, rc = 0;
	for (int i = 0; pf[i]; i++) {
		if (n >= max) {
			rc = -E2BIG;
			break;
		}
		int fd = fcntl(pf[i]->fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			rc = -errno;
			break;
		}
		fds[n].fd = fd;
		fds[n].events = ((pf[i]->events & POLLIN) ? EPOLLIN : 0) |
				((pf[i]->events & POLLOUT) ? EPOLLOUT : 0);
		n++;
	}
	libusb_free_pollfds(pf);
	if (rc < 0) {
		evgw_usb_fds_close(fds, n);
		return rc;
	}
	return n;
}

int evgw_usb_dev_events(struct evgw_usb_dev *d)
{
	struct timeval tv = {0, 0};
	int r = libusb_handle_events_timeout_completed(d->ctx, &tv, NULL);
	return r == LIBUSB_ERROR_INTERRUPTED ? 0 : evgw_usb_errno(r);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int evgw_usb_dev_wait(struct evgw_usb_dev *d, const unsigned *in_flight, int max_ms)
{
	int64_t end = mono_ms() + max_ms;
	while (*in_flight > 0 && mono_ms() < end) {
		struct timeval tv = {0, 10000};
		libusb_handle_events_timeout_completed(d->ctx, &tv, NULL);
	}
	return *in_flight ? -ETIMEDOUT : 0;
}

int evgw_usb_bus_new(const char *kind, const char *device, size_t bus_size,
		     struct evgw_usb_spec *spec, void **bus, struct evgw_driver_err *err)
{
	char why[200];
	*bus = NULL;
	if (evgw_usb_spec_parse(device, spec, why, sizeof why) < 0)
		return evgw_driver_fail(err, -EINVAL, "%s: %s", kind, why);
	*bus = calloc(1, bus_size);
	return *bus ? 0 : evgw_driver_fail(err, -ENOMEM, "%s: %s", kind, strerror(ENOMEM));
}

int evgw_usb_dev_get_proto(struct evgw_usb_hub *hub, const struct evgw_usb_spec *spec,
			   const struct evgw_usb_match *m, size_t proto_size,
			   void (*proto_free)(struct evgw_usb_dev *d), struct evgw_usb_dev **out,
			   bool *fresh, struct evgw_driver_err *err)
{
	struct evgw_driver_err e = {""};
	int r = dev_get(hub, spec, m, out, fresh, &e);
	if (r < 0)
		return evgw_driver_fail(err, r, "%s: %s", m->kind, e.msg);
	if (*fresh) {
		struct evgw_usb_dev **proto = calloc(1, proto_size);
		if (!proto) {
			evgw_usb_dev_put(*out);
			*out = NULL;
			return evgw_driver_fail(err, -ENOMEM, "%s: out of memory", m->kind);
		}
		*proto = *out; /* the object's first member */
		(*out)->proto = proto;
		(*out)->proto_free = proto_free;
	}
	return 0;
}
