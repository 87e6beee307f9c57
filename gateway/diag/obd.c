// SPDX-License-Identifier: MIT
/* OBD-II builders and parsers. Facts: SAE J1979 / ISO 15031-5 service and
 * PID definitions, ISO 15031-6 / SAE J2012 DTC layout, ISO 15765-4 CAN
 * addressing, as summarised with sources in shared/reference §3d; PID
 * formulas and lengths as J1979 annex B states them [I: not checked in a file]. */
#include <errno.h>
#include <string.h>

#include "diag/obd.h"

int obd_response_ecu(uint32_t id, bool ext)
{
	if (!ext)
		return id >= 0x7E8 && id <= 0x7EF ? (int)(id - 0x7E8) : -1;
	/* 0x18DA<TA = F1><SA = ECU> */
	if ((id & 0x1FFFFF00u) == (0x18DA0000u | OBD_TESTER_ADDR << 8))
		return (int)(id & 0xFF);
	return -1;
}

uint32_t obd_physical_request_id(uint32_t resp_id, bool ext)
{
	if (!ext)
		return resp_id - 8;
	return 0x18DA0000u | (resp_id & 0xFF) << 8 | OBD_TESTER_ADDR;
}

static bool mode_takes_pids(uint8_t mode)
{
	return mode == 0x01 || mode == 0x02 || mode == 0x05 || mode == 0x06 || mode == 0x08 ||
	       mode == 0x09;
}

int obd_build_request(uint8_t *buf, size_t cap, uint8_t mode, const uint8_t *pids, size_t npids)
{
	if (!buf || mode == 0 || mode > 0x0A)
		return -EINVAL;
	if (mode_takes_pids(mode) ? (npids < 1 || npids > 6 || !pids) : npids != 0)
		return -EINVAL;
	if (cap < 1 + npids)
		return -ENOSPC;
	buf[0] = mode;
	if (npids)
		memcpy(buf + 1, pids, npids);
	return (int)(1 + npids);
}

int obd_functional_frame(struct evgw_frame *f, bool ext, const uint8_t *payload, size_t len,
			 uint8_t pad)
{
	if (!f || !payload || len == 0)
		return -EINVAL;
	if (len > 7)
		return -EMSGSIZE;
	memset(f, 0, sizeof *f);
	f->id = ext ? OBD_FUNC_ID_29 : OBD_FUNC_ID_11;
	f->flags = ext ? EVGW_FRAME_EXT : 0;
	/* ISO 15765-2 SF 0L + data; ISO 15765-4 wants DLC 8, so pad. */
	f->data[0] = (uint8_t)len;
	memcpy(f->data + 1, payload, len);
	memset(f->data + 1 + len, pad, 7 - len);
	f->len = 8;
	f->dlc = 8;
	return 0;
}

int obd_parse_dtcs(const uint8_t *d, size_t n, bool has_count, struct obd_dtc_list *out)
{
	size_t m;

	if (!d || n == 0 || (d[0] != 0x43 && d[0] != 0x47 && d[0] != 0x4A))
		return -ENOMSG;
	memset(out, 0, sizeof *out);
	out->mode = d[0] - 0x40;
	if (has_count) {
		/* On CAN the count byte follows the mode (J1979 service 03 on ISO 15765-4). */
		if (n < 2)
			return -EBADMSG;
		out->count = d[1];
		m = n - 2;
		if (m < (size_t)out->count * 2)
			return -EBADMSG;
		out->rec = d + 2;
		out->n_rec = out->count;
	} else {
		m = n - 1;
		out->rec = d + 1;
		out->n_rec = m / 2;
		out->count = out->n_rec > 255 ? 255 : (uint8_t)out->n_rec;
	}
	return 0;
}

int obd_dtc_next(const struct obd_dtc_list *l, size_t *pos, uint16_t *code)
{
	while (*pos < l->n_rec) {
		const uint8_t *r = l->rec + *pos * 2;

		(*pos)++;
		if (r[0] == 0 && r[1] == 0)
			continue;  /* 00 00 fills unused slots */
		*code = (uint16_t)(r[0] << 8 | r[1]);
		return 1;
	}
	return 0;
}

int obd_parse_clear(const uint8_t *d, size_t n)
{
	return d && n >= 1 && d[0] == 0x44 ? 0 : -ENOMSG;
}

static bool vin_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int obd_parse_vin(const uint8_t *d, size_t n, char vin[OBD_VIN_LEN + 1])
{
	size_t off = 2;

	if (!d || n < 2 || d[0] != 0x49 || d[1] != OBD_PID_VIN)
		return -ENOMSG;
	/* On CAN a NODI byte (number of data items, 01) precedes the VIN. */
	if (n - off > OBD_VIN_LEN && d[off] == 0x01)
		off++;
	while (n - off > OBD_VIN_LEN && d[off] == 0x00)
		off++;
	if (n - off != OBD_VIN_LEN)
		return -EBADMSG;
	for (size_t i = 0; i < OBD_VIN_LEN; i++)
		if (!vin_char(d[off + i]))
			return -EBADMSG;
	memcpy(vin, d + off, OBD_VIN_LEN);
	vin[OBD_VIN_LEN] = '\0';
	return 0;
}

enum formula { F_NONE, F_PERCENT, F_TEMP, F_RPM, F_BYTE, F_WORD, F_MILLI, F_CENTI };

static const struct pid_row {
	struct obd_pid_info info;
	enum formula f;
} pid_rows[] = {
	{{0x00, 4, "PIDs supported 01-20", ""}, F_NONE},
	{{0x01, 4, "monitor status since DTCs cleared", ""}, F_NONE},
	{{0x04, 1, "calculated engine load", "%"}, F_PERCENT},           /* A*100/255 */
	{{0x05, 1, "engine coolant temperature", "degC"}, F_TEMP},       /* */
	{{0x0B, 1, "intake manifold absolute pressure", "kPa"}, F_BYTE}, /* A */
	{{0x0C, 2, "engine speed", "rpm"}, F_RPM},                       /* (256A+B)/4 */
	{{0x0D, 1, "vehicle speed", "km/h"}, F_BYTE},                    /* A */
	{{0x0F, 1, "intake air temperature", "degC"}, F_TEMP},
	{{0x10, 2, "mass air flow rate", "g/s"}, F_CENTI},               /* (256A+B)/100 */
	{{0x11, 1, "throttle position", "%"}, F_PERCENT},
	{{0x1F, 2, "run time since engine start", "s"}, F_WORD},         /* 256A+B */
	{{0x20, 4, "PIDs supported 21-40", ""}, F_NONE},
	{{0x21, 2, "distance travelled with MIL on", "km"}, F_WORD},
	{{0x2F, 1, "fuel tank level input", "%"}, F_PERCENT},
	{{0x31, 2, "distance travelled since codes cleared", "km"}, F_WORD},
	{{0x33, 1, "absolute barometric pressure", "kPa"}, F_BYTE},
	{{0x40, 4, "PIDs supported 41-60", ""}, F_NONE},
	{{0x42, 2, "control module voltage", "V"}, F_MILLI},             /* (256A+B)/1000 */
	{{0x46, 1, "ambient air temperature", "degC"}, F_TEMP},
	{{0x5B, 1, "hybrid battery pack remaining life", "%"}, F_PERCENT},
	{{0x60, 4, "PIDs supported 61-80", ""}, F_NONE},
	{{0x80, 4, "PIDs supported 81-A0", ""}, F_NONE},
	{{0xA0, 4, "PIDs supported A1-C0", ""}, F_NONE},
	{{0xC0, 4, "PIDs supported C1-E0", ""}, F_NONE},
	{{0xE0, 4, "PIDs supported E1-FF", ""}, F_NONE},
};

static const struct pid_row *pid_row(uint8_t pid)
{
	for (size_t i = 0; i < sizeof pid_rows / sizeof pid_rows[0]; i++)
		if (pid_rows[i].info.pid == pid)
			return &pid_rows[i];
	return NULL;
}

const struct obd_pid_info *obd_pid_info(uint8_t pid)
{
	const struct pid_row *r = pid_row(pid);

	return r ? &r->info : NULL;
}

int obd_decode_pid(uint8_t pid, const uint8_t *data, size_t len, double *value)
{
	const struct pid_row *r = pid_row(pid);
	double a, ab;

	if (!r || r->f == F_NONE)
		return -ENOTSUP;
	if (!data || len < r->info.len)
		return -EBADMSG;
	a = data[0];
	ab = r->info.len >= 2 ? 256.0 * data[0] + data[1] : a;
	switch (r->f) {
	case F_PERCENT:
		*value = a * 100.0 / 255.0;
		break;
	case F_TEMP:
		*value = a - 40.0;
		break;
	case F_RPM:
		*value = ab / 4.0;
		break;
	case F_BYTE:
		*value = a;
		break;
	case F_WORD:
		*value = ab;
		break;
	case F_MILLI:
		*value = ab / 1000.0;
		break;
	case F_CENTI:
		*value = ab / 100.0;
		break;
	default:
		return -ENOTSUP;
	}
	return 0;
}

int obd_decode_monitor_status(const uint8_t *data, size_t len, struct obd_monitor_status *out)
{
	if (!data || len < 4)
		return -EBADMSG;
	out->mil = data[0] & 0x80;
	out->dtc_count = data[0] & 0x7F;
	out->compression = data[1] & 0x08;
	out->b = data[1];
	out->c = data[2];
	out->d = data[3];
	return 0;
}

int obd_pid_set_add(struct obd_pid_set *s, uint8_t base, const uint8_t *data, size_t len)
{
	if (base & 0x1F)
		return -EINVAL;
	if (!data || len < 4)
		return -EBADMSG;
	for (unsigned i = 0; i < 32; i++) {
		unsigned pid = base + 1u + i;

		/* A bit 7 is base+1 ... D bit 0 is base+0x20. */
		if (pid <= 0xFF && (data[i / 8] & (0x80u >> (i % 8))))
			s->bits[pid / 8] |= (uint8_t)(1u << (pid % 8));
	}
	return 0;
}

bool obd_pid_set_has(const struct obd_pid_set *s, uint8_t pid)
{
	return s->bits[pid / 8] & (1u << (pid % 8));
}

int obd_mode01_begin(struct obd_pid_cursor *c, const uint8_t *d, size_t n)
{
	if (!d || n == 0 || d[0] != 0x41)
		return -ENOMSG;
	c->p = d;
	c->n = n;
	c->off = 1;
	return 0;
}

int obd_mode01_next(struct obd_pid_cursor *c, uint8_t *pid, const uint8_t **data, size_t *len)
{
	const struct obd_pid_info *info;
	size_t rest;

	if (c->off >= c->n)
		return 0;
	*pid = c->p[c->off++];
	rest = c->n - c->off;
	info = obd_pid_info(*pid);
	if (!info) {
		*len = rest;
	} else {
		if (rest < info->len)
			return -EBADMSG;
		*len = info->len;
	}
	*data = c->p + c->off;
	c->off += *len;
	return 1;
}
