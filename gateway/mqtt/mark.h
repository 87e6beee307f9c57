// SPDX-License-Identifier: MIT
/* What the MQTT bridge has published, across restarts: the seq (the fault
 * store's fault_history id, faults/store.h) up to which every fault change
 * reached the broker, in <state_dir>/mqtt.mark. A restart goes on after it:
 * nothing already published is told again as new, and nothing that
 * happened while evgwd or the broker was down is skipped. */
#ifndef EVGW_MQTT_MARK_H
#define EVGW_MQTT_MARK_H

#include <stddef.h>
#include <stdint.h>

/* The mark in path: 0 and the seq, -ENOENT when there is none, -EINVAL
 * (err says where) when the file is not one. */
int evgw_mqtt_mark_read(const char *path, int64_t *seq, char *err, size_t errlen);
/* Write it (a new file renamed over the old, synced): 0 or a negative errno. */
int evgw_mqtt_mark_write(const char *path, int64_t seq);

#endif
