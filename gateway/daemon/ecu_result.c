// SPDX-License-Identifier: MIT
#include "daemon/ecu_result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct evgw_ecu_result *evgw_ecu_result_new(enum evgw_ecu_ask ask)
{
	struct evgw_ecu_result *r = calloc(1, sizeof *r);
	if (r) {
		r->ask = ask;
		r->asked = -1;
	}
	return r;
}

void evgw_ecu_result_free(struct evgw_ecu_result *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->n; i++) {
		free(r->entries[i].dtcs);
		free(r->entries[i].data);
	}
	free(r);
}

struct evgw_ecu_entry *evgw_ecu_entry_add(struct evgw_ecu_result *r)
{
	if (r->n == EVGW_ECU_MAX_ENTRIES)
		return NULL;
	struct evgw_ecu_entry *e = &r->entries[r->n++];
	memset(e, 0, sizeof *e);
	e->ecu = e->request_id = e->response_id = -1;
	e->j1939_ack = -1;
	return e;
}

struct evgw_ecu_entry *evgw_ecu_entry_find(struct evgw_ecu_result *r, enum evgw_fault_protocol p, int32_t ecu)
{
	for (unsigned i = 0; i < r->n; i++)
		if (r->entries[i].protocol == p && r->entries[i].ecu == ecu)
			return &r->entries[i];
	return NULL;
}

struct evgw_ecu_dtc *evgw_ecu_dtc_add(struct evgw_ecu_entry *e)
{
	if (e->n_dtcs == EVGW_ECU_MAX_DTCS)
		return NULL;
	/* Grown in steps: a DTC list is read once per request, never per frame. */
	if (!(e->n_dtcs & 15)) {
		struct evgw_ecu_dtc *v = realloc(e->dtcs, (e->n_dtcs + 16) * sizeof *v);
		if (!v)
			return NULL;
		e->dtcs = v;
	}
	struct evgw_ecu_dtc *d = &e->dtcs[e->n_dtcs++];
	memset(d, 0, sizeof *d);
	d->status = -1;
	return d;
}

void evgw_ecu_entry_fail(struct evgw_ecu_entry *e, enum evgw_ecu_err err, const char *fmt, ...)
{
	e->err = err;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

unsigned evgw_ecu_result_answered(const struct evgw_ecu_result *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->n; i++)
		n += r->entries[i].err == EVGW_ECU_OK;
	return n;
}
