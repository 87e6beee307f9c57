// SPDX-License-Identifier: MIT
/* How sure evgw is of a definition, and what that lets it say.
 *
 * DBC messages carry EvgwConfidence (BO_ attribute: confirmed, public,
 * assumed); profile DIDs and ECUs carry `confidence =`. A definition below
 * "public" is a guess: what it finds (a fault signal, a wrong checksum, a
 * stalled counter) is an unconfirmed observation, severity info and no
 * lamp, until a shop confirms the definition on a vehicle ([confirmed] in
 * evgw.conf, docs/confirming.md). Then its faults have their real
 * severity. A DBC that does not define EvgwConfidence at all is not graded:
 * it is the shop's own file, which the shop vouches for by loading it. DTCs
 * an ECU reports (UDS, KWP, OBD-II, J1939 DM1/DM2) are the ECU's own
 * statement and are never graded here. */
#ifndef EVGW_VEHICLE_CONFIDENCE_H
#define EVGW_VEHICLE_CONFIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "dbc/dbc.h"
#include "faults/fault.h"

enum evgw_confidence {
	EVGW_CONFIDENCE_UNGRADED = 0, /* no confidence given: not evgw's definition */
	EVGW_CONFIDENCE_CONFIRMED,
	EVGW_CONFIDENCE_PUBLIC,
	EVGW_CONFIDENCE_ASSUMED,      /* and any word evgw does not know */
};

/* "confirmed", "public", "assumed" (any case); an empty text is UNGRADED,
 * any other word ASSUMED (the safe side). */
enum evgw_confidence evgw_confidence_parse(const char *s, size_t len);
const char *evgw_confidence_name(enum evgw_confidence c);

/* A DBC message's EvgwConfidence: its BA_ value, else the file's
 * BA_DEF_DEF_, else ASSUMED; UNGRADED when the file does not define the
 * attribute. */
enum evgw_confidence evgw_dbc_message_confidence(const struct dbc_db *db, const struct dbc_message *m);

struct evgw_profile;
struct evgw_profile_did;
/* A profile DID's confidence: its own, else its ECU's, else the profile's
 * status. */
enum evgw_confidence evgw_profile_did_confidence(const struct evgw_profile *p, const struct evgw_profile_did *d);

/* Whether what a definition of confidence c finds is only an observation:
 * below "public" and not confirmed by the shop. */
bool evgw_confidence_unconfirmed(enum evgw_confidence c, bool shop_confirmed);

/* Grade a fault from such a definition: unconfirmed ones become severity
 * info with no lamp and f->unconfirmed set; others keep their severity. */
void evgw_fault_grade(struct evgw_fault *f, enum evgw_confidence c, bool shop_confirmed);

#endif
