// SPDX-License-Identifier: MIT
#include "mqtt/payload.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus.h"
#include "can/bus_state.h"
#include "faults/fault_members.h"
#include "util/json_member.h"

void evgw_mqtt_fault_json(struct evgw_textbuf *tb, int64_t seq, const char *event, int64_t at_us,
			  const struct evgw_fault *f)
{
	if (seq > 0)
		evgw_textbuf_printf(tb, "{\"seq\":%" PRId64, seq);
	else
		evgw_textbuf_puts(tb, "{\"seq\":null");
	evgw_json_member_str(tb, "event", event);
	evgw_json_member_time(tb, "at", at_us);
	evgw_textbuf_printf(tb, ",\"id\":%" PRId64, f->id);
	evgw_fault_json_members(tb, f, NULL);
}

#define SUMMARY_MAX 64

void evgw_mqtt_faults_json(struct evgw_textbuf *tb, const struct evgw_fault_engine *e, const char *bus)
{
	unsigned n = 0;
	for (unsigned i = 0; i < e->n; i++)
		if (!strcmp(e->faults[i]->bus, bus) && e->faults[i]->status != EVGW_FS_CLEARED)
			n++;
	evgw_textbuf_printf(tb, "{\"active\":%u,\"faults\":[", n);
	unsigned shown = 0;
	for (unsigned i = 0; i < e->n && shown < SUMMARY_MAX; i++) {
		const struct evgw_fault *f = e->faults[i];
		if (strcmp(f->bus, bus) || f->status == EVGW_FS_CLEARED)
			continue;
		evgw_textbuf_printf(tb, "%s{\"id\":%" PRId64, shown++ ? "," : "", f->id);
		evgw_json_member_str(tb, "code", f->code);
		evgw_json_member_str(tb, "status", evgw_fault_status_name(f->status));
		evgw_json_member_str(tb, "severity", evgw_fault_severity_name(f->severity));
		evgw_textbuf_printf(tb, ",\"unconfirmed\":%s", f->unconfirmed ? "true" : "false");
		evgw_json_member_str_or_null(tb, "lamp", f->lamp);
		evgw_json_member_str(tb, "description", f->description);
		evgw_textbuf_putc(tb, '}');
	}
	evgw_textbuf_puts(tb, "]}");
}

void evgw_mqtt_health_json(struct evgw_textbuf *tb, const struct evgw_bus *b)
{
	evgw_textbuf_printf(tb,
			    "{\"state\":\"%s\",\"fps\":%.1f,\"rx_frames\":%" PRIu64 ",\"tx_frames\":%" PRIu64
			    ",\"error_frames\":%" PRIu64 ",\"overruns\":%" PRIu64 ",\"bus_errors\":%" PRIu64
			    ",\"bus_offs\":%" PRIu64 ",\"link_errors\":%" PRIu64 "}",
			    evgw_bus_state_name(b->state), b->fps, b->rx_frames, b->tx_frames, b->rx_error_frames,
			    b->drv_status.overruns + b->errs.controller_overruns, b->errs.bus_errors,
			    b->errs.bus_offs, b->drv_status.link_errors);
}

void evgw_mqtt_id(char *dst, size_t cap, const char *s)
{
	size_t i = 0;
	if (!cap)
		return;
	for (; s[i] && i + 1 < cap; i++) {
		char ch = s[i];
		bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  ch == '_' || ch == '-';
		dst[i] = ok ? ch : '_';
	}
	dst[i] = '\0';
}

void evgw_mqtt_discovery_json(struct evgw_textbuf *tb, const struct evgw_mqtt_sensor *s)
{
	char dev[96];
	evgw_textbuf_puts(tb, "{\"name\":");
	evgw_textbuf_json_string(tb, s->name, strlen(s->name), false);
	evgw_json_member_str(tb, "unique_id", s->unique_id);
	evgw_json_member_str(tb, "state_topic", s->state_topic);
	evgw_json_member_str(tb, "availability_topic", s->availability_topic);
	if (s->unit_of_measurement && *s->unit_of_measurement)
		evgw_json_member_str(tb, "unit_of_measurement", s->unit_of_measurement);
	if (s->value_template)
		evgw_json_member_str(tb, "value_template", s->value_template);
	if (s->json_attributes_topic)
		evgw_json_member_str(tb, "json_attributes_topic", s->json_attributes_topic);
	evgw_mqtt_id(dev, sizeof dev, s->unit_name);
	evgw_textbuf_printf(tb, ",\"device\":{\"identifiers\":[\"evgw_%s\"],\"name\":", dev);
	char name[96];
	snprintf(name, sizeof name, "evgw %s", s->unit_name);
	evgw_textbuf_json_string(tb, name, strlen(name), false);
	evgw_textbuf_puts(tb, ",\"manufacturer\":\"evgw\",\"model\":\"CAN diagnostic gateway\"}}");
}
