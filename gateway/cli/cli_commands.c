// SPDX-License-Identifier: MIT
/* Every evgw command, once. Adding a command is adding a row here (and
 * its builder and printer); help, completion and dispatch follow. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_commands.h"
#include "cli/cli_i18n.h"
#include "cli/cli_print.h"
#include "cli/cli_suggest.h"

const char cli_help_ecu[] = N_(
	"ECU is a request id in hex (7E7), obd (every OBD-II ECU, by a functional request), "
	"j1939 or j1939:SA (J1939, every ECU or one source address), and with a vehicle "
	"profile an ECU's name (bms) or all (every ECU the profile names: UDS, KWP, OBD-II, J1939).");
const char cli_help_bus[] = N_("Without --bus, the daemon's only bus.");

const struct cli_command cli_commands[] = {
	{.name = "status", .api_cmd = "status", .print = cli_print_status, .usage = "",
	 .summary = N_("the daemon: version, uptime, buses, clients"),
	 .help = N_("What the daemon is: its version and process, how long it has run, its configuration file "
		 "and socket, how many buses and clients it has, the frames it has received and the "
		 "requests it has answered, and its reloads.")},
	{.name = "buses", .api_cmd = "buses", .print = cli_print_buses, .usage = "",
	 .summary = N_("each bus: driver, state, vehicle profile, frame counters"),
	 .help = N_("One line per bus: its name, driver and device, bit rate, mode (listen-only or "
		 "diagnostic), state (active, warning, passive, bus-off, restarting, down, gone, stopped), "
		 "vehicle profile, frames received, frames per second, how many were decoded or unknown, "
		 "and error frames.")},
	{.name = "messages", .min_args = 1, .max_args = 1, .api_cmd = "messages", .build = cli_build_messages,
	 .print = cli_print_messages, .usage = "BUS",
	 .summary = N_("per CAN id on a bus: count, period, missing"),
	 .help = N_("One line per CAN id seen on BUS: the message's name from the DBC files (or the J1939 "
		 "group evgw knows it as, such as DM1), how many frames, the measured period and the DBC's "
		 "cycle time, and MISSING when a cyclic message has not been seen for 3 cycles.")},
	{.name = "signals", .max_args = 1, .options = CLI_OPT_BUS, .api_cmd = "signals",
	 .build = cli_build_signals, .print = cli_print_signals, .usage = "[GLOB] [--bus BUS]",
	 .summary = N_("the latest value of every signal"),
	 .help = N_("The latest value of every decoded signal, with its unit and value-table label. GLOB (a "
		 "shell pattern, case-sensitive; quote it) matches SIGNAL or MESSAGE.SIGNAL. Exit status 1 "
		 "when nothing matches.")},
	{.name = "dbc", .api_cmd = "dbc", .print = cli_print_dbc, .usage = "",
	 .summary = N_("the DBC files each bus uses"),
	 .help = N_("The DBC files each bus decodes with: messages, signals, warnings and errors found when "
		 "they were loaded. To check a DBC file without a daemon: evgw dbc check.")},
	{.name = "ecus", .options = CLI_OPT_BUS, .api_cmd = "ecus", .build = cli_build_bus_filter,
	 .print = cli_print_ecus, .usage = "[--bus BUS]",
	 .summary = N_("the ECUs heard (J1939 address claims)"),
	 .help = N_("The ECUs that claimed an address on the J1939 buses: address, the vehicle profile's name "
		 "for it, and the fields of its J1939 NAME (industry group, function, instance, "
		 "manufacturer code, identity number).")},
	{.name = "charging", .options = CLI_OPT_BUS, .api_cmd = "charging", .build = cli_build_charging,
	 .print = cli_print_charging, .usage = "[--bus BUS]",
	 .summary = N_("GB/T 27930 DC charging sessions: timeline, values, why they stopped"),
	 .help = N_("The GB/T 27930 charging sessions heard on a J1939 bus (charger 0x56, BMS 0xF4; "
		 "listen-only): the one in progress and the last finished ones, each as a timeline "
		 "(handshake, recognition, parameters, charging, end) with the versions, the battery, the "
		 "limits, demand against output, SOC and temperatures, and the stop reasons in words. "
		 "Currents are charging currents, positive into the battery (the standard sends them with "
		 "a -400 A offset, negative while charging). A session that stops on a fault, error or "
		 "timeout is also a fault (evgw faults)."), .help_bus = true},
	{.name = "faults", .options = CLI_OPT_BUS | CLI_OPT_HISTORY | CLI_OPT_FREEZE_FRAME | CLI_OPT_LANG,
	 .api_cmd = "faults", .build = cli_build_faults, .print = cli_print_faults,
	 .usage = "[--history] [--freeze-frame] [--lang en|ru] [--bus BUS]",
	 .summary = N_("active faults (--history: every fault in the store)"),
	 .help = N_("The active faults, or with --history every fault in the fault store (newest first, "
		 "across restarts): status, severity, warning lamps, bus, ECU, code, first and last seen, "
		 "how often, and what it means; with --freeze-frame, below the table, the signals of each "
		 "fault's freeze frame (as they were when it first appeared). Unconfirmed observations (of "
		 "definitions not yet confirmed on a vehicle) are listed apart. DTC texts in the locale's "
		 "language (Russian when LC_ALL, LC_MESSAGES or LANG starts with ru) or --lang's.")},
	{.name = "read-dtc", .min_args = 1, .max_args = 1, .options = CLI_OPT_BUS | CLI_OPT_LANG, .api_cmd = "read-dtc",
	 .build = cli_build_ecu, .print = cli_print_read_dtc, .print_error = cli_print_ecu_error,
	 .usage = "ECU [--lang en|ru] [--bus BUS]", .summary = N_("read an ECU's DTCs"),
	 .help = N_("Ask ECUs for their diagnostic trouble codes (the bus must be in diagnostic mode): UDS "
		 "0x19 with the KWP2000 0x18 fallback, OBD-II modes 03/07/0A, J1939 DM2. DTC texts as for "
		 "faults (--lang). Exit status 1 when an ECU did not answer or refused."), .help_ecu = true, .help_bus = true},
	{.name = "clear-dtc", .min_args = 1, .max_args = 1, .options = CLI_OPT_BUS, .api_cmd = "clear-dtc",
	 .build = cli_build_ecu, .print = cli_print_clear_dtc, .print_error = cli_print_ecu_error,
	 .usage = "ECU [--bus BUS]", .summary = N_("clear an ECU's DTCs (admins only)"),
	 .help = N_("Clear ECUs' diagnostic trouble codes: UDS 0x14, OBD-II mode 04, J1939 DM11. For admins "
		 "only (root and the daemon's admin_group). Exit status 1 when an ECU did not clear."), .help_ecu = true, .help_bus = true},
	{.name = "vin", .max_args = 1, .options = CLI_OPT_BUS, .api_cmd = "vin", .build = cli_build_vin,
	 .print = cli_print_did, .print_error = cli_print_ecu_error, .usage = "[ECU] [--bus BUS]",
	 .summary = N_("read the vehicle identification number"),
	 .help = N_("Read the VIN: UDS DID F190, OBD-II mode 09 with obd, J1939 PGN 65260 with j1939 (ECU may "
		 "be left out on a J1939 bus)."), .help_ecu = true, .help_bus = true},
	{.name = "read-did", .min_args = 2, .max_args = 2, .options = CLI_OPT_BUS, .api_cmd = "read-did",
	 .build = cli_build_read_did, .print = cli_print_did, .print_error = cli_print_ecu_error,
	 .usage = "ECU DID [--bus BUS]", .summary = N_("read a data identifier (UDS 0x22)"),
	 .help = N_("Read a data identifier: DID in hex (F190) or, with a vehicle profile, its name (soc); "
		 "the profile decodes the values it knows."), .help_ecu = true, .help_bus = true},
	{.name = "read-pids", .max_args = 1, .options = CLI_OPT_BUS, .api_cmd = "read-pids",
	 .build = cli_build_read_pids, .print = cli_print_pids, .print_error = cli_print_ecu_error,
	 .usage = "[HEXPID,...] [--bus BUS]", .summary = N_("OBD-II live data (mode 01)"),
	 .help = N_("OBD-II live data from every OBD-II ECU: the PIDs each supports, and the value of each "
		 "(those named, as hex numbers separated by commas, e.g. 0D,42; else every supported PID "
		 "evgw decodes)."), .help_bus = true},
	{.name = "battery", .options = CLI_OPT_BUS, .api_cmd = "battery", .build = cli_build_battery,
	 .print = cli_print_battery, .usage = "[--bus BUS]", .summary = N_("battery health: SOC, cells, temperatures, SOH"),
	 .help = N_("What the battery management system makes public, in one reading: state of charge, pack "
		 "voltage and current, lowest and highest cell voltage with their cell numbers and the "
		 "spread between them, temperatures with their sensors, lifetime charged and discharged Ah "
		 "and kWh, charge count, capacity now and when new, and the state of health (capacity now "
		 "over capacity when new, with how it was computed). Each value says where it came from (a "
		 "DID of the vehicle profile, read by UDS 0x22 on a bus in diagnostic mode, or a broadcast "
		 "DBC signal) and how sure that definition is; a reading that uses an assumed one is "
		 "UNCONFIRMED. Read-only. Exit status 1 when no value was given."), .help_bus = true},
	{.name = "watch signals", .max_args = 1, .options = CLI_OPT_BUS | CLI_OPT_RATE,
	 .api_cmd = "subscribe", .build = cli_build_watch_signals, .print = cli_print_watch_start,
	 .event = cli_print_signal_event, .usage = "[GLOB] [--bus BUS] [--rate HZ]",
	 .summary = N_("follow signal values as they change"),
	 .help = N_("Follow signal values: a line per value, with the local time of its frame, at most HZ "
		 "updates per second (default 2). GLOB as for signals. Ctrl-C ends it.")},
	{.name = "watch frames", .max_args = 1, .options = CLI_OPT_BUS, .api_cmd = "subscribe",
	 .build = cli_build_watch_frames, .print = cli_print_watch_start, .event = cli_print_frame_event,
	 .usage = "[HEXID,...] [--bus BUS]", .summary = N_("follow raw frames, in candump's format"),
	 .help = N_("Follow raw frames as candump -L prints them, all of them or those with the CAN ids named "
		 "(hex, separated by commas: 121,18FECAEF). Ctrl-C ends it.")},
	{.name = "watch bus", .options = CLI_OPT_BUS, .api_cmd = "subscribe", .build = cli_build_watch_bus,
	 .print = cli_print_watch_bus_start, .event = cli_print_bus_event, .usage = "[--bus BUS]",
	 .summary = N_("follow bus states"),
	 .help = N_("The state of every bus (or of BUS), then each change as it happens (active, warning, "
		 "passive, bus-off, restarting, down, gone, stopped), with the local time. Ctrl-C ends it.")},
	{.name = "watch faults", .options = CLI_OPT_BUS | CLI_OPT_LANG, .api_cmd = "subscribe",
	 .build = cli_build_watch_faults, .print = cli_print_watch_faults_start,
	 .event = cli_print_fault_event, .usage = "[--lang en|ru] [--bus BUS]",
	 .summary = N_("follow faults as they are raised and cleared"),
	 .help = N_("Follow faults: a line each time one is raised, changes status or is cleared, with its "
		 "severity, lamps, bus, ECU, code and meaning (in the language, as for faults). Ctrl-C "
		 "ends it.")},
	{.name = "sniff", .max_args = -1, .options = CLI_OPT_BUS, .own_options = true, .run = cli_run_sniff,
	 .usage = "[--bus BUS] [--id ID...] [--interval SEC] [--count N]",
	 .summary = N_("a live view of a bus: one line per id, changed bits, decoded values"),
	 .help = N_("Like can-utils' cansniffer, knowing the daemon's DBC files: one line per CAN id with its "
		 "frames per second, length, bytes (on a terminal the bytes whose bits changed in the last "
		 "2 s highlighted), DBC message and latest decoded values; ids no DBC describes first. "
		 "--id keeps to the ids named (hex; repeated, or separated by commas). On a terminal the "
		 "screen is redrawn 4 times a second and keys work: q quit, space freeze, u unknown ids "
		 "only, c changed ids only, m mark (then the bytes that differ from the marked ones are "
		 "highlighted; m again unmarks), / then hex digits and Enter (only the ids starting with "
		 "them; Enter alone: all). On a pipe: a block of lines every --interval seconds (default "
		 "1) with the bits changed in it as hex, --count blocks (default: until Ctrl-C)."), .help_bus = true},
	{.name = "record", .api_cmd = "buses", .print = cli_print_recordings, .usage = "",
	 .summary = N_("what each bus is being recorded to"),
	 .help = N_("Which buses are being recorded, and to which file. evgw record start and evgw record "
		 "stop start and stop a recording.")},
	{.name = "record start", .min_args = 1, .max_args = 2, .api_cmd = "record",
	 .build = cli_build_record_start, .print = cli_print_record_start, .options = CLI_OPT_ROTATE,
	 .usage = "[--rotate SIZE] [BUS] FILE",
	 .summary = N_("record a bus's frames to a candump log"),
	 .help = N_("Record BUS's frames (the daemon's only bus when BUS is left out) to a candump log that "
		 "canplayer, python-can and evgw decode read back. A plain name goes under the daemon's "
		 "<state_dir>/recordings/; a path (./session.log, /tmp/x.log) is made absolute and needs "
		 "an admin. Nothing is overwritten. A name ending in .zst is written zstd compressed; "
		 "--rotate 100M goes on in FILE-2, FILE-3... each time a file reaches 100 MiB.")},
	{.name = "record stop", .max_args = 1, .api_cmd = "record", .build = cli_build_record_stop,
	 .print = cli_print_record_stop, .usage = "[BUS]", .summary = N_("stop recording"),
	 .help = N_("Stop recording BUS (the daemon's only bus when BUS is left out) and say how many frames "
		 "and bytes were written, in how many files.")},
	{.name = "dbc check", .offline = true, .min_args = 1, .max_args = -1,
	 .options = CLI_OPT_STRICT | CLI_OPT_QUIET, .run = cli_run_dbc_check,
	 .usage = "[--strict] [--quiet] FILE...", .summary = N_("check DBC files"),
	 .help = N_("Load each DBC file and print a summary (nodes, messages, signals, value tables, "
		 "attributes, comments) and its findings as file:line:col: severity: message, in line "
		 "order. Exit status 0 when there are no errors (warnings allowed), 1 with errors, 2 when "
		 "a file cannot be loaded. --json: one object per file.")},
	{.name = "convert", .offline = true, .max_args = -1, .own_options = true, .run = cli_run_convert,
	 .usage = "[--to candump|pcapng] IN|- OUT|-", .summary = N_("convert between candump logs and pcapng"),
	 .help = N_("Convert a candump log to pcapng (LINKTYPE_CAN_SOCKETCAN, which Wireshark and tshark "
		 "read) or back, streaming: the input's format is recognised by content (plain, or gzip, "
		 "xz or zstd compressed), the output's by --to or OUT's name (.pcapng; else candump). Each "
		 "interface becomes one pcapng interface, timestamps stay microseconds, a sent frame's \" T\" is the "
		 "packet's outbound flag, and comment lines travel as pcapng comments, so a log as evgw or "
		 "candump -l writes it converts back byte for byte. OUT is never overwritten. A bad log "
		 "line is reported as file:line:col and skipped (exit status 1); a damaged pcapng file "
		 "stops at the byte offset of the bad block (exit status 2).")},
	{.name = "decode", .offline = true, .max_args = -1, .own_options = true, .run = cli_run_decode,
	 .usage = "--dbc FILE [--dbc FILE...] [--json|--table] [--strict] [--quiet] [LOG|-]",
	 .summary = N_("decode a candump log with DBC files"),
	 .help = N_("Decode a candump log (a file, or standard input with - or nothing; plain, or gzip, xz or "
		 "zstd compressed, recognised by content) with DBC files and print every frame they "
		 "describe; with several --dbc files the first that describes a frame wins. By default, "
		 "text: a line per frame (line number, local time, bus, id, message) with its signals "
		 "indented below. --table: a header, then one row per signal (line, local time, bus, id, "
		 "message, signal, value, unit, label). --json: one object per frame (a stable interface). "
		 "Values print at the precision their DBC scale implies (factor 0.1: 84.8). --strict: a "
		 "DBC file with an error is not used; --quiet: no DBC warnings and no summary. A malformed "
		 "line is reported as file:line:col and skipped (exit status 1); a damaged compressed log "
		 "ends the run with exit status 2.")},
	{.name = "profile import", .offline = true, .max_args = -1, .own_options = true,
	 .run = cli_run_profile_import, .usage = "FILE [--format wican|abrp|torque] [--out PROFILE.ini]",
	 .summary = N_("a shared PID list (WiCAN, ABRP, Torque) as a vehicle profile"),
	 .help = N_("Read a PID list people share -- a WiCAN vehicle-profile JSON (parameters with "
		 "expressions such as (B5*256+B4)/100), an ABRP-style JSON (equation, command, ecu) or a "
		 "Torque-style CSV (Name, ShortName, ModeAndPID, Equation, Units, Header) -- and write a "
		 "vehicle profile (standard output without --out): an [ecu] per request id and a [did] per "
		 "UDS 0x22 entry with its equation as expr, each marked confidence = assumed and source = "
		 "FILE. The format is guessed from the content without --format. Anything else than a 0x22 "
		 "read, or an equation evgw does not take, is an error at FILE:line:col (exit status 1). "
		 "The profile is read back before it is written.")},
	{.name = "discover", .offline = true, .min_args = 1, .max_args = -1, .own_options = true, .run = cli_run_discover,
	 .usage = "LOG --out DRAFT.dbc [--bus NAME] [--dbc FILE...] [--correlate BUS.MESSAGE.SIGNAL|obd:PID] [--quiet]",
	 .summary = N_("draft a DBC for the unknown ids of a candump log"),
	 .help = N_("Read a candump log (a file, or - for standard input; plain, gzip, xz or zstd) and write "
		 "a draft DBC file for the ids that no --dbc file describes: per id its period and length, "
		 "the constant bits (in its comment), a checksum byte (sum, XOR or CRC-8, EvgwChecksum), a "
		 "counter (EvgwCounter), and the value fields with their start bit, length, byte order and "
		 "sign, found from how their bits change together. Every draft signal is raw (factor 1) "
		 "and marked assumed. --bus: only frames of that interface. --correlate BUS.MESSAGE.SIGNAL "
		 "(a signal of a --dbc file in the same log; BUS may be *): rank the draft fields by how "
		 "well they follow it, with the least-squares scale and offset; --correlate obd:PID (hex, "
		 "e.g. obd:0D vehicle speed): the same with the OBD-II mode 01 answers in the log. The "
		 "method and its limits: docs/discovery.md.")},
	{.name = "help", .offline = true, .max_args = 2, .options = CLI_OPT_COMMANDS, .run = cli_run_help,
	 .usage = "[COMMAND]", .summary = N_("this text, or a command's"),
	 .help = N_("Without COMMAND the list of commands; with it, what the command does and takes (as evgw "
		 "COMMAND --help).")},
};

const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

const struct cli_command *cli_command_find(char **words, int n, int *used)
{
	if (n >= 2) {
		size_t len = strlen(words[0]);
		for (size_t i = 0; i < cli_n_commands; i++) {
			const char *name = cli_commands[i].name;
			if (!strncmp(name, words[0], len) && name[len] == ' ' && !strcmp(name + len + 1, words[1])) {
				*used = 2;
				return &cli_commands[i];
			}
		}
	}
	for (size_t i = 0; n >= 1 && i < cli_n_commands; i++)
		if (!strcmp(cli_commands[i].name, words[0])) {
			*used = 1;
			return &cli_commands[i];
		}
	return NULL;
}

bool cli_command_has_subcommands(const char *word)
{
	size_t len = strlen(word);
	for (size_t i = 0; i < cli_n_commands; i++)
		if (!strncmp(cli_commands[i].name, word, len) && cli_commands[i].name[len] == ' ')
			return true;
	return false;
}

bool cli_command_is_group(const char *word)
{
	size_t len = strlen(word);
	bool two_word = false;
	for (size_t i = 0; i < cli_n_commands; i++) {
		const char *name = cli_commands[i].name;
		if (!strcmp(name, word))
			return false; /* "dbc" is a command of its own */
		if (!strncmp(name, word, len) && name[len] == ' ')
			two_word = true;
	}
	return two_word;
}

bool cli_command_suggest(const char *word, const char *second, char *out, size_t cap)
{
	/* "watch bsu": both words against the two-word names; else the
	 * first word against the names' first words. */
	char wanted[128], firsts[64][32];
	const char *names[64];
	size_t n = 0;
	bool both = second && cli_command_has_subcommands(word);
	if (both)
		snprintf(wanted, sizeof wanted, "%s %s", word, second);
	for (size_t i = 0; i < cli_n_commands && n < 64; i++) {
		size_t len = both ? strlen(cli_commands[i].name) : strcspn(cli_commands[i].name, " ");
		snprintf(firsts[n], sizeof firsts[n], "%.*s", (int)len, cli_commands[i].name);
		names[n] = firsts[n];
		n++;
	}
	const char *best = cli_suggest(both ? wanted : word, names, n);
	if (best)
		snprintf(out, cap, "%s", best);
	return best != NULL;
}

const char *cli_command_missing(const struct cli_command *c, int n, char *buf, size_t cap)
{
	/* The operands in the usage line: required ones are bare words. */
	int req = 0;
	const char *p = c->usage;
	while (*p) {
		p += strspn(p, " ");
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		bool optional = *p == '[' || *p == '-' || *p == '|';
		if (!optional && req++ == n) {
			if (len > 3 && !strncmp(p + len - 3, "...", 3))
				len -= 3; /* "FILE..." */
			snprintf(buf, cap, "%.*s", (int)len, p);
			return buf;
		}
		/* Skip a bracketed group whole ("[--bus BUS]"). */
		if (*p == '[') {
			const char *close = strchr(p, ']');
			p = close ? close + 1 : p + len;
		} else {
			p += len;
		}
	}
	snprintf(buf, cap, "an argument");
	return buf;
}

int cli_run_convert(struct cli_ctx *x)
{
	return cli_convert(x->n_args, x->args);
}

int cli_run_decode(struct cli_ctx *x)
{
	/* x->args: the command line from "decode" on, global options taken out. */
	return cli_decode(x->n_args, x->args);
}

int cli_run_discover(struct cli_ctx *x)
{
	return cli_discover(x->n_args, x->args);
}
