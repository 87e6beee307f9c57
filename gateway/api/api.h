// SPDX-License-Identifier: MIT
/* The socket API: JSON Lines over a Unix stream socket (PROTOCOL.md).
 *
 * Every client-controlled resource is bounded: request line length, clients
 * in all and per uid, output buffered per client, subscriptions per client.
 * A client that stops reading is skipped (frame and signal events, with
 * the number skipped in its next event) and cut off when even replies no longer
 * fit; it never slows the loop or grows memory. */
#ifndef EVGW_API_API_H
#define EVGW_API_API_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "daemon/events.h"
#include "util/textbuf.h"

#define EVGW_API_PROTOCOL 1
#define EVGW_API_MAX_LINE 65536          /* bytes in one request line */
#define EVGW_API_OUT_SOFT (1u << 20)     /* above this, events are skipped */
#define EVGW_API_OUT_HARD (8u << 20)     /* above this, the client is dropped */
#define EVGW_API_MAX_SUBS 16             /* subscriptions per client */

struct evgw_daemon;
struct evgw_api;
struct evgw_client;

/* Listen on cfg's socket path: detect a live instance (-EADDRINUSE),
 * replace a stale socket, bind under umask 0117, chmod 0660, chgrp to
 * socket_group. err gets a sentence for the log. */
int evgw_api_open(struct evgw_daemon *d, struct evgw_api **out, char *err, size_t errlen);
/* Close every client and the socket, and remove the socket file. */
void evgw_api_close(struct evgw_api *api);

/* The API as an observer of the daemon's events (bus states, faults,
 * buses rebuilt): main.c registers it with evgw_daemon_observe. */
struct evgw_daemon_observer evgw_api_observer(struct evgw_api *api);

unsigned evgw_api_client_count(const struct evgw_api *api);
const char *evgw_api_socket_path(const struct evgw_api *api);

#endif
