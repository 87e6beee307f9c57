// SPDX-License-Identifier: MIT
#include "discover/disc_obd.h"

#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "diag/obd.h"

int disc_obd_parse_spec(const char *spec, uint8_t *pid)
{
	if (strncasecmp(spec, "obd:", 4))
		return -EINVAL;
	const char *p = spec + 4;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	unsigned v = 0, n = 0;
	for (; *p; p++, n++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (unsigned)((*p | 0x20) - 'a' + 10);
		else
			return -EINVAL;
		v = v * 16 + d;
		if (v > 0xFF)
			return -EINVAL;
	}
	if (!n)
		return -EINVAL;
	/* A PID without a scalar formula (a bitmap, the monitor status) or
	 * unknown to diag/obd.c cannot serve. */
	static const uint8_t zeros[8] = {0};
	double x;
	if (obd_decode_pid((uint8_t)v, zeros, sizeof zeros, &x) < 0)
		return -ENOTSUP;
	*pid = (uint8_t)v;
	return 0;
}

bool disc_obd_traffic(const struct evgw_frame *f)
{
	bool ext = f->flags & EVGW_FRAME_EXT;
	if (obd_response_ecu(f->id, ext) >= 0)
		return true;
	if (!ext)
		return f->id == OBD_FUNC_ID_11 || (f->id >= 0x7E0 && f->id <= 0x7E7);
	/* 0x18DB33F1 functional, 0x18DA<ECU>F1 physical */
	return f->id == OBD_FUNC_ID_29 || (f->id & 0x1FFF00FFu) == (0x18DA0000u | OBD_TESTER_ADDR);
}

int disc_obd_value(uint8_t pid, const struct evgw_frame *f, double *value)
{
	if (obd_response_ecu(f->id, f->flags & EVGW_FRAME_EXT) < 0 || f->len < 2)
		return 0;
	/* ISO 15765-2 single frame: PCI 0x0L, L payload bytes after it. */
	unsigned n = f->data[0];
	if (n < 2 || n > 7 || n + 1u > f->len)
		return 0;
	struct obd_pid_cursor c;
	if (obd_mode01_begin(&c, f->data + 1, n) < 0)
		return 0;
	uint8_t p;
	const uint8_t *data;
	size_t len;
	while (obd_mode01_next(&c, &p, &data, &len) == 1)
		if (p == pid)
			return obd_decode_pid(pid, data, len, value) == 0;
	return 0;
}
