// SPDX-License-Identifier: MIT
#include "util/regular_file.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int evgw_open_regular(const char *path, struct stat *st)
{
	struct stat local;
	if (!st)
		st = &local;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		/* A Unix socket cannot be opened at all: still name what it is. */
		if (e == ENXIO && stat(path, st) == 0 && S_ISSOCK(st->st_mode))
			return -EINVAL;
		return -e;
	}
	int rc = 0;
	if (fstat(fd, st) < 0)
		rc = -errno;
	else if (S_ISDIR(st->st_mode))
		rc = -EISDIR;
	else if (!S_ISREG(st->st_mode))
		rc = -EINVAL;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

const char *evgw_file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a special file";
}
