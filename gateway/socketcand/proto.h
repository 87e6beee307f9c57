// SPDX-License-Identifier: MIT
/* The socketcand protocol's text (linux-can/socketcand, doc/protocol.md):
 * ASCII messages in angle brackets, "< word args... >", over TCP.
 *
 * Client to server (what this parses; every other word is answered
 * "< error ... >"):
 *   < open BUS >                 choose the bus (socketcand allows 16 chars)
 *   < rawmode >  < bcmmode >     raw mode streams every frame
 *   < echo >                     answered with itself
 *   < send ID LEN B0 B1 ... >    one classic frame: ID hex, extended when it
 *                                has 8 digits, is above 0x7FF or has bit 31
 *                                set (SavvyCAN's mark); LEN 0..8; bytes hex
 *   < fdsend ID FLAGS LEN B... > one CAN FD frame: FLAGS hex (0x01 BRS,
 *                                0x02 ESI), LEN a CAN FD length
 * Server to client (what this formats):
 *   < hi >  < ok >  < echo >  < error TEXT >
 *   < frame ID SECS.USECS DATA >       ID 3 or 8 hex digits, DATA hex pairs
 *   < fdframe ID FLAGS SECS.USECS DATA >
 *   < rtr ID SECS.USECS DLC >
 *   < error CLASS SECS.USECS >         an error frame (its class, linux/can/error.h)
 *
 * The parser is a bounded cursor over untrusted bytes: no allocation, no
 * read past len. */
#ifndef EVGW_SOCKETCAND_PROTO_H
#define EVGW_SOCKETCAND_PROTO_H

#include <stddef.h>

#include "can/frame.h"

#define EVGW_SC_MAX_MESSAGE 512 /* the longest client message taken */
#define EVGW_SC_MAX_BUS 63
#define EVGW_SC_FRAME_MAX 192   /* the longest frame message formatted */

enum evgw_sc_kind {
	EVGW_SC_OPEN = 1,
	EVGW_SC_RAWMODE,
	EVGW_SC_BCMMODE,
	EVGW_SC_ECHO,
	EVGW_SC_SEND,     /* send and fdsend: frame */
	EVGW_SC_UNKNOWN,  /* a word this server does not serve: word */
};

struct evgw_sc_command {
	enum evgw_sc_kind kind;
	char bus[EVGW_SC_MAX_BUS + 1];   /* OPEN */
	struct evgw_frame frame;         /* SEND */
	char word[24];                   /* UNKNOWN: the command word, cut */
};

/* The next message in buf[0..len). Returns 1 with *cmd, 0 when no whole
 * message is there yet, -EINVAL for a malformed one (err says what), or
 * -E2BIG when EVGW_SC_MAX_MESSAGE bytes hold no '>'. *used: bytes taken
 * (the message and what came before it; also after -EINVAL). */
int evgw_sc_parse(const char *buf, size_t len, size_t *used, struct evgw_sc_command *cmd, char *err,
		  size_t errlen);

/* A frame as socketcand's raw mode sends it, with a trailing newline
 * (clients find messages by their brackets; the newline keeps a message
 * whole for python-can 4.1, which drops the byte after the last one it
 * read). Returns the length, or -EINVAL for a frame it cannot carry. buf:
 * EVGW_SC_FRAME_MAX bytes. */
int evgw_sc_format_frame(const struct evgw_frame *f, char *buf);

#endif
