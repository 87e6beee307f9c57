// SPDX-License-Identifier: MIT
#include "daemon/ecu_target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bus/bus.h"
#include "daemon/station.h"

static const char *ask_name(enum evgw_ecu_ask ask)
{
	switch (ask) {
	case EVGW_ASK_READ_DTC: return "read-dtc";
	case EVGW_ASK_CLEAR_DTC: return "clear-dtc";
	case EVGW_ASK_READ_DID: return "read-did";
	case EVGW_ASK_VIN: return "vin";
	case EVGW_ASK_READ_PIDS: return "read-pids";
	}
	return "?";
}

/* Can an ECU speaking p be asked this? */
static bool protocol_can(enum evgw_fault_protocol p, enum evgw_ecu_ask ask)
{
	switch (ask) {
	case EVGW_ASK_READ_PIDS: return p == EVGW_FP_OBD;
	case EVGW_ASK_READ_DID: return p == EVGW_FP_UDS || p == EVGW_FP_KWP;
	default: return true;
	}
}

static enum evgw_fault_protocol profile_protocol(const struct evgw_profile_ecu *e)
{
	switch (e->protocol) {
	case EVGW_PROFILE_KWP: return EVGW_FP_KWP;
	case EVGW_PROFILE_OBD: return EVGW_FP_OBD;
	case EVGW_PROFILE_J1939: return EVGW_FP_J1939;
	default: return EVGW_FP_UDS;
	}
}

/* A profile ECU as an address; -EOPNOTSUPP for 29-bit diagnostic ids. */
static int from_profile(const struct evgw_profile_ecu *e, struct evgw_ecu_address *a)
{
	memset(a, 0, sizeof *a);
	a->protocol = profile_protocol(e);
	a->pe = e;
	if (a->protocol == EVGW_FP_J1939) {
		if (e->address < 0 || e->address > 0xFD)
			return -EOPNOTSUPP;
		a->sa = (uint8_t)e->address;
		return 0;
	}
	if (a->protocol == EVGW_FP_OBD)
		return 0;
	if (e->extended)
		return -EOPNOTSUPP;
	a->tx = e->request;
	a->rx = e->response;
	return 0;
}

static int resolve_all(const struct evgw_station *st, enum evgw_ecu_ask ask, struct evgw_ecu_target *t,
		       char *err, size_t errlen)
{
	const struct evgw_profile *p = st->profile;
	if (!p) {
		snprintf(err, errlen, "\"all\" needs a vehicle profile on bus '%s' (profile = NAME in the configuration)",
			 st->bus->name);
		return -EOPNOTSUPP;
	}
	t->kind = EVGW_TARGET_ALL;
	for (unsigned i = 0; i < p->n_ecus && t->n < EVGW_PROFILE_MAX_ECUS; i++) {
		const struct evgw_profile_ecu *e = &p->ecus[i];
		struct evgw_ecu_address a;
		if (!evgw_profile_ecu_on_bus(p, e, st->bus->name) || from_profile(e, &a) < 0 ||
		    !protocol_can(a.protocol, ask) || (a.protocol == EVGW_FP_J1939 && !st->j1939))
			continue;
		t->ecus[t->n++] = a;
	}
	if (!t->n) {
		snprintf(err, errlen, "profile %s names no ECU on bus '%s' that %s can ask", p->name, st->bus->name,
			 ask_name(ask));
		return -EOPNOTSUPP;
	}
	return 0;
}

static int resolve_j1939(const struct evgw_station *st, const char *s, enum evgw_ecu_ask ask,
			 struct evgw_ecu_target *t, char *err, size_t errlen)
{
	uint8_t sa = 0xFF;
	if (s[5] == ':') {
		char *end;
		unsigned long v = strtoul(s + 6, &end, 16);
		if (!s[6] || *end || v > 0xFD) {
			snprintf(err, errlen, "\"%s\": a J1939 source address is 00..FD in hex (\"j1939:F3\")", s);
			return -EINVAL;
		}
		sa = (uint8_t)v;
	}
	if (!st->j1939) {
		snprintf(err, errlen, "bus '%s' does not speak J1939 (protocols = j1939)", st->bus->name);
		return -EOPNOTSUPP;
	}
	if (!protocol_can(EVGW_FP_J1939, ask)) {
		snprintf(err, errlen, "J1939 ECUs have no %s: read-dtc (DM2), clear-dtc (DM11/DM3) or vin (PGN 65260)",
			 ask == EVGW_ASK_READ_DID ? "DIDs (UDS)" : "OBD-II PIDs");
		return -EOPNOTSUPP;
	}
	t->kind = EVGW_TARGET_J1939;
	t->n = 1;
	t->ecus[0] = (struct evgw_ecu_address){.protocol = EVGW_FP_J1939, .sa = sa,
					       .pe = sa != 0xFF ? evgw_profile_ecu_by_address(st->profile, sa) : NULL};
	return 0;
}

static int resolve_id(const struct evgw_station *st, int64_t id, uint32_t rx, enum evgw_ecu_ask ask,
		      struct evgw_ecu_target *t, char *err, size_t errlen)
{
	if (id < 0 || id > 0x7FF) {
		snprintf(err, errlen, "\"ecu\" must be an 11-bit request id (\"7E7\", \"0x7E7\" or 2023), a profile ECU's "
				      "name, \"all\", \"obd\" or \"j1939[:SA]\"");
		return -EINVAL;
	}
	if (id == 0x7DF) {
		t->kind = EVGW_TARGET_OBD;
		t->n = 1;
		t->ecus[0] = (struct evgw_ecu_address){.protocol = EVGW_FP_OBD};
		return 0;
	}
	const struct evgw_profile_ecu *pe = evgw_profile_ecu_by_request(st->profile, (uint32_t)id);
	if (pe && pe->protocol != EVGW_PROFILE_UDS && pe->protocol != EVGW_PROFILE_KWP)
		pe = NULL;
	t->kind = EVGW_TARGET_ECU;
	t->n = 1;
	t->ecus[0] = (struct evgw_ecu_address){
		.protocol = pe && pe->protocol == EVGW_PROFILE_KWP ? EVGW_FP_KWP : EVGW_FP_UDS,
		.tx = (uint32_t)id,
		.rx = rx ? rx : pe && !rx ? pe->response : (uint32_t)id + 8,
		.pe = pe,
	};
	if (ask == EVGW_ASK_READ_PIDS) {
		snprintf(err, errlen, "read-pids asks every OBD-II ECU: \"ecu\":\"obd\" (or leave it out)");
		return -EINVAL;
	}
	return 0;
}

int evgw_ecu_resolve(const struct evgw_station *st, const char *ecu, int64_t number, uint32_t rx,
		     enum evgw_ecu_ask ask, struct evgw_ecu_target *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (!ecu && number < 0) {
		if (ask == EVGW_ASK_READ_PIDS)
			ecu = "obd";
		else if (ask == EVGW_ASK_VIN && st->j1939)
			ecu = "j1939";
		else {
			snprintf(err, errlen, "\"ecu\" is required: a request id (\"7E7\"), a profile ECU's name, \"all\", "
					      "\"obd\" or \"j1939\"");
			return -EINVAL;
		}
	}
	if (!ecu) {
		snprintf(t->text, sizeof t->text, "%03llX", (unsigned long long)number);
		return resolve_id(st, number, rx, ask, t, err, errlen);
	}
	snprintf(t->text, sizeof t->text, "%s", ecu);
	if (!strcasecmp(ecu, "all"))
		return resolve_all(st, ask, t, err, errlen);
	if (!strcasecmp(ecu, "obd")) {
		if (!protocol_can(EVGW_FP_OBD, ask)) {
			snprintf(err, errlen, "read-did needs one ECU; OBD-II reads the VIN with the vin command");
			return -EINVAL;
		}
		t->kind = EVGW_TARGET_OBD;
		t->n = 1;
		t->ecus[0] = (struct evgw_ecu_address){.protocol = EVGW_FP_OBD};
		return 0;
	}
	if (!strncasecmp(ecu, "j1939", 5) && (!ecu[5] || ecu[5] == ':'))
		return resolve_j1939(st, ecu, ask, t, err, errlen);
	const struct evgw_profile_ecu *pe = st->profile ? evgw_profile_ecu(st->profile, ecu) : NULL;
	if (pe) {
		struct evgw_ecu_address a;
		if (from_profile(pe, &a) < 0) {
			snprintf(err, errlen, "ECU %s uses 29-bit diagnostic ids: not supported yet", pe->name);
			return -EOPNOTSUPP;
		}
		if (!protocol_can(a.protocol, ask)) {
			snprintf(err, errlen, "ECU %s speaks %s: %s cannot ask it", pe->name,
				 evgw_fault_protocol_name(a.protocol), ask_name(ask));
			return -EOPNOTSUPP;
		}
		if (a.protocol == EVGW_FP_J1939 && !st->j1939) {
			snprintf(err, errlen, "bus '%s' does not speak J1939 (protocols = j1939)", st->bus->name);
			return -EOPNOTSUPP;
		}
		t->kind = a.protocol == EVGW_FP_OBD ? EVGW_TARGET_OBD : EVGW_TARGET_ECU;
		t->n = 1;
		t->ecus[0] = a;
		return 0;
	}
	const char *hex = (ecu[0] == '0' && (ecu[1] == 'x' || ecu[1] == 'X')) ? ecu + 2 : ecu;
	char *end;
	long long id = strtoll(hex, &end, 16);
	if (!*hex || *end || strlen(hex) > 3 || *hex == '-' || *hex == '+') {
		if (st->profile && strspn(ecu, "0123456789abcdefABCDEFxX") != strlen(ecu)) {
			snprintf(err, errlen, "profile %s names no ECU '%s'", st->profile->name, ecu);
			return -ENOENT;
		}
		id = -1;
	}
	return resolve_id(st, id, rx, ask, t, err, errlen);
}

static bool in_range(uint32_t id, uint32_t first, uint32_t last)
{
	return id >= first && id <= last;
}

/* A profile ECU of this bus that has these ids as its own. */
static bool profile_id(const struct evgw_station *st, const struct evgw_profile_ecu *pe, uint32_t id,
		       bool response)
{
	if (!pe || !st->profile || pe->extended || !evgw_profile_ecu_on_bus(st->profile, pe, st->bus->name))
		return false;
	return id == (response ? pe->response : pe->request);
}

/* "bms 0x7E7, vcu 0x7E0": the profile's ECUs on this bus that have ids. */
static void list_profile_ids(const struct evgw_station *st, char *out, size_t len)
{
	const struct evgw_profile *p = st->profile;
	size_t used = 0;
	out[0] = '\0';
	for (unsigned i = 0; p && i < p->n_ecus && used < len; i++) {
		const struct evgw_profile_ecu *e = &p->ecus[i];
		if ((e->protocol != EVGW_PROFILE_UDS && e->protocol != EVGW_PROFILE_KWP) || e->extended ||
		    !evgw_profile_ecu_on_bus(p, e, st->bus->name))
			continue;
		int n = snprintf(out + used, len - used, "%s%s 0x%03X", used ? ", " : "", e->name,
				 (unsigned)e->request);
		used += n > 0 ? (size_t)n : 0;
	}
}

int evgw_ecu_target_check_open(const struct evgw_station *st, const struct evgw_ecu_target *t,
			       enum evgw_ecu_ask ask, char *err, size_t errlen)
{
	if (ask == EVGW_ASK_CLEAR_DTC) {
		snprintf(err, errlen, "clearing DTCs changes the ECU: admin only (root or the admin group)");
		return -EPERM;
	}
	for (unsigned i = 0; i < t->n; i++) {
		const struct evgw_ecu_address *a = &t->ecus[i];
		if (a->protocol == EVGW_FP_OBD || a->protocol == EVGW_FP_J1939)
			continue; /* functional 0x7DF, or a J1939 Request: ids evgw picks */
		const char *what;
		uint32_t id;
		if (!in_range(a->tx, EVGW_ECU_OBD_FIRST_REQUEST, EVGW_ECU_OBD_LAST_REQUEST) &&
		    !profile_id(st, a->pe, a->tx, false)) {
			what = "request id";
			id = a->tx;
		} else if (!in_range(a->rx, EVGW_ECU_OBD_FIRST_RESPONSE, EVGW_ECU_OBD_LAST_RESPONSE) &&
			   !profile_id(st, a->pe, a->rx, true)) {
			what = "response id";
			id = a->rx;
		} else {
			continue;
		}
		char ecus[128], profile[192] = "";
		list_profile_ids(st, ecus, sizeof ecus);
		if (ecus[0])
			snprintf(profile, sizeof profile, ", profile %s's ECUs (%s)", st->profile->name, ecus);
		snprintf(err, errlen,
			 "%s 0x%03X is not a diagnostic address: without admin rights only OBD-II 0x7DF, "
			 "0x7E0-0x7E7 (answers 0x7E8-0x7EF)%s and J1939 may be asked",
			 what, (unsigned)id, profile);
		return -EPERM;
	}
	return 0;
}
