// SPDX-License-Identifier: MIT
/* The daemon's own directories (state, recordings, the socket's): made
 * when missing, and refused when another user owns them or others can
 * write in them (util/trusted_dir.h), and never reached through a symlink
 * that neither root nor the daemon's user made. */
#ifndef EVGW_DAEMON_OWN_DIR_H
#define EVGW_DAEMON_OWN_DIR_H

#include <stdbool.h>
#include <stddef.h>

/* Open path as a directory (O_DIRECTORY fd), making it and its missing
 * parents with mode first. Trusted owners: root and this process's user;
 * sticky_ok also accepts a root-owned sticky directory (/tmp, for a
 * socket). The last component may be a symlink only when root or this
 * user owns the link. what names the directory in err ("state directory").
 * Returns the fd, or a negative errno with a sentence in err. */
int evgw_own_dir_open(const char *path, unsigned mode, bool sticky_ok, const char *what, char *err,
		      size_t errlen);

/* name inside dirfd, made with mode when missing, opened without following
 * a symlink, checked the same way. shown: its full path, for err. */
int evgw_own_subdir_open(int dirfd, const char *name, unsigned mode, const char *shown, char *err,
			 size_t errlen);

#endif
