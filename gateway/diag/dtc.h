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

/* KWP2000 statusOfDTC (ISO 14230-3; layout [I], see dtc.c): bit 7 warning
 * lamp, bits 6-5 storage state, bit 4 test not complete, bits 3-0 symptom. */
const char *kwp_dtc_storage_state_name(uint8_t status);
int kwp_dtc_status_str(uint8_t status, char *buf, size_t cap);

#endif
