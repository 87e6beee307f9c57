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

/* KWP2000 statusOfDTC (ISO 14230-3; the ISO text itself not read). The four
 * fields, "warning lamp calibration status (1 bit), storage state (2 bits),
 * readiness flag (1 bit), fault symptom (4 bits)", are listed in that order
 * by Marscholik and Subke, Road vehicles - Diagnostic communication (Softing,
 * 2008; glossary entry "DTC status byte" at datajob.com); the bit positions
 * and the storage state values (00 none, 01 stored not present, 10 pending /
 * maturing, 11 present) are as rnd-ash/ecu_diagnostics (MIT) decodes them
 * (src/dtc.rs from_kwp_status, src/kwp2000/read_dtc_by_status.rs: lamp
 * bit 7, readiness bit 4). Some OEMs use other layouts: the raw byte is kept. */
static const char *const kwp_storage[4] = {
	"noDTCDetected", "storedNotPresent", "maturingIntermittent", "presentAtRequest",
};

const char *kwp_dtc_storage_state_name(uint8_t status)
{
	return kwp_storage[(status & KWP_DTC_STORAGE_MASK) >> 5];
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
	if (status & KWP_DTC_WARNING_LAMP)
		append(buf, cap, &len, &full, "warningLamp");
	if (status & KWP_DTC_NOT_READY)
		append(buf, cap, &len, &full, "testNotComplete");
	if (status & KWP_DTC_SYMPTOM_MASK) {
		snprintf(sym, sizeof sym, "symptom 0x%X", status & KWP_DTC_SYMPTOM_MASK);
		append(buf, cap, &len, &full, sym);
	}
	return full ? -ENOSPC : (int)len;
}

/* The fault store's words for the ECU's bits (ISO 14229-1 D.2): testFailed
 * is the result of the latest test, so the fault is there now; confirmedDTC
 * means the ECU has stored it; pendingDTC means it failed in this or the
 * last operation cycle without (yet) being confirmed. A warning lamp
 * requested for a DTC that is not failing now is a stored one (the lamp
 * stays on until the fault has healed for some cycles). */
enum dtc_state uds_dtc_state(uint8_t status)
{
	if (status & UDS_DTC_TEST_FAILED)
		return DTC_STATE_ACTIVE;
	if (status & (UDS_DTC_CONFIRMED | UDS_DTC_WARNING_INDICATOR))
		return DTC_STATE_STORED;
	if (status & (UDS_DTC_PENDING | UDS_DTC_TEST_FAILED_THIS_CYCLE))
		return DTC_STATE_PENDING;
	return DTC_STATE_NONE;
}

enum dtc_state kwp_dtc_state(uint8_t status)
{
	static const enum dtc_state by_storage[4] = {
		[KWP_DTC_NOT_DETECTED] = DTC_STATE_NONE,
		[KWP_DTC_STORED_NOT_PRESENT] = DTC_STATE_STORED,
		[KWP_DTC_MATURING] = DTC_STATE_PENDING,
		[KWP_DTC_PRESENT] = DTC_STATE_ACTIVE,
	};

	return by_storage[(status & KWP_DTC_STORAGE_MASK) >> 5];
}

const char *dtc_state_name(enum dtc_state s)
{
	switch (s) {
	case DTC_STATE_NONE: return "none";
	case DTC_STATE_ACTIVE: return "active";
	case DTC_STATE_STORED: return "stored";
	case DTC_STATE_PENDING: return "pending";
	}
	return NULL;
}
