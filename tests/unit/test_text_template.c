// SPDX-License-Identifier: MIT
/* A daemon sentence in English and as its template (util/text_template.h):
 * the English is the template filled with the arguments' English, the
 * template form is JSON (checked by json-c, an independent parser) with
 * the values escaped, a sentence argument nested, and a form too long to
 * fit left out. Expected texts written out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <string.h>

#include "util/text_template.h"

static void test_values_and_nested(void **state)
{
	(void)state;
	struct evgw_text inner, t;
	evgw_text_make(&inner, "bytes {0}-{1}", 2, (const struct evgw_text_arg[]){EVGW_TEXT_VALUE("2"), EVGW_TEXT_VALUE("3")});
	assert_string_equal(inner.en, "bytes 2-3");
	assert_string_equal(inner.json, "{\"text\":\"bytes {0}-{1}\",\"args\":[\"2\",\"3\"]}");
	/* Places out of order, one twice, a quote and a backslash in a value,
	 * a place with no argument ({7}) and a brace that is no place. */
	evgw_text_make(&t, "DID 0x{0} {1} of ECU {2}; {0} again {7} {x}", 3,
		       (const struct evgw_text_arg[]){EVGW_TEXT_VALUE("1FFC"), EVGW_TEXT_OF(&inner),
						      EVGW_TEXT_VALUE("b\"m\\s")});
	assert_string_equal(t.en, "DID 0x1FFC bytes 2-3 of ECU b\"m\\s; 1FFC again {7} {x}");
	json_object *o = json_tokener_parse(t.json);
	assert_non_null(o);
	json_object *text, *args;
	assert_true(json_object_object_get_ex(o, "text", &text));
	assert_string_equal(json_object_get_string(text), "DID 0x{0} {1} of ECU {2}; {0} again {7} {x}");
	assert_true(json_object_object_get_ex(o, "args", &args));
	assert_int_equal(json_object_array_length(args), 3);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(args, 0)), "1FFC");
	json_object *nested = json_object_array_get_idx(args, 1), *ntext;
	assert_true(json_object_object_get_ex(nested, "text", &ntext));
	assert_string_equal(json_object_get_string(ntext), "bytes {0}-{1}");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(args, 2)), "b\"m\\s");
	json_object_put(o);
	/* No arguments: the template is the sentence. */
	evgw_text_make(&t, "none named", 0, NULL);
	assert_string_equal(t.en, "none named");
	assert_string_equal(t.json, "{\"text\":\"none named\",\"args\":[]}");
}

static void test_too_long(void **state)
{
	(void)state;
	static char big[2 * EVGW_TEXT_MAX + 100]; /* more than either form holds */
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	/* A control character is escaped as \u00XX (6 bytes). */
	struct evgw_text t;
	evgw_text_make(&t, "x{0}y", 1, (const struct evgw_text_arg[]){EVGW_TEXT_VALUE("\t")});
	assert_string_equal(t.json, "{\"text\":\"x{0}y\",\"args\":[\"\\u0009\"]}");
	/* The English cut like snprintf's; the template form left out. */
	evgw_text_make(&t, "{0}", 1, (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(big)});
	assert_int_equal(strlen(t.en), EVGW_TEXT_MAX - 1);
	assert_string_equal(t.json, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_nested),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
