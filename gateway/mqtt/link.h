// SPDX-License-Identifier: MIT
/* The MQTT bridge's connection to its broker: libmosquitto, run in a thread
 * of its own, so that nothing the network does (a name lookup that waits
 * for a dead DNS server, a TCP connect to a host that does not answer, a
 * TLS handshake) ever holds the daemon's loop. The loop hands messages over
 * with evgw_mqtt_link_publish, which only queues them (libmosquitto's
 * threaded mode); what happens on the connection comes back as events the
 * loop reads when the link's eventfd is readable. The link reconnects by
 * itself (0.5 s, doubling to 5 s); a connection not accepted within 10 s
 * (TCP, TLS and CONNACK) is given up and tried again. What it queues is bounded by the caller
 * (bridge.c counts what it handed over and what came back). */
#ifndef EVGW_MQTT_LINK_H
#define EVGW_MQTT_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

enum evgw_mqtt_link_kind {
	EVGW_MQTT_CONNECTED = 1, /* the broker accepted us (CONNACK 0) */
	EVGW_MQTT_REFUSED,       /* the broker refused us (rc: the CONNACK code), text says why */
	EVGW_MQTT_FAILED,        /* no connection could be made: text says why */
	EVGW_MQTT_LOST,          /* an open connection went: text says why */
	EVGW_MQTT_PUBLISHED,     /* message mid is through (QoS 0: written; QoS 1: PUBACK) */
};

struct evgw_mqtt_link_event {
	enum evgw_mqtt_link_kind kind;
	int rc;
	int mid;
	char text[200];
};

struct evgw_mqtt_link;

/* Start connecting (in the thread) with the will "offline" retained on
 * will_topic. cfg must outlive the link. */
int evgw_mqtt_link_start(const struct evgw_mqtt_config *cfg, const char *client_id, const char *will_topic,
			 struct evgw_mqtt_link **out, char *err, size_t errlen);
/* Publish "offline" on the will topic (when connected), disconnect, and
 * end the thread: within about 3 s. Then evgw_mqtt_link_take gives the
 * last events, and evgw_mqtt_link_free frees. False when the thread could
 * not be ended (a connect that hangs): it is left to the process's end,
 * and free leaves the link to it. NULL is fine for both. */
bool evgw_mqtt_link_stop(struct evgw_mqtt_link *l);
void evgw_mqtt_link_free(struct evgw_mqtt_link *l);

/* Readable when events wait. */
int evgw_mqtt_link_fd(const struct evgw_mqtt_link *l);
/* Take up to max events (and clear the fd); returns how many. */
unsigned evgw_mqtt_link_take(struct evgw_mqtt_link *l, struct evgw_mqtt_link_event *out, unsigned max);

/* Queue a message; *mid identifies it in EVGW_MQTT_PUBLISHED. 0 or a
 * negative errno (-ENOTCONN, -ENOMEM, -EINVAL). Never waits on the
 * network. */
int evgw_mqtt_link_publish(struct evgw_mqtt_link *l, const char *topic, const void *payload, size_t len, int qos,
			   bool retain, int *mid);

#endif
