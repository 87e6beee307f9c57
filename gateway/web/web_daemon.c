// SPDX-License-Identifier: MIT
#include "web/web_daemon.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/daemon_socket.h"

#define MAX_LINE (64u << 20)

static void default_path(char *out, size_t len)
{
	const char *env = getenv("EVGW_SOCKET"), *run = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	if (geteuid() != 0 && run && *run) {
		snprintf(out, len, "%s/evgw/evgw.sock", run);
		if (stat(out, &st) == 0)
			return;
	}
	snprintf(out, len, "/run/evgw/evgw.sock");
	if (geteuid() != 0 && stat(out, &st) < 0)
		snprintf(out, len, "/tmp/evgw-%u/evgw.sock", (unsigned)geteuid());
}

int web_conn_open(struct web_conn *c, const char *path, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	char def[108];
	if (!path || !*path) {
		default_path(def, sizeof def);
		path = def;
	}
	struct evgw_trust t = evgw_daemon_trust();
	char why[4400];
	int r = evgw_daemon_socket_place(path, &t, why, sizeof why);
	if (r < 0) {
		snprintf(err, errlen, "refusing the socket %s: %s (someone may be posing as the daemon)", path, why);
		return r;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errlen, "the socket path is too long: %.255s", path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return r;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		r = -errno;
		snprintf(err, errlen, "no daemon at %s: %s", path, strerror(errno));
		close(fd);
		return r;
	}
	r = evgw_daemon_socket_peer(fd, &t, why, sizeof why);
	if (r < 0) {
		snprintf(err, errlen, "refusing the socket %s: %s (someone may be posing as the daemon)", path, why);
		close(fd);
		return r;
	}
	c->fd = fd;
	return 0;
}

void web_conn_close(struct web_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = c->used = 0;
}

int web_conn_send(struct web_conn *c, const char *line, size_t len)
{
	struct iovec iov[2] = {{(void *)line, len}, {"\n", 1}};
	size_t total = len + 1, done = 0;
	while (done < total) {
		struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
		ssize_t n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd p = {.fd = c->fd, .events = POLLOUT};
				poll(&p, 1, 1000);
				continue;
			}
			return -errno;
		}
		done += (size_t)n;
		/* Advance the vector past what went. */
		size_t k = (size_t)n;
		for (int i = 0; i < 2; i++) {
			size_t take = k < iov[i].iov_len ? k : iov[i].iov_len;
			iov[i].iov_base = (char *)iov[i].iov_base + take;
			iov[i].iov_len -= take;
			k -= take;
		}
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int web_conn_line(struct web_conn *c, int timeout_ms, char **line, size_t *len)
{
	if (c->used) {
		memmove(c->buf, c->buf + c->used, c->len - c->used);
		c->len -= c->used;
		c->used = 0;
	}
	long long deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
	size_t scanned = 0;
	for (;;) {
		char *nl = c->len > scanned ? memchr(c->buf + scanned, '\n', c->len - scanned) : NULL;
		if (nl) {
			*nl = '\0';
			*line = c->buf;
			*len = (size_t)(nl - c->buf);
			c->used = *len + 1;
			return 1;
		}
		scanned = c->len;
		if (c->cap - c->len < 65536) {
			size_t cap = c->cap ? c->cap * 2 : 131072;
			if (cap > MAX_LINE)
				return -E2BIG;
			char *b = realloc(c->buf, cap);
			if (!b)
				return -ENOMEM;
			c->buf = b;
			c->cap = cap;
		}
		int wait = -1;
		if (timeout_ms >= 0) {
			long long left = deadline - now_ms();
			if (left <= 0)
				return 0;
			wait = (int)left;
		}
		struct pollfd p = {.fd = c->fd, .events = POLLIN};
		int pr = poll(&p, 1, wait);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -errno;
		if (pr == 0)
			return 0;
		ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		c->len += (size_t)n;
	}
}

int web_daemon_request(const char *path, const char *line, size_t len, int timeout_ms, char **reply,
		       size_t *reply_len, char *err, size_t errlen)
{
	struct web_conn c;
	int r = web_conn_open(&c, path, err, errlen);
	if (r < 0)
		return r;
	r = web_conn_send(&c, line, len);
	if (r < 0) {
		snprintf(err, errlen, "the daemon went away: %s", strerror(-r));
		web_conn_close(&c);
		return r;
	}
	char *l;
	size_t n;
	r = web_conn_line(&c, timeout_ms, &l, &n);
	if (r == 1) {
		*reply = strndup(l, n);
		*reply_len = n;
		r = *reply ? 0 : -ENOMEM;
	} else if (r == 0) {
		snprintf(err, errlen, "the daemon did not answer within %d ms", timeout_ms);
		r = -ETIMEDOUT;
	} else {
		snprintf(err, errlen, "the daemon closed the connection");
	}
	web_conn_close(&c);
	return r;
}
