// SPDX-License-Identifier: MIT
/* Faults in Russian fit: every row of the Russian DTC tables, described as
 * a fault would be (OBD/KWP 2-byte code, UDS 3-byte with a failure type,
 * J1939 SPN x FMI from a DM2 with "(previously active)"), fits
 * EVGW_FAULT_TEXT whole. The expected texts are built here from the TSV
 * rows read on their own (the J2012 code layout computed by hand), not by
 * the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/j1939_listener.h"
#include "faults/fault.h"
#include "vehicle/dtc_text.h"

#define DTC_DIR EVGW_TEST_DATA "/../../dbc/dtc"

struct row {
	char key[16];
	char text[512];
};

/* KEY <TAB> TEXT [<TAB> SOURCES] lines of a TSV; '#' lines are comments. */
static struct row *read_rows(const char *path, unsigned *n)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct row *rows = NULL;
	unsigned cap = 0;
	char line[2048];
	*n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = '\0';
		char *text = tab + 1, *end = strchr(text, '\t');
		if (end)
			*end = '\0';
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = realloc(rows, cap * sizeof *rows);
			assert_non_null(rows);
		}
		assert_true(strlen(line) < sizeof rows[0].key && strlen(text) < sizeof rows[0].text);
		memcpy(rows[*n].key, line, strlen(line) + 1);
		memcpy(rows[*n].text, text, strlen(text) + 1);
		(*n)++;
	}
	fclose(f);
	return rows;
}

/* SAE J2012: letter (P C B U) in bits 15-14, then four hex digits' values. */
static unsigned code16(const char *k)
{
	static const char letters[] = "PCBU";
	unsigned v = (unsigned)(strchr(letters, k[0]) - letters) << 14;
	char hex[5] = {k[1], k[2], k[3], k[4], '\0'};
	return v | (unsigned)strtoul(hex, NULL, 16);
}

static struct evgw_dtc_text *tables(void)
{
	struct evgw_dtc_text *t = NULL;
	char err[512] = "";
	assert_int_equal(evgw_dtc_text_load(DTC_DIR, &t, err, sizeof err), 0);
	assert_int_equal(evgw_dtc_text_add_codes(t, DTC_DIR "/byd_dtc.tsv", err, sizeof err), 0);
	return t;
}

static void check_codes(struct evgw_dtc_text *t, const char *file)
{
	unsigned n;
	struct row *rows = read_rows(file, &n);
	assert_true(n > 100);
	char out[EVGW_FAULT_TEXT], want[1200];
	for (unsigned i = 0; i < n; i++) {
		const char *k = rows[i].key;
		size_t klen = strlen(k);
		unsigned c = code16(k);
		if (klen == 5) {
			/* OBD-II or KWP: "P0A00: TEXT". */
			snprintf(want, sizeof want, "%s: %s", k, rows[i].text);
			evgw_dtc_describe_obd_lang(t, "ru", (uint16_t)c, out, sizeof out);
			assert_string_equal(out, want);
			/* UDS with a failure type the table has no row for. */
			snprintf(want, sizeof want, "%s-FE: %s (тип отказа 0xFE)", k, rows[i].text);
			evgw_dtc_describe_uds_lang(t, "ru", c << 8 | 0xFE, out, sizeof out);
			assert_string_equal(out, want);
		} else {
			/* A 3-byte code of a vehicle table: P1A0000 = P1A00, failure type 00. */
			assert_int_equal(klen, 7);
			unsigned ft = (unsigned)strtoul(k + 5, NULL, 16);
			snprintf(want, sizeof want, "%.5s-%s: %s", k, k + 5, rows[i].text);
			evgw_dtc_describe_uds_lang(t, "ru", c << 8 | ft, out, sizeof out);
			assert_string_equal(out, want);
		}
	}
	free(rows);
}

static void test_every_russian_code_row_fits(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = tables();
	check_codes(t, DTC_DIR "/ru/sae_generic.tsv");
	check_codes(t, DTC_DIR "/ru/byd_dtc.tsv");
	evgw_dtc_text_free(t);
}

static void test_every_russian_spn_fmi_fits(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = tables();
	unsigned ns, nf;
	struct row *spn = read_rows(DTC_DIR "/ru/j1939_spn.tsv", &ns), *fmi = read_rows(DTC_DIR "/ru/j1939_fmi.tsv", &nf);
	assert_true(ns >= 3 && nf >= 22);
	char out[EVGW_FAULT_TEXT], want[1200];
	for (unsigned s = 0; s < ns; s++)
		for (unsigned f = 0; f < nf; f++) {
			unsigned sv = (unsigned)strtoul(spn[s].key, NULL, 10), fv = (unsigned)strtoul(fmi[f].key, NULL, 10);
			snprintf(want, sizeof want, "%s: %s (ранее активна)", spn[s].text, fmi[f].text);
			evgw_j1939_dtc_words(NULL, t, sv, fv, true, "ru", out, sizeof out);
			assert_string_equal(out, want);
			snprintf(want, sizeof want, "%s: %s", spn[s].text, fmi[f].text);
			evgw_j1939_dtc_words(NULL, t, sv, fv, false, "ru", out, sizeof out);
			assert_string_equal(out, want);
		}
	free(spn);
	free(fmi);
	evgw_dtc_text_free(t);
}

/* English stays as it was; a cut never splits a character. */
static void test_english_and_cut(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = tables();
	char out[EVGW_FAULT_TEXT];
	/* SPN 190 "Engine speed..." per j1939_spn.tsv, FMI 2 per j1939_fmi.tsv: read from the tables' own rows. */
	unsigned ns, nf;
	struct row *spn = read_rows(DTC_DIR "/j1939_spn.tsv", &ns), *fmi = read_rows(DTC_DIR "/j1939_fmi.tsv", &nf);
	const char *s190 = NULL, *f2 = NULL;
	for (unsigned i = 0; i < ns; i++)
		if (!strcmp(spn[i].key, "190"))
			s190 = spn[i].text;
	for (unsigned i = 0; i < nf; i++)
		if (!strcmp(fmi[i].key, "2"))
			f2 = fmi[i].text;
	assert_non_null(s190);
	assert_non_null(f2);
	char want[1200];
	snprintf(want, sizeof want, "%s: %s (previously active)", s190, f2);
	evgw_j1939_dtc_words(NULL, t, 190, 2, true, "en", out, sizeof out);
	assert_string_equal(out, want);
	/* 12 bytes: "Частот" is 12 bytes of 2-byte letters; 11 must stop at 10. */
	char small[11];
	size_t len = evgw_j1939_dtc_words(NULL, t, 190, 2, false, "ru", small, sizeof small);
	assert_int_equal(len, 10);
	assert_int_equal(strlen(small), 10);
	assert_memory_equal(small, "Частот", 10);
	free(spn);
	free(fmi);
	evgw_dtc_text_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_russian_code_row_fits),
		cmocka_unit_test(test_every_russian_spn_fmi_fits),
		cmocka_unit_test(test_english_and_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
