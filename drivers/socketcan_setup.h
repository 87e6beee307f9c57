// SPDX-License-Identifier: MIT
/* Bringing a CAN interface up with the configured bit rate and mode,
 * through libsocketcan (rtnetlink). */
#ifndef EVGW_DRIVERS_SOCKETCAN_SETUP_H
#define EVGW_DRIVERS_SOCKETCAN_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evgw_sc_setup {
	uint32_t bitrate;      /* 0 = leave the interface as it is */
	uint32_t data_bitrate; /* CAN FD data phase, 0 = classic CAN */
	bool listen_only;      /* controller mode: never ACK, never send */
	int32_t restart_ms;    /* -1 = default (100 ms) */
};

/* The link's kind (IFLA_INFO_KIND): "can" for CAN controllers, "vcan",
 * "vxcan". Returns 0, -ENODEV or -errno. */
int evgw_sc_link_kind(const char *ifname, char *kind, size_t len);

/* Whether this process may configure interfaces (CAP_NET_ADMIN). */
bool evgw_sc_can_admin(void);

/* Configure ifname as s asks and bring it up, touching it only when its
 * settings differ (a running interface shared with candump keeps
 * running). Without CAP_NET_ADMIN nothing is changed and *note says so.
 * Virtual interfaces (vcan) have no bit timing: they are only brought up.
 * Returns 0 (note may be set) or negative errno with note saying what
 * failed. */
int evgw_sc_setup(const char *ifname, const struct evgw_sc_setup *s, char *note, size_t notelen);

/* Controller state (netlink enum can_state) and error counters; -errno
 * when the interface has none (vcan). */
int evgw_sc_query(const char *ifname, int *can_state, uint32_t *rx_errors, uint32_t *tx_errors);

/* The interface's bus-off restart delay (0 = stays off). */
int evgw_sc_restart_ms(const char *ifname, uint32_t *ms);

/* Restart a controller that is bus-off (restart_ms 0 policy, on request). */
int evgw_sc_restart(const char *ifname);

#endif
