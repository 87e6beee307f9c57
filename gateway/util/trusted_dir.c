// SPDX-License-Identifier: MIT
#include "util/trusted_dir.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>

void evgw_trust_add(struct evgw_trust *t, uid_t uid)
{
	if (!evgw_trust_uid(t, uid) && t->n < sizeof t->uid / sizeof t->uid[0])
		t->uid[t->n++] = uid;
}

bool evgw_trust_uid(const struct evgw_trust *t, uid_t uid)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->uid[i] == uid)
			return true;
	return false;
}

void evgw_user_text(uid_t uid, char *out, size_t len)
{
	const struct passwd *pw = getpwuid(uid);
	if (pw)
		snprintf(out, len, "user %s (uid %u)", pw->pw_name, (unsigned)uid);
	else
		snprintf(out, len, "uid %u", (unsigned)uid);
}

bool evgw_shared_sticky_dir(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == 0 && (st->st_mode & S_ISVTX);
}

int evgw_trusted_dir(const struct stat *st, const struct evgw_trust *t, char *why, size_t len)
{
	char who[96];
	if (!S_ISDIR(st->st_mode)) {
		snprintf(why, len, "is not a directory");
		return -ENOTDIR;
	}
	if (t->sticky_ok && evgw_shared_sticky_dir(st))
		return 0;
	if (!evgw_trust_uid(t, st->st_uid)) {
		evgw_user_text(st->st_uid, who, sizeof who);
		snprintf(why, len, "belongs to %s", who);
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len, "is writable by %s (mode %04o)",
			 (st->st_mode & S_IWOTH) ? "others" : "its group", (unsigned)(st->st_mode & 07777));
		return -EACCES;
	}
	return 0;
}
