// SPDX-License-Identifier: MIT
/* Reaching evgwd. When that fails, the message names the real cause: no
 * daemon (and how to start one), a socket the user may not use (and the
 * group to join), or a path that is not a socket at all. And only the real
 * daemon: a socket in a directory another user owns or can write, or a
 * listener that is not root, the evgw user or the caller, is refused (a
 * local user could otherwise pose as the daemon, e.g. in /tmp/evgw-UID). */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_connect.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "config/config.h"
#include "util/daemon_socket.h"

/* What to do when no daemon answers. */
static const char *start_hint(void)
{
	return _("start it with 'sudo systemctl start evgwd', or 'evgwd --demo' for the simulated vehicles");
}

/* Whether the socket's place is the daemon's (util/daemon_socket.h); one
 * line on stderr when not. */
static bool place_trusted(const char *path, const struct evgw_trust *t)
{
	char why[4400];
	if (evgw_daemon_socket_place(path, t, why, sizeof why) == 0)
		return true;
	fprintf(stderr, _("evgw: refusing the socket %s: %s; someone may be posing as the daemon\n"), path, why);
	return false;
}

/* Whether the process that listens on fd is root, evgw or the caller. */
static bool peer_trusted(int fd, const char *path, const struct evgw_trust *t)
{
	char why[256];
	int r = evgw_daemon_socket_peer(fd, t, why, sizeof why);
	if (r == 0)
		return true;
	if (r == -EPERM)
		fprintf(stderr, _("evgw: refusing the socket %s: %s; someone may be posing as the daemon\n"), path, why);
	else
		fprintf(stderr, _("evgw: cannot tell who listens on %s: %s\n"), path, strerror(-r));
	return false;
}

static int try_connect(const char *path, int *fd_out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path)
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	*fd_out = fd;
	return 0;
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? _("a directory") : S_ISREG(m) ? _("a regular file") : _("not a socket");
}

/* One line on stderr: why `path` could not be used (err: negative errno). */
static void explain(const char *path, int err)
{
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (err == -EACCES || err == -EPERM) {
		char group[64];
		struct group *g = exists ? getgrgid(st.st_gid) : NULL;
		if (g)
			snprintf(group, sizeof group, "'%s'", g->gr_name);
		else if (exists)
			snprintf(group, sizeof group, "%u", (unsigned)st.st_gid);
		else
			snprintf(group, sizeof group, "'evgw'");
		fprintf(stderr,
			_("evgw: no permission to use the daemon's socket %s: join its group %s "
			  "(sudo adduser $USER %s, then log in again)\n"),
			path, group, g ? g->gr_name : "evgw");
	} else if (exists && !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, _("evgw: %s is %s, not the daemon's socket (see --socket)\n"), path,
			file_kind(st.st_mode));
	} else if (err == -ECONNREFUSED) {
		fprintf(stderr, _("evgw: no daemon listens on %s (a socket left behind): %s\n"), path, start_hint());
	} else if (err == -ENAMETOOLONG) {
		fprintf(stderr, _("evgw: the socket path is too long (at most %zu bytes): %s\n"),
			sizeof(((struct sockaddr_un *)0)->sun_path) - 1, path);
	} else if (err == -ENOENT || err == -ENOTDIR) {
		fprintf(stderr, _("evgw: no daemon at %s: %s\n"), path, start_hint());
	} else {
		fprintf(stderr, _("evgw: cannot reach the daemon at %s: %s\n"), path, strerror(-err));
	}
}

int cli_conn_open(struct cli_conn *c, const char *opt_socket)
{
	memset(c, 0, sizeof c[0]);
	c->fd = -1;
	c->next_id = 1;
	const char *candidates[2] = {NULL, NULL};
	struct evgw_config user, sys;
	memset(&user, 0, sizeof user);
	memset(&sys, 0, sizeof sys);
	int n = 0;
	const char *env = getenv("EVGW_SOCKET");
	if (opt_socket) {
		candidates[n++] = opt_socket;
	} else if (env && *env) {
		candidates[n++] = env;
	} else {
		bool mine = geteuid() != 0 && evgw_config_defaults(&user, false) == 0 && user.socket_path;
		/* The user's runtime directory is theirs alone; /tmp/evgw-UID is
		 * anyone's to create first: the system daemon comes before it. */
		bool in_tmp = mine && !strncmp(user.socket_path, "/tmp/", 5);
		if (mine && !in_tmp)
			candidates[n++] = user.socket_path;
		if (evgw_config_defaults(&sys, true) == 0 && sys.socket_path)
			candidates[n++] = sys.socket_path;
		if (in_tmp)
			candidates[n++] = user.socket_path;
	}
	struct evgw_trust trust = evgw_daemon_trust();
	int errs[2] = {-ENOENT, -ENOENT}, r = -ENOENT;
	bool refused = false;
	for (int i = 0; i < n && r < 0 && !refused; i++) {
		if (!place_trusted(candidates[i], &trust)) {
			refused = true;
			break;
		}
		r = errs[i] = try_connect(candidates[i], &c->fd);
		if (r == 0 && !peer_trusted(c->fd, candidates[i], &trust)) {
			close(c->fd);
			c->fd = -1;
			r = -EPERM;
			refused = true;
		} else if (r == 0 && !(c->path = strdup(candidates[i]))) {
			close(c->fd);
			c->fd = -1;
			r = -ENOMEM;
		}
	}
	if (r < 0 && !refused) {
		/* The most telling failure: a socket that is there but refused
		 * says more than one that is not there. */
		int pick = n - 1;
		for (int i = 0; i < n; i++)
			if (errs[i] != -ENOENT) {
				pick = i;
				break;
			}
		if (n == 2 && errs[0] == -ENOENT && errs[1] == -ENOENT)
			fprintf(stderr, _("evgw: no daemon at %s or %s: %s\n"), candidates[0], candidates[1],
				start_hint());
		else if (n)
			explain(candidates[pick], errs[pick]);
		else
			fprintf(stderr, _("evgw: no socket to try (see --socket)\n"));
	}
	evgw_config_free(&user);
	evgw_config_free(&sys);
	return r < 0 || refused ? CLI_NO_DAEMON : 0;
}

void cli_conn_close(struct cli_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	free(c->path);
	c->path = NULL;
}

static int conn_send(struct cli_conn *c, const char *line, size_t len)
{
	size_t off = 0;
	while (off < len) {
		/* MSG_NOSIGNAL: a daemon gone is an error to report, not SIGPIPE. */
		ssize_t n = send(c->fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

int cli_conn_has_line(const struct cli_conn *c)
{
	return c->len && memchr(c->buf, '\n', c->len) != NULL;
}

char *cli_conn_line(struct cli_conn *c)
{
	for (;;) {
		char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
		if (nl) {
			*nl = '\0';
			return c->buf;
		}
		if (c->cap - c->len < 65536) {
			size_t cap = c->cap ? c->cap * 2 : 131072;
			if (cap > (64u << 20))
				return NULL; /* a line that long is not from evgwd */
			char *b = realloc(c->buf, cap);
			if (!b)
				return NULL;
			c->buf = b;
			c->cap = cap;
		}
		ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		c->len += (size_t)n;
	}
}

void cli_conn_consume(struct cli_conn *c)
{
	char *end = memchr(c->buf, '\0', c->len);
	size_t used = (size_t)(end - c->buf) + 1;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
}

json_object *cli_conn_request(struct cli_conn *c, json_object *req)
{
	int64_t id = c->next_id++;
	json_object_object_add(req, "id", json_object_new_int64(id));
	const char *text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);
	char *line = malloc(len + 2);
	if (!line) {
		fputs(_("evgw: out of memory\n"), stderr);
		return NULL;
	}
	memcpy(line, text, len);
	memcpy(line + len, "\n", 2);
	int r = conn_send(c, line, len + 1);
	free(line);
	if (r < 0) {
		fprintf(stderr, _("evgw: the daemon went away\n"));
		return NULL;
	}
	for (;;) {
		char *l = cli_conn_line(c);
		if (!l) {
			fprintf(stderr, _("evgw: the daemon closed the connection\n"));
			return NULL;
		}
		json_object *o = json_tokener_parse(l);
		cli_conn_consume(c);
		int64_t got;
		const char *type = cli_jstr(o, "type");
		/* id null: the daemon could not read the request (never ours). */
		if (type && !strcmp(type, "reply") &&
		    (!cli_jget(o, "id") || (cli_jint(o, "id", &got) && got == id)))
			return o;
		json_object_put(o);
	}
}
