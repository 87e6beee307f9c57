// SPDX-License-Identifier: MIT
/* What the MQTT bridge publishes, as text: fault changes, a bus's faults
 * and health, Home Assistant discovery configs. Plain functions over the
 * daemon's structs (no libmosquitto), so that tests check them byte for
 * byte. The layout is documented in docs/mqtt.md. */
#ifndef EVGW_MQTT_PAYLOAD_H
#define EVGW_MQTT_PAYLOAD_H

#include <stdint.h>

#include "faults/engine.h"
#include "util/textbuf.h"

struct evgw_bus;

/* A fault change: {"seq","event","at",...the fault...}. seq 0 (a change
 * told without a store) is written as null. */
void evgw_mqtt_fault_json(struct evgw_textbuf *tb, int64_t seq, const char *event, int64_t at_us,
			  const struct evgw_fault *f);
/* The bus's faults that are not cleared, from the engine:
 * {"active":N,"faults":[{"id","code","status","severity","unconfirmed","lamp","description"}...]}
 * (at most 64 listed; "active" counts them all). */
void evgw_mqtt_faults_json(struct evgw_textbuf *tb, const struct evgw_fault_engine *e, const char *bus);
/* {"state","fps","rx_frames","tx_frames","error_frames","overruns","bus_errors","bus_offs",
 *  "link_errors"} */
void evgw_mqtt_health_json(struct evgw_textbuf *tb, const struct evgw_bus *b);

/* s as one topic level and Home Assistant object id: every character
 * other than letters, digits, '_' and '-' becomes '_'. */
void evgw_mqtt_id(char *dst, size_t cap, const char *s);

/* A Home Assistant discovery config for a sensor: name, unique_id, the
 * state topic, the unit's availability topic and device; unit (may be
 * NULL or "") and value_template (may be NULL) when given. */
struct evgw_mqtt_sensor {
	const char *unit_name;      /* the evgw unit */
	const char *name;           /* shown in Home Assistant */
	const char *unique_id;
	const char *state_topic;
	const char *availability_topic;
	const char *unit_of_measurement;
	const char *value_template;
	const char *json_attributes_topic;
};
void evgw_mqtt_discovery_json(struct evgw_textbuf *tb, const struct evgw_mqtt_sensor *s);

#endif
