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

struct evgw_recorder {
	struct evgw_daemon *d;
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
	int n = fprintf(r->f, "(%" PRId64 ".%06" PRId64 ") %s %s\n", us / 1000000, us % 1000000,
			bus->name, text);
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

int evgw_recorder_start(struct evgw_daemon *d, struct evgw_bus *bus, const char *file, bool admin,
			char *path_out, size_t path_len, char *err, size_t errlen)
{
	if (d->recorders[bus->index]) {
		snprintf(err, errlen, "bus '%s' is already being recorded to %s", bus->name,
			 d->recorders[bus->index]->path);
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
			snprintf(err, errlen, "a recording name must be a plain file name (no '/', not hidden)");
			return -EPERM;
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
	r->bus = bus;
	r->f = f;
	r->limit = d->cfg.record_max_bytes ? d->cfg.record_max_bytes : UINT64_MAX;
	time_t now = time(NULL);
	struct tm tm;
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(f, "# evgw recording of bus %s (driver %s, device %s, bitrate %" PRIu32 "), started %s\n",
		bus->name, bus->ops->name, bus->params.device ? bus->params.device : "-",
		bus->params.bitrate, when);
	struct evgw_frame_listener l = {record_frame, r};
	if (evgw_bus_add_listener(bus, &l) < 0) {
		fclose(f);
		unlink(path_out);
		free(r->path);
		free(r);
		snprintf(err, errlen, "too many listeners on bus '%s'", bus->name);
		return -ENOSPC;
	}
	d->recorders[bus->index] = r;
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

int evgw_recorder_stop(struct evgw_daemon *d, struct evgw_bus *bus, uint64_t *frames, uint64_t *bytes)
{
	struct evgw_recorder *r = d->recorders[bus->index];
	if (!r)
		return -ENOENT;
	*frames = r->frames;
	*bytes = r->bytes;
	d->recorders[bus->index] = NULL;
	recorder_close(d, r);
	return 0;
}

void evgw_recorder_stop_all(struct evgw_daemon *d)
{
	for (unsigned i = 0; i < EVGW_MAX_BUSES; i++)
		if (d->recorders[i]) {
			recorder_close(d, d->recorders[i]);
			d->recorders[i] = NULL;
		}
}
