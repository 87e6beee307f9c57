// SPDX-License-Identifier: MIT
/* Decodes every frame of a corpus folder (../shared/dbc-corpus/NAME: a DBC
 * file, frames.log, expected.jsonl made by cantools) and compares message
 * names, the set of present signals, physical values (1e-9 relative) and
 * value-table labels. Exit 0 = all match, 1 = mismatches, 77 = skipped. */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "can/candump.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"

#define SKIP 77

struct check {
	const char *dir;
	unsigned frames, values, labels, failures;
};

static void diag_print(void *ud, const struct dbc_diag *d)
{
	(void)ud;
	if (getenv("CORPUS_VERBOSE"))
		fprintf(stderr, "%s:%u:%u: %s\n", d->path, d->line, d->col, d->msg);
}

static void fail(struct check *c, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct check *c, unsigned line, const char *fmt, ...)
{
	if (++c->failures <= 20) {
		va_list ap;
		va_start(ap, fmt);
		fprintf(stderr, "%s: frame %u: ", c->dir, line);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
}

static bool values_match(double got, json_object *want)
{
	if (json_object_is_type(want, json_type_string)) {
		const char *s = json_object_get_string(want);
		if (!strcmp(s, "nan"))
			return isnan(got);
		if (!strcmp(s, "inf"))
			return isinf(got) && got > 0;
		if (!strcmp(s, "-inf"))
			return isinf(got) && got < 0;
		return false;
	}
	/* From the JSON text: json-c saturates integers beyond int64. */
	double w = strtod(json_object_to_json_string(want), NULL);
	if (got == w)
		return true;
	double scale = fmax(fabs(got), fabs(w));
	return fabs(got - w) <= 1e-9 * scale;
}

static void compare_frame(struct check *c, const struct dbc_db *db, const struct evgw_frame *f,
			  unsigned line, json_object *exp)
{
	json_object *jmsg, *jsigs, *jlabels;
	if (!json_object_object_get_ex(exp, "message", &jmsg) ||
	    !json_object_object_get_ex(exp, "signals", &jsigs) ||
	    !json_object_object_get_ex(exp, "labels", &jlabels)) {
		fail(c, line, "expected.jsonl line lacks message/signals/labels");
		return;
	}
	const struct dbc_message *m = dbc_lookup(db, f, NULL);
	if (!m) {
		fail(c, line, "no message for id 0x%" PRIX32 " (expected %s)", f->id,
		     json_object_get_string(jmsg));
		return;
	}
	struct evgw_str name = dbc_str(db, m->name);
	if (!evgw_str_eq_cstr(name, json_object_get_string(jmsg))) {
		fail(c, line, "message %.*s, expected %s", (int)name.len, name.ptr,
		     json_object_get_string(jmsg));
		return;
	}
	struct dbc_value vals[4096];
	uint32_t n = dbc_decode(m, f, vals);
	if ((int)n != json_object_object_length(jsigs))
		fail(c, line, "%u signals decoded, expected %d", n, json_object_object_length(jsigs));
	unsigned labels = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct evgw_str sn = dbc_str(db, vals[i].sig->name);
		char key[512];
		snprintf(key, sizeof key, "%.*s", (int)sn.len, sn.ptr);
		json_object *want;
		if (!json_object_object_get_ex(jsigs, key, &want)) {
			fail(c, line, "signal %s decoded but not expected", key);
			continue;
		}
		c->values++;
		if (!values_match(vals[i].phys, want))
			fail(c, line, "%s = %.17g, expected %s", key, vals[i].phys,
			     json_object_to_json_string(want));
		const struct dbc_text *lt = dbc_signal_label(vals[i].sig, vals[i].raw);
		json_object *wl;
		bool has = json_object_object_get_ex(jlabels, key, &wl);
		if (lt && has) {
			labels++;
			/* Labels compare after the same UTF-8 handling the CLI uses;
			 * the corpus texts are ASCII or UTF-8 (cp1252.dbc has no frames). */
			struct evgw_str t = dbc_str(db, *lt);
			if (!evgw_str_eq_cstr(t, json_object_get_string(wl)))
				fail(c, line, "%s label '%.*s', expected '%s'", key, (int)t.len, t.ptr,
				     json_object_get_string(wl));
		} else if (lt || has) {
			fail(c, line, "%s label %s, expected %s", key, lt ? "present" : "absent",
			     has ? json_object_get_string(wl) : "none");
		}
	}
	if ((int)labels != json_object_object_length(jlabels))
		fail(c, line, "%u labels, expected %d", labels, json_object_object_length(jlabels));
	c->labels += labels;
	c->frames++;
}

static char *find_dbc(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	struct dirent *e;
	char *path = NULL;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".dbc")) {
			if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
				path = NULL;
			break;
		}
	}
	closedir(d);
	return path;
}

static int check_dir(const char *dir)
{
	struct check c = {.dir = dir};
	char *dbc_path = find_dbc(dir);
	if (!dbc_path) {
		fprintf(stderr, "%s: no .dbc file\n", dir);
		return SKIP;
	}
	struct dbc_load_opts opts = {.strict = false, .diag = diag_print};
	struct dbc_db *db;
	int r = dbc_load_file(dbc_path, &opts, &db);
	if (r < 0) {
		fprintf(stderr, "%s: load failed: %s\n", dbc_path, strerror(-r));
		free(dbc_path);
		return 1;
	}
	printf("%s: %u messages, %u signals, %u warnings, %u errors\n", dbc_path, db->n_messages,
	       db->n_signals, db->n_warnings, db->n_errors);
	char path[4096];
	snprintf(path, sizeof path, "%s/frames.log", dir);
	FILE *fl = fopen(path, "r");
	snprintf(path, sizeof path, "%s/expected.jsonl", dir);
	FILE *fe = fopen(path, "r");
	int rc = 0;
	if (!fl || !fe) {
		/* Files cantools refused: loading them (leniently) is the test. */
		printf("%s: no frames; loaded OK\n", dir);
		goto out;
	}
	char *lbuf = NULL, *ebuf = NULL;
	size_t lcap = 0, ecap = 0;
	ssize_t ll;
	unsigned line = 0;
	while ((ll = getline(&lbuf, &lcap, fl)) >= 0) {
		line++;
		struct evgw_candump_line cl;
		size_t col;
		const char *msg;
		int pr = evgw_candump_parse_line(lbuf, (size_t)ll, &cl, &col, &msg);
		if (pr < 0) {
			fail(&c, line, "frames.log:%u:%zu: %s", line, col, msg);
			continue;
		}
		if (pr != EVGW_CANDUMP_FRAME)
			continue;
		if (getline(&ebuf, &ecap, fe) < 0) {
			fail(&c, line, "expected.jsonl ends early");
			break;
		}
		json_object *exp = json_tokener_parse(ebuf);
		if (!exp) {
			fail(&c, line, "bad JSON in expected.jsonl");
			continue;
		}
		compare_frame(&c, db, &cl.frame, line, exp);
		json_object_put(exp);
	}
	free(lbuf);
	free(ebuf);
	printf("%s: %u frames, %u values, %u labels, %u failures\n", dir, c.frames, c.values,
	       c.labels, c.failures);
	rc = c.failures ? 1 : 0;
out:
	if (fl)
		fclose(fl);
	if (fe)
		fclose(fe);
	dbc_free(db);
	free(dbc_path);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_FOLDER\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		printf("SKIPPED: %s: %s (the DBC corpus is not beside this checkout)\n", argv[1],
		       strerror(errno));
		return SKIP;
	}
	closedir(d);
	return check_dir(argv[1]);
}
