// SPDX-License-Identifier: MIT
/* Provenance of the shipped vehicle definitions (dbc/README.md,
 * "Provenance"): every message of every DBC file in dbc/ names its sources
 * (EvgwSource, or EvgwSignalSource on a signal whose facts come from
 * elsewhere) and a confidence (EvgwConfidence / EvgwSignalConfidence), set
 * explicitly, not by a BA_DEF_DEF_ default; every profile DID has `source`
 * and `confidence`; every source is a key of dbc/sources.tsv, whose rows
 * each name a repository, a path, a pull request or commit, and a licence.
 * The checker is also run on broken samples, which it must reject.
 * dbc/demo/ is not checked: those files are invented for the simulator and
 * say so (dbc/README.md). */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbc/dbc.h"
#include "vehicle/profile.h"

#define DBC_DIR EVGW_TEST_DATA "/../../dbc"
#define MAX_KEYS 256
#define KEY_LEN 48

struct registry {
	char key[MAX_KEYS][KEY_LEN];
	unsigned n;
};

struct problems {
	unsigned n;
	char first[300];
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

static const char *const words[] = {"confirmed", "public", "assumed"};

static bool all_of(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return n > 0;
}

#define HEX "0123456789abcdef"
#define DIGITS "0123456789"

/* "PR 3337 @1069956" or "commit 1aa1daf" (7 to 40 hex digits). */
static bool valid_ref(const char *r)
{
	if (!strncmp(r, "commit ", 7)) {
		size_t n = strlen(r + 7);
		return n >= 7 && n <= 40 && all_of(r + 7, n, HEX);
	}
	if (strncmp(r, "PR ", 3))
		return false;
	const char *at = strchr(r, '@');
	if (!at || at[-1] != ' ')
		return false;
	size_t hn = strlen(at + 1);
	return all_of(r + 3, (size_t)(at - 1 - (r + 3)), DIGITS) && hn >= 7 && hn <= 40 && all_of(at + 1, hn, HEX);
}

/* owner/name, as GitHub spells them. */
static bool valid_repo(const char *s)
{
	const char *slash = strchr(s, '/');
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
	return slash && !strchr(slash + 1, '/') && all_of(s, (size_t)(slash - s), set) &&
	       all_of(slash + 1, strlen(slash + 1), set);
}

/* Read sources.tsv text into reg; problems for every bad row. */
static void registry_parse(char *text, struct registry *reg, struct problems *p)
{
	reg->n = 0;
	unsigned line = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		line++;
		if (l[0] == '#' || !l[0])
			continue;
		char *f[7] = {0};
		unsigned nf = 0;
		for (char *s2 = NULL, *t = strtok_r(l, "\t", &s2); t && nf < 7; t = strtok_r(NULL, "\t", &s2))
			f[nf++] = t;
		if (nf != 6) {
			problem(p, "sources.tsv row %u: %u columns, want 6", line, nf);
			continue;
		}
		if (strlen(f[0]) >= KEY_LEN || !all_of(f[0], strlen(f[0]), "abcdefghijklmnopqrstuvwxyz0123456789-"))
			problem(p, "sources.tsv row %u: key \"%s\"", line, f[0]);
		if (!valid_repo(f[1]))
			problem(p, "sources.tsv %s: repository \"%s\" is not owner/name", f[0], f[1]);
		if (!f[2][0] || f[2][0] == ' ')
			problem(p, "sources.tsv %s: no path", f[0]);
		if (!valid_ref(f[3]))
			problem(p, "sources.tsv %s: \"%s\" is neither \"PR N @head\" nor \"commit SHA\"", f[0], f[3]);
		for (unsigned k = 0; k < reg->n; k++)
			if (!strcmp(reg->key[k], f[0]))
				problem(p, "sources.tsv: key %s twice", f[0]);
		if (reg->n < MAX_KEYS)
			snprintf(reg->key[reg->n++], KEY_LEN, "%s", f[0]);
	}
}

static bool known(const struct registry *reg, const char *k, size_t n)
{
	for (unsigned i = 0; i < reg->n; i++)
		if (strlen(reg->key[i]) == n && !memcmp(reg->key[i], k, n))
			return true;
	return false;
}

/* A citation: one or more registry keys separated by spaces. */
static void check_citation(const struct registry *reg, const char *s, size_t len, const char *where,
			   struct problems *p)
{
	if (!len) {
		problem(p, "%s: no source", where);
		return;
	}
	for (size_t i = 0; i < len;) {
		while (i < len && s[i] == ' ')
			i++;
		size_t j = i;
		while (j < len && s[j] != ' ')
			j++;
		if (j > i && !known(reg, s + i, j - i))
			problem(p, "%s: \"%.*s\" is not a key of dbc/sources.tsv", where, (int)(j - i), s + i);
		i = j;
	}
}

/* The value an object has for the named attribute, set by a BA_ line (not a
 * default); NULL when none. */
static const struct dbc_attr *explicit_attr(const struct dbc_db *db, const struct dbc_attr *list, const char *name)
{
	for (const struct dbc_attr *a = list; a; a = a->next)
		if (evgw_str_eq_cstr(dbc_str(db, a->def->name), name))
			return a;
	return NULL;
}

static void check_confidence(const struct dbc_db *db, const struct dbc_attr *a, const char *where,
			     struct problems *p)
{
	const struct dbc_attr_def *d = a->def;
	if (d->type != DBC_ATTR_ENUM || d->n_enum != 3) {
		problem(p, "%s: %.*s is not ENUM \"confirmed\",\"public\",\"assumed\"", where, (int)d->name.len,
			db->text + d->name.off);
		return;
	}
	for (unsigned i = 0; i < 3; i++)
		if (!evgw_str_eq_cstr(dbc_str(db, d->enum_values[i]), words[i]))
			problem(p, "%s: the confidence ENUM's word %u is not \"%s\"", where, i, words[i]);
	if (a->value.is_string) {
		struct evgw_str v = dbc_str(db, a->value.str);
		if (!evgw_str_eq_cstr(v, words[0]) && !evgw_str_eq_cstr(v, words[1]) && !evgw_str_eq_cstr(v, words[2]))
			problem(p, "%s: confidence \"%.*s\" is not confirmed, public or assumed", where, (int)v.len,
				v.ptr);
	} else if (a->value.num < 0 || a->value.num > 2 || a->value.num != (double)(int)a->value.num) {
		problem(p, "%s: confidence index %g is not 0, 1 or 2", where, a->value.num);
	}
}

static void check_dbc(const struct dbc_db *db, const char *file, const struct registry *reg, struct problems *p)
{
	char where[200];
	for (uint32_t i = 0; i < db->n_messages; i++) {
		const struct dbc_message *m = db->messages[i];
		if (m->flags & DBC_MSG_PSEUDO)
			continue;
		struct evgw_str mn = dbc_str(db, m->name);
		const struct dbc_attr *ms = explicit_attr(db, m->attrs, "EvgwSource");
		const struct dbc_attr *mc = explicit_attr(db, m->attrs, "EvgwConfidence");
		snprintf(where, sizeof where, "%s %.*s", file, (int)mn.len, mn.ptr);
		if (mc)
			check_confidence(db, mc, where, p);
		if (ms && ms->value.is_string) {
			struct evgw_str v = dbc_str(db, ms->value.str);
			check_citation(reg, v.ptr, v.len, where, p);
		}
		for (uint32_t k = 0; k < m->n_signals; k++) {
			const struct dbc_signal *s = &m->signals[k];
			struct evgw_str sn = dbc_str(db, s->name);
			const struct dbc_attr *list = s->extra ? s->extra->attrs : NULL;
			const struct dbc_attr *ss = explicit_attr(db, list, "EvgwSignalSource");
			const struct dbc_attr *sc = explicit_attr(db, list, "EvgwSignalConfidence");
			snprintf(where, sizeof where, "%s %.*s.%.*s", file, (int)mn.len, mn.ptr, (int)sn.len, sn.ptr);
			if (!ss && !(ms && ms->value.is_string))
				problem(p, "%s: no source (EvgwSource on the message or EvgwSignalSource)", where);
			if (!sc && !mc)
				problem(p, "%s: no confidence (EvgwConfidence or EvgwSignalConfidence)", where);
			if (ss) {
				struct evgw_str v = dbc_str(db, ss->value.str);
				check_citation(reg, v.ptr, v.len, where, p);
			}
			if (sc)
				check_confidence(db, sc, where, p);
		}
	}
}

static void check_profile(const struct evgw_profile *pr, const char *file, const struct registry *reg,
			  struct problems *p)
{
	char where[200];
	for (unsigned i = 0; i < pr->n_dids; i++) {
		const struct evgw_profile_did *d = &pr->dids[i];
		snprintf(where, sizeof where, "%s did %s", file, d->name);
		check_citation(reg, d->source, strlen(d->source), where, p);
		if (!d->confidence[0])
			problem(p, "%s: no confidence", where);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void shipped_registry(struct registry *reg)
{
	struct problems p = {0};
	registry_parse(slurp(DBC_DIR "/sources.tsv"), reg, &p);
	if (p.n)
		fail_msg("%u problems in sources.tsv, first: %s", p.n, p.first);
	assert_true(reg->n >= 40);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static void test_shipped_dbc(void **state)
{
	(void)state;
	static struct registry reg;
	shipped_registry(&reg);
	DIR *dir = opendir(DBC_DIR);
	assert_non_null(dir);
	unsigned files = 0, messages = 0;
	struct problems p = {0};
	for (struct dirent *e; (e = readdir(dir));) {
		if (!ends_with(e->d_name, ".dbc"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", DBC_DIR, e->d_name);
		struct dbc_db *db = NULL;
		assert_int_equal(dbc_load_file(path, NULL, &db), 0);
		check_dbc(db, e->d_name, &reg, &p);
		messages += db->n_messages;
		files++;
		dbc_free(db);
	}
	closedir(dir);
	if (p.n)
		fail_msg("%u provenance problems, first: %s", p.n, p.first);
	assert_true(files >= 8);
	assert_true(messages >= 60);
}

static void test_shipped_profiles(void **state)
{
	(void)state;
	static struct registry reg;
	shipped_registry(&reg);
	DIR *dir = opendir(DBC_DIR "/profiles");
	assert_non_null(dir);
	unsigned files = 0, dids = 0;
	struct problems p = {0};
	for (struct dirent *e; (e = readdir(dir));) {
		if (!ends_with(e->d_name, ".ini"))
			continue;
		char path[512], err[256] = "";
		snprintf(path, sizeof path, "%s/profiles/%s", DBC_DIR, e->d_name);
		struct evgw_profile *pr = NULL;
		if (evgw_profile_load_file(path, &pr, err, sizeof err))
			fail_msg("%s", err);
		check_profile(pr, e->d_name, &reg, &p);
		dids += pr->n_dids;
		files++;
		evgw_profile_free(pr);
	}
	closedir(dir);
	if (p.n)
		fail_msg("%u provenance problems, first: %s", p.n, p.first);
	assert_true(files >= 4);
	assert_true(dids >= 30);
}

/* The checker itself rejects what it must. */
static void test_checker_rejects(void **state)
{
	(void)state;
	static struct registry reg;
	char tsv[] = "# t\n"
		     "good\towner/repo\tdir/file.c\tcommit 1234567\tMIT\tx\n"
		     "pr\towner/repo\tdir/file.c\tPR 12 @abcdef0\tMIT\tx\n";
	struct problems p = {0};
	registry_parse(tsv, &reg, &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(reg.n, 2);
	static const char *const bad_rows[] = {
		"k\tnot-a-repo\tp\tcommit 1234567\tMIT\tx\n",   /* repository */
		"k\towner/repo\tp\tcommit 12\tMIT\tx\n",        /* short sha */
		"k\towner/repo\tp\tPR 12\tMIT\tx\n",            /* PR without its head */
		"k\towner/repo\tp\tcommit 1234567\tMIT\n",      /* a column missing */
		"K Y\towner/repo\tp\tcommit 1234567\tMIT\tx\n", /* key */
	};
	for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
		static struct registry r2;
		char buf[200];
		snprintf(buf, sizeof buf, "%s", bad_rows[i]);
		struct problems q = {0};
		registry_parse(buf, &r2, &q);
		if (q.n == 0)
			fail_msg("row %zu accepted: %s", i, bad_rows[i]);
	}

	static const char head[] = "VERSION \"\"\nNS_ :\nBS_:\nBU_: N\n"
				   "BO_ 1 M1: 8 N\n SG_ A : 0|8@1+ (1,0) [0|255] \"\" N\n SG_ B : 8|8@1+ (1,0) [0|255] \"\" N\n"
				   "BA_DEF_ BO_ \"EvgwSource\" STRING ;\n"
				   "BA_DEF_ SG_ \"EvgwSignalSource\" STRING ;\n"
				   "BA_DEF_DEF_ \"EvgwSource\" \"good\";\n";
	static const struct {
		const char *tail;
		unsigned want; /* problems */
	} cases[] = {
		/* right: message source and confidence */
		{"BA_DEF_ BO_ \"EvgwConfidence\" ENUM \"confirmed\",\"public\",\"assumed\";\n"
		 "BA_ \"EvgwSource\" BO_ 1 \"good pr\";\nBA_ \"EvgwConfidence\" BO_ 1 1;\n", 0},
		/* only the default source: both signals lack one; no confidence either */
		{"", 4},
		/* an unknown key */
		{"BA_DEF_ BO_ \"EvgwConfidence\" ENUM \"confirmed\",\"public\",\"assumed\";\n"
		 "BA_ \"EvgwSource\" BO_ 1 \"good nowhere\";\nBA_ \"EvgwConfidence\" BO_ 1 2;\n", 1},
		/* a confidence word not allowed */
		{"BA_DEF_ BO_ \"EvgwConfidence\" ENUM \"confirmed\",\"likely\",\"assumed\";\n"
		 "BA_ \"EvgwSource\" BO_ 1 \"good\";\nBA_ \"EvgwConfidence\" BO_ 1 1;\n", 1},
		/* a signal's own source must be known too */
		{"BA_DEF_ BO_ \"EvgwConfidence\" ENUM \"confirmed\",\"public\",\"assumed\";\n"
		 "BA_ \"EvgwSource\" BO_ 1 \"good\";\nBA_ \"EvgwConfidence\" BO_ 1 0;\n"
		 "BA_ \"EvgwSignalSource\" SG_ 1 B \"who\";\n", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		static char text[2048];
		snprintf(text, sizeof text, "%s%s", head, cases[i].tail);
		struct dbc_db *db = NULL;
		assert_int_equal(dbc_load_buffer(text, strlen(text), "t.dbc", NULL, &db), 0);
		struct problems q = {0};
		check_dbc(db, "t.dbc", &reg, &q);
		if (q.n != cases[i].want)
			fail_msg("case %zu: %u problems (want %u), first: %s", i, q.n, cases[i].want, q.first);
		dbc_free(db);
	}

	/* A profile DID without confidence, and one citing free text. */
	static const char ini[] = "[vehicle]\nname = t\n[bus b]\n[ecu e]\nprotocol = uds\nrequest = 0x7E0\nresponse = 0x7E8\n"
				  "[did a]\necu = e\ndid = 1\nlength = 1\nsource = good\n"
				  "[did b]\necu = e\ndid = 2\nlength = 1\nsource = OVMS (somewhere)\nconfidence = public\n";
	struct evgw_profile *pr = NULL;
	char err[256] = "";
	if (evgw_profile_load_buffer(ini, strlen(ini), "t.ini", &pr, err, sizeof err))
		fail_msg("%s", err);
	struct problems q = {0};
	check_profile(pr, "t.ini", &reg, &q);
	assert_int_equal(q.n, 3); /* a: no confidence; b: "OVMS" and "(somewhere)" */
	evgw_profile_free(pr);
	/* The profile reader itself refuses an unknown confidence word. */
	static const char bad_ini[] = "[vehicle]\nname = t\n[bus b]\n[ecu e]\nprotocol = uds\nrequest = 0x7E0\nresponse = 0x7E8\n"
				      "[did a]\necu = e\ndid = 1\nlength = 1\nconfidence = likely\n";
	assert_int_equal(evgw_profile_load_buffer(bad_ini, strlen(bad_ini), "t.ini", &pr, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "t.ini:12: confidence: 'likely' is not confirmed, public or assumed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_rejects),
		cmocka_unit_test(test_shipped_dbc),
		cmocka_unit_test(test_shipped_profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
