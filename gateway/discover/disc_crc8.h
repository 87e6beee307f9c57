// SPDX-License-Identifier: MIT
/* The 8-bit checksums ECUs put in their frames: byte sums, XOR, and CRC-8
 * (bitwise from the polynomial's definition, MSB first, or reflected).
 *
 * Known parameter sets (reveng's CRC catalogue, "check" = the CRC of the
 * ASCII bytes "123456789"): CRC-8/SAE-J1850 poly 0x1D init 0xFF xorout 0xFF
 * check 0x4B; CRC-8/AUTOSAR 0x2F, 0xFF, 0xFF, 0xDF; CRC-8/SMBUS 0x07, 0, 0,
 * 0xF4; CRC-8/I-CODE 0x1D, 0xFD, 0, 0x7E; CRC-8/GSM-A 0x1D, 0, 0, 0x37;
 * CRC-8/MAXIM-DOW 0x31 reflected, 0, 0, 0xA1. */
#ifndef EVGW_DISCOVER_DISC_CRC8_H
#define EVGW_DISCOVER_DISC_CRC8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CRC-8 with polynomial `poly` (x^8 implied), register starting at `init`,
 * final XOR `xorout`; `reflected`: bytes and result bit-reversed (refin =
 * refout = true), computed with the reversed polynomial. */
uint8_t disc_crc8(uint8_t poly, bool reflected, uint8_t init, uint8_t xorout, const uint8_t *data, size_t len);

/* The named parameter set for (poly, reflected, init, xorout), or NULL. */
const char *disc_crc8_name(uint8_t poly, bool reflected, uint8_t init, uint8_t xorout);

/* The polynomials discovery tries, in order of preference. */
struct disc_crc8_poly {
	uint8_t poly;
	bool reflected;
};
extern const struct disc_crc8_poly disc_crc8_polys[];
extern const unsigned disc_crc8_n_polys;

#endif
