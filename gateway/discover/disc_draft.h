// SPDX-License-Identifier: MIT
/* The draft DBC file discovery writes: one message per id it read, named
 * DISC_<hex id>, with its measured period (GenMsgCycleTime) and length;
 * CHECKSUM and COUNTER signals with the attributes evgw checks
 * (EvgwChecksum, EvgwCounter: dbc/README.md); one signal per value field,
 * F<start>_<length>, raw (factor 1, offset 0) with the range seen; the
 * constant bits in the message's comment. Everything is marked assumed:
 * EvgwConfidence on the message, EvgwSignalConfidence on each signal. */
#ifndef EVGW_DISCOVER_DISC_DRAFT_H
#define EVGW_DISCOVER_DISC_DRAFT_H

#include <stddef.h>
#include <stdio.h>

#include "discover/disc_message.h"

/* The draft's name for a value field: "F<start>_<length>". */
void disc_field_name(const struct disc_field *f, char *buf, size_t cap);
/* "DISC_123", "DISC_18FEF100". */
void disc_message_name(const struct disc_message *m, char *buf, size_t cap);

/* Write the draft; `source`: the log's name for the comments. Returns 0 or
 * a negative errno from writing. */
int disc_draft_write(FILE *out, const struct disc_message *msgs, size_t n, const char *source);

#endif
