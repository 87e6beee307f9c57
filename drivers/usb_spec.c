// SPDX-License-Identifier: MIT
#include "drivers/usb_spec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1-4 hex digits; returns the characters used, 0 on none. */
static size_t scan_hex16(const char *s, uint16_t *out)
{
	size_t n = 0;
	unsigned v = 0;
	while (n < 5 && hexval(s[n]) >= 0)
		v = v * 16 + (unsigned)hexval(s[n++]);
	if (n == 0 || n > 4)
		return 0;
	*out = (uint16_t)v;
	return n;
}

static int bad(char *err, size_t errlen, const char *s, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "device \"%s\": %s (expected [VID:PID][@SERIAL][#CHANNEL])", s,
			 why);
	return -EINVAL;
}

int evgw_usb_spec_parse(const char *s, struct evgw_usb_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!s)
		return 0;
	const char *p = s;
	if (*p && *p != '@' && *p != '#') {
		size_t n = scan_hex16(p, &out->vid);
		if (!n || p[n] != ':')
			return bad(err, errlen, s, "VID must be 1-4 hex digits followed by ':'");
		p += n + 1;
		n = scan_hex16(p, &out->pid);
		if (!n)
			return bad(err, errlen, s, "PID must be 1-4 hex digits");
		p += n;
		out->has_id = true;
	}
	if (*p == '@') {
		p++;
		size_t n = strcspn(p, "#");
		if (n == 0)
			return bad(err, errlen, s, "empty serial number after '@'");
		if (n >= sizeof out->serial)
			return bad(err, errlen, s, "serial number too long");
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] > '~')
				return bad(err, errlen, s, "serial number must be printable, no spaces");
		memcpy(out->serial, p, n);
		p += n;
	}
	if (*p == '#') {
		p++;
		unsigned v = 0;
		size_t n = 0;
		while (p[n] >= '0' && p[n] <= '9' && n < 3)
			v = v * 10 + (unsigned)(p[n++] - '0');
		if (n == 0 || p[n] != '\0' || v > EVGW_USB_CHANNEL_MAX)
			return bad(err, errlen, s, "channel must be a number 0-15 at the end");
		out->channel = v;
		p += n;
	}
	if (*p)
		return bad(err, errlen, s, "unexpected characters");
	return 0;
}

bool evgw_usb_spec_matches(const struct evgw_usb_spec *spec, const struct evgw_usb_id *ids,
			   size_t n, uint16_t vid, uint16_t pid, const char *serial)
{
	bool id_ok = false;
	if (spec->has_id) {
		id_ok = spec->vid == vid && spec->pid == pid;
	} else {
		for (size_t i = 0; i < n && !id_ok; i++)
			id_ok = ids[i].vid == vid && ids[i].pid == pid;
	}
	if (!id_ok)
		return false;
	return !spec->serial[0] || (serial && strcmp(spec->serial, serial) == 0);
}
