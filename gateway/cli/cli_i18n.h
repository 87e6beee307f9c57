// SPDX-License-Identifier: MIT
/* The CLI's words in the mechanic's language: gettext(3) with the domain
 * "evgw", whose Russian catalog (po/ru.po) evgw-web shares. */
#ifndef EVGW_CLI_CLI_I18N_H
#define EVGW_CLI_CLI_I18N_H

#include <libintl.h>
#include <stddef.h>

#define _(s) gettext(s)
/* A text translated where it is printed, not where it is written. */
#define N_(s) (s)

/* A text whose meaning hangs on where it is (pgettext): "cleared" of
 * an ECU's answer is not "cleared" of a fault. */
#define P_(ctx, s) cli_pgettext(ctx "\004" s, s)
const char *cli_pgettext(const char *key, const char *s);
/* A text with a context, translated where it is printed (table heads:
 * cli_table looks them up as "column"). */
#define NC_(ctx, s) (s)
/* s (marked NC_(ctx, s)) translated in the context ctx, or s. */
const char *cli_in_context(const char *ctx, const char *s);
/* A table's column head in the mechanic's language. */
const char *cli_column_head(const char *head);

/* A word the daemon sends (a fault's status, a severity) in the
 * mechanic's language; NULL stays NULL. */
const char *cli_word(const char *s);
/* A bus's state (evgw_bus_state_name) in the mechanic's language. */
const char *cli_bus_word(const char *s);

/* A fault's warning lamps ("red stop, amber warning (fast flash)", the
 * daemon's words) in the mechanic's language, into out; a word it does not
 * know stays as sent. Returns out (NULL stays NULL). */
const char *cli_lamp_words(const char *lamps, char *out, size_t cap);

/* A sentence the daemon made, in the mechanic's language: `text` is its
 * template form ({"text":TEMPLATE,"args":[...]}, util/text_template.h),
 * translated through the catalog (a template it lacks stays English);
 * without one (an older daemon) the English as sent. Into out; returns
 * out, or english (NULL stays NULL). */
struct json_object;
const char *cli_daemon_text(struct json_object *text, const char *english, char *out, size_t cap);

/* Texts in lang ("en" or "ru", as cli_lang decides): the catalog is
 * chosen from lang, not from an installed system locale, which a bench
 * unit often lacks. English: nothing to load. */
void cli_i18n_init(const char *lang);

#endif
