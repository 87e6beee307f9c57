/* The daemon's fault engine and store, and the sources that feed them. */
#ifndef EVGW_DAEMON_FAULTS_GLUE_H
#define EVGW_DAEMON_FAULTS_GLUE_H

#include "daemon/daemon.h"

/* Open <state_dir>/faults.db (memory only, logged, if it cannot be). */
void evgw_daemon_faults_init(struct evgw_daemon *d);
void evgw_daemon_faults_fini(struct evgw_daemon *d);
/* Route a bus's fault sources (DBC fault signals) to the engine. */
void evgw_daemon_attach_fault_sources(struct evgw_daemon *d, struct evgw_bus *bus);

/* mkdir -p, for the state directory. */
int evgw_mkdir_p(const char *path, unsigned mode);

#endif
