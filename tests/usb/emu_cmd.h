// SPDX-License-Identifier: MIT
/* The USB device emulators' command plumbing: they read one command a line
 * on stdin and answer on stdout (tests/vm/test_usb.py drives them). */
#ifndef EVGW_TESTS_EMU_CMD_H
#define EVGW_TESTS_EMU_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffs_gadget.h"

/* "-" is no bytes; otherwise an even number of hex digits, at most max
 * bytes. The byte count, or -1. */
int emu_hexbytes(const char *s, uint8_t *out, size_t max);

/* The emulator's line printer (stdout, flushed, serialised with its threads). */
typedef void (*emu_say_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bind the gadget (a failure is printed, prefixed with prog: exit 1), say
 * "ready", then serve stdin a line at a time: "unplug"/"plug" unbind/bind
 * the UDC ("ok" or "err ..."), "sync" answers "sync", "quit" or the end of
 * input ends; any other line goes to command(), which returns false for
 * one it does not know ("bad command"). Ends unbound, exit status 0;
 * threads still in blocking I/O are not joined: the mount is detached
 * lazily and the process exits. */
_Noreturn void emu_serve(struct ffs_gadget *g, const char *prog, emu_say_fn say,
			 bool (*command)(char *line));

#endif
