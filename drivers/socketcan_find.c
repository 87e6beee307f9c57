// SPDX-License-Identifier: MIT
/* sysfs facts used: /sys/class/net/<if>/type is the ARPHRD type (280 =
 * ARPHRD_CAN, linux/if_arp.h); /sys/class/net/<if>/device links to the
 * parent device, and a USB interface's parent directory holds the USB
 * device's idVendor, idProduct and serial files (adapters.md §1.1, §5). */
#include "drivers/socketcan_find.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define ARPHRD_CAN_TYPE 280

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static bool valid_ifname(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= IFNAMSIZ)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static bool is_can(const char *root, const char *ifname)
{
	char path[2 * PATH_MAX], buf[32];
	snprintf(path, sizeof path, "%s/class/net/%s/type", root, ifname);
	return read_line(path, buf, sizeof buf) == 0 && atoi(buf) == ARPHRD_CAN_TYPE;
}

struct usb_want {
	char vid[5], pid[5];
	const char *serial; /* NULL = any */
};

static int parse_usb(const char *spec, struct usb_want *w)
{
	/* usb:VVVV:PPPP[:SERIAL] */
	const char *p = spec + 4;
	for (int part = 0; part < 2; part++) {
		char *dst = part ? w->pid : w->vid;
		for (int i = 0; i < 4; i++, p++) {
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			      (*p >= 'A' && *p <= 'F')))
				return -EINVAL;
			dst[i] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		}
		dst[4] = '\0';
		if (part == 0 && *p++ != ':')
			return -EINVAL;
	}
	if (*p == '\0')
		w->serial = NULL;
	else if (*p == ':' && p[1])
		w->serial = p + 1;
	else
		return -EINVAL;
	return 0;
}

/* Walk up from the interface's parent device to the USB device. */
static bool usb_matches(const char *root, const char *ifname, const struct usb_want *w)
{
	char link[2 * PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 16], buf[128];
	snprintf(link, sizeof link, "%s/class/net/%s/device", root, ifname);
	if (!realpath(link, dir))
		return false;
	size_t rootlen = strlen(root);
	for (int depth = 0; depth < 8; depth++) {
		snprintf(path, sizeof path, "%s/idVendor", dir);
		if (read_line(path, buf, sizeof buf) == 0) {
			if (strcasecmp(buf, w->vid))
				return false;
			snprintf(path, sizeof path, "%s/idProduct", dir);
			if (read_line(path, buf, sizeof buf) < 0 || strcasecmp(buf, w->pid))
				return false;
			if (!w->serial)
				return true;
			snprintf(path, sizeof path, "%s/serial", dir);
			return read_line(path, buf, sizeof buf) == 0 && !strcmp(buf, w->serial);
		}
		char *slash = strrchr(dir, '/');
		if (!slash || (size_t)(slash - dir) <= rootlen)
			return false;
		*slash = '\0';
	}
	return false;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int evgw_sc_find(const char *sysfs_root, const char *spec, char *ifname, size_t len)
{
	char root[PATH_MAX];
	if (!spec || !*spec || len < IFNAMSIZ)
		return -EINVAL;
	/* realpath so the walk up can stop at the root */
	if (!realpath(sysfs_root, root))
		return -ENODEV;

	if (strncmp(spec, "usb:", 4) != 0) {
		if (!valid_ifname(spec))
			return -EINVAL;
		char path[PATH_MAX + 64];
		snprintf(path, sizeof path, "%s/class/net/%s", root, spec);
		if (access(path, F_OK) != 0)
			return -ENODEV;
		if (!is_can(root, spec))
			return -EMEDIUMTYPE;
		snprintf(ifname, len, "%s", spec);
		return 0;
	}

	struct usb_want w;
	if (parse_usb(spec, &w) < 0)
		return -EINVAL;
	char netdir[PATH_MAX + 16];
	snprintf(netdir, sizeof netdir, "%s/class/net", root);
	struct dirent **ents;
	int n = scandir(netdir, &ents, NULL, by_name);
	if (n < 0)
		return -ENODEV;
	int r = -ENODEV;
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		if (r == -ENODEV && name[0] != '.' && valid_ifname(name) && is_can(root, name) &&
		    usb_matches(root, name, &w)) {
			snprintf(ifname, len, "%s", name);
			r = 0;
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}
