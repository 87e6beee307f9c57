// SPDX-License-Identifier: MIT
/* The commands that ask ECUs: read-dtc, clear-dtc, read-did, vin,
 * read-pids. Each reads its arguments (one rule per argument), lets the
 * daemon resolve the target (daemon/ecu_target.h) and queue the request,
 * and renders the answer when it comes (render_ecu.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api_internal.h"
#include "daemon/ecu_requests.h"
#include "vehicle/profile.h"

struct ecu_reply {
	struct evgw_client *c;
	char *id_json;
	const char *lang;       /* contract.c's string */
	char bus[33];
};

static void ecu_done(void *ud, const struct evgw_ecu_result *r)
{
	struct ecu_reply *p = ud;
	if (!p->c->dead)
		api_reply_ecu(p->c, p->id_json, r, p->bus, p->lang);
	api_client_release(p->c);
	free(p->id_json);
	free(p);
}

/* "ecu": a string, or a request id as a non-negative integer. */
static bool arg_ecu(struct cmd_ctx *x, const char **text, int64_t *number)
{
	json_object *v;
	*text = NULL;
	*number = -1;
	if (!json_object_object_get_ex(x->req, "ecu", &v))
		return true;
	if (json_object_is_type(v, json_type_string)) {
		*text = json_object_get_string(v);
		return true;
	}
	if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0) {
		*number = json_object_get_int64(v);
		return true;
	}
	api_fail(x, API_ERR_BAD_REQUEST, "\"ecu\" must be a string (\"7E7\", \"bms\", \"all\", \"obd\", \"j1939\") or a request "
				   "id as a number");
	return false;
}

/* An 11-bit id as a number or a hex string ("7EF", "0x7EF"); absent: 0. */
static bool arg_can_id(struct cmd_ctx *x, const char *key, uint32_t *out)
{
	json_object *v;
	*out = 0;
	if (!json_object_object_get_ex(x->req, key, &v))
		return true;
	long long id = -1;
	if (json_object_is_type(v, json_type_int)) {
		id = json_object_get_int64(v);
	} else if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		const char *hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
		char *end;
		id = strtoll(hex, &end, 16);
		if (!*hex || *end || *hex == '-' || *hex == '+')
			id = -1;
	}
	if (id < 1 || id > 0x7FF) {
		api_fail(x, API_ERR_BAD_REQUEST, "\"%s\" must be an 11-bit CAN id (a number, or hex as \"7EF\")", key);
		return false;
	}
	*out = (uint32_t)id;
	return true;
}

static bool is_hex_word(const char *s)
{
	const char *h = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
	return *h && strlen(h) <= 4 && strspn(h, "0123456789abcdefABCDEF") == strlen(h);
}

/* "did": a number 0..65535, a profile DID's name, or hex ("F190", "0xF190").
 * A profile name also gives the ECU when the request names none. */
static bool arg_did(struct cmd_ctx *x, const struct evgw_station *st, uint16_t *did, const char **ecu_of_did)
{
	json_object *v;
	*ecu_of_did = NULL;
	if (!json_object_object_get_ex(x->req, "did", &v)) {
		api_fail(x, API_ERR_BAD_REQUEST, "\"did\" (a data identifier: 61840, \"F190\" or a profile DID name) is required");
		return false;
	}
	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);
		if (n < 0 || n > 0xFFFF) {
			api_fail(x, API_ERR_BAD_REQUEST, "\"did\" %lld is out of range: a data identifier is 0..65535 (0..FFFF)",
				 (long long)n);
			return false;
		}
		*did = (uint16_t)n;
		return true;
	}
	if (!json_object_is_type(v, json_type_string)) {
		api_fail(x, API_ERR_BAD_REQUEST, "\"did\" must be a number or a string");
		return false;
	}
	const char *s = json_object_get_string(v);
	const struct evgw_profile_did *pd = st->profile ? evgw_profile_did(st->profile, s) : NULL;
	if (pd) {
		*did = pd->did;
		if (pd->ecu >= 0)
			*ecu_of_did = st->profile->ecus[pd->ecu].name;
		return true;
	}
	if (is_hex_word(s)) {
		*did = (uint16_t)strtoul(s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s, NULL, 16);
		return true;
	}
	api_fail(x, API_ERR_NOT_FOUND, "bus '%s' has no profile DID named '%s' (a DID is also given as a number or in hex, "
				 "\"F190\")", st->bus->name, s);
	return false;
}

static void run_ecu_request(struct cmd_ctx *x, struct evgw_station *st, const char *ecu, int64_t number,
			    uint32_t rx, const struct evgw_ecu_query *q)
{
	const char *lang = "en";
	if (q->ask == EVGW_ASK_READ_DTC && !api_arg_lang(x, &lang))
		return;
	struct evgw_ecu_target t;
	char err[256] = "";
	int rc = evgw_ecu_resolve(st, ecu, number, rx, q->ask, &t, err, sizeof err);
	if (rc < 0) {
		api_fail(x, rc == -ENOENT ? API_ERR_NOT_FOUND : rc == -EOPNOTSUPP ? API_ERR_UNSUPPORTED : API_ERR_BAD_REQUEST,
			 "%s", err);
		return;
	}
	if (st->bus->params.listen_only || !st->ecu) {
		api_fail(x, API_ERR_PERMISSION_DENIED, "bus '%s' is listen-only: set mode = diagnostic to query ECUs",
			 st->bus->name);
		return;
	}
	/* Without admin rights: diagnostic addresses and read services only,
	 * at a bounded rate per user. */
	if (!x->c->admin && evgw_ecu_target_check_open(st, &t, q->ask, err, sizeof err) < 0) {
		api_fail(x, API_ERR_PERMISSION_DENIED, "%s", err);
		return;
	}
	if (!x->c->admin && !evgw_user_rate_take(&x->c->api->ecu_rate, x->c->uid, evgw_now_mono_us())) {
		api_fail(x, API_ERR_LIMIT, "at most %d ECU requests per second per user (%d at once): try again "
					   "shortly", EVGW_API_ECU_RATE, EVGW_API_ECU_BURST);
		return;
	}
	struct ecu_reply *p = calloc(1, sizeof *p);
	if (!p || !(p->id_json = strdup(x->id_json))) {
		free(p);
		api_fail(x, API_ERR_INTERNAL, "out of memory");
		return;
	}
	p->c = x->c;
	p->lang = lang;
	snprintf(p->bus, sizeof p->bus, "%s", st->bus->name);
	rc = evgw_ecu_request(st->ecu, &t, q, ecu_done, p);
	if (rc < 0) {
		free(p->id_json);
		free(p);
		if (rc == -EBUSY)
			api_fail(x, API_ERR_BUSY, "bus '%s' already has %d requests waiting for ECUs: try again when one is "
					    "answered", st->bus->name, EVGW_ECU_QUEUE);
		else if (rc == -EPERM)
			api_fail(x, API_ERR_PERMISSION_DENIED, "bus '%s' is listen-only: set mode = diagnostic to query ECUs",
				 st->bus->name);
		else
			api_fail(x, API_ERR_INTERNAL, "cannot queue the request: %s", strerror(-rc));
		return;
	}
	api_client_hold(x->c);
	x->deferred = true;
}

/* The arguments every ECU command shares: bus (required), ecu, rx. */
static bool common_args(struct cmd_ctx *x, struct evgw_station **st, const char **ecu, int64_t *number,
			uint32_t *rx)
{
	return api_want_station(x, true, st) && arg_ecu(x, ecu, number) && arg_can_id(x, "rx", rx);
}

static void ask(struct cmd_ctx *x, const struct evgw_ecu_query *q)
{
	struct evgw_station *st;
	const char *ecu;
	int64_t number;
	uint32_t rx;
	if (common_args(x, &st, &ecu, &number, &rx))
		run_ecu_request(x, st, ecu, number, rx, q);
}

void api_cmd_read_dtc(struct cmd_ctx *x)
{
	struct evgw_ecu_query q = {.ask = EVGW_ASK_READ_DTC};
	ask(x, &q);
}

void api_cmd_clear_dtc(struct cmd_ctx *x)
{
	if (!x->c->admin) {
		api_fail(x, API_ERR_PERMISSION_DENIED, "clearing DTCs changes the ECU: admin only (root or the admin group)");
		return;
	}
	struct evgw_ecu_query q = {.ask = EVGW_ASK_CLEAR_DTC, .j1939_dm = 11};
	json_object *v;
	if (json_object_object_get_ex(x->req, "dm", &v)) {
		int64_t dm = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
		if (dm != 3 && dm != 11) {
			api_fail(x, API_ERR_BAD_REQUEST, "\"dm\" must be 11 (clear active DTCs, the default) or 3 (clear "
						   "previously active DTCs)");
			return;
		}
		q.j1939_dm = (uint8_t)dm;
	}
	ask(x, &q);
}

void api_cmd_read_did(struct cmd_ctx *x)
{
	struct evgw_station *st;
	const char *ecu, *ecu_of_did;
	int64_t number;
	uint32_t rx;
	struct evgw_ecu_query q = {.ask = EVGW_ASK_READ_DID};
	if (!common_args(x, &st, &ecu, &number, &rx) || !arg_did(x, st, &q.did, &ecu_of_did))
		return;
	if (!ecu && number < 0)
		ecu = ecu_of_did;
	run_ecu_request(x, st, ecu, number, rx, &q);
}

void api_cmd_vin(struct cmd_ctx *x)
{
	struct evgw_ecu_query q = {.ask = EVGW_ASK_VIN};
	ask(x, &q);
}

void api_cmd_read_pids(struct cmd_ctx *x)
{
	struct evgw_ecu_query q = {.ask = EVGW_ASK_READ_PIDS};
	json_object *v;
	if (json_object_object_get_ex(x->req, "pids", &v)) {
		size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
		bool ok = n >= 1 && n <= EVGW_ECU_MAX_PIDS;
		for (size_t i = 0; ok && i < n; i++) {
			json_object *p = json_object_array_get_idx(v, i);
			int64_t pid = json_object_is_type(p, json_type_int) ? json_object_get_int64(p) : -1;
			ok = pid >= 1 && pid <= 0xFF && (pid & 0x1F);
			q.pids[q.n_pids++] = (uint8_t)pid;
		}
		if (!ok) {
			api_fail(x, API_ERR_BAD_REQUEST, "\"pids\" must be 1 to %d mode 01 PIDs (numbers 1..255, not the "
						   "supported-PID bitmaps 0x20, 0x40, ...)", EVGW_ECU_MAX_PIDS);
			return;
		}
	}
	ask(x, &q);
}
