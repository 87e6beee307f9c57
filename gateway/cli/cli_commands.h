// SPDX-License-Identifier: MIT
/* The command table: every `evgw` command once, with what it accepts, how
 * it asks the daemon, how it prints the answer and its help. Dispatch,
 * `evgw --help`, `evgw CMD --help` and `evgw help --commands` (which the
 * bash completion and the tests read) all come from it. */
#ifndef EVGW_CLI_CLI_COMMANDS_H
#define EVGW_CLI_CLI_COMMANDS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli_args.h"
#include "cli/cli_connect.h"
#include "cli/cli_term.h"

struct cli_command;

/* One run of one command. */
struct cli_ctx {
	const struct cli_command *cmd;
	const struct cli_opts *o;
	char **args; /* the operands after the command's name */
	int n_args;
	struct cli_term term;	/* stdout */
	struct cli_conn conn;	/* daemon commands only */
	const char *bus;	/* the bus the request names, when it names one */
	json_object *req;	/* the request being built */
	char *owned;		/* text the request points into, freed at the end */
};

/* Add the command's arguments to x->req; returns 0 or an exit status
 * (after saying what is wrong). */
typedef int (*cli_build_fn)(struct cli_ctx *x);
/* Print a result (or, for print_error, an error object) for people;
 * returns the exit status. */
typedef int (*cli_print_fn)(struct cli_ctx *x, json_object *result);
/* A whole offline command. */
typedef int (*cli_run_fn)(struct cli_ctx *x);

struct cli_command {
	const char *name;	/* "status", "read-dtc", "watch signals", "dbc check" */
	bool offline;		/* needs no daemon */
	int min_args, max_args; /* operands after the name; max -1: no limit */
	unsigned options;	/* enum cli_opt bits it takes */
	const char *api_cmd;	/* the daemon's command */
	cli_build_fn build;
	cli_print_fn print;	  /* the result; for watch: the subscription began */
	cli_print_fn print_error; /* an error reply, when it says more than its message */
	cli_print_fn event;	  /* watch: each event */
	cli_run_fn run;		  /* offline */
	bool own_options;	  /* parses its own options (evgw decode) */
	const char *usage;	  /* what follows the name: "ECU [--bus BUS]" */
	const char *summary;	  /* one line for evgw --help */
	const char *help;	  /* one paragraph for evgw CMD --help */
	/* Sentences several commands share, after the paragraph (each
	 * text is translated whole: no macro pasted into a marked one). */
	bool help_ecu;		  /* what ECU may be */
	bool help_bus;		  /* without --bus, the only bus */
};

/* The shared sentences of the long help. */
extern const char cli_help_ecu[], cli_help_bus[];

extern const struct cli_command cli_commands[];
extern const size_t cli_n_commands;

/* The command named by the first one or two words; *used: how many. */
const struct cli_command *cli_command_find(char **words, int n, int *used);
/* Whether `word` starts two-word commands only ("watch"). */
bool cli_command_is_group(const char *word);
/* Whether `word` starts two-word commands ("watch", "record", "dbc"). */
bool cli_command_has_subcommands(const char *word);
/* The closest command name to a misspelt one, into out; false for none. */
bool cli_command_suggest(const char *word, const char *second, char *out, size_t cap);

/* Help texts (stdout for --help, stderr for usage errors). */
void cli_help_general(FILE *out);
void cli_help_command(FILE *out, const struct cli_command *c);
void cli_help_group(FILE *out, const char *group);
/* "evgw read-dtc ECU [--bus BUS]" */
void cli_usage_text(const struct cli_command *c, char *out, size_t cap);
/* The name of the first operand of c that is missing when n were given. */
const char *cli_command_missing(const struct cli_command *c, int n, char *buf, size_t cap);

/* Offline commands. */
int cli_run_help(struct cli_ctx *x);
int cli_run_dbc_check(struct cli_ctx *x);
int cli_run_convert(struct cli_ctx *x);
int cli_run_decode(struct cli_ctx *x);
int cli_run_profile_import(struct cli_ctx *x);
int cli_run_sniff(struct cli_ctx *x);
int cli_run_discover(struct cli_ctx *x);

/* Daemon commands: connect, build, ask, print (cli_run.c). */
int cli_run_daemon(struct cli_ctx *x);
/* The bus the command is about: --bus, or the daemon's only bus; else a
 * message listing the buses and CLI_USAGE. `given` may hold a bus named
 * as an operand. */
int cli_need_bus(struct cli_ctx *x, const char *given, const char **bus);
/* The daemon's `buses` result (owned by the caller), or NULL. */
json_object *cli_fetch_buses(struct cli_ctx *x);
/* Add a string member to the request. */
void cli_req_str(struct cli_ctx *x, const char *key, const char *value);

#endif
