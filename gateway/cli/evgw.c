// SPDX-License-Identifier: MIT
/* evgw: the command line of evgw. Reads the command line once, finds the
 * command in the table (cli_commands.c), says precisely what is wrong with
 * a command line that does not fit it, and runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_commands.h"
#include "cli/cli_i18n.h"
#include "cli/cli_suggest.h"

#ifndef EVGW_VERSION
#define EVGW_VERSION "0.0.0"
#endif

/* The language of what evgw says: --lang's when the command takes it,
 * else the environment's (an option the command refuses changes nothing). */
static void choose_language(const struct cli_command *c, const struct cli_opts *o)
{
	const struct cli_opts env_only = {.lang = NULL};
	cli_i18n_init(cli_lang(c && (c->options & CLI_OPT_LANG) ? o : &env_only));
}

/* A command that reads its own options (evgw decode): the global ones are
 * taken out, the rest is its own. */
static int run_own_options(const struct cli_command *c, int argc, char **argv, int at, struct cli_opts *o)
{
	int n;
	char **args = cli_args_strip_global(argc, argv, at, o, &n);
	choose_language(c, o);
	if (!args) {
		fputs(_("evgw: out of memory\n"), stderr);
		return CLI_FAILED;
	}
	int rc;
	if (o->version) {
		printf("evgw %s\n", EVGW_VERSION);
		rc = CLI_OK;
	} else if (o->help) {
		cli_help_command(stdout, c);
		rc = CLI_OK;
	} else {
		struct cli_ctx x = {.cmd = c, .o = o, .args = args, .n_args = n};
		cli_term_init(&x.term, o->color, 1);
		rc = c->run(&x);
	}
	free(args);
	return rc;
}

/* No command matched the operands: a group without its second word, or an
 * unknown name, with the closest one when there is one. */
static int unknown_command(const struct cli_opts *o)
{
	const char *first = o->args[0], *second = o->n_args > 1 ? o->args[1] : NULL;
	if (cli_command_is_group(first)) {
		if (o->help) {
			cli_help_group(stdout, first);
			return CLI_OK;
		}
		if (!second) {
			fprintf(stderr, _("evgw: '%s' needs a subcommand (see evgw %s --help)\n"), first, first);
			cli_help_group(stderr, first);
			return CLI_USAGE;
		}
	}
	char near[64], shown[160];
	bool group = second && cli_command_has_subcommands(first);
	snprintf(shown, sizeof shown, group ? "%s %s" : "%s", first, second);
	if (cli_command_suggest(first, second, near, sizeof near))
		fprintf(stderr, _("evgw: unknown command '%s'; did you mean '%s'? (see evgw --help)\n"), shown, near);
	else
		fprintf(stderr, _("evgw: unknown command '%s' (see evgw --help)\n"), shown);
	return CLI_USAGE;
}

/* An option the command does not have, with the closest one it has. */
static void unknown_option(const struct cli_command *c, const char *bad)
{
	const char *names[CLI_OPT_COUNT + 6] = {"--socket", "--json", "--color", "--no-color", "--help", "--version"};
	size_t n = c->offline ? 1 : 6;
	if (c->offline)
		names[0] = "--json";
	for (unsigned i = 0; i < CLI_OPT_COUNT; i++)
		if (c->options & (1u << i))
			names[n++] = cli_opt_name(1u << i);
	const char *near = cli_suggest(bad, names, n);
	if (near)
		fprintf(stderr, _("evgw %s: unknown option '%s'; did you mean '%s'? (see evgw %s --help)\n"), c->name, bad,
			near, c->name);
	else
		fprintf(stderr, _("evgw %s: unknown option '%s' (see evgw %s --help)\n"), c->name, bad, c->name);
}

/* The options and operand count against the command's row; 0 or CLI_USAGE. */
static int check_fit(const struct cli_command *c, const struct cli_opts *o, int n)
{
	if (o->bad_option[0]) {
		unknown_option(c, o->bad_option);
		return CLI_USAGE;
	}
	if (o->error[0]) {
		char why[256];
		fprintf(stderr, _("evgw %s: %s (see evgw %s --help)\n"), c->name, cli_opts_error(o, why, sizeof why),
			c->name);
		return CLI_USAGE;
	}
	unsigned extra = o->given & ~c->options;
	for (unsigned i = 0; i < CLI_OPT_COUNT; i++)
		if (extra & (1u << i)) {
			unknown_option(c, cli_opt_name(1u << i));
			return CLI_USAGE;
		}
	char usage[200];
	cli_usage_text(c, usage, sizeof usage);
	if (n < c->min_args) {
		char what[32];
		fprintf(stderr, _("evgw %s: missing %s (usage: %s)\n"), c->name,
			cli_command_missing(c, n, what, sizeof what), usage);
		return CLI_USAGE;
	}
	if (c->max_args == 0 && n > 0 && cli_command_has_subcommands(c->name))
		return unknown_command(o); /* "record strat" */
	if (c->max_args >= 0 && n > c->max_args) {
		fprintf(stderr, _("evgw %s: unexpected argument '%s' (usage: %s)\n"), c->name,
			o->args[o->n_args - n + c->max_args], usage);
		return CLI_USAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	memset(&o, 0, sizeof o);
	int at = cli_args_command_index(argc, argv, &o), used = 0;
	const struct cli_command *c = at ? cli_command_find(argv + at, argc - at >= 2 ? 2 : 1, &used) : NULL;
	if (c && c->own_options)
		return run_own_options(c, argc, argv, at, &o);

	memset(&o, 0, sizeof o);
	cli_args_parse(argc, argv, &o);
	if (o.version) {
		printf("evgw %s\n", EVGW_VERSION);
		return CLI_OK;
	}
	c = o.n_args ? cli_command_find(o.args, o.n_args, &used) : NULL;
	choose_language(c, &o);
	if (!o.n_args) {
		char why[256];
		if (o.error[0])
			fprintf(stderr, _("evgw: %s (see evgw --help)\n"), cli_opts_error(&o, why, sizeof why));
		else
			cli_help_general(o.help ? stdout : stderr);
		return o.help && !o.error[0] ? CLI_OK : CLI_USAGE;
	}
	if (!c)
		return unknown_command(&o);
	if (o.help) {
		cli_help_command(stdout, c);
		return CLI_OK;
	}
	int n = o.n_args - used;
	int rc = check_fit(c, &o, n);
	if (rc)
		return rc;
	struct cli_ctx x = {.cmd = c, .o = &o, .args = o.args + used, .n_args = n};
	cli_term_init(&x.term, o.json ? CLI_COLOR_NEVER : o.color, 1);
	return c->offline ? c->run(&x) : cli_run_daemon(&x);
}
