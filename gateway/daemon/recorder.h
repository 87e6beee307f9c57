// SPDX-License-Identifier: MIT
/* Recording a bus's raw frames to a candump log (can-utils' canplayer,
 * python-can and `evgw decode` read it back), with a size limit. */
#ifndef EVGW_DAEMON_RECORDER_H
#define EVGW_DAEMON_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evgw_station;

/* file: a plain name goes under <state_dir>/recordings/ (-EINVAL when it
 * is not one); an absolute path only for admin callers (-EPERM otherwise).
 * Never overwrites a file (-EEXIST). -EBUSY when the bus is already being
 * recorded. path_out: the full path. Frames evgw sends are recorded too,
 * marked " T". */
int evgw_recorder_start(struct evgw_station *st, const char *file, bool admin, char *path_out,
			size_t path_len, char *err, size_t errlen);
/* bytes: the file's size (header included). -ENOENT when not recording. */
int evgw_recorder_stop(struct evgw_station *st, uint64_t *frames, uint64_t *bytes);
/* Close the bus's recording if any (the bus goes away: reload, exit). */
void evgw_recorder_stop_station(struct evgw_station *st);
/* The file being written, or NULL. */
const char *evgw_recorder_path(const struct evgw_station *st);

#endif
