// SPDX-License-Identifier: MIT
/* J1939-73 DM1/DM2 payloads, SPN conversion methods, DM requests and the
 * Acknowledgment. Every byte sequence is worked by hand from the layouts in
 * j1939_dm.h; the reasoning is next to each case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "j1939/j1939_dm.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "test_support.h"

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct j1939_dm_msg));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Lamp byte 47 = 01 00 01 11: MIL on, red stop off, amber on, protect n/a.
 * Flash byte 73 = 01 11 00 11: MIL fast, red stop do-not-flash, amber slow,
 * protect do-not-flash. */
static void test_lamps(void **state)
{
	struct j1939_dm_lamps l;

	(void)state;
	j1939_dm_lamps_decode(0x47, 0x73, &l);
	assert_int_equal(l.mil, J1939_LAMP_ON);
	assert_int_equal(l.red_stop, J1939_LAMP_OFF);
	assert_int_equal(l.amber, J1939_LAMP_ON);
	assert_int_equal(l.protect, J1939_LAMP_NA);
	assert_int_equal(l.mil_flash, J1939_FLASH_FAST);
	assert_int_equal(l.red_stop_flash, J1939_FLASH_NONE);
	assert_int_equal(l.amber_flash, J1939_FLASH_SLOW);
	assert_int_equal(l.protect_flash, J1939_FLASH_NONE);
	/* 10 in the red stop pair (bits 5-4): 0x20 -> reserved; MIL flash 10
	 * (0x80) -> class C. */
	j1939_dm_lamps_decode(0x20, 0x80, &l);
	assert_int_equal(l.red_stop, J1939_LAMP_RESERVED);
	assert_int_equal(l.mil_flash, J1939_FLASH_CLASS_C);
}

/* DM1 with SPN 190 FMI 2 OC 5 CM 0: bytes BE 00 02 05 (190 = 0xBE, the top 3
 * SPN bits 0 so b2 = FMI = 02, b3 = CM 0 | OC 5). As one frame:
 *   47 73 BE 00 02 05 FF FF */
static void test_single_frame(void **state)
{
	struct j1939_dm_msg *m = *state;
	const uint8_t d[8] = {0x47, 0x73, 0xBE, 0x00, 0x02, 0x05, 0xFF, 0xFF};

	assert_int_equal(j1939_dm_parse(d, sizeof d, 0x00, NULL, m), 1);
	assert_int_equal(m->count, 1);
	assert_int_equal(m->lamps.mil, J1939_LAMP_ON);
	assert_int_equal(m->dtc[0].spn, 190);
	assert_int_equal(m->dtc[0].fmi, 2);
	assert_int_equal(m->dtc[0].oc, 5);
	assert_int_equal(m->dtc[0].cm, 0);
	assert_int_equal(m->dtc[0].method, J1939_SPN_V4);
}

/* SPN 19 bits: 520003 = 0x7EF43 -> b0 43, b1 EF, b2 = 7 << 5 | FMI 31 = FF,
 * b3 = CM 0, OC 127 = 7F. SPN 65536 = 0x10000 -> 00 00, b2 = 1 << 5 | FMI 0
 * = 20 (no longer "no fault": SPN is not 0). */
static void test_high_spn_bits(void **state)
{
	struct j1939_dm_msg *m = *state;
	const uint8_t d[10] = {0x00, 0xFF, 0x43, 0xEF, 0xFF, 0x7F, 0x00, 0x00, 0x20, 0x00};

	assert_int_equal(j1939_dm_parse(d, sizeof d, 0x00, NULL, m), 2);
	assert_int_equal(m->dtc[0].spn, 520003);
	assert_int_equal(m->dtc[0].fmi, 31);
	assert_int_equal(m->dtc[0].oc, 127);
	assert_int_equal(m->dtc[1].spn, 65536);
	assert_int_equal(m->dtc[1].fmi, 0);
}

/* "No fault": SPN 0 FMI 0 OC 0 (00 00 00 00), its OC-n/a variant
 * (00 00 00 7F), and an all-FF slot parse as zero DTCs; lamps still read. */
static void test_no_fault_forms(void **state)
{
	struct j1939_dm_msg *m = *state;
	const uint8_t a[8] = {0x00, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF};
	const uint8_t b[8] = {0x04, 0xFF, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF};
	const uint8_t c[8] = {0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	/* A TP DM1 padded with an all-FF slot: one real DTC (SPN 190). */
	const uint8_t d[10] = {0x00, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0xFF, 0xFF, 0xFF, 0xFF};

	assert_int_equal(j1939_dm_parse(a, 8, 0, NULL, m), 0);
	assert_int_equal(j1939_dm_parse(b, 8, 0, NULL, m), 0);
	assert_int_equal(m->lamps.amber, J1939_LAMP_ON);
	assert_int_equal(j1939_dm_parse(c, 8, 0, NULL, m), 0);
	assert_int_equal(j1939_dm_parse(d, 10, 0, NULL, m), 1);
	assert_int_equal(m->dtc[0].spn, 190);
}

/* Lengths: under 6 is too short; a TP length of 2 + 4n + 1..3 needs FF
 * padding in the tail; 8 bytes (single frame) takes any last two bytes;
 * over 1785 is refused; NULL data is refused. */
static void test_malformed_lengths(void **state)
{
	struct j1939_dm_msg *m = *state;
	uint8_t d[1786];

	memset(d, 0, sizeof d);
	d[2] = 0xBE;
	assert_int_equal(j1939_dm_parse(d, 5, 0, NULL, m), -EBADMSG);
	assert_int_equal(j1939_dm_parse(d, 0, 0, NULL, m), -EBADMSG);
	assert_int_equal(j1939_dm_parse(NULL, 8, 0, NULL, m), -EBADMSG);
	assert_int_equal(j1939_dm_parse(d, 6, 0, NULL, m), 1);
	assert_int_equal(j1939_dm_parse(d, 8, 0, NULL, m), 1);   /* tail 00 00 */
	assert_int_equal(j1939_dm_parse(d, 11, 0, NULL, m), -EBADMSG);   /* tail 00 */
	d[10] = 0xFF;
	assert_int_equal(j1939_dm_parse(d, 11, 0, NULL, m), 1);
	assert_int_equal(j1939_dm_parse(d, 1786, 0, NULL, m), -EBADMSG);
	/* 1782 = 2 + 4 * 445: the largest DM a TP message holds. */
	for (size_t i = 2; i < 1782; i += 4)
		d[i] = 0x01;
	assert_int_equal(j1939_dm_parse(d, 1782, 0, NULL, m), 445);
	assert_int_equal(m->dtc[444].spn, 1);
}

/* CM = 1 and the older SPN layouts, SPN 1234 = 0x004D2 with FMI 3, OC 2:
 *   v4/v3: D2 04 03 82   (b0 = SPN 7..0, b1 = 15..8, b2 = 0 << 5 | 3,
 *                         b3 = CM 1 << 7 | OC 2)
 *   v1:    00 9A 43 82   (16 high bits 1234 >> 3 = 154 = 0x009A MSB first,
 *                         b2 = low 3 bits (1234 & 7 = 2) << 5 | 3 = 0x43)
 *   v2:    9A 00 43 82   (the same 16 bits LSB first)
 * Read as v4, 00 9A 43 82 is 0x9A00 | 2 << 16 = 0x29A00 = 170496. */
static void test_conversion_methods(void **state)
{
	struct j1939_dm_msg *m = *state;
	struct j1939_dm_cm_table *cm = calloc(1, sizeof *cm);
	const uint8_t v1[8] = {0x00, 0xFF, 0x00, 0x9A, 0x43, 0x82, 0xFF, 0xFF};
	const uint8_t v2[8] = {0x00, 0xFF, 0x9A, 0x00, 0x43, 0x82, 0xFF, 0xFF};
	const uint8_t v4[8] = {0x00, 0xFF, 0xD2, 0x04, 0x03, 0x82, 0xFF, 0xFF};
	const uint8_t cm0[8] = {0x00, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0xFF, 0xFF};

	assert_non_null(cm);
	cm->method[0x03] = J1939_SPN_V1;
	cm->method[0x04] = J1939_SPN_V2;
	cm->method[0x05] = J1939_SPN_V3;

	assert_int_equal(j1939_dm_parse(v1, 8, 0x03, cm, m), 1);
	assert_int_equal(m->dtc[0].spn, 1234);
	assert_int_equal(m->dtc[0].fmi, 3);
	assert_int_equal(m->dtc[0].oc, 2);
	assert_int_equal(m->dtc[0].cm, 1);
	assert_int_equal(m->dtc[0].method, J1939_SPN_V1);
	assert_int_equal(j1939_dm_parse(v2, 8, 0x04, cm, m), 1);
	assert_int_equal(m->dtc[0].spn, 1234);
	assert_int_equal(m->dtc[0].method, J1939_SPN_V2);
	assert_int_equal(j1939_dm_parse(v4, 8, 0x05, cm, m), 1);
	assert_int_equal(m->dtc[0].spn, 1234);
	assert_int_equal(m->dtc[0].method, J1939_SPN_V3);
	/* Source 0x06 has no entry: v4, as with no table at all. */
	assert_int_equal(j1939_dm_parse(v1, 8, 0x06, cm, m), 1);
	assert_int_equal(m->dtc[0].spn, 170496);
	assert_int_equal(m->dtc[0].method, J1939_SPN_V4);
	assert_int_equal(j1939_dm_parse(v1, 8, 0x03, NULL, m), 1);
	assert_int_equal(m->dtc[0].spn, 170496);
	/* CM = 0 is v4 whatever the table says. */
	assert_int_equal(j1939_dm_parse(cm0, 8, 0x03, cm, m), 1);
	assert_int_equal(m->dtc[0].spn, 190);
	assert_int_equal(m->dtc[0].method, J1939_SPN_V4);
	free(cm);
}

/* v1 with all 19 bits: SPN 520003 -> 16 high bits 65000 = 0xFDE8, low 3 = 3;
 * FD E8 then b2 = 3 << 5 | FMI 31 = 0x7F, b3 = CM 1 | OC 127 = 0xFF. */
static void test_v1_wide(void **state)
{
	struct j1939_dtc d;
	const uint8_t b[4] = {0xFD, 0xE8, 0x7F, 0xFF};

	(void)state;
	j1939_dtc_decode(b, J1939_SPN_V1, &d);
	assert_int_equal(d.spn, 520003);
	assert_int_equal(d.fmi, 31);
	assert_int_equal(d.oc, 127);
	assert_int_equal(d.cm, 1);
	/* v2: the same 16 bits LSB first: E8 FD. */
	const uint8_t b2[4] = {0xE8, 0xFD, 0x7F, 0xFF};
	j1939_dtc_decode(b2, J1939_SPN_V2, &d);
	assert_int_equal(d.spn, 520003);
	/* An unknown method reads as v4. */
	j1939_dtc_decode(b, 9, &d);
	assert_int_equal(d.method, J1939_SPN_V4);
}

/* Encoding: 0 DTCs -> 47 73 00 00 00 00 FF FF; 1 DTC (SPN 190 FMI 2 OC 5)
 * -> 47 73 BE 00 02 05 FF FF; 2 DTCs -> 10 bytes, no padding. */
static void test_encode(void **state)
{
	struct j1939_dm_msg *m = *state;
	const struct j1939_dm_lamps l = {1, 0, 1, 3, 1, 3, 0, 3};
	const struct j1939_dtc dtc[2] = {{190, 2, 5, 0, 0}, {520003, 31, 127, 0, 0}};
	const uint8_t want0[8] = {0x47, 0x73, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF};
	const uint8_t want1[8] = {0x47, 0x73, 0xBE, 0x00, 0x02, 0x05, 0xFF, 0xFF};
	const uint8_t want2[10] = {0x47, 0x73, 0xBE, 0x00, 0x02, 0x05, 0x43, 0xEF, 0xFF, 0x7F};
	uint8_t out[16];

	assert_int_equal(j1939_dm_encode(&l, NULL, 0, out, sizeof out), 8);
	assert_memory_equal(out, want0, 8);
	assert_int_equal(j1939_dm_parse(out, 8, 0, NULL, m), 0);
	assert_int_equal(j1939_dm_encode(&l, dtc, 1, out, sizeof out), 8);
	assert_memory_equal(out, want1, 8);
	assert_int_equal(j1939_dm_encode(&l, dtc, 2, out, sizeof out), 10);
	assert_memory_equal(out, want2, 10);
	assert_int_equal(j1939_dm_encode(&l, dtc, 2, out, 9), -ENOSPC);
	assert_int_equal(j1939_dm_encode(&l, dtc, 446, out, sizeof out), -EINVAL);
	struct j1939_dm_lamps bad = l;
	bad.amber = 4;
	assert_int_equal(j1939_dm_encode(&bad, dtc, 1, out, sizeof out), -EINVAL);
	struct j1939_dtc wide = {1u << 19, 0, 0, 0, 0};
	assert_int_equal(j1939_dm_encode(&l, &wide, 1, out, sizeof out), -EINVAL);
}

/* The biggest message, 445 DTCs, survives encode -> parse. */
static void test_roundtrip_max(void **state)
{
	struct j1939_dm_msg *m = *state;
	struct j1939_dtc *dtc = calloc(J1939_DM_MAX_DTC, sizeof *dtc);
	uint8_t *buf = malloc(J1939_TP_MAX_SIZE);
	const struct j1939_dm_lamps l = {0};

	assert_non_null(dtc);
	assert_non_null(buf);
	for (unsigned i = 0; i < J1939_DM_MAX_DTC; i++)
		dtc[i] = (struct j1939_dtc){1 + i * 1171u % 524287u, (uint8_t)(i % 32), (uint8_t)(i % 128), 0, 0};
	assert_int_equal(j1939_dm_encode(&l, dtc, J1939_DM_MAX_DTC, buf, J1939_TP_MAX_SIZE), 1782);
	assert_int_equal(j1939_dm_parse(buf, 1782, 0, NULL, m), J1939_DM_MAX_DTC);
	for (unsigned i = 0; i < J1939_DM_MAX_DTC; i++) {
		assert_int_equal(m->dtc[i].spn, dtc[i].spn);
		assert_int_equal(m->dtc[i].fmi, dtc[i].fmi);
		assert_int_equal(m->dtc[i].oc, dtc[i].oc);
	}
	free(buf);
	free(dtc);
}

/* Requests (J1939-21 Request, PGN 59904 = 0xEA00, prio 6, 3 bytes LSB first)
 * from our 0xF9:
 *   DM11 (65235 = 0x00FED3) to all:  0x18EAFFF9  D3 FE 00
 *   DM2  (65227 = 0x00FECB) to 0x00: 0x18EA00F9  CB FE 00
 *   DM3  (65228 = 0x00FECC) to 0x17: 0x18EA17F9  CC FE 00 */
static void test_requests(void **state)
{
	struct evgw_frame f;
	const uint8_t dm11[3] = {0xD3, 0xFE, 0x00};
	const uint8_t dm2[3] = {0xCB, 0xFE, 0x00};
	const uint8_t dm3[3] = {0xCC, 0xFE, 0x00};

	(void)state;
	j1939_dm_build_request(&f, J1939_PGN_DM11, 0xFF, 0xF9);
	assert_int_equal(f.id, 0x18EAFFF9);
	assert_int_equal(f.len, 3);
	assert_int_equal(f.dlc, 3);
	assert_int_equal(f.flags, EVGW_FRAME_EXT);
	assert_memory_equal(f.data, dm11, 3);
	assert_int_equal(J1939_PGN_DM11, 65235);
	j1939_dm_build_request(&f, J1939_PGN_DM2, 0x00, 0xF9);
	assert_int_equal(f.id, 0x18EA00F9);
	assert_memory_equal(f.data, dm2, 3);
	assert_int_equal(J1939_PGN_DM2, 65227);
	j1939_dm_build_request(&f, J1939_PGN_DM3, 0x17, 0xF9);
	assert_int_equal(f.id, 0x18EA17F9);
	assert_memory_equal(f.data, dm3, 3);
	assert_int_equal(J1939_PGN_DM3, 65228);
}

/* Acknowledgment (PGN 59392 = 0xE800): control, group function, FF FF,
 * address acknowledged, PGN LSB first.
 *   00 FF FF FF F9 D3 FE 00  -> ACK of DM11 for 0xF9
 *   01 FF FF FF F9 D3 FE 00  -> NACK
 *   02 ... access denied; 03 ... cannot respond; 04 is not a control value */
static void test_ack_parse(void **state)
{
	struct j1939_ack a;
	uint8_t d[8] = {0x00, 0xFF, 0xFF, 0xFF, 0xF9, 0xD3, 0xFE, 0x00};

	(void)state;
	assert_int_equal(j1939_ack_parse(d, 8, &a), 0);
	assert_int_equal(a.control, J1939_ACK);
	assert_int_equal(a.group_function, 0xFF);
	assert_int_equal(a.address, 0xF9);
	assert_int_equal(a.pgn, J1939_PGN_DM11);
	d[0] = 0x01;
	assert_int_equal(j1939_ack_parse(d, 8, &a), 0);
	assert_int_equal(a.control, J1939_NACK);
	d[0] = 0x02;
	assert_int_equal(j1939_ack_parse(d, 8, &a), 0);
	assert_int_equal(a.control, J1939_ACK_ACCESS_DENIED);
	d[0] = 0x03;
	assert_int_equal(j1939_ack_parse(d, 8, &a), 0);
	assert_int_equal(a.control, J1939_ACK_CANNOT_RESPOND);
	d[0] = 0x04;
	assert_int_equal(j1939_ack_parse(d, 8, &a), -EBADMSG);
	d[0] = 0x00;
	assert_int_equal(j1939_ack_parse(d, 7, &a), -EBADMSG);
	assert_int_equal(j1939_ack_parse(NULL, 8, &a), -EBADMSG);
	d[7] = 0x04;   /* PGN over 18 bits */
	assert_int_equal(j1939_ack_parse(d, 8, &a), -EBADMSG);
}

/* An ECU's NACK of DM3 from 0x00: id 0x18E8FF00, 01 FF FF FF F9 CC FE 00. */
static void test_ack_build(void **state)
{
	struct evgw_frame f;
	struct j1939_ack a = {J1939_NACK, 0xFF, 0xF9, J1939_PGN_DM3}, b;
	const uint8_t want[8] = {0x01, 0xFF, 0xFF, 0xFF, 0xF9, 0xCC, 0xFE, 0x00};

	(void)state;
	j1939_ack_build(&f, &a, 0x00);
	assert_int_equal(f.id, 0x18E8FF00);
	assert_memory_equal(f.data, want, 8);
	assert_int_equal(j1939_id_pgn(f.id), J1939_PGN_ACK);
	assert_int_equal(j1939_ack_parse(f.data, f.len, &b), 0);
	assert_int_equal(b.control, a.control);
	assert_int_equal(b.group_function, a.group_function);
	assert_int_equal(b.address, a.address);
	assert_int_equal(b.pgn, a.pgn);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_lamps),
		T(test_single_frame),
		T(test_high_spn_bits),
		T(test_no_fault_forms),
		T(test_malformed_lengths),
		T(test_conversion_methods),
		T(test_v1_wide),
		T(test_encode),
		T(test_roundtrip_max),
		T(test_requests),
		T(test_ack_parse),
		T(test_ack_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
