// SPDX-License-Identifier: MIT
/* The one long-lived connection to evgwd: subscribed to signals, faults and
 * bus states, asking for the buses every second, and publishing all of it
 * to the hub. When the daemon goes (a restart, a crash), the hub hears
 * "daemon down" and the connection is tried again every second. */
#ifndef EVGW_WEB_UPSTREAM_H
#define EVGW_WEB_UPSTREAM_H

#include <pthread.h>
#include <stdatomic.h>

#include "web/web_hub.h"

struct web_upstream {
	const char *socket; /* NULL or "": the usual places */
	struct web_hub *hub;
	pthread_t thread;
	atomic_bool stop;
	int verbose;
};

int web_upstream_start(struct web_upstream *u);
void web_upstream_stop(struct web_upstream *u);

#endif
