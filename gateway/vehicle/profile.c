// SPDX-License-Identifier: MIT
/* The vehicle profile reader. libinih splits lines into keys and values,
 * driven through ini_parse_stream() with our own line reader (as
 * config/config.c does, for the same reasons): it counts lines for the
 * messages (Debian's libinih has no INI_HANDLER_LINENO), refuses lines
 * longer than inih's buffer, drops indentation so that no line becomes a
 * "continuation", and reads "[kind NAME]" section lines itself, because
 * inih reports no section without keys. */
#include "vehicle/profile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#define MAX_LINE 1024
#define SHOW_MAX 48

enum kind { K_NONE, K_VEHICLE, K_BUS, K_ECU, K_DID, K_FREEZE };

struct ctx {
	struct evgw_profile *p;
	const char *name;
	char *err;
	size_t errlen;
	int rc;
	const char *text;
	size_t pos, len;
	unsigned lineno;
	enum kind kind;
	/* per object: where the keys that refer to other objects were given */
	char ecu_bus[EVGW_PROFILE_MAX_ECUS][EVGW_PROFILE_NAME];
	char did_ecu[EVGW_PROFILE_MAX_DIDS][EVGW_PROFILE_NAME];
	bool did_has_did[EVGW_PROFILE_MAX_DIDS];
};

__attribute__((format(printf, 3, 4))) static bool fail(struct ctx *x, unsigned line, const char *fmt, ...)
{
	if (x->rc)
		return false;
	x->rc = -EINVAL;
	if (x->err && x->errlen) {
		int n = snprintf(x->err, x->errlen, "%s:%u: ", x->name, line);
		if (n >= 0 && (size_t)n < x->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return false;
}

/* Untrusted text for a message: printable ASCII, bounded. */
static const char *shown(char *out, const char *s)
{
	size_t n = 0;
	for (; n < SHOW_MAX - 4 && s[n]; n++)
		out[n] = s[n] < 0x20 || s[n] >= 0x7f ? '?' : s[n];
	strcpy(out + n, s[n] ? "..." : "");
	return out;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool copy_text(struct ctx *x, char *dst, size_t cap, const char *v, const char *key)
{
	size_t n = strlen(v);
	if (n >= cap)
		return fail(x, x->lineno, "%s: longer than %zu bytes", key, cap - 1);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return fail(x, x->lineno, "%s: control character in the value", key);
	memcpy(dst, v, n + 1);
	return true;
}

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || n >= EVGW_PROFILE_NAME)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.'))
			return false;
	}
	return true;
}

static bool parse_u64(const char *v, uint64_t max, uint64_t *out)
{
	const char *s = v;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	uint64_t n = 0;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (d > max || n > (max - d) / base)
			return false;
		n = n * base + d;
	}
	*out = n;
	return true;
}

static bool num(struct ctx *x, const char *key, const char *v, uint64_t max, uint64_t *out)
{
	char s[SHOW_MAX];
	if (!parse_u64(v, max, out))
		return fail(x, x->lineno, "%s: \"%s\" is not a number from 0 to %llu (decimal or 0x hex)", key,
			    shown(s, v), (unsigned long long)max);
	return true;
}

static bool real(struct ctx *x, const char *key, const char *v, double *out)
{
	char *end, s[SHOW_MAX];
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d))
		return fail(x, x->lineno, "%s: \"%s\" is not a number", key, shown(s, v));
	*out = d;
	return true;
}

/* "500k", "250000", "1M". */
static bool bitrate(struct ctx *x, const char *key, const char *v, uint32_t *out)
{
	char buf[32], s[SHOW_MAX];
	size_t n = strlen(v);
	uint64_t mul = 1, r;
	if (n && n < sizeof buf && (v[n - 1] == 'k' || v[n - 1] == 'K' || v[n - 1] == 'M')) {
		mul = v[n - 1] == 'M' ? 1000000 : 1000;
		n--;
	}
	if (n >= sizeof buf)
		return fail(x, x->lineno, "%s: \"%s\" is not a bitrate", key, shown(s, v));
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (!parse_u64(buf, 20000000, &r) || r * mul < 10000 || r * mul > 20000000)
		return fail(x, x->lineno, "%s: \"%s\" is not a bitrate from 10k to 20M", key, shown(s, v));
	*out = (uint32_t)(r * mul);
	return true;
}

static bool yes_no(struct ctx *x, const char *key, const char *v, bool *out)
{
	char s[SHOW_MAX];
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return fail(x, x->lineno, "%s: \"%s\" is not yes or no", key, shown(s, v));
	return true;
}

/* A blank- or comma-separated list into fixed slots; a repeated key adds
 * to the list (lines are short: inih's buffer is 200 bytes). */
static bool list(struct ctx *x, const char *key, const char *v, char *slots, size_t slot_len, unsigned max,
		 unsigned *n)
{
	const char *s = v;
	for (;;) {
		while (*s && (is_blank(*s) || *s == ','))
			s++;
		if (!*s)
			break;
		const char *e = s;
		while (*e && !is_blank(*e) && *e != ',')
			e++;
		if (*n == max)
			return fail(x, x->lineno, "%s: more than %u entries", key, max);
		if ((size_t)(e - s) >= slot_len)
			return fail(x, x->lineno, "%s: an entry is longer than %zu bytes", key, slot_len - 1);
		for (const char *c = s; c < e; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				return fail(x, x->lineno, "%s: an entry has a byte that is not printable ASCII", key);
		memcpy(slots + (size_t)*n * slot_len, s, (size_t)(e - s));
		slots[(size_t)*n * slot_len + (size_t)(e - s)] = '\0';
		(*n)++;
		s = e;
	}
	return true;
}

static int protocol_of(const char *v)
{
	static const char *const names[] = {"", "uds", "kwp", "obd", "j1939"};
	for (int i = EVGW_PROFILE_UDS; i <= EVGW_PROFILE_J1939; i++)
		if (!strcmp(v, names[i]))
			return i;
	return 0;
}

const char *evgw_profile_protocol_name(enum evgw_profile_protocol p)
{
	static const char *const names[] = {"none", "uds", "kwp", "obd", "j1939"};
	return (unsigned)p <= EVGW_PROFILE_J1939 ? names[p] : "none";
}

static bool unknown_key(struct ctx *x, const char *section, const char *key)
{
	char s[SHOW_MAX];
	return fail(x, x->lineno, "unknown key \"%s\" in [%s]", shown(s, key), section);
}

static bool vehicle_key(struct ctx *x, const char *k, const char *v)
{
	struct evgw_profile *p = x->p;
	if (!strcmp(k, "name")) {
		char s[SHOW_MAX];
		if (!valid_name(v, strlen(v)))
			return fail(x, x->lineno, "name: \"%s\" is not a name (letters, digits, - _ ., at most %d)",
				    shown(s, v), EVGW_PROFILE_NAME - 1);
		return copy_text(x, p->name, sizeof p->name, v, k);
	}
	if (!strcmp(k, "description"))
		return copy_text(x, p->description, sizeof p->description, v, k);
	if (!strcmp(k, "make"))
		return copy_text(x, p->make, sizeof p->make, v, k);
	if (!strcmp(k, "models"))
		return copy_text(x, p->models, sizeof p->models, v, k);
	if (!strcmp(k, "source"))
		return copy_text(x, p->source, sizeof p->source, v, k);
	if (!strcmp(k, "status")) {
		if (strcmp(v, "confirmed") && strcmp(v, "public") && strcmp(v, "assumed"))
			return fail(x, x->lineno, "status: must be confirmed, public or assumed");
		return copy_text(x, p->status, sizeof p->status, v, k);
	}
	if (!strcmp(k, "dtc_tables"))
		return list(x, k, v, &p->dtc_tables[0][0], EVGW_PROFILE_PATH, EVGW_PROFILE_MAX_TABLES, &p->n_dtc_tables);
	return unknown_key(x, "vehicle", k);
}

static bool bus_key(struct ctx *x, const char *k, const char *v)
{
	struct evgw_profile_bus *b = &x->p->buses[x->p->n_buses - 1];
	if (!strcmp(k, "bitrate"))
		return bitrate(x, k, v, &b->bitrate);
	if (!strcmp(k, "data_bitrate"))
		return bitrate(x, k, v, &b->data_bitrate);
	if (!strcmp(k, "dbc"))
		return list(x, k, v, &b->dbc[0][0], EVGW_PROFILE_PATH, EVGW_PROFILE_MAX_DBC, &b->n_dbc);
	if (!strcmp(k, "protocols")) {
		if (!list(x, k, v, &b->protocols[0][0], sizeof b->protocols[0], EVGW_PROFILE_MAX_PROTOCOLS,
			  &b->n_protocols))
			return false;
		for (unsigned i = 0; i < b->n_protocols; i++)
			if (!protocol_of(b->protocols[i]))
				return fail(x, x->lineno, "protocols: \"%s\" is not one of uds, kwp, obd, j1939",
					    b->protocols[i]);
		return true;
	}
	return unknown_key(x, "bus", k);
}

static bool can_id(struct ctx *x, struct evgw_profile_ecu *e, const char *k, const char *v, uint32_t *out)
{
	uint64_t n;
	if (!num(x, k, v, 0x1FFFFFFF, &n))
		return false;
	*out = (uint32_t)n;
	if (n > 0x7FF)
		e->extended = true;
	return true;
}

static bool ecu_key(struct ctx *x, const char *k, const char *v)
{
	unsigned i = x->p->n_ecus - 1;
	struct evgw_profile_ecu *e = &x->p->ecus[i];
	uint64_t n;
	if (!strcmp(k, "bus"))
		return copy_text(x, x->ecu_bus[i], sizeof x->ecu_bus[i], v, k);
	if (!strcmp(k, "label"))
		return copy_text(x, e->label, sizeof e->label, v, k);
	if (!strcmp(k, "source"))
		return copy_text(x, e->source, sizeof e->source, v, k);
	if (!strcmp(k, "protocol") || !strcmp(k, "fallback")) {
		int pr = protocol_of(v);
		char s[SHOW_MAX];
		if (!pr)
			return fail(x, x->lineno, "%s: \"%s\" is not one of uds, kwp, obd, j1939", k, shown(s, v));
		if (k[0] == 'p')
			e->protocol = (enum evgw_profile_protocol)pr;
		else if (pr != EVGW_PROFILE_KWP)
			return fail(x, x->lineno, "fallback: only kwp (ReadDTCByStatus 0x18 when 0x19 is refused)");
		else
			e->fallback = (enum evgw_profile_protocol)pr;
		return true;
	}
	if (!strcmp(k, "request"))
		return can_id(x, e, k, v, &e->request);
	if (!strcmp(k, "response"))
		return can_id(x, e, k, v, &e->response);
	if (!strcmp(k, "address")) {
		if (!num(x, k, v, 0xFD, &n))
			return false;
		e->address = (int16_t)n;
		return true;
	}
	if (!strcmp(k, "dm1"))
		return yes_no(x, k, v, &e->dm1);
	if (!strcmp(k, "spn_cm1")) {
		if (strlen(v) != 2 || v[0] != 'v' || v[1] < '1' || v[1] > '4')
			return fail(x, x->lineno, "spn_cm1: must be v1, v2, v3 or v4");
		e->spn_cm1 = (uint8_t)(v[1] - '0');
		return true;
	}
	if (!strcmp(k, "freeze_frame"))
		return list(x, k, v, &e->freeze[0][0], EVGW_PROFILE_SIGNAL, EVGW_PROFILE_MAX_FREEZE, &e->n_freeze);
	return unknown_key(x, "ecu", k);
}

static bool did_key(struct ctx *x, const char *k, const char *v)
{
	unsigned i = x->p->n_dids - 1;
	struct evgw_profile_did *d = &x->p->dids[i];
	uint64_t n;
	if (!strcmp(k, "ecu"))
		return copy_text(x, x->did_ecu[i], sizeof x->did_ecu[i], v, k);
	if (!strcmp(k, "did")) {
		if (!num(x, k, v, 0xFFFF, &n))
			return false;
		d->did = (uint16_t)n;
		x->did_has_did[i] = true;
		return true;
	}
	if (!strcmp(k, "start")) {
		if (!num(x, k, v, 4000, &n))
			return false;
		d->start = (uint16_t)n;
		return true;
	}
	if (!strcmp(k, "length")) {
		if (!num(x, k, v, 8, &n) || n == 0)
			return fail(x, x->lineno, "length: must be 1 to 8 bytes");
		d->length = (uint8_t)n;
		return true;
	}
	if (!strcmp(k, "order")) {
		if (strcmp(v, "little") && strcmp(v, "big"))
			return fail(x, x->lineno, "order: must be little or big");
		d->big_endian = v[0] == 'b';
		return true;
	}
	if (!strcmp(k, "signed"))
		return yes_no(x, k, v, &d->is_signed);
	if (!strcmp(k, "scale"))
		return real(x, k, v, &d->scale);
	if (!strcmp(k, "offset"))
		return real(x, k, v, &d->offset);
	if (!strcmp(k, "unit"))
		return copy_text(x, d->unit, sizeof d->unit, v, k);
	if (!strcmp(k, "source"))
		return copy_text(x, d->source, sizeof d->source, v, k);
	return unknown_key(x, "did", k);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct ctx *x = user;
	(void)section;
	if (x->rc)
		return 0;
	bool ok;
	switch (x->kind) {
	case K_VEHICLE:
		ok = vehicle_key(x, key, value);
		break;
	case K_BUS:
		ok = bus_key(x, key, value);
		break;
	case K_ECU:
		ok = ecu_key(x, key, value);
		break;
	case K_DID:
		ok = did_key(x, key, value);
		break;
	case K_FREEZE:
		ok = !strcmp(key, "signals")
			     ? list(x, key, value, &x->p->freeze[0][0], EVGW_PROFILE_SIGNAL, EVGW_PROFILE_MAX_FREEZE,
				    &x->p->n_freeze)
			     : unknown_key(x, "freeze_frame", key);
		break;
	default:
		ok = fail(x, x->lineno, "key outside a section (start with [vehicle])");
	}
	return ok;
}

/* "[kind]" or "[kind NAME]": a new object. */
static bool section_line(struct ctx *x, const char *line)
{
	struct evgw_profile *p = x->p;
	const char *end = strchr(line, ']');
	char s[SHOW_MAX];
	if (!end)
		return fail(x, x->lineno, "section line without ']'");
	for (const char *c = end + 1; *c; c++)
		if (!is_blank(*c))
			return fail(x, x->lineno, "text after the section's ']'");
	const char *kind = line + 1, *sp = kind;
	while (sp < end && *sp != ' ')
		sp++;
	size_t klen = (size_t)(sp - kind);
	const char *nm = sp < end ? sp + 1 : end;
	size_t nlen = (size_t)(end - nm);
	char name[EVGW_PROFILE_NAME] = "";
	if (nlen) {
		if (!valid_name(nm, nlen))
			return fail(x, x->lineno, "section name: letters, digits, - _ . only, at most %d",
				    EVGW_PROFILE_NAME - 1);
		memcpy(name, nm, nlen);
		name[nlen] = '\0';
	}
#define IS(w) (klen == strlen(w) && !memcmp(kind, w, klen))
	if (IS("vehicle") || IS("freeze_frame")) {
		if (nlen)
			return fail(x, x->lineno, "[%.*s] takes no name", (int)klen, kind);
		x->kind = IS("vehicle") ? K_VEHICLE : K_FREEZE;
		return true;
	}
	if (!IS("bus") && !IS("ecu") && !IS("did")) {
		char k[SHOW_MAX];
		snprintf(k, sizeof k, "%.*s", (int)(klen < SHOW_MAX - 4 ? klen : SHOW_MAX - 4), kind);
		return fail(x, x->lineno, "unknown section [%s] (vehicle, bus, ecu, did, freeze_frame)", shown(s, k));
	}
	if (!nlen)
		return fail(x, x->lineno, "[%.*s] needs a name, e.g. [%.*s NAME]", (int)klen, kind, (int)klen, kind);
	if (IS("bus")) {
		for (unsigned i = 0; i < p->n_buses; i++)
			if (!strcmp(p->buses[i].name, name))
				return fail(x, x->lineno, "bus \"%s\" defined twice", name);
		if (p->n_buses == EVGW_PROFILE_MAX_BUSES)
			return fail(x, x->lineno, "more than %d buses", EVGW_PROFILE_MAX_BUSES);
		struct evgw_profile_bus *b = &p->buses[p->n_buses++];
		memcpy(b->name, name, nlen + 1);
		b->line = x->lineno;
		x->kind = K_BUS;
	} else if (IS("ecu")) {
		if (evgw_profile_ecu(p, name))
			return fail(x, x->lineno, "ecu \"%s\" defined twice", name);
		if (p->n_ecus == EVGW_PROFILE_MAX_ECUS)
			return fail(x, x->lineno, "more than %d ECUs", EVGW_PROFILE_MAX_ECUS);
		struct evgw_profile_ecu *e = &p->ecus[p->n_ecus++];
		memcpy(e->name, name, nlen + 1);
		e->line = x->lineno;
		e->address = -1;
		e->bus = -1;
		e->spn_cm1 = 4;
		x->kind = K_ECU;
	} else {
		if (evgw_profile_did(p, name))
			return fail(x, x->lineno, "did \"%s\" defined twice", name);
		if (p->n_dids == EVGW_PROFILE_MAX_DIDS)
			return fail(x, x->lineno, "more than %d DIDs", EVGW_PROFILE_MAX_DIDS);
		struct evgw_profile_did *d = &p->dids[p->n_dids++];
		memcpy(d->name, name, nlen + 1);
		d->line = x->lineno;
		d->length = 1;
		d->scale = 1;
		d->ecu = -1;
		x->kind = K_DID;
	}
#undef IS
	return true;
}

/* inih's fgets(): one physical line per call, never split. */
static char *read_line(char *buf, int cap, void *stream)
{
	struct ctx *x = stream;
	if (x->rc || x->pos >= x->len)
		return NULL;
	if (cap < 3) {
		fail(x, x->lineno, "libinih line buffer too small");
		return NULL;
	}
	size_t max = (size_t)cap - 2 < MAX_LINE ? (size_t)cap - 2 : MAX_LINE, n = 0;
	x->lineno++;
	for (; x->pos < x->len && x->text[x->pos] != '\n'; x->pos++) {
		char c = x->text[x->pos];
		if (c == '\0') {
			fail(x, x->lineno, "NUL byte in line");
			return NULL;
		}
		if (n == 0 && is_blank(c))
			continue;
		if (n == max) {
			fail(x, x->lineno, "line too long (max %zu bytes)", max);
			return NULL;
		}
		buf[n++] = c;
	}
	x->pos++; /* the '\n' */
	buf[n] = '\0';
	if (x->lineno == 1 && !strncmp(buf, "\xef\xbb\xbf", 3))
		memmove(buf, buf + 3, n - 2);
	if (buf[0] == '[' && !section_line(x, buf))
		return NULL;
	return buf;
}

/* After the last line: references resolved, required keys present. */
static void finish(struct ctx *x)
{
	struct evgw_profile *p = x->p;
	if (!p->name[0])
		fail(x, 1, "[vehicle] name is required");
	for (unsigned i = 0; i < p->n_ecus && !x->rc; i++) {
		struct evgw_profile_ecu *e = &p->ecus[i];
		if (x->ecu_bus[i][0]) {
			for (unsigned b = 0; b < p->n_buses; b++)
				if (!strcmp(p->buses[b].name, x->ecu_bus[i]))
					e->bus = (int)b;
			if (e->bus < 0)
				fail(x, e->line, "ecu %s: no [bus %s]", e->name, x->ecu_bus[i]);
		} else if (p->n_buses == 1) {
			e->bus = 0;
		} else {
			fail(x, e->line, "ecu %s: which bus? (bus = NAME)", e->name);
		}
		if (x->rc)
			break;
		if (!e->protocol)
			fail(x, e->line, "ecu %s: protocol is required (uds, kwp, obd, j1939)", e->name);
		else if (e->protocol == EVGW_PROFILE_J1939 && e->address < 0)
			fail(x, e->line, "ecu %s: a J1939 ECU needs its address (source address)", e->name);
		else if (e->protocol != EVGW_PROFILE_J1939 && !e->request)
			fail(x, e->line, "ecu %s: request is required (the id the tester sends to)", e->name);
		else if ((e->protocol == EVGW_PROFILE_UDS || e->protocol == EVGW_PROFILE_KWP) && !e->response)
			fail(x, e->line, "ecu %s: response is required (the id the ECU answers on)", e->name);
	}
	for (unsigned i = 0; i < p->n_dids && !x->rc; i++) {
		struct evgw_profile_did *d = &p->dids[i];
		const struct evgw_profile_ecu *e = x->did_ecu[i][0] ? evgw_profile_ecu(p, x->did_ecu[i]) : NULL;
		if (!e)
			fail(x, d->line, "did %s: ecu = NAME of an [ecu] is required", d->name);
		else if (!x->did_has_did[i])
			fail(x, d->line, "did %s: did = the identifier (e.g. 0x0005) is required", d->name);
		else if (e->protocol != EVGW_PROFILE_UDS && e->protocol != EVGW_PROFILE_KWP)
			fail(x, d->line, "did %s: ecu %s does not speak UDS or KWP", d->name, e->name);
		else
			d->ecu = (int)(e - p->ecus);
	}
}

int evgw_profile_load_buffer(const char *text, size_t len, const char *name, struct evgw_profile **out,
			     char *err, size_t errlen)
{
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	struct ctx *x = calloc(1, sizeof *x);
	struct evgw_profile *p = calloc(1, sizeof *p);
	if (!x || !p) {
		free(x);
		free(p);
		return -ENOMEM;
	}
	x->p = p;
	x->name = name ? name : "<profile>";
	x->err = err;
	x->errlen = errlen;
	x->text = text;
	x->len = len;
	if (len > EVGW_PROFILE_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %d bytes", x->name, EVGW_PROFILE_MAX_BYTES);
		x->rc = -EFBIG;
	}
	if (!x->rc) {
		int r = ini_parse_stream(read_line, x, handler, x);
		if (r > 0 && !x->rc)
			fail(x, (unsigned)r, "not a key = value line");
		else if (r < 0 && !x->rc)
			x->rc = -ENOMEM;
	}
	if (!x->rc)
		finish(x);
	int rc = x->rc;
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
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	char *buf = malloc(EVGW_PROFILE_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	size_t n = fread(buf, 1, EVGW_PROFILE_MAX_BYTES + 1, f);
	int rc = ferror(f) ? -EIO : 0;
	fclose(f);
	if (rc)
		snprintf(err, errlen, "%s: read error", path);
	else
		rc = evgw_profile_load_buffer(buf, n, path, out, err, errlen);
	free(buf);
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
