// SPDX-License-Identifier: MIT
/* Whether a socket is the real evgwd's, for its clients (evgw, evgw-web).
 * A socket in a directory another user owns or can write, or one whose
 * listener is not root, the evgw user or the caller, could be a local user
 * posing as the daemon: both clients refuse it, with the same reasons. */
#ifndef EVGW_UTIL_DAEMON_SOCKET_H
#define EVGW_UTIL_DAEMON_SOCKET_H

#include <stddef.h>

#include "util/trusted_dir.h"

/* Root, the evgw user (the packaged service) and the caller. */
struct evgw_trust evgw_daemon_trust(void);

/* Whether the place of the socket at path is the daemon's: its directory
 * belongs to a trusted user and nobody else may write in it; in a shared
 * sticky directory (/tmp) the socket itself must be a trusted user's.
 * Returns 0 (also when the directory is not there: connecting says what is
 * wrong), or -EPERM / -EACCES with why, a phrase: "its directory /x belongs
 * to user eve (uid 1001), not to root, evgw or you". */
int evgw_daemon_socket_place(const char *path, const struct evgw_trust *t, char *why, size_t len);

/* Whether the process listening on the connected fd is trusted
 * (SO_PEERCRED: who made the listening socket). Returns 0, -EPERM with why
 * ("the process listening there (pid 7) runs as user eve (uid 1001), not as
 * root, evgw or you"), or the negative errno of getsockopt with why
 * ("cannot tell who listens there: ..."). */
int evgw_daemon_socket_peer(int fd, const struct evgw_trust *t, char *why, size_t len);

#endif
