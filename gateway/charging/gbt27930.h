// SPDX-License-Identifier: MIT
/* GB/T 27930 DC charging messages, between an off-board charger (J1939
 * source address 0x56) and the vehicle's BMS (0xF4), decoded from their
 * payloads: single frames and the multi-packet BRM, BCP, BCS, BMV, BMT and
 * BSP that J1939-21 TP carries (reassembled by j1939/j1939_tp.c).
 *
 * Where each fact comes from (dbc/sources.tsv: SK = sk-gbt-h and sk-gbt-c,
 * RO = rose-gbt, AB = boardab-gbt-h, PP = pride-s278-gbt, as the DBC's
 * EvgwSource cites them; facts only, no code copied; the standard's own
 * text was not read). SK = SoldierKing
 * SmallDCPowerPile_ST ADrv_BmsFrame.h (the PGN table with priority, length
 * and period; the field comments) and ADrv_BmsFrame.c (the decoders and
 * encoders); RO = wogee/Rose bms.c (worked frames of every stage); AB =
 * cchaoss/Board_AB BMS.h (packed structures); PP = yjvjiq/Pride_S278
 * FastChargeCAN.c (the BMS side).
 *
 *   msg  PGN     dir          bytes      layout (byte numbers from 0, little-endian)    sources
 *   CHM  0x2600  charger->BMS 3          version: minor b0, major b1-2 ("V1.1" = 01 01 00) SK, AB
 *   BHM  0x2700  BMS->charger 2          max charging voltage 0.1 V                      SK, PP
 *   CRM  0x0100  charger->BMS 8          b0 00 not recognised / AA recognised, b1-4 charger
 *                                        number, b5-7 region                            SK, AB, RO
 *   BRM  0x0200  BMS->charger 8, 41, 49  b0-2 version, b3 battery type, b4-5 rated capacity
 *                                        0.1 Ah, b6-7 rated voltage 0.1 V; from 41 bytes:
 *                                        b8-11 maker (ASCII), b12-15 pack number, b16 year
 *                                        (+1985), b17 month, b18 day, b19-21 charge count,
 *                                        b22 ownership, b23 reserved, b24-40 VIN; 49 bytes:
 *                                        b41-48 BMS software version                     SK, AB, PP
 *   BCP  0x0600  BMS->charger 13         b0-1 max cell voltage 0.01 V, b2-3 max charging
 *                                        current (*), b4-5 rated energy 0.1 kWh, b6-7 max
 *                                        charging voltage 0.1 V, b8 max temperature -50 C,
 *                                        b9-10 SOC 0.1 %, b11-12 pack voltage 0.1 V      SK, AB, RO, PP
 *   CTS  0x0700  charger->BMS 7          time sync (BCD), not decoded                   SK, RO
 *   CML  0x0800  charger->BMS 6 or 8     b0-1 max voltage, b2-3 min voltage 0.1 V, b4-5
 *                                        max current (*), b6-7 min current (*, 2015 only) SK, RO
 *   BRO  0x0900  BMS->charger 1          00 not ready, AA ready                          SK, RO, PP
 *   CRO  0x0A00  charger->BMS 1          00 not ready, AA ready                          SK, AB
 *   BCL  0x1000  BMS->charger 5          b0-1 voltage demand 0.1 V, b2-3 current demand
 *                                        (*), b4 mode 1 constant voltage, 2 constant current SK, RO, PP
 *   BCS  0x1100  BMS->charger 9          b0-1 measured voltage 0.1 V, b2-3 measured current
 *                                        (*), b4-5 highest cell voltage 0.01 V (bits 0-11)
 *                                        and its group (bits 12-15), b6 SOC 1 %, b7-8
 *                                        remaining time min                              SK, RO, PP
 *   CCS  0x1200  charger->BMS 6 or 8     b0-1 output voltage 0.1 V, b2-3 output current
 *                                        (*), b4-5 charging time min, b6 bits 0-1 charging
 *                                        permitted (2015 only)                          SK, RO, AB
 *   BSM  0x1300  BMS->charger 7          b0 highest cell number (+1), b1 max temperature
 *                                        -50 C, b2 its probe (+1), b3 min temperature, b4
 *                                        its probe (+1), b5-6 2-bit states              SK, RO, PP
 *   BMV  0x1500  BMS->charger 2 per cell cell voltage 0.01 V (bits 0-11), group (12-15)  SK
 *   BMT  0x1600  BMS->charger 1 per probe temperature -50 C                            SK
 *   BSP  0x1700  BMS->charger up to 16   reserved, not decoded                          SK
 *   BST  0x1900  BMS->charger 4          2-bit fields: reasons b0, faults b1-2, errors b3 SK, RO, PP
 *   CST  0x1A00  charger->BMS 4          2-bit fields: reasons b0, faults b1-2, errors b3 SK, RO, AB
 *   BSD  0x1C00  BMS->charger 7          b0 SOC %, b1-2 min cell V, b3-4 max cell V 0.01 V,
 *                                        b5 min temperature, b6 max temperature -50 C    SK, RO, PP
 *   CSD  0x1D00  charger->BMS 5 or 8     b0-1 charging time min, b2-3 energy 0.1 kWh, b4-7
 *                                        charger number                                 SK, AB, RO
 *   BEM  0x1E00  BMS->charger 4          2-bit timeouts: CRM 00 at bit 0, CRM AA 2, CTS/CML
 *                                        8, CRO 10, CCS 16, CST 18, CSD 24              SK, RO, PP
 *   CEM  0x1F00  charger->BMS 4          2-bit timeouts: BRM 0, BCP 8, BRO 10, BCS 16, BCL
 *                                        18, BST 20, BSD 24                             SK, RO, AB
 *
 * (*) Currents: raw x 0.1 A with an offset of -400 A, so the standard's
 * value is negative while charging (the chargers send 4000 - I x 10, RO's
 * worked BCL "10 0e" = 3600 is a 40 A demand). Here a current is the
 * charging current a person expects, in 0.1 A, positive while charging:
 * gbt_charge_da(raw) = 4000 - raw. A 2-bit field reads 00 no / normal, 01
 * yes / fault, 10 untrustworthy, 11 not available (SK's comments).
 *
 * Library code: no logging, no allocation; a short payload is -EBADMSG. */
#ifndef EVGW_CHARGING_GBT27930_H
#define EVGW_CHARGING_GBT27930_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GBT_SA_CHARGER 0x56u
#define GBT_SA_BMS 0xF4u
#define GBT_MAX_CELLS 256u
#define GBT_MAX_PROBES 128u
/* A raw 16-bit field of all ones: "not available". */
#define GBT_NA16 0xFFFFu
#define GBT_NA8 0xFFu

enum gbt_msg {
	GBT_CHM, GBT_BHM, GBT_CRM, GBT_BRM, GBT_BCP, GBT_CTS, GBT_CML, GBT_BRO, GBT_CRO,
	GBT_BCL, GBT_BCS, GBT_CCS, GBT_BSM, GBT_BMV, GBT_BMT, GBT_BSP,
	GBT_BST, GBT_CST, GBT_BSD, GBT_CSD, GBT_BEM, GBT_CEM,
	GBT_MSG_COUNT
};

/* The stages of a charge, in order. */
enum gbt_stage {
	GBT_STAGE_HANDSHAKE,
	GBT_STAGE_RECOGNITION,
	GBT_STAGE_PARAMETERS,
	GBT_STAGE_CHARGING,
	GBT_STAGE_END,
	GBT_STAGE_COUNT
};

struct gbt_msg_info {
	const char *name;     /* "BCL" */
	uint32_t pgn;
	bool from_bms;        /* else from the charger */
	uint8_t min_len;      /* shorter is malformed */
	uint8_t stage;        /* enum gbt_stage the message belongs to */
	const char *what;     /* "battery charging demand" */
};

const struct gbt_msg_info *gbt_msg_info(enum gbt_msg m);
/* The message of a PGN, or -1 when it is none of GB/T 27930's. */
int gbt_msg_of_pgn(uint32_t pgn);
/* "handshake", "recognition", "parameters", "charging", "end". */
const char *gbt_stage_name(enum gbt_stage s);

/* Charging current in 0.1 A, positive while charging, from a raw current
 * field (0.1 A, -400 A offset). */
static inline int32_t gbt_charge_da(uint16_t raw)
{
	return 4000 - (int32_t)raw;
}

struct gbt_version {
	uint16_t major;
	uint8_t minor;
};

struct gbt_chm { struct gbt_version version; };
struct gbt_bhm { uint16_t max_dv; };
struct gbt_crm {
	uint8_t recognised;        /* 0x00, 0xAA, or what was sent */
	bool has_number;           /* 8 bytes */
	uint32_t charger_number;
	uint32_t region;           /* 3 bytes */
};
struct gbt_brm {
	struct gbt_version version;
	uint8_t battery_type;
	uint16_t rated_dah;        /* 0.1 Ah */
	uint16_t rated_dv;
	bool has_ext;              /* 41 or 49 bytes: maker ... VIN */
	char maker[5];             /* printable ASCII or "" */
	uint32_t pack_number;
	uint16_t year;             /* 1985 + raw; 0 when not available */
	uint8_t month, day;
	uint32_t charge_count;     /* 3 bytes; 0xFFFFFF not available */
	uint8_t ownership;
	char vin[18];              /* printable ASCII or "" */
	bool has_bms_version;      /* 49 bytes */
	uint8_t bms_version[8];
};
struct gbt_bcp {
	uint16_t max_cell_cv;      /* 0.01 V */
	uint16_t max_current_raw;
	uint16_t energy_dkwh;      /* 0.1 kWh */
	uint16_t max_dv;
	uint8_t max_temp_raw;      /* -50 C */
	uint16_t soc_pm;           /* 0.1 % */
	uint16_t pack_dv;
};
struct gbt_cml {
	uint16_t max_dv, min_dv;
	uint16_t max_current_raw;
	bool has_min_current;
	uint16_t min_current_raw;
};
struct gbt_ready { uint8_t state; };  /* BRO, CRO: 0x00, 0xAA */
struct gbt_bcl {
	uint16_t demand_dv;
	uint16_t demand_current_raw;
	uint8_t mode;              /* 1 constant voltage, 2 constant current */
};
struct gbt_bcs {
	uint16_t measured_dv;
	uint16_t measured_current_raw;
	uint16_t max_cell_cv;      /* 12 bits */
	uint8_t max_cell_group;    /* 4 bits, as sent */
	uint8_t soc;               /* % */
	uint16_t remaining_min;
};
struct gbt_ccs {
	uint16_t output_dv;
	uint16_t output_current_raw;
	uint16_t minutes;
	bool has_permitted;
	uint8_t permitted;         /* 2 bits: 0 paused, 1 permitted */
};
struct gbt_bsm {
	uint16_t max_cell_number;  /* 1..256 */
	uint8_t max_temp_raw;
	uint8_t max_temp_probe;    /* 1..128 as sent + 1 */
	uint8_t min_temp_raw;
	uint8_t min_temp_probe;
	uint8_t status;            /* b5: cell voltage, SOC, over-current, temperature (2 bits each) */
	uint8_t charge;            /* b6: insulation, output connector, charging allowed */
};
/* BMV and BMT: the extremes (cell and probe numbers from 1). */
struct gbt_bmv {
	uint16_t cells;
	uint16_t min_cv, max_cv;
	uint16_t min_cell, max_cell;
};
struct gbt_bmt {
	uint16_t probes;
	uint8_t min_raw, max_raw;
	uint16_t min_probe, max_probe;
};
struct gbt_bsp { uint16_t len; };
struct gbt_stop { uint32_t bits; };     /* BST, CST, BEM, CEM: bytes 0-3, little-endian */
struct gbt_bsd {
	uint8_t soc;
	uint16_t min_cell_cv, max_cell_cv;
	uint8_t min_temp_raw, max_temp_raw;
};
struct gbt_csd {
	uint16_t minutes;
	uint16_t energy_dkwh;
	bool has_number;
	uint32_t charger_number;
};

struct gbt_decoded {
	enum gbt_msg msg;
	union {
		struct gbt_chm chm;
		struct gbt_bhm bhm;
		struct gbt_crm crm;
		struct gbt_brm brm;
		struct gbt_bcp bcp;
		struct gbt_cml cml;
		struct gbt_ready ready;
		struct gbt_bcl bcl;
		struct gbt_bcs bcs;
		struct gbt_ccs ccs;
		struct gbt_bsm bsm;
		struct gbt_bmv bmv;
		struct gbt_bmt bmt;
		struct gbt_bsp bsp;
		struct gbt_stop stop;
		struct gbt_bsd bsd;
		struct gbt_csd csd;
	} u;
};

/* Decode one message of PGN pgn. 0, -ENOENT (not a GB/T 27930 PGN) or
 * -EBADMSG (shorter than the message, or a BMV of an odd length, or longer
 * than GB/T_MAX_CELLS / _PROBES / 16 bytes of BSP). Bytes past a message's
 * length are ignored (frame padding). */
int gbt_decode(uint32_t pgn, const uint8_t *data, size_t len, struct gbt_decoded *out);

#endif
