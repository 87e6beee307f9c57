// SPDX-License-Identifier: MIT
/* Community PID lists into profile DIDs: see pid_import.h. The JSON is read
 * by json-c (depth-bounded); a JSON value's place in the text is found by
 * looking for its string literal after the previous one, in document order
 * (json-c keeps keys in their order), so that errors name a line and column
 * without a second parser. */
#include "vehicle/pid_import.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#define JSON_DEPTH 16

struct reader {
	const char *text, *name;
	size_t len;
	size_t cursor; /* where the next JSON literal is looked for */
	struct evgw_import *im;
	char *err;
	size_t errlen;
	int rc;
};

static void where(const struct reader *r, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < r->len; i++) {
		if (r->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* An error at text offset off (SIZE_MAX: no place). */
__attribute__((format(printf, 3, 4))) static bool fail(struct reader *r, size_t off, const char *fmt, ...)
{
	if (r->rc)
		return false;
	r->rc = -EINVAL;
	if (!r->err || !r->errlen)
		return false;
	int n;
	if (off == SIZE_MAX) {
		n = snprintf(r->err, r->errlen, "%s: ", r->name);
	} else {
		unsigned line, col;
		where(r, off, &line, &col);
		n = snprintf(r->err, r->errlen, "%s:%u:%u: ", r->name, line, col);
	}
	if (n >= 0 && (size_t)n < r->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* The offset of the first byte of string value s inside its literal, found
 * after the cursor (which moves past it); SIZE_MAX when not found as is
 * (escapes in the text). */
static size_t locate(struct reader *r, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = r->cursor; i + n + 2 <= r->len; i++)
		if (r->text[i] == '"' && !memcmp(r->text + i + 1, s, n) && r->text[i + 1 + n] == '"') {
			r->cursor = i + 1 + n;
			return i + 1;
		}
	return SIZE_MAX;
}

/* A shown piece of untrusted text: printable ASCII, cut to 40 bytes. */
static const char *shown(char out[48], const char *s)
{
	size_t i = 0;
	for (; i < 40 && s[i]; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7F ? s[i] : '?';
	strcpy(out + i, s[i] ? "..." : "");
	return out;
}

/* --- names, units, ids --- */

/* A section name from free text: lower case, [a-z0-9_.-], others as '_'. */
static void make_name(const char *s, char out[EVGW_PROFILE_NAME])
{
	size_t n = 0;
	bool gap = false;
	for (; *s && n < EVGW_PROFILE_NAME - 1; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_') {
			if (gap && n)
				out[n++] = '_';
			gap = false;
			if (n < EVGW_PROFILE_NAME - 1)
				out[n++] = (char)tolower(c);
		} else {
			gap = true;
		}
	}
	out[n] = '\0';
}

static bool name_taken(const struct evgw_import *im, const char *name)
{
	for (unsigned i = 0; i < im->n_dids; i++)
		if (!strcmp(im->dids[i].name, name))
			return true;
	return false;
}

/* Text for an INI value: no control bytes, no ';' (a comment), whole UTF-8
 * characters only. */
static void ini_text(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; *s && n + 1 < cap; s++)
		out[n++] = (unsigned char)*s < 0x20 || *s == 0x7F ? ' ' : *s == ';' ? ',' : *s;
	if (*s) /* cut: not inside a character */
		while (n && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
			n--;
	if (n && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		n--;
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	size_t lead = strspn(out, " ");
	memmove(out, out + lead, n - lead + 1);
}

/* Hex digits with optional "0x" and blanks: *v, false when not hex. */
static bool hex(const char *s, unsigned max_digits, uint64_t *v, unsigned *digits)
{
	*v = 0;
	*digits = 0;
	s += strspn(s, " ");
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		if (*s == ' ')
			continue;
		if (!isxdigit((unsigned char)*s) || *digits == max_digits)
			return false;
		*v = *v << 4 | (uint64_t)(isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10);
		(*digits)++;
	}
	return *digits > 0;
}

/* "221FFC" -> 0x1FFC. elm_count: one more digit is allowed (WiCAN). */
static bool command_did(struct reader *r, size_t off, const char *s, bool elm_count, uint16_t *did)
{
	uint64_t v;
	unsigned d;
	char sh[48];
	if (!hex(s, 7, &v, &d) || (d != 6 && !(elm_count && d == 7)))
		return fail(r, off, "'%s' is not a UDS ReadDataByIdentifier request (22 and a 2-byte DID, e.g. 221FFC): "
				    "only those become DIDs",
			    shown(sh, s));
	if (d == 7)
		v >>= 4;
	if (v >> 16 != 0x22)
		return fail(r, off, "'%s' is service %02X, not ReadDataByIdentifier (22): only those become DIDs",
			    shown(sh, s), (unsigned)(v >> 16));
	*did = (uint16_t)v;
	return true;
}

static bool can_id(struct reader *r, size_t off, const char *s, uint32_t *id)
{
	uint64_t v;
	unsigned d;
	char sh[48];
	if (!hex(s, 8, &v, &d) || (d <= 3 && v > 0x7FF) || v > 0x1FFFFFFF || !v)
		return fail(r, off, "'%s' is not a CAN id in hex (7E7, 18DA44F1)", shown(sh, s));
	*id = (uint32_t)v;
	return true;
}

/* The answer's id when the file gives none (assumed). */
static uint32_t response_of(uint32_t request)
{
	if (request <= 0x7F7)
		return request + 8;
	if ((request & 0x1FFF0000u) == 0x18DA0000u) /* ISO 15765-4 normal fixed: TA and SA swap */
		return 0x18DA0000u | (request & 0xFFu) << 8 | (request >> 8 & 0xFFu);
	return request + 8;
}

/* One DID from its parts; off_expr is the equation's place (SIZE_MAX: none). */
static bool add_did(struct reader *r, const char *name, uint32_t request, uint32_t response, uint16_t did,
		    const char *equation, size_t off_expr, enum evgw_expr_dialect d, const char *unit)
{
	struct evgw_import *im = r->im;
	char sh[48], sh2[48];
	if (im->n_dids == EVGW_PROFILE_MAX_DIDS)
		return fail(r, off_expr, "more than %d DIDs (a profile's limit)", EVGW_PROFILE_MAX_DIDS);
	unsigned ecus = 0;
	for (unsigned i = 0; i < im->n_dids; i++) {
		bool first = true;
		for (unsigned j = 0; j < i && first; j++)
			first = im->dids[j].request != im->dids[i].request;
		ecus += first && im->dids[i].request != request;
	}
	if (ecus + 1 > EVGW_PROFILE_MAX_ECUS)
		return fail(r, off_expr, "more than %d ECUs (a profile's limit)", EVGW_PROFILE_MAX_ECUS);
	struct evgw_import_did *x = &im->dids[im->n_dids];
	memset(x, 0, sizeof *x);
	unsigned col;
	char msg[160], text[2 * EVGW_EXPR_TEXT_MAX + 64];
	if (evgw_expr_parse(&x->expr, equation, strlen(equation), d, &col, msg, sizeof msg)) {
		if (off_expr == SIZE_MAX)
			return fail(r, off_expr, "%s: equation '%s', column %u: %s", shown(sh, name), shown(sh2, equation),
				    col, msg);
		return fail(r, off_expr + col - 1, "%s: %s", shown(sh, name), msg);
	}
	int tn = evgw_expr_format(&x->expr, text, sizeof text);
	if (tn < 0 || tn > EVGW_EXPR_TEXT_MAX)
		return fail(r, off_expr, "%s: the equation is longer than %d bytes as a profile's expr",
			    shown(sh, name), EVGW_EXPR_TEXT_MAX);
	char base[EVGW_PROFILE_NAME];
	make_name(name, base);
	if (!base[0])
		snprintf(base, sizeof base, "did_%04x", did);
	snprintf(x->name, sizeof x->name, "%s", base);
	for (unsigned k = 2; name_taken(im, x->name); k++) {
		char suffix[16];
		int n = snprintf(suffix, sizeof suffix, "_%u", k);
		size_t keep = strlen(base);
		if (keep + (size_t)n >= sizeof x->name)
			keep = sizeof x->name - 1 - (size_t)n;
		snprintf(x->name, sizeof x->name, "%.*s%s", (int)keep, base, suffix);
	}
	x->request = request;
	x->response = response ? response : response_of(request);
	x->did = did;
	ini_text(unit ? unit : "", x->unit, sizeof x->unit);
	im->n_dids++;
	return true;
}

/* --- JSON --- */

static json_object *json_parse(struct reader *r)
{
	json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok) {
		r->rc = -ENOMEM;
		return NULL;
	}
	json_object *root = json_tokener_parse_ex(tok, r->text, (int)r->len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	if (e != json_tokener_success || !root) {
		if (e == json_tokener_success)
			fail(r, 0, "not a JSON object");
		else if (e == json_tokener_continue)
			fail(r, end, "not JSON: the text ends inside a value");
		else
			fail(r, end ? end - 1 : 0, "not JSON: %s", json_tokener_error_desc(e));
		json_object_put(root);
		root = NULL;
	} else {
		while (end < r->len && (r->text[end] == ' ' || r->text[end] == '\t' || r->text[end] == '\r' ||
					r->text[end] == '\n'))
			end++;
		if (end < r->len) {
			fail(r, end, "text after the JSON value");
			json_object_put(root);
			root = NULL;
		}
	}
	json_tokener_free(tok);
	return root;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

/* ATSH / ATCRA / ATFCSH in an ELM327 init string "ATSH7E7;ATST96;". */
static bool wican_init(struct reader *r, const char *init, uint32_t *request, uint32_t *response)
{
	size_t off = locate(r, init);
	const char *s = init;
	while (*s) {
		size_t n = strcspn(s, ";");
		char cmd[64];
		size_t k = 0;
		for (size_t i = 0; i < n && k < sizeof cmd - 1; i++)
			if (s[i] != ' ')
				cmd[k++] = (char)toupper((unsigned char)s[i]);
		cmd[k] = '\0';
		size_t here = off == SIZE_MAX ? SIZE_MAX : off + (size_t)(s - init);
		if (!strncmp(cmd, "ATSH", 4) && !can_id(r, here, cmd + 4, request))
			return false;
		if (!strncmp(cmd, "ATCRA", 5) && cmd[5] && !can_id(r, here, cmd + 5, response))
			return false;
		s += n;
		if (*s == ';')
			s++;
	}
	return true;
}

static bool read_wican(struct reader *r, json_object *car)
{
	json_object *pids, *cars;
	if (json_object_object_get_ex(car, "cars", &cars)) {
		if (!json_object_is_type(cars, json_type_array) || json_object_array_length(cars) != 1)
			return fail(r, SIZE_MAX, "\"cars\" holds %zu vehicles: import a file with one",
				    json_object_is_type(cars, json_type_array) ? json_object_array_length(cars) : 0);
		car = json_object_array_get_idx(cars, 0);
	}
	if (!json_object_is_type(car, json_type_object) || !json_object_object_get_ex(car, "pids", &pids) ||
	    !json_object_is_type(pids, json_type_array))
		return fail(r, SIZE_MAX, "no \"pids\" array (a WiCAN vehicle profile)");
	const char *model = jstr(car, "car_model");
	if (model) {
		locate(r, model);
		make_name(model, r->im->vehicle);
	}
	uint32_t request = 0, response = 0;
	const char *init = jstr(car, "init");
	if (init && !wican_init(r, init, &request, &response))
		return false;
	for (size_t i = 0; i < json_object_array_length(pids); i++) {
		json_object *p = json_object_array_get_idx(pids, i), *params;
		const char *pid = json_object_is_type(p, json_type_object) ? jstr(p, "pid") : NULL;
		if (!pid)
			return fail(r, SIZE_MAX, "pids[%zu]: no \"pid\" string", i);
		size_t off = locate(r, pid);
		uint16_t did;
		if (!command_did(r, off, pid, true, &did))
			return false;
		uint32_t req = request, resp = response;
		const char *pinit = jstr(p, "pid_init");
		if (pinit && !wican_init(r, pinit, &req, &resp))
			return false;
		if (!req)
			return fail(r, off, "pids[%zu]: no request id (ATSH in \"init\" or \"pid_init\")", i);
		if (!json_object_object_get_ex(p, "parameters", &params) || !json_object_is_type(params, json_type_array))
			return fail(r, off, "pids[%zu]: no \"parameters\" array", i);
		for (size_t j = 0; j < json_object_array_length(params); j++) {
			json_object *q = json_object_array_get_idx(params, j);
			const char *name = json_object_is_type(q, json_type_object) ? jstr(q, "name") : NULL;
			const char *ex = name ? jstr(q, "expression") : NULL;
			if (!name || !ex)
				return fail(r, off, "pids[%zu].parameters[%zu]: needs \"name\" and \"expression\" strings", i,
					    j);
			size_t save = r->cursor;
			size_t noff = locate(r, name);
			r->cursor = save;
			size_t at = locate(r, ex);
			if (noff != SIZE_MAX && noff > r->cursor)
				r->cursor = noff;
			if (!add_did(r, name, req, resp, did, ex, at, EVGW_EXPR_WICAN, jstr(q, "unit")))
				return false;
		}
	}
	return true;
}

static bool read_abrp(struct reader *r, json_object *root)
{
	if (!json_object_is_type(root, json_type_object))
		return fail(r, SIZE_MAX, "not an object of named PIDs (ABRP)");
	json_object_object_foreach(root, key, v)
	{
		size_t koff = locate(r, key);
		if (!json_object_is_type(v, json_type_object))
			return fail(r, koff, "\"%s\" is not an object with equation, command and ecu", key);
		const char *eq = jstr(v, "equation"), *cmd = jstr(v, "command"), *ecu = jstr(v, "ecu");
		if (!eq || !cmd || !ecu)
			return fail(r, koff, "\"%s\" needs \"equation\", \"command\" and \"ecu\" strings", key);
		/* In the file's key order; the cursor moves past each. */
		size_t save = r->cursor;
		size_t eoff = locate(r, eq);
		r->cursor = save;
		size_t coff = locate(r, cmd);
		r->cursor = save;
		size_t uoff = locate(r, ecu);
		uint16_t did;
		uint32_t req;
		if (!command_did(r, coff, cmd, false, &did))
			return false;
		if (!ecu[0])
			return fail(r, uoff, "\"%s\": an empty \"ecu\" (the functional address) cannot read a DID", key);
		if (!can_id(r, uoff, ecu, &req))
			return false;
		if (!add_did(r, key, req, 0, did, eq, eoff, EVGW_EXPR_TORQUE, jstr(v, "unit")))
			return false;
		size_t far = eoff == SIZE_MAX ? save : eoff;
		if (coff != SIZE_MAX && coff > far)
			far = coff;
		if (uoff != SIZE_MAX && uoff > far)
			far = uoff;
		r->cursor = far;
	}
	return true;
}

/* --- CSV (Torque) --- */

/* The fields of one line, quotes removed; their offsets. Returns the count
 * or -1 (an error reported). */
#define CSV_MAX_FIELDS 16
#define CSV_FIELD 256
static int csv_fields(struct reader *r, size_t off, size_t end, char f[CSV_MAX_FIELDS][CSV_FIELD],
		      size_t at[CSV_MAX_FIELDS])
{
	int n = 0;
	size_t i = off;
	for (;;) {
		if (n == CSV_MAX_FIELDS) {
			fail(r, i, "more than %d fields", CSV_MAX_FIELDS);
			return -1;
		}
		size_t k = 0;
		while (i < end && r->text[i] == ' ')
			i++;
		at[n] = i;
		if (i < end && r->text[i] == '"') {
			size_t open = i++;
			at[n] = i;
			for (;;) {
				if (i >= end) {
					fail(r, open, "a quote that does not close");
					return -1;
				}
				if (r->text[i] == '"') {
					if (i + 1 < end && r->text[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (k == CSV_FIELD - 1) {
					fail(r, at[n], "a field longer than %d bytes", CSV_FIELD - 1);
					return -1;
				}
				f[n][k++] = r->text[i++];
			}
			while (i < end && r->text[i] == ' ')
				i++;
			if (i < end && r->text[i] != ',') {
				fail(r, i, "text after a quoted field");
				return -1;
			}
		} else {
			while (i < end && r->text[i] != ',') {
				if (k == CSV_FIELD - 1) {
					fail(r, at[n], "a field longer than %d bytes", CSV_FIELD - 1);
					return -1;
				}
				f[n][k++] = r->text[i++];
			}
			while (k && f[n][k - 1] == ' ')
				k--;
		}
		f[n][k] = '\0';
		n++;
		if (i >= end)
			return n;
		i++; /* ',' */
	}
}

enum col { C_NAME, C_SHORT, C_PID, C_EQ, C_UNITS, C_HEADER, C_N };

static bool read_torque(struct reader *r)
{
	static const char *const heads[C_N] = {"name", "shortname", "modeandpid", "equation", "units", "header"};
	int col[C_N];
	bool have_header = false;
	char (*f)[CSV_FIELD] = malloc(sizeof(char[CSV_MAX_FIELDS][CSV_FIELD]));
	size_t at[CSV_MAX_FIELDS];
	if (!f) {
		r->rc = -ENOMEM;
		return false;
	}
	bool ok = true;
	for (size_t off = 0; ok && off < r->len;) {
		size_t end = off;
		while (end < r->len && r->text[end] != '\n')
			end++;
		size_t next = end + 1, stop = end;
		if (stop > off && r->text[stop - 1] == '\r')
			stop--;
		size_t first = off;
		while (first < stop && (r->text[first] == ' ' || r->text[first] == '\t'))
			first++;
		if (first >= stop || r->text[first] == '#') {
			off = next;
			continue;
		}
		int n = csv_fields(r, off, stop, f, at);
		if (n < 0) {
			ok = false;
			break;
		}
		if (!have_header) {
			for (int c = 0; c < C_N; c++)
				col[c] = -1;
			for (int i = 0; i < n; i++) {
				char w[CSV_FIELD];
				size_t k = 0;
				for (const char *s = f[i]; *s; s++)
					if (*s != ' ' && *s != '_')
						w[k++] = (char)tolower((unsigned char)*s);
				w[k] = '\0';
				for (int c = 0; c < C_N; c++)
					if (!strcmp(w, heads[c]) && col[c] < 0)
						col[c] = i;
			}
			if (col[C_PID] < 0 || col[C_EQ] < 0 || (col[C_NAME] < 0 && col[C_SHORT] < 0)) {
				ok = fail(r, off,
					  "the first line must name the columns: Name or ShortName, ModeAndPID, Equation "
					  "(Units, Header)");
				break;
			}
			have_header = true;
			off = next;
			continue;
		}
		const char *get[C_N];
		for (int c = 0; c < C_N; c++)
			get[c] = col[c] >= 0 && col[c] < n ? f[col[c]] : "";
		size_t pid_at = col[C_PID] < n ? at[col[C_PID]] : off;
		const char *name = get[C_SHORT][0] ? get[C_SHORT] : get[C_NAME];
		uint16_t did;
		uint32_t req;
		if (!get[C_HEADER][0]) {
			ok = fail(r, off, "no Header (the ECU's request id, e.g. 7E7): a DID needs one");
			break;
		}
		ok = command_did(r, pid_at, get[C_PID], false, &did) &&
		     can_id(r, at[col[C_HEADER]], get[C_HEADER], &req) &&
		     add_did(r, name, req, 0, did, get[C_EQ], col[C_EQ] < n ? at[col[C_EQ]] : off, EVGW_EXPR_TORQUE,
			     get[C_UNITS]);
		off = next;
	}
	if (ok && !have_header)
		ok = fail(r, SIZE_MAX, "empty: no header line");
	free(f);
	return ok;
}

/* --- the whole --- */

static const char *const format_words[] = {"", "wican", "abrp", "torque"};

enum evgw_import_format evgw_import_format_named(const char *word)
{
	for (int i = 1; i < 4; i++)
		if (!strcasecmp(word, format_words[i]))
			return (enum evgw_import_format)i;
	return EVGW_IMPORT_GUESS;
}

const char *evgw_import_format_name(enum evgw_import_format f)
{
	return f >= EVGW_IMPORT_WICAN && f <= EVGW_IMPORT_TORQUE ? format_words[f] : "guess";
}

int evgw_import_parse(const char *text, size_t len, const char *name, enum evgw_import_format fmt,
		      struct evgw_import *out, char *err, size_t errlen)
{
	struct reader r = {.text = text, .len = len, .name = name ? name : "<input>", .im = out, .err = err,
			   .errlen = errlen};
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	if (len > EVGW_IMPORT_MAX_BYTES) {
		fail(&r, SIZE_MAX, "larger than %d bytes", EVGW_IMPORT_MAX_BYTES);
		return -EFBIG;
	}
	if (memchr(text, '\0', len)) {
		fail(&r, (size_t)((const char *)memchr(text, '\0', len) - text), "a NUL byte: not a text file");
		return r.rc;
	}
	size_t lead = 0;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		lead = 3; /* a UTF-8 BOM */
	while (lead < len && isspace((unsigned char)text[lead]))
		lead++;
	bool json = lead < len && (text[lead] == '{' || text[lead] == '[');
	json_object *root = NULL;
	if (json || fmt == EVGW_IMPORT_WICAN || fmt == EVGW_IMPORT_ABRP) {
		if (fmt == EVGW_IMPORT_TORQUE) {
			fail(&r, lead, "JSON, not a Torque CSV");
			return r.rc;
		}
		if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
			r.text += 3; /* json-c does not take a BOM */
			r.len -= 3;
		}
		root = json_parse(&r);
		if (!root)
			return r.rc ? r.rc : -EINVAL;
		if (fmt == EVGW_IMPORT_GUESS) {
			json_object *tmp;
			fmt = json_object_is_type(root, json_type_object) &&
					      (json_object_object_get_ex(root, "pids", &tmp) ||
					       json_object_object_get_ex(root, "cars", &tmp))
				      ? EVGW_IMPORT_WICAN
				      : EVGW_IMPORT_ABRP;
		}
	} else if (fmt == EVGW_IMPORT_GUESS) {
		fmt = EVGW_IMPORT_TORQUE;
	}
	out->format = fmt;
	if (fmt == EVGW_IMPORT_WICAN)
		read_wican(&r, root);
	else if (fmt == EVGW_IMPORT_ABRP)
		read_abrp(&r, root);
	else
		read_torque(&r);
	json_object_put(root);
	if (!r.rc && !out->n_dids)
		fail(&r, SIZE_MAX, "no DIDs in it");
	if (r.rc)
		memset(out, 0, sizeof *out);
	return r.rc;
}

/* --- writing --- */

int evgw_import_write(const struct evgw_import *im, const char *source, FILE *f)
{
	char src[EVGW_PROFILE_TEXT], name[EVGW_PROFILE_NAME];
	const char *base = strrchr(source, '/');
	ini_text(base ? base + 1 : source, src, sizeof src);
	if (im->vehicle[0]) {
		snprintf(name, sizeof name, "%s", im->vehicle);
	} else {
		make_name(src, name);
		char *dot = strrchr(name, '.');
		if (dot && dot != name)
			*dot = '\0';
		if (!name[0])
			snprintf(name, sizeof name, "imported");
	}
	fprintf(f,
		"# Imported by evgw profile import from %s (%s format). Every DID is\n"
		"# as that file gives it, not confirmed here: check on a vehicle.\n"
		"[vehicle]\nname = %s\ndescription = Imported from %s\nstatus = assumed\nsource = %s\n\n"
		"[bus obd]\nprotocols = uds\n",
		src, evgw_import_format_name(im->format), name, src, src);
	/* One [ecu] per request id, in the order first seen. */
	for (unsigned i = 0; i < im->n_dids; i++) {
		bool seen = false;
		for (unsigned j = 0; j < i && !seen; j++)
			seen = im->dids[j].request == im->dids[i].request;
		if (seen)
			continue;
		fprintf(f,
			"\n# The answer's id %s.\n[ecu ecu_%x]\nprotocol = uds\nrequest = 0x%X\nresponse = 0x%X\n"
			"source = %s\nconfidence = assumed\n",
			im->format == EVGW_IMPORT_WICAN ? "is ATCRA's, or request + 8 when the file has none"
							: "is assumed (request + 8)",
			im->dids[i].request, im->dids[i].request, im->dids[i].response, src);
	}
	for (unsigned i = 0; i < im->n_dids; i++) {
		const struct evgw_import_did *d = &im->dids[i];
		char expr[2 * EVGW_EXPR_TEXT_MAX + 64];
		int n = evgw_expr_format(&d->expr, expr, sizeof expr);
		if (n < 0)
			return n;
		fprintf(f, "\n[did %s]\necu = ecu_%x\ndid = 0x%04X\nexpr = %s\n", d->name, d->request, d->did, expr);
		if (d->unit[0])
			fprintf(f, "unit = %s\n", d->unit);
		fprintf(f, "source = %s\nconfidence = assumed\n", src);
	}
	return ferror(f) ? -EIO : 0;
}
