// SPDX-License-Identifier: MIT
/* The message lookup tables: open addressing keyed by the DBC id (which
 * carries the extended flag in bit 31) and by J1939 PGN. */
#ifndef EVGW_DBC_DBC_INDEX_H
#define EVGW_DBC_DBC_INDEX_H

#include "dbc/dbc.h"

#define DBC_EXT_FLAG 0x80000000u

static inline uint32_t dbc_hash32(uint32_t k)
{
	/* A multiplicative mix; CAN ids are dense and small. */
	k ^= k >> 16;
	k *= 0x7feb352du;
	k ^= k >> 15;
	k *= 0x846ca68bu;
	k ^= k >> 16;
	return k;
}

static inline uint32_t dbc_msg_key(const struct dbc_message *m)
{
	return m->id | ((m->flags & DBC_MSG_EXTENDED) ? DBC_EXT_FLAG : 0);
}

/* Insert message number idx (0-based) of db->messages under key; keeps the
 * first message for a key. Grows the table. 0 or -ENOMEM. */
int dbc_index_insert(struct dbc_db *db, uint32_t key, uint32_t idx);
/* Build the PGN table over the J1939 messages. 0 or -ENOMEM. */
int dbc_index_build_pgn(struct dbc_db *db);

static inline struct dbc_message *dbc_index_find(const struct dbc_db *db, uint32_t key)
{
	if (!db->id_index)
		return NULL;
	for (uint32_t i = dbc_hash32(key) & db->id_mask;; i = (i + 1) & db->id_mask) {
		uint32_t v = db->id_index[i];
		if (!v)
			return NULL;
		struct dbc_message *m = db->messages[v - 1];
		if (dbc_msg_key(m) == key)
			return m;
	}
}

static inline struct dbc_message *dbc_index_find_pgn(const struct dbc_db *db, uint32_t pgn)
{
	if (!db->pgn_index)
		return NULL;
	for (uint32_t i = dbc_hash32(pgn) & db->pgn_mask;; i = (i + 1) & db->pgn_mask) {
		uint32_t v = db->pgn_index[i];
		if (!v)
			return NULL;
		struct dbc_message *m = db->messages[v - 1];
		if (m->pgn == pgn)
			return m;
	}
}

/* J1939-21 PGN of a 29-bit identifier: PDU1 (PF < 240) drops the
 * destination address from the PGN, PDU2 keeps the group extension. */
static inline uint32_t dbc_j1939_pgn(uint32_t id29)
{
	uint32_t pgn = (id29 >> 8) & 0x3FFFFu;
	if (((pgn >> 8) & 0xFFu) < 240u)
		pgn &= 0x3FF00u;
	return pgn;
}

#endif
