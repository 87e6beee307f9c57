// SPDX-License-Identifier: MIT
#include "discover/disc_crc8.h"

const struct disc_crc8_poly disc_crc8_polys[] = {
	{0x1D, false}, /* SAE J1850, and the AUTOSAR/E2E profile 1 and 2 CRC */
	{0x2F, false}, /* AUTOSAR 8H2F (E2E profile 2 variants) */
	{0x07, false}, /* SMBUS / ITU */
	{0x31, true},  /* MAXIM-DOW (Dallas 1-Wire) */
	{0x31, false}, /* NRSC-5 family */
	{0x9B, false}, /* CDMA2000, WCDMA (reflected) families */
	{0xD5, false}, /* DVB-S2 */
};
const unsigned disc_crc8_n_polys = sizeof disc_crc8_polys / sizeof disc_crc8_polys[0];

static uint8_t reverse8(uint8_t v)
{
	v = (uint8_t)((v & 0xF0) >> 4 | (v & 0x0F) << 4);
	v = (uint8_t)((v & 0xCC) >> 2 | (v & 0x33) << 2);
	return (uint8_t)((v & 0xAA) >> 1 | (v & 0x55) << 1);
}

uint8_t disc_crc8(uint8_t poly, bool reflected, uint8_t init, uint8_t xorout, const uint8_t *data, size_t len)
{
	uint8_t crc = init;
	if (!reflected) {
		for (size_t i = 0; i < len; i++) {
			crc ^= data[i];
			for (int k = 0; k < 8; k++)
				crc = (uint8_t)((crc & 0x80) ? (crc << 1) ^ poly : crc << 1);
		}
		return (uint8_t)(crc ^ xorout);
	}
	/* Reflected: shift right with the bit-reversed polynomial; init is
	 * given as the catalogue gives it (unreflected), reversed here. */
	uint8_t rpoly = reverse8(poly);
	crc = reverse8(init);
	for (size_t i = 0; i < len; i++) {
		crc ^= data[i];
		for (int k = 0; k < 8; k++)
			crc = (uint8_t)((crc & 1) ? (crc >> 1) ^ rpoly : crc >> 1);
	}
	return (uint8_t)(crc ^ xorout);
}

static const struct {
	uint8_t poly, init, xorout;
	bool reflected;
	const char *name;
} named[] = {
	{0x1D, 0xFF, 0xFF, false, "CRC-8/SAE-J1850"},
	{0x1D, 0xFD, 0x00, false, "CRC-8/I-CODE"},
	{0x1D, 0x00, 0x00, false, "CRC-8/GSM-A"},
	{0x1D, 0xC7, 0x00, false, "CRC-8/MIFARE-MAD"},
	{0x1D, 0xFF, 0x00, false, "CRC-8/HITAG"},
	{0x2F, 0xFF, 0xFF, false, "CRC-8/AUTOSAR"},
	{0x2F, 0x00, 0x00, false, "CRC-8/OPENSAFETY"},
	{0x07, 0x00, 0x00, false, "CRC-8/SMBUS"},
	{0x07, 0x00, 0x55, false, "CRC-8/I-432-1"},
	{0x31, 0x00, 0x00, true, "CRC-8/MAXIM-DOW"},
	{0x31, 0xFF, 0x00, false, "CRC-8/NRSC-5"},
	{0x9B, 0xFF, 0x00, false, "CRC-8/CDMA2000"},
	{0xD5, 0x00, 0x00, false, "CRC-8/DVB-S2"},
};

const char *disc_crc8_name(uint8_t poly, bool reflected, uint8_t init, uint8_t xorout)
{
	for (unsigned i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].poly == poly && named[i].reflected == reflected && named[i].init == init &&
		    named[i].xorout == xorout)
			return named[i].name;
	return NULL;
}
