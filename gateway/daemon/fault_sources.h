// SPDX-License-Identifier: MIT
/* The daemon's fault engine and store, and the sources that feed them. */
#ifndef EVGW_DAEMON_FAULT_SOURCES_H
#define EVGW_DAEMON_FAULT_SOURCES_H

#include "daemon/daemon.h"
#include "util/textbuf.h"

/* Open <state_dir>/faults.db (memory only, logged, if it cannot be). */
void evgw_daemon_faults_init(struct evgw_daemon *d);
void evgw_daemon_faults_fini(struct evgw_daemon *d);
/* Write the pending fault changes now if the store can take them (never
 * waiting on another process's lock); the store's keeper decides. */
int evgw_daemon_faults_flush(struct evgw_daemon *d);
/* The store's health, for consumers to show (status). */
void evgw_daemon_store_health(const struct evgw_daemon *d, struct evgw_store_health *h);
/* Route a bus's fault sources (DBC fault signals) to the engine. */
void evgw_daemon_attach_fault_sources(struct evgw_station *st);

/* A freeze frame: the live (seen) signals of the bus that keep() picks, as
 * a JSON object {"MESSAGE.SIGNAL": value}, at most 64 of them. */
typedef bool (*evgw_freeze_keep_fn)(const void *ud, const struct evgw_bus *bus, unsigned db,
				    const struct dbc_message *m, const struct dbc_signal *sig,
				    const struct evgw_sig_slot *slot);
void evgw_freeze_frame(struct evgw_textbuf *tb, struct evgw_bus *bus, evgw_freeze_keep_fn keep,
		       const void *ud);

/* The freeze frame the bus's profile asks for: ecu's freeze_frame list,
 * else the profile's [freeze_frame] signals. false (nothing written) when
 * there is no profile or neither list. ecu may be NULL. */
struct evgw_profile_ecu;
bool evgw_profile_freeze_frame(struct evgw_textbuf *tb, struct evgw_station *st, const struct evgw_profile_ecu *ecu);

/* The freeze frame of a DTC read from an ECU (UDS, KWP, OBD): the
 * profile's list for that ECU (or the profile's), else the bus's live
 * signals (at most 64): what the vehicle was doing when it was read. */
void evgw_diag_freeze_frame(struct evgw_textbuf *tb, struct evgw_station *st, const struct evgw_profile_ecu *ecu);

/* The DTC words for a bus's faults: its profile's tables, else the
 * daemon's (NULL when none could be read: the describe functions then
 * give the decoded code). */
struct evgw_dtc_text;
const struct evgw_dtc_text *evgw_daemon_dtc_text(const struct evgw_daemon *d, const struct evgw_station *st);
/* Read <dbc_dir>/dtc once (a failure is logged, not fatal). */
void evgw_daemon_load_dtc_text(struct evgw_daemon *d);

#endif
