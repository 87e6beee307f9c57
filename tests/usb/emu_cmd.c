// SPDX-License-Identifier: MIT
#include "emu_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int emu_hexbytes(const char *s, uint8_t *out, size_t max)
{
	if (!strcmp(s, "-"))
		return 0;
	size_t n = strlen(s);
	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

void emu_serve(struct ffs_gadget *g, const char *prog, emu_say_fn say, bool (*command)(char *line))
{
	int r = ffs_gadget_bind(g);
	if (r < 0) {
		fprintf(stderr, "%s: bind: %s\n", prog, strerror(-r));
		ffs_gadget_destroy(g);
		exit(1);
	}
	say("ready");
	char line[1024], word[16];
	while (fgets(line, sizeof line, stdin)) {
		if (sscanf(line, "%15s", word) != 1)
			continue;
		if (!strcmp(word, "quit"))
			break;
		if (!strcmp(word, "unplug") || !strcmp(word, "plug")) {
			r = word[0] == 'u' ? ffs_gadget_unbind(g) : ffs_gadget_bind(g);
			if (r)
				say("err %s %d", word, r);
			else
				say("ok");
		} else if (!strcmp(word, "sync")) {
			say("sync");
		} else if (!command(line)) {
			say("bad command");
		}
	}
	/* The configfs entries stay for the next run to reuse. */
	ffs_gadget_unbind(g);
	umount2(g->mnt, MNT_DETACH);
	_exit(0);
}
