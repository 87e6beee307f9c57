// SPDX-License-Identifier: MIT
/* libFuzzer target: a vehicle profile loads or is refused with "name:line:"
 * and an error code; a loaded one holds only resolved references, and every
 * DID decodes (or says the data is short) without reading past the data. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vehicle/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evgw_profile *p = NULL;
	char err[256] = "";
	int r = evgw_profile_load_buffer((const char *)data, size, "f", &p, err, sizeof err);
	if (r) {
		if (p || (r != -EINVAL && r != -ENOMEM && r != -EFBIG) || strncmp(err, "f:", 2))
			abort();
		return 0;
	}
	if (!p || !p->name[0] || p->n_buses > EVGW_PROFILE_MAX_BUSES || p->n_ecus > EVGW_PROFILE_MAX_ECUS ||
	    p->n_dids > EVGW_PROFILE_MAX_DIDS)
		abort();
	for (unsigned i = 0; i < p->n_ecus; i++)
		if (p->ecus[i].bus < 0 || (unsigned)p->ecus[i].bus >= p->n_buses || !p->ecus[i].protocol)
			abort();
	uint8_t buf[16];
	memset(buf, 0xA5, sizeof buf);
	for (unsigned i = 0; i < p->n_dids; i++) {
		const struct evgw_profile_did *d = &p->dids[i];
		if (d->ecu < 0 || (unsigned)d->ecu >= p->n_ecus || d->length < 1 || d->length > 8)
			abort();
		double v;
		int dr = evgw_profile_did_decode(d, buf, sizeof buf, &v);
		if (dr != 0 && dr != -ENODATA && !(dr == -EDOM && d->expr.n_code))
			abort();
		if (d->expr.n_code) {
			if (dr != 0 && dr != -ENODATA && dr != -EDOM)
				abort();
			if ((dr == -ENODATA) != (d->expr.min_len > sizeof buf))
				abort();
			continue;
		}
		if ((dr == 0) != ((size_t)d->start + d->length <= sizeof buf))
			abort();
	}
	evgw_profile_free(p);
	return 0;
}
