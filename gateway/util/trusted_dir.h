// SPDX-License-Identifier: MIT
/* Whom evgw trusts with its socket and files. A directory that holds them
 * must belong to a trusted user (root, the daemon's user, the caller) and
 * be writable by nobody else: otherwise another local user could put a
 * socket of their own there (posing as the daemon), or a symlink, or take
 * the files. The one exception, for sockets only, is a sticky directory
 * owned by root (/tmp): there nobody can remove or rename what is not
 * theirs, so a trusted user's socket in it stays theirs. */
#ifndef EVGW_UTIL_TRUSTED_DIR_H
#define EVGW_UTIL_TRUSTED_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct evgw_trust {
	uid_t uid[4];
	unsigned n;
	bool sticky_ok; /* accept a root-owned sticky directory (sockets) */
};

/* Add a trusted user (duplicates are fine; at most 4). */
void evgw_trust_add(struct evgw_trust *t, uid_t uid);
bool evgw_trust_uid(const struct evgw_trust *t, uid_t uid);

/* Judge a directory's stat: 0, or -ENOTDIR, -EPERM (another user owns
 * it) or -EACCES (others may write in it), with why as a phrase about the
 * directory: "belongs to user evtest (uid 1001)", "is writable by others
 * (mode 0777)". A root-owned sticky directory passes when t->sticky_ok; the
 * caller then checks the entry it uses (evgw_trust_uid on its owner). */
int evgw_trusted_dir(const struct stat *st, const struct evgw_trust *t, char *why, size_t len);
/* Whether st is a sticky directory owned by root (/tmp). */
bool evgw_shared_sticky_dir(const struct stat *st);

/* "user evtest (uid 1001)", or "uid 1001" when it has no name. */
void evgw_user_text(uid_t uid, char *out, size_t len);

#endif
