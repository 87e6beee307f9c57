// SPDX-License-Identifier: MIT
/* configfs + FunctionFS plumbing shared by the device emulators
 * (usb-gadget.md "Building the gadget"). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "ffs_gadget.h"

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIGFS "/sys/kernel/config/usb_gadget"

static int put(const char *dir, const char *file, const char *val)
{
	char p[320];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, val, strlen(val));
	int e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

static int mk(const char *dir, const char *sub)
{
	char p[320];
	snprintf(p, sizeof p, "%s/%s", dir, sub);
	return mkdir(p, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

static int first_udc(char *out, size_t len)
{
	DIR *d = opendir("/sys/class/udc");
	if (!d)
		return -ENODEV;
	struct dirent *e;
	int r = -ENODEV;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(e->d_name) < len) {
			memcpy(out, e->d_name, strlen(e->d_name) + 1);
			r = 0;
			break;
		}
	closedir(d);
	return r;
}

int ffs_gadget_create(struct ffs_gadget *g, const char *name, uint16_t vid, uint16_t pid,
		      const char *product, const char *serial)
{
	memset(g, 0, sizeof *g);
	g->ep0 = -1;
	for (int i = 0; i < FFS_MAX_EPS; i++)
		g->ep[i] = -1;
	snprintf(g->name, sizeof g->name, "%s", name);
	snprintf(g->gdir, sizeof g->gdir, CONFIGFS "/%s", name);
	int r = first_udc(g->udc, sizeof g->udc);
	if (r < 0)
		return r;
	if (mkdir(g->gdir, 0755) < 0 && errno != EEXIST)
		return -errno;
	char v[32], f[64];
	snprintf(v, sizeof v, "0x%04x", vid);
	if ((r = put(g->gdir, "idVendor", v)) < 0)
		return r;
	snprintf(v, sizeof v, "0x%04x", pid);
	if ((r = put(g->gdir, "idProduct", v)) < 0)
		return r;
	if ((r = mk(g->gdir, "strings")) < 0 || (r = mk(g->gdir, "strings/0x409")) < 0 ||
	    (r = put(g->gdir, "strings/0x409/manufacturer", "evgw tests")) < 0 ||
	    (r = put(g->gdir, "strings/0x409/product", product)) < 0 ||
	    (r = put(g->gdir, "strings/0x409/serialnumber", serial)) < 0 ||
	    (r = mk(g->gdir, "configs")) < 0 || (r = mk(g->gdir, "configs/c.1")) < 0 ||
	    (r = mk(g->gdir, "functions")) < 0)
		return r;
	snprintf(f, sizeof f, "functions/ffs.%s", name);
	if ((r = mk(g->gdir, f)) < 0)
		return r;
	char target[320], link[320];
	snprintf(target, sizeof target, "%s/%s", g->gdir, f);
	snprintf(link, sizeof link, "%s/configs/c.1/ffs.%s", g->gdir, name);
	if (symlink(target, link) < 0 && errno != EEXIST)
		return -errno;
	const char *tmp = getenv("TMPDIR");
	snprintf(g->mnt, sizeof g->mnt, "%s/ffs-%s", tmp ? tmp : "/tmp", name);
	if (mkdir(g->mnt, 0755) < 0 && errno != EEXIST)
		return -errno;
	/* A previous run that died leaves its instance mounted (same name). */
	umount2(g->mnt, MNT_DETACH);
	if (mount(name, g->mnt, "functionfs", 0, NULL) < 0)
		return -errno;
	g->mounted = true;
	return 0;
}

struct ep_pair {
	struct usb_endpoint_descriptor_no_audio d;
} __attribute__((packed));

int ffs_gadget_functions(struct ffs_gadget *g, const bool *in, int n)
{
	if (n > FFS_MAX_EPS)
		return -EINVAL;
	/* header, counts, then per speed: the interface and n endpoints */
	size_t per_speed = sizeof(struct usb_interface_descriptor) +
			   (size_t)n * sizeof(struct usb_endpoint_descriptor_no_audio);
	size_t len = sizeof(struct usb_functionfs_descs_head_v2) + 2 * sizeof(uint32_t) +
		     2 * per_speed;
	uint8_t *buf = calloc(1, len);
	if (!buf)
		return -ENOMEM;
	struct usb_functionfs_descs_head_v2 *h = (void *)buf;
	h->magic = htole32(FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	h->length = htole32((uint32_t)len);
	h->flags = htole32(FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC);
	uint8_t *p = buf + sizeof *h;
	uint32_t cnt = htole32((uint32_t)n + 1);
	memcpy(p, &cnt, 4);
	memcpy(p + 4, &cnt, 4);
	p += 8;
	for (int speed = 0; speed < 2; speed++) {
		struct usb_interface_descriptor intf = {
			.bLength = sizeof intf, .bDescriptorType = USB_DT_INTERFACE,
			.bNumEndpoints = (uint8_t)n, .bInterfaceClass = 0xff,
			.bInterfaceSubClass = 0xff, .bInterfaceProtocol = 0xff, .iInterface = 0,
		};
		memcpy(p, &intf, sizeof intf);
		p += sizeof intf;
		for (int i = 0; i < n; i++) {
			struct usb_endpoint_descriptor_no_audio ep = {
				.bLength = sizeof ep, .bDescriptorType = USB_DT_ENDPOINT,
				.bEndpointAddress = (uint8_t)((i + 1) | (in[i] ? USB_DIR_IN : 0)),
				.bmAttributes = USB_ENDPOINT_XFER_BULK,
				.wMaxPacketSize = htole16(speed ? 512 : 64),
			};
			memcpy(p, &ep, sizeof ep);
			p += sizeof ep;
		}
	}
	char path[200];
	snprintf(path, sizeof path, "%s/ep0", g->mnt);
	g->ep0 = open(path, O_RDWR);
	if (g->ep0 < 0) {
		free(buf);
		return -errno;
	}
	ssize_t w = write(g->ep0, buf, len);
	free(buf);
	if (w != (ssize_t)len)
		return w < 0 ? -errno : -EIO;
	struct usb_functionfs_strings_head s = {
		.magic = htole32(FUNCTIONFS_STRINGS_MAGIC), .length = htole32(sizeof s),
		.str_count = 0, .lang_count = 0,
	};
	if (write(g->ep0, &s, sizeof s) != (ssize_t)sizeof s)
		return -errno;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/ep%d", g->mnt, i + 1);
		g->ep[i] = open(path, O_RDWR);
		if (g->ep[i] < 0)
			return -errno;
	}
	g->n_eps = n;
	return 0;
}

int ffs_gadget_bind(struct ffs_gadget *g)
{
	return put(g->gdir, "UDC", g->udc);
}

int ffs_gadget_unbind(struct ffs_gadget *g)
{
	return put(g->gdir, "UDC", "\n");
}

void ffs_gadget_read_addrs(struct ffs_gadget *g)
{
	for (int i = 0; i < g->n_eps; i++) {
		struct usb_endpoint_descriptor d;
		if (ioctl(g->ep[i], FUNCTIONFS_ENDPOINT_DESC, &d) == 0)
			g->addr[i] = d.bEndpointAddress;
	}
}

void ffs_gadget_destroy(struct ffs_gadget *g)
{
	char p[320];
	ffs_gadget_unbind(g);
	for (int i = 0; i < g->n_eps; i++)
		if (g->ep[i] >= 0)
			close(g->ep[i]);
	if (g->ep0 >= 0)
		close(g->ep0);
	if (g->mounted)
		umount2(g->mnt, MNT_DETACH);
	rmdir(g->mnt);
	snprintf(p, sizeof p, "%s/configs/c.1/ffs.%s", g->gdir, g->name);
	unlink(p);
	snprintf(p, sizeof p, "%s/functions/ffs.%s", g->gdir, g->name);
	rmdir(p);
	snprintf(p, sizeof p, "%s/configs/c.1", g->gdir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/strings/0x409", g->gdir);
	rmdir(p);
	rmdir(g->gdir);
}

void ffs_ep0_stall(int ep0, bool dir_in)
{
	char c;
	ssize_t r = dir_in ? read(ep0, &c, 0) : write(ep0, &c, 0);
	(void)r; /* fails with EL2HLT by design: that is the stall */
}
