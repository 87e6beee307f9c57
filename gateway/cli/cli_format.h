// SPDX-License-Identifier: MIT
/* Words and numbers for people: "1 h 3 min", "1 DTC", "bms (0x7E7)",
 * local times. Pure functions (tests/unit/test_cli_format.c). */
#ifndef EVGW_CLI_CLI_FORMAT_H
#define EVGW_CLI_CLI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "45 s", "2 min 5 s", "1 h 3 min", "3 d 2 h": the two largest units. */
void cli_fmt_duration(double seconds, char *out, size_t cap);
/* "1 DTC", "2 DTCs", "0 DTCs" (many: the plural). */
void cli_fmt_count(int64_t n, const char *one, const char *many, char *out, size_t cap);
/* Local time of a Unix time: "2026-11-28 14:03:22", "14:03:22",
 * "14:03:22.125", or (RECENT) "14:03:22" when it is today and
 * "2026-11-28 14:03" when not. */
enum cli_time_form { CLI_TIME_DATE, CLI_TIME_CLOCK, CLI_TIME_CLOCK_MS, CLI_TIME_RECENT };
void cli_fmt_time(double ts, enum cli_time_form form, char *out, size_t cap);
/* An ECU as people see it: "bms (0x7E7)", "0x7E7", "bms (SA 0xF3)",
 * "SA 0xF3"; addr < 0: no address (the name alone, or "?"). A name that
 * already holds an address (older daemons wrote "bms (SA 0xF3)") is kept
 * as it is. */
void cli_fmt_ecu(int64_t addr, const char *name, bool j1939, char *out, size_t cap);
/* "UDS", "KWP2000", "OBD-II", "J1939", "DBC"; other text as it is. */
const char *cli_protocol_name(const char *protocol);

#endif
