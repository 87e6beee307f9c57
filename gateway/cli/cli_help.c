// SPDX-License-Identifier: MIT
/* Help made from the command table, so it cannot fall behind the commands. */
#include <stdbool.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_commands.h"
#include "cli/cli_i18n.h"

#define USAGE_COL 40 /* where the summaries start in evgw --help */
#define TEXT_WIDTH 78

/* Words of text, wrapped at TEXT_WIDTH columns (characters, not bytes:
 * Russian), every line after `indent` spaces. */
static void put_wrapped(FILE *out, const char *text, int indent)
{
	int col = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, " "), cols = 0;
		for (size_t i = 0; i < len; i++)
			cols += ((unsigned char)p[i] & 0xC0) != 0x80;
		/* A dash never starts a line: the word before it takes it along. */
		const char *next = p + len + strspn(p + len, " ");
		bool dash = len == 3 && !strncmp(p, "\u2014", 3);
		bool before_dash = !strncmp(next, "\u2014 ", 4) || !strcmp(next, "\u2014");
		if (col && !dash && col + 1 + (int)cols + (before_dash ? 2 : 0) > TEXT_WIDTH) {
			fputc('\n', out);
			col = 0;
		}
		if (!col) {
			fprintf(out, "%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", (int)len, p);
		col += (int)cols;
		p += len;
		p += strspn(p, " ");
	}
	if (col)
		fputc('\n', out);
}

static void put_command_line(FILE *out, const struct cli_command *c)
{
	char line[160];
	snprintf(line, sizeof line, "  %s%s%s", c->name, *c->usage ? " " : "", c->usage);
	if (strlen(line) + 1 >= USAGE_COL)
		fprintf(out, "%s\n%*s%s\n", line, USAGE_COL, "", _(c->summary));
	else
		fprintf(out, "%-*s%s\n", USAGE_COL, line, _(c->summary));
}

void cli_help_general(FILE *out)
{
	fputs(_("usage: evgw [OPTIONS] COMMAND [ARGS]\n\nDaemon commands (ask evgwd over its socket):\n"), out);
	for (size_t i = 0; i < cli_n_commands; i++)
		if (!cli_commands[i].offline)
			put_command_line(out, &cli_commands[i]);
	fputs(_("\nOffline commands (no daemon needed):\n"), out);
	for (size_t i = 0; i < cli_n_commands; i++)
		if (cli_commands[i].offline)
			put_command_line(out, &cli_commands[i]);
	fputs(_("\nOptions, anywhere on the line:\n"
	      "  --socket PATH    the daemon's socket (default: $EVGW_SOCKET, else your own\n"
	      "                   daemon's, else the system's, /run/evgw/evgw.sock)\n"
	      "  --json           JSON for scripts: one line per reply or event\n"
	      "  --color[=WHEN]   colour: auto (on a terminal, unless NO_COLOR is set),\n"
	      "                   always, never\n"
	      "  --no-color       the same as --color=never\n"
	      "  -h, --help       this text; evgw COMMAND --help: a command's\n"
	      "  --version        the version\n"
	      "\nEnvironment: EVGW_SOCKET (the socket, when --socket is not given), NO_COLOR.\n"
	      "\nExit status: 0 done; 1 the request failed, nothing matched or an ECU failed;\n"
	      "2 a usage error; 3 the daemon cannot be reached.\n"),
	      out);
}

void cli_usage_text(const struct cli_command *c, char *out, size_t cap)
{
	snprintf(out, cap, "evgw %s%s%s", c->name, *c->usage ? " " : "", c->usage);
}

void cli_help_command(FILE *out, const struct cli_command *c)
{
	char usage[200];
	cli_usage_text(c, usage, sizeof usage);
	fprintf(out, _("usage: %s\n\n"), usage);
	char help[2048];
	snprintf(help, sizeof help, "%s%s%s%s%s", _(c->help), c->help_ecu ? " " : "", c->help_ecu ? _(cli_help_ecu) : "",
		 c->help_bus ? " " : "", c->help_bus ? _(cli_help_bus) : "");
	put_wrapped(out, help, 0);
	if (c->options) {
		fputs(_("\nOptions:\n"), out);
		for (unsigned i = 0; i < CLI_OPT_COUNT; i++) {
			if (!(c->options & (1u << i)))
				continue;
			char opt[40];
			const char *value = cli_opt_value_name(1u << i);
			snprintf(opt, sizeof opt, "%s%s%s", cli_opt_name(1u << i), value ? " " : "", value ? value : "");
			fprintf(out, "  %-14s %s\n", opt, _(cli_opt_help(1u << i)));
		}
	}
	if (!c->offline)
		fputs(_("\nGlobal options: --socket PATH, --json, --color[=WHEN], --no-color (evgw --help).\n"), out);
	else if (!c->own_options && strcmp(c->name, "help"))
		fputs(_("\nGlobal options: --json (evgw --help).\n"), out);
}

void cli_help_group(FILE *out, const char *group)
{
	size_t len = strlen(group);
	bool first = true;
	for (size_t i = 0; i < cli_n_commands; i++) {
		const struct cli_command *c = &cli_commands[i];
		if (strncmp(c->name, group, len) || c->name[len] != ' ')
			continue;
		fprintf(out, "%s evgw %s%s%s\n", first ? "usage:" : "      ", c->name, *c->usage ? " " : "",
			c->usage);
		first = false;
	}
	fputc('\n', out);
	for (size_t i = 0; i < cli_n_commands; i++) {
		const struct cli_command *c = &cli_commands[i];
		if (!strncmp(c->name, group, len) && c->name[len] == ' ')
			fprintf(out, "  %-15s %s\n", c->name, _(c->summary));
	}
	fprintf(out, _("\nevgw %s WHAT --help: more about one.\n"), group);
}

int cli_run_help(struct cli_ctx *x)
{
	if (x->o->commands) {
		for (size_t i = 0; i < cli_n_commands; i++)
			puts(cli_commands[i].name);
		return CLI_OK;
	}
	if (!x->n_args) {
		cli_help_general(stdout);
		return CLI_OK;
	}
	int used;
	const struct cli_command *c = cli_command_find(x->args, x->n_args, &used);
	if (c && used == x->n_args) {
		cli_help_command(stdout, c);
		return CLI_OK;
	}
	if (x->n_args == 1 && cli_command_is_group(x->args[0])) {
		cli_help_group(stdout, x->args[0]);
		return CLI_OK;
	}
	char near[64];
	const char *word = x->n_args > 1 && c ? x->args[1] : x->args[0];
	if (cli_command_suggest(x->args[0], x->n_args > 1 ? x->args[1] : NULL, near, sizeof near))
		fprintf(stderr, _("evgw help: no command '%s'; did you mean '%s'? (see evgw --help)\n"), word, near);
	else
		fprintf(stderr, _("evgw help: no command '%s' (see evgw --help)\n"), word);
	return CLI_USAGE;
}
