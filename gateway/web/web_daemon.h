// SPDX-License-Identifier: MIT
/* evgw-web as a client of evgwd's socket: finding it (the same places and
 * the same trust rules as evgw: a socket in a directory of root's, evgw's
 * or ours that nobody else may write, with root, evgw or us listening),
 * and JSON lines both ways with deadlines. */
#ifndef EVGW_WEB_DAEMON_H
#define EVGW_WEB_DAEMON_H

#include <stddef.h>

struct web_conn {
	int fd;
	char *buf;
	size_t len, cap, used; /* used: bytes of the line last returned */
};

/* Connect to path (NULL or "": $EVGW_SOCKET, else this user's daemon, else
 * /run/evgw/evgw.sock). 0, or negative errno with why in err. */
int web_conn_open(struct web_conn *c, const char *path, char *err, size_t errlen);
void web_conn_close(struct web_conn *c);
/* Send one line (a '\n' is added). 0 or negative errno. */
int web_conn_send(struct web_conn *c, const char *line, size_t len);
/* The next line (NUL-terminated, without '\n'), waiting at most
 * timeout_ms (-1: forever): 1, 0 on timeout, -EPIPE when the daemon
 * closed, -E2BIG past 64 MiB, or another negative errno. Valid until the
 * next call. */
int web_conn_line(struct web_conn *c, int timeout_ms, char **line, size_t *len);

/* One request, one reply: connect, send, and wait for the reply line
 * (events cannot come: nothing is subscribed). *reply is malloc'd. */
int web_daemon_request(const char *path, const char *line, size_t len, int timeout_ms, char **reply,
		       size_t *reply_len, char *err, size_t errlen);

#endif
