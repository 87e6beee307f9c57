// SPDX-License-Identifier: MIT
/* The strict INI reader under evgw.conf and the vehicle profiles: one
 * grammar, one set of limits and one error style for both. The caller
 * describes its sections and keys in tables; the reader splits lines, finds
 * sections and keys, refuses what the tables do not name, and hands each
 * value to the key's setter. Value scanners are in util/ini_value.h.
 *
 * The grammar (documented for users in udev/evgw.conf.example and
 * dbc/README.md):
 * - UTF-8 or ASCII text, one optional BOM at the start; lines end with LF
 *   or CRLF and hold at most EVGW_INI_LINE_MAX bytes. NUL and other control
 *   bytes (tab excepted) are errors.
 * - Indentation is ignored; a line never continues the one before it.
 * - A line is blank, a comment (its first character '#' or ';'), a section
 *   "[kind]" or "[kind NAME]", or "key = value" ("key: value" too).
 * - A ';' right after a blank, or anywhere after a section's ']', starts a
 *   comment that runs to the end of the line; '#' in a value is text.
 * - Section kinds and keys are case-sensitive. NAME is 1..EVGW_INI_NAME_MAX
 *   letters, digits, '-', '_' or '.'; a section appears once per file.
 * - A key appears once per section, except list keys (EVGW_INI_LIST): each
 *   of their lines adds to the list.
 * - Unknown sections and keys are errors.
 *
 * Errors read "NAME:LINE: what" or, where a column helps, "NAME:LINE:COL:
 * what"; the first one stops the reader. Nothing here logs or exits. */
#ifndef EVGW_UTIL_INI_H
#define EVGW_UTIL_INI_H

#include <stdbool.h>
#include <stddef.h>

#define EVGW_INI_LINE_MAX 1024 /* bytes in a line, without its end */
#define EVGW_INI_NAME_MAX 32   /* bytes in a section's NAME */
#define EVGW_INI_MAX_KEYS 32   /* keys in one section's table */
#define EVGW_INI_SHOW 64       /* untrusted text quoted in a message, with its NUL */

struct evgw_ini;

/* Called for each "key = value" (value trimmed, comment removed; may be
 * empty). obj is what the section's begin() made. Returns false after
 * reporting the error with evgw_ini_fail() or a helper of ini_value.h. */
typedef bool evgw_ini_set_fn(struct evgw_ini *ini, void *obj, const char *key, const char *value);
/* A section starts: name is "" for a [kind] without one. Sets *obj. */
typedef bool evgw_ini_begin_fn(struct evgw_ini *ini, const char *name, void **obj);
/* A section ends (next section or end of text): check what it lacks. */
typedef bool evgw_ini_end_fn(struct evgw_ini *ini, void *obj);

#define EVGW_INI_LIST 1u /* may be repeated: each line adds to the list */

struct evgw_ini_key {
	const char *name;
	evgw_ini_set_fn *set;
	unsigned flags;
};

struct evgw_ini_section {
	const char *kind;                /* "bus" for [bus NAME] */
	bool named;                      /* [kind NAME]; else [kind] */
	unsigned max;                    /* sections of this kind a file may hold */
	const struct evgw_ini_key *keys; /* ends with {NULL}; at most EVGW_INI_MAX_KEYS */
	evgw_ini_begin_fn *begin;
	evgw_ini_end_fn *end;            /* may be NULL */
};

struct evgw_ini_format {
	size_t max_bytes;                        /* a larger text is -EFBIG */
	const struct evgw_ini_section *sections; /* ends with {NULL} */
};

struct evgw_ini_seen; /* the sections read so far (private) */

/* One reading. Fields above the line are for callers; the rest is the
 * reader's. */
struct evgw_ini {
	const char *name;      /* the input in messages (a path) */
	void *user;            /* the caller's state, for its callbacks */
	int rc;                /* the first error (negative errno), 0 = none */
	unsigned line;         /* the line being read, from 1 */
	unsigned section_line; /* where the current section starts */
	/* ---- */
	char *err;
	size_t errlen;
	const struct evgw_ini_format *fmt;
	const struct evgw_ini_section *sec; /* NULL before the first section */
	void *obj;
	char sec_name[EVGW_INI_NAME_MAX + 1];
	unsigned key_line[EVGW_INI_MAX_KEYS]; /* where each key of sec was given */
	struct evgw_ini_seen *seen;
	unsigned n_seen;
	char buf[EVGW_INI_LINE_MAX + 1];
};

/* Before a reading; err (may be NULL) gets the message of the first error. */
void evgw_ini_init(struct evgw_ini *ini, const char *name, void *user, char *err, size_t errlen);

/* Read text[0..len) (NUL bytes in it are errors). Returns 0 or ini->rc:
 * -EINVAL for bad text, -EFBIG past fmt->max_bytes, -ENOMEM, or what a
 * setter reported. After it, evgw_ini_fail_at() may still report errors
 * that need the whole file (references between sections). */
int evgw_ini_parse(struct evgw_ini *ini, const struct evgw_ini_format *fmt, const char *text, size_t len);

/* A whole file into *text (malloc'd, NUL-terminated, free() it) and *len.
 * Returns 0, -EFBIG past max_bytes, -EISDIR, -EINVAL (not a regular file:
 * a FIFO, a device) or the error of open/read,
 * with "path: what" in err. */
int evgw_ini_read_file(const char *path, size_t max_bytes, char **text, size_t *len, char *err,
		       size_t errlen);

/* Report an error at the current line (-EINVAL) or at a given one; only the
 * first error of a reading is kept. Both return false. */
bool evgw_ini_fail(struct evgw_ini *ini, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool evgw_ini_fail_at(struct evgw_ini *ini, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error at a column of the current line (col from 1); evgw_ini_value_col
 * gives the column of a setter's value (col of its first byte). */
bool evgw_ini_fail_col(struct evgw_ini *ini, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
unsigned evgw_ini_value_col(const struct evgw_ini *ini, const char *value);
bool evgw_ini_oom(struct evgw_ini *ini);

/* Is s[0..len) a section NAME (the rule above)? Also for names given as
 * values, e.g. a profile's [vehicle] name. */
bool evgw_ini_valid_name(const char *s, size_t len);

/* s[0..len) for a message: printable ASCII ('?' for other bytes), cut to
 * fit EVGW_INI_SHOW with "..." after. Returns out. */
const char *evgw_ini_shown(char out[EVGW_INI_SHOW], const char *s, size_t len);

#endif
