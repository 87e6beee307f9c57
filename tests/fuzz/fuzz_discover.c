// SPDX-License-Identifier: MIT
/* libFuzzer target: any bytes as a stream of frames (per frame: a flags
 * byte choosing the id among 4 and its width, a length byte, then the
 * data) through discovery's collector, every detector and the draft
 * writer; the draft must then load in evgw's DBC engine with no error.
 * Hostile traffic (lengths changing, every bit random, one frame per id)
 * never crashes it or yields a DBC file evgw refuses, and evgwd accepts
 * every checksum and counter the draft names. The same bytes are also read
 * as an EvgwChecksum value (bus_integrity.c's parser of that text), and
 * every frame, as an OBD-II answer from 0x7E8, through --correlate obd:'s
 * reader (disc_obd.c) with the flags byte as the PID; the spec parser
 * reads the first bytes. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus_integrity.h"
#include "dbc/dbc.h"
#include "discover/disc_collect.h"
#include "discover/disc_draft.h"
#include "discover/disc_message.h"
#include "discover/disc_obd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_diag(void *ud, const struct dbc_diag *d)
{
	unsigned *errors = ud;
	*errors += d->severity == DBC_ERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t algo;
	struct evgw_integ_params prm;
	(void)evgw_integrity_parse_algo((const char *)data, size < 256 ? size : 256, &algo, &prm);
	char spec[16] = {0};
	memcpy(spec, data, size < sizeof spec - 1 ? size : sizeof spec - 1);
	uint8_t pid;
	(void)disc_obd_parse_spec(spec, &pid);
	struct disc_collect c;
	if (disc_collect_init(&c) < 0)
		return 0;
	static const uint32_t ids[4] = {0x123, 0x7FF, 0x18FEF100, 0x1FFFFFFF};
	size_t i = 0;
	int64_t t = 0;
	while (i + 2 <= size) {
		struct evgw_frame f = {0};
		uint8_t sel = data[i], len = data[i + 1] % 65;
		i += 2;
		f.id = ids[sel & 3];
		f.flags = (sel & 2) ? EVGW_FRAME_EXT : 0;
		f.len = len;
		f.ts_us = (t += 1000 + (sel >> 2) * 100);
		size_t n = size - i < len ? size - i : len;
		memcpy(f.data, data + i, n);
		i += n;
		struct evgw_frame answer = f;
		answer.id = 0x7E8;
		answer.flags = 0;
		double v;
		if (disc_obd_traffic(&answer) && disc_obd_value(sel, &answer, &v) && !isfinite(v))
			abort(); /* every formula gives a number */
		if (disc_collect_frame(&c, &f, (sel & 0x80) ? NAN : (double)sel) < 0)
			break;
	}
	struct disc_message *m = calloc(c.n_ids ? c.n_ids : 1, sizeof *m);
	if (m) {
		for (uint32_t k = 0; k < c.n_ids; k++)
			disc_analyze(&c.ids[k], &m[k]);
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		if (out) {
			disc_draft_write(out, m, c.n_ids, "fuzz");
			fclose(out);
			unsigned errors = 0;
			struct dbc_load_opts lo = {false, no_diag, &errors};
			struct dbc_db *db = NULL;
			if (dbc_load_buffer(text, len, "draft", &lo, &db) < 0 || errors)
				abort(); /* a draft evgw cannot read */
			for (uint32_t k = 0; k < db->n_messages; k++) {
				struct evgw_integrity_plan p;
				if (evgw_integrity_plan_build(db, 0, db->messages[k], &p, NULL, 0) < 0)
					abort(); /* a checksum or counter evgwd would refuse */
			}
			dbc_free(db);
			free(text);
		}
		free(m);
	}
	disc_collect_free(&c);
	return 0;
}
