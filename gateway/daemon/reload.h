// SPDX-License-Identifier: MIT
/* Reloading the configuration (SIGHUP); evgw_daemon_reload is in daemon.h. */
#ifndef EVGW_DAEMON_RELOAD_H
#define EVGW_DAEMON_RELOAD_H

#include "daemon/daemon.h"

/* Command-line options win over the file, now and after each reload. */
void evgw_daemon_apply_overrides(struct evgw_daemon *d, struct evgw_config *cfg);

#endif
