// SPDX-License-Identifier: MIT
/* The daemon's buses over its life: start, reload, stop. */
#ifndef EVGW_DAEMON_LIFECYCLE_H
#define EVGW_DAEMON_LIFECYCLE_H

#include "daemon/daemon.h"

/* Open each bus's driver; a bus that cannot start is logged and stays down. */
void evgw_daemon_start_buses(struct evgw_daemon *d);
void evgw_daemon_free_buses(struct evgw_daemon *d, struct evgw_bus **buses, unsigned n);
void evgw_daemon_apply_overrides(struct evgw_daemon *d, struct evgw_config *cfg);
/* The built-in configuration of `evgwd --demo`. */
int evgw_daemon_demo_config(struct evgw_config *cfg, char *err, size_t errlen);

#endif
