// SPDX-License-Identifier: MIT
/* The file holds one line, "evgw-mqtt-mark SEQ\n"; it is replaced whole
 * (write, fsync, rename), so a power cut leaves the old mark or the new. */
#include "mqtt/mark.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "evgw-mqtt-mark "

int evgw_mqtt_mark_read(const char *path, int64_t *seq, char *err, size_t errlen)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	buf[n] = '\0';
	char *end;
	if (strncmp(buf, MAGIC, strlen(MAGIC)) != 0)
		goto bad;
	errno = 0;
	long long v = strtoll(buf + strlen(MAGIC), &end, 10);
	if (errno || v < 0 || end == buf + strlen(MAGIC) || strcmp(end, "\n") != 0)
		goto bad;
	*seq = v;
	return 0;
bad:
	snprintf(err, errlen, "%s:1: not \"" MAGIC "NUMBER\"", path);
	return -EINVAL;
}

int evgw_mqtt_mark_write(const char *path, int64_t seq)
{
	char tmp[4200], line[64];
	if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp)
		return -ENAMETOOLONG;
	int len = snprintf(line, sizeof line, MAGIC "%" PRId64 "\n", seq);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return -errno;
	int r = 0;
	if (write(fd, line, (size_t)len) != len || fsync(fd) < 0)
		r = errno ? -errno : -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}
