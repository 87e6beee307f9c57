// SPDX-License-Identifier: MIT
/* The `slcan` driver's own counters, beyond struct evgw_bus_status: for
 * tests and for whoever wants to show them. */
#ifndef EVGW_DRIVERS_SLCAN_H
#define EVGW_DRIVERS_SLCAN_H

#include <stdbool.h>
#include <stdint.h>

struct evgw_slcan_stats {
	uint64_t rx_frames;       /* frames delivered (error frames included) */
	uint64_t bad_lines;       /* lines that parse as nothing slcan knows */
	uint64_t long_lines;      /* lines dropped for not fitting the line buffer */
	uint64_t acks, nacks;     /* \r and \a replies */
	uint64_t tx_acks;         /* z / Z replies */
	uint64_t tx_nacks;        /* frames the adapter refused */
	uint64_t refused;         /* set-up commands the adapter refused (S, Y, L, O, M) */
	uint64_t status_replies;  /* F replies */
	uint64_t overruns;        /* overruns the adapter reported (F, e...o) */
	bool timestamps;          /* Z1 was sent and not refused */
	bool status_polling;      /* F is polled (not refused) */
};

/* state: what the slcan driver's open() returned. */
void evgw_slcan_get_stats(void *state, struct evgw_slcan_stats *out);

#endif
