// SPDX-License-Identifier: MIT
/* A socketcand server inside evgwd ([socketcand] in evgw.conf): every
 * evgw bus, USB-driven ones included, is a socketcand bus that
 * python-can's "socketcand" interface, SavvyCAN or Kayak open by name and
 * read in raw mode. A consumer of the daemon's frames like the socket
 * API's "frames" subscription, on a TCP listener of its own in the
 * daemon's loop (docs/socketcand.md).
 *
 * Bounded: at most max_clients connections (more are greeted with an
 * error and closed), client_buffer bytes of frames queued per client; a
 * client that does not read loses frames, counted, and never holds the
 * daemon up. Sending (< send >) only when allow_send is set and only on a
 * bus in diagnostic mode. The beacon (UDP CANBeacon XML on port 42000)
 * only when asked for. */
#ifndef EVGW_SOCKETCAND_SERVER_H
#define EVGW_SOCKETCAND_SERVER_H

#include <stddef.h>

#include "daemon/events.h"

struct evgw_daemon;
struct evgw_sc_server;

/* Listen as d->cfg.socketcand says. 0, or a negative errno with err. */
int evgw_sc_open(struct evgw_daemon *d, struct evgw_sc_server **out, char *err, size_t errlen);
/* Its observer: buses rebuilt (reload), its state for status. */
struct evgw_daemon_observer evgw_sc_observer(struct evgw_sc_server *s);
/* The port listened on (the configured one, or the kernel's choice for 0). */
unsigned evgw_sc_port(const struct evgw_sc_server *s);
/* Closes every client and the listener; NULL is fine. */
void evgw_sc_close(struct evgw_sc_server *s);

#endif
