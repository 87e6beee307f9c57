// SPDX-License-Identifier: MIT
/* Recordings; see recorder.h.
 *
 * A name ending in ".zst" is compressed on the way (zstd level 3, with
 * checksums): a saturated bus makes about 2 GB of log an hour, and its
 * repetitive lines shrink ten times and more. Compressed text gathers in a
 * buffer that goes out when it fills and at least once a second, as whole
 * zstd blocks, so the file on disk is never more than a second behind.
 * With rotation each part is a complete file (a finished zstd frame) with
 * its own header, readable on its own. */
#include "daemon/recorder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "can/candump.h"
#include "can/pcapng.h"
#include "daemon/daemon.h"
#include "daemon/own_dir.h"
#include "daemon/station.h"
#include "loop/loop.h"

#define ZSTD_LEVEL 3             /* some 300 MB/s of log per core: far above any bus */
#define ZSTD_STAGE (64u << 10)   /* text gathered before it is compressed */
#define FLUSH_EVERY_US 1000000   /* the longest compressed text waits in memory */

struct evgw_recorder {
	struct evgw_daemon *d;
	struct evgw_station *st;
	struct evgw_bus *bus;
	FILE *f;
	char *path;
	char *name;         /* under recordings/ (counted in the quotas), else NULL */
	uint32_t uid;       /* who started it */
	uint64_t frames, bytes, limit;
	bool full;
	bool write_failed;
	bool pcapng;        /* pcapng blocks, not candump text (can/pcapng.h) */
	char error[192];    /* why it stopped by itself */
	/* Parts (rotate_bytes): the first file's name, where the next go. */
	char *first;        /* the first part's full path */
	int dirfd;          /* recordings/ for a plain name, else -1 */
	unsigned part;      /* 1-based */
	uint64_t rotate;    /* 0: one file */
	uint64_t part_bytes;
	uint64_t done_bytes; /* in the finished parts, as on disk */
	/* Compression (".zst"): text is staged, then compressed into f. */
	ZSTD_CCtx *zc;
	char *stage, *zout;
	size_t staged, zout_cap;
	int64_t flushed_us;
};

/* Compressed bytes to the file. */
static void put_out(struct evgw_recorder *r, const char *p, size_t n)
{
	if (r->write_failed || !n)
		return;
	if (fwrite(p, 1, n, r->f) != n) {
		r->write_failed = r->full = true;
		snprintf(r->error, sizeof r->error, "write failed: %s", strerror(errno));
		evgw_err(&r->d->log, "recording %s: %s; recording stopped", r->path, r->error);
		return;
	}
	r->bytes += n;
	r->part_bytes += n;
}

/* The staged text through the compressor; e_flush: out as whole blocks
 * (and out of stdio's buffer), e_end: the zstd frame finished. */
static void drain(struct evgw_recorder *r, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = {r->stage, r->staged, 0};
	for (;;) {
		ZSTD_outBuffer out = {r->zout, r->zout_cap, 0};
		size_t left = ZSTD_compressStream2(r->zc, &out, &in, mode);
		if (ZSTD_isError(left)) {
			r->write_failed = r->full = true;
			snprintf(r->error, sizeof r->error, "compression failed: %s", ZSTD_getErrorName(left));
			break;
		}
		put_out(r, r->zout, out.pos);
		if (in.pos == in.size && (mode == ZSTD_e_continue ? out.pos < out.size : left == 0))
			break;
	}
	r->staged = 0;
	if (mode != ZSTD_e_continue && !r->write_failed && fflush(r->f) != 0) {
		r->write_failed = r->full = true;
		snprintf(r->error, sizeof r->error, "write failed: %s", strerror(errno));
	}
	r->flushed_us = evgw_now_mono_us();
}

/* A line of text: straight to the file, or into the compressor. Returns
 * the bytes written for plain text, -1 on a write error. */
static int put_text(struct evgw_recorder *r, const char *p, size_t n)
{
	if (!r->zc) {
		if (fwrite(p, 1, n, r->f) != n)
			return -1;
		r->bytes += n;
		r->part_bytes += n;
		return (int)n;
	}
	if (r->staged + n > ZSTD_STAGE)
		/* With parts, the compressed size must be known as it grows. */
		drain(r, r->rotate ? ZSTD_e_flush : ZSTD_e_continue);
	memcpy(r->stage + r->staged, p, n);
	r->staged += n;
	return r->write_failed ? -1 : (int)n;
}

/* "drive.log.zst", part 3 -> "drive-3.log.zst": the number before the
 * first '.' of the file name, so the extensions stay. */
static char *part_path(const char *first, unsigned part)
{
	const char *name = strrchr(first, '/');
	name = name ? name + 1 : first;
	const char *dot = strchr(name + (*name == '.'), '.');
	size_t stem = dot ? (size_t)(dot - first) : strlen(first);
	char *p = NULL;
	if (asprintf(&p, "%.*s-%u%s", (int)stem, first, part, dot ? dot : "") < 0)
		return NULL;
	return p;
}

static void write_header(struct evgw_recorder *r)
{
	time_t now = time(NULL);
	struct tm tm;
	char when[64], part[32] = "", line[512];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	if (r->part > 1)
		snprintf(part, sizeof part, ", part %u", r->part);
	/* The uid at the end of the first line tells the quota whose it is. */
	int n = snprintf(line, sizeof line,
			 "# evgw recording of bus %s (driver %s, device %s, bitrate %" PRIu32 ")%s, started %s"
			 ", by uid %" PRIu32 "\n",
			 r->bus->name, r->bus->ops->name, r->bus->params.device ? r->bus->params.device : "-",
			 r->bus->params.bitrate, part, when, r->uid);
	if (n <= 0)
		return;
	n = (size_t)n < sizeof line ? n : (int)sizeof line - 1;
	if (!r->pcapng) {
		put_text(r, line, (size_t)n);
		return;
	}
	/* pcapng: the same words as the section's comment (what evgw convert
	 * makes of the candump header), then the bus as interface 0. */
	uint8_t block[sizeof line + 128];
	line[n - 1] = '\0';
	const char *comment = line + 2;
	int k = evgw_pcapng_put_shb(block, sizeof block, &comment, 1);
	if (k > 0)
		put_text(r, (const char *)block, (size_t)k);
	k = evgw_pcapng_put_idb(block, sizeof block, r->bus->name);
	if (k > 0)
		put_text(r, (const char *)block, (size_t)k);
}

/* The part is full: finish it, go on in the next. */
static void next_part(struct evgw_recorder *r)
{
	if (r->zc)
		drain(r, ZSTD_e_end);
	if (fclose(r->f) != 0 && !r->write_failed) {
		r->write_failed = true;
		snprintf(r->error, sizeof r->error, "write failed: %s", strerror(errno));
	}
	r->f = NULL;
	r->done_bytes += r->part_bytes;
	r->part_bytes = 0;
	char *path = part_path(r->first, r->part + 1);
	int fd = -1;
	if (path) {
		const char *name = strrchr(path, '/');
		fd = r->dirfd >= 0 ? openat(r->dirfd, name ? name + 1 : path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640)
				   : open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		r->full = true;
		snprintf(r->error, sizeof r->error, "cannot create part %u (%s): %s", r->part + 1,
			 path ? path : "out of memory", strerror(errno));
		evgw_err(&r->d->log, "recording of bus %s: %s; recording stopped", r->bus->name, r->error);
		free(path);
		return;
	}
	free(r->path);
	r->path = path;
	r->f = f;
	r->part++;
	if (r->zc)
		ZSTD_CCtx_reset(r->zc, ZSTD_reset_session_only);
	write_header(r);
	evgw_info(&r->d->log, "recording bus %s: part %u in %s", r->bus->name, r->part, r->path);
}

static void record_frame(void *ud, struct evgw_bus *bus, const struct evgw_frame *f)
{
	struct evgw_recorder *r = ud;
	if (r->full)
		return;
	int n;
	if (r->pcapng) {
		uint8_t block[EVGW_PCAPNG_EPB_MAX];
		int k = evgw_pcapng_put_epb(block, sizeof block, 0, f, NULL, NULL, 0);
		if (k < 0)
			return;
		n = put_text(r, (const char *)block, (size_t)k);
	} else {
		char text[160];
		if (evgw_candump_format_frame(f, text, sizeof text) < 0)
			return;
		int64_t us = f->ts_us < 0 ? 0 : f->ts_us;
		/* A frame evgw sent ends in " T" (candump -l's direction mark, which
		 * python-can reads); received frames keep the plain format. */
		char line[256];
		int ln = snprintf(line, sizeof line, "(%" PRId64 ".%06" PRId64 ") %s %s%s\n", us / 1000000,
				  us % 1000000, bus->name, text, (f->flags & EVGW_FRAME_TX) ? " T" : "");
		n = ln > 0 && (size_t)ln < sizeof line ? put_text(r, line, (size_t)ln) : -1;
	}
	if (n < 0) {
		r->full = true;
		r->write_failed = true;
		snprintf(r->error, sizeof r->error, "write failed: %s", strerror(errno));
		evgw_err(&r->d->log, "recording %s: %s; recording stopped", r->path, r->error);
		return;
	}
	r->frames++;
	if (r->zc && evgw_now_mono_us() - r->flushed_us >= FLUSH_EVERY_US)
		drain(r, ZSTD_e_flush);
	if (r->bytes >= r->limit) {
		r->full = true;
		bool quota = r->limit < r->d->cfg.record_max_bytes;
		snprintf(r->error, sizeof r->error, "%s of %" PRIu64 " bytes reached",
			 quota ? "the recording quota left" : "the size limit", r->limit);
		char note[256];
		int nn = snprintf(note, sizeof note, "# %s; recording stopped\n", r->error);
		if (nn > 0 && (size_t)nn < sizeof note && !r->pcapng) /* pcapng: in the log only */
			put_text(r, note, (size_t)nn);
		if (r->zc)
			drain(r, ZSTD_e_end);
		fflush(r->f);
		evgw_warn(&r->d->log, "recording %s: %s", r->path, r->error);
		return;
	}
	if (r->rotate && r->part_bytes >= r->rotate)
		next_part(r);
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

/* The uid in a recording's header ("..., by uid 1001"), or -1. */
static int64_t header_uid(int dirfd, const char *name)
{
	char line[512];
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, line, sizeof line - 1);
	close(fd);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	const char *by;
	if (line[0] == '#') {
		line[strcspn(line, "\n")] = '\0';
		by = strstr(line, ", by uid ");
	} else if (n >= 4 && !memcmp(line, EVGW_PCAPNG_MAGIC, 4)) {
		/* The section's comment, which ends in a zero (padding or the
		 * end of options: evgw puts it last). */
		by = memmem(line, (size_t)n, ", by uid ", 9);
	} else {
		return -1;
	}
	char *end;
	unsigned long long uid = by ? strtoull(by + 9, &end, 10) : 0;
	return by && end != by + 9 && !*end && uid <= UINT32_MAX ? (int64_t)uid : -1;
}

/* A running recording's files (all its parts) count at its allowance,
 * not by their size. */
static bool running_here(const struct evgw_daemon *d, const char *name)
{
	for (unsigned i = 0; i < d->n_stations; i++) {
		const struct evgw_recorder *r = d->stations[i]->recorder;
		if (!r || !r->name)
			continue;
		if (!strcmp(r->name, name))
			return true;
		for (unsigned k = 2; k <= r->part; k++) {
			char *pn = part_path(r->name, k);
			bool same = pn && !strcmp(pn, name);
			free(pn);
			if (same)
				return true;
		}
	}
	return false;
}

/* What recordings/ holds: the finished files (uid's by their header) and
 * every running recording at its full allowance. */
static void quota_used(const struct evgw_daemon *d, int dirfd, uint32_t uid, uint64_t *user, uint64_t *total)
{
	*user = *total = 0;
	for (unsigned i = 0; i < d->n_stations; i++) {
		const struct evgw_recorder *r = d->stations[i]->recorder;
		if (r && r->name) {
			*total += r->limit;
			*user += r->uid == uid ? r->limit : 0;
		}
	}
	int fd = dup(dirfd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (struct dirent *e; (e = readdir(dir));) {
		struct stat st;
		if (e->d_name[0] == '.' || running_here(d, e->d_name) ||
		    fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		*total += (uint64_t)st.st_size;
		if (header_uid(dirfd, e->d_name) == (int64_t)uid)
			*user += (uint64_t)st.st_size;
	}
	closedir(dir);
}

static uint64_t left(uint64_t quota, uint64_t used)
{
	return used < quota ? quota - used : 0;
}

/* A plain name: made under <state_dir>/recordings/, which must be ours
 * (never a symlink), and within the quotas. Returns the file's fd. */
static int create_in_store(struct evgw_daemon *d, const char *file, uint32_t uid, uint64_t *limit,
			   int *dir_out, char *path_out, size_t path_len, char *err, size_t errlen)
{
	const struct evgw_config *cfg = &d->cfg;
	char shown[4096];
	snprintf(shown, sizeof shown, "%s/recordings", cfg->state_dir);
	int sfd = evgw_own_dir_open(cfg->state_dir, 0750, false, "state directory", err, errlen);
	if (sfd < 0)
		return sfd;
	int rfd = evgw_own_subdir_open(sfd, "recordings", 0750, shown, err, errlen);
	close(sfd);
	if (rfd < 0)
		return rfd;
	uint64_t user, total;
	quota_used(d, rfd, uid, &user, &total);
	uint64_t user_left = left(cfg->record_user_quota, user), total_left = left(cfg->record_total_quota, total);
	uint64_t room = user_left < total_left ? user_left : total_left;
	*limit = cfg->record_max_bytes ? cfg->record_max_bytes : UINT64_MAX;
	*limit = room < *limit ? room : *limit;
	if (room < EVGW_RECORD_MIN_BYTES) {
		bool mine = user_left <= total_left;
		snprintf(err, errlen,
			 "no room for another recording: %s %" PRIu64 " of %s = %" PRIu64 " bytes (a running "
			 "recording counts in full); an admin can remove old ones from %s",
			 mine ? "your recordings use" : "all recordings use", mine ? user : total,
			 mine ? "record_user_quota" : "record_total_quota",
			 mine ? cfg->record_user_quota : cfg->record_total_quota, shown);
		close(rfd);
		return -EDQUOT;
	}
	snprintf(path_out, path_len, "%s/%s", shown, file);
	int fd = openat(rfd, file, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	int e = errno;
	if (fd < 0) {
		close(rfd);
		snprintf(err, errlen, "cannot create %s: %s", path_out, strerror(e));
		return -e;
	}
	*dir_out = rfd; /* where the parts go */
	return fd;
}

static void recorder_free(struct evgw_recorder *r)
{
	if (r->dirfd >= 0)
		close(r->dirfd);
	ZSTD_freeCCtx(r->zc);
	free(r->stage);
	free(r->zout);
	free(r->first);
	free(r->name);
	free(r->path);
	free(r);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* The compressor for a ".zst" recording. */
static int zstd_init(struct evgw_recorder *r)
{
	r->zout_cap = ZSTD_CStreamOutSize();
	r->zc = ZSTD_createCCtx();
	r->stage = malloc(ZSTD_STAGE);
	r->zout = malloc(r->zout_cap);
	if (!r->zc || !r->stage || !r->zout ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(r->zc, ZSTD_c_compressionLevel, ZSTD_LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(r->zc, ZSTD_c_checksumFlag, 1)))
		return -ENOMEM;
	r->flushed_us = evgw_now_mono_us();
	return 0;
}

int evgw_recorder_start(struct evgw_station *st, const char *file, enum evgw_record_format fmt,
			uint64_t rotate_bytes, uint32_t uid,
			bool admin, char *path_out, size_t path_len, char *err, size_t errlen)
{
	struct evgw_daemon *d = st->d;
	struct evgw_bus *bus = st->bus;
	if (st->recorder) {
		/* Where another user records is theirs to know. */
		if (st->recorder->uid == uid)
			snprintf(err, errlen, "bus '%s' is already being recorded to %s", bus->name,
				 st->recorder->path);
		else
			snprintf(err, errlen, "bus '%s' is already being recorded by another user", bus->name);
		return -EBUSY;
	}
	uint64_t limit = d->cfg.record_max_bytes ? d->cfg.record_max_bytes : UINT64_MAX;
	bool in_store = file[0] != '/';
	int fd, dirfd = -1;
	if (!in_store) {
		if (!admin) {
			snprintf(err, errlen, "only an admin may record to an absolute path");
			return -EPERM;
		}
		snprintf(path_out, path_len, "%s", file);
		fd = open(path_out, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
		if (fd < 0) {
			int e = errno;
			snprintf(err, errlen, "cannot create %s: %s", path_out, strerror(e));
			return -e;
		}
	} else {
		if (!plain_name(file)) {
			snprintf(err, errlen, "a recording name must be a plain file name (no '/', not hidden), "
					      "or an absolute path (admins)");
			return -EINVAL;
		}
		fd = create_in_store(d, file, uid, &limit, &dirfd, path_out, path_len, err, errlen);
		if (fd < 0)
			return fd;
	}
	struct evgw_recorder *r = calloc(1, sizeof *r);
	FILE *f = fdopen(fd, "w");
	if (r)
		r->dirfd = dirfd;
	if (!r || !f || !(r->path = strdup(path_out)) || !(r->first = strdup(path_out)) ||
	    (in_store && !(r->name = strdup(file))) || (ends_with(file, ".zst") && zstd_init(r) < 0)) {
		if (f)
			fclose(f);
		else
			close(fd);
		unlink(path_out);
		if (r)
			recorder_free(r);
		else if (dirfd >= 0)
			close(dirfd);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->d = d;
	r->st = st;
	r->bus = bus;
	r->f = f;
	r->pcapng = fmt == EVGW_RECORD_PCAPNG ||
		    (fmt == EVGW_RECORD_BY_NAME && (ends_with(file, ".pcapng") || ends_with(file, ".pcapng.zst")));
	r->uid = uid;
	r->limit = limit;
	r->part = 1;
	r->rotate = rotate_bytes;
	write_header(r); /* the file's size: the header counts */
	struct evgw_frame_listener l = {record_frame, r, true};
	if (evgw_bus_add_listener(bus, &l) < 0) {
		fclose(f);
		unlink(path_out);
		recorder_free(r);
		snprintf(err, errlen, "too many listeners on bus '%s'", bus->name);
		return -ENOSPC;
	}
	st->recorder = r;
	evgw_info(&d->log, "recording bus %s to %s for uid %" PRIu32 "%s%s", bus->name, path_out, uid,
		  r->pcapng ? " (pcapng)" : "", r->zc ? " (zstd)" : "");
	return 0;
}

/* pcapng: the same after the last whole block (blocks say their length;
 * evgw writes little-endian). */
static void cut_partial_block(int fd)
{
	off_t end = lseek(fd, 0, SEEK_END), at = 0;
	uint8_t h[8];
	while (at + 8 <= end && pread(fd, h, 8, at) == 8) {
		uint32_t len = (uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 | (uint32_t)h[7] << 24;
		if (len < 12 || at + (off_t)len > end)
			break;
		at += len;
	}
	if (at < end && ftruncate(fd, at) < 0) {
		/* The size reported is then what is there. */
	}
}

/* After a failed write the file may end inside a line: cut it back to the
 * last whole one, so that it stays a candump log (read back: the file is
 * opened O_RDWR for this). */
static void cut_partial_line(int fd)
{
	char tail[512];
	off_t end = lseek(fd, 0, SEEK_END);
	if (end <= 0)
		return;
	off_t from = end > (off_t)sizeof tail ? end - (off_t)sizeof tail : 0;
	ssize_t n = pread(fd, tail, (size_t)(end - from), from);
	if (n <= 0)
		return;
	while (n > 0 && tail[n - 1] != '\n')
		n--;
	if (from + n < end && ftruncate(fd, from + n) < 0) {
		/* The size reported is then what is there. */
	}
}

/* Close the file; end (if not NULL) gets what is on disk. */
static void recorder_close(struct evgw_daemon *d, struct evgw_recorder *r, struct evgw_recording_end *end)
{
	evgw_bus_remove_listener(r->bus, r);
	uint64_t size = r->done_bytes;
	if (r->f) {
		if (r->zc && !r->write_failed)
			drain(r, ZSTD_e_end);
		if (!r->write_failed && fflush(r->f) != 0) {
			r->write_failed = true;
			snprintf(r->error, sizeof r->error, "write failed: %s", strerror(errno));
		}
		if (r->write_failed) {
			__fpurge(r->f); /* what did not fit is dropped, not written later past the cut */
			if (!r->zc && r->pcapng) /* compressed text cannot be cut at a line */
				cut_partial_block(fileno(r->f));
			else if (!r->zc)
				cut_partial_line(fileno(r->f));
		}
		struct stat st;
		size += fstat(fileno(r->f), &st) == 0 ? (uint64_t)st.st_size : r->part_bytes;
		if (fclose(r->f) != 0)
			evgw_err(&d->log, "recording %s: %s", r->path, strerror(errno));
	}
	evgw_info(&d->log, "recording of bus %s stopped: %" PRIu64 " frames, %" PRIu64 " bytes in %u file%s from %s%s%s",
		  r->bus->name, r->frames, size, r->part, r->part > 1 ? "s" : "", r->first, r->error[0] ? "; " : "",
		  r->error);
	if (end) {
		end->frames = r->frames;
		end->bytes = size;
		end->files = r->part;
		snprintf(end->error, sizeof end->error, "%s", r->error);
	}
	recorder_free(r);
}

int evgw_recorder_stop(struct evgw_station *st, uint32_t uid, bool admin, struct evgw_recording_end *end)
{
	struct evgw_recorder *r = st->recorder;
	if (!r)
		return -ENOENT;
	if (r->uid != uid && !admin)
		return -EPERM;
	st->recorder = NULL;
	recorder_close(st->d, r, end);
	return 0;
}

void evgw_recorder_stop_station(struct evgw_station *st)
{
	if (st->recorder)
		recorder_close(st->d, st->recorder, NULL);
	st->recorder = NULL;
}

const char *evgw_recorder_path(const struct evgw_station *st)
{
	return st->recorder ? st->recorder->path : NULL;
}
