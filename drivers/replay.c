// SPDX-License-Identifier: MIT
/* The `replay` driver: plays a candump log back as if it were a bus.
 *
 * The log is read through a fixed buffer (pread, 64 KiB at a time) and
 * parsed a line at a time, one frame ahead of delivery so that the next due
 * time is always known. It is never mapped: another process may shorten
 * the file while it is replayed (truncate, cp or a shell's > over it), and
 * a mapping would then kill the daemon with SIGBUS. What the file does
 * instead is noticed and said (the bus's error text, link_errors): a file
 * that shrank ends the pass where its bytes end (then a looping replay goes
 * on with the file as it is now, and one that has nothing left is down); a
 * file modified, grown or replaced is replayed as it is read. An unchanged
 * file loops for ever.
 *
 * Paced replay (speed > 0) waits on a timerfd armed at the next frame's due
 * time: start + (ts - first_ts) / speed on CLOCK_MONOTONIC. As fast as
 * possible (speed 0) uses an eventfd that stays readable until the end has
 * been reported. Delivered frames carry the wall-clock time of delivery:
 * the recorded time only paces. Lines without a timestamp (the compact
 * form) are due together with the frame before them. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "can/candump.h"
#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"
#include "loop/loop.h"
#include "util/regular_file.h"

/* Recorded gaps beyond this (about 31 years) are clamped, keeping the
 * due-time arithmetic inside int64. */
#define MAX_OFFSET_US 1e15

/* The read buffer: every candump line (a CAN FD frame is under 200 bytes)
 * fits many times over; a longer line is skipped as malformed. */
#define READ_BUF (64u * 1024u)

enum line_kind { LINE_END, LINE_OK, LINE_TOO_LONG };

struct replay {
	char *path;
	int log;               /* the candump log */
	char *buf;             /* bytes [buf_off, buf_off + buf_len) of the log */
	size_t buf_len, buf_pos; /* buf_pos: start of the next unread line */
	uint64_t buf_off;
	uint64_t size;         /* bytes in this pass: the size the file had at its start */
	struct timespec mtime; /* the file's, as last seen */
	dev_t dev;
	ino_t ino;
	bool skipping;         /* inside a line longer than the buffer */
	bool replaced_said;
	bool lost;             /* bytes vanished (shrank, unreadable): the end, when it
				  comes, is a failure */
	uint32_t line_no;      /* of the last line read */
	int fd;                /* timerfd (paced) or eventfd (as fast as possible) */
	bool paced;
	bool loop;
	double speed;
	bool has_pending;      /* `pending` holds the next frame to deliver */
	bool end_reported;     /* recv has returned -ENODATA */
	struct evgw_candump_line pending;
	int64_t pending_due;   /* monotonic us */
	bool have_first_ts;
	int64_t first_ts;      /* recorded time of the first stamped frame */
	int64_t start;         /* monotonic us at which first_ts is due in this pass */
	int64_t last_due;
	uint32_t pass;         /* 0 on the first pass through the file */
	uint64_t frames_this_pass;
	uint64_t bad_lines;    /* malformed lines, counted on the first pass only */
	uint32_t first_bad_line;
	size_t first_bad_col;
	const char *first_bad_msg;
	uint64_t changes;      /* what the file did under the replay (link_errors) */
	uint32_t error_seq;
	char error[200];
};

/* Something happened to the file: keep the words for the bus's error text. */
__attribute__((format(printf, 2, 3))) static void say(struct replay *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
	r->changes++;
	r->error_seq++;
}

static bool same_time(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* Compare the open file with what this pass started from: a file that
 * shrank ends the pass where it now ends; any other change is said once. */
static void check_file(struct replay *r)
{
	struct stat st;
	if (fstat(r->log, &st) < 0 || (same_time(st.st_mtim, r->mtime) && (uint64_t)st.st_size >= r->size))
		return;
	r->mtime = st.st_mtim;
	if ((uint64_t)st.st_size < r->size) {
		say(r, "replay: the candump log \"%s\" shrank from %llu to %llu bytes while being replayed",
		    r->path, (unsigned long long)r->size, (unsigned long long)st.st_size);
		r->size = (uint64_t)st.st_size;
		r->lost = true;
	} else {
		say(r, "replay: the candump log \"%s\" was modified while being replayed (%llu bytes now)",
		    r->path, (unsigned long long)st.st_size);
	}
}

/* Read more of the log behind what is buffered. False when nothing more
 * could be read: the pass then ends where the bytes end. */
static bool refill(struct replay *r)
{
	/* Keep the unread part (an incomplete line) at the front. */
	size_t keep = r->buf_len - r->buf_pos;
	memmove(r->buf, r->buf + r->buf_pos, keep);
	r->buf_off += r->buf_pos;
	r->buf_len = keep;
	r->buf_pos = 0;
	check_file(r);
	uint64_t at = r->buf_off + r->buf_len;
	if (at >= r->size)
		return false;
	size_t want = READ_BUF - r->buf_len;
	if (want > r->size - at)
		want = (size_t)(r->size - at);
	ssize_t got;
	do
		got = pread(r->log, r->buf + r->buf_len, want, (off_t)at);
	while (got < 0 && errno == EINTR);
	if (got <= 0) {
		if (got < 0)
			say(r, "replay: cannot read the candump log \"%s\" at byte %llu: %s", r->path,
			    (unsigned long long)at, strerror(errno));
		else
			say(r, "replay: the candump log \"%s\" ends at byte %llu, before its %llu bytes",
			    r->path, (unsigned long long)at, (unsigned long long)r->size);
		r->size = at;
		r->lost = true;
		return false;
	}
	r->buf_len += (size_t)got;
	return true;
}

/* The next line of this pass (without its newline). */
static enum line_kind next_line(struct replay *r, const char **s, size_t *n)
{
	for (;;) {
		const char *b = r->buf + r->buf_pos;
		size_t avail = r->buf_len - r->buf_pos;
		const char *nl = memchr(b, '\n', avail);
		if (nl) {
			*s = b;
			*n = (size_t)(nl - b);
			r->buf_pos += *n + 1;
			if (r->skipping) {
				r->skipping = false;
				return LINE_TOO_LONG;
			}
			return LINE_OK;
		}
		if (avail == READ_BUF) {
			/* No newline in a whole buffer: drop the line's bytes. */
			r->skipping = true;
			r->buf_pos = r->buf_len;
		}
		if (!refill(r)) {
			avail = r->buf_len - r->buf_pos;
			if (!avail && !r->skipping)
				return LINE_END;
			/* The last line, without a newline. */
			*s = r->buf + r->buf_pos;
			*n = avail;
			r->buf_pos = r->buf_len;
			bool cut = r->skipping;
			r->skipping = false;
			return cut ? LINE_TOO_LONG : LINE_OK;
		}
	}
}

/* Back to the start of the file for the next pass, as it is now. */
static void rewind_log(struct replay *r)
{
	struct stat st;
	if (fstat(r->log, &st) == 0) {
		/* Changes were said as they were read. */
		r->size = (uint64_t)st.st_size;
		r->mtime = st.st_mtim;
	}
	struct stat now;
	if (!r->replaced_said && (stat(r->path, &now) < 0 || now.st_dev != r->dev || now.st_ino != r->ino)) {
		r->replaced_said = true;
		say(r, "replay: the candump log \"%s\" was replaced or removed; replaying the file it opened",
		    r->path);
	}
	r->buf_off = 0;
	r->buf_len = r->buf_pos = 0;
	r->skipping = false;
}

static int64_t due_of(struct replay *r, const struct evgw_candump_line *l)
{
	if (!l->has_ts)
		return r->last_due;
	if (!r->have_first_ts) {
		r->first_ts = l->frame.ts_us;
		r->have_first_ts = true;
	}
	double off = (double)(l->frame.ts_us - r->first_ts) / r->speed;
	off = fmin(fmax(off, -MAX_OFFSET_US), MAX_OFFSET_US);
	return r->start + (int64_t)off;
}

/* Parse forward to the next frame and make it pending; at the end of the
 * file, start over when looping. False at the end. */
static bool advance(struct replay *r)
{
	for (;;) {
		const char *s;
		size_t n;
		enum line_kind k = next_line(r, &s, &n);
		if (k == LINE_END) {
			/* A pass without frames would loop forever. */
			if (!r->loop || r->frames_this_pass == 0)
				return r->has_pending = false;
			rewind_log(r);
			r->line_no = 0;
			r->pass++;
			r->frames_this_pass = 0;
			r->start = r->last_due;
			continue;
		}
		r->line_no++;

		size_t col = 1;
		const char *msg = "line longer than 64 KiB";
		int rc = k == LINE_TOO_LONG ? -EINVAL : evgw_candump_parse_line(s, n, &r->pending, &col, &msg);
		if (rc < 0) {
			if (r->pass == 0 && r->bad_lines++ == 0) {
				r->first_bad_line = r->line_no;
				r->first_bad_col = col;
				r->first_bad_msg = msg;
			}
			continue;
		}
		if (rc != EVGW_CANDUMP_FRAME)
			continue;
		r->frames_this_pass++;
		if (r->paced)
			r->last_due = r->pending_due = due_of(r, &r->pending);
		return r->has_pending = true;
	}
}

/* Arm the timerfd at an absolute monotonic time; times already past fire at once. */
static int arm_at(int fd, int64_t due_us)
{
	struct itimerspec its = {0};
	if (due_us < 1)
		due_us = 1; /* 0 would disarm */
	its.it_value.tv_sec = (time_t)(due_us / 1000000);
	its.it_value.tv_nsec = (long)(due_us % 1000000) * 1000;
	return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0 ? -errno : 0;
}

static int disarm(int fd)
{
	struct itimerspec its = {0};
	return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0 ? -errno : 0;
}

static void drain(int fd)
{
	uint64_t v;
	/* Non-blocking: EAGAIN just means nothing was pending. */
	if (read(fd, &v, sizeof v) < 0)
		return;
}

static void replay_close(void *state)
{
	struct replay *r = state;
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->log >= 0)
		close(r->log);
	free(r->buf);
	free(r->path);
	free(r);
}

static int open_log(struct replay *r, const char *path, struct evgw_driver_err *err)
{
	struct stat st;
	int fd = evgw_open_regular(path, &st);
	if (fd == -EINVAL || fd == -EISDIR)
		return evgw_driver_fail(err, fd, "replay: \"%s\" is %s, not a candump log file", path,
					evgw_file_kind(st.st_mode));
	if (fd < 0)
		return evgw_driver_fail(err, fd, "replay: cannot open the candump log \"%s\": %s", path,
					strerror(-fd));
	r->log = fd;
	r->size = (uint64_t)st.st_size;
	r->mtime = st.st_mtim;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->path = strdup(path);
	r->buf = malloc(READ_BUF);
	if (!r->path || !r->buf)
		return evgw_driver_fail(err, -ENOMEM, "replay: \"%s\": %s", path, strerror(ENOMEM));
	return 0;
}

static int replay_open(const struct evgw_bus_params *p, void **state, struct evgw_driver_err *err)
{
	const char *path = p->device;
	if (!path || !*path) {
		evgw_driver_set_err(err, "replay: no candump log given (device = the path of a candump log)");
		return -EINVAL;
	}
	if (!(p->replay_speed >= 0) || isinf(p->replay_speed)) {
		evgw_driver_set_err(err, "replay: \"%s\": the replay speed must be 0 (as fast as possible) or a "
			"positive factor", path);
		return -EINVAL;
	}
	struct replay *r = calloc(1, sizeof *r);
	if (!r) {
		evgw_driver_set_err(err, "replay: \"%s\": %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	r->fd = -1;
	r->log = -1;
	r->paced = p->replay_speed > 0;
	r->speed = p->replay_speed;
	r->loop = p->replay_loop;
	int rc = open_log(r, path, err);
	if (rc < 0)
		goto fail;

	r->fd = r->paced ? timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)
			 : eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->fd < 0) {
		rc = -errno;
		evgw_driver_set_err(err, "replay: \"%s\": cannot create the replay timer: %s", path, strerror(-rc));
		goto fail;
	}
	r->start = r->last_due = evgw_now_mono_us();
	if (!advance(r) && r->bad_lines > 0) {
		/* Nothing but malformed lines: almost certainly the wrong file. */
		evgw_driver_set_err(err, "replay: \"%s\" holds no candump frames (line %u, column %zu: %s)",
			path, r->first_bad_line, r->first_bad_col, r->first_bad_msg);
		rc = -EINVAL;
		goto fail;
	}
	/* An empty log opens and ends at once: a recording of a silent bus is valid. */
	if (r->paced && (rc = arm_at(r->fd, r->has_pending ? r->pending_due : 1)) < 0) {
		evgw_driver_set_err(err, "replay: \"%s\": cannot arm the replay timer: %s", path, strerror(-rc));
		goto fail;
	}
	*state = r;
	return 0;
fail:
	replay_close(r);
	return rc;
}

static int replay_fds(void *state, struct evgw_driver_fd *fds, int max)
{
	struct replay *r = state;
	if (max < 1)
		return 0;
	fds[0].fd = r->fd;
	fds[0].events = EPOLLIN;
	return 1;
}

static int replay_recv(void *state, struct evgw_frame *frames, unsigned max)
{
	struct replay *r = state;
	if (r->end_reported)
		return -ENODATA;
	if (r->paced)
		drain(r->fd);
	if (!r->has_pending) {
		/* Quiet the fd: the end is reported once. */
		r->end_reported = true;
		if (r->paced)
			disarm(r->fd);
		else
			drain(r->fd);
		return -ENODATA;
	}
	int64_t now = r->paced ? evgw_now_mono_us() : 0;
	int64_t wall = evgw_now_real_us();
	unsigned n = 0;
	while (n < max && r->has_pending && (!r->paced || r->pending_due <= now)) {
		frames[n] = r->pending.frame;
		frames[n].ts_us = wall;
		n++;
		advance(r);
	}
	/* At the end, fire at once so that the next recv reports it; frames left
	 * over because max was reached are already due and fire at once too. */
	if (r->paced) {
		int rc = arm_at(r->fd, r->has_pending ? r->pending_due : 1);
		if (rc < 0 && n == 0)
			return rc;
	}
	return (int)n;
}

static int replay_send(void *state, const struct evgw_frame *f)
{
	(void)state;
	(void)f;
	return -EOPNOTSUPP; /* a recording cannot be written to */
}

static int replay_set_listen_only(void *state, bool on)
{
	(void)state;
	return on ? 0 : -EOPNOTSUPP;
}

static int replay_get_status(void *state, struct evgw_bus_status *st)
{
	struct replay *r = state;
	memset(st, 0, sizeof *st);
	/* Ended because bytes of the file vanished: down, not a plain end. */
	st->state = r->has_pending ? EVGW_BUS_ACTIVE : r->lost ? EVGW_BUS_DOWN : EVGW_BUS_STOPPED;
	st->rx_errors = r->bad_lines > UINT32_MAX ? UINT32_MAX : (uint32_t)r->bad_lines;
	st->link_errors = r->changes;
	st->error_seq = r->error_seq;
	memcpy(st->error, r->error, sizeof st->error);
	return 0;
}

const struct evgw_driver_ops evgw_driver_replay = {
	.name = "replay",
	.open = replay_open,
	.close = replay_close,
	.fds = replay_fds,
	.recv = replay_recv,
	.send = replay_send,
	.set_listen_only = replay_set_listen_only,
	.get_status = replay_get_status,
};
