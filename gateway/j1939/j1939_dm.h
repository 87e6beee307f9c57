// SPDX-License-Identifier: MIT
/* SAE J1939-73 diagnostic messages: DM1 (active DTCs, PGN 65226 0xFECA) and
 * DM2 (previously active, 65227 0xFECB) payloads, the requests that read
 * DM2 and clear DTCs (DM3 65228, DM11 65235), and the Acknowledgment
 * (J1939-21, PGN 59392 0xE800) that answers them.
 *
 * DM1/DM2 payload (J1939-73 DM1; reference doc 3a), byte numbers from 0:
 *   0      lamp status: bits 7-6 MIL, 5-4 red stop, 3-2 amber warning,
 *          1-0 protect; 00 off, 01 on, 10 reserved, 11 not available
 *   1      lamp flash, same bit pairs: 00 slow (1 Hz), 01 fast (2 Hz),
 *          10 "class C DTC" for the MIL in later editions (else reserved),
 *          11 unavailable / do not flash
 *   2..    4 bytes per DTC (layouts below).
 * One DTC fits a single frame (bytes 6-7 0xFF); more go through TP, with
 * length 2 + 4n. "No fault" is one DTC of SPN 0, FMI 0, OC 0 (some ECUs send
 * OC 0x7F, or 0xFF in all four bytes): it parses as zero DTCs. */
#ifndef EVGW_J1939_J1939_DM_H
#define EVGW_J1939_J1939_DM_H

#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

#define J1939_PGN_DM1 0x0FECAu   /* 65226 active DTCs */
#define J1939_PGN_DM2 0x0FECBu   /* 65227 previously active DTCs */
#define J1939_PGN_DM3 0x0FECCu   /* 65228 clear previously active DTCs */
#define J1939_PGN_DM11 0x0FED3u  /* 65235 clear active DTCs */

/* (1785 - 2) / 4: every DTC a TP message can hold. */
#define J1939_DM_MAX_DTC 445u

enum j1939_lamp {
	J1939_LAMP_OFF = 0,
	J1939_LAMP_ON = 1,
	J1939_LAMP_RESERVED = 2,
	J1939_LAMP_NA = 3,
};

enum j1939_flash {
	J1939_FLASH_SLOW = 0,
	J1939_FLASH_FAST = 1,
	J1939_FLASH_CLASS_C = 2,   /* MIL only, later editions; reserved otherwise */
	J1939_FLASH_NONE = 3,      /* unavailable / do not flash */
};

struct j1939_dm_lamps {
	uint8_t mil, red_stop, amber, protect;                 /* enum j1939_lamp */
	uint8_t mil_flash, red_stop_flash, amber_flash, protect_flash; /* enum j1939_flash */
};

/* SPN conversion methods. CM = 0 always means version 4. When CM = 1 the
 * sender used one of the older layouts, and which one is not in the frame:
 * the caller says per source address (j1939_dm_cm_table), default v4.
 * Layouts of DTC bytes b0..b3 (b3 = CM << 7 | OC in every version), from the
 * Dynagen GSC400 manual, appendix F, via the reference doc 3a:
 *   v4, v3  b0 = SPN 7..0, b1 = SPN 15..8, b2 7-5 = SPN 18..16, b2 4-0 = FMI
 *   v2      b0 = SPN 10..3, b1 = SPN 18..11 (the 16 high bits, LSB first),
 *           b2 7-5 = SPN 2..0
 *   v1      b0 = SPN 18..11, b1 = SPN 10..3 (the 16 high bits, MSB first),
 *           b2 7-5 = SPN 2..0 */
enum j1939_spn_method {
	J1939_SPN_V4 = 0,
	J1939_SPN_V1 = 1,
	J1939_SPN_V2 = 2,
	J1939_SPN_V3 = 3,
};

/* Method used for DTCs with CM = 1, by source address; zeroed = v4. */
struct j1939_dm_cm_table {
	uint8_t method[256];   /* enum j1939_spn_method */
};

struct j1939_dtc {
	uint32_t spn;      /* 19 bits */
	uint8_t fmi;       /* 5 bits */
	uint8_t oc;        /* 7 bits; 0x7F = not available */
	uint8_t cm;        /* the CM bit as sent */
	uint8_t method;    /* enum j1939_spn_method used to decode spn */
};

struct j1939_dm_msg {
	struct j1939_dm_lamps lamps;
	uint16_t count;
	struct j1939_dtc dtc[J1939_DM_MAX_DTC];
};

/* Decode one 4-byte DTC with the given method. */
void j1939_dtc_decode(const uint8_t b[4], uint8_t method, struct j1939_dtc *out);
/* Encode one DTC in the version 4 layout, with its cm bit. -EINVAL when
 * spn, fmi, oc or cm do not fit. */
int j1939_dtc_encode(const struct j1939_dtc *d, uint8_t b[4]);

void j1939_dm_lamps_decode(uint8_t status, uint8_t flash, struct j1939_dm_lamps *out);

/* Parse a DM1 or DM2 payload from sa: a single frame (8 bytes, the last 2
 * anything) or a TP message. cm may be NULL (v4 for everything). Returns the
 * number of DTCs in out->count, or -EBADMSG: shorter than 6 bytes, or
 * longer than 8 with 1..3 trailing bytes that are not 0xFF padding, or over
 * 1785 bytes. DTC slots that read "no fault" or are all 0xFF are skipped. */
int j1939_dm_parse(const uint8_t *data, size_t len, uint8_t sa, const struct j1939_dm_cm_table *cm,
		   struct j1939_dm_msg *out);

/* Encode a DM1/DM2 payload: 0 DTCs -> the 8-byte "no fault" frame (SPN 0,
 * FMI 0, OC 0, then FF FF); 1 DTC -> 8 bytes ending FF FF; n > 1 -> 2 + 4n
 * bytes (send by TP). Returns the length, -ENOSPC when cap is short, or
 * -EINVAL (n over 445, a lamp value over 3, a DTC field too wide). */
int j1939_dm_encode(const struct j1939_dm_lamps *lamps, const struct j1939_dtc *dtc, size_t n,
		    uint8_t *out, size_t cap);

/* Request (PGN 59904) for a diagnostic PGN, e.g. J1939_PGN_DM2 to read
 * previously active DTCs, J1939_PGN_DM11 to clear active ones. da 0xFF asks
 * every ECU. */
void j1939_dm_build_request(struct evgw_frame *f, uint32_t pgn, uint8_t da, uint8_t sa);

/* J1939-21 Acknowledgment (PGN 59392): control byte, group function value,
 * 2 reserved bytes, the address being acknowledged, the PGN (3 bytes). */
enum j1939_ack_control {
	J1939_ACK = 0,
	J1939_NACK = 1,
	J1939_ACK_ACCESS_DENIED = 2,
	J1939_ACK_CANNOT_RESPOND = 3,   /* busy */
};

struct j1939_ack {
	uint8_t control;         /* enum j1939_ack_control */
	uint8_t group_function;  /* 0xFF when not applicable */
	uint8_t address;         /* who made the request being answered */
	uint32_t pgn;            /* the PGN requested */
};

/* 0, or -EBADMSG: fewer than 8 bytes, a control value over 3, a PGN over 18
 * bits. */
int j1939_ack_parse(const uint8_t *data, size_t len, struct j1939_ack *out);

/* An Acknowledgment frame (for simulators and tests): to global, priority 6. */
void j1939_ack_build(struct evgw_frame *f, const struct j1939_ack *a, uint8_t sa);

#endif
