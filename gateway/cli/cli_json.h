// SPDX-License-Identifier: MIT
/* Reading the daemon's replies: a field that is missing, null or of
 * another type reads as absent, never as a crash or a made-up zero. */
#ifndef EVGW_CLI_CLI_JSON_H
#define EVGW_CLI_CLI_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The member, or NULL when absent or null. */
json_object *cli_jget(json_object *o, const char *key);
/* The member's text as the daemon wrote it (numbers with their own
 * digits: 84.8 stays 84.8), or NULL when absent or null. */
const char *cli_jtext(json_object *o, const char *key);
/* The string member, or NULL (also when it is not a string). */
const char *cli_jstr(json_object *o, const char *key);
/* A number member; false when absent or not a number. */
bool cli_jint(json_object *o, const char *key, int64_t *out);
bool cli_jnum(json_object *o, const char *key, double *out);
/* true only for a JSON true. */
bool cli_jtrue(json_object *o, const char *key);
/* The array member (length 0 when absent or not an array). */
json_object *cli_jarray(json_object *o, const char *key, size_t *len);
size_t cli_jlen(json_object *array);

/* One line of JSON for scripts: compact, '/' not escaped. */
void cli_json_print(FILE *out, json_object *o);

#endif
