// SPDX-License-Identifier: MIT
/* libFuzzer target for the DBC engine: any bytes load (or fail cleanly) in
 * both modes; a loaded model lints, and decodes frames made from the input
 * for every message, without a crash, a leak or a read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "dbc/dbc_lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct dbc_db *db, const uint8_t *data, size_t size)
{
	struct dbc_value vals[4096];
	dbc_lint(db, NULL, NULL);
	for (uint32_t i = 0; i < db->n_messages; i++) {
		const struct dbc_message *m = db->messages[i];
		struct evgw_frame f;
		memset(&f, 0, sizeof f);
		f.id = m->id;
		f.flags = (m->flags & DBC_MSG_EXTENDED) ? EVGW_FRAME_EXT : 0;
		f.len = m->length;
		memcpy(f.data, data, size < sizeof f.data ? size : sizeof f.data);
		const struct dbc_message *found = dbc_lookup(db, &f, NULL);
		if (found && m->n_signals <= 4096) {
			uint32_t n = dbc_decode(found, &f, vals);
			for (uint32_t k = 0; k < n; k++)
				(void)dbc_signal_label(vals[k].sig, vals[k].raw);
		}
		for (uint32_t k = 0; k < m->n_signals; k++) {
			uint64_t raw;
			dbc_phys_to_raw(&m->signals[k], 1.5, &raw);
			dbc_insert_raw(&m->signals[k], f.data, raw);
			if (dbc_extract_raw(&m->signals[k], f.data) != raw && !(m->signals[k].flags & DBC_SIG_SIGNED) &&
			    m->signals[k].need_len <= 64)
				abort(); /* what the encoder writes, the decoder reads back */
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy so that ASan catches a read past the text. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	for (int strict = 0; strict <= 1; strict++) {
		struct dbc_load_opts opts = {strict != 0, NULL, NULL};
		struct dbc_db *db;
		if (dbc_load_buffer(text, size, "fuzz.dbc", &opts, &db) == 0) {
			exercise(db, data, size);
			dbc_free(db);
		}
	}
	free(text);
	return 0;
}
