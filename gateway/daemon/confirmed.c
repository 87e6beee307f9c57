// SPDX-License-Identifier: MIT
#include "daemon/confirmed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/station.h"

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The entry names the file a bus's dbc = line names: the same words, or,
 * for an entry without a '/', the same base name. */
static bool same_file(const char *entry, const char *dbc)
{
	return !strcmp(entry, dbc) || (!strchr(entry, '/') && !strcmp(entry, base_name(dbc)));
}

/* A message by name, or by id: 0x32D, 813, or the DBC's own BO_ number
 * (bit 31 set for an extended id). */
static const struct dbc_message *find_message(const struct dbc_db *db, const char *what)
{
	if (what[0] >= '0' && what[0] <= '9') {
		char *end;
		errno = 0;
		unsigned long long id = strtoull(what, &end, 0);
		if (errno || *end || id > 0xFFFFFFFFull)
			return NULL;
		if (id & 0x80000000ull)
			id &= 0x1FFFFFFFull;
		for (uint32_t i = 0; i < db->n_messages; i++)
			if (db->messages[i]->id == id)
				return db->messages[i];
		return NULL;
	}
	return dbc_find_message_by_name(db, what);
}

static int confirm_message(struct evgw_confirmations *c, const struct evgw_bus *bus, const struct evgw_config *cfg,
			   const struct evgw_bus_config *bc, const struct evgw_confirmed_def *e, bool *used, char *err,
			   size_t errlen)
{
	for (unsigned d = 0; d < bc->n_dbc && d < bus->n_dbs; d++) {
		if (!same_file(e->file, bc->dbc[d]))
			continue;
		const struct dbc_db *db = bus->dbs[d];
		const struct dbc_message *m = find_message(db, e->what);
		if (!m) {
			snprintf(err, errlen, "%s:%u: [confirmed] message = %s %s: %s (bus %s) has no message %s",
				 cfg->path ? cfg->path : "<config>", e->line, e->file, e->what, bc->dbc[d], bc->name,
				 e->what);
			return -EINVAL;
		}
		if (!c->msgs[d] && !(c->msgs[d] = calloc(db->n_messages ? db->n_messages : 1, 1)))
			return -ENOMEM;
		c->msgs[d][m->index] = 1;
		c->n++;
		*used = true;
	}
	return 0;
}

static int confirm_did(struct evgw_confirmations *c, const struct evgw_profile *p, const struct evgw_config *cfg,
		       const struct evgw_bus_config *bc, const struct evgw_confirmed_def *e, bool *used, char *err,
		       size_t errlen)
{
	if (!p || !bc->profile || strcmp(e->file, bc->profile))
		return 0;
	const struct evgw_profile_did *did = evgw_profile_did(p, e->what);
	if (!did) {
		snprintf(err, errlen, "%s:%u: [confirmed] did = %s %s: profile %s (bus %s) has no DID %s",
			 cfg->path ? cfg->path : "<config>", e->line, e->file, e->what, bc->profile, bc->name, e->what);
		return -EINVAL;
	}
	c->dids[did - p->dids] = true;
	c->n++;
	*used = true;
	return 0;
}

int evgw_station_confirm(struct evgw_station *st, const struct evgw_config *cfg, const struct evgw_bus_config *bc,
			 bool *used, char *err, size_t errlen)
{
	if (!cfg->n_confirmed)
		return 0;
	struct evgw_confirmations *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "bus %s: out of memory", bc->name);
		return -ENOMEM;
	}
	int r = 0;
	for (unsigned i = 0; r == 0 && i < cfg->n_confirmed; i++) {
		const struct evgw_confirmed_def *e = &cfg->confirmed[i];
		r = e->did ? confirm_did(c, st->profile, cfg, bc, e, &used[i], err, errlen)
			   : confirm_message(c, st->bus, cfg, bc, e, &used[i], err, errlen);
	}
	if (r == -ENOMEM)
		snprintf(err, errlen, "bus %s: out of memory", bc->name);
	if (r < 0 || !c->n) {
		evgw_confirmations_free(c);
		return r;
	}
	st->confirmed = c;
	return 0;
}

void evgw_confirmations_free(struct evgw_confirmations *c)
{
	if (!c)
		return;
	for (unsigned d = 0; d < EVGW_BUS_MAX_DBC; d++)
		free(c->msgs[d]);
	free(c);
}

bool evgw_station_message_confirmed(const struct evgw_station *st, unsigned db, const struct dbc_message *m)
{
	const struct evgw_confirmations *c = st->confirmed;
	return c && db < EVGW_BUS_MAX_DBC && c->msgs[db] && c->msgs[db][m->index];
}

bool evgw_station_did_confirmed(const struct evgw_station *st, const struct evgw_profile_did *d)
{
	const struct evgw_confirmations *c = st->confirmed;
	const struct evgw_profile *p = st->profile;
	return c && p && d >= p->dids && d < p->dids + p->n_dids && c->dids[d - p->dids];
}
