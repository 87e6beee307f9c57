// SPDX-License-Identifier: MIT
/* The MQTT bridge: an observer of the daemon's events (daemon/events.h),
 * wired in evgwd.c beside the socket API, that publishes the unit's
 * availability, fault changes, bus state and health, chosen signals, VINs
 * and Home Assistant discovery configs to a broker (docs/mqtt.md).
 *
 * Fault changes are published from the fault store (the seq of each
 * fault_history row), in order, QoS 1, retained per fault; the seq up to
 * which the broker acknowledged everything is kept in
 * <state_dir>/mqtt.mark. So a change made while the broker was away goes
 * out when it is back, and a restart of evgwd goes on after the mark
 * instead of telling history again. The network lives in a thread of its
 * own (mqtt/link.h); this side runs in the daemon's loop and never waits. */
#ifndef EVGW_MQTT_BRIDGE_H
#define EVGW_MQTT_BRIDGE_H

#include <stddef.h>

#include "daemon/events.h"

struct evgw_daemon;
struct evgw_mqtt_bridge;

/* Start the bridge with the daemon's [mqtt] configuration (moved out of
 * d->cfg: a reload does not change it). Connecting happens in the
 * background; only a configuration the library refuses (an unreadable
 * certificate) fails here, with err. */
int evgw_mqtt_open(struct evgw_daemon *d, struct evgw_mqtt_bridge **out, char *err, size_t errlen);
struct evgw_daemon_observer evgw_mqtt_observer(struct evgw_mqtt_bridge *b);
/* Publish "offline", disconnect, keep the mark. NULL is fine. */
void evgw_mqtt_close(struct evgw_mqtt_bridge *b);

#endif
