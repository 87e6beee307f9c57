// SPDX-License-Identifier: MIT
/* Daemons before protocol issue 13 answered read-dtc, clear-dtc, read-did,
 * vin and read-pids in five shapes (one ECU, a profile's "all", OBD-II,
 * J1939, OBD-II per ECU). They are rewritten here into the one shape of
 * today (gateway/api/PROTOCOL.md, "Asking ECUs") so that the printers know
 * only that. Delete this file once no such daemon is left. */
#include <string.h>

#include "cli/cli_json.h"
#include "cli/cli_print.h"

static bool is_current(json_object *r)
{
	size_t n;
	json_object *ecus = cli_jarray(r, "ecus", &n);
	if (cli_jget(r, "target"))
		return true;
	return ecus && n && json_object_object_get_ex(json_object_array_get_idx(ecus, 0), "ok", NULL);
}

/* Copy every member of from into to, except those named in skip. */
static void copy_fields(json_object *to, json_object *from, const char *const *skip)
{
	if (!json_object_is_type(from, json_type_object))
		return;
	json_object_object_foreach(from, key, val)
	{
		bool skipped = false;
		for (const char *const *s = skip; s && *s; s++)
			skipped |= !strcmp(*s, key);
		if (!skipped)
			json_object_object_add(to, key, json_object_get(val));
	}
}

static json_object *entry(int64_t ecu, const char *name, const char *protocol)
{
	json_object *e = json_object_new_object();
	json_object_object_add(e, "ecu", ecu >= 0 ? json_object_new_int64(ecu) : NULL);
	json_object_object_add(e, "ecu_name", name ? json_object_new_string(name) : NULL);
	json_object_object_add(e, "protocol", protocol ? json_object_new_string(protocol) : NULL);
	json_object_object_add(e, "ok", json_object_new_boolean(1));
	return e;
}

static json_object *wrap(const char *target, json_object *profile, json_object *ecus, bool asked_known)
{
	json_object *out = json_object_new_object();
	int64_t answered = 0;
	for (size_t i = 0; i < cli_jlen(ecus); i++)
		answered += cli_jtrue(json_object_array_get_idx(ecus, i), "ok");
	json_object_object_add(out, "target", json_object_new_string(target));
	json_object_object_add(out, "profile", profile ? json_object_get(profile) : NULL);
	json_object_object_add(out, "asked", asked_known ? json_object_new_int64((int64_t)cli_jlen(ecus)) : NULL);
	json_object_object_add(out, "answered", json_object_new_int64(answered));
	json_object_object_add(out, "ecus", ecus);
	return out;
}

/* UDS status byte: testFailed (bit 0) active, confirmedDTC (bit 3)
 * stored, else pending: what the daemon's fault store makes of it. */
static void add_fault_status(json_object *dtcs)
{
	for (size_t i = 0; i < cli_jlen(dtcs); i++) {
		json_object *d = json_object_array_get_idx(dtcs, i);
		int64_t st;
		const char *kind = cli_jstr(d, "kind");
		const char *fs = NULL;
		if (cli_jget(d, "fault_status"))
			continue;
		if (kind)
			fs = !strcmp(kind, "pending") ? "pending" : "stored";
		else if (cli_jint(d, "status", &st))
			fs = st & 1 ? "active" : st & 8 ? "stored" : "pending";
		else if (cli_jget(d, "spn"))
			fs = "stored"; /* DM2: previously active */
		if (fs)
			json_object_object_add(d, "fault_status", json_object_new_string(fs));
	}
}

/* One ECU's old result (UDS/KWP read or clear, a DID) as an entry. */
static json_object *one_ecu(json_object *res, int64_t fallback_ecu, const char *name, const char *protocol)
{
	static const char *const skip[] = {"ecu", "protocol", NULL};
	int64_t ecu = fallback_ecu;
	cli_jint(res, "ecu", &ecu);
	json_object *e = entry(ecu, name, protocol ? protocol : cli_jstr(res, "protocol"));
	copy_fields(e, res, skip);
	add_fault_status(cli_jarray(e, "dtcs", NULL));
	return e;
}

/* {"profile":..,"ecus":[{"ecu":"bms","protocol","request","result"|"error"}]} */
static json_object *from_profile(json_object *r)
{
	json_object *ecus = json_object_new_array();
	for (size_t i = 0; i < cli_jlen(cli_jget(r, "ecus")); i++) {
		json_object *old = json_object_array_get_idx(cli_jget(r, "ecus"), i), *res = cli_jget(old, "result");
		int64_t req = -1;
		cli_jint(old, "request", &req);
		json_object *e;
		if (res) {
			e = one_ecu(res, req, cli_jstr(old, "ecu"), cli_jstr(old, "protocol"));
		} else {
			e = entry(req, cli_jstr(old, "ecu"), cli_jstr(old, "protocol"));
			json_object_object_add(e, "ok", json_object_new_boolean(0));
			json_object_object_add(e, "error", json_object_get(cli_jget(old, "error")));
		}
		json_object_array_add(ecus, e);
	}
	return wrap("all", cli_jget(r, "profile"), ecus, true);
}

/* An OBD-II answer comes from 0x7E8..0x7EF: the ECU is 8 below. */
static int64_t obd_ecu(int64_t response_id)
{
	return response_id >= 0x7E8 && response_id <= 0x7EF ? response_id - 8 : response_id;
}

/* {"protocol":"obd","dtcs":[{"ecu":2024,...}]}: one entry per ECU. */
static json_object *from_obd_dtcs(json_object *r)
{
	json_object *ecus = json_object_new_array();
	json_object *dtcs = cli_jget(r, "dtcs");
	for (size_t i = 0; i < cli_jlen(dtcs); i++) {
		json_object *d = json_object_array_get_idx(dtcs, i);
		int64_t resp = -1;
		cli_jint(d, "ecu", &resp);
		json_object *e = NULL;
		for (size_t k = 0; k < cli_jlen(ecus) && !e; k++) {
			int64_t have;
			json_object *c = json_object_array_get_idx(ecus, k);
			if (cli_jint(c, "response_id", &have) && have == resp)
				e = c;
		}
		if (!e) {
			e = entry(obd_ecu(resp), NULL, "obd");
			json_object_object_add(e, "response_id", json_object_new_int64(resp));
			json_object_object_add(e, "dtcs", json_object_new_array());
			json_object_array_add(ecus, e);
		}
		static const char *const skip[] = {"ecu", NULL};
		json_object *copy = json_object_new_object();
		copy_fields(copy, d, skip);
		json_object_array_add(cli_jget(e, "dtcs"), copy);
	}
	/* No DTCs: these daemons cannot tell who answered (no count either). */
	bool unknown = !cli_jlen(ecus);
	if (unknown) {
		json_object *e = entry(-1, NULL, "obd");
		json_object_object_add(e, "dtcs", json_object_new_array());
		json_object_array_add(ecus, e);
	}
	for (size_t k = 0; k < cli_jlen(ecus); k++)
		add_fault_status(cli_jget(json_object_array_get_idx(ecus, k), "dtcs"));
	return wrap("obd", NULL, ecus, unknown);
}

/* {"protocol":"obd"|"j1939","ecus":[{"ecu"|"sa",...}]} */
static json_object *from_per_ecu(json_object *r, const char *protocol)
{
	static const char *const skip[] = {"ecu", "sa", NULL};
	bool j1939 = !strcmp(protocol, "j1939");
	json_object *ecus = json_object_new_array();
	for (size_t i = 0; i < cli_jlen(cli_jget(r, "ecus")); i++) {
		json_object *old = json_object_array_get_idx(cli_jget(r, "ecus"), i);
		int64_t addr = -1;
		cli_jint(old, j1939 ? "sa" : "ecu", &addr);
		json_object *e = entry(j1939 ? addr : obd_ecu(addr), NULL, protocol);
		if (!j1939)
			json_object_object_add(e, "response_id", json_object_new_int64(addr));
		copy_fields(e, old, skip);
		const char *result = cli_jstr(old, "result"); /* J1939 clear: ack, nack ... */
		if (result && !cli_jget(e, "cleared"))
			json_object_object_add(e, "cleared", json_object_new_boolean(!strcmp(result, "ack")));
		add_fault_status(cli_jarray(e, "dtcs", NULL));
		json_object_array_add(ecus, e);
	}
	return wrap(protocol, NULL, ecus, false);
}

json_object *cli_ecu_compat(const char *api_cmd, json_object *r)
{
	if (!r || !json_object_is_type(r, json_type_object) || is_current(r))
		return json_object_get(r);
	const char *protocol = cli_jstr(r, "protocol");
	if (cli_jget(r, "profile") && cli_jget(r, "ecus"))
		return from_profile(r);
	if (protocol && !strcmp(protocol, "obd") && !cli_jget(r, "ecus") && !strcmp(api_cmd, "read-dtc"))
		return from_obd_dtcs(r);
	if (protocol && (!strcmp(protocol, "obd") || !strcmp(protocol, "j1939")) && cli_jget(r, "ecus"))
		return from_per_ecu(r, protocol);
	json_object *ecus = json_object_new_array();
	json_object_array_add(ecus, one_ecu(r, -1, NULL, NULL));
	return wrap("ecu", NULL, ecus, true);
}
