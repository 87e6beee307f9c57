// SPDX-License-Identifier: MIT
/* Recording a bus's raw frames to a candump log (can-utils' canplayer,
 * python-can and `evgw decode` read it back) or to pcapng (Wireshark), with a size limit and
 * quotas, zstd compressed when the name ends in ".zst", in parts of a
 * given size when asked. A recording belongs to the user who started it (a uid, as a
 * plain number): only they or an admin stop it. It goes on when their
 * client disconnects (long captures), and counts against their quota. */
#ifndef EVGW_DAEMON_RECORDER_H
#define EVGW_DAEMON_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evgw_station;

/* file: a plain name goes under <state_dir>/recordings/ (-EINVAL when it
 * is not one); an absolute path only for admin callers (-EPERM otherwise).
 * Never overwrites a file (-EEXIST). -EBUSY when the bus is already being
 * recorded. A plain-named recording counts against record_user_quota (the
 * files of uid there, a running recording at its full allowance) and
 * record_total_quota (every file there): -EDQUOT when either has less than
 * EVGW_RECORD_MIN_BYTES left; the recording stops when it reaches what was
 * left. path_out: the full path. Frames evgw sends are recorded too,
 * marked " T". rotate_bytes (0: never): when a file reaches that size on
 * disk the next part begins beside it, "drive.log.zst" then
 * "drive-2.log.zst", "drive-3.log.zst", each complete, with its own header
 * (", part N"); the size limit and the quotas bound all parts together.
 * fmt: candump text, or pcapng (can/pcapng.h: the header's words as the
 * section's comment, the bus as its one interface); EVGW_RECORD_BY_NAME
 * chooses pcapng for a name ending in ".pcapng" (or ".pcapng.zst"). */
enum evgw_record_format {
	EVGW_RECORD_BY_NAME = 0,
	EVGW_RECORD_CANDUMP,
	EVGW_RECORD_PCAPNG,
};
int evgw_recorder_start(struct evgw_station *st, const char *file, enum evgw_record_format fmt,
			uint64_t rotate_bytes, uint32_t uid,
			bool admin, char *path_out, size_t path_len, char *err, size_t errlen);
#define EVGW_RECORD_MIN_BYTES 4096

/* How a recording ended. */
struct evgw_recording_end {
	uint64_t frames;
	uint64_t bytes;   /* the files' size on disk, headers included */
	unsigned files;   /* 1, or the parts written */
	char error[192];  /* why it stopped before it was asked to (a write error,
			     the size limit or the quota); "" when it did not */
};
/* Stop the bus's recording: -ENOENT when there is none, -EPERM when it is
 * another user's and the caller is no admin. */
int evgw_recorder_stop(struct evgw_station *st, uint32_t uid, bool admin, struct evgw_recording_end *end);
/* Close the bus's recording if any (the bus goes away: reload, exit). */
void evgw_recorder_stop_station(struct evgw_station *st);
/* The file (part) being written, or NULL. */
const char *evgw_recorder_path(const struct evgw_station *st);

#endif
