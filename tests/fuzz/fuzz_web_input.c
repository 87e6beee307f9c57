// SPDX-License-Identifier: MIT
/* libFuzzer target: evgw-web's readers of outside bytes. The first byte
 * picks one: a gettext catalog (.mo: every offset and length from the
 * file), an Accept-Language header, a [web] configuration, an ADDR:PORT.
 * Each either succeeds with valid output (the catalog's JSON is UTF-8 of
 * well-formed UTF-8 input and always balanced braces; the language one of
 * ours) or fails cleanly with a message. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/textbuf.h"
#include "web/web_config.h"
#include "web/web_mo.h"
#include "web/web_server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0] % 4;
	data++;
	size--;
	char err[300];
	if (pick == 0) {
		struct evgw_textbuf tb;
		evgw_textbuf_init(&tb);
		int r = web_mo_json(data, size, &tb, err, sizeof err);
		if (r == 0 && (!tb.buf || tb.buf[0] != '{' || tb.buf[tb.len - 1] != '}'))
			abort();
		if (r == 0 && !evgw_utf8_valid(tb.buf, tb.len))
			abort(); /* invalid input bytes are read as Windows-1252, never passed on */
		if (r < 0 && r != -EINVAL && r != -ENOMEM)
			abort();
		if (r == -EINVAL && !strstr(err, "offset "))
			abort();
		evgw_textbuf_free(&tb);
		return 0;
	}
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (pick == 1) {
		const char *l = web_pick_lang(s);
		if (strcmp(l, "en") && strcmp(l, "ru"))
			abort();
	} else if (pick == 2) {
		char path[] = "/tmp/evgw-fuzz-web-XXXXXX";
		int fd = mkstemp(path);
		if (fd >= 0) {
			if (write(fd, data, size) == (ssize_t)size) {
				struct web_config c;
				web_config_defaults(&c);
				int r = web_config_load(&c, path, err, sizeof err);
				if (r < 0 && !strstr(err, path))
					abort(); /* every error names the file */
				if (r == 0 && (c.max_connections < 8 || c.idle_timeout < 1))
					abort();
			}
			close(fd);
			unlink(path);
		}
	} else {
		char host[128];
		unsigned port;
		if (web_config_listen(s, host, sizeof host, &port) == 0 && (port > 65535 || !host[0]))
			abort();
	}
	free(s);
	return 0;
}
