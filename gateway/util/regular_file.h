// SPDX-License-Identifier: MIT
/* Input files (the configuration, profiles, DTC tables, DBC files, candump
 * logs) must be regular files. A FIFO blocks open() and read() until some
 * other process writes, which would hang the daemon's one thread; a device
 * such as /dev/zero never ends; a directory is a mistake. */
#ifndef EVGW_UTIL_REGULAR_FILE_H
#define EVGW_UTIL_REGULAR_FILE_H

#include <sys/stat.h>

/* Open path read-only without ever blocking (O_NONBLOCK, which a regular
 * file ignores) and check its type on the open fd. Returns the fd
 * (O_CLOEXEC), or a negative errno: that of open/fstat, -EISDIR for a
 * directory, -EINVAL for any other kind of file (evgw_file_kind(st) names
 * it). st (may be NULL) gets the fstat result whenever fstat ran. */
int evgw_open_regular(const char *path, struct stat *st);

/* "a directory", "a FIFO", "a character device", "a block device",
 * "a socket", "a regular file", "a special file". */
const char *evgw_file_kind(mode_t mode);

#endif
