// SPDX-License-Identifier: MIT
/* The page's API under /api/: reads forwarded to evgwd (its reply passed
 * on as it is), and the requests that change something (POST, with the
 * CSRF token echoed in X-CSRF-Token; clearing DTCs and recordings only
 * after a login). */
#ifndef EVGW_WEB_API_H
#define EVGW_WEB_API_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "web/web_server.h"

enum MHD_Result web_api(struct web_server *s, struct MHD_Connection *c, const char *what, bool post,
			const char *body, size_t len);

/* False when the browser says another site's page made the request. */
bool web_same_site(struct MHD_Connection *c);

/* Responses with the security headers (Content-Security-Policy ...). */
enum MHD_Result web_reply(struct MHD_Connection *c, unsigned status, const char *type, const char *body,
			  size_t len, const char *cookie);
enum MHD_Result web_error(struct MHD_Connection *c, unsigned status, const char *code, const char *message);

#endif
