// SPDX-License-Identifier: MIT
/* Diagnostic trouble codes as people read them.
 *
 * 2-byte codes (OBD-II modes 03/07/0A, KWP2000 0x18) use the SAE J2012 /
 * ISO 15031-6 layout: bits 15-14 the system letter (00 P, 01 C, 10 B, 11 U),
 * bits 13-12 the first digit (0-3), bits 11-0 three hex digits. 0x0133 is
 * "P0133", 0x4123 "C0123", 0xC123 "U0123".
 * 3-byte UDS codes (ISO 14229-1 annex D.1, DTC format identifier 0/1) are the
 * same two bytes followed by a failure type byte: 0x1A0100 is "P1A01-00".
 * Status bytes: ISO 14229-1 annex D.2 for UDS; ISO 14230-3 for KWP2000. */
#ifndef EVGW_DIAG_DTC_H
#define EVGW_DIAG_DTC_H

#include <stddef.h>
#include <stdint.h>

/* ISO 14229-1 D.2 status bits. */
enum uds_dtc_status_bit {
	UDS_DTC_TEST_FAILED = 0x01,
	UDS_DTC_TEST_FAILED_THIS_CYCLE = 0x02,
	UDS_DTC_PENDING = 0x04,
	UDS_DTC_CONFIRMED = 0x08,
	UDS_DTC_NOT_COMPLETED_SINCE_CLEAR = 0x10,
	UDS_DTC_FAILED_SINCE_CLEAR = 0x20,
	UDS_DTC_NOT_COMPLETED_THIS_CYCLE = 0x40,
	UDS_DTC_WARNING_INDICATOR = 0x80,
};

#define DTC_STR_2BYTE 6   /* "P0133" + NUL */
#define DTC_STR_3BYTE 9   /* "P1A01-00" + NUL */

/* "P0133". Returns 5, or -ENOSPC when cap < 6. */
int dtc_format_2byte(uint16_t code, char *buf, size_t cap);
/* "P1A01-00" with sep '-', "P1A0100" with sep '\0'. Bits above 23 are
 * ignored. Returns the length or -ENOSPC. */
int dtc_format_3byte(uint32_t dtc, char sep, char *buf, size_t cap);

/* Name of one UDS status bit (0..7), e.g. "confirmedDTC"; NULL past 7. */
const char *uds_dtc_status_bit_name(unsigned bit);
/* The set bits by name, ", "-separated, lowest bit first; "none" for 0.
 * Returns the length or -ENOSPC (buf then holds a truncated, terminated
 * string). 200 bytes always suffice. */
int uds_dtc_status_str(uint8_t status, char *buf, size_t cap);

/* KWP2000 statusOfDTC (ISO 14230-3; sources in dtc.c): bit 7 warning lamp,
 * bits 6-5 storage state, bit 4 readiness (1 = test not complete), bits 3-0
 * fault symptom. */
enum kwp_dtc_status_bit {
	KWP_DTC_WARNING_LAMP = 0x80,
	KWP_DTC_STORAGE_MASK = 0x60,
	KWP_DTC_NOT_READY = 0x10,
	KWP_DTC_SYMPTOM_MASK = 0x0F,
};
/* Storage state, bits 6-5 shifted down. */
enum kwp_dtc_storage {
	KWP_DTC_NOT_DETECTED = 0,     /* noDTCDetected at the time of the request */
	KWP_DTC_STORED_NOT_PRESENT = 1,
	KWP_DTC_MATURING = 2,         /* maturing / intermittent */
	KWP_DTC_PRESENT = 3,
};
const char *kwp_dtc_storage_state_name(uint8_t status);
int kwp_dtc_status_str(uint8_t status, char *buf, size_t cap);

/* What a DTC's status byte says about the fault, in the three states a fault
 * store keeps (active: failing now; stored: failed before, kept in the
 * ECU's memory; pending: failed, not yet confirmed), plus "none" for a
 * record whose bits report no fault (a UDS DTC only listed as untested, a
 * KWP storage state of noDTCDetected): not a fault to raise. */
enum dtc_state {
	DTC_STATE_NONE = 0,
	DTC_STATE_ACTIVE,
	DTC_STATE_STORED,
	DTC_STATE_PENDING,
};

/* ISO 14229-1 annex D.2 status bits: testFailed (bit 0) -> active, else
 * confirmedDTC (bit 3) or warningIndicatorRequested (bit 7) -> stored, else
 * pendingDTC (bit 2) or testFailedThisOperationCycle (bit 1) -> pending,
 * else none (bits 4-6 alone: untested, or failed since the clear and aged
 * out). */
enum dtc_state uds_dtc_state(uint8_t status);
/* KWP2000 statusOfDTC storage state (bits 6-5): 11 presentAtRequest ->
 * active, 01 storedNotPresent -> stored, 10 maturing/intermittent ->
 * pending, 00 noDTCDetected -> none. The warning lamp (bit 7), readiness
 * (bit 4) and symptom (bits 3-0) do not change it. */
enum dtc_state kwp_dtc_state(uint8_t status);
/* "none", "active", "stored", "pending"; NULL for other values. */
const char *dtc_state_name(enum dtc_state s);

#endif
