// SPDX-License-Identifier: MIT
/* evgw.conf's [mqtt] section (config_mqtt.c), for the loader in config.c. */
#ifndef EVGW_CONFIG_CONFIG_MQTT_H
#define EVGW_CONFIG_CONFIG_MQTT_H

#include <stdbool.h>

#include "config/config.h"
#include "util/ini.h"

/* The section's table entry: {"mqtt", false, 1, keys, begin, end}. */
extern const struct evgw_ini_key evgw_config_mqtt_keys[];
bool evgw_config_mqtt_begin(struct evgw_ini *ini, const char *name, void **obj);
bool evgw_config_mqtt_end(struct evgw_ini *ini, void *obj);

/* After the whole file: every signals item names a [bus] of the file. */
bool evgw_config_mqtt_check(struct evgw_ini *ini, const struct evgw_config *c);

#endif
