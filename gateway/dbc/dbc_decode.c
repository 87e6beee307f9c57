// SPDX-License-Identifier: MIT
#include "dbc/dbc_decode.h"

#include <endian.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "dbc/dbc_index.h"

const struct dbc_message *dbc_lookup(const struct dbc_db *db, const struct evgw_frame *f, int *sa)
{
	if (sa)
		*sa = -1;
	if (f->flags & (EVGW_FRAME_RTR | EVGW_FRAME_ERR))
		return NULL;
	bool ext = f->flags & EVGW_FRAME_EXT;
	const struct dbc_message *m = dbc_index_find(db, f->id | (ext ? DBC_EXT_FLAG : 0));
	if (!m && ext && db->has_j1939)
		m = dbc_index_find_pgn(db, dbc_j1939_pgn(f->id));
	if (m && sa && (m->flags & DBC_MSG_J1939))
		*sa = (int)(f->id & 0xFFu);
	return m;
}

static inline uint64_t load_le(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	return le64toh(w);
}

static inline uint64_t load_be(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	return be64toh(w);
}

static inline uint64_t len_mask(unsigned len)
{
	return ~0ull >> (64u - len);
}

/* Bit by bit, for the rare signal that spans nine bytes. */
static uint64_t extract_slow(const struct dbc_signal *s, const uint8_t *data)
{
	uint64_t v = 0;
	if (s->flags & DBC_SIG_LITTLE_ENDIAN) {
		for (unsigned i = s->length; i-- > 0;) {
			unsigned b = s->start_bit + i;
			v = (v << 1) | ((data[b / 8u] >> (b % 8u)) & 1u);
		}
	} else {
		unsigned lin = 8u * (s->start_bit / 8u) + 7u - s->start_bit % 8u;
		for (unsigned i = 0; i < s->length; i++, lin++)
			v = (v << 1) | ((data[lin / 8u] >> (7u - lin % 8u)) & 1u);
	}
	return v;
}

/* Inline in dbc_decode's loop: a call per signal cost as much as the work. */
static inline __attribute__((always_inline)) uint64_t extract_raw(const struct dbc_signal *s,
								   const uint8_t data[EVGW_CANFD_MAX_DLEN])
{
	uint64_t v;
	if (__builtin_expect(s->flags & DBC_SIG_SLOW, 0))
		v = s->need_len <= EVGW_CANFD_MAX_DLEN ? extract_slow(s, data) : 0;
	else if (s->flags & DBC_SIG_LITTLE_ENDIAN)
		v = (load_le(data + s->win) >> s->shift) & len_mask(s->length);
	else
		v = (load_be(data + s->win) >> s->shift) & len_mask(s->length);
	/* Sign extension is for integers: IEEE values keep their bits. */
	if ((s->flags & (DBC_SIG_SIGNED | DBC_SIG_FLOAT32 | DBC_SIG_FLOAT64)) == DBC_SIG_SIGNED &&
	    s->length < 64) {
		uint64_t sign = 1ull << (s->length - 1u);
		v = (v ^ sign) - sign;
	}
	return v;
}

uint64_t dbc_extract_raw(const struct dbc_signal *s, const uint8_t data[EVGW_CANFD_MAX_DLEN])
{
	return extract_raw(s, data);
}

static inline __attribute__((always_inline)) double raw_to_phys(const struct dbc_signal *s, uint64_t raw)
{
	double x;
	if (s->flags & DBC_SIG_FLOAT32) {
		uint32_t b = (uint32_t)raw;
		float fv;
		memcpy(&fv, &b, sizeof fv);
		x = fv;
	} else if (s->flags & DBC_SIG_FLOAT64) {
		memcpy(&x, &raw, sizeof x);
	} else if (s->flags & DBC_SIG_SIGNED) {
		x = (double)(int64_t)raw;
	} else {
		x = (double)raw;
	}
	return x * s->factor + s->offset;
}

double dbc_raw_to_phys(const struct dbc_signal *s, uint64_t raw)
{
	return raw_to_phys(s, raw);
}

static bool in_ranges(const struct dbc_signal_extra *x, uint64_t v)
{
	for (uint32_t i = 0; i < x->n_mux_ranges; i++)
		if (v >= x->mux_ranges[i].lo && v <= x->mux_ranges[i].hi)
			return true;
	return false;
}

uint32_t dbc_decode(const struct dbc_message *m, const struct evgw_frame *f, struct dbc_value *out)
{
	if (!m->n_signals)
		return 0;
	const struct dbc_signal *s = m->signals, *end = s + m->n_signals;
	const uint8_t *data = f->data;
	uint8_t len = f->len;
	struct dbc_value *o = out;
	if (!m->has_mux) {
		for (; s < end; s++) {
			if (s->need_len > len)
				continue;
			uint64_t raw = extract_raw(s, data);
			o->sig = s;
			o->raw = raw;
			o->phys = raw_to_phys(s, raw);
			o++;
		}
		return (uint32_t)(o - out);
	}
	uint64_t sw_val[DBC_MAX_MUX_SWITCHES];
	uint32_t sw_present = 0;
	for (; s < end; s++) {
		if (s->need_len > len)
			continue;
		if (s->flags & DBC_SIG_MUXED) {
			if (s->sw_of == DBC_NO_SLOT || !(sw_present & (1u << s->sw_of)))
				continue;
			uint64_t v = sw_val[s->sw_of];
			if (s->flags & DBC_SIG_MUX_RANGES ? !in_ranges(s->extra, v) : v != s->mux_value)
				continue;
		}
		uint64_t raw = extract_raw(s, data);
		if (s->sw_slot != DBC_NO_SLOT) {
			sw_val[s->sw_slot] = raw;
			sw_present |= 1u << s->sw_slot;
		}
		o->sig = s;
		o->raw = raw;
		o->phys = raw_to_phys(s, raw);
		o++;
	}
	return (uint32_t)(o - out);
}

const struct dbc_text *dbc_signal_label(const struct dbc_signal *s, uint64_t raw)
{
	const struct dbc_signal_extra *x = s->extra;
	if (!x || !x->n_values)
		return NULL;
	int64_t key;
	if (s->flags & (DBC_SIG_FLOAT32 | DBC_SIG_FLOAT64)) {
		double v = dbc_raw_to_phys(s, raw);
		v = (v - s->offset) / (s->factor ? s->factor : 1);
		if (!(v >= -9.2e18 && v <= 9.2e18) || v != floor(v))
			return NULL;
		key = (int64_t)v;
	} else {
		key = (int64_t)raw;
	}
	uint32_t lo = 0, hi = x->n_values;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (x->values[mid].value < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->n_values && x->values[lo].value == key)
		return &x->values[lo].text;
	return NULL;
}

int dbc_phys_to_raw(const struct dbc_signal *s, double phys, uint64_t *raw)
{
	double factor = s->factor != 0 ? s->factor : 1;
	if (s->flags & DBC_SIG_FLOAT32) {
		float fv = (float)((phys - s->offset) / factor);
		uint32_t b;
		memcpy(&b, &fv, sizeof b);
		*raw = b;
		return 0;
	}
	if (s->flags & DBC_SIG_FLOAT64) {
		double dv = (phys - s->offset) / factor;
		memcpy(raw, &dv, sizeof *raw);
		return 0;
	}
	double v = nearbyint((phys - s->offset) / factor);
	int rc = 0;
	if (s->flags & DBC_SIG_SIGNED) {
		double lo = -ldexp(1.0, s->length - 1), hi = ldexp(1.0, s->length - 1) - 1;
		if (!(v >= lo)) {
			v = lo;
			rc = -ERANGE;
		} else if (v > hi) {
			v = hi;
			rc = -ERANGE;
		}
		int64_t iv = v >= 9.2233720368547758e18 ? INT64_MAX : (int64_t)v;
		*raw = (uint64_t)iv & len_mask(s->length);
	} else {
		double hi = ldexp(1.0, s->length) - 1;
		if (!(v >= 0)) {
			v = 0;
			rc = -ERANGE;
		} else if (v > hi) {
			v = hi;
			rc = -ERANGE;
		}
		*raw = v >= 1.8446744073709552e19 ? UINT64_MAX : (uint64_t)v;
		*raw &= len_mask(s->length);
	}
	return rc;
}

void dbc_insert_raw(const struct dbc_signal *s, uint8_t data[EVGW_CANFD_MAX_DLEN], uint64_t raw)
{
	raw &= len_mask(s->length);
	if (s->flags & DBC_SIG_LITTLE_ENDIAN) {
		for (unsigned i = 0; i < s->length; i++) {
			unsigned b = s->start_bit + i;
			if (b / 8u >= EVGW_CANFD_MAX_DLEN)
				return;
			uint8_t bit = (uint8_t)(1u << (b % 8u));
			data[b / 8u] = (uint8_t)((raw >> i) & 1u ? data[b / 8u] | bit : data[b / 8u] & ~bit);
		}
	} else {
		unsigned lin = 8u * (s->start_bit / 8u) + 7u - s->start_bit % 8u;
		for (unsigned i = 0; i < s->length; i++, lin++) {
			if (lin / 8u >= EVGW_CANFD_MAX_DLEN)
				return;
			uint8_t bit = (uint8_t)(1u << (7u - lin % 8u));
			unsigned src = s->length - 1u - i;
			data[lin / 8u] =
				(uint8_t)((raw >> src) & 1u ? data[lin / 8u] | bit : data[lin / 8u] & ~bit);
		}
	}
}
