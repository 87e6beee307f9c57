// SPDX-License-Identifier: MIT
/* libFuzzer target: whatever JSON a daemon answers, every printer of the
 * command table (results, error replies, events) prints something or
 * nothing, and never crashes or leaks.
 * Input: one JSON value (json-c parses it, as evgw does). */
#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_commands.h"
#include "cli/cli_print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *args[] = {(char *)"car", (char *)"x.log", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The printers write to stdout and stderr: to /dev/null while they
	 * run, with the sanitizers' reports kept on the real stderr. */
	static int devnull = -1, real_stderr = -1;
	if (devnull < 0) {
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		real_stderr = dup(2);
		if (devnull < 0 || real_stderr < 0 || !freopen("/dev/null", "w", stdout))
			abort();
		__sanitizer_set_report_fd((void *)(intptr_t)real_stderr);
	}
	json_tokener *tok = json_tokener_new();
	json_object *o = tok ? json_tokener_parse_ex(tok, (const char *)data, (int)(size > 65536 ? 65536 : size)) : NULL;
	json_tokener_free(tok);
	if (!o)
		return 0;
	struct cli_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.freeze_frame = true;
	fflush(stderr);
	dup2(devnull, 2);
	for (int width = 0; width <= 40; width += 40) { /* a pipe, then a narrow terminal */
		for (size_t i = 0; i < cli_n_commands; i++) {
			const struct cli_command *c = &cli_commands[i];
			struct cli_ctx x;
			memset(&x, 0, sizeof x);
			x.cmd = c;
			x.o = &opts;
			x.args = args;
			x.n_args = c->min_args > 0 ? c->min_args : 0;
			x.term.color = width != 0;
			x.term.width = (unsigned)width;
			x.conn.fd = -1;
			/* watch bus asks the daemon for its buses first: no daemon here. */
			if (c->print && c->print != cli_print_watch_bus_start)
				c->print(&x, o);
			if (c->print_error)
				c->print_error(&x, o);
			if (c->event)
				c->event(&x, o);
		}
	}
	json_object_put(o);
	fflush(stdout);
	fflush(stderr);
	dup2(real_stderr, 2);
	return 0;
}
