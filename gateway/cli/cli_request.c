// SPDX-License-Identifier: MIT
/* From operands and options to the daemon's request (PROTOCOL.md): each
 * builder adds its arguments to x->req, checking what can be checked here
 * (hex lists, DIDs, paths) so that a mistake is named before asking. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_i18n.h"
#include "cli/cli_print.h"

/* "0D,42" / "121 18FECAEF": hex numbers in [min, max], into a JSON array. */
static int hex_list(struct cli_ctx *x, const char *text, unsigned long min, unsigned long max,
		    const char *what, json_object **out)
{
	json_object *arr = json_object_new_array();
	char *copy = strdup(text), *save = NULL;
	int rc = copy ? 0 : CLI_FAILED;
	for (char *t = copy ? strtok_r(copy, ", ", &save) : NULL; t && !rc; t = strtok_r(NULL, ", ", &save)) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(t, &end, 16);
		if (*end || errno || v < min || v > max || *t == '-' || *t == '+') {
			fprintf(stderr, _("evgw %s: '%s' is not %s (hex, %lX..%lX)\n"), x->cmd->name, t, _(what), min, max);
			rc = CLI_USAGE;
			break;
		}
		json_object_array_add(arr, json_object_new_int64((int64_t)v));
	}
	free(copy);
	if (!rc && !json_object_array_length(arr)) {
		fprintf(stderr, _("evgw %s: '%s' names no %s\n"), x->cmd->name, text, _(what));
		rc = CLI_USAGE;
	}
	if (rc)
		json_object_put(arr);
	else
		*out = arr;
	return rc;
}

static void opt_bus(struct cli_ctx *x)
{
	if (x->o->bus)
		cli_req_str(x, "bus", x->o->bus);
}

static int need_bus(struct cli_ctx *x, const char *given)
{
	const char *bus;
	int rc = cli_need_bus(x, given, &bus);
	if (!rc)
		cli_req_str(x, "bus", bus);
	return rc;
}

int cli_build_messages(struct cli_ctx *x)
{
	cli_req_str(x, "bus", x->args[0]);
	return 0;
}

int cli_build_signals(struct cli_ctx *x)
{
	if (x->n_args)
		cli_req_str(x, "glob", x->args[0]);
	opt_bus(x);
	return 0;
}

int cli_build_bus_filter(struct cli_ctx *x)
{
	opt_bus(x);
	return 0;
}

/* Only a language other than the daemon's default is asked for. */
static void opt_lang(struct cli_ctx *x)
{
	const char *lang = cli_lang(x->o);
	if (strcmp(lang, "en"))
		cli_req_str(x, "lang", lang);
}

int cli_build_faults(struct cli_ctx *x)
{
	opt_lang(x);
	if (x->o->history)
		json_object_object_add(x->req, "history", json_object_new_boolean(1));
	opt_bus(x);
	return 0;
}

int cli_build_ecu(struct cli_ctx *x)
{
	int rc = need_bus(x, NULL);
	if (!rc)
		cli_req_str(x, "ecu", x->args[0]);
	if (!rc && (x->cmd->options & CLI_OPT_LANG)) /* read-dtc: DTC texts */
		opt_lang(x);
	return rc;
}

int cli_build_vin(struct cli_ctx *x)
{
	int rc = need_bus(x, NULL);
	if (!rc && x->n_args)
		cli_req_str(x, "ecu", x->args[0]);
	return rc;
}

int cli_build_read_did(struct cli_ctx *x)
{
	const char *did = x->args[1];
	const char *hex = strncasecmp(did, "0x", 2) ? did : did + 2;
	char *end;
	errno = 0;
	unsigned long v = strtoul(hex, &end, 16);
	bool is_hex = *hex && !*end && *hex != '-' && *hex != '+';
	if (is_hex && (errno || v > 0xFFFF)) {
		fprintf(stderr, _("evgw read-did: DID '%s' is not 0..FFFF\n"), did);
		return CLI_USAGE;
	}
	int rc = need_bus(x, NULL);
	if (rc)
		return rc;
	cli_req_str(x, "ecu", x->args[0]);
	if (is_hex)
		json_object_object_add(x->req, "did", json_object_new_int64((int64_t)v));
	else /* a DID name from the bus's vehicle profile */
		cli_req_str(x, "did", did);
	return 0;
}

int cli_build_read_pids(struct cli_ctx *x)
{
	json_object *pids = NULL;
	if (x->n_args) {
		int rc = hex_list(x, x->args[0], 0x01, 0xFF, N_("an OBD-II PID"), &pids);
		if (rc)
			return rc;
	}
	int rc = need_bus(x, NULL);
	if (rc) {
		json_object_put(pids);
		return rc;
	}
	if (pids)
		json_object_object_add(x->req, "pids", pids);
	return 0;
}

static void topic(struct cli_ctx *x, const char *t)
{
	cli_req_str(x, "topic", t);
	opt_bus(x);
}

int cli_build_battery(struct cli_ctx *x)
{
	return need_bus(x, NULL);
}

int cli_build_watch_signals(struct cli_ctx *x)
{
	topic(x, "signals");
	if (x->n_args)
		cli_req_str(x, "glob", x->args[0]);
	json_object_object_add(x->req, "max_rate", json_object_new_double(x->o->rate > 0 ? x->o->rate : 2.0));
	return 0;
}

int cli_build_watch_frames(struct cli_ctx *x)
{
	json_object *ids = NULL;
	if (x->n_args) {
		int rc = hex_list(x, x->args[0], 0, 0x1FFFFFFF, N_("a CAN id"), &ids);
		if (rc)
			return rc;
	}
	topic(x, "frames");
	if (ids)
		json_object_object_add(x->req, "ids", ids);
	return 0;
}

int cli_build_watch_bus(struct cli_ctx *x)
{
	topic(x, "bus");
	return 0;
}

int cli_build_watch_faults(struct cli_ctx *x)
{
	topic(x, "faults");
	opt_lang(x);
	return 0;
}

/* A path with a '/' in it is made absolute (the daemon takes absolute
 * paths from admins, plain names under its recordings directory); a plain
 * name stays as it is. */
static int record_file(struct cli_ctx *x, const char *file)
{
	if (!strchr(file, '/') || file[0] == '/') {
		cli_req_str(x, "file", file);
		return 0;
	}
	const char *slash = strrchr(file, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - file), file);
	if (!realpath(dir, real)) {
		fprintf(stderr, _("evgw record start: cannot use the directory '%s': %s\n"), dir, strerror(errno));
		return CLI_USAGE;
	}
	if (!slash[1]) {
		fprintf(stderr, _("evgw record start: '%s' names a directory, not a file\n"), file);
		return CLI_USAGE;
	}
	size_t len = strlen(real) + strlen(slash) + 1;
	char *path = malloc(len);
	if (!path)
		return CLI_FAILED;
	snprintf(path, len, "%s%s", strcmp(real, "/") ? real : "", slash);
	cli_req_str(x, "file", path);
	free(path);
	return 0;
}

int cli_build_record_start(struct cli_ctx *x)
{
	cli_req_str(x, "action", "start");
	if (x->o->rotate_bytes)
		json_object_object_add(x->req, "rotate_bytes", json_object_new_int64((int64_t)x->o->rotate_bytes));
	int rc = record_file(x, x->args[x->n_args - 1]);
	return rc ? rc : need_bus(x, x->n_args == 2 ? x->args[0] : NULL);
}

int cli_build_record_stop(struct cli_ctx *x)
{
	cli_req_str(x, "action", "stop");
	return need_bus(x, x->n_args ? x->args[0] : NULL);
}

/* charging: one bus (the daemon's only one without --bus). */
int cli_build_charging(struct cli_ctx *x)
{
	return need_bus(x, NULL);
}
