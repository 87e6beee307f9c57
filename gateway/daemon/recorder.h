// SPDX-License-Identifier: MIT
/* Recording a bus's raw frames to a candump log (can-utils' canplayer,
 * python-can and `evgw decode` read it back), with a size limit. */
#ifndef EVGW_DAEMON_RECORDER_H
#define EVGW_DAEMON_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evgw_daemon;
struct evgw_bus;

/* file: a plain name goes under <state_dir>/recordings/; an absolute path
 * only for admin callers (-EPERM otherwise). Never overwrites a file.
 * -EBUSY when the bus is already being recorded. path_out: the full path. */
int evgw_recorder_start(struct evgw_daemon *d, struct evgw_bus *bus, const char *file, bool admin,
			char *path_out, size_t path_len, char *err, size_t errlen);
int evgw_recorder_stop(struct evgw_daemon *d, struct evgw_bus *bus, uint64_t *frames, uint64_t *bytes);
/* Close every recording (shutdown, or the bus goes away on reload). */
void evgw_recorder_stop_all(struct evgw_daemon *d);

#endif
