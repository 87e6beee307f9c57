// SPDX-License-Identifier: MIT
#include "vehicle/dtc_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/dtc.h"
#include "util/regular_file.h"

#define TEXT_MAX 512 /* bytes of one text, with its NUL */
#define KEY_LEN 24
#define MAX_TABLE_BYTES (1 << 20)
#define MAX_ENTRIES 65536

enum { EN, RU, LANGS };
enum { FMI, SPN, STATUS, GROUPS, CODES, KINDS };

static const char *const lang_names[LANGS] = {"en", "ru"};
static const char *const kind_names[KINDS] = {"fmi", "spn", "status", "groups", "codes"};

/* The words evgw adds itself, per language. */
static const struct words {
	const char *letters[4]; /* P C B U, when the groups table has none */
	const char *manufacturer_spn, *no_text, *failure_type, *no_status;
} words[LANGS] = {
	[EN] = {{"powertrain", "chassis", "body", "network"},
		"manufacturer-specific",
		"no text known",
		"failure type",
		"no status bit set"},
	[RU] = {{"силовая установка", "шасси", "кузов", "сеть"},
		"код производителя",
		"текст неизвестен",
		"тип отказа",
		"ни один бит статуса не установлен"},
};

struct entry {
	char key[KEY_LEN];
	unsigned off; /* of the text in the table's arena */
};

struct table {
	struct entry *e;
	unsigned n, cap;
	char *arena;
	size_t used, size;
};

struct evgw_dtc_text {
	struct table tb[LANGS][KINDS];
};

struct evgw_dtc_text *evgw_dtc_text_new(void)
{
	return calloc(1, sizeof(struct evgw_dtc_text));
}

void evgw_dtc_text_free(struct evgw_dtc_text *t)
{
	if (!t)
		return;
	for (unsigned l = 0; l < LANGS; l++)
		for (unsigned k = 0; k < KINDS; k++) {
			free(t->tb[l][k].e);
			free(t->tb[l][k].arena);
		}
	free(t);
}

/* -1 for a language evgw has no tables for. */
static int lang_index(const char *lang)
{
	if (!lang || !lang[0])
		return EN;
	for (int i = 0; i < LANGS; i++)
		if (!strcmp(lang, lang_names[i]))
			return i;
	return -1;
}

bool evgw_dtc_lang_known(const char *lang)
{
	return lang_index(lang) >= 0;
}

static int lang_or_en(const char *lang)
{
	int l = lang_index(lang);
	return l < 0 ? EN : l;
}

__attribute__((format(printf, 5, 6))) static int bad(char *err, size_t errlen, const char *name, unsigned line,
						      const char *fmt, ...)
{
	if (err && errlen) {
		int n = snprintf(err, errlen, "%s:%u: ", name, line);
		if (n >= 0 && (size_t)n < errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -EINVAL;
}

static int kind_index(const char *kind)
{
	for (int i = 0; i < KINDS; i++)
		if (!strcmp(kind, kind_names[i]))
			return i;
	return -1;
}

static bool is_number(const char *s, size_t n, unsigned long max)
{
	unsigned long v = 0;
	if (!n || n > 7)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v <= max;
}

/* Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF) with no control character but TAB. */
static bool line_ok(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				return false;
			i++;
			continue;
		}
		size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
		if (!len || i + len > n)
			return false;
		unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* Into the room reserve() made. */
static int add_entry(struct table *tb, const char *key, size_t klen, const char *text, size_t tlen)
{
	if (tb->n == tb->cap || tb->size - tb->used < tlen + 1)
		return -ENOMEM;
	struct entry *e = &tb->e[tb->n++];
	memcpy(e->key, key, klen);
	e->key[klen] = '\0';
	e->off = (unsigned)tb->used;
	memcpy(tb->arena + tb->used, text, tlen);
	tb->arena[tb->used + tlen] = '\0';
	tb->used += tlen + 1;
	return 0;
}

/* Room for every line of a text at once: one allocation per table, not a
 * series of doublings. */
static int reserve(struct table *tb, const char *text, size_t len)
{
	size_t lines = 1;
	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		lines++;
	if (lines > MAX_ENTRIES + 1)
		lines = MAX_ENTRIES + 1;
	if (tb->cap - tb->n < lines) {
		struct entry *e = realloc(tb->e, (tb->n + lines) * sizeof *e);
		if (!e)
			return -ENOMEM;
		tb->e = e;
		tb->cap = tb->n + (unsigned)lines;
	}
	if (tb->size - tb->used < len + 1) {
		char *a = realloc(tb->arena, tb->used + len + 1);
		if (!a)
			return -ENOMEM;
		tb->arena = a;
		tb->size = tb->used + len + 1;
	}
	return 0;
}

static int add_lines(struct table *tb, int kind, const char *text, size_t len, const char *name, char *err,
		     size_t errlen)
{
	if (len > MAX_TABLE_BYTES)
		return bad(err, errlen, name, 0, "larger than %d bytes", MAX_TABLE_BYTES);
	int rr = reserve(tb, text, len);
	if (rr < 0)
		return rr;
	unsigned line = 0;
	for (size_t pos = 0; pos < len;) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + 1;
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (!n || s[0] == '#')
			continue;
		const char *tab = memchr(s, '\t', n);
		if (!tab || tab == s)
			return bad(err, errlen, name, line, "expected KEY<TAB>TEXT");
		size_t klen = (size_t)(tab - s);
		const char *tx = tab + 1;
		const char *tab2 = memchr(tx, '\t', n - klen - 1);
		size_t tlen = tab2 ? (size_t)(tab2 - tx) : n - klen - 1;
		if (!tlen)
			return bad(err, errlen, name, line, "empty text");
		if (klen >= KEY_LEN || tlen >= TEXT_MAX)
			return bad(err, errlen, name, line, "key or text too long (max %d, %d bytes)", KEY_LEN - 1,
				   TEXT_MAX - 1);
		if (!line_ok(s, n))
			return bad(err, errlen, name, line, "control byte or bad UTF-8 in the line");
		bool numeric = kind == FMI || kind == SPN || kind == STATUS;
		unsigned long max = kind == FMI ? 31 : kind == STATUS ? 7 : 524287;
		if (numeric && !is_number(s, klen, max))
			return bad(err, errlen, name, line, "key must be a number from 0 to %lu", max);
		if (tb->n == MAX_ENTRIES)
			return bad(err, errlen, name, line, "more than %d entries", MAX_ENTRIES);
		int r = add_entry(tb, s, klen, tx, tlen);
		if (r < 0)
			return r;
	}
	return 0;
}

int evgw_dtc_text_add_buffer_lang(struct evgw_dtc_text *t, const char *lang, const char *kind, const char *text,
				  size_t len, const char *name, char *err, size_t errlen)
{
	int l = lang_index(lang), k = kind_index(kind);
	if (l < 0 || k < 0)
		return -EINVAL;
	return add_lines(&t->tb[l][k], k, text, len, name, err, errlen);
}

int evgw_dtc_text_add_buffer(struct evgw_dtc_text *t, const char *kind, const char *text, size_t len,
			     const char *name, char *err, size_t errlen)
{
	return evgw_dtc_text_add_buffer_lang(t, "en", kind, text, len, name, err, errlen);
}

/* missing_ok: a file that does not exist is no error (a translation). */
static int add_file(struct evgw_dtc_text *t, int lang, int kind, const char *path, bool missing_ok, char *err,
		    size_t errlen)
{
	struct stat st;
	int fd = evgw_open_regular(path, &st);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		int e = fd < 0 ? -fd : errno;
		if (fd >= 0)
			close(fd);
		if (missing_ok && e == ENOENT)
			return 0;
		if (err && errlen && e == EINVAL)
			snprintf(err, errlen, "%s: %s, not a regular file", path, evgw_file_kind(st.st_mode));
		else if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	/* The file's size, bounded: a longer file is refused by add_lines. */
	size_t want = st.st_size < 0 || st.st_size > MAX_TABLE_BYTES ? MAX_TABLE_BYTES + 1 : (size_t)st.st_size + 1;
	char *buf = malloc(want);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	size_t n = fread(buf, 1, want, f);
	int r = ferror(f) ? -EIO : add_lines(&t->tb[lang][kind], kind, buf, n, path, err, errlen);
	fclose(f);
	free(buf);
	return r;
}

int evgw_dtc_text_add_codes_lang(struct evgw_dtc_text *t, const char *lang, const char *path, char *err,
				 size_t errlen)
{
	int l = lang_index(lang);
	if (l < 0)
		return -EINVAL;
	return add_file(t, l, CODES, path, false, err, errlen);
}

/* dir/ru/name for dir/name. */
static int translation_path(const char *path, const char *lang, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	int n = slash ? snprintf(out, cap, "%.*s/%s/%s", (int)(slash - path), path, lang, slash + 1)
		      : snprintf(out, cap, "%s/%s", lang, path);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int evgw_dtc_text_add_codes(struct evgw_dtc_text *t, const char *path, char *err, size_t errlen)
{
	int r = add_file(t, EN, CODES, path, false, err, errlen);
	for (int l = EN + 1; r == 0 && l < LANGS; l++) {
		char tr[4096];
		r = translation_path(path, lang_names[l], tr, sizeof tr);
		if (r == 0)
			r = add_file(t, l, CODES, tr, true, err, errlen);
	}
	return r;
}

int evgw_dtc_text_load(const char *dir, struct evgw_dtc_text **out, char *err, size_t errlen)
{
	/* sae_generic.tsv may be missing: a DBC directory from before it. */
	static const struct {
		int kind;
		const char *file;
		bool optional;
	} files[] = {
		{FMI, "j1939_fmi.tsv", false},	      {SPN, "j1939_spn.tsv", false},
		{STATUS, "uds_status.tsv", false},    {GROUPS, "obd_groups.tsv", false},
		{CODES, "sae_generic.tsv", true},
	};
	*out = NULL;
	struct evgw_dtc_text *t = evgw_dtc_text_new();
	if (!t)
		return -ENOMEM;
	for (int l = 0; l < LANGS; l++)
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			char path[4096];
			int n = l == EN ? snprintf(path, sizeof path, "%s/%s", dir, files[i].file)
					: snprintf(path, sizeof path, "%s/%s/%s", dir, lang_names[l], files[i].file);
			int r = n < 0 || (size_t)n >= sizeof path
					? -ENAMETOOLONG
					: add_file(t, l, files[i].kind, path, l != EN || files[i].optional, err, errlen);
			if (r < 0) {
				evgw_dtc_text_free(t);
				return r;
			}
		}
	*out = t;
	return 0;
}

/* The last entry with this key (a later line corrects an earlier one). */
static const char *find1(const struct table *tb, const char *key)
{
	for (unsigned i = tb->n; i-- > 0;)
		if (!strcmp(tb->e[i].key, key))
			return tb->arena + tb->e[i].off;
	return NULL;
}

/* In the language's table, else in English. */
static const char *find(const struct evgw_dtc_text *t, int lang, int kind, const char *key)
{
	if (!t)
		return NULL;
	const char *s = find1(&t->tb[lang][kind], key);
	return s || lang == EN ? s : find1(&t->tb[EN][kind], key);
}

/* Cut a text at n bytes without splitting a UTF-8 character: the length
 * that is left. */
static size_t utf8_cut(char *s, size_t n)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0) {
		unsigned c = (unsigned char)s[i - 1];
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (i - 1 + len > n)
			n = i - 1;
	}
	s[n] = '\0';
	return n;
}

static size_t put(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static size_t put(char *out, size_t cap, const char *fmt, ...)
{
	if (!cap)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out[0] = '\0';
		return 0;
	}
	return (size_t)n < cap ? (size_t)n : utf8_cut(out, cap - 1);
}

size_t evgw_dtc_describe_j1939_lang(const struct evgw_dtc_text *t, const char *lang, uint32_t spn, unsigned fmi,
				    char *out, size_t cap)
{
	int l = lang_or_en(lang);
	char key[16], name[TEXT_MAX + 64], what[TEXT_MAX + 16];
	snprintf(key, sizeof key, "%u", spn);
	const char *n = find(t, l, SPN, key);
	if (n)
		snprintf(name, sizeof name, "%s", n);
	else if (spn >= 520192 && spn <= 524287)
		snprintf(name, sizeof name, "SPN %u (%s)", spn, words[l].manufacturer_spn);
	else
		snprintf(name, sizeof name, "SPN %u", spn);
	snprintf(key, sizeof key, "%u", fmi);
	const char *f = fmi < 32 ? find(t, l, FMI, key) : NULL;
	if (f)
		snprintf(what, sizeof what, "%s", f);
	else
		snprintf(what, sizeof what, "FMI %u", fmi);
	return put(out, cap, "%s: %s", name, what);
}

size_t evgw_dtc_describe_j1939(const struct evgw_dtc_text *t, uint32_t spn, unsigned fmi, char *out, size_t cap)
{
	return evgw_dtc_describe_j1939_lang(t, "en", spn, fmi, out, cap);
}

/* "powertrain, generic (SAE-defined), ignition system or misfire". */
static void parts(const struct evgw_dtc_text *t, int l, const char *code, char *out, size_t cap)
{
	static const char letter_chars[] = "PCBU";
	char k1[2] = {code[0], '\0'}, k2[3] = {code[0], code[1], '\0'}, k3[4] = {code[0], code[1], code[2], '\0'};
	const char *a = find(t, l, GROUPS, k1);
	const char *b = find(t, l, GROUPS, k2);
	const char *c = find(t, l, GROUPS, k3);
	if (!a)
		a = words[l].letters[strchr(letter_chars, code[0]) - letter_chars];
	size_t n = put(out, cap, "%s", a);
	if (b)
		n += put(out + n, cap - n, ", %s", b);
	if (c)
		put(out + n, cap - n, ", %s", c);
}

size_t evgw_dtc_describe_obd_lang(const struct evgw_dtc_text *t, const char *lang, uint16_t code, char *out,
				  size_t cap)
{
	int l = lang_or_en(lang);
	char c[DTC_STR_2BYTE], p[3 * TEXT_MAX + 8];
	dtc_format_2byte(code, c, sizeof c);
	const char *x = find(t, l, CODES, c);
	if (x)
		return put(out, cap, "%s: %s", c, x);
	parts(t, l, c, p, sizeof p);
	return put(out, cap, "%s: %s; %s", c, p, words[l].no_text);
}

size_t evgw_dtc_describe_obd(const struct evgw_dtc_text *t, uint16_t code, char *out, size_t cap)
{
	return evgw_dtc_describe_obd_lang(t, "en", code, out, cap);
}

size_t evgw_dtc_describe_uds_lang(const struct evgw_dtc_text *t, const char *lang, uint32_t dtc, char *out,
				  size_t cap)
{
	int l = lang_or_en(lang);
	const struct words *w = &words[l];
	char full[DTC_STR_3BYTE], shown[DTC_STR_3BYTE], base[DTC_STR_2BYTE], p[3 * TEXT_MAX + 8];
	dtc_format_3byte(dtc, '\0', full, sizeof full);
	dtc_format_3byte(dtc, '-', shown, sizeof shown);
	dtc_format_2byte((uint16_t)(dtc >> 8), base, sizeof base);
	const char *x = find(t, l, CODES, full);
	if (!x)
		x = find(t, l, CODES, shown);
	if (x)
		return put(out, cap, "%s: %s", shown, x);
	x = find(t, l, CODES, base);
	if (x)
		return put(out, cap, "%s: %s (%s 0x%02X)", shown, x, w->failure_type, (unsigned)(dtc & 0xFF));
	parts(t, l, base, p, sizeof p);
	return put(out, cap, "%s: %s, %s 0x%02X; %s", shown, p, w->failure_type, (unsigned)(dtc & 0xFF),
		   w->no_text);
}

size_t evgw_dtc_describe_uds(const struct evgw_dtc_text *t, uint32_t dtc, char *out, size_t cap)
{
	return evgw_dtc_describe_uds_lang(t, "en", dtc, out, cap);
}

size_t evgw_dtc_describe_status_lang(const struct evgw_dtc_text *t, const char *lang, uint8_t status, char *out,
				     size_t cap)
{
	int l = lang_or_en(lang);
	if (!status)
		return put(out, cap, "%s", words[l].no_status);
	size_t n = 0;
	if (cap)
		out[0] = '\0';
	for (unsigned bit = 0; bit < 8; bit++) {
		if (!(status >> bit & 1))
			continue;
		char key[2] = {(char)('0' + bit), '\0'};
		const char *name = find(t, l, STATUS, key);
		if (!name)
			name = uds_dtc_status_bit_name(bit);
		n += put(out + n, cap - n, "%s%s", n ? ", " : "", name);
	}
	return n;
}

size_t evgw_dtc_describe_status(const struct evgw_dtc_text *t, uint8_t status, char *out, size_t cap)
{
	return evgw_dtc_describe_status_lang(t, "en", status, out, cap);
}
