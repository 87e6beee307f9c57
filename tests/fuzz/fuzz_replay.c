// SPDX-License-Identifier: MIT
/* libFuzzer target: the replay driver reading a candump log through its
 * 64 KiB buffer (drivers/replay.c). The input, repeated up to 64 times so
 * that lines straddle the buffer's refills, is written to a file and
 * replayed as fast as possible; the frames delivered must be exactly those
 * an independent split of the same bytes gives (lines at '\n', a line of
 * 64 KiB or more malformed, each line through evgw_candump_parse_line).
 * With the third input byte odd, the file is truncated in the middle of the
 * replay instead: then nothing may crash, and no more frames come than the
 * file had.
 *
 * Input: [repeats][truncate after N reads][truncate to /255 of the size]
 * then the log text. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "can/candump.h"
#include "drivers/driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LINE_MAX_BYTES 65536u /* the driver's buffer: a longer line is malformed */
#define MAX_FRAMES (64u * 4096u)

static struct evgw_frame want[MAX_FRAMES];

/* The independent reading: frames and malformed lines. */
static size_t expected(const char *text, size_t len, size_t *bad)
{
	size_t n = 0;
	*bad = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - (text + at)) : len - at;
		struct evgw_candump_line cl;
		size_t col;
		const char *msg;
		int rc = l >= LINE_MAX_BYTES ? -EINVAL : evgw_candump_parse_line(text + at, l, &cl, &col, &msg);
		if (rc < 0)
			(*bad)++;
		else if (rc == EVGW_CANDUMP_FRAME && n < MAX_FRAMES)
			want[n++] = cl.frame;
		at += l + (nl ? 1 : 0);
	}
	return n;
}

static bool same(const struct evgw_frame *a, const struct evgw_frame *b)
{
	return a->id == b->id && a->len == b->len && a->flags == b->flags &&
	       memcmp(a->data, b->data, a->len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	unsigned reps = 1 + data[0] % 64, cut_after = data[1], cut_frac = data[2];
	bool cut = cut_frac & 1;
	data += 3;
	size -= 3;
	size_t len = size * reps;
	char *text = malloc(len ? len : 1);
	if (!text)
		return 0;
	for (unsigned r = 0; r < reps; r++)
		memcpy(text + (size_t)r * size, data, size);

	char path[] = "/tmp/evgw-fuzz-replay-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	size_t bad;
	size_t n_want = expected(text, len, &bad);

	const struct evgw_driver_ops *ops = evgw_driver_find("replay");
	struct evgw_bus_params p = {.name = "f", .driver = "replay", .device = path, .listen_only = true};
	struct evgw_driver_err err;
	void *st = NULL;
	int rc = ops->open(&p, &st, &err);
	if (rc < 0) {
		/* Only a log of malformed lines alone is refused. */
		if (rc != -EINVAL || n_want || !bad)
			abort();
	} else {
		static struct evgw_frame got[64];
		size_t n = 0;
		for (unsigned reads = 0; reads < 1u << 20; reads++) {
			if (cut && reads == cut_after && ftruncate(fd, (off_t)(len * cut_frac / 255)) < 0)
				abort();
			int k = ops->recv(st, got, 64);
			if (k == -ENODATA)
				break;
			if (k < 0 || k > 64)
				abort();
			for (int i = 0; i < k; i++, n++)
				if (!cut && n < MAX_FRAMES && (n >= n_want || !same(&got[i], &want[n])))
					abort();
		}
		/* A truncated last line may parse where the whole one did not. */
		if (n_want < MAX_FRAMES && (n > n_want + (cut ? 1 : 0) || (!cut && n != n_want)))
			abort();
		struct evgw_bus_status s;
		if (ops->get_status(st, &s) < 0 || s.error[sizeof s.error - 1] != '\0')
			abort();
		ops->close(st);
	}
	close(fd);
	unlink(path);
	free(text);
	return 0;
}
