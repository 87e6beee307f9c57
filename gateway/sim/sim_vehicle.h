// SPDX-License-Identifier: MIT
/* Simulated vehicles: ECUs that broadcast the messages of a vehicle's DBC
 * files with values that move plausibly over a repeating 60 s drive cycle
 * (park, pull away to about 60 km/h, cruise, regenerate back to a stop,
 * neutral, park), with a fault that is on for 10 s of each cycle (and, on
 * the bus, a GB/T 27930 charge while it stands: sim_charging.h). Values
 * are encoded with the DBC engine, so what the simulator sends is exactly
 * what the decoder reads back.
 *
 * The clock is the caller's: poll with any monotonic time in microseconds
 * (a fake one in tests). Nothing here sleeps, logs or allocates after
 * create. */
#ifndef EVGW_SIM_SIM_VEHICLE_H
#define EVGW_SIM_SIM_VEHICLE_H

#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

struct evgw_sim_vehicle;

/* Load the vehicle called `name` ("byd-atto3", "yutong-bus") with its DBC
 * files from dbc_dir. Returns 0 and *out, or a negative errno with a
 * sentence in err (naming the vehicle or the file): -EINVAL for an unknown
 * name or a DBC file with errors, file-system errors as they come. */
int evgw_sim_vehicle_create(const char *name, const char *dbc_dir, struct evgw_sim_vehicle **out,
			    char *err, size_t errlen);
void evgw_sim_vehicle_free(struct evgw_sim_vehicle *v);

/* The DBC files (relative to the DBC directory, NULL-terminated) that
 * describe the vehicle's bus, so that a demo bus can decode what it sends;
 * NULL for an unknown name. */
const char *const *evgw_sim_vehicle_dbc_files(const char *name);

/* Fill out with up to max frames due at or before now_us, oldest first, and
 * return the count. The first call sets the cycle's t = 0. Each message goes
 * out every GenMsgCycleTime (the vehicle's own rate, else 100 ms); a message
 * more than one period overdue is sent once, not in a burst. Frames carry
 * their due time (on the caller's clock) in ts_us; frames past max stay due. */
int evgw_sim_vehicle_poll(struct evgw_sim_vehicle *v, int64_t now_us, struct evgw_frame *out,
			  unsigned max);

/* When the next frame is due (caller's clock); INT64_MIN before the first poll. */
int64_t evgw_sim_vehicle_next_due(const struct evgw_sim_vehicle *v);

/* A frame sent to the vehicle. On byd-atto3 its diagnostic ECUs answer
 * (sim_diag.h: the BMS on 0x7E7/0x7EF by UDS, a body module on 0x7E3/0x7EB
 * by KWP2000 only, an OBD-II ECU on 0x7DF/0x7E0/0x7E8); the request counts
 * as received at the last poll, and the replies come out of later polls. */
void evgw_sim_vehicle_receive(struct evgw_sim_vehicle *v, const struct evgw_frame *f);

#endif
