// SPDX-License-Identifier: MIT
/* A gettext catalog (.mo, as msgfmt writes it) as one JSON object,
 * {"English text":"translation",...}, for the page's script: the browser
 * picks its language per request, which the process-wide locale of
 * gettext(3) cannot do, so the catalog is read here. The file is checked
 * as hostile input (every offset and length against its size). */
#ifndef EVGW_WEB_MO_H
#define EVGW_WEB_MO_H

#include <stddef.h>

#include "util/textbuf.h"

/* The catalog in data[0..len) appended to out as a JSON object. 0, or
 * -EINVAL with why in err ("offset 28: ..."). The header entry (empty
 * msgid) is left out; a plural entry gives its singular forms. */
int web_mo_json(const unsigned char *data, size_t len, struct evgw_textbuf *out, char *err, size_t errlen);

/* Read path (at most 4 MiB) and convert it: 0 or negative errno. */
int web_mo_file_json(const char *path, struct evgw_textbuf *out, char *err, size_t errlen);

#endif
