// SPDX-License-Identifier: MIT
/* Inputs the fuzzer found that once crashed or tripped a sanitizer; each
 * must now load (or fail cleanly) under ASan/UBSan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"

static struct dbc_db *load(const char *text)
{
	struct dbc_load_opts opts = {false, NULL, NULL};
	struct dbc_db *db = NULL;
	/* The exact length: nothing after the text may be read. */
	assert_int_equal(dbc_load_buffer(text, strlen(text), "regression.dbc", &opts, &db), 0);
	return db;
}

/* "CM_" as the last bytes: the target check read one byte past the end. */
static void test_cm_at_eof(void **state)
{
	(void)state;
	const char *inputs[] = {"CM_", "CM_ ", "BA_DEF_", "BA_ \"x\"", "BO_ 1 M: 8 X\n SG_ S"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		dbc_free(load(inputs[i]));
}

/* An empty value list sorted a NULL array. */
static void test_empty_value_table(void **state)
{
	(void)state;
	struct dbc_db *db = load("VAL_TABLE_ Empty ;\n");
	assert_int_equal(db->n_val_tables, 1);
	assert_int_equal(db->val_tables->count, 0);
	dbc_free(db);
}

/* A Motorola signal whose bits run past 64 bytes: extracting it read past
 * the frame data. It is never present, and extracting gives 0. */
static void test_signal_past_64_bytes(void **state)
{
	(void)state;
	/* Motorola start 504 (byte 63, bit 0) with 16 bits continues into byte 64. */
	struct dbc_db *db = load("BO_ 1 M: 64 X\n SG_ Far : 504|16@0+ (1,0) [0|0] \"\" X\n");
	const struct dbc_signal *s = &db->messages[0]->signals[0];
	uint8_t data[EVGW_CANFD_MAX_DLEN];
	memset(data, 0xFF, sizeof data);
	assert_int_equal(dbc_extract_raw(s, data), 0);
	struct evgw_frame f;
	memset(&f, 0xFF, sizeof f);
	f.id = 1;
	f.flags = 0;
	f.len = 64;
	struct dbc_value v[1];
	assert_int_equal(dbc_decode(db->messages[0], &f, v), 0);
	dbc_free(db);
}

/* A VAL_ number too large for int64 was cast (undefined behaviour). */
static void test_huge_value_description(void **state)
{
	(void)state;
	struct dbc_db *db = load("VAL_TABLE_ T 1e300 \"big\" 2 \"two\" ;\nVAL_TABLE_ U 3 \"three\" ;\n");
	assert_int_equal(db->n_val_tables, 1); /* T failed, U loaded */
	dbc_free(db);
}

/* A message without signals decoded from a NULL array. */
static void test_message_without_signals(void **state)
{
	(void)state;
	struct dbc_db *db = load("BO_ 5 Empty: 8 X\n");
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = 5;
	f.len = 8;
	struct dbc_value v[1];
	assert_ptr_equal(dbc_lookup(db, &f, NULL), db->messages[0]);
	assert_int_equal(dbc_decode(db->messages[0], &f, v), 0);
	dbc_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cm_at_eof),
		cmocka_unit_test(test_empty_value_table),
		cmocka_unit_test(test_signal_past_64_bytes),
		cmocka_unit_test(test_huge_value_description),
		cmocka_unit_test(test_message_without_signals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
