// SPDX-License-Identifier: MIT
/* The `slcan` driver: a Lawicel / slcan ASCII adapter on a tty, driven from
 * userspace in the daemon's loop (protocol in drivers/slcan_codec.h).
 *
 * device = PATH [fw=lawicel|canable] [baud=N]
 *   fw      which firmware the adapter runs (adapters.md §3.1, §8): decides
 *           what S7 means (800k Lawicel, 750k CANable) and how listen-only
 *           is asked for (L, or M1 then O on the CANable's firmware, which
 *           has no L). Without it, Lawicel commands are used and 750k / 800k
 *           are refused as ambiguous.
 *   baud    the serial line speed, for real UARTs; USB CDC ignores it.
 *           Default: leave the line as it is.
 *
 * Set-up is sent without waiting for replies (some firmwares never reply,
 * adapters.md §3.1): replies are matched to the commands in order, and a
 * command not answered within ACK_WINDOW_US is taken as unanswered. A
 * refused set-up command (S, Y, L, O, M) leaves the bus down: a refused L
 * is never retried as O, since that would put us on the vehicle's bus.
 * F is polled every POLL_US where the adapter accepts it. The tty is
 * non-blocking with VMIN=1, so read() returns 0 only on a hang-up and EIO
 * once the other side is gone: both are an unplugged adapter (-ENODEV). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"
#include "drivers/slcan.h"
#include "drivers/slcan_codec.h"
#include "loop/loop.h"

#define RBUF_SIZE 4096
#define OBUF_SIZE 4096
#define PENDING_MAX 32
#define ACK_WINDOW_US 1000000
#define POLL_US 1000000
#define PATH_CAP 256

enum cmd_kind {
	CMD_IGNORE,     /* the reply does not matter (the first C) */
	CMD_SETUP,      /* S, Y, L, O, M: a refusal leaves the bus down */
	CMD_TIMESTAMPS, /* Z1: a refusal means frames come without them */
	CMD_STATUS,     /* F: a refusal stops the polling */
	CMD_TX,         /* a frame */
};

struct pending {
	enum cmd_kind kind;
	int64_t sent_us;
};

struct slcan {
	int fd, tfd;
	char path[PATH_CAP];
	enum evgw_slcan_fw fw;
	uint32_t bitrate, data_bitrate;
	bool listen_only;
	bool gone;
	bool setup_refused;
	bool state_lines;       /* the adapter sends s... lines: they rule over F */
	enum evgw_slcan_state st;
	uint8_t flags;          /* last F reply */
	uint16_t rx_errors, tx_errors;
	int64_t next_poll;
	struct evgw_slcan_clock clock;
	struct evgw_slcan_lines lines;
	struct pending q[PENDING_MAX];
	unsigned q_head, q_len;
	size_t rpos, rlen, olen;
	struct evgw_slcan_stats stats;
	char rbuf[RBUF_SIZE];
	char obuf[OBUF_SIZE];
};


static void q_push(struct slcan *s, enum cmd_kind kind, int64_t now)
{
	if (s->q_len == PENDING_MAX) { /* an adapter that never answers: forget the oldest */
		s->q_head = (s->q_head + 1) % PENDING_MAX;
		s->q_len--;
	}
	s->q[(s->q_head + s->q_len) % PENDING_MAX] = (struct pending){kind, now};
	s->q_len++;
}

/* The command a reply answers: the oldest one still within the window. */
static bool q_pop(struct slcan *s, int64_t now, enum cmd_kind *kind)
{
	while (s->q_len) {
		struct pending p = s->q[s->q_head];
		s->q_head = (s->q_head + 1) % PENDING_MAX;
		s->q_len--;
		if (now - p.sent_us <= ACK_WINDOW_US) {
			*kind = p.kind;
			return true;
		}
	}
	return false;
}

static void flush_out(struct slcan *s)
{
	size_t done = 0;
	while (done < s->olen && !s->gone) {
		ssize_t w = write(s->fd, s->obuf + done, s->olen - done);
		if (w > 0) {
			done += (size_t)w;
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else {
			if (w < 0 && errno != EAGAIN)
				s->gone = true; /* EIO: hung up */
			break;
		}
	}
	memmove(s->obuf, s->obuf + done, s->olen - done);
	s->olen -= done;
}

static int queue_text(struct slcan *s, enum cmd_kind kind, const char *text, size_t n)
{
	if (s->olen + n > sizeof s->obuf) {
		flush_out(s);
		if (s->olen + n > sizeof s->obuf)
			return -ENOBUFS;
	}
	memcpy(s->obuf + s->olen, text, n);
	s->olen += n;
	q_push(s, kind, evgw_now_mono_us());
	return 0;
}

static int cmd(struct slcan *s, enum cmd_kind kind, const char *text)
{
	return queue_text(s, kind, text, strlen(text));
}

/* Close the channel and open it again with the current settings. Codes
 * were checked by the caller. */
static int configure(struct slcan *s)
{
	char c[8];
	int rc = 0;
	s->setup_refused = false;
	s->stats.timestamps = s->fw != EVGW_SLCAN_FW_CANABLE;
	s->stats.status_polling = s->fw != EVGW_SLCAN_FW_CANABLE;
	s->clock.started = false;
	/* Twice: the first may only end a half-written command left behind. */
	rc |= cmd(s, CMD_IGNORE, "C\r");
	rc |= cmd(s, CMD_IGNORE, "C\r");
	if (s->bitrate) {
		snprintf(c, sizeof c, "S%d\r", evgw_slcan_bitrate_code(s->bitrate, s->fw));
		rc |= cmd(s, CMD_SETUP, c);
	}
	if (s->data_bitrate) {
		snprintf(c, sizeof c, "Y%d\r", evgw_slcan_data_bitrate_code(s->data_bitrate));
		rc |= cmd(s, CMD_SETUP, c);
	}
	if (s->fw == EVGW_SLCAN_FW_CANABLE) {
		/* canable-fw src/slcan.c: M1 silent, anything else normal; no L. */
		rc |= cmd(s, CMD_SETUP, s->listen_only ? "M1\r" : "M0\r");
		rc |= cmd(s, CMD_SETUP, "O\r");
	} else {
		rc |= cmd(s, CMD_TIMESTAMPS, "Z1\r");
		rc |= cmd(s, CMD_SETUP, s->listen_only ? "L\r" : "O\r");
	}
	flush_out(s);
	s->next_poll = evgw_now_mono_us() + POLL_US;
	return rc ? -ENOBUFS : 0;
}

static int arm(struct slcan *s)
{
	bool now = s->rpos < s->rlen || s->gone;
	struct itimerspec its = {0};
	int64_t due = now ? 1 : s->next_poll;
	its.it_value.tv_sec = (time_t)(due / 1000000);
	its.it_value.tv_nsec = (long)(due % 1000000) * 1000;
	return timerfd_settime(s->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0 ? -errno : 0;
}

static int check_rates(uint32_t bitrate, uint32_t data_bitrate, enum evgw_slcan_fw fw,
		       const char *path, struct evgw_driver_err *err)
{
	int rc = bitrate ? evgw_slcan_bitrate_code(bitrate, fw) : 0;
	if (rc == -ENOTUNIQ) {
		evgw_driver_set_err(err, "slcan: %s: %u bit/s is S7, which is 800k on Lawicel firmware but "
			"750k on the CANable's; say which with fw=lawicel or fw=canable in device",
			path, bitrate);
		return -EINVAL;
	}
	if (rc < 0) {
		evgw_driver_set_err(err, "slcan: %s: %u bit/s cannot be set with S0..S8 (10k 20k 50k 100k "
			"125k 250k 500k %s 1M)", path, bitrate,
			fw == EVGW_SLCAN_FW_CANABLE ? "750k" : "800k");
		return -EINVAL;
	}
	if (data_bitrate && evgw_slcan_data_bitrate_code(data_bitrate) < 0) {
		evgw_driver_set_err(err, "slcan: %s: a data bitrate of %u bit/s cannot be set with Y0..Y8 "
			"(500k 1M 2M 3M 4M 5M 8M)", path, data_bitrate);
		return -EINVAL;
	}
	return 0;
}

static speed_t baud_const(unsigned long b)
{
	static const struct {
		unsigned long rate;
		speed_t code;
	} t[] = {{9600, B9600}, {19200, B19200}, {38400, B38400}, {57600, B57600},
		 {115200, B115200}, {230400, B230400}, {460800, B460800}, {500000, B500000},
		 {921600, B921600}, {1000000, B1000000}, {2000000, B2000000}, {3000000, B3000000}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].rate == b)
			return t[i].code;
	return 0;
}

/* "PATH [fw=...] [baud=N]" */
static int parse_device(struct slcan *s, const char *dev, speed_t *baud, struct evgw_driver_err *err)
{
	const char *p = dev ? dev : "";
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strcspn(p, " \t");
	if (n == 0) {
		evgw_driver_set_err(err, "slcan: no tty given (device = /dev/ttyACM0, or a /dev/serial/by-id/ name)");
		return -EINVAL;
	}
	if (n >= sizeof s->path) {
		evgw_driver_set_err(err, "slcan: the device path is too long");
		return -ENAMETOOLONG;
	}
	memcpy(s->path, p, n);
	s->path[n] = '\0';
	p += n;
	*baud = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		n = strcspn(p, " \t");
		char *end;
		if (n == 10 && strncmp(p, "fw=lawicel", n) == 0) {
			s->fw = EVGW_SLCAN_FW_LAWICEL;
		} else if (n == 10 && strncmp(p, "fw=canable", n) == 0) {
			s->fw = EVGW_SLCAN_FW_CANABLE;
		} else if (strncmp(p, "baud=", 5) == 0 &&
			   (*baud = baud_const(strtoul(p + 5, &end, 10))) != 0 && end == p + n) {
			/* set */
		} else {
			evgw_driver_set_err(err, "slcan: %s: unknown device option \"%.*s\" (fw=lawicel, "
				"fw=canable, baud=9600..3000000)", s->path, (int)n, p);
			return -EINVAL;
		}
		p += n;
	}
}

static int open_tty(struct slcan *s, speed_t baud, struct evgw_driver_err *err)
{
	s->fd = open(s->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENXIO || e == ENODEV) {
			evgw_driver_set_err(err, "slcan: no adapter at %s", s->path);
			return -ENODEV;
		}
		evgw_driver_set_err(err, "slcan: cannot open %s: %s", s->path, strerror(e));
		return -e;
	}
	struct termios t;
	if (tcgetattr(s->fd, &t) < 0) {
		int e = errno;
		evgw_driver_set_err(err, "slcan: %s is not a tty: %s", s->path, strerror(e));
		return e == ENOTTY || e == EINVAL ? -ENOTTY : -e;
	}
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	/* VMIN=1: with O_NONBLOCK an empty tty gives EAGAIN, so 0 means hang-up. */
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (baud && (cfsetispeed(&t, baud) < 0 || cfsetospeed(&t, baud) < 0)) {
		evgw_driver_set_err(err, "slcan: %s: cannot set the line speed", s->path);
		return -EINVAL;
	}
	if (tcsetattr(s->fd, TCSANOW, &t) < 0) {
		int e = errno;
		evgw_driver_set_err(err, "slcan: %s: cannot set the tty raw: %s", s->path, strerror(e));
		return e == EIO ? -ENODEV : -e;
	}
	/* Keep others (ModemManager, a second daemon) from writing into our
	 * session; a tty that refuses exclusivity still works. */
	(void)ioctl(s->fd, TIOCEXCL);
	tcflush(s->fd, TCIOFLUSH);
	return 0;
}

static void slcan_close(void *state)
{
	struct slcan *s = state;
	if (!s)
		return;
	if (s->fd >= 0) {
		if (!s->gone) {
			/* Leave the adapter closed, as slcand -c does; best effort. */
			s->olen = 0;
			(void)queue_text(s, CMD_IGNORE, "C\r", 2);
			flush_out(s);
		}
		close(s->fd);
	}
	if (s->tfd >= 0)
		close(s->tfd);
	free(s);
}

static int slcan_open(const struct evgw_bus_params *p, void **state, struct evgw_driver_err *err)
{
	struct slcan *s = calloc(1, sizeof *s);
	if (!s) {
		evgw_driver_set_err(err, "slcan: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	s->fd = s->tfd = -1;
	speed_t baud;
	int rc = parse_device(s, p->device, &baud, err);
	if (rc == 0)
		rc = check_rates(p->bitrate, p->data_bitrate, s->fw, s->path, err);
	if (rc == 0)
		rc = open_tty(s, baud, err);
	if (rc < 0)
		goto fail;
	s->bitrate = p->bitrate;
	s->data_bitrate = p->data_bitrate;
	s->listen_only = p->listen_only;
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->tfd < 0) {
		rc = -errno;
		evgw_driver_set_err(err, "slcan: %s: cannot create a timer: %s", s->path, strerror(-rc));
		goto fail;
	}
	rc = configure(s);
	if (rc == 0 && s->gone)
		rc = -ENODEV;
	if (rc == 0)
		rc = arm(s);
	if (rc < 0) {
		evgw_driver_set_err(err, "slcan: %s: cannot send the set-up: %s", s->path, strerror(-rc));
		goto fail;
	}
	*state = s;
	return 0;
fail:
	s->gone = true; /* nothing to close on the adapter */
	slcan_close(s);
	return rc;
}

static int slcan_fds(void *state, struct evgw_driver_fd *fds, int max)
{
	struct slcan *s = state;
	int n = 0;
	if (n < max)
		fds[n++] = (struct evgw_driver_fd){s->fd, EPOLLIN};
	if (n < max)
		fds[n++] = (struct evgw_driver_fd){s->tfd, EPOLLIN};
	return n;
}

static enum evgw_slcan_state state_of_flags(uint8_t f)
{
	if (f & EVGW_SLCAN_F_ERR_PASSIVE)
		return EVGW_SLCAN_ST_PASSIVE;
	if (f & EVGW_SLCAN_F_ERR_WARNING)
		return EVGW_SLCAN_ST_WARNING;
	return EVGW_SLCAN_ST_ACTIVE;
}

static void on_nack(struct slcan *s, int64_t now)
{
	enum cmd_kind k;
	s->stats.nacks++;
	if (!q_pop(s, now, &k))
		return;
	switch (k) {
	case CMD_SETUP:
		s->stats.refused++;
		s->setup_refused = true;
		break;
	case CMD_TIMESTAMPS:
		s->stats.timestamps = false;
		break;
	case CMD_STATUS:
		s->stats.status_polling = false;
		break;
	case CMD_TX:
		s->stats.tx_nacks++;
		break;
	case CMD_IGNORE:
		break;
	}
}

/* One line; returns the frames it added to out (0 or 1). */
static unsigned on_line(struct slcan *s, const char *line, size_t len, bool bell, int64_t now,
			int64_t wall, struct evgw_frame *out)
{
	struct evgw_slcan_msg m;
	enum cmd_kind k;
	if (evgw_slcan_parse_line(line, len, bell, &m) < 0) {
		s->stats.bad_lines++;
		return 0;
	}
	if (m.overrun)
		s->stats.overruns++;
	switch (m.kind) {
	case EVGW_SLCAN_ACK:
		s->stats.acks++;
		q_pop(s, now, &k);
		return 0;
	case EVGW_SLCAN_NACK:
		on_nack(s, now);
		return 0;
	case EVGW_SLCAN_TX_ACK:
		s->stats.tx_acks++;
		q_pop(s, now, &k);
		return 0;
	case EVGW_SLCAN_FRAME:
		*out = m.frame;
		out->ts_us = m.has_ts && s->stats.timestamps
				     ? evgw_slcan_clock_stamp(&s->clock, m.ts_ms, wall)
				     : wall;
		return 1;
	case EVGW_SLCAN_STATUS: {
		s->stats.status_replies++;
		q_pop(s, now, &k);
		const uint8_t level = EVGW_SLCAN_F_ERR_WARNING | EVGW_SLCAN_F_ERR_PASSIVE;
		uint8_t prev = s->flags;
		s->flags = m.status;
		if (!s->state_lines)
			s->st = state_of_flags(m.status);
		else /* the s lines report the level; F only its events */
			prev = (uint8_t)((prev & ~level) | (m.status & level));
		if (!evgw_slcan_status_frame(m.status, prev, out))
			return 0;
		out->ts_us = wall;
		return 1;
	}
	case EVGW_SLCAN_BUS_ERROR:
		*out = m.frame;
		out->ts_us = wall;
		return 1;
	case EVGW_SLCAN_STATE: {
		/* As the kernel: a frame only when the state changes. */
		bool changed = !s->state_lines || m.state != s->st;
		s->state_lines = true;
		s->rx_errors = m.rx_errors;
		s->tx_errors = m.tx_errors;
		s->st = m.state;
		if (!changed)
			return 0;
		*out = m.frame;
		out->ts_us = wall;
		return 1;
	}
	case EVGW_SLCAN_INFO:
		return 0;
	}
	return 0;
}

static void drain_timer(struct slcan *s, int64_t now)
{
	uint64_t v;
	if (read(s->tfd, &v, sizeof v) < 0 && errno != EAGAIN)
		return;
	if (now < s->next_poll)
		return;
	s->next_poll = now + POLL_US;
	if (s->stats.status_polling && !s->setup_refused)
		(void)cmd(s, CMD_STATUS, "F\r");
}

static int slcan_recv(void *state, struct evgw_frame *frames, unsigned max)
{
	struct slcan *s = state;
	if (s->gone)
		return -ENODEV;
	int64_t now = evgw_now_mono_us();
	drain_timer(s, now);
	flush_out(s);
	int64_t wall = evgw_now_real_us();
	unsigned n = 0;
	while (n < max && !s->gone) {
		if (s->rpos == s->rlen) {
			ssize_t r = read(s->fd, s->rbuf, sizeof s->rbuf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == EAGAIN)
				break;
			if (r <= 0) { /* 0: hang-up; EIO: the other side is gone */
				s->gone = true;
				break;
			}
			s->rpos = 0;
			s->rlen = (size_t)r;
			wall = evgw_now_real_us();
		}
		bool got, bell;
		const char *line;
		size_t len;
		s->rpos += evgw_slcan_lines_next(&s->lines, s->rbuf + s->rpos, s->rlen - s->rpos, &got,
						 &line, &len, &bell);
		if (got)
			n += on_line(s, line, len, bell, now, wall, &frames[n]);
	}
	s->stats.rx_frames += n;
	s->stats.long_lines = s->lines.dropped;
	if (s->gone && n == 0)
		return -ENODEV;
	int rc = arm(s);
	return n == 0 && rc < 0 ? rc : (int)n;
}

static int slcan_send(void *state, const struct evgw_frame *f)
{
	struct slcan *s = state;
	char text[EVGW_SLCAN_FRAME_TEXT_MAX + 1];
	if (s->gone)
		return -ENODEV;
	if (s->listen_only)
		return -EPERM;
	if (s->setup_refused)
		return -ENETDOWN;
	if ((f->flags & EVGW_FRAME_FD) && !s->data_bitrate)
		return -EINVAL; /* FD frames need the data bitrate set up */
	int n = evgw_slcan_encode_frame(f, text, sizeof text);
	if (n < 0)
		return n;
	int rc = queue_text(s, CMD_TX, text, (size_t)n);
	if (rc < 0)
		return rc;
	flush_out(s);
	return s->gone ? -ENODEV : 0;
}

static int slcan_set_bitrate(void *state, uint32_t bitrate, uint32_t data_bitrate)
{
	struct slcan *s = state;
	if (s->gone)
		return -ENODEV;
	int rc = check_rates(bitrate, data_bitrate, s->fw, s->path, NULL);
	if (rc < 0)
		return rc;
	s->bitrate = bitrate;
	s->data_bitrate = data_bitrate;
	rc = configure(s);
	return s->gone ? -ENODEV : rc;
}

static int slcan_set_listen_only(void *state, bool on)
{
	struct slcan *s = state;
	if (s->gone)
		return -ENODEV;
	s->listen_only = on;
	int rc = configure(s);
	return s->gone ? -ENODEV : rc;
}

static int slcan_get_status(void *state, struct evgw_bus_status *st)
{
	struct slcan *s = state;
	static const enum evgw_bus_state map[] = {
		[EVGW_SLCAN_ST_ACTIVE] = EVGW_BUS_ACTIVE,
		[EVGW_SLCAN_ST_WARNING] = EVGW_BUS_WARNING,
		[EVGW_SLCAN_ST_PASSIVE] = EVGW_BUS_PASSIVE,
		[EVGW_SLCAN_ST_BUS_OFF] = EVGW_BUS_OFF,
	};
	memset(st, 0, sizeof *st);
	st->state = s->gone ? EVGW_BUS_GONE : s->setup_refused ? EVGW_BUS_DOWN : map[s->st];
	st->rx_errors = s->rx_errors;
	st->tx_errors = s->tx_errors;
	st->overruns = s->stats.overruns;
	st->link_errors = s->stats.bad_lines + s->lines.dropped;
	return 0;
}

void evgw_slcan_get_stats(void *state, struct evgw_slcan_stats *out)
{
	struct slcan *s = state;
	*out = s->stats;
	out->long_lines = s->lines.dropped;
}

const struct evgw_driver_ops evgw_driver_slcan = {
	.name = "slcan",
	.open = slcan_open,
	.close = slcan_close,
	.fds = slcan_fds,
	.recv = slcan_recv,
	.send = slcan_send,
	.set_bitrate = slcan_set_bitrate,
	.set_listen_only = slcan_set_listen_only,
	.get_status = slcan_get_status,
};
