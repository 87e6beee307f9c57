// SPDX-License-Identifier: MIT
#include <string.h>

#include "cli/cli_json.h"

json_object *cli_jget(json_object *o, const char *key)
{
	json_object *v;
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

const char *cli_jtext(json_object *o, const char *key)
{
	json_object *v = cli_jget(o, key);
	return v ? json_object_get_string(v) : NULL;
}

const char *cli_jstr(json_object *o, const char *key)
{
	json_object *v = cli_jget(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

bool cli_jint(json_object *o, const char *key, int64_t *out)
{
	json_object *v = cli_jget(o, key);
	if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

bool cli_jnum(json_object *o, const char *key, double *out)
{
	json_object *v = cli_jget(o, key);
	if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

bool cli_jtrue(json_object *o, const char *key)
{
	json_object *v = cli_jget(o, key);
	return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

size_t cli_jlen(json_object *array)
{
	return array && json_object_is_type(array, json_type_array) ? json_object_array_length(array) : 0;
}

json_object *cli_jarray(json_object *o, const char *key, size_t *len)
{
	json_object *v = cli_jget(o, key);
	if (v && !json_object_is_type(v, json_type_array))
		v = NULL;
	if (len)
		*len = cli_jlen(v);
	return v;
}

void cli_json_print(FILE *out, json_object *o)
{
	fputs(o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
		: "null",
	      out);
	fputc('\n', out);
}
