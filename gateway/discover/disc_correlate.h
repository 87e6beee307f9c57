// SPDX-License-Identifier: MIT
/* Which draft field follows a known signal (--correlate): for each value
 * field, the least-squares line known = scale * raw + offset over the
 * sampled frames (the known signal's latest value held at each frame's
 * time) and Pearson's r. A shop names the field with the best |r| and
 * takes its scale and offset. */
#ifndef EVGW_DISCOVER_DISC_CORRELATE_H
#define EVGW_DISCOVER_DISC_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "discover/disc_message.h"

#define DISC_CORR_MIN_SAMPLES 8

struct disc_corr {
	uint32_t msg;     /* index into the messages */
	uint32_t field;   /* index into its layout's fields */
	double r;         /* Pearson's r */
	double scale, offset;
	uint32_t n;       /* samples it rests on */
};

/* The least-squares fit of y on x over n points; returns r (0 when either
 * does not vary). */
double disc_fit_line(const double *x, const double *y, size_t n, double *scale, double *offset);

/* Every value field with enough samples, best |r| first, into out (at most
 * cap). Returns how many. */
size_t disc_correlate(const struct disc_message *msgs, size_t n_msgs, struct disc_corr *out, size_t cap);

#endif
