// SPDX-License-Identifier: MIT
/* evgw: the command-line face of evgw. The offline commands (dbc check,
 * decode) work without a daemon. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef EVGW_VERSION
#define EVGW_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
	fputs("usage: evgw [--socket PATH] [--json] COMMAND [ARGS]\n"
	      "\n"
	      "Daemon commands (talk to evgwd over its socket):\n"
	      "  status                                  the daemon: version, uptime, buses, clients\n"
	      "  buses                                   each bus: driver, state, frame counters\n"
	      "  messages BUS                            per-id statistics of a bus (count, period, missing)\n"
	      "  signals [GLOB] [--bus BUS]              latest value of every signal (GLOB on SIGNAL or MESSAGE.SIGNAL)\n"
	      "  watch signals [GLOB] [--rate HZ]        follow signal values as they change\n"
	      "  watch frames [HEXID,...]                follow raw frames, in candump's format\n"
	      "  watch bus                               follow bus state changes\n"
	      "  dbc                                     the DBC files each bus uses\n"
	      "  ecus [--bus BUS]                        the ECUs heard (J1939 address claims)\n"
	      "  faults [--history] [--bus BUS]          active faults (history: all, from the store)\n"
	      "  read-dtc ECU [--bus BUS]                read an ECU's DTCs (UDS 0x19, KWP 0x18 fallback)\n"
	      "  clear-dtc ECU [--bus BUS]               clear an ECU's DTCs (admin only)\n"
	      "  vin ECU [--bus BUS] | read-did ECU DID  read the VIN (DID F190) or any DID (hex)\n"
	      "  read-pids [HEXPID,...] [--bus BUS]      OBD-II live data (mode 01): supported PIDs and values\n"
	      "  watch faults                            follow faults as they are raised and cleared\n"
	      "  record start [BUS] FILE | record stop [BUS]\n"
	      "                                          record a bus's frames to a candump log\n"
	      "\n"
	      "Offline commands (no daemon needed):\n"
	      "  dbc check [--json] [--strict] FILE...   load DBC files, print a summary and lint findings\n"
	      "  decode --dbc FILE [--dbc FILE...] [--json|--table] [--strict] [LOG|-]\n"
	      "                                          decode a candump log with DBC files\n"
	      "\n"
	      "  --version                               print the version\n"
	      "  --help                                  this text\n",
	      out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("evgw %s\n", EVGW_VERSION);
		return CLI_OK;
	}
	if (!strcmp(cmd, "dbc")) {
		if (argc >= 3 && !strcmp(argv[2], "check"))
			return cli_dbc_check(argc - 2, argv + 2);
		fputs("evgw: 'dbc' needs a subcommand: check\n", stderr);
		return CLI_USAGE;
	}
	if (!strcmp(cmd, "decode"))
		return cli_decode(argc - 1, argv + 1);
	return cli_client(argc - 1, argv + 1);
}
