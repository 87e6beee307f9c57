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

#define TEXT_LEN 112
#define KEY_LEN 24
#define MAX_TABLE_BYTES (1 << 20)
#define MAX_ENTRIES 65536

struct entry {
	char key[KEY_LEN];
	char text[TEXT_LEN];
};

struct table {
	struct entry *e;
	unsigned n, cap;
};

struct evgw_dtc_text {
	struct table fmi, spn, status, groups, codes;
};

struct evgw_dtc_text *evgw_dtc_text_new(void)
{
	return calloc(1, sizeof(struct evgw_dtc_text));
}

void evgw_dtc_text_free(struct evgw_dtc_text *t)
{
	if (!t)
		return;
	free(t->fmi.e);
	free(t->spn.e);
	free(t->status.e);
	free(t->groups.e);
	free(t->codes.e);
	free(t);
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

static struct table *table_of(struct evgw_dtc_text *t, const char *kind)
{
	if (!strcmp(kind, "fmi"))
		return &t->fmi;
	if (!strcmp(kind, "spn"))
		return &t->spn;
	if (!strcmp(kind, "status"))
		return &t->status;
	if (!strcmp(kind, "groups"))
		return &t->groups;
	if (!strcmp(kind, "codes"))
		return &t->codes;
	return NULL;
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

int evgw_dtc_text_add_buffer(struct evgw_dtc_text *t, const char *kind, const char *text, size_t len,
			     const char *name, char *err, size_t errlen)
{
	struct table *tb = table_of(t, kind);
	if (!tb)
		return -EINVAL;
	if (len > MAX_TABLE_BYTES)
		return bad(err, errlen, name, 0, "larger than %d bytes", MAX_TABLE_BYTES);
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
		if (klen >= KEY_LEN || tlen >= TEXT_LEN)
			return bad(err, errlen, name, line, "key or text too long (max %d, %d bytes)", KEY_LEN - 1,
				   TEXT_LEN - 1);
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
				return bad(err, errlen, name, line, "control byte in the line");
		bool numeric = tb == &t->fmi || tb == &t->spn || tb == &t->status;
		unsigned long max = tb == &t->fmi ? 31 : tb == &t->status ? 7 : 524287;
		if (numeric && !is_number(s, klen, max))
			return bad(err, errlen, name, line, "key must be a number from 0 to %lu", max);
		if (tb->n == MAX_ENTRIES)
			return bad(err, errlen, name, line, "more than %d entries", MAX_ENTRIES);
		if (tb->n == tb->cap) {
			unsigned cap = tb->cap ? tb->cap * 2 : 32;
			struct entry *e = realloc(tb->e, cap * sizeof *e);
			if (!e)
				return -ENOMEM;
			tb->e = e;
			tb->cap = cap;
		}
		struct entry *e = &tb->e[tb->n++];
		memcpy(e->key, s, klen);
		e->key[klen] = '\0';
		memcpy(e->text, tx, tlen);
		e->text[tlen] = '\0';
	}
	return 0;
}

static int add_file(struct evgw_dtc_text *t, const char *kind, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = evgw_open_regular(path, &st);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		int e = fd < 0 ? -fd : errno;
		if (fd >= 0)
			close(fd);
		if (err && errlen && e == EINVAL)
			snprintf(err, errlen, "%s: %s, not a regular file", path, evgw_file_kind(st.st_mode));
		else if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	char *buf = malloc(MAX_TABLE_BYTES + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	size_t n = fread(buf, 1, MAX_TABLE_BYTES + 1, f);
	int r = ferror(f) ? -EIO : evgw_dtc_text_add_buffer(t, kind, buf, n, path, err, errlen);
	fclose(f);
	free(buf);
	return r;
}

int evgw_dtc_text_add_codes(struct evgw_dtc_text *t, const char *path, char *err, size_t errlen)
{
	return add_file(t, "codes", path, err, errlen);
}

int evgw_dtc_text_load(const char *dir, struct evgw_dtc_text **out, char *err, size_t errlen)
{
	static const struct {
		const char *kind, *file;
	} files[] = {
		{"fmi", "j1939_fmi.tsv"},
		{"spn", "j1939_spn.tsv"},
		{"status", "uds_status.tsv"},
		{"groups", "obd_groups.tsv"},
	};
	*out = NULL;
	struct evgw_dtc_text *t = evgw_dtc_text_new();
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, files[i].file) >= sizeof path) {
			evgw_dtc_text_free(t);
			return -ENAMETOOLONG;
		}
		int r = add_file(t, files[i].kind, path, err, errlen);
		if (r < 0) {
			evgw_dtc_text_free(t);
			return r;
		}
	}
	*out = t;
	return 0;
}

/* The last entry with this key (a later line corrects an earlier one). */
static const char *find(const struct table *tb, const char *key)
{
	for (unsigned i = tb->n; i-- > 0;)
		if (!strcmp(tb->e[i].key, key))
			return tb->e[i].text;
	return NULL;
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
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t evgw_dtc_describe_j1939(const struct evgw_dtc_text *t, uint32_t spn, unsigned fmi, char *out, size_t cap)
{
	char key[16], name[TEXT_LEN + 40], what[TEXT_LEN + 16];
	snprintf(key, sizeof key, "%u", spn);
	const char *n = t ? find(&t->spn, key) : NULL;
	if (n)
		snprintf(name, sizeof name, "%s", n);
	else if (spn >= 520192 && spn <= 524287)
		snprintf(name, sizeof name, "SPN %u (manufacturer-specific)", spn);
	else
		snprintf(name, sizeof name, "SPN %u", spn);
	snprintf(key, sizeof key, "%u", fmi);
	const char *f = t && fmi < 32 ? find(&t->fmi, key) : NULL;
	if (f)
		snprintf(what, sizeof what, "%s", f);
	else
		snprintf(what, sizeof what, "FMI %u", fmi);
	return put(out, cap, "%s: %s", name, what);
}

/* "powertrain, generic (SAE-defined), ignition system or misfire". */
static void parts(const struct evgw_dtc_text *t, const char *code, char *out, size_t cap)
{
	static const char *const letters[] = {"powertrain", "chassis", "body", "network"};
	static const char letter_chars[] = "PCBU";
	char k1[2] = {code[0], '\0'}, k2[3] = {code[0], code[1], '\0'}, k3[4] = {code[0], code[1], code[2], '\0'};
	const char *a = t ? find(&t->groups, k1) : NULL;
	const char *b = t ? find(&t->groups, k2) : NULL;
	const char *c = t ? find(&t->groups, k3) : NULL;
	if (!a)
		a = letters[strchr(letter_chars, code[0]) - letter_chars];
	size_t n = put(out, cap, "%s", a);
	if (b)
		n += put(out + n, cap - n, ", %s", b);
	if (c)
		put(out + n, cap - n, ", %s", c);
}

size_t evgw_dtc_describe_obd(const struct evgw_dtc_text *t, uint16_t code, char *out, size_t cap)
{
	char c[DTC_STR_2BYTE], p[3 * TEXT_LEN + 8];
	dtc_format_2byte(code, c, sizeof c);
	const char *x = t ? find(&t->codes, c) : NULL;
	if (x)
		return put(out, cap, "%s: %s", c, x);
	parts(t, c, p, sizeof p);
	return put(out, cap, "%s: %s; no text known", c, p);
}

size_t evgw_dtc_describe_uds(const struct evgw_dtc_text *t, uint32_t dtc, char *out, size_t cap)
{
	char full[DTC_STR_3BYTE], shown[DTC_STR_3BYTE], base[DTC_STR_2BYTE], p[3 * TEXT_LEN + 8];
	dtc_format_3byte(dtc, '\0', full, sizeof full);
	dtc_format_3byte(dtc, '-', shown, sizeof shown);
	dtc_format_2byte((uint16_t)(dtc >> 8), base, sizeof base);
	const char *x = t ? find(&t->codes, full) : NULL;
	if (!x && t)
		x = find(&t->codes, shown);
	if (x)
		return put(out, cap, "%s: %s", shown, x);
	x = t ? find(&t->codes, base) : NULL;
	if (x)
		return put(out, cap, "%s: %s (failure type 0x%02X)", shown, x, (unsigned)(dtc & 0xFF));
	parts(t, base, p, sizeof p);
	return put(out, cap, "%s: %s, failure type 0x%02X; no text known", shown, p, (unsigned)(dtc & 0xFF));
}

size_t evgw_dtc_describe_status(const struct evgw_dtc_text *t, uint8_t status, char *out, size_t cap)
{
	if (!status)
		return put(out, cap, "no status bit set");
	size_t n = 0;
	if (cap)
		out[0] = '\0';
	for (unsigned bit = 0; bit < 8; bit++) {
		if (!(status >> bit & 1))
			continue;
		char key[2] = {(char)('0' + bit), '\0'};
		const char *name = t ? find(&t->status, key) : NULL;
		if (!name)
			name = uds_dtc_status_bit_name(bit);
		n += put(out + n, cap - n, "%s%s", n ? ", " : "", name);
	}
	return n;
}
