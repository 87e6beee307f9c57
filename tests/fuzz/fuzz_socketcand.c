// SPDX-License-Identifier: MIT
/* libFuzzer target for the socketcand parser (socketcand/proto.h): the
 * server's loop over a client's bytes, fed in pieces as TCP delivers them.
 * Every call takes at least one byte or asks for more, never more than it
 * was given; a parsed frame is one the protocol allows; frames formatted
 * back fit their bound. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socketcand/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP (2 * EVGW_SC_MAX_MESSAGE)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[CAP];
	size_t have = 0, fed = 0;
	size_t step = size ? (size_t)(data[0] % 64) + 1 : 1;
	while (fed < size || have) {
		size_t n = size - fed < step ? size - fed : step;
		if (n > CAP - have)
			n = CAP - have;
		memcpy(in + have, data + fed, n);
		have += n;
		fed += n;
		size_t pos = 0;
		for (;;) {
			struct evgw_sc_command cmd;
			size_t used;
			char err[128];
			int r = evgw_sc_parse(in + pos, have - pos, &used, &cmd, err, sizeof err);
			if (used > have - pos)
				abort();
			pos += used;
			if (r == 1 && cmd.kind == EVGW_SC_SEND) {
				const struct evgw_frame *f = &cmd.frame;
				if (f->id > EVGW_CAN_EFF_MASK || (!(f->flags & EVGW_FRAME_EXT) && f->id > EVGW_CAN_SFF_MASK))
					abort();
				if ((f->flags & EVGW_FRAME_FD) ? !evgw_canfd_len_valid(f->len) : f->len > EVGW_CAN_MAX_DLEN)
					abort();
				char text[EVGW_SC_FRAME_MAX];
				int k = evgw_sc_format_frame(f, text);
				if (k <= 0 || k >= EVGW_SC_FRAME_MAX || text[k - 1] != '\n')
					abort();
			}
			if (r < 0 && r != -EINVAL && r != -E2BIG)
				abort();
			if (r < 0 && !err[0])
				abort();
			if (r == 0 && !used)
				break;
			if (pos == have)
				break;
		}
		memmove(in, in + pos, have - pos);
		have -= pos;
		if (fed == size && have && n == 0)
			break; /* a partial message at the end waits for more */
	}
	return 0;
}
