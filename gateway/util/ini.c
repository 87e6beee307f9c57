// SPDX-License-Identifier: MIT
/* The strict INI reader (grammar in ini.h). evgw once drove libinih under
 * two wrappers that overrode its line reader, its section handling, its
 * BOM and continuation rules and its line numbers; what was left of it, the
 * split at '=' and the ';' comments, is the few lines of key_line(). */
#include "util/ini.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/regular_file.h"

struct evgw_ini_seen {
	const struct evgw_ini_section *sec;
	char name[EVGW_INI_NAME_MAX + 1];
	unsigned line;
};

void evgw_ini_init(struct evgw_ini *ini, const char *name, void *user, char *err, size_t errlen)
{
	memset(ini, 0, offsetof(struct evgw_ini, buf));
	ini->buf[0] = '\0';
	ini->name = name;
	ini->user = user;
	ini->err = err;
	ini->errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
}

/* --- messages --- */

static bool vfail(struct evgw_ini *ini, int rc, unsigned line, unsigned col, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static bool vfail(struct evgw_ini *ini, int rc, unsigned line, unsigned col, const char *fmt, va_list ap)
{
	int n;

	if (ini->rc)
		return false; /* the first error is the one to fix */
	ini->rc = rc;
	if (!ini->err || !ini->errlen)
		return false;
	if (col)
		n = snprintf(ini->err, ini->errlen, "%s:%u:%u: ", ini->name, line, col);
	else
		n = snprintf(ini->err, ini->errlen, "%s:%u: ", ini->name, line);
	if (n >= 0 && (size_t)n < ini->errlen)
		vsnprintf(ini->err + n, ini->errlen - (size_t)n, fmt, ap);
	return false;
}

bool evgw_ini_fail(struct evgw_ini *ini, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(ini, -EINVAL, ini->line, 0, fmt, ap);
	va_end(ap);
	return false;
}

bool evgw_ini_fail_at(struct evgw_ini *ini, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(ini, -EINVAL, line, 0, fmt, ap);
	va_end(ap);
	return false;
}

/* An error at a column of the current line (col from 1). */
static bool fail_col(struct evgw_ini *ini, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail_col(struct evgw_ini *ini, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(ini, -EINVAL, ini->line, col, fmt, ap);
	va_end(ap);
	return false;
}

bool evgw_ini_fail_col(struct evgw_ini *ini, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(ini, -EINVAL, ini->line, col, fmt, ap);
	va_end(ap);
	return false;
}

unsigned evgw_ini_value_col(const struct evgw_ini *ini, const char *value)
{
	/* Setters get a pointer into the line's buffer. */
	if (value >= ini->buf && value < ini->buf + sizeof ini->buf)
		return (unsigned)(value - ini->buf) + 1;
	return 0;
}

bool evgw_ini_oom(struct evgw_ini *ini)
{
	if (!ini->rc) {
		ini->rc = -ENOMEM;
		if (ini->err && ini->errlen)
			snprintf(ini->err, ini->errlen, "%s:%u: out of memory", ini->name, ini->line);
	}
	return false;
}

const char *evgw_ini_shown(char out[EVGW_INI_SHOW], const char *s, size_t len)
{
	size_t n = len < EVGW_INI_SHOW - 4 ? len : EVGW_INI_SHOW - 4;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	strcpy(out + n, n < len ? "..." : "");
	return out;
}

/* --- small text helpers --- */

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static char *skip_blanks(char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static void trim_end(char *s)
{
	size_t n = strlen(s);
	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
}

bool evgw_ini_valid_name(const char *s, size_t len)
{
	if (len == 0 || len > EVGW_INI_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (!(ch >= '0' && ch <= '9') && !(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
		    ch != '-' && ch != '_' && ch != '.')
			return false;
	}
	return true;
}

#define LABEL_MAX (EVGW_INI_NAME_MAX * 2 + 8)

/* "[bus car]" or "[gateway]" for messages; names are plain (valid_name). */
static const char *label(const struct evgw_ini_section *sec, const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "[%s%s%s]", sec->kind, *name ? " " : "", name);
	return out;
}

/* --- sections --- */

static void end_section(struct evgw_ini *ini)
{
	if (ini->sec && ini->sec->end && !ini->rc)
		ini->sec->end(ini, ini->obj);
	ini->sec = NULL;
	ini->obj = NULL;
}

static const struct evgw_ini_section *find_section(const struct evgw_ini *ini, const char *kind, size_t len)
{
	for (const struct evgw_ini_section *s = ini->fmt->sections; s->kind; s++)
		if (strlen(s->kind) == len && !memcmp(s->kind, kind, len))
			return s;
	return NULL;
}

static bool unknown_section(struct evgw_ini *ini, const char *inner)
{
	char allowed[256] = "", shown[EVGW_INI_SHOW];
	size_t n = 0;

	for (const struct evgw_ini_section *s = ini->fmt->sections; s->kind && n < sizeof allowed; s++) {
		int w = snprintf(allowed + n, sizeof allowed - n, "%s[%s%s]", n ? ", " : "", s->kind,
				 s->named ? " NAME" : "");
		n += w > 0 ? (size_t)w : 0;
	}
	return evgw_ini_fail(ini, "unknown section '[%s]' (allowed: %s)",
			     evgw_ini_shown(shown, inner, strlen(inner)), allowed);
}

/* The new section must not repeat one and must fit its kind's maximum. */
static bool note_section(struct evgw_ini *ini, const struct evgw_ini_section *sec, const char *name)
{
	unsigned count = 0;
	char lab[LABEL_MAX];

	for (unsigned i = 0; i < ini->n_seen; i++) {
		const struct evgw_ini_seen *s = &ini->seen[i];
		if (s->sec != sec)
			continue;
		if (!strcmp(s->name, name))
			return evgw_ini_fail(ini, "duplicate section %s (first at line %u)",
					     label(sec, name, lab, sizeof lab), s->line);
		count++;
	}
	if (count >= sec->max)
		return evgw_ini_fail(ini, "too many [%s] sections (max %u)", sec->kind, sec->max);
	struct evgw_ini_seen *grown = realloc(ini->seen, (ini->n_seen + 1) * sizeof *grown);
	if (!grown)
		return evgw_ini_oom(ini);
	ini->seen = grown;
	grown += ini->n_seen++;
	grown->sec = sec;
	strcpy(grown->name, name); /* valid_name(): it fits */
	grown->line = ini->line;
	return true;
}

/* "[kind]" or "[kind NAME]", blanks allowed inside the brackets; open is
 * the '[' in ini->buf. */
static bool section_line(struct evgw_ini *ini, char *open)
{
	char *close = strchr(open, ']'), *rest, *inner, *name;
	const struct evgw_ini_section *sec;
	char shown[EVGW_INI_SHOW];
	size_t kind_len;

	end_section(ini);
	if (ini->rc)
		return false;
	if (!close)
		return fail_col(ini, (unsigned)(open - ini->buf) + 1, "missing ']' in section header");
	rest = skip_blanks(close + 1);
	if (*rest && *rest != ';')
		return fail_col(ini, (unsigned)(rest - ini->buf) + 1, "unexpected text after ']'");
	*close = '\0';
	inner = skip_blanks(open + 1);
	trim_end(inner);
	kind_len = strcspn(inner, " \t");
	name = skip_blanks(inner + kind_len);
	if (!(sec = find_section(ini, inner, kind_len)))
		return unknown_section(ini, inner);
	if (sec->named && !*name)
		return evgw_ini_fail(ini, "[%s] needs a name: [%s NAME]", sec->kind, sec->kind);
	if (!sec->named && *name)
		return evgw_ini_fail(ini, "[%s] takes no name", sec->kind);
	if (*name && !evgw_ini_valid_name(name, strlen(name)))
		return evgw_ini_fail(ini, "bad name '%s' in [%s NAME] (letters, digits, '-', '_', '.'; at most %d)",
				     evgw_ini_shown(shown, name, strlen(name)), sec->kind, EVGW_INI_NAME_MAX);
	if (!note_section(ini, sec, name))
		return false;
	ini->sec = sec;
	strcpy(ini->sec_name, name);
	ini->section_line = ini->line;
	memset(ini->key_line, 0, sizeof ini->key_line);
	return sec->begin(ini, name, &ini->obj) || evgw_ini_fail(ini, "cannot start [%s]", sec->kind);
}

/* --- keys --- */

/* Cuts a ';' comment that follows a blank off s. */
static void cut_comment(char *s)
{
	for (char *p = s; (p = strchr(p, ';')); p++)
		if (p > s && is_blank(p[-1])) {
			*p = '\0';
			return;
		}
}

static bool key_line(struct evgw_ini *ini, char *s)
{
	char shown[EVGW_INI_SHOW], lab[LABEL_MAX];
	const struct evgw_ini_key *k;
	char *sep, *value;
	unsigned i;

	cut_comment(s);
	sep = strpbrk(s, "=:");
	if (!sep)
		return evgw_ini_fail(ini, "expected 'key = value', '[section]' or a comment");
	unsigned sep_col = (unsigned)(sep - ini->buf) + 1;
	char sep_ch = *sep;
	*sep = '\0';
	trim_end(s);
	value = skip_blanks(sep + 1);
	trim_end(value);
	if (!*s)
		return fail_col(ini, sep_col, "no key before '%c'", sep_ch);
	if (!ini->sec)
		return evgw_ini_fail(ini, "key '%s' comes before any [section]", evgw_ini_shown(shown, s, strlen(s)));
	for (i = 0, k = ini->sec->keys; k->name && strcmp(k->name, s); k++)
		i++;
	if (!k->name)
		return evgw_ini_fail(ini, "unknown key '%s' in %s", evgw_ini_shown(shown, s, strlen(s)),
				     label(ini->sec, ini->sec_name, lab, sizeof lab));
	if (i >= EVGW_INI_MAX_KEYS)
		return evgw_ini_fail(ini, "key table too long"); /* a programming error */
	if (ini->key_line[i] && !(k->flags & EVGW_INI_LIST))
		return evgw_ini_fail(ini, "duplicate key '%s' in %s (first at line %u)", k->name,
				     label(ini->sec, ini->sec_name, lab, sizeof lab), ini->key_line[i]);
	ini->key_line[i] = ini->line;
	if (!k->set(ini, ini->obj, k->name, value) && !ini->rc)
		evgw_ini_fail(ini, "%s: bad value", k->name); /* a setter that said nothing */
	return !ini->rc;
}

/* --- lines --- */

/* One physical line, s[0..n) without its '\n'. */
static void read_line(struct evgw_ini *ini, const char *s, size_t n)
{
	char *p;

	if (n && s[n - 1] == '\r')
		n--;
	if (n > EVGW_INI_LINE_MAX) {
		evgw_ini_fail(ini, "line too long (max %d bytes)", EVGW_INI_LINE_MAX);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\0') {
			fail_col(ini, (unsigned)i + 1, "NUL byte in line");
			return;
		}
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			fail_col(ini, (unsigned)i + 1, "control character 0x%02X in line", ch);
			return;
		}
	}
	memcpy(ini->buf, s, n);
	ini->buf[n] = '\0';
	p = skip_blanks(ini->buf);
	if (!*p || *p == '#' || *p == ';')
		return;
	if (*p == '[')
		section_line(ini, p);
	else
		key_line(ini, p);
}

int evgw_ini_parse(struct evgw_ini *ini, const struct evgw_ini_format *fmt, const char *text, size_t len)
{
	size_t pos = 0;

	ini->fmt = fmt;
	if (len > fmt->max_bytes) {
		ini->rc = -EFBIG;
		if (ini->err && ini->errlen)
			snprintf(ini->err, ini->errlen, "%s: larger than %zu bytes", ini->name, fmt->max_bytes);
		return ini->rc;
	}
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len && !ini->rc) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		ini->line++;
		read_line(ini, s, n);
		pos += n + 1;
	}
	end_section(ini);
	free(ini->seen);
	ini->seen = NULL;
	ini->n_seen = 0;
	return ini->rc;
}

/* --- files --- */

static int file_error(const char *path, int rc, char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

static int read_all(int fd, size_t max_bytes, char **text, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		if (n == cap) {
			size_t want = cap ? cap * 2 : 16384;
			if (want > max_bytes + 1)
				want = max_bytes + 1;
			char *grown = realloc(buf, want + 1);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
			cap = want;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max_bytes) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int evgw_ini_read_file(const char *path, size_t max_bytes, char **text, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc;

	*text = NULL;
	*len = 0;
	if ((fd = evgw_open_regular(path, &st)) < 0) {
		if (fd == -EINVAL) {
			if (err && errlen)
				snprintf(err, errlen, "%s: %s, not a regular file", path, evgw_file_kind(st.st_mode));
			return fd;
		}
		return file_error(path, fd, err, errlen);
	}
	rc = read_all(fd, max_bytes, text, len);
	close(fd);
	if (rc == -EFBIG) {
		if (err && errlen)
			snprintf(err, errlen, "%s: larger than %zu bytes", path, max_bytes);
		return rc;
	}
	return rc ? file_error(path, rc, err, errlen) : 0;
}
