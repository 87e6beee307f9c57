// SPDX-License-Identifier: MIT
/* The shipped fault-code tables (dbc/dtc/, dbc/README.md "DTC description
 * tables"):
 *  - sae_generic_index.tsv lists the SAE-defined codes of P0A00-P0DFF and
 *    U0001-U0300 (every code a public list defines) and which registered
 *    sources define each; every one of them has exactly one English row in
 *    sae_generic.tsv and one Russian row in ru/sae_generic.tsv, citing the
 *    same sources, and no row is outside the index;
 *  - every code table row (sae_generic.tsv, *_dtc.tsv) cites keys of
 *    dbc/sources.tsv;
 *  - every table has its Russian version in ru/, with the same keys in the
 *    same order and Russian (Cyrillic) text;
 *  - through the loader, every indexed code gets its text in both
 *    languages, never the "no text known" fall-back.
 * The checker is also run on broken samples, which it must reject. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vehicle/dtc_text.h"

#define DBC_DIR EVGW_TEST_DATA "/../../dbc"
#define DTC_DIR DBC_DIR "/dtc"
#define MAX_ROWS 4096
#define MAX_KEYS 256

/* The figures when the tables were written (dbc/README.md): all 1024 codes
 * of P0A00-P0DFF are defined, and 473 of U0001-U0300. A change here must be
 * deliberate. */
#define P_CODES 1024
#define U_CODES 473

struct problems {
	unsigned n;
	char first[400];
};

__attribute__((format(printf, 2, 3))) static void problem(struct problems *p, const char *fmt, ...)
{
	if (p->n++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->first, sizeof p->first, fmt, ap);
		va_end(ap);
	}
}

struct row {
	char *key, *text, *src; /* src NULL when the row has no third column */
	unsigned line;
};

struct table {
	char *buf;
	struct row r[MAX_ROWS];
	unsigned n;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = malloc(1 << 21);
	assert_non_null(b);
	size_t n = fread(b, 1, (1 << 21) - 1, f);
	fclose(f);
	b[n] = '\0';
	return b;
}

/* Split text (taken) into rows; problems for rows of fewer than 2 or more
 * than 3 columns. */
static void parse(char *text, const char *name, struct table *t, struct problems *p)
{
	t->buf = text;
	t->n = 0;
	unsigned line = 0;
	for (char *l = text, *next; l && *l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if (!l[0] || l[0] == '#')
			continue;
		char *f[4] = {0};
		unsigned nf = 0;
		for (char *s = l; s && nf < 4; nf++) {
			f[nf] = s;
			s = strchr(s, '\t');
			if (s)
				*s++ = '\0';
		}
		if (nf < 2 || nf > 3 || !f[0][0] || !f[1][0]) {
			problem(p, "%s:%u: want KEY<TAB>TEXT[<TAB>SOURCES]", name, line);
			continue;
		}
		if (t->n == MAX_ROWS) {
			problem(p, "%s: more than %d rows", name, MAX_ROWS);
			return;
		}
		t->r[t->n++] = (struct row){f[0], f[1], nf == 3 ? f[2] : NULL, line};
	}
}

struct registry {
	char *key[MAX_KEYS];
	unsigned n;
	char *buf;
};

static void registry_load(struct registry *reg)
{
	reg->buf = slurp(DBC_DIR "/sources.tsv");
	assert_non_null(reg->buf);
	reg->n = 0;
	for (char *l = reg->buf, *next; l && *l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		if (!l[0] || l[0] == '#')
			continue;
		char *tab = strchr(l, '\t');
		if (tab)
			*tab = '\0';
		if (reg->n < MAX_KEYS)
			reg->key[reg->n++] = l;
	}
}

static bool known(const struct registry *reg, const char *k, size_t n)
{
	for (unsigned i = 0; i < reg->n; i++)
		if (strlen(reg->key[i]) == n && !memcmp(reg->key[i], k, n))
			return true;
	return false;
}

static void check_sources(const struct registry *reg, const struct row *r, const char *name, struct problems *p)
{
	if (!r->src || !r->src[0]) {
		problem(p, "%s:%u: %s cites no source", name, r->line, r->key);
		return;
	}
	for (const char *s = r->src; *s;) {
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " ");
		if (n && !known(reg, s, n))
			problem(p, "%s:%u: \"%.*s\" is not a key of dbc/sources.tsv", name, r->line, (int)n, s);
		s += n;
	}
}

/* Some Cyrillic letter (U+0400-U+04FF: lead byte 0xD0-0xD3). */
static bool has_cyrillic(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)s[0] >= 0xD0 && (unsigned char)s[0] <= 0xD3 && ((unsigned char)s[1] & 0xC0) == 0x80)
			return true;
	return false;
}

/* "P0A00" -> 0x0A00 | letter << 16; -1 when not a 5-character code. */
static long code_value(const char *c)
{
	static const char hex[] = "0123456789ABCDEF";
	if (strlen(c) != 5 || !strchr("PCBU", c[0]) || !c[0])
		return -1;
	long v = (long)c[0] << 16;
	for (int i = 1; i < 5; i++) {
		const char *h = strchr(hex, c[i]);
		if (!h || !c[i])
			return -1;
		v |= (long)(h - hex) << (4 * (4 - i));
	}
	return v;
}

static bool in_ranges(long v)
{
	long pa = ('P' << 16) | 0x0A00, pd = ('P' << 16) | 0x0DFF, u1 = ('U' << 16) | 0x0001, u3 = ('U' << 16) | 0x0300;
	return (v >= pa && v <= pd) || (v >= u1 && v <= u3);
}

static const struct row *lookup(const struct table *t, const char *key)
{
	for (unsigned i = 0; i < t->n; i++)
		if (!strcmp(t->r[i].key, key))
			return &t->r[i];
	return NULL;
}

/* The index against the English and Russian generic tables. */
static void check_generic(const struct registry *reg, const struct table *idx, const struct table *en,
			  const struct table *ru, struct problems *p, unsigned *n_p, unsigned *n_u)
{
	long prev = -1;
	*n_p = *n_u = 0;
	for (unsigned i = 0; i < idx->n; i++) {
		const struct row *r = &idx->r[i];
		long v = code_value(r->key);
		if (v < 0 || !in_ranges(v))
			problem(p, "index:%u: %s is not a code of P0A00-P0DFF or U0001-U0300", r->line, r->key);
		else if (v <= prev)
			problem(p, "index:%u: %s is out of order or twice", r->line, r->key);
		else if (r->key[0] == 'P')
			++*n_p;
		else
			++*n_u;
		prev = v > prev ? v : prev;
		/* The index's second column is its sources. */
		struct row s = {r->key, r->text, r->text, r->line};
		check_sources(reg, &s, "index", p);
		const struct table *tt[2] = {en, ru};
		const char *names[2] = {"sae_generic.tsv", "ru/sae_generic.tsv"};
		for (int k = 0; k < 2; k++) {
			const struct row *x = lookup(tt[k], r->key);
			if (!x)
				problem(p, "%s: no row for %s", names[k], r->key);
			else if (!x->src || strcmp(x->src, r->text))
				problem(p, "%s:%u: %s cites \"%s\", the index \"%s\"", names[k], x->line, r->key,
					x->src ? x->src : "", r->text);
			else if (k == 1 && !has_cyrillic(x->text))
				problem(p, "%s:%u: %s has no Russian text", names[k], x->line, r->key);
		}
	}
	const struct table *tt[2] = {en, ru};
	const char *names[2] = {"sae_generic.tsv", "ru/sae_generic.tsv"};
	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; i < tt[k]->n; i++) {
			const struct row *x = &tt[k]->r[i];
			if (!lookup(idx, x->key))
				problem(p, "%s:%u: %s is not in sae_generic_index.tsv", names[k], x->line, x->key);
			else if (lookup(tt[k], x->key) != x)
				problem(p, "%s:%u: %s twice", names[k], x->line, x->key);
		}
}

/* An English table against its Russian version. */
static void check_translation(const struct table *en, const struct table *ru, const char *name, struct problems *p)
{
	if (en->n != ru->n)
		problem(p, "ru/%s: %u rows, the English table %u", name, ru->n, en->n);
	for (unsigned i = 0; i < en->n && i < ru->n; i++) {
		if (strcmp(en->r[i].key, ru->r[i].key))
			problem(p, "ru/%s:%u: key %s, the English row %s", name, ru->r[i].line, ru->r[i].key,
				en->r[i].key);
		else if (!has_cyrillic(ru->r[i].text))
			problem(p, "ru/%s:%u: %s has no Russian text", name, ru->r[i].line, ru->r[i].key);
	}
}

static struct table *table_new(void)
{
	struct table *t = calloc(1, sizeof *t);
	assert_non_null(t);
	return t;
}

static void table_free(struct table *t)
{
	free(t->buf);
	free(t);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static void test_generic_coverage(void **state)
{
	(void)state;
	struct registry reg;
	registry_load(&reg);
	struct problems p = {0};
	struct table *idx = table_new(), *en = table_new(), *ru = table_new();
	char *a = slurp(DTC_DIR "/sae_generic_index.tsv"), *b = slurp(DTC_DIR "/sae_generic.tsv"),
	     *c = slurp(DTC_DIR "/ru/sae_generic.tsv");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	parse(a, "sae_generic_index.tsv", idx, &p);
	parse(b, "sae_generic.tsv", en, &p);
	parse(c, "ru/sae_generic.tsv", ru, &p);
	unsigned n_p, n_u;
	check_generic(&reg, idx, en, ru, &p, &n_p, &n_u);
	if (p.n)
		fail_msg("%u problem(s), the first: %s", p.n, p.first);
	assert_int_equal(n_p, P_CODES);
	assert_int_equal(n_u, U_CODES);
	/* Through the loader: a text for every code, in both languages. */
	struct evgw_dtc_text *t = NULL;
	char err[256] = "", out[600];
	if (evgw_dtc_text_load(DTC_DIR, &t, err, sizeof err))
		fail_msg("%s", err);
	for (unsigned i = 0; i < idx->n; i++) {
		long v = code_value(idx->r[i].key);
		uint16_t code = (uint16_t)((v & 0xFFFF) | (idx->r[i].key[0] == 'U' ? 0xC000 : 0));
		evgw_dtc_describe_obd_lang(t, "en", code, out, sizeof out);
		if (strstr(out, "no text known") || strncmp(out, idx->r[i].key, 5))
			fail_msg("en %s: \"%s\"", idx->r[i].key, out);
		evgw_dtc_describe_obd_lang(t, "ru", code, out, sizeof out);
		if (strstr(out, "текст неизвестен") || !has_cyrillic(out))
			fail_msg("ru %s: \"%s\"", idx->r[i].key, out);
	}
	evgw_dtc_text_free(t);
	table_free(idx);
	table_free(en);
	table_free(ru);
	free(reg.buf);
}

/* Every table in dbc/dtc/ has its Russian version; code tables cite. */
static void test_every_table(void **state)
{
	(void)state;
	struct registry reg;
	registry_load(&reg);
	struct problems p = {0};
	DIR *d = opendir(DTC_DIR);
	assert_non_null(d);
	unsigned tables = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!ends_with(e->d_name, ".tsv") || !strcmp(e->d_name, "sae_generic_index.tsv"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", DTC_DIR, e->d_name);
		struct table *en = table_new(), *ru = table_new();
		char *a = slurp(path);
		assert_non_null(a);
		parse(a, e->d_name, en, &p);
		snprintf(path, sizeof path, "%s/ru/%s", DTC_DIR, e->d_name);
		char *b = slurp(path);
		bool codes = !strcmp(e->d_name, "sae_generic.tsv") || ends_with(e->d_name, "_dtc.tsv");
		if (!b && en->n)
			problem(&p, "ru/%s: missing", e->d_name);
		if (b) {
			parse(b, e->d_name, ru, &p);
			check_translation(en, ru, e->d_name, &p);
		}
		for (unsigned i = 0; codes && i < en->n; i++)
			check_sources(&reg, &en->r[i], e->d_name, &p);
		for (unsigned i = 0; codes && i < ru->n; i++)
			check_sources(&reg, &ru->r[i], e->d_name, &p);
		if (!strcmp(e->d_name, "j1939_fmi.tsv") && en->n != 32)
			problem(&p, "j1939_fmi.tsv: %u rows, not the 32 FMIs", en->n);
		table_free(en);
		table_free(ru);
		tables++;
	}
	closedir(d);
	free(reg.buf);
	if (p.n)
		fail_msg("%u problem(s), the first: %s", p.n, p.first);
	assert_true(tables >= 6);
}

/* The checker itself rejects what it should. */
static void test_checker_rejects(void **state)
{
	(void)state;
	struct registry reg;
	registry_load(&reg);
	static const struct {
		const char *idx, *en, *ru, *want;
	} cases[] = {
		{"P0A00\twal33d-dtc-p\n", "P0A00\tx\twal33d-dtc-p\n", "", "ru/sae_generic.tsv: no row for P0A00"},
		{"P0A00\twal33d-dtc-p\n", "P0A00\tx\twal33d-dtc-p\n", "P0A00\tx\twal33d-dtc-p\n",
		 "ru/sae_generic.tsv:1: P0A00 has no Russian text"},
		{"P0A00\twal33d-dtc-p\n", "P0A00\tx\tandrobd-codes\n", "P0A00\tт\twal33d-dtc-p\n",
		 "sae_generic.tsv:1: P0A00 cites \"androbd-codes\", the index \"wal33d-dtc-p\""},
		{"P0A00\tnobody\n", "P0A00\tx\tnobody\n", "P0A00\tт\tnobody\n",
		 "index:1: \"nobody\" is not a key of dbc/sources.tsv"},
		{"P0E00\twal33d-dtc-p\n", "", "", "index:1: P0E00 is not a code of P0A00-P0DFF or U0001-U0300"},
		{"P0A01\twal33d-dtc-p\nP0A00\twal33d-dtc-p\n", "", "", "sae_generic.tsv: no row for P0A01"},
		{"", "P0A00\tx\twal33d-dtc-p\n", "", "sae_generic.tsv:1: P0A00 is not in sae_generic_index.tsv"},
		{"P0A00\twal33d-dtc-p\n", "P0A00\tx\n", "", "sae_generic.tsv:1: P0A00 cites \"\", the index \"wal33d-dtc-p\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct problems p = {0};
		struct table *idx = table_new(), *en = table_new(), *ru = table_new();
		parse(strdup(cases[i].idx), "index", idx, &p);
		parse(strdup(cases[i].en), "sae_generic.tsv", en, &p);
		parse(strdup(cases[i].ru), "ru/sae_generic.tsv", ru, &p);
		unsigned n_p, n_u;
		check_generic(&reg, idx, en, ru, &p, &n_p, &n_u);
		if (!p.n)
			fail_msg("case %zu: no problem found", i);
		if (strcmp(p.first, cases[i].want))
			fail_msg("case %zu: \"%s\", want \"%s\"", i, p.first, cases[i].want);
		table_free(idx);
		table_free(en);
		table_free(ru);
	}
	/* Out of order. */
	struct problems p = {0};
	struct table *idx = table_new(), *en = table_new(), *ru = table_new();
	parse(strdup("P0A01\twal33d-dtc-p\nP0A00\twal33d-dtc-p\n"), "index", idx, &p);
	parse(strdup("P0A00\tx\twal33d-dtc-p\nP0A01\tx\twal33d-dtc-p\n"), "sae_generic.tsv", en, &p);
	parse(strdup("P0A00\tт\twal33d-dtc-p\nP0A01\tт\twal33d-dtc-p\n"), "ru/sae_generic.tsv", ru, &p);
	unsigned n_p, n_u;
	check_generic(&reg, idx, en, ru, &p, &n_p, &n_u);
	assert_string_equal(p.first, "index:2: P0A00 is out of order or twice");
	table_free(idx);
	table_free(en);
	table_free(ru);
	/* A translation with another key, or English text. */
	p = (struct problems){0};
	en = table_new();
	ru = table_new();
	parse(strdup("0\tx\n1\ty\n"), "f.tsv", en, &p);
	parse(strdup("0\tх\n2\tу\n"), "f.tsv", ru, &p);
	check_translation(en, ru, "f.tsv", &p);
	assert_string_equal(p.first, "ru/f.tsv:2: key 2, the English row 1");
	p = (struct problems){0};
	table_free(ru);
	ru = table_new();
	parse(strdup("0\tx\n1\tу\n"), "f.tsv", ru, &p);
	check_translation(en, ru, "f.tsv", &p);
	assert_string_equal(p.first, "ru/f.tsv:1: 0 has no Russian text");
	table_free(en);
	table_free(ru);
	free(reg.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generic_coverage),
		cmocka_unit_test(test_every_table),
		cmocka_unit_test(test_checker_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
