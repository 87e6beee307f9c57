// SPDX-License-Identifier: MIT
/* Text-form row pieces rendered once per signal; see decode_rows.h. */
#include "cli/decode_rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ROW_INDENT "    "

int decode_rows_build(struct decode_rows *dr, const struct dbc_json_names *names, uint32_t name_col)
{
	const struct dbc_db *db = names->db;
	uint32_t n_sigs = 0;
	size_t size = DECODE_ROWS_SLACK;
	memset(dr, 0, sizeof *dr);
	/* names->sigs holds each message's signals in turn, all of them. */
	for (uint32_t i = 0; i < db->n_messages; i++)
		n_sigs += db->messages[i]->n_signals;
	for (uint32_t s = 0; s < n_sigs; s++) {
		const struct dbc_json_sig *js = &names->sigs[s];
		size += sizeof ROW_INDENT + (js->name.len > name_col ? js->name.len : name_col) + js->unit.len + 2;
	}
	dr->text = malloc(size);
	dr->rows = calloc(n_sigs + 1u, sizeof *dr->rows);
	if (!dr->text || !dr->rows || size > UINT32_MAX) {
		decode_rows_free(dr);
		return -ENOMEM;
	}
	char *p = dr->text;
	for (uint32_t s = 0; s < n_sigs; s++) {
		const struct dbc_json_sig *js = &names->sigs[s];
		struct decode_row *row = &dr->rows[s];
		uint32_t name_len = js->name.len - 2; /* without its quotes */
		row->head_off = (uint32_t)(p - dr->text);
		memcpy(p, ROW_INDENT, sizeof ROW_INDENT - 1);
		p += sizeof ROW_INDENT - 1;
		memcpy(p, names->text + js->name.off + 1, name_len);
		p += name_len;
		if (name_len < name_col) {
			memset(p, ' ', name_col - name_len);
			p += name_col - name_len;
		}
		*p++ = ' ';
		row->head_len = (uint32_t)(p - dr->text - row->head_off);
		row->unit_off = (uint32_t)(p - dr->text);
		if (js->unit.len > 2) {
			*p++ = ' ';
			memcpy(p, names->text + js->unit.off + 1, js->unit.len - 2u);
			p += js->unit.len - 2u;
		}
		row->unit_len = (uint32_t)(p - dr->text - row->unit_off);
	}
	memset(p, 0, DECODE_ROWS_SLACK);
	return 0;
}

void decode_rows_free(struct decode_rows *dr)
{
	free(dr->text);
	free(dr->rows);
	dr->text = NULL;
	dr->rows = NULL;
}
