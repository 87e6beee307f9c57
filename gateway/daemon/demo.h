// SPDX-License-Identifier: MIT
/* `evgwd --demo`: the built-in configuration of two simulated vehicles. */
#ifndef EVGW_DAEMON_DEMO_H
#define EVGW_DAEMON_DEMO_H

#include <stddef.h>

#include "config/config.h"

int evgw_daemon_demo_config(struct evgw_config *cfg, char *err, size_t errlen);

#endif
