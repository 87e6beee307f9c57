// SPDX-License-Identifier: MIT
/* The command line, read once with getopt_long: global options and every
 * command's options in any position, operands in order. Which options a
 * command takes is the command table's business (cli_commands.h). */
#ifndef EVGW_CLI_CLI_ARGS_H
#define EVGW_CLI_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* The options a command may take, one bit each (the global ones,
 * --socket --json --color --no-color --help --version, go with every
 * command). */
enum cli_opt {
	CLI_OPT_BUS = 1u << 0,
	CLI_OPT_RATE = 1u << 1,
	CLI_OPT_HISTORY = 1u << 2,
	CLI_OPT_STRICT = 1u << 3,
	CLI_OPT_QUIET = 1u << 4,
	CLI_OPT_COMMANDS = 1u << 5,
	CLI_OPT_FREEZE_FRAME = 1u << 6,
	CLI_OPT_ROTATE = 1u << 7,
	CLI_OPT_LANG = 1u << 8,
	CLI_OPT_COUNT = 9,
};

enum cli_color_mode { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* The highest --rate (signal events per second) the daemon accepts. */
#define CLI_MIN_RATE 0.01 /* the daemon's bounds for max_rate (PROTOCOL.md) */
#define CLI_MAX_RATE 1000.0
/* The smallest part the daemon's recorder rotates at (EVGW_RECORD_MIN_BYTES). */
#define CLI_MIN_ROTATE_BYTES 4096

struct cli_opts {
	/* global */
	const char *socket;
	bool json;
	enum cli_color_mode color;
	bool help;
	bool version;
	/* the commands' */
	const char *bus;
	double rate; /* 0: not given */
	bool history;
	bool strict;
	bool quiet;
	bool commands;
	bool freeze_frame;
	unsigned long long rotate_bytes; /* 0: not given */
	const char *lang; /* --lang: "en" or "ru"; NULL: the locale's (cli_lang) */
	unsigned given; /* enum cli_opt bits seen */
	/* operands, in order; the command's own words first */
	char **args;
	int n_args;
	/* The first problem met, reported once the command is known (its
	 * name goes into the message); bad_option: the unknown option in it. */
	char error[160];
	char bad_option[64];
	/* The same problem as a catalog text with {0} where the option or
	 * value goes, said in the mechanic's language by cli_opts_error. */
	const char *error_text;
	char error_arg[64];
};

/* o's problem in the mechanic's language, into out; returns out. */
const char *cli_opts_error(const struct cli_opts *o, char *out, size_t cap);

/* Read argv into o (o->args points into argv, which getopt_long
 * reorders). Returns 0, or -1 for a usage problem described in o->error. */
int cli_args_parse(int argc, char **argv, struct cli_opts *o);

/* The command's own words of a command line whose options another parser
 * reads (evgw decode): the first operand word's position in argv, after
 * skipping the global options; 0 when there is none. The global options
 * before it are read into o. */
int cli_args_command_index(int argc, char **argv, struct cli_opts *o);

/* argv from index `from` with the global options taken out (into o), for a
 * command that parses its own options; a new array (free() it) that starts
 * with argv[from] and is NULL-terminated, its length in *argc_out. --json
 * stays: such a command has its own. */
char **cli_args_strip_global(int argc, char **argv, int from, struct cli_opts *o, int *argc_out);

/* The language of fault texts: --lang, else the locale (LC_ALL, then
 * LC_MESSAGES, then LANG, the first one set, as POSIX orders them):
 * "ru" when it starts with "ru", else "en". */
const char *cli_lang(const struct cli_opts *o);

/* "--bus", "--rate" ...: the option's name as written on the command line. */
const char *cli_opt_name(enum cli_opt bit);
/* "BUS", "HZ" or NULL: what its value is called. */
const char *cli_opt_value_name(enum cli_opt bit);
/* What it does, one line for evgw CMD --help. */
const char *cli_opt_help(enum cli_opt bit);

#endif
