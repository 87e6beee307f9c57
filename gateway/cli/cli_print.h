// SPDX-License-Identifier: MIT
/* The request builders and printers the command table names. Each printer
 * takes the reply's result as the daemon sent it and returns the exit
 * status (CLI_FAILED when nothing matched or an ECU failed). */
#ifndef EVGW_CLI_CLI_PRINT_H
#define EVGW_CLI_CLI_PRINT_H

#include "cli/cli_commands.h"

/* cli_request.c */
int cli_build_messages(struct cli_ctx *x);
int cli_build_signals(struct cli_ctx *x);
int cli_build_bus_filter(struct cli_ctx *x);
int cli_build_faults(struct cli_ctx *x);
int cli_build_ecu(struct cli_ctx *x);
int cli_build_vin(struct cli_ctx *x);
int cli_build_read_did(struct cli_ctx *x);
int cli_build_read_pids(struct cli_ctx *x);
int cli_build_battery(struct cli_ctx *x);
int cli_build_watch_signals(struct cli_ctx *x);
int cli_build_watch_frames(struct cli_ctx *x);
int cli_build_watch_bus(struct cli_ctx *x);
int cli_build_watch_faults(struct cli_ctx *x);
int cli_build_record_start(struct cli_ctx *x);
int cli_build_record_stop(struct cli_ctx *x);
int cli_build_charging(struct cli_ctx *x);

/* cli_print_info.c */
int cli_print_status(struct cli_ctx *x, json_object *r);
int cli_print_buses(struct cli_ctx *x, json_object *r);
int cli_print_messages(struct cli_ctx *x, json_object *r);
int cli_print_signals(struct cli_ctx *x, json_object *r);
int cli_print_dbc(struct cli_ctx *x, json_object *r);
int cli_print_ecus(struct cli_ctx *x, json_object *r);
int cli_print_record_start(struct cli_ctx *x, json_object *r);
int cli_print_record_stop(struct cli_ctx *x, json_object *r);
/* `buses` as "car: recording to FILE" / "ebus: not recording". */
int cli_print_recordings(struct cli_ctx *x, json_object *r);

/* cli_print_battery.c */
int cli_print_battery(struct cli_ctx *x, json_object *r);

/* cli_print_charging.c */
int cli_print_charging(struct cli_ctx *x, json_object *r);

/* cli_print_faults.c */
int cli_print_faults(struct cli_ctx *x, json_object *r);
int cli_print_watch_faults_start(struct cli_ctx *x, json_object *r);
int cli_print_fault_event(struct cli_ctx *x, json_object *ev);

/* cli_print_ecu.c: read-dtc, clear-dtc, read-did, vin, read-pids */
int cli_print_read_dtc(struct cli_ctx *x, json_object *r);
int cli_print_clear_dtc(struct cli_ctx *x, json_object *r);
int cli_print_did(struct cli_ctx *x, json_object *r);
int cli_print_pids(struct cli_ctx *x, json_object *r);
/* An error reply that carries each ECU's error ("ecus"). */
int cli_print_ecu_error(struct cli_ctx *x, json_object *error);

/* cli_watch.c */
int cli_print_watch_start(struct cli_ctx *x, json_object *r);
int cli_print_watch_bus_start(struct cli_ctx *x, json_object *r);
int cli_print_signal_event(struct cli_ctx *x, json_object *ev);
int cli_print_frame_event(struct cli_ctx *x, json_object *ev);
int cli_print_bus_event(struct cli_ctx *x, json_object *ev);
/* Print events until interrupted (exit 0) or the daemon goes (exit 3). */
int cli_watch_loop(struct cli_ctx *x);

#endif
