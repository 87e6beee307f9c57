// SPDX-License-Identifier: MIT
#include "util/daemon_socket.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct evgw_trust evgw_daemon_trust(void)
{
	struct evgw_trust t = {.sticky_ok = true};
	evgw_trust_add(&t, 0);
	const struct passwd *pw = getpwnam("evgw");
	if (pw)
		evgw_trust_add(&t, pw->pw_uid);
	evgw_trust_add(&t, geteuid());
	return t;
}

int evgw_daemon_socket_place(const char *path, const struct evgw_trust *t, char *why, size_t len)
{
	char dir[4096], what[160];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0'; /* "/x.sock": the root directory */
	else
		*slash = '\0';
	struct stat st, sock;
	if (stat(dir, &st) < 0)
		return 0;
	int r = evgw_trusted_dir(&st, t, what, sizeof what);
	if (r == -EPERM) {
		snprintf(why, len, "its directory %s %s, not to root, evgw or you", dir, what);
		return r;
	}
	if (r == -EACCES) {
		snprintf(why, len, "its directory %s %s", dir, what);
		return r;
	}
	if (r == 0 && evgw_shared_sticky_dir(&st) && lstat(path, &sock) == 0 && !evgw_trust_uid(t, sock.st_uid)) {
		evgw_user_text(sock.st_uid, what, sizeof what);
		snprintf(why, len, "it belongs to %s in the shared directory %s", what, dir);
		return -EPERM;
	}
	return 0;
}

int evgw_daemon_socket_peer(int fd, const struct evgw_trust *t, char *why, size_t len)
{
	struct ucred cred;
	socklen_t cl = sizeof cred;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0) {
		int e = errno;
		snprintf(why, len, "cannot tell who listens there: %s", strerror(e));
		return -e;
	}
	if (evgw_trust_uid(t, cred.uid))
		return 0;
	char who[96];
	evgw_user_text(cred.uid, who, sizeof who);
	snprintf(why, len, "the process listening there (pid %d) runs as %s, not as root, evgw or you", (int)cred.pid,
		 who);
	return -EPERM;
}
