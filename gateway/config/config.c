// SPDX-License-Identifier: MIT
/* The configuration loader. libinih splits lines into keys and values; this
 * file decides what they mean. The text is untrusted: every value is checked,
 * every list and string is bounded, and errors say "file:line: what".
 *
 * inih is driven through ini_parse_stream() with our own line reader, which
 * - counts lines, because Debian's libinih is built without
 *   INI_HANDLER_LINENO;
 * - rejects a line longer than inih's buffer, which inih would otherwise
 *   split, parsing the tail as a line of its own;
 * - drops indentation, so an indented key is a key and never a silent
 *   "continuation" of the previous key's value;
 * - handles "[section]" lines itself, because inih reports no section that
 *   has no keys (a bus without a driver would pass) and truncates names. */
#include "config/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <ini.h>

#ifndef EVGW_DATADIR
#define EVGW_DATADIR "/usr/share/evgw"
#endif

#define MAX_BUSES 64
#define MAX_DBC 64
#define MAX_VALUE 4096            /* inih's own line limit is usually lower */
#define MAX_FILE_BYTES (1 << 20)
#define MAX_BUS_NAME 32
#define MAX_CLIENTS 65536
#define MAX_RECORD_BYTES (1ULL << 50)
#define MAX_REPLAY_SPEED 1e6
#define SHOW_MAX 64               /* untrusted text quoted in a message */
#define TOO_BIG (-2)              /* next_byte(): past MAX_FILE_BYTES */
#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

enum section { SEC_NONE, SEC_GATEWAY, SEC_BUS };

struct ctx {
	struct evgw_config *c;
	const char *name;  /* file name for messages */
	char *err;
	size_t errlen;
	int rc;            /* first error (negative errno), 0 = none */
	unsigned err_line;
	FILE *f;           /* the source: a file, or text[0..len) */
	const char *text;
	size_t pos, len;
	size_t total;      /* bytes read so far */
	unsigned lineno;   /* the line inih is working on */
	enum section sec;  /* in SEC_BUS the current bus is the last one */
};

/* --- messages --- */

static bool vfail(struct ctx *x, int rc, unsigned line, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static bool vfail(struct ctx *x, int rc, unsigned line, const char *fmt, va_list ap)
{
	if (x->rc)
		return false; /* the first error is the one to fix */
	x->rc = rc;
	x->err_line = line;
	if (!x->err || !x->errlen)
		return false;
	int n = snprintf(x->err, x->errlen, "%s:%u: ", x->name, line);
	if (n >= 0 && (size_t)n < x->errlen)
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
	return false;
}

static bool fail_at(struct ctx *x, int rc, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool fail_at(struct ctx *x, int rc, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(x, rc, line, fmt, ap);
	va_end(ap);
	return false;
}

/* An invalid-content error on the current line; always returns false. */
static bool bad(struct ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool bad(struct ctx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(x, -EINVAL, x->lineno, fmt, ap);
	va_end(ap);
	return false;
}

static bool oom(struct ctx *x)
{
	return fail_at(x, -ENOMEM, x->lineno, "out of memory");
}

/* Untrusted text for a message: printable ASCII, bounded. */
static const char *shown(char *out, const char *s, size_t len)
{
	size_t n = len < SHOW_MAX - 4 ? len : SHOW_MAX - 4;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	strcpy(out + n, n < len ? "..." : "");
	return out;
}

/* --- small text helpers --- */

static bool is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Trim blanks off [*s, end); returns the remaining length. */
static size_t trim(const char **s, const char *end)
{
	while (*s < end && is_blank(**s))
		(*s)++;
	while (end > *s && is_blank(end[-1]))
		end--;
	return (size_t)(end - *s);
}

static bool same(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static bool is_word(const char *s)
{
	for (; *s; s++)
		if (is_blank(*s))
			return false;
	return true;
}

/* --- memory --- */

static void free_list(char **list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void free_bus(struct evgw_bus_config *b)
{
	free(b->name);
	free(b->driver);
	free(b->device);
	free_list(b->dbc, b->n_dbc);
	free(b->profile);
	free_list(b->protocols, b->n_protocols);
	free(b->filters);
}

void evgw_config_free(struct evgw_config *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->socket_path);
	free(c->state_dir);
	free(c->socket_group);
	free(c->admin_group);
	free(c->dbc_dir);
	for (unsigned i = 0; i < c->n_buses; i++)
		free_bus(&c->buses[i]);
	free(c->buses);
	memset(c, 0, sizeof *c); /* a second free is a no-op */
}

static bool set_str(struct ctx *x, char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return oom(x);
	free(*dst);
	*dst = s;
	return true;
}

/* An empty value unsets an optional string. */
static bool set_opt_str(struct ctx *x, char **dst, const char *v)
{
	if (*v)
		return set_str(x, dst, v);
	free(*dst);
	*dst = NULL;
	return true;
}

/* --- numbers --- */

/* Decimal digits at *s (at least one), saturating at UINT64_MAX so an
 * overflow shows up as "out of range". */
static bool scan_digits(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (!is_digit(*p))
		return false;
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
	}
	*s = p;
	*v = n;
	return true;
}

static bool scan_uint(const char *s, uint64_t *v)
{
	return scan_digits(&s, v) && *s == '\0';
}

/* "500000", "500k", "83.333k", "1M": an exact whole number of bit/s. */
static bool scan_bitrate(const char *s, uint64_t *out)
{
	uint64_t ip, frac = 0, scale = 1, mult = 1;

	if (!scan_digits(&s, &ip))
		return false;
	if (*s == '.') {
		const char *f = ++s;
		if (!scan_digits(&s, &frac) || s - f > 6)
			return false;
		while (f++ < s)
			scale *= 10;
	}
	if (*s == 'k' || *s == 'K')
		mult = 1000;
	else if (*s == 'M')
		mult = 1000000;
	if (mult > 1)
		s++;
	if (*s || frac * mult % scale)
		return false;
	*out = ip > UINT32_MAX ? UINT64_MAX : ip * mult + frac * mult / scale;
	return true;
}

/* "2.5", "0", "max" (= 0). No signs, exponents, inf or nan. */
static bool scan_speed(const char *s, double *out)
{
	double v = 0, scale = 1;
	bool digits = false, dot = false;

	if (!strcasecmp(s, "max")) {
		*out = 0;
		return true;
	}
	for (; *s; s++) {
		if (*s == '.' && !dot) {
			dot = true;
			continue;
		}
		if (!is_digit(*s))
			return false;
		digits = true;
		if (!dot)
			v = v * 10 + (*s - '0');
		else if (scale > 1e-9)
			v += (*s - '0') * (scale /= 10);
		if (v > 10 * MAX_REPLAY_SPEED)
			v = 10 * MAX_REPLAY_SPEED; /* stays finite; still out of range */
	}
	*out = v;
	return digits;
}

static bool get_uint(struct ctx *x, const char *k, const char *v, uint64_t min, uint64_t max,
		     uint64_t *out)
{
	char s[SHOW_MAX];

	if (!scan_uint(v, out))
		return bad(x, "%s: '%s' is not a number", k, shown(s, v, strlen(v)));
	if (*out < min || *out > max)
		return bad(x, "%s: %s out of range (%llu..%llu)", k, shown(s, v, strlen(v)),
			   (unsigned long long)min, (unsigned long long)max);
	return true;
}

static bool get_bitrate(struct ctx *x, const char *k, const char *v, uint64_t max, uint32_t *out)
{
	char s[SHOW_MAX];
	uint64_t n;

	if (!scan_bitrate(v, &n))
		return bad(x, "%s: '%s' is not a bit rate (e.g. 500000, 500k, 83.333k, 1M)", k,
			   shown(s, v, strlen(v)));
	if (n < 1000 || n > max)
		return bad(x, "%s: %s out of range (1000..%llu)", k, shown(s, v, strlen(v)),
			   (unsigned long long)max);
	*out = (uint32_t)n;
	return true;
}

/* --- lists --- */

/* The next item of a list separated by blanks and/or commas, or NULL. */
static const char *next_item(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s == ',' || is_blank(*s))
		s++;
	if (!*s)
		return NULL;
	*len = strcspn(s, ", \t\r\v\f");
	*p = s + *len;
	return s;
}

/* Maps an item to the stored spelling, or NULL if it is not allowed. */
typedef const char *canon_fn(const char *s, size_t len);

static const char *const protocol_names[] = {"j1939", "uds", "kwp", "obd", "isotp"};

static const char *canon_protocol(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof protocol_names / sizeof *protocol_names; i++)
		if (strlen(protocol_names[i]) == len && !strncasecmp(s, protocol_names[i], len))
			return protocol_names[i];
	return NULL;
}

static bool add_item(struct ctx *x, const char *k, char ***items, unsigned *n, unsigned max,
		     const char *s, size_t len, canon_fn *canon)
{
	char buf[SHOW_MAX];
	const char *name = canon ? canon(s, len) : NULL;

	if (canon && !name)
		return bad(x, "%s: unknown protocol '%s' (allowed: j1939, uds, kwp, obd, isotp)", k,
			   shown(buf, s, len));
	if (name) {
		s = name;
		len = strlen(name);
	}
	for (unsigned i = 0; i < *n; i++)
		if (same(s, len, (*items)[i]))
			return bad(x, "%s: '%s' listed twice", k, shown(buf, s, len));
	if (*n == max)
		return bad(x, "%s: too many items (max %u)", k, max);
	char **grown = realloc(*items, (*n + 1) * sizeof *grown);
	if (!grown)
		return oom(x);
	*items = grown;
	if (!(grown[*n] = strndup(s, len)))
		return oom(x);
	(*n)++;
	return true;
}

/* A later key replaces the whole list; an empty value empties it. */
static bool set_list(struct ctx *x, const char *k, const char *v, unsigned max, canon_fn *canon,
		     char ***list, unsigned *n_list)
{
	char **items = NULL;
	unsigned n = 0;
	const char *s;
	size_t len;

	while ((s = next_item(&v, &len)))
		if (!add_item(x, k, &items, &n, max, s, len, canon)) {
			free_list(items, n);
			return false;
		}
	free_list(*list, *n_list);
	*list = items;
	*n_list = n;
	return true;
}

/* --- [gateway] --- */

static bool abs_path(struct ctx *x, const char *k, const char *v)
{
	if (v[0] != '/')
		return bad(x, "%s: must be an absolute path", k);
	return true;
}

static bool word(struct ctx *x, const char *k, const char *v)
{
	if (!is_word(v))
		return bad(x, "%s: must be one word (inline comments start with ' ;')", k);
	return true;
}

static bool gw_socket(struct ctx *x, const char *k, const char *v)
{
	if (!abs_path(x, k, v))
		return false;
	if (strlen(v) > SUN_PATH_MAX)
		return bad(x, "%s: too long for a Unix socket (max %zu bytes)", k, SUN_PATH_MAX);
	return set_str(x, &x->c->socket_path, v);
}

static bool gw_state_dir(struct ctx *x, const char *k, const char *v)
{
	return abs_path(x, k, v) && set_str(x, &x->c->state_dir, v);
}

static bool gw_dbc_dir(struct ctx *x, const char *k, const char *v)
{
	return abs_path(x, k, v) && set_str(x, &x->c->dbc_dir, v);
}

static bool gw_socket_group(struct ctx *x, const char *k, const char *v)
{
	return word(x, k, v) && set_opt_str(x, &x->c->socket_group, v);
}

static bool gw_admin_group(struct ctx *x, const char *k, const char *v)
{
	return word(x, k, v) && set_opt_str(x, &x->c->admin_group, v);
}

static bool gw_log_level(struct ctx *x, const char *k, const char *v)
{
	static const struct {
		const char *name;
		enum evgw_log_level level;
	} levels[] = {
		{"err", EVGW_LOG_ERR},	   {"warning", EVGW_LOG_WARNING}, {"notice", EVGW_LOG_NOTICE},
		{"info", EVGW_LOG_INFO}, {"debug", EVGW_LOG_DEBUG},
	};
	char s[SHOW_MAX];

	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
		if (!strcasecmp(v, levels[i].name)) {
			x->c->log_level = levels[i].level;
			return true;
		}
	return bad(x, "%s: '%s' is not err, warning, notice, info or debug", k,
		   shown(s, v, strlen(v)));
}

static bool gw_max_per_uid(struct ctx *x, const char *k, const char *v)
{
	uint64_t n;

	if (!get_uint(x, k, v, 1, MAX_CLIENTS, &n))
		return false;
	x->c->max_clients_per_uid = (unsigned)n;
	return true;
}

static bool gw_max_clients(struct ctx *x, const char *k, const char *v)
{
	uint64_t n;

	if (!get_uint(x, k, v, 1, MAX_CLIENTS, &n))
		return false;
	x->c->max_clients = (unsigned)n;
	return true;
}

/* Bytes, or with an IEC unit: "512MiB", "2GiB". No bare "G": in this file
 * k and M already mean 1000 and 1000000 (bit rates). */
static bool gw_record_max(struct ctx *x, const char *k, const char *v)
{
	static const struct {
		const char *unit;
		unsigned shift;
	} units[] = {{"", 0}, {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}};
	char s[SHOW_MAX];
	const char *p = v;
	uint64_t n;

	if (scan_digits(&p, &n))
		for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
			if (strcmp(p, units[i].unit))
				continue;
			if (n < 1 || n > MAX_RECORD_BYTES >> units[i].shift)
				return bad(x, "%s: %s out of range (1..1024TiB)", k,
					   shown(s, v, strlen(v)));
			x->c->record_max_bytes = n << units[i].shift;
			return true;
		}
	return bad(x, "%s: '%s' is not a size (e.g. 1073741824, 512MiB, 1GiB)", k,
		   shown(s, v, strlen(v)));
}

/* --- [bus NAME] --- */

static struct evgw_bus_config *cur_bus(struct ctx *x)
{
	return &x->c->buses[x->c->n_buses - 1];
}

static bool bus_driver(struct ctx *x, const char *k, const char *v)
{
	if (!*v)
		return bad(x, "%s: must not be empty", k);
	return word(x, k, v) && set_str(x, &cur_bus(x)->driver, v);
}

static bool bus_device(struct ctx *x, const char *k, const char *v)
{
	(void)k;
	return set_opt_str(x, &cur_bus(x)->device, v);
}

static bool bus_bitrate(struct ctx *x, const char *k, const char *v)
{
	return get_bitrate(x, k, v, 8000000, &cur_bus(x)->bitrate);
}

static bool bus_data_bitrate(struct ctx *x, const char *k, const char *v)
{
	return get_bitrate(x, k, v, 16000000, &cur_bus(x)->data_bitrate);
}

static bool bus_mode(struct ctx *x, const char *k, const char *v)
{
	char s[SHOW_MAX];

	if (!strcasecmp(v, "listen-only"))
		cur_bus(x)->listen_only = true;
	else if (!strcasecmp(v, "diagnostic"))
		cur_bus(x)->listen_only = false;
	else
		return bad(x, "%s: '%s' is not listen-only or diagnostic", k, shown(s, v, strlen(v)));
	return true;
}

static bool bus_dbc(struct ctx *x, const char *k, const char *v)
{
	struct evgw_bus_config *b = cur_bus(x);
	return set_list(x, k, v, MAX_DBC, NULL, &b->dbc, &b->n_dbc);
}

static bool bus_profile(struct ctx *x, const char *k, const char *v)
{
	return word(x, k, v) && set_opt_str(x, &cur_bus(x)->profile, v);
}

static bool bus_protocols(struct ctx *x, const char *k, const char *v)
{
	struct evgw_bus_config *b = cur_bus(x);
	return set_list(x, k, v, sizeof protocol_names / sizeof *protocol_names, canon_protocol,
			&b->protocols, &b->n_protocols);
}

static bool bus_replay_speed(struct ctx *x, const char *k, const char *v)
{
	char s[SHOW_MAX];
	double d;

	if (!scan_speed(v, &d))
		return bad(x, "%s: '%s' is not a number >= 0 or max", k, shown(s, v, strlen(v)));
	if (d > MAX_REPLAY_SPEED)
		return bad(x, "%s: %s out of range (0..1000000)", k, shown(s, v, strlen(v)));
	cur_bus(x)->replay_speed = d;
	return true;
}

/* yes/true/1 or no/false/0, any case; false when v is neither. */
static bool scan_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

static bool bus_replay_loop(struct ctx *x, const char *k, const char *v)
{
	char s[SHOW_MAX];

	if (!scan_bool(v, &cur_bus(x)->replay_loop))
		return bad(x, "%s: '%s' is not yes, no, true, false, 1 or 0", k,
			   shown(s, v, strlen(v)));
	return true;
}

/* The words of scan_bool, on/off, or 120 (ohm, as systemd-networkd has it). */
static bool bus_termination(struct ctx *x, const char *k, const char *v)
{
	char s[SHOW_MAX];
	bool on;

	if (!strcasecmp(v, "on") || !strcmp(v, "120"))
		on = true;
	else if (!strcasecmp(v, "off"))
		on = false;
	else if (!scan_bool(v, &on))
		return bad(x, "%s: '%s' is not on (120 ohm) or off", k, shown(s, v, strlen(v)));
	cur_bus(x)->termination = on;
	return true;
}

static bool bus_restart_ms(struct ctx *x, const char *k, const char *v)
{
	uint64_t n;

	if (!get_uint(x, k, v, 0, 60000, &n))
		return false;
	cur_bus(x)->restart_ms = (int32_t)n;
	return true;
}

/* One "ID" or "ID/MASK" in hex; an ID above 0x7FF or written with 8 digits
 * is a 29-bit filter. */
static bool scan_filter(const char *s, size_t len, struct evgw_can_filter *f)
{
	char buf[32];
	char *end;

	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	size_t idlen = strlen(buf);
	if (idlen == 0 || idlen > 8 || strspn(buf, "0123456789abcdefABCDEF") != idlen)
		return false;
	unsigned long id = strtoul(buf, &end, 16);
	unsigned long mask;
	f->ext = idlen == 8 || id > EVGW_CAN_SFF_MASK;
	if (id > EVGW_CAN_EFF_MASK)
		return false;
	if (slash) {
		const char *m = slash + 1;
		size_t mlen = strlen(m);
		if (mlen == 0 || mlen > 8 || strspn(m, "0123456789abcdefABCDEF") != mlen)
			return false;
		mask = strtoul(m, &end, 16);
		if (mask > EVGW_CAN_EFF_MASK)
			return false;
	} else {
		mask = f->ext ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK;
	}
	f->id = (uint32_t)id;
	f->mask = (uint32_t)mask;
	return true;
}

#define MAX_FILTERS 512 /* what CAN_RAW_FILTER takes */

static bool bus_filter(struct ctx *x, const char *k, const char *v)
{
	struct evgw_bus_config *b = cur_bus(x);
	struct evgw_can_filter *list = NULL;
	unsigned n = 0;
	const char *s;
	size_t len;
	char shownbuf[SHOW_MAX];

	while ((s = next_item(&v, &len))) {
		if (n == MAX_FILTERS) {
			free(list);
			return bad(x, "%s: too many filters (max %d)", k, MAX_FILTERS);
		}
		struct evgw_can_filter f;
		if (!scan_filter(s, len, &f)) {
			free(list);
			return bad(x, "%s: '%s' is not a hex CAN id or ID/MASK (e.g. 7E8, 18DAF100/1FFFFF00)",
				   k, shown(shownbuf, s, len));
		}
		struct evgw_can_filter *grown = realloc(list, (n + 1) * sizeof *grown);
		if (!grown) {
			free(list);
			return oom(x);
		}
		list = grown;
		list[n++] = f;
	}
	free(b->filters);
	b->filters = list;
	b->n_filters = n;
	return true;
}

/* --- keys --- */

typedef bool setter_fn(struct ctx *x, const char *k, const char *v);

struct key {
	const char *name;
	setter_fn *set;
};

static const struct key gateway_keys[] = {
	{"socket", gw_socket},
	{"state_dir", gw_state_dir},
	{"socket_group", gw_socket_group},
	{"admin_group", gw_admin_group},
	{"dbc_dir", gw_dbc_dir},
	{"log_level", gw_log_level},
	{"max_clients_per_uid", gw_max_per_uid},
	{"max_clients", gw_max_clients},
	{"record_max_bytes", gw_record_max},
	{NULL, NULL},
};

static const struct key bus_keys[] = {
	{"driver", bus_driver},
	{"device", bus_device},
	{"bitrate", bus_bitrate},
	{"data_bitrate", bus_data_bitrate},
	{"mode", bus_mode},
	{"dbc", bus_dbc},
	{"profile", bus_profile},
	{"protocols", bus_protocols},
	{"replay_speed", bus_replay_speed},
	{"replay_loop", bus_replay_loop},
	{"restart_ms", bus_restart_ms},
	{"filter", bus_filter},
	{"termination", bus_termination},
	{NULL, NULL},
};

static const struct key *find_key(const struct key *keys, const char *name)
{
	for (; keys->name; keys++)
		if (!strcmp(keys->name, name))
			return keys;
	return NULL;
}

/* Empty values are left to each key; these hold for all of them. */
static bool check_value(struct ctx *x, const char *k, const char *v)
{
	size_t len = strlen(v);

	if (len > MAX_VALUE)
		return bad(x, "%s: value too long (max %d bytes)", k, MAX_VALUE);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)v[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return bad(x, "%s: control character in value", k);
	}
	return true;
}

static bool set_key(struct ctx *x, const char *name, const char *v)
{
	char s[SHOW_MAX];
	const struct key *k;

	if (x->sec == SEC_NONE)
		return bad(x, "'%s' is not inside a section", shown(s, name, strlen(name)));
	k = find_key(x->sec == SEC_GATEWAY ? gateway_keys : bus_keys, name);
	if (!k && x->sec == SEC_GATEWAY)
		return bad(x, "unknown key '%s' in [gateway]", shown(s, name, strlen(name)));
	if (!k)
		return bad(x, "unknown key '%s' in [bus %s]", shown(s, name, strlen(name)),
			   cur_bus(x)->name);
	return check_value(x, k->name, v) && k->set(x, k->name, v);
}

/* inih's handler. Its section argument is ignored: ours is x->sec. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct ctx *x = user;

	(void)section;
	if (x->rc)
		return 0;
	if (!value) /* only if someone turned on inih's ini_allow_no_value */
		bad(x, "expected 'key = value', '[section]' or a comment");
	else
		set_key(x, name, value);
	return !x->rc;
}

/* --- sections --- */

static bool finish_bus(struct ctx *x)
{
	const struct evgw_bus_config *b;

	if (x->sec != SEC_BUS)
		return true;
	b = cur_bus(x);
	if (!b->driver)
		return fail_at(x, -EINVAL, b->line, "bus '%s' has no driver", b->name);
	/* Only gs_usb has a request for it; elsewhere it would be ignored. */
	if (b->termination >= 0 && strcmp(b->driver, "gsusb") != 0)
		return fail_at(x, -EINVAL, b->line, "bus '%s': termination can only be switched "
			       "with driver = gsusb (driver = %s)", b->name, b->driver);
	return true;
}

/* Bus names end up in CLI tables, JSON and file names: keep them plain. */
static bool valid_bus_name(const char *s, size_t len)
{
	if (len > MAX_BUS_NAME)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (!is_digit(ch) && !(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
		    ch != '-' && ch != '_' && ch != '.')
			return false;
	}
	return true;
}

static bool check_bus_name(struct ctx *x, const char *name, size_t len)
{
	const struct evgw_config *c = x->c;
	char s[SHOW_MAX];

	if (len == 0)
		return bad(x, "empty bus name in [bus NAME]");
	if (!valid_bus_name(name, len))
		return bad(x, "bad bus name '%s' (letters, digits, '-', '_', '.'; at most %d)",
			   shown(s, name, len), MAX_BUS_NAME);
	for (unsigned i = 0; i < c->n_buses; i++)
		if (same(name, len, c->buses[i].name))
			return bad(x, "duplicate bus '%s' (first at line %u)", c->buses[i].name,
				   c->buses[i].line);
	if (c->n_buses >= MAX_BUSES)
		return bad(x, "too many buses (max %d)", MAX_BUSES);
	return true;
}

static bool start_bus(struct ctx *x, const char *name, size_t len)
{
	struct evgw_config *c = x->c;
	struct evgw_bus_config *b;

	if (!check_bus_name(x, name, len))
		return false;
	b = realloc(c->buses, (c->n_buses + 1) * sizeof *b);
	if (!b)
		return oom(x);
	c->buses = b;
	b += c->n_buses;
	memset(b, 0, sizeof *b);
	if (!(b->name = strndup(name, len)))
		return oom(x);
	b->listen_only = true; /* a vehicle bus is not ours */
	b->replay_speed = 1;
	b->restart_ms = -1;
	b->termination = -1;
	b->line = x->lineno;
	c->n_buses++;
	x->sec = SEC_BUS;
	return true;
}

/* A "[...]" line. The text is left as it is: inih parses it after us. */
static bool section_line(struct ctx *x, const char *line)
{
	const char *close = strchr(line, ']');
	const char *name = line + 1, *rest;
	char s[SHOW_MAX];
	size_t len;

	if (!finish_bus(x))
		return false;
	x->sec = SEC_NONE;
	if (!close)
		return bad(x, "missing ']' in section header");
	for (rest = close + 1; is_blank(*rest); rest++)
		;
	if (*rest && *rest != ';')
		return bad(x, "unexpected text after ']'");
	len = trim(&name, close);
	if (same(name, len, "gateway")) {
		x->sec = SEC_GATEWAY;
		return true;
	}
	if (len >= 3 && !memcmp(name, "bus", 3) && (len == 3 || is_blank(name[3]))) {
		const char *bus = name + 3;
		size_t bus_len = trim(&bus, name + len);
		return start_bus(x, bus, bus_len);
	}
	return bad(x, "unknown section '[%s]'", shown(s, name, len));
}

/* --- the line reader --- */

static int next_byte(struct ctx *x)
{
	int ch;

	if (x->f)
		ch = getc(x->f);
	else
		ch = x->pos < x->len ? (unsigned char)x->text[x->pos++] : EOF;
	if (ch != EOF && ++x->total > MAX_FILE_BYTES)
		return TOO_BIG;
	return ch;
}

static bool stream_ok(struct ctx *x)
{
	if (x->f && ferror(x->f))
		return fail_at(x, -EIO, x->lineno, "read error: %s", strerror(errno));
	return true;
}

/* Indentation is dropped so inih never sees a continuation line. */
static bool take_byte(struct ctx *x, char *buf, size_t *n, size_t max, int ch)
{
	if (ch == TOO_BIG)
		return fail_at(x, -EFBIG, x->lineno, "file too large (max %d bytes)", MAX_FILE_BYTES);
	if (ch == '\0')
		return bad(x, "NUL byte in line");
	if (*n == 0 && is_blank(ch))
		return true;
	if (*n == max)
		return bad(x, "line too long (max %zu bytes)", max);
	buf[(*n)++] = (char)ch;
	return true;
}

/* Loops so that inih, which skips one BOM, never sees one. */
static void drop_bom(char *buf)
{
	while (!strncmp(buf, "\xef\xbb\xbf", 3)) {
		size_t i = 3;
		while (is_blank(buf[i]))
			i++;
		memmove(buf, buf + i, strlen(buf + i) + 1);
	}
}

/* inih's fgets(): one physical line per call, never split. */
static char *read_line(char *buf, int num, void *stream)
{
	struct ctx *x = stream;
	size_t n = 0;
	int ch;

	if (x->rc)
		return NULL; /* stop at the first error */
	if (num < 3) {
		fail_at(x, -EINVAL, x->lineno, "libinih line buffer too small");
		return NULL;
	}
	ch = next_byte(x);
	if (ch == EOF) {
		stream_ok(x);
		return NULL;
	}
	x->lineno++;
	for (; ch != EOF && ch != '\n'; ch = next_byte(x))
		if (!take_byte(x, buf, &n, (size_t)num - 2, ch))
			return NULL;
	if (!stream_ok(x))
		return NULL;
	buf[n] = '\0';
	if (x->lineno == 1)
		drop_bom(buf);
	if (buf[0] == '[' && !section_line(x, buf))
		return NULL;
	return buf;
}

/* --- loading --- */

static int load(struct evgw_config *c, struct ctx *x)
{
	char *path;
	int r;

	if (x->err && x->errlen)
		x->err[0] = '\0';
	if (!(path = strdup(x->name))) {
		oom(x);
		return x->rc;
	}
	free(c->path);
	c->path = path;
	r = ini_parse_stream(read_line, x, on_key, x);
	if (r == -2)
		oom(x);
	/* inih found a line that is neither a comment, a section nor a key */
	if (r > 0 && (!x->rc || (unsigned)r < x->err_line)) {
		x->rc = 0;
		fail_at(x, -EINVAL, (unsigned)r, "expected 'key = value', '[section]' or a comment");
	}
	if (!x->rc)
		finish_bus(x);
	return x->rc;
}

static int arg_error(char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "invalid argument");
	return -EINVAL;
}

int evgw_config_load_string(struct evgw_config *c, const char *text, const char *name, char *err,
			    size_t errlen)
{
	struct ctx x = {.c = c, .name = name ? name : "<string>", .err = err, .errlen = errlen};

	if (!c || !text)
		return arg_error(err, errlen);
	x.text = text;
	x.len = strlen(text);
	return load(c, &x);
}

int evgw_config_load_file(struct evgw_config *c, const char *path, char *err, size_t errlen)
{
	struct ctx x = {.c = c, .name = path, .err = err, .errlen = errlen};
	struct stat st;
	int rc = 0;

	if (!c || !path)
		return arg_error(err, errlen);
	if (!(x.f = fopen(path, "re")))
		rc = -errno;
	else if (fstat(fileno(x.f), &st) == 0 && S_ISDIR(st.st_mode))
		rc = -EISDIR; /* glibc opens a directory, then fails to read it */
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	} else {
		rc = load(c, &x);
	}
	if (x.f)
		fclose(x.f);
	return rc;
}

/* --- defaults --- */

/* An absolute directory from the environment; XDG says relative ones are
 * to be ignored. */
static const char *env_dir(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] == '/' && strlen(v) < 4096 ? v : NULL;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

static char *user_socket(const char *tmp)
{
	const char *run = env_dir("XDG_RUNTIME_DIR");

	if (run && strlen(run) + strlen("/evgw/evgw.sock") <= SUN_PATH_MAX)
		return join(run, "/evgw/evgw.sock");
	return join(tmp, "/evgw.sock");
}

static char *user_state(const char *tmp)
{
	const char *dir;

	if ((dir = env_dir("XDG_STATE_HOME")))
		return join(dir, "/evgw");
	if ((dir = env_dir("HOME")))
		return join(dir, "/.local/state/evgw");
	return strdup(tmp);
}

int evgw_config_defaults(struct evgw_config *c, bool as_root)
{
	char tmp[64];

	memset(c, 0, sizeof *c);
	c->log_level = EVGW_LOG_INFO;
	c->max_clients_per_uid = 64;
	c->max_clients = 1024;
	c->record_max_bytes = 1ULL << 30;
	snprintf(tmp, sizeof tmp, "/tmp/evgw-%u", (unsigned)geteuid());
	c->socket_path = as_root ? strdup("/run/evgw/evgw.sock") : user_socket(tmp);
	c->state_dir = as_root ? strdup("/var/lib/evgw") : user_state(tmp);
	c->dbc_dir = strdup(EVGW_DATADIR "/dbc");
	if (!c->socket_path || !c->state_dir || !c->dbc_dir) {
		evgw_config_free(c);
		return -ENOMEM;
	}
	return 0;
}

const struct evgw_bus_config *evgw_config_bus(const struct evgw_config *c, const char *name)
{
	if (!c || !name)
		return NULL;
	for (unsigned i = 0; i < c->n_buses; i++)
		if (!strcmp(c->buses[i].name, name))
			return &c->buses[i];
	return NULL;
}
