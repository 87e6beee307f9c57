// SPDX-License-Identifier: MIT
/* libFuzzer target: evgw profile import's reader (vehicle/pid_import.c).
 * The first byte picks the format (guess, wican, abrp, torque), the rest is
 * the file. A refused file is -EINVAL (or -EFBIG/-ENOMEM) with "f:" in the
 * message; an accepted one is written as a profile that the profile reader
 * loads with every DID. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vehicle/pid_import.h"
#include "vehicle/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct evgw_import im;
	if (!size)
		return 0;
	char err[512] = "";
	int r = evgw_import_parse((const char *)data + 1, size - 1, "f", (enum evgw_import_format)(data[0] % 4), &im,
				  err, sizeof err);
	if (r) {
		if ((r != -EINVAL && r != -ENOMEM && r != -EFBIG) || strncmp(err, "f", 1) || im.n_dids)
			abort();
		return 0;
	}
	if (!im.n_dids || im.n_dids > EVGW_PROFILE_MAX_DIDS)
		abort();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return 0;
	if (evgw_import_write(&im, "fuzz.json", f))
		abort();
	fclose(f);
	struct evgw_profile *p = NULL;
	if (evgw_profile_load_buffer(buf, len, "out", &p, err, sizeof err) || p->n_dids != im.n_dids)
		abort();
	evgw_profile_free(p);
	free(buf);
	return 0;
}
