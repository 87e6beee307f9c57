// SPDX-License-Identifier: MIT
#ifndef EVGW_DAEMON_MKDIR_P_H
#define EVGW_DAEMON_MKDIR_P_H

/* mkdir -p, for the state directory. */
int evgw_mkdir_p(const char *path, unsigned mode);

#endif
