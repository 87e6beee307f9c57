// SPDX-License-Identifier: MIT
/* libFuzzer target: J1939-73 DM1/DM2 payloads (and the Acknowledgment and
 * PGN 65260 VIN parsers on the same bytes). Input: byte 0 the source address, byte 1 the
 * conversion method for CM = 1 at that address (low 2 bits), the rest the
 * payload, copied to an exact-size buffer so that ASan sees any overread.
 * Checks: every field in range; a message parsed without a method table
 * survives encode -> parse unchanged. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "j1939/j1939_dm.h"
#include "j1939/j1939_vin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct j1939_dm_msg msg, again;
static struct j1939_dm_cm_table table;
static uint8_t enc[2 + 4 * J1939_DM_MAX_DTC];

static void check_fields(const struct j1939_dm_msg *m)
{
	const uint8_t *l = &m->lamps.mil;

	for (unsigned i = 0; i < sizeof m->lamps; i++)
		if (l[i] > 3)
			abort();
	if (m->count > J1939_DM_MAX_DTC)
		abort();
	for (unsigned i = 0; i < m->count; i++) {
		const struct j1939_dtc *d = &m->dtc[i];
		if (d->spn >> 19 || d->fmi > 31 || d->oc > 127 || d->cm > 1 || d->method > 3)
			abort();
	}
}

static void roundtrip(const struct j1939_dm_msg *m)
{
	int n = j1939_dm_encode(&m->lamps, m->dtc, m->count, enc, sizeof enc);

	if (n < 8)
		abort();
	if (j1939_dm_parse(enc, (size_t)n, 0, NULL, &again) != m->count)
		abort();
	if (memcmp(&again.lamps, &m->lamps, sizeof m->lamps) != 0)
		abort();
	for (unsigned i = 0; i < m->count; i++)
		if (again.dtc[i].spn != m->dtc[i].spn || again.dtc[i].fmi != m->dtc[i].fmi ||
		    again.dtc[i].oc != m->dtc[i].oc || again.dtc[i].cm != m->dtc[i].cm)
			abort();
}

/* A VIN parsed is the payload's first bytes, printable, without '*'. */
static void check_vin(const uint8_t *p, size_t len, size_t cap)
{
	char vin[2048];
	int rc = j1939_vin_parse(p, len, vin, cap);

	if (rc < 0) {
		if ((rc != -ENODATA && rc != -EBADMSG && rc != -ENOSPC) || vin[0] != '\0')
			abort();
		return;
	}
	if (rc == 0 || (size_t)rc >= cap || (size_t)rc > len || strlen(vin) != (size_t)rc ||
	    memcmp(vin, p, (size_t)rc) != 0)
		abort();
	for (int i = 0; i < rc; i++)
		if (vin[i] < 0x20 || vin[i] > 0x7E || vin[i] == '*')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct j1939_ack ack;
	uint8_t *p;
	size_t len;
	uint8_t sa;
	int rc;

	if (size < 2)
		return 0;
	sa = data[0];
	memset(&table, 0, sizeof table);
	table.method[sa] = data[1] & 3;
	len = size - 2;
	p = malloc(len ? len : 1);
	if (!p)
		return 0;
	memcpy(p, data + 2, len);

	rc = j1939_dm_parse(p, len, sa, &table, &msg);
	if (rc >= 0) {
		if (rc != msg.count || len < 6 || len > 1785)
			abort();
		check_fields(&msg);
	} else if (rc != -EBADMSG) {
		abort();
	}
	rc = j1939_dm_parse(p, len, sa, NULL, &msg);
	if (rc >= 0) {
		check_fields(&msg);
		roundtrip(&msg);
	}
	rc = j1939_ack_parse(p, len, &ack);
	if (rc == 0 && (len < 8 || ack.control > 3 || ack.pgn > 0x3FFFF))
		abort();
	check_vin(p, len, 18);
	check_vin(p, len, 2048);
	free(p);
	return 0;
}
