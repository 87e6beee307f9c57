// SPDX-License-Identifier: MIT
/* The connection to evgwd: finding its socket, saying plainly why it
 * cannot be reached, and JSON lines both ways. */
#ifndef EVGW_CLI_CLI_CONNECT_H
#define EVGW_CLI_CLI_CONNECT_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

struct cli_conn {
	int fd;
	char *buf;
	size_t len, cap;
	char *path;
	int64_t next_id;
};

/* --socket, else $EVGW_SOCKET, else this user's daemon, else the system's.
 * Returns 0, or CLI_NO_DAEMON after one line on stderr saying why and what
 * to do (start the daemon, join its group, fix the path). */
int cli_conn_open(struct cli_conn *c, const char *opt_socket);
void cli_conn_close(struct cli_conn *c);

/* Send req (an "id" is added) and return the reply to it, skipping events
 * that come first; NULL, with a message, when the daemon went away. */
json_object *cli_conn_request(struct cli_conn *c, json_object *req);

/* The next line from the daemon (NUL-terminated, without '\n'), or NULL
 * when it closed the connection; valid until cli_conn_consume. */
char *cli_conn_line(struct cli_conn *c);
void cli_conn_consume(struct cli_conn *c);
/* Whether a whole line is already buffered (poll would not see it). */
int cli_conn_has_line(const struct cli_conn *c);

#endif
