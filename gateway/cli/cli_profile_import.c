// SPDX-License-Identifier: MIT
/* evgw profile import: a shared PID list (WiCAN, ABRP, Torque) into a
 * vehicle profile. The written text is read back with the daemon's own
 * profile reader before it is saved, so that what is saved loads. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_commands.h"
#include "cli/cli_i18n.h"
#include "util/ini.h"
#include "vehicle/pid_import.h"
#include "vehicle/profile.h"

static int usage(const char *what)
{
	fprintf(stderr, _("evgw: %s\nusage: %s\n"), what,
		"evgw profile import FILE [--format wican|abrp|torque] [--out PROFILE.ini]");
	return CLI_USAGE;
}

int cli_run_profile_import(struct cli_ctx *x)
{
	const char *file = NULL, *out_path = NULL;
	enum evgw_import_format fmt = EVGW_IMPORT_GUESS;
	int i = 0;
	/* x->args: the command's words, then its operands and options. */
	while (i < x->n_args && (!strcmp(x->args[i], "profile") || !strcmp(x->args[i], "import")))
		i++;
	bool operands_only = false;
	for (; i < x->n_args; i++) {
		const char *a = x->args[i];
		if (!operands_only && !strcmp(a, "--")) {
			operands_only = true;
		} else if (!operands_only && (!strcmp(a, "--format") || !strcmp(a, "--out"))) {
			if (i + 1 >= x->n_args) {
				char m[64];
				snprintf(m, sizeof m, _("%s needs a value"), a);
				return usage(m);
			}
			const char *v = x->args[++i];
			if (a[2] == 'o') {
				out_path = v;
			} else if ((fmt = evgw_import_format_named(v)) == EVGW_IMPORT_GUESS) {
				char m[192];
				snprintf(m, sizeof m, _("--format '%.40s': wican, abrp or torque"), v);
				return usage(m);
			}
		} else if (!operands_only && !strcmp(a, "--json")) {
			return usage(_("profile import has no --json (it writes a profile)"));
		} else if (!operands_only && a[0] == '-' && a[1]) {
			char m[192];
			snprintf(m, sizeof m, _("unknown option '%.40s'"), a);
			return usage(m);
		} else if (file) {
			return usage(_("one FILE only"));
		} else {
			file = a;
		}
	}
	if (!file)
		return usage(_("missing FILE (a WiCAN or ABRP JSON file, or a Torque CSV)"));

	char err[512] = "";
	char *text = NULL;
	size_t len = 0;
	int r = evgw_ini_read_file(file, EVGW_IMPORT_MAX_BYTES, &text, &len, err, sizeof err);
	if (r) {
		fprintf(stderr, "evgw: %s\n", err[0] ? err : strerror(-r));
		return CLI_USAGE;
	}
	struct evgw_import *im = malloc(sizeof *im);
	if (!im) {
		free(text);
		fputs(_("evgw: out of memory\n"), stderr);
		return CLI_FAILED;
	}
	r = evgw_import_parse(text, len, file, fmt, im, err, sizeof err);
	free(text);
	if (r) {
		fprintf(stderr, "evgw: %s\n", err[0] ? err : strerror(-r));
		free(im);
		return CLI_FAILED;
	}

	char *buf = NULL;
	size_t blen = 0;
	FILE *mem = open_memstream(&buf, &blen);
	r = mem ? evgw_import_write(im, file, mem) : -ENOMEM;
	if (mem && fclose(mem) && !r)
		r = -ENOMEM;
	int rc = CLI_OK;
	struct evgw_profile *p = NULL;
	if (r) {
		fprintf(stderr, "evgw: %s\n", strerror(-r));
		rc = CLI_FAILED;
	} else if ((r = evgw_profile_load_buffer(buf, blen, out_path ? out_path : "<output>", &p, err, sizeof err))) {
		/* A bug here, not in the input: say so plainly. */
		fprintf(stderr, _("evgw: the profile written does not load (please report): %s\n"), err);
		rc = CLI_FAILED;
	} else if (!out_path) {
		fwrite(buf, 1, blen, stdout);
	} else {
		FILE *f = fopen(out_path, "w");
		bool ok = f && fwrite(buf, 1, blen, f) == blen;
		if (f && fclose(f))
			ok = false;
		if (!ok) {
			fprintf(stderr, "evgw: %s: %s\n", out_path, strerror(errno));
			rc = CLI_USAGE;
		}
	}
	if (!rc)
		fprintf(stderr, _("evgw: %u DIDs from %s (%s)%s%s\n"), im->n_dids, file, evgw_import_format_name(im->format),
			out_path ? " -> " : "", out_path ? out_path : "");
	evgw_profile_free(p);
	free(buf);
	free(im);
	return rc;
}
