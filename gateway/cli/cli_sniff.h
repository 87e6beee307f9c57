// SPDX-License-Identifier: MIT
/* evgw sniff's picture of a bus, apart from the socket and the terminal so
 * that it can be tested alone: one row per CAN id with its rate, its bytes,
 * which bits changed lately (or since the mark), its DBC message and the
 * latest decoded values. Unknown ids (no DBC message) sort first. */
#ifndef EVGW_CLI_CLI_SNIFF_H
#define EVGW_CLI_CLI_SNIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli_term.h"

#define SNIFF_MAX_IDS 4096
#define SNIFF_MAX_VALUES 8
#define SNIFF_HOLD_S 2.0 /* a changed bit stays highlighted this long */

struct sniff_value {
	char signal[48];
	char text[40]; /* value and unit */
};

struct sniff_row {
	uint32_t id;
	bool ext;
	uint8_t len;
	uint8_t data[64];
	uint8_t mark[64];           /* the bytes when marked */
	uint8_t changed[64];        /* bits changed since the last tick */
	uint8_t window[64];         /* the bits that changed in the last window (shown on a pipe) */
	double changed_at[64];      /* when each byte last changed */
	unsigned frames;            /* since the last tick */
	double rate;                /* frames per second over the last tick */
	int known;                  /* 1: a DBC message, 0: none, -1: not listed by the daemon yet */
	unsigned asked;             /* times the daemon was asked while it was -1 */
	char message[48];
	struct sniff_value values[SNIFF_MAX_VALUES];
	unsigned n_values;
};

struct sniff {
	struct sniff_row *rows;
	size_t n, cap;
	double tick_at;             /* when the window for rates began */
	bool frozen;                /* space: the screen keeps its picture */
	bool unknown_only;          /* u */
	bool changed_only;          /* c: rows with a change in SNIFF_HOLD_S */
	bool marked;                /* m: highlight what differs from the mark */
	bool quit;                  /* q */
	bool new_ids;               /* ids seen that the DBC was not asked about */
	bool typing;                /* '/': a filter being typed */
	char filter[9];             /* rows whose id (hex) starts with it; "" = all */
	char typed[9];
};

void sniff_init(struct sniff *s, double now);
void sniff_free(struct sniff *s);
/* A frame: its row is made or updated. Returns the row, NULL when full. */
struct sniff_row *sniff_frame(struct sniff *s, uint32_t id, bool ext, const uint8_t *data, uint8_t len, double now);
/* What the DBC says about an id: message is NULL for none. */
void sniff_message(struct sniff *s, uint32_t id, bool ext, const char *message);
/* A decoded value of the message named message. */
void sniff_value(struct sniff *s, const char *message, const char *signal, const char *value, const char *unit);
/* One key pressed: q quit, space freeze, u unknown only, c changed only, m
 * mark (again: unmark), / then hex digits and Enter: only ids starting with
 * them (Enter alone: all again; Escape: forget the typing). Returns false
 * for a key without meaning. */
bool sniff_key(struct sniff *s, int key);
/* The window ends: rates from its frame counts, its changed bits kept for
 * showing, a new window begun. */
void sniff_tick(struct sniff *s, double now);
/* The rows in display order (unknown ids first, then by id), filtered:
 * out[0..return). */
size_t sniff_order(const struct sniff *s, double now, const struct sniff_row **out, size_t cap);
/* One row as text: id, rate, length, bytes (changed ones styled on a
 * terminal, and a changed-bits mask on a pipe), message, values. */
void sniff_render_row(const struct sniff *s, const struct sniff_row *r, const struct cli_term *t, bool tty,
		      double now, FILE *f);

#endif
