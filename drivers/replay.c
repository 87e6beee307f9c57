// SPDX-License-Identifier: MIT
/* The `replay` driver: plays a candump log back as if it were a bus.
 *
 * The log is mapped read-only and parsed a line at a time, one frame ahead
 * of delivery so that the next due time is always known. Paced replay
 * (speed > 0) waits on a timerfd armed at the next frame's due time:
 * start + (ts - first_ts) / speed on CLOCK_MONOTONIC. As fast as possible
 * (speed 0) uses an eventfd that stays readable until the end has been
 * reported. Delivered frames carry the wall-clock time of delivery: the
 * recorded time only paces. Lines without a timestamp (the compact form)
 * are due together with the frame before them. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "can/candump.h"
#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"
#include "loop/loop.h"

/* Recorded gaps beyond this (about 31 years) are clamped, keeping the
 * due-time arithmetic inside int64. */
#define MAX_OFFSET_US 1e15

struct replay {
	const char *text;      /* the mapping; NULL for an empty file */
	size_t len;
	size_t pos;            /* start of the next unread line */
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
};


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
		if (r->pos >= r->len) {
			/* A pass without frames would loop forever. */
			if (!r->loop || r->frames_this_pass == 0)
				return r->has_pending = false;
			r->pos = 0;
			r->line_no = 0;
			r->pass++;
			r->frames_this_pass = 0;
			r->start = r->last_due;
		}
		const char *s = r->text + r->pos;
		size_t rest = r->len - r->pos;
		const char *nl = memchr(s, '\n', rest);
		size_t n = nl ? (size_t)(nl - s) : rest;
		r->pos += nl ? n + 1 : n;
		r->line_no++;

		size_t col;
		const char *msg;
		int rc = evgw_candump_parse_line(s, n, &r->pending, &col, &msg);
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
	if (r->text)
		munmap((void *)r->text, r->len);
	free(r);
}

static int map_log(struct replay *r, const char *path, struct evgw_driver_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		evgw_driver_set_err(err, "replay: cannot open the candump log \"%s\": %s", path, strerror(e));
		return -e;
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		evgw_driver_set_err(err, "replay: cannot read the candump log \"%s\": %s", path, strerror(-rc));
	} else if (!S_ISREG(st.st_mode)) {
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		evgw_driver_set_err(err, "replay: \"%s\" is not a candump log file%s", path,
			S_ISDIR(st.st_mode) ? " but a directory" : "");
	} else if ((uintmax_t)st.st_size > SIZE_MAX) {
		rc = -EFBIG;
		evgw_driver_set_err(err, "replay: the candump log \"%s\" is too large to map", path);
	} else if (st.st_size > 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			rc = -errno;
			evgw_driver_set_err(err, "replay: cannot map the candump log \"%s\": %s", path, strerror(-rc));
		} else {
			r->text = p;
			r->len = (size_t)st.st_size;
			madvise(p, r->len, MADV_SEQUENTIAL);
		}
	}
	close(fd);
	return rc;
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
	r->paced = p->replay_speed > 0;
	r->speed = p->replay_speed;
	r->loop = p->replay_loop;
	int rc = map_log(r, path, err);
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
	st->state = r->has_pending ? EVGW_BUS_ACTIVE : EVGW_BUS_STOPPED;
	st->rx_errors = r->bad_lines > UINT32_MAX ? UINT32_MAX : (uint32_t)r->bad_lines;
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
