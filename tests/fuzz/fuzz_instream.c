// SPDX-License-Identifier: MIT
/* libFuzzer target: any bytes as a log file, plain or (by magic) gzip, xz
 * or zstd, through the stream and the line reader into the candump parser.
 * Whatever the input, reading ends (with an error or not), no line exceeds
 * its limit or holds a newline, and memory stays bounded. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "can/candump.h"
#include "util/instream.h"
#include "util/linereader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINE 256
#define MAX_OUTPUT (16u << 20) /* a decompression bomb stops here */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-instream", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	lseek(fd, 0, SEEK_SET);
	struct evgw_instream *s = NULL;
	if (evgw_instream_open(fd, &s) < 0) {
		close(fd);
		return 0;
	}
	struct evgw_linereader lr;
	if (evgw_linereader_init(&lr, s, MAX_LINE) == 0) {
		size_t total = 0;
		uint64_t last = 0;
		const char *line;
		size_t len;
		int rc;
		while (total < MAX_OUTPUT && (rc = evgw_linereader_next(&lr, &line, &len)) != 0) {
			if (rc != 1 && rc != -E2BIG)
				break; /* the stream's error: reading ends */
			if (lr.line != last + 1) /* every line counted once */
				abort();
			last = lr.line;
			if (rc < 0)
				continue;
			if (len > MAX_LINE || memchr(line, '\n', len))
				abort();
			total += len + 1;
			struct evgw_candump_line cl;
			evgw_candump_parse_line(line, len, &cl, NULL, NULL);
		}
		evgw_linereader_free(&lr);
	}
	evgw_instream_close(s);
	close(fd);
	return 0;
}
