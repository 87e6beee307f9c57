// SPDX-License-Identifier: MIT
/* DTC text. Sources: SAE J2012 / ISO 15031-6 code layout (as python-OBD's
 * parse_dtc applies it, see shared/reference §3d), ISO 14229-1 annex D.2
 * status bits (udsoncan dtc.py, opendbc DTC_STATUS_MASK_TYPE, §3b). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "diag/dtc.h"

static const char letters[4] = {'P', 'C', 'B', 'U'};
static const char hex[] = "0123456789ABCDEF";

int dtc_format_2byte(uint16_t code, char *buf, size_t cap)
{
	if (!buf || cap < DTC_STR_2BYTE)
		return -ENOSPC;
	buf[0] = letters[code >> 14];
	buf[1] = (char)('0' + ((code >> 12) & 0x3));
	buf[2] = hex[(code >> 8) & 0xF];
	buf[3] = hex[(code >> 4) & 0xF];
	buf[4] = hex[code & 0xF];
	buf[5] = '\0';
	return 5;
}

int dtc_format_3byte(uint32_t dtc, char sep, char *buf, size_t cap)
{
	size_t n = sep ? 8 : 7;

	if (!buf || cap < n + 1)
		return -ENOSPC;
	dtc_format_2byte((uint16_t)(dtc >> 8), buf, cap);
	if (sep)
		buf[5] = sep;
	buf[n - 2] = hex[(dtc >> 4) & 0xF];  /* failure type byte (ISO 14229-1 D.1) */
	buf[n - 1] = hex[dtc & 0xF];
	buf[n] = '\0';
	return (int)n;
}

static const char *const uds_bits[8] = {
	"testFailed",
	"testFailedThisOperationCycle",
	"pendingDTC",
	"confirmedDTC",
	"testNotCompletedSinceLastClear",
	"testFailedSinceLastClear",
	"testNotCompletedThisOperationCycle",
	"warningIndicatorRequested",
};

const char *uds_dtc_status_bit_name(unsigned bit)
{
	return bit < 8 ? uds_bits[bit] : NULL;
}

/* Append s (with ", " before all but the first); track overflow. */
static void append(char *buf, size_t cap, size_t *len, bool *full, const char *s)
{
	int n;

	if (*full)
		return;
	n = snprintf(buf + *len, cap - *len, "%s%s", *len ? ", " : "", s);
	if (n < 0 || (size_t)n >= cap - *len) {
		*full = true;
		*len = cap - 1;
		return;
	}
	*len += (size_t)n;
}

int uds_dtc_status_str(uint8_t status, char *buf, size_t cap)
{
	size_t len = 0;
	bool full = false;

	if (!buf || cap == 0)
		return -ENOSPC;
	buf[0] = '\0';
	if (status == 0)
		append(buf, cap, &len, &full, "none");
	for (unsigned bit = 0; bit < 8; bit++)
		if (status & (1u << bit))
			append(buf, cap, &len, &full, uds_bits[bit]);
	return full ? -ENOSPC : (int)len;
}

/* KWP2000 statusOfDTC. Layout as a public KWP2000 tool decodes it (warning
 * lamp bit 7, storage state bits 6-5, readiness bit 4, symptom bits 3-0),
 * matching the ISO 14230-3 description we know of; not checked against the
 * standard's text [I]. Some OEMs use other layouts: the raw byte is kept. */
static const char *const kwp_storage[4] = {
	"noDTCDetected", "storedNotPresent", "maturingIntermittent", "presentAtRequest",
};

const char *kwp_dtc_storage_state_name(uint8_t status)
{
	return kwp_storage[(status >> 5) & 0x3];
}

int kwp_dtc_status_str(uint8_t status, char *buf, size_t cap)
{
	size_t len = 0;
	bool full = false;
	char sym[16];

	if (!buf || cap == 0)
		return -ENOSPC;
	buf[0] = '\0';
	append(buf, cap, &len, &full, kwp_dtc_storage_state_name(status));
	if (status & 0x80)
		append(buf, cap, &len, &full, "warningLamp");
	if (status & 0x10)
		append(buf, cap, &len, &full, "testNotComplete");
	if (status & 0x0F) {
		snprintf(sym, sizeof sym, "symptom 0x%X", status & 0x0F);
		append(buf, cap, &len, &full, sym);
	}
	return full ? -ENOSPC : (int)len;
}
