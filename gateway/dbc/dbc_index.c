// SPDX-License-Identifier: MIT
#include "dbc/dbc_index.h"

#include <errno.h>
#include <stdlib.h>

static int table_grow(uint32_t **table, uint32_t *mask, uint32_t want_slots)
{
	uint32_t size = 16;
	while (size < want_slots)
		size <<= 1;
	uint32_t *t = calloc(size, sizeof *t);
	if (!t)
		return -ENOMEM;
	free(*table);
	*table = t;
	*mask = size - 1;
	return 0;
}

static void table_put(uint32_t *table, uint32_t mask, uint32_t key, uint32_t idx)
{
	uint32_t i = dbc_hash32(key) & mask;
	while (table[i])
		i = (i + 1) & mask;
	table[i] = idx + 1;
}

int dbc_index_insert(struct dbc_db *db, uint32_t key, uint32_t idx)
{
	if (dbc_index_find(db, key))
		return 0;
	/* Keep the load factor at or under 1/2 so probes stay short. */
	if (!db->id_index || (idx + 1) * 2 > db->id_mask + 1) {
		if (table_grow(&db->id_index, &db->id_mask, (idx + 1) * 4) < 0)
			return -ENOMEM;
		for (uint32_t j = 0; j < idx; j++) {
			uint32_t k = dbc_msg_key(db->messages[j]);
			if (!dbc_index_find(db, k))
				table_put(db->id_index, db->id_mask, k, j);
		}
	}
	table_put(db->id_index, db->id_mask, key, idx);
	return 0;
}

int dbc_index_build_pgn(struct dbc_db *db)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < db->n_messages; i++)
		if (db->messages[i]->flags & DBC_MSG_J1939)
			n++;
	if (!n)
		return 0;
	if (table_grow(&db->pgn_index, &db->pgn_mask, n * 2) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < db->n_messages; i++) {
		struct dbc_message *m = db->messages[i];
		if ((m->flags & DBC_MSG_J1939) && !dbc_index_find_pgn(db, m->pgn))
			table_put(db->pgn_index, db->pgn_mask, m->pgn, i);
	}
	db->has_j1939 = true;
	return 0;
}
