// SPDX-License-Identifier: MIT
/* J1939-71 PGN 65260 Vehicle Identification; layout in j1939_vin.h. The
 * '*' delimiter, and bytes past it not being part of the VIN, as the
 * Equipment & Tool Institute's J1939-84 tool reads the PGN
 * (VehicleIdentificationPacket: the VIN up to the '*', the rest
 * "manufacturer data", "not defined in an SAE document as a valid SPN"). */
#include "j1939/j1939_vin.h"

#include <errno.h>
#include <string.h>

#include "j1939/j1939_tp.h"

int j1939_vin_parse(const uint8_t *data, size_t len, char *vin, size_t cap)
{
	const uint8_t *end;
	size_t n;

	if (vin && cap)
		vin[0] = '\0';
	if (!data || !vin || len > J1939_TP_MAX_SIZE)
		return -EBADMSG;
	end = memchr(data, J1939_VIN_DELIM, len);
	if (end) {
		n = (size_t)(end - data);
	} else {
		n = len;
		while (n > 0 && data[n - 1] == 0xFF)
			n--;
	}
	if (n == 0)
		return -ENODATA;
	for (size_t i = 0; i < n; i++)
		if (data[i] < 0x20 || data[i] > 0x7E)
			return -EBADMSG;
	if (n >= cap)
		return -ENOSPC;
	memcpy(vin, data, n);
	vin[n] = '\0';
	return (int)n;
}
