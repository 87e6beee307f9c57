// SPDX-License-Identifier: MIT
/* A --correlate reference taken from OBD-II traffic in the recording: the
 * value of one mode 01 PID (SAE J1979 / ISO 15031-5) as the ECUs' answers
 * report it, so a field can be named after vehicle speed, engine speed...
 * when no DBC file describes any message of the vehicle.
 *
 * Only single-frame answers (ISO 15765-2 PCI 0x01-0x07) count: every mode
 * 01 answer with one or two scalar PIDs fits one frame. Answers come from
 * 0x7E8-0x7EF or 0x18DAF1xx (ISO 15765-4); requests go to 0x7DF, 0x7E0-
 * 0x7E7, 0x18DB33F1 or 0x18DAxxF1. The formulas are diag/obd.c's. */
#ifndef EVGW_DISCOVER_DISC_OBD_H
#define EVGW_DISCOVER_DISC_OBD_H

#include <stdbool.h>
#include <stdint.h>

#include "can/frame.h"

/* "obd:0D" or "obd:0x0D" (hex, as `evgw read-pids` takes PIDs): 0 and *pid
 * for a PID diag/obd.c has a formula for, -ENOTSUP for one it has none
 * for, -EINVAL when spec is not of that form. */
int disc_obd_parse_spec(const char *spec, uint8_t *pid);

/* Whether the frame is OBD-II request or answer traffic (its ids). */
bool disc_obd_traffic(const struct evgw_frame *f);

/* 1 and *value when the frame is a single-frame mode 01 answer carrying
 * pid; 0 otherwise (another PID, another service, a negative answer, a
 * multi-frame or malformed one). */
int disc_obd_value(uint8_t pid, const struct evgw_frame *f, double *value);

#endif
