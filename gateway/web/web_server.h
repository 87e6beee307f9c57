// SPDX-License-Identifier: MIT
/* The HTTP side of evgw-web (libmicrohttpd): the page's files, the API
 * that forwards to evgwd, the event stream, logins. One thread per
 * connection: an event stream waits on the hub and a request that asks
 * ECUs waits seconds for the vehicle, without holding up anyone else;
 * connections, streams and request sizes are bounded. */
#ifndef EVGW_WEB_SERVER_H
#define EVGW_WEB_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "web/web_auth.h"
#include "web/web_config.h"
#include "web/web_hub.h"

#define WEB_MAX_BODY 8192 /* a POST body, bytes */
#define WEB_MAX_HEADERS (16 * 1024) /* a request's line and headers, bytes */

struct web_file {
	const char *url;
	const char *type;
	char *data;
	size_t len;
};

#define WEB_LANGS 2 /* en (the texts themselves), ru */

struct web_server {
	const struct web_config *cfg;
	struct web_hub *hub;
	struct web_auth *auth;
	struct web_file files[8];
	unsigned n_files;
	char *catalog[WEB_LANGS]; /* JSON objects, "{}" for English */
	struct MHD_Daemon *mhd;
};

/* Load the page's files and catalogs. 0, or negative errno with err. */
int web_server_load(struct web_server *s, char *err, size_t errlen);
/* Listen on cfg->listen. 0, or negative errno with err. */
int web_server_start(struct web_server *s, char *err, size_t errlen);
void web_server_stop(struct web_server *s);
void web_server_free(struct web_server *s);

/* "en" or "ru" from an Accept-Language header (NULL: "en"): the listed
 * language with the highest q among those, the first on a tie. */
const char *web_pick_lang(const char *accept_language);

#endif
