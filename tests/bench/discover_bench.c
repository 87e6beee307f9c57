// SPDX-License-Identifier: MIT
/* evgw-discover-bench: how much of a real DBC file `evgw discover` finds
 * again from traffic alone.
 *
 *   evgw-discover-bench --evgw PATH [--seconds S] [--max-messages N] [--seed N]
 *                       [--counter-steps] [--keep DIR] [--verbose] DBC...
 *
 * For each DBC file: its unmultiplexed messages (at most N) are sent for
 * S seconds at their GenMsgCycleTime (else 10-500 ms), each signal moving
 * as on a vehicle, in raw units within the DBC's [min|max] (else its whole
 * bit range):
 *   smooth   two sines (5-60 s and a faster ripple) over 90-100 % of the range
 *   step     a random level held 0.5-5 s
 *   enum     a value-table entry (else one of 8 values) held 1-8 s
 *   flag     a 1-bit signal toggled every 0.3-8 s
 *   constant 1 in 10 of the others, one value throughout (not scored)
 *   counter  a signal named like a counter (COUNTER, CNT, ALIVE, ROLLING,
 *            CTR): +1 per frame, wrapping at 2^length (a 4-bit one at 15 in
 *            1 of 4 messages, as AUTOSAR's); with --counter-steps, 1 in 3
 *            of those of 3 bits or more step by 3 or count down (-1)
 *   checksum an 8-bit, byte-aligned signal named like a checksum (CHECKSUM,
 *            CHKSUM, CRC, CHK, CS): computed here, per message one of sum8,
 *            sum8_inv, xor8, sum8 plus the id's bytes, xor8 ^ 0xFF, CRC-8
 *            SAE-J1850, CRC-8 AUTOSAR (0x2F), CRC-8 SMBUS (0x07), each over
 *            every other byte. A checksum signal of another width is held 0.
 * The log is written as candump -L lines, `evgw discover LOG --out DRAFT`
 * runs on it without any DBC, and the draft is loaded and scored:
 *   value_exact   share of the moving smooth/step/enum/flag signals for which
 *                 a draft signal has the same bits in the same order of
 *                 significance (start bit, length, byte order; inside one
 *                 byte, where both orders are the same bits, either order)
 *   as_written    the same with the start bit and byte order exactly as the
 *                 DBC file writes them (inside one byte too)
 *   signed_right  of those, the share whose signedness is right too
 *   counters, checksums   found at the same bits / byte, of all
 *   overlap_two   share of draft signals whose bits lie in two or more true
 *                 signals
 * Prints key=value lines per file (with --verbose, every miss) and in all. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"

#define MAX_SIGS 512
#define MAX_MSGS 256

enum kind { K_CONST, K_SMOOTH, K_STEP, K_ENUM, K_FLAG, K_COUNTER, K_CHECKSUM };
static const char *const kind_names[] = {"constant", "smooth", "step", "enum", "flag", "counter", "checksum"};

enum cs_algo { CS_SUM, CS_SUM_INV, CS_XOR, CS_SUM_ID, CS_XOR_FF, CS_J1850, CS_AUTOSAR, CS_SMBUS, CS_N };

struct gsig {
	const struct dbc_signal *s;
	enum kind kind;
	double lo, hi;              /* raw range (signed values for signed signals) */
	double period, phase, ripple_period, ripple_phase, amp_share;
	double level, next_change;
	uint64_t counter, modulo, step;
	int bits[64];               /* DBC bit numbers, least significant first */
};

struct gmsg {
	const struct dbc_message *m;
	struct gsig sigs[MAX_SIGS];
	unsigned n_sigs;
	double period_s, next_t;
	enum cs_algo cs;
	uint8_t data[64];
};

struct totals {
	unsigned values, exact, strict, signed_ok, counters, counters_found, checksums, checksums_found, draft, overlap;
};

struct bench {
	const char *evgw, *keep;
	double seconds;
	unsigned max_messages;
	uint64_t rng;
	bool verbose, counter_steps;
};

static double urand(struct bench *b)
{
	b->rng ^= b->rng << 13;
	b->rng ^= b->rng >> 7;
	b->rng ^= b->rng << 17;
	return (double)(b->rng >> 11) / 9007199254740992.0;
}

static double uniform(struct bench *b, double lo, double hi)
{
	return lo + (hi - lo) * urand(b);
}

/* The signal's bits, least significant first: Intel counts up from the
 * start bit; Motorola starts at the MSB and walks the DBC's sawtooth (down
 * within a byte, then to bit 7 of the next byte). */
static void signal_bits(const struct dbc_signal *s, int *bits)
{
	if (s->flags & DBC_SIG_LITTLE_ENDIAN) {
		for (unsigned i = 0; i < s->length; i++)
			bits[i] = s->start_bit + (int)i;
		return;
	}
	int b = s->start_bit;
	for (unsigned i = 0; i < s->length; i++) {
		bits[s->length - 1 - i] = b;
		b = (b % 8 == 0) ? b + 15 : b - 1;
	}
}

/* Whether one of the words is in the name (upper-cased), a word of two
 * letters only between underscores or at the ends ("CF_Mdps_Chksum",
 * "CHECKSUM", "ESP_07_CRC"; not "CSRNID"). */
static bool name_has(struct evgw_str n, const char *const *words)
{
	char up[130];
	size_t len = n.len < sizeof up - 3 ? n.len : sizeof up - 3;
	up[0] = '_';
	for (size_t i = 0; i < len; i++)
		up[i + 1] = (char)(n.ptr[i] >= 'a' && n.ptr[i] <= 'z' ? n.ptr[i] - 32 : n.ptr[i]);
	up[len + 1] = '_';
	up[len + 2] = 0;
	for (; *words; words++) {
		const char *hit = strstr(up, *words);
		if (!hit)
			continue;
		size_t wl = strlen(*words);
		if (wl > 2 || (hit[-1] == '_' && hit[wl] == '_'))
			return true;
	}
	return false;
}

static bool usable_message(const struct dbc_message *m)
{
	if (m->has_mux || !m->length || m->length > 64 || (m->flags & DBC_MSG_PSEUDO) || !m->n_signals ||
	    m->n_signals > MAX_SIGS)
		return false;
	uint8_t used[64 * 8 / 8] = {0};
	for (uint32_t i = 0; i < m->n_signals; i++) {
		const struct dbc_signal *s = &m->signals[i];
		if (s->flags & (DBC_SIG_FLOAT32 | DBC_SIG_FLOAT64 | DBC_SIG_MUXED | DBC_SIG_MUX_SWITCH))
			return false;
		int bits[64];
		signal_bits(s, bits);
		for (unsigned k = 0; k < s->length; k++) {
			if (bits[k] < 0 || bits[k] >= m->length * 8)
				return false;
			if (used[bits[k] / 8] >> (bits[k] % 8) & 1)
				return false; /* overlapping signals: a broken definition */
			used[bits[k] / 8] |= (uint8_t)(1u << (bits[k] % 8));
		}
	}
	return true;
}

static void raw_range(const struct dbc_signal *s, double *lo, double *hi)
{
	bool sg = s->flags & DBC_SIG_SIGNED;
	double full_lo = sg ? -ldexp(1, s->length - 1) : 0, full_hi = sg ? ldexp(1, s->length - 1) - 1 : ldexp(1, s->length) - 1;
	*lo = full_lo;
	*hi = full_hi;
	if (s->min < s->max && s->factor != 0) {
		double a = (s->min - s->offset) / s->factor, b = (s->max - s->offset) / s->factor;
		double l = floor(fmin(a, b) + 0.5), h = floor(fmax(a, b) + 0.5);
		l = fmax(l, full_lo);
		h = fmin(h, full_hi);
		if (h - l >= 3) {
			*lo = l;
			*hi = h;
		}
	}
}

static void choose_kind(struct bench *b, const struct dbc_db *db, struct gsig *g, bool *have_cs, bool *have_ctr)
{
	static const char *const ctr_words[] = {"COUNTER", "_CNT", "ALIVE", "ROLLING", "_CTR", NULL};
	static const char *const cs_words[] = {"_CHECKSUM", "CHKSUM", "_CRC", "CHK", "CS", NULL};
	const struct dbc_signal *s = g->s;
	struct evgw_str name = dbc_str(db, s->name);
	signal_bits(s, g->bits);
	raw_range(s, &g->lo, &g->hi);
	bool whole_byte = s->length == 8 && g->bits[0] % 8 == 0 && g->bits[7] == g->bits[0] + 7;
	if (name_has(name, cs_words) && !*have_cs) {
		if (whole_byte && !(s->flags & DBC_SIG_SIGNED)) {
			g->kind = K_CHECKSUM;
			*have_cs = true;
		} else {
			g->kind = K_CONST;
			g->level = 0;
		}
		return;
	}
	if (name_has(name, ctr_words) && !*have_ctr && s->length >= 2 && s->length <= 16 && !(s->flags & DBC_SIG_SIGNED)) {
		g->kind = K_COUNTER;
		*have_ctr = true;
		g->modulo = 1ull << s->length;
		if (s->length == 4 && urand(b) < 0.25)
			g->modulo = 15;
		g->counter = (uint64_t)(urand(b) * (double)g->modulo);
		g->step = 1;
		/* Drawn only with --counter-steps: the default run's traffic
		 * stays as it was. */
		if (b->counter_steps && s->length >= 3 && urand(b) < 1.0 / 3)
			g->step = urand(b) < 0.5 ? 3 : g->modulo - 1;
		return;
	}
	if (s->length == 1) {
		g->kind = K_FLAG;
	} else if (s->extra && s->extra->n_values >= 2) {
		g->kind = K_ENUM;
	} else {
		double r = urand(b);
		g->kind = r < 0.1 ? K_CONST : r < 0.75 ? K_SMOOTH : K_STEP;
	}
	g->period = uniform(b, 5, 60);
	g->phase = uniform(b, 0, 2 * M_PI);
	g->ripple_period = uniform(b, 0.5, 3);
	g->ripple_phase = uniform(b, 0, 2 * M_PI);
	g->amp_share = uniform(b, 0.9, 1.0);
	g->level = floor(uniform(b, g->lo, g->hi + 1));
	if (g->level > g->hi)
		g->level = g->hi;
}

static double signal_value(struct bench *b, struct gsig *g, double t)
{
	switch (g->kind) {
	case K_SMOOTH: {
		double mid = (g->lo + g->hi) / 2, amp = (g->hi - g->lo) / 2 * g->amp_share;
		double v = mid + amp * 0.93 * sin(2 * M_PI * t / g->period + g->phase) +
			   amp * 0.07 * sin(2 * M_PI * t / g->ripple_period + g->ripple_phase);
		return fmin(fmax(floor(v + 0.5), g->lo), g->hi);
	}
	case K_STEP:
	case K_ENUM:
	case K_FLAG:
		if (t >= g->next_change) {
			const struct dbc_signal *s = g->s;
			if (g->kind == K_FLAG) {
				g->level = g->level ? 0 : 1;
				g->next_change = t + uniform(b, 0.3, 8);
			} else if (g->kind == K_ENUM) {
				uint32_t n = s->extra->n_values;
				g->level = (double)s->extra->values[(uint32_t)(urand(b) * n) % n].value;
				g->next_change = t + uniform(b, 1, 8);
			} else {
				g->level = fmin(floor(uniform(b, g->lo, g->hi + 1)), g->hi);
				g->next_change = t + uniform(b, 0.5, 5);
			}
		}
		return g->level;
	case K_COUNTER: {
		double v = (double)g->counter;
		g->counter = (g->counter + g->step) % g->modulo;
		return v;
	}
	default:
		return g->level;
	}
}

/* CRC-8, MSB first, from the polynomial's definition (written apart from
 * evgw's so that the bench checks it). */
static uint8_t ref_crc8(uint8_t poly, uint8_t init, uint8_t xorout, const uint8_t *p, size_t n)
{
	unsigned reg = init;
	for (size_t i = 0; i < n; i++)
		for (int bit = 7; bit >= 0; bit--) {
			unsigned in = (p[i] >> bit) & 1u, top = (reg >> 7) & 1u;
			reg = (reg << 1) & 0xFFu;
			if (in ^ top)
				reg ^= poly;
		}
	return (uint8_t)(reg ^ xorout);
}

static uint8_t checksum(enum cs_algo a, const struct dbc_message *m, const uint8_t *d, unsigned len, unsigned c)
{
	uint8_t buf[64];
	unsigned n = 0, sum = 0, x = 0;
	for (unsigned i = 0; i < len; i++)
		if (i != c) {
			buf[n++] = d[i];
			sum += d[i];
			x ^= d[i];
		}
	switch (a) {
	case CS_SUM: return (uint8_t)sum;
	case CS_SUM_INV: return (uint8_t)~sum;
	case CS_XOR: return (uint8_t)x;
	case CS_SUM_ID: return (uint8_t)(sum + (m->id & 0xFF) + ((m->id >> 8) & 0xFF) + ((m->id >> 16) & 0xFF) + (m->id >> 24));
	case CS_XOR_FF: return (uint8_t)(x ^ 0xFF);
	case CS_J1850: return ref_crc8(0x1D, 0xFF, 0xFF, buf, n);
	case CS_AUTOSAR: return ref_crc8(0x2F, 0xFF, 0xFF, buf, n);
	default: return ref_crc8(0x07, 0, 0, buf, n);
	}
}

static void put_raw(const struct dbc_signal *s, uint8_t *data, double v)
{
	int64_t iv = (int64_t)v;
	uint64_t raw = (uint64_t)iv;
	if (s->length < 64)
		raw &= (1ull << s->length) - 1;
	dbc_insert_raw(s, data, raw);
}

static void make_frame(struct bench *b, struct gmsg *gm, double t)
{
	const struct dbc_message *m = gm->m;
	memset(gm->data, 0, sizeof gm->data);
	const struct gsig *cs = NULL;
	for (unsigned i = 0; i < gm->n_sigs; i++) {
		struct gsig *g = &gm->sigs[i];
		if (g->kind == K_CHECKSUM) {
			cs = g;
			continue;
		}
		put_raw(g->s, gm->data, signal_value(b, g, t));
	}
	if (cs)
		gm->data[cs->bits[0] / 8] = checksum(gm->cs, m, gm->data, m->length, (unsigned)cs->bits[0] / 8);
}

static int write_log(struct bench *b, struct gmsg *msgs, unsigned n, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	const double t0 = 1764000000.0;
	for (;;) {
		struct gmsg *next = NULL;
		for (unsigned i = 0; i < n; i++)
			if (!next || msgs[i].next_t < next->next_t)
				next = &msgs[i];
		if (!next || next->next_t > b->seconds)
			break;
		double t = next->next_t;
		make_frame(b, next, t);
		const struct dbc_message *m = next->m;
		bool ext = m->flags & DBC_MSG_EXTENDED;
		double ts = t0 + t;
		fprintf(f, "(%.6f) can0 %0*" PRIX32 "%s", ts, ext ? 8 : 3, m->id, (m->flags & DBC_MSG_FD) ? "##0" : "#");
		for (unsigned i = 0; i < m->length; i++)
			fprintf(f, "%02X", next->data[i]);
		fputc('\n', f);
		next->next_t += next->period_s * uniform(b, 0.98, 1.02);
	}
	return fclose(f) ? -errno : 0;
}

static const struct dbc_message *draft_msg(const struct dbc_db *d, const struct dbc_message *m)
{
	for (uint32_t i = 0; i < d->n_messages; i++)
		if (d->messages[i]->id == m->id && (d->messages[i]->flags & DBC_MSG_EXTENDED) == (m->flags & DBC_MSG_EXTENDED))
			return d->messages[i];
	return NULL;
}

static bool same_bits(const int *a, const int *b, unsigned n)
{
	return !memcmp(a, b, n * sizeof *a);
}

static void score(struct bench *b, const struct dbc_db *truth_db, struct gmsg *msgs, unsigned n, const struct dbc_db *d,
		  struct totals *t)
{
	for (unsigned i = 0; i < n; i++) {
		struct gmsg *gm = &msgs[i];
		const struct dbc_message *dm = draft_msg(d, gm->m);
		/* Which true signal owns each bit. */
		int owner[512];
		for (int k = 0; k < 512; k++)
			owner[k] = -1;
		for (unsigned k = 0; k < gm->n_sigs; k++)
			for (unsigned j = 0; j < gm->sigs[k].s->length; j++)
				owner[gm->sigs[k].bits[j]] = (int)k;
		for (unsigned k = 0; k < gm->n_sigs; k++) {
			struct gsig *g = &gm->sigs[k];
			if (g->kind == K_CONST)
				continue;
			bool found = false, sign_ok = false, strict = false;
			for (uint32_t j = 0; dm && j < dm->n_signals && !found; j++) {
				const struct dbc_signal *ds = &dm->signals[j];
				if (ds->length != g->s->length)
					continue;
				int bits[64];
				signal_bits(ds, bits);
				struct evgw_str dn = dbc_str(d, ds->name);
				bool is_cs = evgw_str_eq_cstr(dn, "CHECKSUM"), is_ctr = evgw_str_eq_cstr(dn, "COUNTER");
				if (!same_bits(bits, g->bits, g->s->length))
					continue;
				if (g->kind == K_CHECKSUM ? is_cs : g->kind == K_COUNTER ? is_ctr : !is_cs && !is_ctr) {
					found = true;
					sign_ok = !(ds->flags & DBC_SIG_SIGNED) == !(g->s->flags & DBC_SIG_SIGNED);
					strict = ds->start_bit == g->s->start_bit &&
						 (ds->flags & DBC_SIG_LITTLE_ENDIAN) == (g->s->flags & DBC_SIG_LITTLE_ENDIAN);
				}
			}
			if (found && !sign_ok && b->verbose) {
				struct evgw_str mn = dbc_str(truth_db, gm->m->name), sn = dbc_str(truth_db, g->s->name);
				fprintf(stderr, "  sign wrong %s %.*s.%.*s %u|%u@%c%c\n", kind_names[g->kind], (int)mn.len,
					mn.ptr, (int)sn.len, sn.ptr, g->s->start_bit, g->s->length,
					(g->s->flags & DBC_SIG_LITTLE_ENDIAN) ? '1' : '0', (g->s->flags & DBC_SIG_SIGNED) ? '-' : '+');
			}
			if (g->kind == K_CHECKSUM) {
				t->checksums++;
				t->checksums_found += found;
			} else if (g->kind == K_COUNTER) {
				t->counters++;
				t->counters_found += found;
			} else {
				t->values++;
				t->exact += found;
				t->strict += strict;
				t->signed_ok += found && sign_ok;
			}
			if (!found && b->verbose) {
				struct evgw_str mn = dbc_str(truth_db, gm->m->name), sn = dbc_str(truth_db, g->s->name);
				fprintf(stderr, "  missed %s %.*s.%.*s %u|%u@%c%c\n", kind_names[g->kind], (int)mn.len, mn.ptr,
					(int)sn.len, sn.ptr, g->s->start_bit, g->s->length,
					(g->s->flags & DBC_SIG_LITTLE_ENDIAN) ? '1' : '0', (g->s->flags & DBC_SIG_SIGNED) ? '-' : '+');
			}
		}
		for (uint32_t j = 0; dm && j < dm->n_signals; j++) {
			const struct dbc_signal *ds = &dm->signals[j];
			int bits[64], seen[2] = {-1, -1};
			signal_bits(ds, bits);
			bool two = false;
			for (unsigned k = 0; k < ds->length; k++) {
				int o = bits[k] >= 0 && bits[k] < 512 ? owner[bits[k]] : -1;
				if (o < 0 || o == seen[0])
					continue;
				if (seen[0] < 0)
					seen[0] = o;
				else
					two = true;
			}
			t->draft++;
			t->overlap += two;
			if (two && b->verbose) {
				struct evgw_str mn = dbc_str(d, dm->name), sn = dbc_str(d, ds->name);
				fprintf(stderr, "  overlap %.*s.%.*s %u|%u@%c\n", (int)mn.len, mn.ptr, (int)sn.len, sn.ptr,
					ds->start_bit, ds->length, (ds->flags & DBC_SIG_LITTLE_ENDIAN) ? '1' : '0');
			}
		}
	}
}

static void print_totals(const char *what, const struct totals *t)
{
	printf("%s values=%u value_exact=%.1f%% as_written=%.1f%% signed_right=%.1f%% counters=%u/%u checksums=%u/%u draft_signals=%u "
	       "overlap_two=%.1f%%\n",
	       what, t->values, t->values ? 100.0 * t->exact / t->values : 100.0,
	       t->values ? 100.0 * t->strict / t->values : 100.0,
	       t->exact ? 100.0 * t->signed_ok / t->exact : 100.0, t->counters_found, t->counters, t->checksums_found,
	       t->checksums, t->draft, t->draft ? 100.0 * t->overlap / t->draft : 0.0);
}

static int run_file(struct bench *b, const char *path, const char *dir, struct totals *all)
{
	struct dbc_load_opts lo = {false, NULL, NULL};
	struct dbc_db *db = NULL;
	if (dbc_load_file(path, &lo, &db) < 0) {
		fprintf(stderr, "%s: cannot load, skipped\n", path);
		return 0;
	}
	static struct gmsg msgs[MAX_MSGS];
	unsigned n = 0;
	for (uint32_t i = 0; i < db->n_messages && n < b->max_messages && n < MAX_MSGS; i++) {
		const struct dbc_message *m = db->messages[i];
		if (!usable_message(m))
			continue;
		struct gmsg *gm = &msgs[n];
		memset(gm, 0, sizeof *gm);
		gm->m = m;
		static const double periods[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5};
		gm->period_s = m->cycle_time_ms ? m->cycle_time_ms / 1000.0 : periods[(unsigned)(urand(b) * 6) % 6];
		if (gm->period_s < 0.005)
			gm->period_s = 0.005;
		gm->next_t = uniform(b, 0, gm->period_s);
		gm->cs = (enum cs_algo)((unsigned)(urand(b) * CS_N) % CS_N);
		bool have_cs = false, have_ctr = false;
		for (uint32_t k = 0; k < m->n_signals; k++) {
			gm->sigs[gm->n_sigs].s = &m->signals[k];
			choose_kind(b, db, &gm->sigs[gm->n_sigs], &have_cs, &have_ctr);
			gm->n_sigs++;
		}
		n++;
	}
	if (!n) {
		dbc_free(db);
		return 0;
	}
	char log[4096], draft[4096], cmd[16384];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(log, sizeof log, "%s/%s.log", dir, base);
	snprintf(draft, sizeof draft, "%s/%s.draft.dbc", dir, base);
	int e = write_log(b, msgs, n, log);
	if (e < 0) {
		fprintf(stderr, "%s: %s\n", log, strerror(-e));
		dbc_free(db);
		return -1;
	}
	snprintf(cmd, sizeof cmd, "'%s' discover '%s' --out '%s' --quiet", b->evgw, log, draft);
	int st = system(cmd);
	if (st != 0) {
		fprintf(stderr, "%s: evgw discover failed (status %d)\n", path, st);
		dbc_free(db);
		return -1;
	}
	struct dbc_db *d = NULL;
	if (dbc_load_file(draft, &lo, &d) < 0) {
		fprintf(stderr, "%s: the draft does not load\n", draft);
		dbc_free(db);
		return -1;
	}
	struct totals t = {0};
	if (b->verbose)
		fprintf(stderr, "%s:\n", base);
	score(b, db, msgs, n, d, &t);
	char what[512];
	snprintf(what, sizeof what, "file=%s messages=%u", base, n);
	print_totals(what, &t);
	all->values += t.values;
	all->exact += t.exact;
	all->strict += t.strict;
	all->signed_ok += t.signed_ok;
	all->counters += t.counters;
	all->counters_found += t.counters_found;
	all->checksums += t.checksums;
	all->checksums_found += t.checksums_found;
	all->draft += t.draft;
	all->overlap += t.overlap;
	dbc_free(d);
	dbc_free(db);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b = {.seconds = 60, .max_messages = 40, .rng = 0x2545F4914F6CDD1Dull};
	int i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--evgw") && i + 1 < argc)
			b.evgw = argv[++i];
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			b.seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--max-messages") && i + 1 < argc)
			b.max_messages = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			b.rng = strtoull(argv[++i], NULL, 0) | 1;
		else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
			b.keep = argv[++i];
		else if (!strcmp(argv[i], "--verbose"))
			b.verbose = true;
		else if (!strcmp(argv[i], "--counter-steps"))
			b.counter_steps = true;
		else {
			fprintf(stderr, "evgw-discover-bench: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!b.evgw || i == argc) {
		fputs("usage: evgw-discover-bench --evgw PATH [--seconds S] [--max-messages N] [--seed N] [--counter-steps] "
		      "[--keep DIR] [--verbose] DBC...\n", stderr);
		return 2;
	}
	char tmp[] = "/tmp/evgw-discover-bench-XXXXXX";
	const char *dir = b.keep;
	if (!dir) {
		if (!mkdtemp(tmp)) {
			perror("mkdtemp");
			return 1;
		}
		dir = tmp;
	} else {
		mkdir(dir, 0700);
	}
	struct totals all = {0};
	int rc = 0;
	for (; i < argc; i++)
		if (run_file(&b, argv[i], dir, &all) < 0)
			rc = 1;
	print_totals("all", &all);
	if (!b.keep) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			rc = 1;
	}
	return rc;
}
