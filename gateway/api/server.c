// SPDX-License-Identifier: MIT
/* The listening socket and the clients: accept, credentials, line framing,
 * bounded buffers, deferred frees. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "api/api_internal.h"
#include "api/json_check.h"
#include "daemon/own_dir.h"

#define READ_BUDGET (256u * 1024u) /* bytes read from one client per wake-up */

static void client_free(void *p)
{
	struct evgw_client *c = p;
	evgw_textbuf_free(&c->out);
	free(c->in);
	free(c);
}

static void accept_resume(struct evgw_api *api);

void api_client_drop(struct evgw_client *c, const char *why)
{
	if (c->dead)
		return;
	struct evgw_api *api = c->api;
	c->dead = true;
	evgw_debug(&api->d->log, "client pid %d uid %u dropped: %s", (int)c->pid, (unsigned)c->uid, why);
	api_subs_free_client(c);
	int fd = c->io.fd;
	evgw_loop_del(&api->d->loop, &c->io);
	if (fd >= 0)
		close(fd);
	for (struct evgw_client **pp = &api->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	api->n_clients--;
	api_client_release(c);
	accept_resume(api); /* a descriptor is free */
}

void api_client_hold(struct evgw_client *c)
{
	c->refs++;
}

void api_client_release(struct evgw_client *c)
{
	if (--c->refs)
		return;
	/* Never freed under its own callback. */
	if (evgw_loop_defer(c->loop, client_free, c) < 0)
		client_free(c); /* out of memory: nothing refers to it any more */
}

static void client_flush(struct evgw_client *c)
{
	while (api_client_pending(c)) {
		ssize_t n = write(c->io.fd, c->out.buf + c->out_off, api_client_pending(c));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				api_client_drop(c, strerror(errno));
			break;
		}
		c->out_off += (size_t)n;
	}
	if (c->dead)
		return;
	if (!api_client_pending(c)) {
		evgw_textbuf_reset(&c->out);
		c->out_off = 0;
	} else if (c->out_off > EVGW_API_OUT_SOFT) {
		/* Keep the buffer from creeping: move the unsent tail down. */
		memmove(c->out.buf, c->out.buf + c->out_off, api_client_pending(c));
		c->out.len -= c->out_off;
		c->out_off = 0;
	}
	evgw_loop_mod(&c->api->d->loop, &c->io, EPOLLIN | (api_client_pending(c) ? EPOLLOUT : 0));
}

/* Room for n more bytes of the client's output, or the client cut off:
 * over the hard limit (it is not reading) or out of memory. */
static char *out_reserve(struct evgw_client *c, size_t n)
{
	if (c->dead)
		return NULL;
	if (api_client_pending(c) + n > EVGW_API_OUT_HARD) {
		c->api->dropped_clients++;
		api_client_drop(c, "not reading its replies");
		return NULL;
	}
	char *p = evgw_textbuf_reserve(&c->out, n);
	if (!p)
		api_client_drop(c, "out of memory");
	return p;
}

static bool out_append(struct evgw_client *c, const char *line, size_t len)
{
	char *p = out_reserve(c, len);
	if (!p)
		return false;
	memcpy(p, line, len);
	evgw_textbuf_commit(&c->out, p + len);
	return true;
}

bool api_client_send(struct evgw_client *c, const char *line, size_t len)
{
	if (!out_append(c, line, len))
		return false;
	/* Write now if the socket takes it; the loop finishes otherwise. */
	if (api_client_pending(c) == len)
		client_flush(c);
	else
		evgw_loop_mod(&c->api->d->loop, &c->io, EPOLLIN | EPOLLOUT);
	return !c->dead;
}

/* Flush now when enough waits, else within API_EVENT_FLUSH_US. */
static bool schedule_flush(struct evgw_client *c)
{
	if (api_client_pending(c) >= API_EVENT_FLUSH_BYTES) {
		client_flush(c);
		return !c->dead;
	}
	if (c->queued)
		return true;
	c->queued = true;
	struct evgw_api *api = c->api;
	if (!api->flush_armed) {
		if (evgw_timer_arm(&api->flush_timer, API_EVENT_FLUSH_US, 0) == 0)
			api->flush_armed = true;
		else
			client_flush(c); /* no timer: at once, as replies */
	}
	return !c->dead;
}

bool api_client_queue(struct evgw_client *c, const char *line, size_t len)
{
	return out_append(c, line, len) && schedule_flush(c);
}

char *api_client_queue_reserve(struct evgw_client *c, size_t max)
{
	return out_reserve(c, max);
}

bool api_client_queue_commit(struct evgw_client *c, char *end)
{
	evgw_textbuf_commit(&c->out, end);
	return schedule_flush(c);
}

/* The flush timer: every client with queued events writes them. */
static void flush_events(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct evgw_api *api = t->ud;
	api->flush_armed = false;
	for (struct evgw_client *c = api->clients, *next; c; c = next) {
		next = c->next; /* a failed write drops c from the list */
		if (!c->queued)
			continue;
		c->queued = false;
		if (api_client_pending(c))
			client_flush(c);
	}
}

static void handle_line(struct evgw_client *c, const char *line, size_t len)
{
	c->api->requests++;
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (!len)
		return; /* blank lines are allowed between requests */
	/* RFC 8259 first: json-c alone takes more than JSON and rewrites the id. */
	struct evgw_json_check chk;
	if (evgw_json_check(line, len, &chk) < 0) {
		api_reply_error(c, "null", API_ERR_BAD_JSON, "%s", chk.msg);
		return;
	}
	/* The id's bytes as written: valid JSON, echoed byte for byte. */
	char small[64], *id_json = small;
	if (!chk.has_id)
		memcpy(small, "null", 5);
	else if (chk.id_len >= sizeof small)
		id_json = strndup(line + chk.id_off, chk.id_len);
	else {
		memcpy(small, line + chk.id_off, chk.id_len);
		small[chk.id_len] = '\0';
	}
	json_object *req = NULL;
	struct json_tokener *tok = json_tokener_new_ex(EVGW_JSON_MAX_DEPTH);
	if (tok) {
		/* Valid JSON within json-c's depth: only memory can fail here
		 * (tests/fuzz/fuzz_json_check.c holds json-c to that). */
		req = json_tokener_parse_ex(tok, line, (int)len);
		json_tokener_free(tok);
	}
	if (!req || !id_json)
		api_reply_error(c, id_json ? id_json : "null", API_ERR_INTERNAL, "out of memory");
	else
		api_handle_request(c, req, id_json);
	json_object_put(req);
	if (id_json != small)
		free(id_json);
}

static void client_read(struct evgw_client *c)
{
	size_t budget = READ_BUDGET;
	while (!c->dead && budget) {
		size_t room = EVGW_API_MAX_LINE + 1 - c->in_len; /* the line and its '\n' */
		ssize_t n = read(c->io.fd, c->in + c->in_len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				api_client_drop(c, strerror(errno));
			return;
		}
		if (n == 0) {
			api_client_drop(c, "closed the connection");
			return;
		}
		budget -= (size_t)n < budget ? (size_t)n : budget;
		size_t start = 0, scan = c->in_len;
		c->in_len += (size_t)n;
		for (size_t i = scan; i < c->in_len && !c->dead; i++) {
			if (c->in[i] != '\n')
				continue;
			if (c->discarding)
				c->discarding = false;
			else
				handle_line(c, c->in + start, i - start);
			start = i + 1;
		}
		if (c->dead)
			return;
		memmove(c->in, c->in + start, c->in_len - start);
		c->in_len -= start;
		if (c->in_len == EVGW_API_MAX_LINE + 1) {
			/* An over-long line: answer once, skip to its end, go on. */
			if (!c->discarding)
				api_reply_error(c, "null", API_ERR_TOO_LARGE, "request line longer than %d bytes",
						EVGW_API_MAX_LINE);
			c->discarding = true;
			c->in_len = 0;
		}
	}
}

static void client_ready(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	struct evgw_client *c = io->ud;
	if (events & EPOLLIN)
		client_read(c);
	if (!c->dead && (events & EPOLLOUT))
		client_flush(c);
	if (!c->dead && (events & (EPOLLHUP | EPOLLERR)) && !(events & EPOLLIN))
		api_client_drop(c, "hung up");
}

/* Is the peer on fd in this group? Its own groups as the kernel has them
 * (SO_PEERCRED's gid, SO_PEERGROUPS: Linux 4.13), not the group file's
 * member list: a process that dropped the group (setpriv --clear-groups, a
 * sandbox) is not an admin. Without SO_PEERGROUPS only the primary group
 * counts. */
static bool peer_in_group(int fd, gid_t gid, const char *group)
{
	if (!group || !*group)
		return false;
	struct group *g = getgrnam(group);
	if (!g)
		return false;
	if (g->gr_gid == gid)
		return true;
	gid_t some[64], *groups = some;
	socklen_t len = sizeof some;
	int r = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	if (r < 0 && errno == ERANGE && (groups = malloc(len)))
		r = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	bool in = false;
	for (size_t i = 0; r == 0 && i < len / sizeof *groups && !in; i++)
		in = groups[i] == g->gr_gid;
	if (groups != some)
		free(groups);
	return in;
}

static unsigned clients_of_uid(const struct evgw_api *api, uid_t uid)
{
	unsigned n = 0;
	for (const struct evgw_client *c = api->clients; c; c = c->next)
		n += c->uid == uid;
	return n;
}

static void refuse(int fd, enum api_error code, const char *msg)
{
	char line[256];
	int n = snprintf(line, sizeof line,
			 "{\"type\":\"reply\",\"id\":null,\"ok\":false,\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n",
			 api_error_info(code)->code, msg);
	if (write(fd, line, (size_t)n) < 0) {
		/* The refusal is best effort; the close says the rest. */
	}
	close(fd);
}

/* Out of file descriptors, the connection stays in the listen queue and
 * the socket stays readable: polling it would spin. Stop polling it until
 * a client closes (a descriptor is free) or, for descriptors freed
 * elsewhere, the timer fires; said once per shortage. */
#define ACCEPT_RETRY_US 250000

static void accept_pause(struct evgw_api *api, int err)
{
	api->fd_shortage_tries++;
	if (!api->fd_shortage_since_us) {
		api->fd_shortage_since_us = evgw_now_mono_us();
		evgw_warn(&api->d->log, "cannot accept a client: %s; new clients wait until a descriptor is free",
			  strerror(err));
	}
	if (api->accept_paused)
		return;
	if (evgw_loop_mod(&api->d->loop, &api->listen_io, 0) == 0)
		api->accept_paused = true;
	evgw_timer_arm(&api->accept_retry, ACCEPT_RETRY_US, 0);
}

/* The shortage is over once every waiting client has been taken. */
static void accept_caught_up(struct evgw_api *api)
{
	evgw_notice(&api->d->log, "accepting clients again after %.1f s (%" PRIu64 " accepts failed)",
		    (double)(evgw_now_mono_us() - api->fd_shortage_since_us) / 1e6, api->fd_shortage_tries);
	api->fd_shortage_since_us = 0;
	api->fd_shortage_tries = 0;
}

static void accept_resume(struct evgw_api *api)
{
	if (!api->accept_paused)
		return;
	evgw_timer_arm(&api->accept_retry, 0, 0);
	if (evgw_loop_mod(&api->d->loop, &api->listen_io, EPOLLIN) == 0)
		api->accept_paused = false;
}

static void accept_retry_due(struct evgw_loop *loop, struct evgw_timer *t)
{
	accept_resume(t->ud);
}

static void accept_ready(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	struct evgw_api *api = io->ud;
	for (int i = 0; i < 64; i++) {
		int fd = accept4(io->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				accept_pause(api, errno);
			else if (errno == EAGAIN && api->fd_shortage_since_us)
				accept_caught_up(api);
			return;
		}
		struct ucred cred;
		socklen_t len = sizeof cred;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
			close(fd);
			continue;
		}
		const struct evgw_config *cfg = &api->d->cfg;
		if (api->n_clients >= cfg->max_clients) {
			refuse(fd, API_ERR_LIMIT, "too many clients");
			continue;
		}
		if (clients_of_uid(api, cred.uid) >= cfg->max_clients_per_uid) {
			refuse(fd, API_ERR_LIMIT, "too many clients for this user");
			continue;
		}
		struct evgw_client *c = calloc(1, sizeof *c);
		char *in = malloc(EVGW_API_MAX_LINE + 1);
		if (!c || !in) {
			free(c);
			free(in);
			refuse(fd, API_ERR_INTERNAL, "out of memory");
			continue;
		}
		c->in = in;
		c->api = api;
		c->refs = 1;
		c->loop = loop;
		c->uid = cred.uid;
		c->gid = cred.gid;
		c->pid = cred.pid;
		c->admin = cred.uid == 0 || peer_in_group(fd, cred.gid, cfg->admin_group);
		evgw_textbuf_init(&c->out);
		if (evgw_loop_add(loop, &c->io, fd, EPOLLIN, client_ready, c) < 0) {
			client_free(c);
			close(fd);
			continue;
		}
		c->next = api->clients;
		api->clients = c;
		api->n_clients++;
	}
}

/* Is something already answering on this path? */
static bool socket_is_live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool live = connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0;
	close(fd);
	return live;
}

/* The socket's directory: made when missing (one level, like systemd's
 * RuntimeDirectory: deeper trees are the admin's), and refused when another
 * user owns it or others can write in it, since they could then put their
 * own socket there (daemon/own_dir.h). */
static int make_parent_dir(const char *path, char *err, size_t errlen)
{
	char dir[sizeof ((struct sockaddr_un *)0)->sun_path];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		int e = errno;
		snprintf(err, errlen, "cannot create the directory of %s: %s", path, strerror(e));
		return -e;
	}
	int fd = evgw_own_dir_open(dir, 0755, true, "socket directory", err, errlen);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int evgw_api_open(struct evgw_daemon *d, struct evgw_api **out, char *err, size_t errlen)
{
	const char *path = d->cfg.socket_path;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!path || strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errlen, "socket path '%s' is empty or too long", path ? path : "");
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int r = make_parent_dir(path, err, errlen);
	if (r < 0)
		return r;
	if (socket_is_live(&sa)) {
		snprintf(err, errlen, "another evgwd is already listening on %s", path);
		return -EADDRINUSE;
	}
	unlink(path); /* a stale socket from a daemon that died */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -errno;
	}
	mode_t old = umask(0117);
	r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	int bind_errno = errno;
	umask(old);
	if (r < 0 || listen(fd, 128) < 0) {
		r = r < 0 ? -bind_errno : -errno;
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(-r));
		close(fd);
		return r;
	}
	chmod(path, 0660);
	if (d->cfg.socket_group && *d->cfg.socket_group) {
		struct group *g = getgrnam(d->cfg.socket_group);
		if (!g || chown(path, (uid_t)-1, g->gr_gid) < 0)
			evgw_warn(&d->log, "socket %s: cannot give it to group '%s'%s", path,
				  d->cfg.socket_group, g ? "" : " (no such group)");
	}
	struct evgw_api *api = calloc(1, sizeof *api);
	if (!api || !(api->path = strdup(path))) {
		free(api);
		close(fd);
		unlink(path);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	api->d = d;
	/* The retry timer's descriptor is made now: there may be none later. */
	api->accept_retry.io.fd = -1;
	api->flush_timer.io.fd = -1;
	r = evgw_timer_init(&d->loop, &api->accept_retry, accept_retry_due, api);
	if (r == 0)
		r = evgw_timer_init(&d->loop, &api->flush_timer, flush_events, api);
	if (r == 0)
		r = evgw_loop_add(&d->loop, &api->listen_io, fd, EPOLLIN, accept_ready, api);
	if (r < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(-r));
		evgw_timer_fini(&d->loop, &api->accept_retry);
		evgw_timer_fini(&d->loop, &api->flush_timer);
		close(fd);
		unlink(path);
		free(api->path);
		free(api);
		return r;
	}
	*out = api;
	return 0;
}

void evgw_api_close(struct evgw_api *api)
{
	if (!api)
		return;
	while (api->clients)
		api_client_drop(api->clients, "daemon stopping");
	evgw_timer_fini(&api->d->loop, &api->flush_timer);
	int fd = api->listen_io.fd;
	evgw_loop_del(&api->d->loop, &api->listen_io);
	evgw_timer_fini(&api->d->loop, &api->accept_retry);
	if (fd >= 0)
		close(fd);
	unlink(api->path);
	free(api->path);
	free(api);
}

unsigned evgw_api_client_count(const struct evgw_api *api)
{
	return api ? api->n_clients : 0;
}

const char *evgw_api_socket_path(const struct evgw_api *api)
{
	return api ? api->path : NULL;
}

