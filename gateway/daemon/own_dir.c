// SPDX-License-Identifier: MIT
#include "daemon/own_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/mkdir_p.h"
#include "util/trusted_dir.h"

static struct evgw_trust own_trust(bool sticky_ok)
{
	struct evgw_trust t = {.sticky_ok = sticky_ok};
	evgw_trust_add(&t, 0);
	evgw_trust_add(&t, geteuid());
	return t;
}

/* fd's directory passes, or fd is closed and an error returned. */
static int judge(int fd, bool sticky_ok, const char *what, const char *path, char *err, size_t errlen)
{
	struct evgw_trust t = own_trust(sticky_ok);
	struct stat st;
	char why[160];
	int r = fstat(fd, &st) < 0 ? -errno : evgw_trusted_dir(&st, &t, why, sizeof why);
	if (r == 0)
		return fd;
	close(fd);
	if (r == -EPERM || r == -EACCES || r == -ENOTDIR)
		snprintf(err, errlen, "%s %s %s: refusing to use it (another user could put files or a socket "
				      "there)", what, path, why);
	else
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(-r));
	return r;
}

int evgw_own_dir_open(const char *path, unsigned mode, bool sticky_ok, const char *what, char *err,
		      size_t errlen)
{
	struct stat lst;
	if (lstat(path, &lst) < 0) {
		int r = errno == ENOENT ? evgw_mkdir_p(path, mode) : -errno;
		if (r == 0 && lstat(path, &lst) < 0)
			r = -errno;
		if (r < 0) {
			snprintf(err, errlen, "cannot create the %s %s: %s", what, path, strerror(-r));
			return r;
		}
	}
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	if (S_ISLNK(lst.st_mode)) {
		struct evgw_trust t = own_trust(false);
		if (!evgw_trust_uid(&t, lst.st_uid)) {
			char who[96];
			evgw_user_text(lst.st_uid, who, sizeof who);
			snprintf(err, errlen, "%s %s is a symbolic link made by %s: refusing to follow it", what, path,
				 who);
			return -EPERM;
		}
	} else {
		flags |= O_NOFOLLOW; /* what lstat saw stays what is opened */
	}
	int fd = open(path, flags);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot open the %s %s: %s", what, path, strerror(e));
		return -e;
	}
	return judge(fd, sticky_ok, what, path, err, errlen);
}

int evgw_own_subdir_open(int dirfd, const char *name, unsigned mode, const char *shown, char *err,
			 size_t errlen)
{
	if (mkdirat(dirfd, name, (mode_t)mode) < 0 && errno != EEXIST) {
		int e = errno;
		snprintf(err, errlen, "cannot create %s: %s", shown, strerror(e));
		return -e;
	}
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot open %s: %s%s", shown, strerror(e),
			 e == ELOOP || e == ENOTDIR ? " (a symbolic link or not a directory: refusing it)" : "");
		return -e;
	}
	return judge(fd, false, "directory", shown, err, errlen);
}
