// SPDX-License-Identifier: MIT
/* Fixed buffers and no allocation: the battery reading and the charging
 * reply make these while they render, and a cut sentence is still valid. */
#include "util/text_template.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *p;
	size_t cap, len;
	bool cut;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n >= o->cap) {
		n = o->cap - 1 - o->len;
		o->cut = true;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void put_json_string(struct out *o, const char *s)
{
	put(o, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(o, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			put(o, esc, 6);
		} else {
			put(o, s, 1);
		}
	}
	put(o, "\"", 1);
}

void evgw_text_make(struct evgw_text *t, const char *tpl, unsigned n, const struct evgw_text_arg *args)
{
	struct out en = {t->en, sizeof t->en, 0, false}, js = {t->json, sizeof t->json, 0, false};
	t->en[0] = t->json[0] = '\0';
	for (const char *p = tpl; *p;) {
		if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}' && (unsigned)(p[1] - '0') < n) {
			const struct evgw_text_arg *a = &args[p[1] - '0'];
			const char *s = a->text ? a->text->en : a->value ? a->value : "";
			put(&en, s, strlen(s));
			p += 3;
			continue;
		}
		size_t k = strcspn(p + 1, "{") + 1;
		put(&en, p, k);
		p += k;
	}
	put(&js, "{\"text\":", 8);
	put_json_string(&js, tpl);
	put(&js, ",\"args\":[", 9);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			put(&js, ",", 1);
		if (args[i].text && args[i].text->json[0])
			put(&js, args[i].text->json, strlen(args[i].text->json));
		else if (args[i].text) /* its template did not fit: its English, as a value */
			put_json_string(&js, args[i].text->en);
		else
			put_json_string(&js, args[i].value ? args[i].value : "");
	}
	put(&js, "]}", 2);
	if (js.cut)
		t->json[0] = '\0';
}
