// SPDX-License-Identifier: MIT
/* The vehicle profile reader: the sections and keys of a profile and what
 * they mean. The reading itself (lines, sections, comments, duplicates, the
 * forms of numbers, bit rates and booleans) is the strict INI reader shared
 * with evgw.conf (util/ini.h, util/ini_value.h), so both files take the
 * same words. */
#include "vehicle/profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "util/ini.h"
#include "util/ini_value.h"

struct ctx {
	struct evgw_profile *p;
	/* per object: the names of other objects it refers to, resolved at the end */
	char ecu_bus[EVGW_PROFILE_MAX_ECUS][EVGW_PROFILE_NAME];
	char did_ecu[EVGW_PROFILE_MAX_DIDS][EVGW_PROFILE_NAME];
	bool did_has_did[EVGW_PROFILE_MAX_DIDS];
	const char *did_layout[EVGW_PROFILE_MAX_DIDS]; /* the first of start..offset given */
};

/* In the order of enum evgw_profile_protocol, from 1. */
static const char *const protocol_words[] = {"uds", "kwp", "obd", "j1939", NULL};

const char *evgw_profile_protocol_name(enum evgw_profile_protocol p)
{
	return p >= EVGW_PROFILE_UDS && p <= EVGW_PROFILE_J1939 ? protocol_words[p - 1] : "none";
}

/* Items of a list key into fixed slots; each line adds to the list. With
 * words, an item must be one of them (stored in that spelling). */
static bool list(struct evgw_ini *ini, const char *key, const char *v, char *slots, size_t slot_len, unsigned max,
		 unsigned *n, const char *const *words)
{
	char shown[EVGW_INI_SHOW], item[EVGW_INI_LINE_MAX + 1];
	const char *s;
	size_t len;

	while ((s = evgw_ini_next_item(&v, &len))) {
		if (*n == max)
			return evgw_ini_fail(ini, "%s: too many items (max %u)", key, max);
		memcpy(item, s, len); /* len < EVGW_INI_LINE_MAX: a part of one line */
		item[len] = '\0';
		if (words) {
			char all[128];
			int w = evgw_ini_scan_word(item, words);
			if (w < 0)
				return evgw_ini_fail(ini, "%s: '%s' is not %s", key, evgw_ini_shown(shown, s, len),
						     evgw_ini_word_list(words, all, sizeof all));
			strcpy(item, words[w]); /* the same length: it matched item */
		}
		if (len >= slot_len)
			return evgw_ini_fail(ini, "%s: '%s' is longer than %zu bytes", key,
					     evgw_ini_shown(shown, s, len), slot_len - 1);
		for (unsigned i = 0; i < *n; i++)
			if (!strcmp(slots + (size_t)i * slot_len, item))
				return evgw_ini_fail(ini, "%s: '%s' listed twice", key, evgw_ini_shown(shown, s, len));
		strcpy(slots + (size_t)(*n)++ * slot_len, item);
	}
	return true;
}

/* --- [vehicle] --- */

static bool vehicle_name(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile *p = obj;
	char s[EVGW_INI_SHOW];

	if (!evgw_ini_valid_name(v, strlen(v)))
		return evgw_ini_fail(ini, "%s: '%s' is not a name (letters, digits, '-', '_', '.'; at most %d)", k,
				     evgw_ini_shown(s, v, strlen(v)), EVGW_PROFILE_NAME - 1);
	return evgw_ini_text(ini, k, v, p->name, sizeof p->name);
}

#define TEXT_KEY(fn, type, field)                                                    \
	static bool fn(struct evgw_ini *ini, void *obj, const char *k, const char *v) \
	{                                                                             \
		type *o = obj;                                                        \
		return evgw_ini_text(ini, k, v, o->field, sizeof o->field);           \
	}

TEXT_KEY(vehicle_description, struct evgw_profile, description)
TEXT_KEY(vehicle_make, struct evgw_profile, make)
TEXT_KEY(vehicle_models, struct evgw_profile, models)
TEXT_KEY(vehicle_source, struct evgw_profile, source)
TEXT_KEY(ecu_label, struct evgw_profile_ecu, label)
TEXT_KEY(ecu_source, struct evgw_profile_ecu, source)
TEXT_KEY(did_unit, struct evgw_profile_did, unit)
TEXT_KEY(did_source, struct evgw_profile_did, source)

static bool vehicle_status(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	static const char *const words[] = {"confirmed", "public", "assumed", NULL};
	struct evgw_profile *p = obj;
	int i;

	return evgw_ini_word(ini, k, v, words, &i) && evgw_ini_text(ini, k, words[i], p->status, sizeof p->status);
}

/* confirmed | public | assumed, as the DBC files' EvgwConfidence. */
static bool confidence(struct evgw_ini *ini, const char *k, const char *v, char *out, size_t cap)
{
	static const char *const words[] = {"confirmed", "public", "assumed", NULL};
	int i;

	return evgw_ini_word(ini, k, v, words, &i) && evgw_ini_text(ini, k, words[i], out, cap);
}

static bool ecu_confidence(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_ecu *e = obj;
	return confidence(ini, k, v, e->confidence, sizeof e->confidence);
}

static bool did_confidence(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_did *d = obj;
	return confidence(ini, k, v, d->confidence, sizeof d->confidence);
}

static bool vehicle_dtc_tables(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile *p = obj;
	return list(ini, k, v, &p->dtc_tables[0][0], EVGW_PROFILE_PATH, EVGW_PROFILE_MAX_TABLES, &p->n_dtc_tables,
		    NULL);
}

/* --- [bus NAME] --- */

static bool bus_bitrate(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_bus *b = obj;
	return evgw_ini_bitrate(ini, k, v, false, &b->bitrate);
}

static bool bus_data_bitrate(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_bus *b = obj;
	return evgw_ini_bitrate(ini, k, v, true, &b->data_bitrate);
}

static bool bus_dbc(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_bus *b = obj;
	return list(ini, k, v, &b->dbc[0][0], EVGW_PROFILE_PATH, EVGW_PROFILE_MAX_DBC, &b->n_dbc, NULL);
}

static bool bus_protocols(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_bus *b = obj;
	return list(ini, k, v, &b->protocols[0][0], sizeof b->protocols[0], EVGW_PROFILE_MAX_PROTOCOLS,
		    &b->n_protocols, evgw_bus_protocols);
}

/* --- [ecu NAME] --- */

static unsigned ecu_index(const struct evgw_ini *ini, const struct evgw_profile_ecu *e)
{
	const struct ctx *x = ini->user;
	return (unsigned)(e - x->p->ecus);
}

static bool ecu_bus(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct ctx *x = ini->user;
	unsigned i = ecu_index(ini, obj);
	return evgw_ini_text(ini, k, v, x->ecu_bus[i], sizeof x->ecu_bus[i]);
}

static bool ecu_protocol(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_ecu *e = obj;
	int i;

	if (!evgw_ini_word(ini, k, v, protocol_words, &i))
		return false;
	e->protocol = (enum evgw_profile_protocol)(i + 1);
	return true;
}

static bool ecu_fallback(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	static const char *const words[] = {"kwp", NULL};
	struct evgw_profile_ecu *e = obj;

	if (evgw_ini_scan_word(v, words) < 0)
		return evgw_ini_fail(ini, "%s: only kwp (ReadDTCByStatus 0x18 when 0x19 is refused)", k);
	e->fallback = EVGW_PROFILE_KWP;
	return true;
}

static bool can_id(struct evgw_ini *ini, struct evgw_profile_ecu *e, const char *k, const char *v, uint32_t *out)
{
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 0, 0x1FFFFFFF, &n))
		return false;
	*out = (uint32_t)n;
	if (n > 0x7FF)
		e->extended = true;
	return true;
}

static bool ecu_request(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_ecu *e = obj;
	return can_id(ini, e, k, v, &e->request);
}

static bool ecu_response(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_ecu *e = obj;
	return can_id(ini, e, k, v, &e->response);
}

static bool ecu_address(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_ecu *e = obj;
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 0, 0xFD, &n))
		return false;
	e->address = (int16_t)n;
	return true;
}

static bool ecu_dm1(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_ecu *e = obj;
	return evgw_ini_bool(ini, k, v, &e->dm1);
}

static bool ecu_spn_cm1(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	static const char *const words[] = {"v1", "v2", "v3", "v4", NULL};
	struct evgw_profile_ecu *e = obj;
	int i;

	if (!evgw_ini_word(ini, k, v, words, &i))
		return false;
	e->spn_cm1 = (uint8_t)(i + 1);
	return true;
}

static bool ecu_freeze_frame(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_ecu *e = obj;
	return list(ini, k, v, &e->freeze[0][0], EVGW_PROFILE_SIGNAL, EVGW_PROFILE_MAX_FREEZE, &e->n_freeze, NULL);
}

/* --- [did NAME] --- */

static unsigned did_index(const struct evgw_ini *ini, const struct evgw_profile_did *d)
{
	const struct ctx *x = ini->user;
	return (unsigned)(d - x->p->dids);
}

static bool did_ecu(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct ctx *x = ini->user;
	unsigned i = did_index(ini, obj);
	return evgw_ini_text(ini, k, v, x->did_ecu[i], sizeof x->did_ecu[i]);
}

static bool did_did(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct ctx *x = ini->user;
	struct evgw_profile_did *d = obj;
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 0, 0xFFFF, &n))
		return false;
	d->did = (uint16_t)n;
	x->did_has_did[did_index(ini, d)] = true;
	return true;
}

/* start..offset describe a raw number; expr replaces them all. */
static void layout_key(struct evgw_ini *ini, const struct evgw_profile_did *d, const char *k)
{
	struct ctx *x = ini->user;
	unsigned i = did_index(ini, d);
	if (!x->did_layout[i])
		x->did_layout[i] = k; /* a key name of the static table */
}

static bool did_expr(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_did *d = obj;
	char msg[160];
	unsigned col;

	if (evgw_expr_parse(&d->expr, v, strlen(v), EVGW_EXPR_EVGW, &col, msg, sizeof msg))
		return evgw_ini_fail_col(ini, evgw_ini_value_col(ini, v) + col - 1, "%s: %s", k, msg);
	return true;
}

static bool did_start(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_did *d = obj;
	uint64_t n;

	layout_key(ini, d, k);
	if (!evgw_ini_uint(ini, k, v, 0, 4000, &n))
		return false;
	d->start = (uint16_t)n;
	return true;
}

static bool did_length(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_did *d = obj;
	uint64_t n;

	layout_key(ini, d, k);
	if (!evgw_ini_uint(ini, k, v, 1, 8, &n))
		return false;
	d->length = (uint8_t)n;
	return true;
}

static bool did_order(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	static const char *const words[] = {"little", "big", NULL};
	struct evgw_profile_did *d = obj;
	int i;

	layout_key(ini, d, k);
	if (!evgw_ini_word(ini, k, v, words, &i))
		return false;
	d->big_endian = i == 1;
	return true;
}

static bool did_signed(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_did *d = obj;
	layout_key(ini, d, k);
	return evgw_ini_bool(ini, k, v, &d->is_signed);
}

static bool did_scale(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_did *d = obj;
	layout_key(ini, d, k);
	return evgw_ini_real(ini, k, v, -HUGE_VAL, HUGE_VAL, &d->scale);
}

static bool did_offset(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile_did *d = obj;
	layout_key(ini, d, k);
	return evgw_ini_real(ini, k, v, -HUGE_VAL, HUGE_VAL, &d->offset);
}

/* --- [freeze_frame] --- */

static bool freeze_signals(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_profile *p = obj;
	return list(ini, k, v, &p->freeze[0][0], EVGW_PROFILE_SIGNAL, EVGW_PROFILE_MAX_FREEZE, &p->n_freeze, NULL);
}

/* --- sections --- */

static bool profile_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	struct ctx *x = ini->user;
	(void)name;
	*obj = x->p;
	return true;
}

/* The reader keeps each kind within its max, so the tables have room. */
static bool bus_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	struct ctx *x = ini->user;
	struct evgw_profile_bus *b = &x->p->buses[x->p->n_buses++];

	strcpy(b->name, name); /* a valid name fits */
	b->line = ini->line;
	*obj = b;
	return true;
}

static bool ecu_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	struct ctx *x = ini->user;
	struct evgw_profile_ecu *e = &x->p->ecus[x->p->n_ecus++];

	strcpy(e->name, name);
	e->line = ini->line;
	e->address = -1;
	e->bus = -1;
	e->spn_cm1 = 4;
	*obj = e;
	return true;
}

static bool did_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	struct ctx *x = ini->user;
	struct evgw_profile_did *d = &x->p->dids[x->p->n_dids++];

	strcpy(d->name, name);
	d->line = ini->line;
	d->length = 1;
	d->scale = 1;
	d->ecu = -1;
	*obj = d;
	return true;
}

static const struct evgw_ini_key vehicle_keys[] = {
	{"name", vehicle_name, 0},
	{"description", vehicle_description, 0},
	{"make", vehicle_make, 0},
	{"models", vehicle_models, 0},
	{"status", vehicle_status, 0},
	{"source", vehicle_source, 0},
	{"dtc_tables", vehicle_dtc_tables, EVGW_INI_LIST},
	{NULL, NULL, 0},
};

static const struct evgw_ini_key bus_keys[] = {
	{"bitrate", bus_bitrate, 0},
	{"data_bitrate", bus_data_bitrate, 0},
	{"dbc", bus_dbc, EVGW_INI_LIST},
	{"protocols", bus_protocols, EVGW_INI_LIST},
	{NULL, NULL, 0},
};

static const struct evgw_ini_key ecu_keys[] = {
	{"bus", ecu_bus, 0},
	{"label", ecu_label, 0},
	{"protocol", ecu_protocol, 0},
	{"fallback", ecu_fallback, 0},
	{"request", ecu_request, 0},
	{"response", ecu_response, 0},
	{"address", ecu_address, 0},
	{"dm1", ecu_dm1, 0},
	{"spn_cm1", ecu_spn_cm1, 0},
	{"freeze_frame", ecu_freeze_frame, EVGW_INI_LIST},
	{"source", ecu_source, 0},
	{"confidence", ecu_confidence, 0},
	{NULL, NULL, 0},
};

static const struct evgw_ini_key did_keys[] = {
	{"ecu", did_ecu, 0},
	{"did", did_did, 0},
	{"start", did_start, 0},
	{"length", did_length, 0},
	{"order", did_order, 0},
	{"signed", did_signed, 0},
	{"scale", did_scale, 0},
	{"offset", did_offset, 0},
	{"expr", did_expr, 0},
	{"unit", did_unit, 0},
	{"source", did_source, 0},
	{"confidence", did_confidence, 0},
	{NULL, NULL, 0},
};

static const struct evgw_ini_key freeze_keys[] = {
	{"signals", freeze_signals, EVGW_INI_LIST},
	{NULL, NULL, 0},
};

static const struct evgw_ini_section sections[] = {
	{"vehicle", false, 1, vehicle_keys, profile_begin, NULL},
	{"bus", true, EVGW_PROFILE_MAX_BUSES, bus_keys, bus_begin, NULL},
	{"ecu", true, EVGW_PROFILE_MAX_ECUS, ecu_keys, ecu_begin, NULL},
	{"did", true, EVGW_PROFILE_MAX_DIDS, did_keys, did_begin, NULL},
	{"freeze_frame", false, 1, freeze_keys, profile_begin, NULL},
	{NULL, false, 0, NULL, NULL, NULL},
};

static const struct evgw_ini_format format = {EVGW_PROFILE_MAX_BYTES, sections};

/* After the last line: references resolved, required keys present. */
static void finish(struct evgw_ini *ini)
{
	struct ctx *x = ini->user;
	struct evgw_profile *p = x->p;

	if (!p->name[0])
		evgw_ini_fail_at(ini, 1, "[vehicle] name is required");
	for (unsigned i = 0; i < p->n_ecus && !ini->rc; i++) {
		struct evgw_profile_ecu *e = &p->ecus[i];
		if (x->ecu_bus[i][0]) {
			for (unsigned b = 0; b < p->n_buses; b++)
				if (!strcmp(p->buses[b].name, x->ecu_bus[i]))
					e->bus = (int)b;
			if (e->bus < 0)
				evgw_ini_fail_at(ini, e->line, "ecu %s: no [bus %s]", e->name, x->ecu_bus[i]);
		} else if (p->n_buses == 1) {
			e->bus = 0;
		} else {
			evgw_ini_fail_at(ini, e->line, "ecu %s: which bus? (bus = NAME)", e->name);
		}
		if (ini->rc)
			break;
		if (!e->protocol)
			evgw_ini_fail_at(ini, e->line, "ecu %s: protocol is required (uds, kwp, obd, j1939)", e->name);
		else if (e->protocol == EVGW_PROFILE_J1939 && e->address < 0)
			evgw_ini_fail_at(ini, e->line, "ecu %s: a J1939 ECU needs its address (source address)",
					 e->name);
		else if (e->protocol != EVGW_PROFILE_J1939 && !e->request)
			evgw_ini_fail_at(ini, e->line, "ecu %s: request is required (the id the tester sends to)",
					 e->name);
		else if ((e->protocol == EVGW_PROFILE_UDS || e->protocol == EVGW_PROFILE_KWP) && !e->response)
			evgw_ini_fail_at(ini, e->line, "ecu %s: response is required (the id the ECU answers on)",
					 e->name);
	}
	for (unsigned i = 0; i < p->n_dids && !ini->rc; i++) {
		struct evgw_profile_did *d = &p->dids[i];
		const struct evgw_profile_ecu *e = x->did_ecu[i][0] ? evgw_profile_ecu(p, x->did_ecu[i]) : NULL;
		if (!e)
			evgw_ini_fail_at(ini, d->line, "did %s: ecu = NAME of an [ecu] is required", d->name);
		else if (!x->did_has_did[i])
			evgw_ini_fail_at(ini, d->line, "did %s: did = the identifier (e.g. 0x0005) is required",
					 d->name);
		else if (e->protocol != EVGW_PROFILE_UDS && e->protocol != EVGW_PROFILE_KWP)
			evgw_ini_fail_at(ini, d->line, "did %s: ecu %s does not speak UDS or KWP", d->name, e->name);
		else if (d->expr.n_code && x->did_layout[i])
			evgw_ini_fail_at(ini, d->line,
					 "did %s: expr gives the whole value: leave out %s (and start, length, order, "
					 "signed, scale, offset)",
					 d->name, x->did_layout[i]);
		else
			d->ecu = (int)(e - p->ecus);
	}
}

int evgw_profile_load_buffer(const char *text, size_t len, const char *name, struct evgw_profile **out,
			     char *err, size_t errlen)
{
	struct evgw_ini ini;
	struct ctx *x = calloc(1, sizeof *x);
	struct evgw_profile *p = calloc(1, sizeof *p);
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (!x || !p) {
		free(x);
		free(p);
		return -ENOMEM;
	}
	x->p = p;
	evgw_ini_init(&ini, name ? name : "<profile>", x, err, errlen);
	if (!evgw_ini_parse(&ini, &format, text, len))
		finish(&ini);
	rc = ini.rc;
	free(x);
	if (rc) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int evgw_profile_load_file(const char *path, struct evgw_profile **out, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	rc = evgw_ini_read_file(path, EVGW_PROFILE_MAX_BYTES, &text, &len, err, errlen);
	if (rc)
		return rc;
	rc = evgw_profile_load_buffer(text, len, path, out, err, errlen);
	free(text);
	return rc;
}

void evgw_profile_free(struct evgw_profile *p)
{
	free(p);
}

const struct evgw_profile_ecu *evgw_profile_ecu(const struct evgw_profile *p, const char *name)
{
	for (unsigned i = 0; i < p->n_ecus; i++)
		if (!strcmp(p->ecus[i].name, name))
			return &p->ecus[i];
	return NULL;
}

const struct evgw_profile_did *evgw_profile_did(const struct evgw_profile *p, const char *name)
{
	for (unsigned i = 0; i < p->n_dids; i++)
		if (!strcmp(p->dids[i].name, name))
			return &p->dids[i];
	return NULL;
}

int evgw_profile_did_decode(const struct evgw_profile_did *d, const uint8_t *data, size_t len, double *value)
{
	if (d->expr.n_code)
		return evgw_expr_eval(&d->expr, data, len, value);
	if ((size_t)d->start + d->length > len)
		return -ENODATA;
	uint64_t raw = 0;
	for (unsigned i = 0; i < d->length; i++) {
		unsigned k = d->big_endian ? i : d->length - 1u - i;
		raw = raw << 8 | data[d->start + k];
	}
	double v;
	if (d->is_signed && d->length < 8 && (raw >> (8 * d->length - 1)) & 1)
		v = (double)(int64_t)(raw | ~0ull << (8 * d->length));
	else if (d->is_signed)
		v = (double)(int64_t)raw;
	else
		v = (double)raw;
	*value = v * d->scale + d->offset;
	return 0;
}

const struct evgw_profile_ecu *evgw_profile_ecu_by_address(const struct evgw_profile *p, uint8_t sa)
{
	for (unsigned i = 0; p && i < p->n_ecus; i++)
		if (p->ecus[i].protocol == EVGW_PROFILE_J1939 && p->ecus[i].address == sa)
			return &p->ecus[i];
	return NULL;
}

const struct evgw_profile_ecu *evgw_profile_ecu_by_request(const struct evgw_profile *p, uint32_t id)
{
	for (unsigned i = 0; p && i < p->n_ecus; i++)
		if (p->ecus[i].protocol != EVGW_PROFILE_J1939 && p->ecus[i].request == id)
			return &p->ecus[i];
	return NULL;
}

bool evgw_profile_ecu_on_bus(const struct evgw_profile *p, const struct evgw_profile_ecu *e, const char *bus_name)
{
	if (e->bus < 0 || (unsigned)e->bus >= p->n_buses)
		return true;
	if (!strcmp(p->buses[e->bus].name, bus_name))
		return true;
	for (unsigned i = 0; i < p->n_buses; i++)
		if (!strcmp(p->buses[i].name, bus_name))
			return false;
	return true;
}

bool evgw_profile_freeze_matches(const char *entry, const char *msg, size_t msg_len, const char *sig,
				 size_t sig_len)
{
	const char *dot = strchr(entry, '.');
	if (!dot)
		return strlen(entry) == sig_len && !memcmp(entry, sig, sig_len);
	return (size_t)(dot - entry) == msg_len && !memcmp(entry, msg, msg_len) && strlen(dot + 1) == sig_len &&
	       !memcmp(dot + 1, sig, sig_len);
}
