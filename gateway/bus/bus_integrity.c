// SPDX-License-Identifier: MIT
#include "bus/bus_integrity.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus.h"
#include "dbc/dbc_decode.h"
#include "discover/disc_crc8.h"
#include "faults/fault.h"

_Static_assert(EVGW_BUS_MAX_DBC == sizeof((struct evgw_bus_integrity *)0)->by_msg /
					    sizeof((struct evgw_bus_integrity *)0)->by_msg[0],
	       "one plan table per DBC file of a bus");

static const struct {
	const char *name;
	enum evgw_integ_algo algo;
} algos[] = {
	{"sum8_inv", EVGW_INTEG_SUM8_INV},
	{"sum8", EVGW_INTEG_SUM8},
	{"xor8", EVGW_INTEG_XOR8},
	{"crc8", EVGW_INTEG_CRC8},
};

static int parse_byte(const char *p, size_t n, uint8_t *out)
{
	unsigned v = 0, base = 10;
	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		n -= 2;
	}
	if (!n || n > 3)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
		if (d >= base)
			return -EINVAL;
		v = v * base + d;
	}
	if (v > 255)
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

static bool key_is(const char *p, size_t n, const char *key)
{
	return strlen(key) == n && !memcmp(p, key, n);
}

int evgw_integrity_parse_algo(const char *text, size_t len, uint8_t *algo, struct evgw_integ_params *prm)
{
	memset(prm, 0, sizeof *prm);
	prm->last = 0xFF;
	*algo = EVGW_INTEG_NONE;
	size_t name_len = 0;
	while (name_len < len && text[name_len] != ':')
		name_len++;
	for (size_t a = 0; a < sizeof algos / sizeof algos[0]; a++)
		if (key_is(text, name_len, algos[a].name))
			*algo = (uint8_t)algos[a].algo;
	bool has_poly = false;
	if (*algo == EVGW_INTEG_NONE || (name_len == len && *algo == EVGW_INTEG_CRC8) || name_len + 1 == len)
		goto fail; /* crc8 needs its polynomial; "sum8:" says nothing */
	for (size_t i = name_len + 1; i < len;) {
		size_t end = i;
		while (end < len && text[end] != ',')
			end++;
		const char *kv = text + i, *eq = memchr(kv, '=', end - i);
		size_t klen = eq ? (size_t)(eq - kv) : end - i, vlen = eq ? end - i - klen - 1 : 0;
		const char *v = eq ? eq + 1 : NULL;
		int e = -EINVAL;
		if (!eq && key_is(kv, klen, "reflected") && *algo == EVGW_INTEG_CRC8) {
			prm->reflected = true;
			e = 0;
		} else if (eq && key_is(kv, klen, "add") && (*algo == EVGW_INTEG_SUM8 || *algo == EVGW_INTEG_SUM8_INV)) {
			e = parse_byte(v, vlen, &prm->add);
		} else if (eq && key_is(kv, klen, "xorout") && (*algo == EVGW_INTEG_XOR8 || *algo == EVGW_INTEG_CRC8)) {
			e = parse_byte(v, vlen, &prm->xorout);
		} else if (eq && key_is(kv, klen, "init") && *algo == EVGW_INTEG_CRC8) {
			e = parse_byte(v, vlen, &prm->init);
		} else if (eq && key_is(kv, klen, "poly") && *algo == EVGW_INTEG_CRC8) {
			e = parse_byte(v, vlen, &prm->poly);
			has_poly = true;
		} else if (eq && key_is(kv, klen, "bytes")) {
			const char *dash = memchr(v, '-', vlen);
			e = dash ? parse_byte(v, (size_t)(dash - v), &prm->first) : -EINVAL;
			if (!e)
				e = parse_byte(dash + 1, vlen - (size_t)(dash - v) - 1, &prm->last);
			if (!e && (prm->first > prm->last || prm->last > 63))
				e = -EINVAL;
		}
		if (e < 0)
			goto fail;
		i = end + 1;
	}
	if (*algo == EVGW_INTEG_CRC8 && !has_poly)
		goto fail;
	return 0;
fail:
	*algo = EVGW_INTEG_NONE;
	return -EINVAL;
}

uint8_t evgw_integrity_plan_checksum(const struct evgw_integrity_plan *p, const uint8_t *data, size_t len)
{
	const struct evgw_integ_params *q = &p->prm;
	uint8_t buf[64];
	size_t n = 0;
	for (size_t i = q->first; i < len && i <= q->last && n < sizeof buf; i++)
		if (i != p->cs_byte)
			buf[n++] = data[i];
	uint8_t acc = 0;
	switch (p->algo) {
	case EVGW_INTEG_CRC8:
		return disc_crc8(q->poly, q->reflected, q->init, q->xorout, buf, n);
	case EVGW_INTEG_XOR8:
		for (size_t i = 0; i < n; i++)
			acc ^= buf[i];
		return (uint8_t)(acc ^ q->xorout);
	default:
		acc = q->add;
		for (size_t i = 0; i < n; i++)
			acc = (uint8_t)(acc + buf[i]);
		return p->algo == EVGW_INTEG_SUM8_INV ? (uint8_t)~acc : acc;
	}
}

__attribute__((format(printf, 3, 4))) static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

uint8_t evgw_integrity_checksum(enum evgw_integ_algo algo, const uint8_t *data, size_t len, unsigned cs_byte)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < len; i++) {
		if (i == cs_byte)
			continue;
		acc = algo == EVGW_INTEG_XOR8 ? (uint8_t)(acc ^ data[i]) : (uint8_t)(acc + data[i]);
	}
	return algo == EVGW_INTEG_SUM8_INV ? (uint8_t)~acc : acc;
}

/* A signal's attribute text, only when set on the signal itself. */
static struct evgw_str own_text(const struct dbc_db *db, const struct dbc_attr_def *def, const struct dbc_signal *s)
{
	const struct dbc_attr_value *v = def ? dbc_attr_value_of(db, def, DBC_OBJ_SIGNAL, s) : NULL;
	if (!v || v == &def->def)
		return evgw_str_make("", 0);
	return dbc_attr_text_of(db, def, DBC_OBJ_SIGNAL, s);
}

static int parse_uint(struct evgw_str t, uint32_t from, uint32_t to, uint64_t *out)
{
	uint64_t n = 0;
	if (to <= from || to - from > 10)
		return -EINVAL;
	for (uint32_t i = from; i < to; i++) {
		if (t.ptr[i] < '0' || t.ptr[i] > '9')
			return -EINVAL;
		n = n * 10 + (uint64_t)(t.ptr[i] - '0');
	}
	*out = n;
	return 0;
}

/* inc, inc:N, inc,step=S or inc:N,step=S: +S (1 unless given) per frame,
 * wrapping at N (2^length unless given). A counter that steps by S counts
 * S, 2S, ... mod N (a down counter steps by N - 1). */
static int parse_counter(struct evgw_str t, const struct dbc_signal *s, uint32_t *mod, uint32_t *step)
{
	uint64_t full = s->length >= 32 ? (1ull << 32) : (1ull << s->length);
	uint64_t n = full > UINT32_MAX ? UINT32_MAX : full, st = 1;
	if (t.len < 3 || memcmp(t.ptr, "inc", 3))
		return -EINVAL;
	uint32_t i = 3, comma = (uint32_t)t.len;
	for (uint32_t k = 3; k < t.len; k++)
		if (t.ptr[k] == ',') {
			comma = k;
			break;
		}
	if (i < comma) {
		if (t.ptr[i] != ':' || parse_uint(t, i + 1, comma, &n) < 0 || n < 2 || n > full ||
		    n > UINT32_MAX)
			return -EINVAL;
	}
	if (comma < t.len) {
		if (t.len - comma < 7 || memcmp(t.ptr + comma, ",step=", 6) ||
		    parse_uint(t, comma + 6, (uint32_t)t.len, &st) < 0 || st < 1 || st >= n)
			return -EINVAL;
	}
	*mod = (uint32_t)n;
	*step = (uint32_t)st;
	return 0;
}

static void fault_init(struct evgw_sig_fault *sf, const char *text)
{
	memset(sf, 0, sizeof *sf);
	sf->severity = EVGW_SEV_WARNING;
	sf->by_attribute = true;
	sf->text = text;
}

int evgw_integrity_plan_build(const struct dbc_db *db, unsigned db_index, const struct dbc_message *m,
			      struct evgw_integrity_plan *p, char *err, size_t errlen)
{
	const struct dbc_attr_def *cdef = dbc_attr_def_find(db, "EvgwChecksum");
	const struct dbc_attr_def *kdef = dbc_attr_def_find(db, "EvgwCounter");
	memset(p, 0, sizeof *p);
	if (!cdef && !kdef)
		return 0;
	struct evgw_str mn = dbc_str(db, m->name);
	for (uint32_t i = 0; i < m->n_signals; i++) {
		const struct dbc_signal *s = &m->signals[i];
		struct evgw_str sn = dbc_str(db, s->name);
		struct evgw_str c = own_text(db, cdef, s), k = own_text(db, kdef, s);
		if (c.len) {
			if (p->cs_sig)
				return bad(err, errlen, "%.*s: more than one EvgwChecksum signal", (int)mn.len, mn.ptr);
			if (evgw_integrity_parse_algo(c.ptr, c.len, &p->algo, &p->prm) < 0)
				return bad(err, errlen, "%.*s.%.*s: unknown EvgwChecksum algorithm \"%.*s\" (known: sum8_inv, "
					   "sum8, xor8, and with parameters as dbc/README.md says, e.g. "
					   "crc8:poly=0x1D,init=0xFF,xorout=0xFF)",
					   (int)mn.len, mn.ptr, (int)sn.len, sn.ptr, (int)(c.len > 64 ? 64 : c.len), c.ptr);
			if (s->length != 8 || s->start_bit % 8 || (s->flags & (DBC_SIG_MUXED | DBC_SIG_SIGNED)) ||
			    s->start_bit / 8 >= m->length)
				return bad(err, errlen, "%.*s.%.*s: an EvgwChecksum signal must be one whole, unsigned, "
					   "unmultiplexed byte", (int)mn.len, mn.ptr, (int)sn.len, sn.ptr);
			p->cs_sig = s;
			p->cs_byte = (uint8_t)(s->start_bit / 8);
		}
		if (k.len) {
			if (p->ctr_sig)
				return bad(err, errlen, "%.*s: more than one EvgwCounter signal", (int)mn.len, mn.ptr);
			if ((s->flags & DBC_SIG_MUXED) || parse_counter(k, s, &p->ctr_mod, &p->ctr_step) < 0)
				return bad(err, errlen, "%.*s.%.*s: EvgwCounter must be \"inc\", \"inc:N\" (2 <= N <= "
					   "2^length), with \",step=S\" (1 <= S < N) or without, on an unmultiplexed signal", (int)mn.len, mn.ptr, (int)sn.len, sn.ptr);
			p->ctr_sig = s;
		}
	}
	if (!p->cs_sig && !p->ctr_sig)
		return 0;
	p->msg = m;
	p->db = (uint8_t)db_index;
	p->gap_us = m->cycle_time_ms ? 3 * (int64_t)m->cycle_time_ms * 1000 : EVGW_INTEG_GAP_US;
	if (p->cs_sig)
		snprintf(p->cs_text, sizeof p->cs_text,
			 "checksum (%s) wrong in %d of the last 8 frames: a failing ECU, wiring or an adapter",
			 algos[p->algo - 1].name, EVGW_INTEG_RAISE);
	snprintf(p->ctr_text, sizeof p->ctr_text, "message counter stalled or jumped in %d of the last 8 frames",
		 EVGW_INTEG_RAISE);
	fault_init(&p->cs_fault, p->cs_text);
	fault_init(&p->ctr_fault, p->ctr_text);
	return 1;
}

void evgw_integrity_seal(const struct evgw_integrity_plan *p, uint8_t *data, size_t len, uint32_t counter)
{
	if (p->ctr_sig)
		dbc_insert_raw(p->ctr_sig, data, (uint32_t)((uint64_t)counter * p->ctr_step % p->ctr_mod));
	if (p->cs_sig && p->cs_byte < len)
		data[p->cs_byte] = evgw_integrity_plan_checksum(p, data, len);
}

int evgw_bus_integrity_setup(struct evgw_bus *bus)
{
	uint32_t n = 0;
	for (unsigned d = 0; d < bus->n_dbs; d++)
		for (uint32_t i = 0; i < bus->dbs[d]->n_messages; i++) {
			struct evgw_integrity_plan tmp;
			n += evgw_integrity_plan_build(bus->dbs[d], d, bus->dbs[d]->messages[i], &tmp, NULL, 0) == 1;
		}
	if (!n)
		return 0;
	struct evgw_bus_integrity *bi = calloc(1, sizeof *bi);
	if (!bi)
		return -ENOMEM;
	bus->integrity = bi;
	bi->plans = calloc(n, sizeof *bi->plans);
	if (!bi->plans)
		return -ENOMEM;
	for (unsigned d = 0; d < bus->n_dbs; d++) {
		const struct dbc_db *db = bus->dbs[d];
		for (uint32_t i = 0; i < db->n_messages; i++) {
			struct evgw_integrity_plan *p = &bi->plans[bi->n_plans];
			if (bi->n_plans == n || evgw_integrity_plan_build(db, d, db->messages[i], p, NULL, 0) != 1)
				continue;
			if (!bi->by_msg[d]) {
				bi->by_msg[d] = calloc(db->n_messages, sizeof *bi->by_msg[d]);
				if (!bi->by_msg[d])
					return -ENOMEM;
			}
			/* Both faults point at their signal's slot (for the freeze frame and the code). */
			const struct dbc_message *m = db->messages[i];
			if (p->cs_sig)
				p->cs_fault.slot = (uint32_t)(evgw_bus_slot(bus, d, m, p->cs_sig) - bus->slots);
			if (p->ctr_sig)
				p->ctr_fault.slot = (uint32_t)(evgw_bus_slot(bus, d, m, p->ctr_sig) - bus->slots);
			bi->by_msg[d][i] = p;
			bi->n_plans++;
		}
	}
	return 0;
}

void evgw_bus_integrity_free(struct evgw_bus *bus)
{
	struct evgw_bus_integrity *bi = bus->integrity;
	if (!bi)
		return;
	for (unsigned d = 0; d < EVGW_BUS_MAX_DBC; d++)
		free(bi->by_msg[d]);
	free(bi->plans);
	free(bi);
	bus->integrity = NULL;
}

static unsigned popcount8(uint8_t v)
{
	return (unsigned)__builtin_popcount(v);
}

/* One more result for a check; returns true when its fault changed. */
static bool step(uint8_t *hist, uint8_t *good, bool *fault, bool failed)
{
	*hist = (uint8_t)(*hist << 1 | failed);
	if (failed)
		*good = 0;
	else if (*good < 255)
		(*good)++;
	if (!*fault && popcount8(*hist) >= EVGW_INTEG_RAISE) {
		*fault = true;
		return true;
	}
	if (*fault && *good >= EVGW_INTEG_CLEAR) {
		*fault = false;
		*hist = 0;
		return true;
	}
	return false;
}

static void report(struct evgw_bus *bus, const struct evgw_frame *f, struct evgw_integrity_plan *p,
		   struct evgw_sig_fault *sf, const struct dbc_signal *sig, bool active)
{
	sf->active = active;
	if (bus->on_fault)
		bus->on_fault(bus->on_fault_ud, bus, f, p->msg, p->db, sig, sf);
}

void evgw_bus_integrity_check(struct evgw_bus *bus, struct evgw_id_stats *e, const struct evgw_frame *f,
			      int64_t now_mono_us)
{
	struct evgw_bus_integrity *bi = bus->integrity;
	if (!bi || !bi->by_msg[e->db])
		return;
	struct evgw_integrity_plan *p = bi->by_msg[e->db][e->msg->index];
	if (!p || f->len < p->msg->length)
		return; /* a short frame is a length problem, not a checksum one */
	struct evgw_integrity_state *st = &e->integ;
	if (p->cs_sig) {
		bool failed = evgw_integrity_plan_checksum(p, f->data, f->len) !=
			      f->data[p->cs_byte];
		st->checksum_errors += failed;
		if (step(&st->cs_hist, &st->cs_good, &st->cs_fault, failed))
			report(bus, f, p, &p->cs_fault, p->cs_sig, st->cs_fault);
	}
	if (p->ctr_sig) {
		uint32_t v = (uint32_t)dbc_extract_raw(p->ctr_sig, f->data);
		bool fresh = !st->last_us || now_mono_us - st->last_us > p->gap_us;
		if (!fresh) {
			bool failed = v != (uint32_t)(((uint64_t)st->last_counter + p->ctr_step) % p->ctr_mod);
			st->counter_errors += failed;
			if (step(&st->ctr_hist, &st->ctr_good, &st->ctr_fault, failed))
				report(bus, f, p, &p->ctr_fault, p->ctr_sig, st->ctr_fault);
		}
		st->last_counter = v;
	}
	st->last_us = now_mono_us;
}
