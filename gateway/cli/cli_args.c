// SPDX-License-Identifier: MIT
/* The command line through getopt_long: one table of every option, so
 * `evgw --json status`, `evgw status --json` and `--bus=car` / `--bus car`
 * all mean the same, and a bad option is named instead of ignored. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_args.h"
#include "cli/cli_i18n.h"

enum {
	OPT_SOCKET = 256,
	OPT_JSON,
	OPT_COLOR,
	OPT_NO_COLOR,
	OPT_VERSION,
	OPT_BUS,
	OPT_RATE,
	OPT_HISTORY,
	OPT_STRICT,
	OPT_COMMANDS,
	OPT_FREEZE_FRAME,
	OPT_ROTATE,
	OPT_LANG,
};

static const struct option long_options[] = {
	{"socket", required_argument, NULL, OPT_SOCKET},
	{"json", no_argument, NULL, OPT_JSON},
	{"color", optional_argument, NULL, OPT_COLOR},
	{"no-color", no_argument, NULL, OPT_NO_COLOR},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"bus", required_argument, NULL, OPT_BUS},
	{"rate", required_argument, NULL, OPT_RATE},
	{"history", no_argument, NULL, OPT_HISTORY},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"quiet", no_argument, NULL, 'q'},
	{"commands", no_argument, NULL, OPT_COMMANDS},
	{"freeze-frame", no_argument, NULL, OPT_FREEZE_FRAME},
	{"rotate", required_argument, NULL, OPT_ROTATE},
	{"lang", required_argument, NULL, OPT_LANG},
	{NULL, 0, NULL, 0},
};

/* The command options, by enum cli_opt bit. */
static const struct {
	const char *name, *value, *help;
} opt_info[CLI_OPT_COUNT] = {
	{"--bus", "BUS", N_("the bus to ask (may be left out when the daemon has one bus)")},
	{"--rate", "HZ", N_("at most HZ updates per second (0.01 to 1000; default 2)")},
	{"--history", NULL, N_("every fault in the store, across restarts (default: the active ones)")},
	{"--strict", NULL, N_("warnings count as errors; stop at the first error")},
	{"--quiet", NULL, N_("print errors only (no warnings or notes), and the summary")},
	{"--commands", NULL, N_("the command names, one per line (for completion scripts)")},
	{"--freeze-frame", NULL, N_("each fault's freeze frame: the signals when it first appeared")},
	{"--rotate", "SIZE", N_("go on in a new file each time one reaches SIZE bytes (k, M, G: 1024s; at least 4k)")},
	{"--lang", "LANG", N_("fault texts in en (English) or ru (Russian); default: the locale's (LC_ALL, "
			      "LC_MESSAGES, LANG)")},
};

const char *cli_opt_name(enum cli_opt bit)
{
	for (unsigned i = 0; i < CLI_OPT_COUNT; i++)
		if (bit == 1u << i)
			return opt_info[i].name;
	return "?";
}

const char *cli_opt_value_name(enum cli_opt bit)
{
	for (unsigned i = 0; i < CLI_OPT_COUNT; i++)
		if (bit == 1u << i)
			return opt_info[i].value;
	return NULL;
}

const char *cli_opt_help(enum cli_opt bit)
{
	for (unsigned i = 0; i < CLI_OPT_COUNT; i++)
		if (bit == 1u << i)
			return opt_info[i].help;
	return "";
}

/* The first problem is the one reported. */
/* tpl with its {0} replaced by arg (no printf: the text is translated). */
static void fill(char *out, size_t cap, const char *tpl, const char *arg)
{
	const char *at = strstr(tpl, "{0}");
	if (at)
		snprintf(out, cap, "%.*s%s%s", (int)(at - tpl), tpl, arg, at + 3);
	else
		snprintf(out, cap, "%s", tpl);
}

/* The first problem is kept: tpl (marked N_) and its argument. */
static void problem(struct cli_opts *o, const char *tpl, const char *arg, size_t arg_max)
{
	if (o->error[0])
		return;
	snprintf(o->error_arg, sizeof o->error_arg, "%.*s", (int)arg_max, arg);
	o->error_text = tpl;
	fill(o->error, sizeof o->error, tpl, o->error_arg);
}

const char *cli_opts_error(const struct cli_opts *o, char *out, size_t cap)
{
	if (!o->error_text)
		snprintf(out, cap, "%s", o->error);
	else
		fill(out, cap, _(o->error_text), o->error_arg);
	return out;
}

/* "100M", "1G", "65536": bytes, with an optional binary k/M/G, all of the
 * text, from CLI_MIN_ROTATE_BYTES up. */
static bool parse_size(const char *s, unsigned long long *out)
{
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (errno || *end || v > (ULLONG_MAX >> shift) || (v << shift) < CLI_MIN_ROTATE_BYTES)
		return false;
	*out = v << shift;
	return true;
}

/* A value from CLI_MIN_RATE to CLI_MAX_RATE, all of the text. */
static bool parse_rate(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !isfinite(v) || !(v >= CLI_MIN_RATE) || v > CLI_MAX_RATE)
		return false;
	*out = v;
	return true;
}

/* The option getopt_long could not use, as written ("--bogus", "-x"). */
static void bad_option(struct cli_opts *o, char **argv, int c)
{
	char name[64];
	if (optopt > 0 && optopt < 256 && c == '?') {
		snprintf(name, sizeof name, "-%c", optopt);
	} else {
		const char *arg = argv[optind - 1];
		size_t len = strcspn(arg, "=");
		snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60), arg);
	}
	if (c == ':') {
		problem(o, N_("{0} needs a value"), name, 60);
	} else if (!o->error[0]) {
		problem(o, N_("unknown option '{0}'"), name, 60);
		snprintf(o->bad_option, sizeof o->bad_option, "%s", name);
	}
}

/* One option; false for those getopt_long could not read. */
static bool take(struct cli_opts *o, int c, char **argv)
{
	switch (c) {
	case OPT_SOCKET:
		o->socket = optarg;
		return true;
	case OPT_JSON:
		o->json = true;
		return true;
	case OPT_COLOR:
		if (!optarg || !strcmp(optarg, "always"))
			o->color = CLI_COLOR_ALWAYS;
		else if (!strcmp(optarg, "never"))
			o->color = CLI_COLOR_NEVER;
		else if (!strcmp(optarg, "auto"))
			o->color = CLI_COLOR_AUTO;
		else
			problem(o, N_("--color '{0}' must be auto, always or never"), optarg, 60);
		return true;
	case OPT_NO_COLOR:
		o->color = CLI_COLOR_NEVER;
		return true;
	case 'h':
		o->help = true;
		return true;
	case OPT_VERSION:
		o->version = true;
		return true;
	case OPT_BUS:
		o->bus = optarg;
		o->given |= CLI_OPT_BUS;
		return true;
	case OPT_RATE:
		o->given |= CLI_OPT_RATE;
		if (!parse_rate(optarg, &o->rate))
			problem(o, N_("--rate '{0}' is not a number from 0.01 to 1000"), optarg, 60);
		return true;
	case OPT_HISTORY:
		o->history = true;
		o->given |= CLI_OPT_HISTORY;
		return true;
	case OPT_STRICT:
		o->strict = true;
		o->given |= CLI_OPT_STRICT;
		return true;
	case 'q':
		o->quiet = true;
		o->given |= CLI_OPT_QUIET;
		return true;
	case OPT_COMMANDS:
		o->commands = true;
		o->given |= CLI_OPT_COMMANDS;
		return true;
	case OPT_FREEZE_FRAME:
		o->freeze_frame = true;
		o->given |= CLI_OPT_FREEZE_FRAME;
		return true;
	case OPT_ROTATE:
		o->given |= CLI_OPT_ROTATE;
		if (!parse_size(optarg, &o->rotate_bytes))
			problem(o, N_("--rotate '{0}' is not a size of at least 4096 bytes (such as 100M)"), optarg, 60);
		return true;
	case OPT_LANG:
		o->given |= CLI_OPT_LANG;
		o->lang = optarg;
		if (strcmp(optarg, "en") && strcmp(optarg, "ru"))
			problem(o, N_("--lang '{0}' must be en (English) or ru (Russian)"), optarg, 32);
		return true;
	default:
		bad_option(o, argv, c);
		return false;
	}
}

const char *cli_lang(const struct cli_opts *o)
{
	if (o->lang)
		return o->lang;
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return !strncmp(v, "ru", 2) ? "ru" : "en";
	}
	return "en";
}

int cli_args_parse(int argc, char **argv, struct cli_opts *o)
{
	opterr = 0;
	optind = 0; /* start afresh (glibc), whatever ran before */
	int c;
	while ((c = getopt_long(argc, argv, ":hq", long_options, NULL)) != -1)
		take(o, c, argv);
	/* getopt_long moved the operands behind the options, in order. */
	o->args = argv + optind;
	o->n_args = argc - optind;
	return o->error[0] ? -1 : 0;
}

int cli_args_command_index(int argc, char **argv, struct cli_opts *o)
{
	opterr = 0;
	optind = 0;
	int c;
	/* '+': stop at the first operand, the command. */
	while ((c = getopt_long(argc, argv, "+:hq", long_options, NULL)) != -1)
		take(o, c, argv);
	return optind < argc ? optind : 0;
}

/* 1 for an option without a value, 2 with its value in the next word, 0
 * for anything that is not a global option. */
static int global_width(const char *a, struct cli_opts *o, char *next)
{
	if (!strcmp(a, "--socket")) {
		o->socket = next;
		return next ? 2 : 1;
	}
	if (!strncmp(a, "--socket=", 9)) {
		o->socket = a + 9;
		return 1;
	}
	if (!strcmp(a, "--no-color") || !strcmp(a, "--color=never")) {
		o->color = CLI_COLOR_NEVER;
		return 1;
	}
	if (!strcmp(a, "--color") || !strncmp(a, "--color=", 8)) {
		o->color = strcmp(a, "--color=auto") ? CLI_COLOR_ALWAYS : CLI_COLOR_AUTO;
		return 1;
	}
	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		o->help = true;
		return 1;
	}
	if (!strcmp(a, "--version")) {
		o->version = true;
		return 1;
	}
	return 0;
}

char **cli_args_strip_global(int argc, char **argv, int from, struct cli_opts *o, int *argc_out)
{
	char **out = calloc((size_t)(argc - from) + 2, sizeof *out);
	if (!out)
		return NULL;
	int n = 0;
	out[n++] = argv[from];
	if (o->json) /* given before the command: the command's own --json */
		out[n++] = (char *)"--json";
	bool operands_only = false;
	for (int i = from + 1; i < argc; i++) {
		int w = operands_only ? 0 : global_width(argv[i], o, i + 1 < argc ? argv[i + 1] : NULL);
		if (w) {
			i += w - 1;
			continue;
		}
		if (!strcmp(argv[i], "--"))
			operands_only = true;
		out[n++] = argv[i];
	}
	out[n] = NULL;
	*argc_out = n;
	return out;
}
