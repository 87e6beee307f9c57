// SPDX-License-Identifier: MIT
/* The PID lists people share, read into profile [did] sections (evgw
 * profile import). Three formats, each read from its public description:
 *
 *   wican   WiCAN vehicle-profile JSON: {"car_model", "init": "ATSH7E7;...",
 *           "pids": [{"pid": "221FFC", "pid_init": optional, "parameters":
 *           [{"name", "expression": "(B5*256+B4)/100", "unit"}]}]} (or
 *           {"cars": [one such object]}). ATSH gives the request id, ATCRA
 *           the response id; a "pid" may end in one extra digit (ELM327's
 *           count of expected responses), which is ignored.
 *   abrp    ABRP-style JSON: {"soc": {"equation": "(B*256+A)/100",
 *           "command": "221FFC", "ecu": "7E7", "unit"?}, ...}.
 *   torque  Torque-style CSV with a header line naming the columns: Name,
 *           ShortName, ModeAndPID, Equation, (Min Value, Max Value,) Units,
 *           Header; fields may be "quoted".
 *
 * Only UDS ReadDataByIdentifier requests (22 + a 2-byte DID) become DIDs;
 * anything else is an error naming its place, as is an equation the
 * expression language (did_expr.h) does not take. Without an ATCRA the
 * response id is assumed: request + 8 (11-bit), or the 29-bit 18DA xx yy
 * pair swapped. Nothing here logs or exits. */
#ifndef EVGW_VEHICLE_PID_IMPORT_H
#define EVGW_VEHICLE_PID_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vehicle/did_expr.h"
#include "vehicle/profile.h"

#define EVGW_IMPORT_MAX_BYTES (1024 * 1024)

enum evgw_import_format {
	EVGW_IMPORT_GUESS = 0,
	EVGW_IMPORT_WICAN,
	EVGW_IMPORT_ABRP,
	EVGW_IMPORT_TORQUE,
};

struct evgw_import_did {
	char name[EVGW_PROFILE_NAME];
	uint32_t request, response;
	uint16_t did;
	struct evgw_expr expr;
	char unit[16];
};

struct evgw_import {
	enum evgw_import_format format; /* the one read (guessed or given) */
	char vehicle[EVGW_PROFILE_NAME];
	struct evgw_import_did dids[EVGW_PROFILE_MAX_DIDS];
	unsigned n_dids;
};

/* "wican", "abrp", "torque" -> the format; EVGW_IMPORT_GUESS for others. */
enum evgw_import_format evgw_import_format_named(const char *word);
const char *evgw_import_format_name(enum evgw_import_format f);

/* Read text[0..len) (name is used in messages). fmt GUESS: from the content.
 * Returns 0, or -EINVAL with "name:line:col: what" (or "name: what") in err,
 * -EFBIG past EVGW_IMPORT_MAX_BYTES, -ENOMEM. */
int evgw_import_parse(const char *text, size_t len, const char *name, enum evgw_import_format fmt,
		      struct evgw_import *out, char *err, size_t errlen);

/* The profile text for im: [vehicle], one [bus obd], an [ecu] per request id
 * and a [did] per entry, each marked confidence = assumed and source =
 * source (the input's file name). Returns 0 or -errno of the stream. */
int evgw_import_write(const struct evgw_import *im, const char *source, FILE *f);

#endif
