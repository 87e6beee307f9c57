// SPDX-License-Identifier: MIT
/* GB/T 27930 payloads and stop reasons. Two kinds of expected values:
 * wogee/Rose bms.c's worked frames (its header comment; the frames are
 * quoted, the values worked out here by hand, where Rose's own arithmetic
 * slips that is said), and frames written by hand from the layouts in
 * gateway/charging/gbt27930.h with the arithmetic beside them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "charging/gbt27930.h"
#include "charging/gbt27930_text.h"

#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static void rose_bcl(void **state)
{
	struct gbt_decoded g;
	/* Rose: "0x181056f4 98 0d 10 0e 01": 0x0D98 = 3480 -> 348.0 V; 0x0E10 =
	 * 3600 -> 3600 x 0.1 - 400 = -40 A in the standard's convention, a 40 A
	 * charge: 4000 - 3600 = 400 (0.1 A); mode 1 constant voltage. */
	assert_int_equal(gbt_decode(0x1000, B(0x98, 0x0d, 0x10, 0x0e, 0x01, 0, 0, 0), &g), 0);
	assert_int_equal(g.msg, GBT_BCL);
	assert_int_equal(g.u.bcl.demand_dv, 3480);
	assert_int_equal(g.u.bcl.demand_current_raw, 3600);
	assert_int_equal(gbt_charge_da(g.u.bcl.demand_current_raw), 400);
	assert_int_equal(g.u.bcl.mode, 1);
}

static void rose_bcs_bcp_brm(void **state)
{
	struct gbt_decoded g;
	/* Rose's BCS, two TP.DT packets "01 77 0e 96 0f 7e c1 42", "02 58 02 ff..":
	 * 0x0E77 = 3703 -> 370.3 V; 0x0F96 = 3990 -> 4000 - 3990 = 10 = 1.0 A
	 * charging (Rose writes "0.1A": 3990 x 0.1 - 400 = -1.0); 0xC17E: bits
	 * 0-11 0x17E = 382 -> 3.82 V, bits 12-15 0xC = 12 (Rose says 7); SOC 0x42
	 * = 66 %; 0x0258 = 600 min. */
	assert_int_equal(gbt_decode(0x1100, B(0x77, 0x0e, 0x96, 0x0f, 0x7e, 0xc1, 0x42, 0x58, 0x02), &g), 0);
	assert_int_equal(g.u.bcs.measured_dv, 3703);
	assert_int_equal(gbt_charge_da(g.u.bcs.measured_current_raw), 10);
	assert_int_equal(g.u.bcs.max_cell_cv, 382);
	assert_int_equal(g.u.bcs.max_cell_group, 12);
	assert_int_equal(g.u.bcs.soc, 66);
	assert_int_equal(g.u.bcs.remaining_min, 600);
	/* Rose's BCP "93 01 1c 0c df 00 34 0d 62 e8 03 b8 0d": 0x0193 = 403 ->
	 * 4.03 V; 0x0C1C = 3100 -> 90.0 A; 0x00DF = 223 -> 22.3 kWh; 0x0D34 =
	 * 3380 -> 338.0 V; 0x62 = 98 -> 48 C with GB/T's -50 (Rose writes -40);
	 * 0x03E8 = 1000 -> 100.0 %; 0x0DB8 = 3512 -> 351.2 V. */
	assert_int_equal(gbt_decode(0x0600, B(0x93, 0x01, 0x1c, 0x0c, 0xdf, 0x00, 0x34, 0x0d, 0x62, 0xe8, 0x03,
					      0xb8, 0x0d), &g), 0);
	assert_int_equal(g.u.bcp.max_cell_cv, 403);
	assert_int_equal(gbt_charge_da(g.u.bcp.max_current_raw), 900);
	assert_int_equal(g.u.bcp.energy_dkwh, 223);
	assert_int_equal(g.u.bcp.max_dv, 3380);
	assert_int_equal(g.u.bcp.max_temp_raw - 50, 48);
	assert_int_equal(g.u.bcp.soc_pm, 1000);
	assert_int_equal(g.u.bcp.pack_dv, 3512);
	/* Rose's BRM start "01 01 00 06 bc 02 fa 0b": V1.1 (minor 1, major 1),
	 * type 6, 0x02BC = 700 -> 70.0 Ah, 0x0BFA = 3066 -> 306.6 V (Rose
	 * writes 3058). 8 bytes: the 2011 short form, no maker or VIN. */
	assert_int_equal(gbt_decode(0x0200, B(0x01, 0x01, 0x00, 0x06, 0xbc, 0x02, 0xfa, 0x0b), &g), 0);
	assert_int_equal(g.u.brm.version.major, 1);
	assert_int_equal(g.u.brm.version.minor, 1);
	assert_int_equal(g.u.brm.battery_type, 6);
	assert_int_equal(g.u.brm.rated_dah, 700);
	assert_int_equal(g.u.brm.rated_dv, 3066);
	assert_false(g.u.brm.has_ext);
	/* Rose's CML "4c 1d d0 07 d0 07": 0x1D4C = 7500 -> 750.0 V (Rose: 749.1),
	 * 200.0 V, 0x07D0 = 2000 -> 200.0 A; 6 bytes: no minimum current. */
	assert_int_equal(gbt_decode(0x0800, B(0x4c, 0x1d, 0xd0, 0x07, 0xd0, 0x07), &g), 0);
	assert_int_equal(g.u.cml.max_dv, 7500);
	assert_int_equal(g.u.cml.min_dv, 2000);
	assert_int_equal(gbt_charge_da(g.u.cml.max_current_raw), 2000);
	assert_false(g.u.cml.has_min_current);
	/* Rose's BSM "4e 4e 91 4d 83 04 10": cell 0x4E + 1 = 79; 0x4E - 50 = 28 C;
	 * probe 0x91 + 1 = 146; 0x4D - 50 = 27 C; probe 0x83 + 1 = 132; byte 5
	 * 0x04 = SOC state 01 (too high); byte 6 0x10 = charging allowed. */
	assert_int_equal(gbt_decode(0x1300, B(0x4e, 0x4e, 0x91, 0x4d, 0x83, 0x04, 0x10), &g), 0);
	assert_int_equal(g.u.bsm.max_cell_number, 79);
	assert_int_equal(g.u.bsm.max_temp_raw - 50, 28);
	assert_int_equal(g.u.bsm.max_temp_probe, 146);
	assert_int_equal(g.u.bsm.min_temp_raw - 50, 27);
	assert_int_equal(g.u.bsm.min_temp_probe, 132);
	assert_int_equal((g.u.bsm.status >> 2) & 3, 1);
	assert_int_equal((g.u.bsm.charge >> 4) & 3, 1);
}

static void long_brm_and_versions(void **state)
{
	struct gbt_decoded g;
	/* 49 bytes (tests/golden/gbt27930_session_normal.log has the arithmetic):
	 * V1.1, LFP, 400.0 Ah, 614.4 V, "EVGW", pack 7, 2024-03-15, 1234
	 * charges, owned, VIN LZYTBGBW5R1001237, BMS version FF x 8. */
	assert_int_equal(gbt_decode(0x0200, B(0x01, 0x01, 0x00, 0x03, 0xA0, 0x0F, 0x00, 0x18, 0x45, 0x56, 0x47,
					      0x57, 0x07, 0x00, 0x00, 0x00, 0x27, 0x03, 0x0F, 0xD2, 0x04, 0x00,
					      0x01, 0xFF, 0x4C, 0x5A, 0x59, 0x54, 0x42, 0x47, 0x42, 0x57, 0x35,
					      0x52, 0x31, 0x30, 0x30, 0x31, 0x32, 0x33, 0x37, 0xFF, 0xFF, 0xFF,
					      0xFF, 0xFF, 0xFF, 0xFF, 0xFF), &g), 0);
	assert_true(g.u.brm.has_ext);
	assert_true(g.u.brm.has_bms_version);
	assert_int_equal(g.u.brm.rated_dah, 4000);
	assert_int_equal(g.u.brm.rated_dv, 6144);
	assert_string_equal(g.u.brm.maker, "EVGW");
	assert_int_equal(g.u.brm.pack_number, 7);
	assert_int_equal(g.u.brm.year, 2024);
	assert_int_equal(g.u.brm.month, 3);
	assert_int_equal(g.u.brm.day, 15);
	assert_int_equal(g.u.brm.charge_count, 1234);
	assert_int_equal(g.u.brm.ownership, 1);
	assert_string_equal(g.u.brm.vin, "LZYTBGBW5R1001237");
	/* A maker field with a control character is no text. */
	uint8_t d[41];
	memset(d, 0xFF, sizeof d);
	d[8] = 'A';
	d[9] = 0x07;
	assert_int_equal(gbt_decode(0x0200, d, sizeof d, &g), 0);
	assert_string_equal(g.u.brm.maker, "");
	assert_int_equal(g.u.brm.year, 0); /* FF: not available */
	/* CHM "01 01 00" is V1.1 (SoldierKing's CHM_Send for 0x00010100). */
	assert_int_equal(gbt_decode(0x2600, B(0x01, 0x01, 0x00), &g), 0);
	assert_int_equal(g.u.chm.version.major, 1);
	assert_int_equal(g.u.chm.version.minor, 1);
}

static void cells_and_probes(void **state)
{
	struct gbt_decoded g;
	/* BMV: 3.40 V group 1 = 0x1000 | 340 (0x154) = 0x1154 -> 54 11; 3.42 V ->
	 * 56 11; 3.38 V -> 52 11. Lowest cell 3, highest cell 2. */
	assert_int_equal(gbt_decode(0x1500, B(0x54, 0x11, 0x56, 0x11, 0x52, 0x11), &g), 0);
	assert_int_equal(g.u.bmv.cells, 3);
	assert_int_equal(g.u.bmv.min_cv, 338);
	assert_int_equal(g.u.bmv.min_cell, 3);
	assert_int_equal(g.u.bmv.max_cv, 342);
	assert_int_equal(g.u.bmv.max_cell, 2);
	assert_int_equal(gbt_decode(0x1500, B(0x54, 0x11, 0x56), &g), -EBADMSG); /* half a cell */
	/* BMT: 29 31 27 C -> 4F 51 4D: lowest probe 3, highest probe 2. */
	assert_int_equal(gbt_decode(0x1600, B(0x4F, 0x51, 0x4D), &g), 0);
	assert_int_equal(g.u.bmt.probes, 3);
	assert_int_equal(g.u.bmt.min_raw - 50, 27);
	assert_int_equal(g.u.bmt.min_probe, 3);
	assert_int_equal(g.u.bmt.max_raw - 50, 31);
	assert_int_equal(g.u.bmt.max_probe, 2);
	uint8_t big[2 * GBT_MAX_CELLS + 2];
	memset(big, 0x11, sizeof big);
	assert_int_equal(gbt_decode(0x1500, big, sizeof big, &g), -EBADMSG);
	assert_int_equal(gbt_decode(0x1500, big, sizeof big - 2, &g), 0);
	assert_int_equal(gbt_decode(0x1600, big, GBT_MAX_PROBES + 1, &g), -EBADMSG);
	assert_int_equal(gbt_decode(0x1700, big, 17, &g), -EBADMSG);
}

static void short_and_unknown(void **state)
{
	struct gbt_decoded g;
	assert_int_equal(gbt_decode(0x1000, B(0x98, 0x0d, 0x10, 0x0e), &g), -EBADMSG); /* BCL is 5 */
	assert_int_equal(gbt_decode(0x1100, B(1, 2, 3, 4, 5, 6, 7, 8), &g), -EBADMSG);   /* BCS is 9 */
	assert_int_equal(gbt_decode(0x0600, B(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), &g), -EBADMSG);
	assert_int_equal(gbt_decode(0x0200, B(1, 2, 3, 4, 5, 6, 7), &g), -EBADMSG);
	assert_int_equal(gbt_decode(0xFECA, B(0, 0, 0, 0, 0, 0, 0, 0), &g), -ENOENT); /* DM1 */
	assert_int_equal(gbt_decode(0x1300, NULL, 0, &g), -EBADMSG);
	/* Every message's PGN is found back. */
	for (int m = 0; m < GBT_MSG_COUNT; m++)
		assert_int_equal(gbt_msg_of_pgn(gbt_msg_info((enum gbt_msg)m)->pgn), m);
	assert_int_equal(gbt_msg_of_pgn(0x1400), -1); /* between BSM and BMV */
}

static void stop_reasons(void **state)
{
	char text[200];
	const struct gbt_reason *r[8];
	/* BST 00 01 00 00: bits 8-9 = 01, the insulation fault. */
	assert_int_equal(gbt_fault_bits(GBT_BST, 0x00000100u), 0x00000100u);
	assert_int_equal(gbt_reasons(GBT_BST, 0x00000100u, r, 8), 1);
	assert_string_equal(r[0]->words, "insulation fault");
	assert_true(r[0]->fault);
	/* BST 01 00 00 00: SOC target reached, no fault. */
	assert_int_equal(gbt_fault_bits(GBT_BST, 0x00000001u), 0);
	gbt_reasons_text(GBT_BST, 0x00000001u, false, text, sizeof text);
	assert_string_equal(text, "SOC target reached");
	/* 10 untrustworthy and 11 not available are no reason: BST FF FF FF FF. */
	assert_int_equal(gbt_reasons(GBT_BST, 0xFFFFFFFFu, r, 8), 0);
	/* CST 40 00 F0 F0 (the BMS stopped; SoldierKing's reserved bits set). */
	assert_int_equal(gbt_fault_bits(GBT_CST, 0xF0F00040u), 0);
	gbt_reasons_text(GBT_CST, 0xF0F00040u, false, text, sizeof text);
	assert_string_equal(text, "the BMS stopped");
	/* CST 10 00 01 00: stopped on a fault (bits 4-5), emergency stop (16-17). */
	assert_int_equal(gbt_fault_bits(GBT_CST, 0x00010010u), 0x00010010u);
	gbt_reasons_text(GBT_CST, 0x00010010u, true, text, sizeof text);
	assert_string_equal(text, "stopped on a fault, emergency stop");
	/* CEM FC F0 C1 FC (SoldierKing's CEM_Send sets the reserved bits 2-7,
	 * 12-15, 22-23, 26-31) with BCS at bits 16-17 = 01: bytes LE ->
	 * 0xFCC1F0FC; every other field reads 00. */
	assert_int_equal(gbt_fault_bits(GBT_CEM, 0xFCC1F0FCu), 0x00010000u);
	gbt_reasons_text(GBT_CEM, 0xFCC1F0FCu, true, text, sizeof text);
	assert_string_equal(text, "timeout waiting for BCS (battery charging state)");
	/* BEM 00 04 00 00: CRO timeout, bits 10-11. */
	gbt_reasons_text(GBT_BEM, 0x00000400u, true, text, sizeof text);
	assert_string_equal(text, "timeout waiting for CRO (charger ready)");
	assert_string_equal(gbt_reason_side(GBT_BEM), "BMS");
	assert_string_equal(gbt_reason_side(GBT_CEM), "charger");
	/* Russian, and the fault descriptions. */
	gbt_reasons_text_lang(GBT_BST, 0x00000100u, true, "ru", text, sizeof text);
	assert_string_equal(text, "неисправность изоляции");
	gbt_fault_text(GBT_BST, 0x00010000u, "en", text, sizeof text);
	assert_string_equal(text, "BMS stopped the charge: battery pack over-temperature");
	gbt_fault_text(GBT_CEM, 0x00010000u, "ru", text, sizeof text);
	assert_string_equal(text, "Ошибка заряда зарядной станции: тайм-аут ожидания BCS (состояние заряда батареи)");
	gbt_fault_text(GBT_CST, 0x00010010u, "de", text, sizeof text); /* unknown: English */
	assert_string_equal(text, "Charger stopped the charge: stopped on a fault, emergency stop");
	assert_int_equal(gbt_fault_text(GBT_BSD, 0, "en", text, sizeof text), 0);
	/* "BMS остановила заряд: " is 3 + 1 + 10 x 2 + 1 + 5 x 2 + 1 + 1 = 37
	 * bytes (a Cyrillic letter takes 2): with 42 bytes of room "не" fits
	 * (41 and the NUL); with 41 only "н", never half of "е"; with 39 none. */
	assert_int_equal(gbt_fault_text(GBT_BST, 0x00000100u, "ru", text, 42), 41);
	assert_string_equal(text, "BMS остановила заряд: не");
	assert_int_equal(gbt_fault_text(GBT_BST, 0x00000100u, "ru", text, 41), 39);
	assert_string_equal(text, "BMS остановила заряд: н");
	assert_int_equal(gbt_fault_text(GBT_BST, 0x00000100u, "ru", text, 39), 37);
	assert_string_equal(text, "BMS остановила заряд: ");
	/* Cut, never overrun. */
	assert_int_equal(gbt_reasons_text(GBT_CST, 0x00010010u, true, text, 10), 9);
	assert_int_equal(strlen(text), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rose_bcl),
		cmocka_unit_test(rose_bcs_bcp_brm),
		cmocka_unit_test(long_brm_and_versions),
		cmocka_unit_test(cells_and_probes),
		cmocka_unit_test(short_and_unknown),
		cmocka_unit_test(stop_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
