// SPDX-License-Identifier: MIT
/* pcapng of CAN frames; pcapng.h gives the block layouts. */
#include "can/pcapng.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BOM 0x1A2B3C4Du
#define OPT_END 0
#define OPT_COMMENT 1
#define OPT_IF_NAME 2
#define OPT_EPB_FLAGS 2
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFFSET 14
#define DIR_OUTBOUND 2u
#define CAN_EFF 0x80000000u
#define CAN_RTR 0x40000000u
#define CAN_ERR 0x20000000u
#define FD_BRS 0x01
#define FD_ESI 0x02
#define FD_FDF 0x04
#define CANXL_BIT 0x80
#define MTU_CLASSIC 16u
#define MTU_FD 72u
#define HDR 8u                /* the SocketCAN header before the payload */
#define SNAPLEN 0x40000u
#define READ_AHEAD (64u << 10)

static size_t pad4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* An option at p: code, length, value, zero padding. Returns its size. */
static size_t put_opt(uint8_t *p, uint16_t code, const void *v, size_t n)
{
	put16(p, code);
	put16(p + 2, (uint16_t)n);
	memcpy(p + 4, v, n);
	memset(p + 4 + n, 0, pad4(n) - n);
	return 4 + pad4(n);
}

static int finish(uint8_t *buf, uint32_t type, size_t len)
{
	put32(buf, type);
	put32(buf + 4, (uint32_t)len);
	put32(buf + len - 4, (uint32_t)len);
	return (int)len;
}

int evgw_pcapng_put_shb(uint8_t *buf, size_t cap, const char *const *comments, unsigned n_comments)
{
	size_t len = 28, p = 24;
	for (unsigned i = 0; i < n_comments; i++) {
		size_t n = strlen(comments[i]);
		if (n > UINT16_MAX)
			return -EINVAL;
		len += 4 + pad4(n);
	}
	if (n_comments)
		len += 4; /* opt_endofopt */
	if (len > cap || len > INT32_MAX)
		return -ENOSPC;
	put32(buf + 8, BOM);
	put16(buf + 12, 1);
	put16(buf + 14, 0);
	put32(buf + 16, 0xFFFFFFFFu); /* section length -1: not known while writing */
	put32(buf + 20, 0xFFFFFFFFu);
	/* The comments last, so that the final one is followed by padding or
	 * the end marker (a reader of its text stops at a zero). */
	for (unsigned i = 0; i < n_comments; i++)
		p += put_opt(buf + p, OPT_COMMENT, comments[i], strlen(comments[i]));
	if (n_comments) {
		put32(buf + p, 0);
		p += 4;
	}
	(void)p;
	return finish(buf, BT_SHB, len);
}

int evgw_pcapng_put_idb(uint8_t *buf, size_t cap, const char *if_name)
{
	size_t n = strlen(if_name);
	if (n > UINT16_MAX)
		return -EINVAL;
	size_t len = 16 + (n ? 4 + pad4(n) : 0) + 8 + 4 + 4;
	if (len > cap)
		return -ENOSPC;
	put16(buf + 8, EVGW_PCAPNG_LINKTYPE_CAN_SOCKETCAN);
	put16(buf + 10, 0);
	put32(buf + 12, SNAPLEN);
	size_t p = 16;
	if (n)
		p += put_opt(buf + p, OPT_IF_NAME, if_name, n);
	uint8_t res = 6; /* microseconds */
	p += put_opt(buf + p, OPT_IF_TSRESOL, &res, 1);
	put32(buf + p, 0);
	return finish(buf, BT_IDB, len);
}

static bool frame_fits(const struct evgw_frame *f)
{
	if (f->flags & EVGW_FRAME_FD)
		return !(f->flags & (EVGW_FRAME_RTR | EVGW_FRAME_ERR)) && evgw_canfd_len_valid(f->len);
	if (f->flags & (EVGW_FRAME_ERR | EVGW_FRAME_RTR))
		return f->len <= EVGW_CAN_MAX_DLEN;
	return f->len <= EVGW_CANFD_MAX_DLEN;
}

/* The packet: 16 bytes for a classic frame, 72 for FD, 8 + len for a
 * classic frame with a long payload (some tools log them), and 4 more
 * when that would be 72, which readers take for CAN FD. */
static size_t packet_len(const struct evgw_frame *f)
{
	if (f->flags & EVGW_FRAME_FD)
		return MTU_FD;
	if (f->len <= EVGW_CAN_MAX_DLEN)
		return MTU_CLASSIC;
	return HDR + f->len == MTU_FD ? MTU_FD + 4 : HDR + f->len;
}

size_t evgw_pcapng_epb_size(const struct evgw_frame *f, size_t comments_total, unsigned n_comments)
{
	size_t opts = (f->flags & EVGW_FRAME_TX) ? 8 : 0;
	opts += comments_total + 7u * n_comments; /* each comment: header and up to 3 bytes padding */
	return 28 + pad4(packet_len(f)) + (opts ? opts + 4 : 0) + 4;
}

int evgw_pcapng_put_epb(uint8_t *buf, size_t cap, uint32_t ifid, const struct evgw_frame *f,
			const char *const *comments, const size_t *comment_lens, unsigned n_comments)
{
	if (!frame_fits(f))
		return -EINVAL;
	size_t plen = packet_len(f), opts = (f->flags & EVGW_FRAME_TX) ? 8 : 0;
	for (unsigned i = 0; i < n_comments; i++) {
		if (comment_lens[i] > UINT16_MAX)
			return -EINVAL;
		opts += 4 + pad4(comment_lens[i]);
	}
	size_t len = 28 + pad4(plen) + (opts ? opts + 4 : 0) + 4;
	if (len > cap || len > INT32_MAX)
		return -ENOSPC;
	uint64_t ts = f->ts_us < 0 ? 0 : (uint64_t)f->ts_us;
	put32(buf + 8, ifid);
	put32(buf + 12, (uint32_t)(ts >> 32));
	put32(buf + 16, (uint32_t)ts);
	put32(buf + 20, (uint32_t)plen);
	put32(buf + 24, (uint32_t)plen);
	uint8_t *pk = buf + 28;
	memset(pk, 0, pad4(plen));
	uint32_t id = f->id;
	if (f->flags & EVGW_FRAME_ERR)
		id = (id & EVGW_CAN_EFF_MASK) | CAN_ERR;
	else if (f->flags & EVGW_FRAME_EXT)
		id = (id & EVGW_CAN_EFF_MASK) | CAN_EFF;
	else
		id &= EVGW_CAN_SFF_MASK;
	if (f->flags & EVGW_FRAME_RTR)
		id |= CAN_RTR;
	pk[0] = (uint8_t)(id >> 24); /* big-endian, whatever the section's order */
	pk[1] = (uint8_t)(id >> 16);
	pk[2] = (uint8_t)(id >> 8);
	pk[3] = (uint8_t)id;
	pk[4] = f->len;
	if (f->flags & EVGW_FRAME_FD)
		pk[5] = (uint8_t)(FD_FDF | ((f->flags & EVGW_FRAME_BRS) ? FD_BRS : 0) |
				  ((f->flags & EVGW_FRAME_ESI) ? FD_ESI : 0));
	else if (f->len == EVGW_CAN_MAX_DLEN && f->dlc > EVGW_CAN_MAX_DLEN && f->dlc <= 15)
		pk[7] = f->dlc;
	if (!(f->flags & EVGW_FRAME_RTR))
		memcpy(pk + HDR, f->data, f->len);
	size_t p = 28 + pad4(plen);
	for (unsigned i = 0; i < n_comments; i++)
		p += put_opt(buf + p, OPT_COMMENT, comments[i], comment_lens[i]);
	if (f->flags & EVGW_FRAME_TX) {
		uint8_t v[4];
		put32(v, DIR_OUTBOUND);
		p += put_opt(buf + p, OPT_EPB_FLAGS, v, 4);
	}
	if (opts)
		put32(buf + p, 0);
	return finish(buf, BT_EPB, len);
}

/* ---- reading ---- */

int evgw_pcapng_reader_init(struct evgw_pcapng_reader *r, evgw_pcapng_read_fn read, void *ud)
{
	memset(r, 0, sizeof *r);
	r->read = read;
	r->ud = ud;
	r->buf = malloc(EVGW_PCAPNG_MAX_BLOCK);
	r->ahead = malloc(READ_AHEAD);
	return r->buf && r->ahead ? 0 : -ENOMEM;
}

void evgw_pcapng_reader_free(struct evgw_pcapng_reader *r)
{
	free(r->buf);
	free(r->ahead);
	r->buf = r->ahead = NULL;
}

static uint32_t get32(const struct evgw_pcapng_reader *r, const uint8_t *p)
{
	if (r->big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const struct evgw_pcapng_reader *r, const uint8_t *p)
{
	return r->big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[0] | p[1] << 8);
}

/* Up to n bytes, from what was read ahead or a new read: 0 at the end. */
static ssize_t take(struct evgw_pcapng_reader *r, uint8_t *dst, size_t n)
{
	if (r->ahead_pos == r->ahead_len) {
		ssize_t got = r->read(r->ud, r->ahead, READ_AHEAD);
		if (got <= 0)
			return got;
		r->ahead_pos = 0;
		r->ahead_len = (size_t)got;
	}
	size_t k = r->ahead_len - r->ahead_pos;
	k = k < n ? k : n;
	if (dst)
		memcpy(dst, r->ahead + r->ahead_pos, k);
	r->ahead_pos += k;
	return (ssize_t)k;
}

/* Exactly n bytes into dst, or -EBADMSG at the end. */
static int fill(struct evgw_pcapng_reader *r, uint8_t *dst, size_t n)
{
	while (n) {
		ssize_t got = take(r, dst, n);
		if (got < 0)
			return (int)got;
		if (got == 0)
			return -EBADMSG;
		dst += got;
		n -= (size_t)got;
	}
	return 0;
}

/* n bytes of a block of a kind not read, thrown away. */
static int skip(struct evgw_pcapng_reader *r, size_t n)
{
	while (n) {
		ssize_t got = take(r, NULL, n);
		if (got < 0)
			return (int)got;
		if (got == 0)
			return -EBADMSG;
		n -= (size_t)got;
	}
	return 0;
}

static int bad(char *err, size_t errlen, uint64_t at, int e, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int bad(char *err, size_t errlen, uint64_t at, int e, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "byte %" PRIu64 ": %s", at, what);
	return e;
}

/* Options in [p, end): each handed to fn; stops at opt_endofopt. */
struct opt {
	uint16_t code, len;
	const uint8_t *v;
};

static int next_opt(const struct evgw_pcapng_reader *r, const uint8_t **p, const uint8_t *end, struct opt *o)
{
	if (end - *p < 4)
		return 0;
	o->code = get16(r, *p);
	o->len = get16(r, *p + 2);
	if (o->code == OPT_END)
		return 0;
	if ((size_t)(end - *p - 4) < pad4(o->len))
		return -1;
	o->v = *p + 4;
	*p += 4 + pad4(o->len);
	return 1;
}

static void keep_comment(struct evgw_pcapng_record *rec, const struct opt *o)
{
	if (o->code != OPT_COMMENT || rec->n_comments == EVGW_PCAPNG_MAX_COMMENTS)
		return;
	size_t n = o->len;
	/* Some writers count a terminating zero. */
	while (n && o->v[n - 1] == 0)
		n--;
	rec->comments[rec->n_comments] = (const char *)o->v;
	rec->comment_lens[rec->n_comments++] = n;
}

static int read_shb_opts(struct evgw_pcapng_reader *r, struct evgw_pcapng_record *rec, size_t len, char *err,
			 size_t errlen)
{
	const uint8_t *p = r->buf + 24, *end = r->buf + len - 4;
	struct opt o;
	int k;
	while ((k = next_opt(r, &p, end, &o)) > 0)
		keep_comment(rec, &o);
	if (k < 0)
		return bad(err, errlen, rec->offset, -EINVAL, "section header option runs past the block");
	return 0;
}

static int read_idb(struct evgw_pcapng_reader *r, uint64_t at, size_t len, char *err, size_t errlen)
{
	if (len < 20)
		return bad(err, errlen, at, -EINVAL, "interface description block of %zu bytes is too short", len);
	if (r->n_ifaces == EVGW_PCAPNG_MAX_IFACES)
		return bad(err, errlen, at, -EINVAL, "more than %d interfaces in a section", EVGW_PCAPNG_MAX_IFACES);
	struct evgw_pcapng_iface *i = &r->ifaces[r->n_ifaces];
	memset(i, 0, sizeof *i);
	i->linktype = get16(r, r->buf + 8);
	i->tsresol = 6;
	const uint8_t *p = r->buf + 16, *end = r->buf + len - 4;
	struct opt o;
	int k;
	while ((k = next_opt(r, &p, end, &o)) > 0) {
		if (o.code == OPT_IF_NAME) {
			size_t n = o.len < sizeof i->name - 1 ? o.len : sizeof i->name - 1;
			memcpy(i->name, o.v, n);
			i->name[n] = '\0';
		} else if (o.code == OPT_IF_TSRESOL && o.len >= 1) {
			i->tsresol = o.v[0];
			unsigned e = i->tsresol & 0x7F;
			if ((i->tsresol & 0x80) ? e > 63 : e > 19)
				return bad(err, errlen, at, -EINVAL, "timestamp resolution %s%u is out of range",
					   (i->tsresol & 0x80) ? "2^-" : "10^-", e);
		} else if (o.code == OPT_IF_TSOFFSET && o.len >= 8) {
			uint64_t lo = get32(r, o.v), hi = get32(r, o.v + 4);
			if (r->big_endian) {
				uint64_t t = lo;
				lo = hi;
				hi = t;
			}
			i->tsoffset_s = (int64_t)(hi << 32 | lo);
			if (i->tsoffset_s > INT32_MAX * 1000LL || i->tsoffset_s < -INT32_MAX * 1000LL)
				return bad(err, errlen, at, -EINVAL, "timestamp offset out of range");
		}
	}
	if (k < 0)
		return bad(err, errlen, at, -EINVAL, "interface option runs past the block");
	r->n_ifaces++;
	return 0;
}

/* Ticks of the interface's resolution to microseconds since the epoch. */
static int ticks_to_us(const struct evgw_pcapng_iface *i, uint64_t t, int64_t *us)
{
	unsigned e = i->tsresol & 0x7F;
	uint64_t v;
	if (i->tsresol & 0x80) {
		uint64_t whole = e ? t >> e : t, frac = e ? t & ((UINT64_C(1) << e) - 1) : 0;
		if (whole > (uint64_t)INT64_MAX / 1000000)
			return -1;
		if (e > 43) { /* frac * 10^6 must stay below 2^64 */
			frac >>= e - 43;
			e = 43;
		}
		v = whole * 1000000 + (e ? (frac * 1000000) >> e : 0);
	} else if (e >= 6) {
		uint64_t d = 1;
		for (unsigned k = 6; k < e; k++)
			d *= 10;
		v = t / d;
	} else {
		uint64_t m = 1;
		for (unsigned k = e; k < 6; k++)
			m *= 10;
		if (t > (uint64_t)INT64_MAX / m)
			return -1;
		v = t * m;
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	int64_t off = i->tsoffset_s * 1000000;
	if ((off > 0 && (int64_t)v > INT64_MAX - off) || ((int64_t)v + off) < 0)
		return -1;
	*us = (int64_t)v + off;
	return 0;
}

/* 1: a frame, 0: a packet skipped (another link type, CAN XL). */
static int read_epb(struct evgw_pcapng_reader *r, struct evgw_pcapng_record *rec, size_t len, char *err,
		    size_t errlen)
{
	uint64_t at = rec->offset;
	if (len < 32)
		return bad(err, errlen, at, -EINVAL, "enhanced packet block of %zu bytes is too short", len);
	const uint8_t *b = r->buf;
	uint32_t ifid = get32(r, b + 8), caplen = get32(r, b + 20);
	if (ifid >= r->n_ifaces)
		return bad(err, errlen, at, -EINVAL, "packet on interface %" PRIu32 ", but the section has %u", ifid,
			   r->n_ifaces);
	if (caplen > len - 32 || pad4(caplen) > len - 32)
		return bad(err, errlen, at, -EINVAL, "packet of %" PRIu32 " bytes runs past its block", caplen);
	const struct evgw_pcapng_iface *i = &r->ifaces[ifid];
	if (i->linktype != EVGW_PCAPNG_LINKTYPE_CAN_SOCKETCAN) {
		r->skipped++;
		return 0;
	}
	const uint8_t *pk = b + 28;
	if (caplen < HDR)
		return bad(err, errlen, at, -EINVAL, "CAN packet of %" PRIu32 " bytes is shorter than its header", caplen);
	if (pk[4] & CANXL_BIT) {
		r->skipped++;
		return 0;
	}
	struct evgw_frame *f = &rec->frame;
	memset(f, 0, sizeof *f);
	uint32_t id = (uint32_t)pk[0] << 24 | (uint32_t)pk[1] << 16 | (uint32_t)pk[2] << 8 | pk[3];
	uint8_t dlen = pk[4], fdf = pk[5];
	bool fd = (fdf & FD_FDF) || caplen == MTU_FD;
	if (id & CAN_ERR) {
		f->flags |= EVGW_FRAME_ERR;
		f->id = id & EVGW_CAN_EFF_MASK;
		if (fd || dlen > EVGW_CAN_MAX_DLEN || (id & CAN_RTR))
			return bad(err, errlen, at, -EINVAL, "error frame with %s",
				   fd ? "CAN FD flags" : (id & CAN_RTR) ? "the remote flag" : "more than 8 bytes");
	} else if (id & CAN_EFF) {
		f->flags |= EVGW_FRAME_EXT;
		f->id = id & EVGW_CAN_EFF_MASK;
	} else {
		if (id & EVGW_CAN_EFF_MASK & ~EVGW_CAN_SFF_MASK)
			return bad(err, errlen, at, -EINVAL, "standard CAN id 0x%" PRIX32 " is wider than 11 bits",
				   id & EVGW_CAN_EFF_MASK);
		f->id = id & EVGW_CAN_SFF_MASK;
	}
	f->len = dlen;
	if (fd) {
		if ((id & CAN_RTR) || !evgw_canfd_len_valid(dlen))
			return bad(err, errlen, at, -EINVAL, (id & CAN_RTR) ? "remote CAN FD frame" : "invalid CAN FD length %u",
				   dlen);
		f->flags |= EVGW_FRAME_FD | ((fdf & FD_BRS) ? EVGW_FRAME_BRS : 0) | ((fdf & FD_ESI) ? EVGW_FRAME_ESI : 0);
		f->dlc = evgw_canfd_len_to_dlc(dlen);
	} else if (id & CAN_RTR) {
		if (dlen > EVGW_CAN_MAX_DLEN)
			return bad(err, errlen, at, -EINVAL, "remote frame length %u above 8", dlen);
		f->flags |= EVGW_FRAME_RTR;
		f->dlc = dlen;
	} else {
		if (dlen > EVGW_CANFD_MAX_DLEN)
			return bad(err, errlen, at, -EINVAL, "payload length %u above 64", dlen);
		f->dlc = dlen == EVGW_CAN_MAX_DLEN && pk[7] > EVGW_CAN_MAX_DLEN && pk[7] <= 15 ? pk[7] : dlen;
	}
	if (!(f->flags & EVGW_FRAME_RTR)) {
		if (caplen < HDR + (uint32_t)dlen)
			return bad(err, errlen, at, -EINVAL, "packet of %" PRIu32 " bytes holds less than its %u data bytes",
				   caplen, dlen);
		memcpy(f->data, pk + HDR, dlen);
	}
	uint64_t ticks = (uint64_t)get32(r, b + 12) << 32 | get32(r, b + 16);
	if (ticks_to_us(i, ticks, &f->ts_us) < 0)
		return bad(err, errlen, at, -EINVAL, "timestamp out of range");
	const uint8_t *p = pk + pad4(caplen), *end = b + len - 4;
	struct opt o;
	int k;
	while ((k = next_opt(r, &p, end, &o)) > 0) {
		keep_comment(rec, &o);
		if (o.code == OPT_EPB_FLAGS && o.len >= 4 && (get32(r, o.v) & 3u) == DIR_OUTBOUND)
			f->flags |= EVGW_FRAME_TX;
	}
	if (k < 0)
		return bad(err, errlen, at, -EINVAL, "packet option runs past the block");
	rec->iface = i;
	rec->ifid = ifid;
	return 1;
}

int evgw_pcapng_next(struct evgw_pcapng_reader *r, struct evgw_pcapng_record *rec, char *err, size_t errlen)
{
	for (;;) {
		memset(rec, 0, sizeof *rec);
		uint64_t at = r->offset;
		rec->offset = at;
		uint8_t *b = r->buf;
		ssize_t got = take(r, b, 1);
		if (got < 0)
			return (int)got;
		if (got == 0)
			return 0;
		int e = fill(r, b + 1, 7);
		if (e == -EBADMSG)
			return bad(err, errlen, at, e, "the file ends inside a block header");
		if (e < 0)
			return e;
		uint32_t type_le = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
		if (type_le == BT_SHB) {
			if ((e = fill(r, b + 8, 4)) < 0)
				return e == -EBADMSG ? bad(err, errlen, at, e, "the file ends inside a section header") : e;
			uint32_t m = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
			if (m == BOM)
				r->big_endian = false;
			else if (m == 0x4D3C2B1Au)
				r->big_endian = true;
			else
				return bad(err, errlen, at, -EINVAL, "section header without the byte-order magic");
			r->in_section = true;
			r->n_ifaces = 0;
			r->have = 12;
		} else if (!r->in_section) {
			return bad(err, errlen, at, -EINVAL, "not a pcapng file (no section header block first)");
		} else {
			r->have = 8;
		}
		uint32_t type = get32(r, b), len = get32(r, b + 4);
		if (len < 12 || len % 4)
			return bad(err, errlen, at, -EINVAL, "block length %" PRIu32 " is not a multiple of 4 of at least 12", len);
		bool wanted = type == BT_SHB || type == BT_IDB || type == BT_EPB;
		if (!wanted) {
			if ((e = skip(r, len - r->have)) < 0)
				return e == -EBADMSG ? bad(err, errlen, at, e, "the file ends inside a block of %" PRIu32 " bytes", len) : e;
			r->offset += len;
			r->skipped++;
			continue;
		}
		if (len > EVGW_PCAPNG_MAX_BLOCK)
			return bad(err, errlen, at, -EINVAL, "block of %" PRIu32 " bytes is larger than %u", len,
				   EVGW_PCAPNG_MAX_BLOCK);
		if ((e = fill(r, b + r->have, len - r->have)) < 0)
			return e == -EBADMSG ? bad(err, errlen, at, e, "the file ends inside a block of %" PRIu32 " bytes", len) : e;
		r->offset += len;
		if (get32(r, b + len - 4) != len)
			return bad(err, errlen, at, -EINVAL, "block's trailing length differs from its leading one");
		if (type == BT_SHB) {
			if (len < 28)
				return bad(err, errlen, at, -EINVAL, "section header of %" PRIu32 " bytes is too short", len);
			if (get16(r, b + 12) != 1)
				return bad(err, errlen, at, -EINVAL, "pcapng version %u.%u is not 1.x", get16(r, b + 12),
					   get16(r, b + 14));
			rec->kind = EVGW_PCAPNG_SECTION;
			if ((e = read_shb_opts(r, rec, len, err, errlen)) < 0)
				return e;
			return 1;
		}
		if (type == BT_IDB) {
			if ((e = read_idb(r, at, len, err, errlen)) < 0)
				return e;
			continue;
		}
		rec->kind = EVGW_PCAPNG_FRAME;
		e = read_epb(r, rec, len, err, errlen);
		if (e != 0)
			return e;
	}
}
