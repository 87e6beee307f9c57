// SPDX-License-Identifier: MIT
/* A sentence the daemon makes for people, twice: in English (what the API
 * has always sent, for scripts and English readers) and as the template it
 * came from with its arguments, {"text":TEMPLATE,"args":[...]}, so that a
 * client can say it in the mechanic's language: TEMPLATE is an English
 * msgid of the shared catalog (po/ru.po, marked N_ where it is written)
 * with {0} ... {9} where the arguments go; an argument is a value put in as
 * it is (a number, a name) or a sentence of its own, translated first.
 * Filling the template's places with the English of its arguments gives
 * the English exactly (gateway/api/PROTOCOL.md, "Texts for people"). */
#ifndef EVGW_UTIL_TEXT_TEMPLATE_H
#define EVGW_UTIL_TEXT_TEMPLATE_H

#include <stddef.h>

/* A text for the catalog, translated by the client that shows it. */
#ifndef N_
#define N_(s) (s)
#endif

#define EVGW_TEXT_MAX 1600

struct evgw_text {
	char en[EVGW_TEXT_MAX];	   /* the sentence in English */
	char json[2 * EVGW_TEXT_MAX]; /* {"text":...,"args":[...]}; "" when it did not fit */
};

/* One argument: a value as it is, or a sentence (translated on its own). */
struct evgw_text_arg {
	const char *value;
	const struct evgw_text *text;
};
#define EVGW_TEXT_VALUE(s) ((struct evgw_text_arg){.value = (s), .text = NULL})
#define EVGW_TEXT_OF(t) ((struct evgw_text_arg){.value = NULL, .text = (t)})

/* t from tpl and its n arguments. A place with no argument stays as
 * written. The English is cut at EVGW_TEXT_MAX - 1 bytes like snprintf;
 * a template form that does not fit leaves json "" (then a client shows
 * the English). */
void evgw_text_make(struct evgw_text *t, const char *tpl, unsigned n, const struct evgw_text_arg *args);

#endif
