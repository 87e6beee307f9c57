// SPDX-License-Identifier: MIT
/* The slcan ASCII protocol, without I/O (grammar in slcan_codec.h). */
#include <errno.h>
#include <string.h>

#include "drivers/slcan_codec.h"

/* linux/can/error.h, written out so the core builds without kernel headers. */
#define ERR_LOSTARB 0x00000002u
#define ERR_CRTL 0x00000004u
#define ERR_PROT 0x00000008u
#define ERR_ACK 0x00000020u
#define ERR_BUSOFF 0x00000040u
#define ERR_BUSERROR 0x00000080u
#define ERR_CNT 0x00000200u
#define ERR_CRTL_RX_OVERFLOW 0x01
#define ERR_CRTL_TX_OVERFLOW 0x02
#define ERR_CRTL_RX_WARNING 0x04
#define ERR_CRTL_TX_WARNING 0x08
#define ERR_CRTL_RX_PASSIVE 0x10
#define ERR_CRTL_TX_PASSIVE 0x20
#define ERR_CRTL_ACTIVE 0x40
#define ERR_PROT_BIT 0x01
#define ERR_PROT_FORM 0x02
#define ERR_PROT_STUFF 0x04
#define ERR_PROT_BIT0 0x08
#define ERR_PROT_BIT1 0x10
#define ERR_PROT_LOC_CRC_SEQ 0x08
#define ERR_PROT_LOC_ACK 0x19
#define ERR_DLC 8

static const char hex_upper[] = "0123456789ABCDEF";

/* S0..S8 (adapters.md §3.1: Lawicel table; S7 is 800k there, 750k on the
 * CANable's firmware, canable-fw src/slcan.c). */
static const uint32_t s_rates[9] = {10000, 20000, 50000, 100000, 125000,
				     250000, 500000, 800000, 1000000};

int evgw_slcan_bitrate_code(uint32_t bitrate, enum evgw_slcan_fw fw)
{
	if (bitrate == 750000 || bitrate == 800000) {
		if (fw == EVGW_SLCAN_FW_UNKNOWN)
			return -ENOTUNIQ;
		bool canable = fw == EVGW_SLCAN_FW_CANABLE;
		return (bitrate == 750000) == canable ? 7 : -EINVAL;
	}
	for (int i = 0; i < 9; i++)
		if (s_rates[i] == bitrate)
			return i;
	return -EINVAL;
}

int evgw_slcan_data_bitrate_code(uint32_t data_bitrate)
{
	/* Y0..Y8: canable2-fw README (1, 2, 4, 5 M), its Nakakiyo092 fork (500k, 8M),
	 * WeAct USB2CANFDV1 (3M). */
	static const uint32_t y_rates[9] = {500000, 1000000, 2000000, 3000000, 4000000,
					    5000000, 0, 0, 8000000};
	for (int i = 0; i < 9; i++)
		if (y_rates[i] && y_rates[i] == data_bitrate)
			return i;
	return -EINVAL;
}

static char *put_hex(char *p, uint32_t v, int digits)
{
	for (int i = digits - 1; i >= 0; i--)
		*p++ = hex_upper[(v >> (4 * i)) & 0xF];
	return p;
}

int evgw_slcan_encode_frame(const struct evgw_frame *f, char *buf, size_t cap)
{
	bool ext = f->flags & EVGW_FRAME_EXT;
	bool fd = f->flags & EVGW_FRAME_FD;
	bool rtr = f->flags & EVGW_FRAME_RTR;
	if (f->flags & EVGW_FRAME_ERR)
		return -EINVAL;
	if (f->id > (ext ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK))
		return -EINVAL;
	char type;
	uint8_t code, nbytes;
	if (fd) {
		if (rtr || !evgw_canfd_len_valid(f->len))
			return -EINVAL;
		type = (f->flags & EVGW_FRAME_BRS) ? 'b' : 'd';
		code = evgw_canfd_len_to_dlc(f->len);
		nbytes = f->len;
	} else {
		/* A remote frame's DLC is its requested length; no data follows. */
		if (f->len > EVGW_CAN_MAX_DLEN)
			return -EINVAL;
		type = rtr ? 'r' : 't';
		code = f->len;
		nbytes = rtr ? 0 : f->len;
	}
	size_t need = 1 + (ext ? 8 : 3) + 1 + 2u * nbytes + 1;
	if (cap < need + 1)
		return -ENOSPC;
	char *p = buf;
	*p++ = ext ? (char)(type - 'a' + 'A') : type;
	p = put_hex(p, f->id, ext ? 8 : 3);
	*p++ = hex_upper[code];
	for (uint8_t i = 0; i < nbytes; i++)
		p = put_hex(p, f->data[i], 2);
	*p++ = '\r';
	*p = '\0';
	return (int)need;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* n hex digits at s into *v; false on a non-hex digit. */
static bool get_hex(const char *s, size_t n, uint32_t *v)
{
	uint32_t r = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hexval(s[i]);
		if (d < 0)
			return false;
		r = r << 4 | (uint32_t)d;
	}
	*v = r;
	return true;
}

static bool get_dec3(const char *s, uint16_t *v)
{
	uint16_t r = 0;
	for (int i = 0; i < 3; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		r = (uint16_t)(r * 10 + (s[i] - '0'));
	}
	*v = r;
	return true;
}

static int parse_frame(const char *s, size_t len, struct evgw_slcan_msg *m)
{
	struct evgw_frame *f = &m->frame;
	char c = s[0];
	bool ext = c >= 'A' && c <= 'Z';
	char lc = ext ? (char)(c - 'A' + 'a') : c;
	bool fd = lc == 'd' || lc == 'b';
	size_t idlen = ext ? 8 : 3;
	uint32_t id, code;
	if (len < 1 + idlen + 1 || !get_hex(s + 1, idlen, &id) || !get_hex(s + 1 + idlen, 1, &code))
		return -EINVAL;
	if (id > (ext ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK))
		return -EINVAL;
	f->id = id;
	f->flags = (uint8_t)((ext ? EVGW_FRAME_EXT : 0) | (lc == 'r' ? EVGW_FRAME_RTR : 0) |
			     (fd ? EVGW_FRAME_FD : 0) | (lc == 'b' ? EVGW_FRAME_BRS : 0));
	f->dlc = (uint8_t)code;
	if (fd) {
		f->len = evgw_canfd_dlc_to_len((uint8_t)code);
	} else {
		if (code > 8) /* Lawicel and the kernel: DLC '0'..'8' only */
			return -EINVAL;
		f->len = (uint8_t)code;
	}
	const char *p = s + 1 + idlen + 1;
	size_t rest = len - (size_t)(p - s);
	size_t nbytes = lc == 'r' ? 0 : f->len;
	if (lc == 'r' && rest != 0 && rest != 4 && (rest == 2u * f->len || rest == 2u * f->len + 4)) {
		/* canable-fw writes DLC data bytes after a remote frame's DLC
		 * (src/slcan.c, slcan_parse_frame): skip them. A 4-digit rest is
		 * read as the timestamp first. */
		for (size_t i = 0; i < 2u * f->len; i++)
			if (hexval(p[i]) < 0)
				return -EINVAL;
		p += 2u * f->len;
		rest -= 2u * f->len;
	}
	if (rest != 2 * nbytes && rest != 2 * nbytes + 4)
		return -EINVAL;
	for (size_t i = 0; i < nbytes; i++) {
		uint32_t b;
		if (!get_hex(p + 2 * i, 2, &b))
			return -EINVAL;
		f->data[i] = (uint8_t)b;
	}
	p += 2 * nbytes;
	if (rest == 2 * nbytes + 4) {
		uint32_t ts;
		if (!get_hex(p, 4, &ts))
			return -EINVAL;
		m->has_ts = true;
		m->ts_ms = (uint16_t)ts;
	}
	m->kind = EVGW_SLCAN_FRAME;
	return 0;
}

static void err_frame_init(struct evgw_frame *f, uint32_t cls)
{
	memset(f, 0, sizeof *f);
	f->flags = EVGW_FRAME_ERR;
	f->id = cls;
	f->len = ERR_DLC;
	f->dlc = ERR_DLC;
}

/* e<n><codes>: kernel slcan-core.c slc_bump_err: each code letter sets the
 * same bits the kernel sets; an unknown letter rejects the line. */
static int parse_bus_error(const char *s, size_t len, struct evgw_slcan_msg *m)
{
	if (len < 2 || s[1] < '0' || s[1] > '8')
		return -EINVAL;
	size_t n = (size_t)(s[1] - '0');
	if (len != 2 + n)
		return -EINVAL;
	struct evgw_frame *f = &m->frame;
	err_frame_init(f, ERR_PROT | ERR_BUSERROR);
	for (size_t i = 0; i < n; i++) {
		switch (s[2 + i]) {
		case 'a':
			f->id |= ERR_ACK;
			f->data[3] = ERR_PROT_LOC_ACK;
			break;
		case 'b':
			f->data[2] |= ERR_PROT_BIT0;
			break;
		case 'B':
			f->data[2] |= ERR_PROT_BIT1;
			break;
		case 'c':
			f->data[2] |= ERR_PROT_BIT;
			f->data[3] = ERR_PROT_LOC_CRC_SEQ;
			break;
		case 'f':
			f->data[2] |= ERR_PROT_FORM;
			break;
		case 'o':
			f->id |= ERR_CRTL;
			f->data[1] = ERR_CRTL_RX_OVERFLOW;
			m->overrun = true;
			break;
		case 'O':
			f->id |= ERR_CRTL;
			f->data[1] = ERR_CRTL_TX_OVERFLOW;
			break;
		case 's':
			f->data[2] |= ERR_PROT_STUFF;
			break;
		default:
			return -EINVAL;
		}
	}
	m->kind = EVGW_SLCAN_BUS_ERROR;
	return 0;
}

void evgw_slcan_state_frame(enum evgw_slcan_state st, unsigned rx_errors, unsigned tx_errors,
			    struct evgw_frame *f)
{
	/* kernel slcan-core.c slc_bump_state: the side(s) with the larger
	 * counter changed state; can_change_state's bits for each state. */
	bool tx_side = tx_errors >= rx_errors, rx_side = tx_errors <= rx_errors;
	err_frame_init(f, ERR_CNT);
	switch (st) {
	case EVGW_SLCAN_ST_ACTIVE:
		f->id |= ERR_CRTL;
		f->data[1] = ERR_CRTL_ACTIVE;
		break;
	case EVGW_SLCAN_ST_WARNING:
		f->id |= ERR_CRTL;
		f->data[1] = (uint8_t)((tx_side ? ERR_CRTL_TX_WARNING : 0) |
				       (rx_side ? ERR_CRTL_RX_WARNING : 0));
		break;
	case EVGW_SLCAN_ST_PASSIVE:
		f->id |= ERR_CRTL;
		f->data[1] = (uint8_t)((tx_side ? ERR_CRTL_TX_PASSIVE : 0) |
				       (rx_side ? ERR_CRTL_RX_PASSIVE : 0));
		break;
	case EVGW_SLCAN_ST_BUS_OFF:
		f->id |= ERR_BUSOFF;
		break;
	}
	f->data[6] = (uint8_t)(tx_errors > 255 ? 255 : tx_errors);
	f->data[7] = (uint8_t)(rx_errors > 255 ? 255 : rx_errors);
}

/* s<a|w|p|b><rx:3><tx:3>, decimal counters (kernel slcan-core.c). */
static int parse_state(const char *s, size_t len, struct evgw_slcan_msg *m)
{
	static const char letters[] = "awpb";
	if (len != 8 || !s[1] || !strchr(letters, s[1]))
		return -EINVAL;
	if (!get_dec3(s + 2, &m->rx_errors) || !get_dec3(s + 5, &m->tx_errors))
		return -EINVAL;
	m->state = (enum evgw_slcan_state)(strchr(letters, s[1]) - letters);
	evgw_slcan_state_frame(m->state, m->rx_errors, m->tx_errors, &m->frame);
	m->kind = EVGW_SLCAN_STATE;
	return 0;
}

bool evgw_slcan_status_frame(uint8_t flags, uint8_t prev_flags, struct evgw_frame *f)
{
	const uint8_t level = EVGW_SLCAN_F_ERR_WARNING | EVGW_SLCAN_F_ERR_PASSIVE;
	uint8_t events = flags & (EVGW_SLCAN_F_DATA_OVERRUN | EVGW_SLCAN_F_BUS_ERROR |
				  EVGW_SLCAN_F_ARB_LOST);
	bool level_changed = (flags & level) != (prev_flags & level);
	if (!events && !level_changed)
		return false;
	err_frame_init(f, 0);
	if (flags & EVGW_SLCAN_F_DATA_OVERRUN) {
		f->id |= ERR_CRTL;
		f->data[1] |= ERR_CRTL_RX_OVERFLOW;
	}
	if (flags & EVGW_SLCAN_F_BUS_ERROR)
		f->id |= ERR_PROT | ERR_BUSERROR; /* type and location unknown: 0 */
	if (flags & EVGW_SLCAN_F_ARB_LOST)
		f->id |= ERR_LOSTARB; /* bit position unknown: data[0] = 0 */
	if (level_changed) {
		f->id |= ERR_CRTL;
		if (flags & EVGW_SLCAN_F_ERR_PASSIVE)
			f->data[1] |= ERR_CRTL_RX_PASSIVE | ERR_CRTL_TX_PASSIVE;
		else if (flags & EVGW_SLCAN_F_ERR_WARNING)
			f->data[1] |= ERR_CRTL_RX_WARNING | ERR_CRTL_TX_WARNING;
		else
			f->data[1] |= ERR_CRTL_ACTIVE;
	}
	return true;
}

int evgw_slcan_parse_line(const char *line, size_t len, bool bell, struct evgw_slcan_msg *out)
{
	memset(out, 0, sizeof *out);
	if (bell) {
		/* A BELL is a refusal whatever came before it on the line. */
		out->kind = EVGW_SLCAN_NACK;
		return 0;
	}
	if (len == 0) {
		out->kind = EVGW_SLCAN_ACK;
		return 0;
	}
	switch (line[0]) {
	case 't': case 'T': case 'r': case 'R':
	case 'd': case 'D': case 'b': case 'B':
		return parse_frame(line, len, out);
	case 'z': case 'Z':
		/* Some firmwares add a tx event after the letter; the ack is what counts. */
		out->kind = EVGW_SLCAN_TX_ACK;
		return 0;
	case 'F': {
		uint32_t v;
		if (len != 3 || !get_hex(line + 1, 2, &v))
			return -EINVAL;
		out->kind = EVGW_SLCAN_STATUS;
		out->status = (uint8_t)v;
		out->overrun = v & EVGW_SLCAN_F_DATA_OVERRUN;
		return 0;
	}
	case 'e':
		return parse_bus_error(line, len, out);
	case 's':
		return parse_state(line, len, out);
	case 'V': case 'v': case 'N': case 'I': case 'i':
		out->kind = EVGW_SLCAN_INFO;
		return 0;
	default:
		return -EINVAL;
	}
}

size_t evgw_slcan_lines_next(struct evgw_slcan_lines *lb, const char *in, size_t n, bool *got,
			     const char **line, size_t *len, bool *bell)
{
	*got = false;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '\r' || c == '\a') {
			bool was_long = lb->overlong;
			lb->overlong = false;
			if (was_long) {
				lb->len = 0;
				continue;
			}
			*line = lb->buf;
			*len = lb->len;
			*bell = c == '\a';
			*got = true;
			lb->len = 0;
			return i + 1;
		}
		if (c == '\n' || lb->overlong)
			continue;
		if (lb->len == sizeof lb->buf) {
			lb->overlong = true;
			lb->dropped++;
			continue;
		}
		lb->buf[lb->len++] = c;
	}
	return n;
}

/* Beyond this behind the host clock, the offset is taken again: a long
 * silence (the 60 s wrap is then ambiguous) or a slow device clock. */
#define CLOCK_MAX_LAG_US 500000

int64_t evgw_slcan_clock_stamp(struct evgw_slcan_clock *c, uint16_t ts_ms, int64_t now_us)
{
	if (!c->started) {
		c->started = true;
		c->wrap = ts_ms >= 60000 ? 65536 : 60000;
		c->last_ms = ts_ms;
		c->dev_us = 0;
		c->offset_us = now_us;
		return now_us;
	}
	if (ts_ms >= 60000)
		c->wrap = 65536; /* 0xEA5F is Lawicel's last value; some count to 0xFFFF */
	uint32_t delta = ts_ms >= c->last_ms ? (uint32_t)(ts_ms - c->last_ms)
					     : c->wrap - c->last_ms + ts_ms;
	c->last_ms = ts_ms;
	c->dev_us += (int64_t)delta * 1000;
	int64_t t = c->dev_us + c->offset_us;
	if (t > now_us || now_us - t > CLOCK_MAX_LAG_US) {
		c->offset_us = now_us - c->dev_us;
		t = now_us;
	}
	return t;
}
