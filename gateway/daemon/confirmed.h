// SPDX-License-Identifier: MIT
/* The definitions a shop confirmed on a vehicle ([confirmed] in evgw.conf,
 * docs/confirming.md), resolved per bus when its DBC files and profile are
 * loaded (at start and at each reload): the faults of a confirmed DBC
 * message keep their real severity whatever its EvgwConfidence
 * (vehicle/confidence.h). */
#ifndef EVGW_DAEMON_CONFIRMED_H
#define EVGW_DAEMON_CONFIRMED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus/bus.h"
#include "config/config.h"
#include "vehicle/profile.h"

struct evgw_station;

struct evgw_confirmations {
	uint8_t *msgs[EVGW_BUS_MAX_DBC];     /* per DBC file: message index -> 1 = confirmed; NULL = none */
	bool dids[EVGW_PROFILE_MAX_DIDS];    /* per profile DID */
	unsigned n;                          /* entries that matched this bus */
};

/* Resolve cfg's [confirmed] entries for the bus bc built into st (its DBC
 * files and profile loaded). An entry naming one of this bus's DBC files
 * (as its dbc = line writes it, or by base name) must name a message of
 * that file, and one naming its profile a DID of it: otherwise -EINVAL
 * with "config:line: what" in err. used[i] is set for each entry that
 * matched (entries no bus matches are only worth a warning). */
int evgw_station_confirm(struct evgw_station *st, const struct evgw_config *cfg, const struct evgw_bus_config *bc,
			 bool *used, char *err, size_t errlen);
void evgw_confirmations_free(struct evgw_confirmations *c);

/* Did the shop confirm this message of the bus's DBC file db / this DID? */
bool evgw_station_message_confirmed(const struct evgw_station *st, unsigned db, const struct dbc_message *m);
bool evgw_station_did_confirmed(const struct evgw_station *st, const struct evgw_profile_did *d);

#endif
