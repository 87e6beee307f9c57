// SPDX-License-Identifier: MIT
/* DTC texts (gateway/vehicle/dtc_text.c): the shipped tables, the decoded
 * fall-backs (never a blank), table errors with file:line, the Russian
 * tables and the English fall-back, cuts between UTF-8 characters. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "vehicle/dtc_text.h"

#define DTC_DIR EVGW_TEST_DATA "/../../dbc/dtc"

static struct evgw_dtc_text *shipped(void)
{
	struct evgw_dtc_text *t = NULL;
	char err[256] = "";
	if (evgw_dtc_text_load(DTC_DIR, &t, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(evgw_dtc_text_add_codes(t, DTC_DIR "/byd_dtc.tsv", err, sizeof err), 0);
	return t;
}

static void test_j1939(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[200];
	evgw_dtc_describe_j1939(t, 190, 2, out, sizeof out);
	assert_string_equal(out, "Engine speed (traction motor speed on an electric bus): data erratic, intermittent or incorrect");
	evgw_dtc_describe_j1939(t, 520200, 14, out, sizeof out);
	assert_string_equal(out, "Manufacturer-specific: BMS insulation monitoring (evgw simulator example): special instructions");
	/* Unknown SPNs: the number, and the manufacturer range said as such. */
	evgw_dtc_describe_j1939(t, 524000, 31, out, sizeof out);
	assert_string_equal(out, "SPN 524000 (manufacturer-specific): condition exists");
	evgw_dtc_describe_j1939(t, 1234, 22, out, sizeof out);
	assert_string_equal(out, "SPN 1234: reserved");
	/* No tables at all: still the code. */
	evgw_dtc_describe_j1939(NULL, 84, 9, out, sizeof out);
	assert_string_equal(out, "SPN 84: FMI 9");
	evgw_dtc_text_free(t);
}

static void test_obd_and_uds(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[300];
	/* 0x0301: P, first digit 0, 301 -> generic powertrain, ignition/misfire group. */
	evgw_dtc_describe_obd(t, 0x0301, out, sizeof out);
	assert_string_equal(out, "P0301: powertrain, generic (SAE-defined), ignition system or misfire; no text known");
	/* 0xC100: bits 15-14 = 11 -> U, 13-12 = 00 -> 0: U0100, in sae_generic.tsv. */
	evgw_dtc_describe_obd(t, 0xC100, out, sizeof out);
	assert_string_equal(out, "U0100: No messages from the engine/powertrain control module (ECM/PCM) A (lost communication)");
	/* 0xC301: U0301, past the generic table: its parts. */
	evgw_dtc_describe_obd(t, 0xC301, out, sizeof out);
	assert_string_equal(out, "U0301: network and vehicle integration, generic (SAE-defined); no text known");
	/* 0x0A80: P0A80. */
	evgw_dtc_describe_obd(t, 0x0A80, out, sizeof out);
	assert_string_equal(out, "P0A80: Traction battery pack worn out: replacement needed");
	evgw_dtc_describe_uds(t, 0x0A8000, out, sizeof out);
	assert_string_equal(out, "P0A80-00: Traction battery pack worn out: replacement needed (failure type 0x00)");
	/* UDS 0x1A0A00: P1A0A, failure type 00, in no table. */
	evgw_dtc_describe_uds(t, 0x1A0A00, out, sizeof out);
	assert_string_equal(out, "P1A0A-00: powertrain, manufacturer-specific, failure type 0x00; no text known");
	/* BYD's table (byd_dtc.tsv): with the failure type as listed. */
	evgw_dtc_describe_uds(t, 0x1A0000, out, sizeof out);
	assert_string_equal(out, "P1A00-00: High-voltage insulation leak, severe");
	evgw_dtc_describe_uds(t, 0x1A3522, out, sizeof out);
	assert_string_equal(out, "P1A35-22: Traction battery cell voltage: far too high");
	evgw_dtc_describe_uds(t, 0x1A1500, out, sizeof out);
	assert_string_equal(out, "P1A15-00: Battery information collector (BIC) 10: cell voltage measurement faulty");
	evgw_dtc_describe_obd(NULL, 0x4123, out, sizeof out);
	assert_string_equal(out, "C0123: chassis; no text known");
	/* A vehicle table wins, with or without the failure type. */
	static const char codes[] = "# shop table\nP1A0100\tBMS example text\tbench\nU0100\tlost communication (shop)\n";
	char err[128];
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", codes, sizeof codes - 1, "shop.tsv", err, sizeof err), 0);
	evgw_dtc_describe_uds(t, 0x1A0100, out, sizeof out);
	assert_string_equal(out, "P1A01-00: BMS example text");
	evgw_dtc_describe_uds(t, 0xC10087, out, sizeof out);
	assert_string_equal(out, "U0100-87: lost communication (shop) (failure type 0x87)");
	evgw_dtc_describe_obd(t, 0xC100, out, sizeof out);
	assert_string_equal(out, "U0100: lost communication (shop)");
	evgw_dtc_text_free(t);
}

static void test_status(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[300];
	evgw_dtc_describe_status(t, 0x09, out, sizeof out);
	assert_string_equal(out, "testFailed, confirmedDTC");
	evgw_dtc_describe_status(t, 0x00, out, sizeof out);
	assert_string_equal(out, "no status bit set");
	evgw_dtc_describe_status(NULL, 0x84, out, sizeof out);
	assert_string_equal(out, "pendingDTC, warningIndicatorRequested");
	/* A small buffer is cut, never left unterminated. */
	char small[8];
	evgw_dtc_describe_status(t, 0xFF, small, sizeof small);
	assert_int_equal(strlen(small), 7);
	evgw_dtc_text_free(t);
}

static void test_table_errors(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = evgw_dtc_text_new();
	char err[128];
	static const char a[] = "# c\n0\tok\n32\ttoo big\n";
	assert_int_equal(evgw_dtc_text_add_buffer(t, "fmi", a, sizeof a - 1, "f.tsv", err, sizeof err), -EINVAL);
	assert_string_equal(err, "f.tsv:3: key must be a number from 0 to 31");
	static const char b[] = "P0100 no tab\n";
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", b, sizeof b - 1, "c.tsv", err, sizeof err), -EINVAL);
	assert_string_equal(err, "c.tsv:1: expected KEY<TAB>TEXT");
	static const char d[] = "P0100\tok\nP0101\t\xC3\x28\n";
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", d, sizeof d - 1, "u.tsv", err, sizeof err), -EINVAL);
	assert_string_equal(err, "u.tsv:2: control byte or bad UTF-8 in the line");
	static const char *const not_utf8[] = {"P0100\t\xC0\xAF\n", "P0100\t\xED\xA0\x80\n", "P0100\t\xF4\x90\x80\x80\n",
					       "P0100\tcut \xD0\n", "P0100\tdel\x7F\n"};
	for (size_t i = 0; i < sizeof not_utf8 / sizeof not_utf8[0]; i++)
		assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", not_utf8[i], strlen(not_utf8[i]), "u.tsv", err,
							  sizeof err),
				 -EINVAL);
	assert_int_equal(evgw_dtc_text_add_buffer_lang(t, "de", "codes", d, 6, "u.tsv", err, sizeof err), -EINVAL);
	static const char c[] = "\n\nP0100\t\n";
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", c, sizeof c - 1, "c.tsv", err, sizeof err), -EINVAL);
	assert_string_equal(err, "c.tsv:3: empty text");
	assert_int_equal(evgw_dtc_text_add_buffer(t, "colours", c, 0, "x", err, sizeof err), -EINVAL);
	struct evgw_dtc_text *u = NULL;
	assert_int_equal(evgw_dtc_text_load("/nonexistent", &u, err, sizeof err), -ENOENT);
	assert_null(u);
	evgw_dtc_text_free(t);
}

/* Every one of the 32 FMIs has a text in the shipped table. */
static void test_all_fmis(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	for (unsigned fmi = 0; fmi < 32; fmi++) {
		char out[200];
		evgw_dtc_describe_j1939(t, 84, fmi, out, sizeof out);
		assert_null(strstr(out, ": FMI "));
	}
	evgw_dtc_text_free(t);
}

/* The Russian tables; the words evgw adds in Russian; English where a
 * Russian text is missing; an unknown language is English. */
static void test_russian(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[600];
	evgw_dtc_describe_obd_lang(t, "ru", 0x0A80, out, sizeof out);
	assert_string_equal(out, "P0A80: Тяговая батарея изношена: требуется замена");
	evgw_dtc_describe_obd_lang(t, "ru", 0xC100, out, sizeof out);
	assert_string_equal(out, "U0100: Нет связи: блок управления двигателем/силовой установкой (ECM/PCM) A");
	evgw_dtc_describe_obd_lang(t, "ru", 0x0301, out, sizeof out);
	assert_string_equal(out, "P0301: силовая установка, общий код (SAE), система зажигания или пропуски "
				 "воспламенения; текст неизвестен");
	evgw_dtc_describe_uds_lang(t, "ru", 0x0A8000, out, sizeof out);
	assert_string_equal(out, "P0A80-00: Тяговая батарея изношена: требуется замена (тип отказа 0x00)");
	evgw_dtc_describe_uds_lang(t, "ru", 0x1A0A00, out, sizeof out);
	assert_string_equal(out, "P1A0A-00: силовая установка, код производителя, тип отказа 0x00; текст неизвестен");
	evgw_dtc_describe_uds_lang(t, "ru", 0x1A0000, out, sizeof out);
	assert_string_equal(out, "P1A00-00: Утечка изоляции высокого напряжения, серьёзная");
	evgw_dtc_describe_uds_lang(NULL, "ru", 0x1A0100, out, sizeof out);
	assert_string_equal(out, "P1A01-00: силовая установка, тип отказа 0x00; текст неизвестен");
	evgw_dtc_describe_j1939_lang(t, "ru", 190, 2, out, sizeof out);
	assert_string_equal(out, "Частота вращения двигателя (тягового электродвигателя у электробуса): данные "
				 "неустойчивы, пропадают или неверны");
	evgw_dtc_describe_j1939_lang(t, "ru", 524000, 31, out, sizeof out);
	assert_string_equal(out, "SPN 524000 (код производителя): условие выполняется");
	evgw_dtc_describe_status_lang(t, "ru", 0x09, out, sizeof out);
	assert_string_equal(out, "тест не пройден, подтверждённый");
	evgw_dtc_describe_status_lang(t, "ru", 0x00, out, sizeof out);
	assert_string_equal(out, "ни один бит статуса не установлен");
	/* Unknown or no language: English. */
	assert_true(evgw_dtc_lang_known("ru"));
	assert_true(evgw_dtc_lang_known("en"));
	assert_true(evgw_dtc_lang_known(NULL));
	assert_false(evgw_dtc_lang_known("de"));
	evgw_dtc_describe_obd_lang(t, "de", 0x0A80, out, sizeof out);
	assert_string_equal(out, "P0A80: Traction battery pack worn out: replacement needed");
	evgw_dtc_describe_status_lang(t, NULL, 0x00, out, sizeof out);
	assert_string_equal(out, "no status bit set");
	/* A code with only an English text is given in English. */
	static const char shop[] = "P1A0A00\tBMS example text\tbench\n";
	char err[128];
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", shop, sizeof shop - 1, "shop.tsv", err, sizeof err), 0);
	evgw_dtc_describe_uds_lang(t, "ru", 0x1A0A00, out, sizeof out);
	assert_string_equal(out, "P1A0A-00: BMS example text");
	static const char shop_ru[] = "P1A0A00\tпример текста BMS\tbench\n";
	assert_int_equal(
		evgw_dtc_text_add_buffer_lang(t, "ru", "codes", shop_ru, sizeof shop_ru - 1, "ru/shop.tsv", err, sizeof err),
		0);
	evgw_dtc_describe_uds_lang(t, "ru", 0x1A0A00, out, sizeof out);
	assert_string_equal(out, "P1A0A-00: пример текста BMS");
	evgw_dtc_describe_uds(t, 0x1A0A00, out, sizeof out);
	assert_string_equal(out, "P1A0A-00: BMS example text");
	evgw_dtc_text_free(t);
}

/* A text is cut between characters, never inside one. */
static void test_utf8_cut(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[16];
	/* "P0A80: " is 7 bytes, "Т" 2: with 9 bytes of room, 8 are text. */
	assert_int_equal(evgw_dtc_describe_obd_lang(t, "ru", 0x0A80, out, 9), 7);
	assert_string_equal(out, "P0A80: ");
	assert_int_equal(evgw_dtc_describe_obd_lang(t, "ru", 0x0A80, out, 10), 9);
	assert_string_equal(out, "P0A80: Т");
	/* "тест не пройден": 4 bytes of room hold "т" (2), not half of "е". */
	assert_int_equal(evgw_dtc_describe_status_lang(t, "ru", 0x01, out, 4), 2);
	assert_string_equal(out, "т");
	evgw_dtc_text_free(t);
}

/* A vehicle table's Russian texts come from ru/<name> beside it. */
static void test_codes_file_with_translation(void **state)
{
	(void)state;
	char dir[] = "/tmp/evgw-dtc-XXXXXX", path[PATH_MAX], ru[PATH_MAX], err[256] = "";
	assert_non_null(mkdtemp(dir));
	snprintf(ru, sizeof ru, "%s/ru", dir);
	assert_int_equal(mkdir(ru, 0700), 0);
	snprintf(path, sizeof path, "%s/ru/v.tsv", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("# перевод\nP1A0000\tутечка изоляции (пример)\tx\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/v.tsv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("P1A0000\tinsulation leak (example)\tx\n", f);
	fclose(f);
	struct evgw_dtc_text *t = evgw_dtc_text_new();
	assert_int_equal(evgw_dtc_text_add_codes(t, path, err, sizeof err), 0);
	char out[200];
	evgw_dtc_describe_uds_lang(t, "ru", 0x1A0000, out, sizeof out);
	assert_string_equal(out, "P1A00-00: утечка изоляции (пример)");
	evgw_dtc_describe_uds(t, 0x1A0000, out, sizeof out);
	assert_string_equal(out, "P1A00-00: insulation leak (example)");
	evgw_dtc_text_free(t);
	/* Without the translation, English only; a broken one is an error. */
	snprintf(path, sizeof path, "%s/ru/v.tsv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("P1A0000 no tab\n", f);
	fclose(f);
	t = evgw_dtc_text_new();
	snprintf(path, sizeof path, "%s/v.tsv", dir);
	assert_int_equal(evgw_dtc_text_add_codes(t, path, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "/ru/v.tsv:1: expected KEY<TAB>TEXT"));
	evgw_dtc_text_free(t);
	snprintf(ru, sizeof ru, "%s/ru/v.tsv", dir);
	assert_int_equal(unlink(ru), 0);
	t = evgw_dtc_text_new();
	assert_int_equal(evgw_dtc_text_add_codes(t, path, err, sizeof err), 0);
	evgw_dtc_describe_uds_lang(t, "ru", 0x1A0000, out, sizeof out);
	assert_string_equal(out, "P1A00-00: insulation leak (example)");
	assert_int_equal(evgw_dtc_text_add_codes_lang(t, "ru", path, err, sizeof err), 0);
	assert_int_equal(evgw_dtc_text_add_codes_lang(t, "xx", path, err, sizeof err), -EINVAL);
	evgw_dtc_text_free(t);
	assert_int_equal(unlink(path), 0);
	snprintf(ru, sizeof ru, "%s/ru", dir);
	assert_int_equal(rmdir(ru), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_j1939),
		cmocka_unit_test(test_obd_and_uds),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_table_errors),
		cmocka_unit_test(test_all_fmis),
		cmocka_unit_test(test_russian),
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_codes_file_with_translation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
