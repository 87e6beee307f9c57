// SPDX-License-Identifier: MIT
#include "daemon/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "can/candump.h"
#include "daemon/daemon.h"
#include "daemon/station.h"

struct evgw_recorder {
	struct evgw_daemon *d;
	struct evgw_station *st;
	struct evgw_bus *bus;
	FILE *f;
	char *path;
	uint64_t frames, bytes, limit;
	bool full;
};

static void record_frame(void *ud, struct evgw_bus *bus, const struct evgw_frame *f)
{
	struct evgw_recorder *r = ud;
	if (r->full)
		return;
	char text[160];
	if (evgw_candump_format_frame(f, text, sizeof text) < 0)
		return;
	int64_t us = f->ts_us < 0 ? 0 : f->ts_us;
	/* A frame evgw sent ends in " T" (candump -l's direction mark, which
	 * python-can reads); received frames keep the plain format. */
	int n = fprintf(r->f, "(%" PRId64 ".%06" PRId64 ") %s %s%s\n", us / 1000000, us % 1000000,
			bus->name, text, (f->flags & EVGW_FRAME_TX) ? " T" : "");
	if (n < 0) {
		r->full = true;
		evgw_err(&r->d->log, "recording %s: write failed: %s; recording stopped", r->path,
			 strerror(errno));
		return;
	}
	r->frames++;
	r->bytes += (uint64_t)n;
	if (r->bytes >= r->limit) {
		r->full = true;
		fprintf(r->f, "# size limit of %" PRIu64 " bytes reached; recording stopped\n", r->limit);
		fflush(r->f);
		evgw_warn(&r->d->log, "recording %s reached its size limit (%" PRIu64 " bytes)", r->path,
			  r->limit);
	}
}

static bool plain_name(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (*s == '/' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

int evgw_recorder_start(struct evgw_station *st, const char *file, bool admin, char *path_out,
			size_t path_len, char *err, size_t errlen)
{
	struct evgw_daemon *d = st->d;
	struct evgw_bus *bus = st->bus;
	if (st->recorder) {
		snprintf(err, errlen, "bus '%s' is already being recorded to %s", bus->name, st->recorder->path);
		return -EBUSY;
	}
	if (file[0] == '/') {
		if (!admin) {
			snprintf(err, errlen, "only an admin may record to an absolute path");
			return -EPERM;
		}
		snprintf(path_out, path_len, "%s", file);
	} else {
		if (!plain_name(file)) {
			snprintf(err, errlen, "a recording name must be a plain file name (no '/', not hidden), "
					      "or an absolute path (admins)");
			return -EINVAL;
		}
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/recordings", d->cfg.state_dir);
		mkdir(d->cfg.state_dir, 0750);
		if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
			return -errno;
		}
		snprintf(path_out, path_len, "%s/%s", dir, file);
	}
	int fd = open(path_out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot create %s: %s", path_out, strerror(e));
		return -e;
	}
	struct evgw_recorder *r = calloc(1, sizeof *r);
	FILE *f = fdopen(fd, "w");
	if (!r || !f || !(r->path = strdup(path_out))) {
		if (f)
			fclose(f);
		else
			close(fd);
		free(r);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->d = d;
	r->st = st;
	r->bus = bus;
	r->f = f;
	r->limit = d->cfg.record_max_bytes ? d->cfg.record_max_bytes : UINT64_MAX;
	time_t now = time(NULL);
	struct tm tm;
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	int hn = fprintf(f, "# evgw recording of bus %s (driver %s, device %s, bitrate %" PRIu32 "), started %s\n",
			 bus->name, bus->ops->name, bus->params.device ? bus->params.device : "-",
			 bus->params.bitrate, when);
	r->bytes = hn > 0 ? (uint64_t)hn : 0; /* the file's size: the header counts */
	struct evgw_frame_listener l = {record_frame, r, true};
	if (evgw_bus_add_listener(bus, &l) < 0) {
		fclose(f);
		unlink(path_out);
		free(r->path);
		free(r);
		snprintf(err, errlen, "too many listeners on bus '%s'", bus->name);
		return -ENOSPC;
	}
	st->recorder = r;
	evgw_info(&d->log, "recording bus %s to %s", bus->name, path_out);
	return 0;
}

static void recorder_close(struct evgw_daemon *d, struct evgw_recorder *r)
{
	evgw_bus_remove_listener(r->bus, r);
	if (fclose(r->f) != 0)
		evgw_err(&d->log, "recording %s: %s", r->path, strerror(errno));
	evgw_info(&d->log, "recording of bus %s stopped: %" PRIu64 " frames in %s", r->bus->name,
		  r->frames, r->path);
	free(r->path);
	free(r);
}

int evgw_recorder_stop(struct evgw_station *st, uint64_t *frames, uint64_t *bytes)
{
	struct evgw_recorder *r = st->recorder;
	if (!r)
		return -ENOENT;
	*frames = r->frames;
	*bytes = r->bytes;
	st->recorder = NULL;
	recorder_close(st->d, r);
	return 0;
}

void evgw_recorder_stop_station(struct evgw_station *st)
{
	if (st->recorder)
		recorder_close(st->d, st->recorder);
	st->recorder = NULL;
}

const char *evgw_recorder_path(const struct evgw_station *st)
{
	return st->recorder ? st->recorder->path : NULL;
}
