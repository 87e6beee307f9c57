// SPDX-License-Identifier: MIT
/* A UDS client on its own ISO-TP link: the glue most callers want.
 *
 * The link's callbacks are wired to the client: received messages become
 * uds_on_payload, the end of a send uds_on_tx_done, a first frame
 * uds_on_rx_start (P2 is met once a response starts, ISO 14229-2), a
 * failed reception uds_on_rx_error. Feed every received frame to
 * uds_isotp_on_frame and call uds_isotp_poll at the deadline it returns. */
#ifndef EVGW_DIAG_UDS_ISOTP_H
#define EVGW_DIAG_UDS_ISOTP_H

#include "diag/isotp.h"
#include "diag/uds.h"

struct uds_isotp {
	struct isotp_link link;
	struct uds_client client;
};

/* cfg's on_rx, on_tx_done, on_rx_ff and cb_ud are replaced; t NULL means
 * uds_timing_default. Returns isotp_init's result. */
int uds_isotp_init(struct uds_isotp *u, const struct isotp_cfg *cfg, isotp_send_fn send,
		   void *send_ud, const struct uds_timing *t, uds_result_fn on_result, void *ud);
bool uds_isotp_on_frame(struct uds_isotp *u, const struct evgw_frame *f, int64_t now_us);
/* Runs both state machines; returns the earlier of their deadlines. */
int64_t uds_isotp_poll(struct uds_isotp *u, int64_t now_us);

#endif
