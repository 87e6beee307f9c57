// SPDX-License-Identifier: MIT
/* The shipped vehicle definitions (the DBC files in dbc/) against frames packed by hand
 * from the layouts of the public sources they cite (dbc/sources.tsv), not
 * from the DBC files themselves: each frame's bytes and expected values are
 * worked out in the comment above it. A definition that drifts from its
 * source fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "test_support.h"

#define DBC_DIR EVGW_TEST_DATA "/../../dbc"

static struct dbc_db *load(const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", DBC_DIR, file);
	struct dbc_db *db = NULL;
	if (dbc_load_file(path, NULL, &db) != 0)
		fail_msg("cannot load %s", path);
	return db;
}

static struct evgw_frame frame(uint32_t id, const char *hex)
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = id & 0x1FFFFFFFu;
	if (id > 0x7FF)
		f.flags = EVGW_FRAME_EXT;
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned b;
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			fail_msg("bad hex %s", hex);
		f.data[i] = (uint8_t)b;
	}
	f.len = (uint8_t)n;
	f.dlc = (uint8_t)n;
	return f;
}

/* The physical value of one signal of the frame's message. */
static double value(const struct dbc_db *db, const struct evgw_frame *f, const char *sig)
{
	const struct dbc_message *m = dbc_lookup(db, f, NULL);
	if (!m)
		fail_msg("no message for id 0x%X", f->id);
	const struct dbc_signal *s = dbc_find_signal(db, m, sig);
	if (!s)
		fail_msg("0x%X has no signal %s", f->id, sig);
	return dbc_raw_to_phys(s, dbc_extract_raw(s, f->data));
}

static bool has_signal(const struct dbc_db *db, uint32_t id, const char *sig)
{
	struct evgw_frame f = frame(id, "0000000000000000");
	const struct dbc_message *m = dbc_lookup(db, &f, NULL);
	return m && dbc_find_signal(db, m, sig);
}

static void expect(const struct dbc_db *db, uint32_t id, const char *hex, const char *sig, double want)
{
	struct evgw_frame f = frame(id, hex);
	double got = value(db, &f, sig);
	if (got < want - 1e-9 || got > want + 1e-9)
		fail_msg("0x%X %s %s: got %.9g, want %.9g", id, hex, sig, got, want);
}

/* Han: the steering angle is 0x11F 0|16 signed x0.1 deg and the steering
 * fault bits are in 0x318 (opendbc PR 1459/1620/2058). */
static void test_han_steering(void **state)
{
	(void)state;
	struct dbc_db *db = load("byd_han.dbc");
	/* 3.2 deg = raw 32 = 0x0020: d0 20 d1 00. Bit 5 is set, which the old
	 * file read as STEER_ERROR_1 = ERROR. */
	expect(db, 0x11F, "2000000000", "STEER_ANGLE", 3.2);
	assert_false(has_signal(db, 0x11F, "STEER_ERROR_1"));
	assert_false(has_signal(db, 0x11F, "STEER_WARNING"));
	/* -45.0 deg = -450 = 0xFE3E: d0 3E d1 FE. */
	expect(db, 0x11F, "3EFE000000", "STEER_ANGLE", -45.0);
	/* 0x318: TorqueFailed bit 2, SteerWarning bit 4, SteerError_1 bit 5
	 * -> d0 = 04 | 10 | 20 = 34; MainTorque 8|12 signed = -5 = 0xFFB -> d1 FB,
	 * d2 low nibble F; SteerDriverTorque 24|12 signed = 100 = 0x064 -> d3 64. */
	const char *eps = "34FB0F6400000000";
	expect(db, 0x318, eps, "TORQUE_FAILED", 1);
	expect(db, 0x318, eps, "STEER_WARNING", 1);
	expect(db, 0x318, eps, "STEER_ERROR_1", 1);
	expect(db, 0x318, eps, "STEER_ERROR_2", 0);
	expect(db, 0x318, eps, "MAIN_TORQUE", -5);
	expect(db, 0x318, eps, "DRIVER_TORQUE", 100);
	dbc_free(db);
}

/* Han body, speed, parking brake (opendbc PR 1459/2058). */
static void test_han_body(void **state)
{
	(void)state;
	struct dbc_db *db = load("byd_han.dbc");
	/* 0x12D: FrontLeftDoor bit 0, RearRightDoor bit 3, DriverSeatBeltFasten
	 * bit 6 -> d0 = 01 | 08 | 40 = 49; BrakeLight bit 8 -> d1 01; passenger
	 * belt bit 55 -> d6 80. */
	const char *bcm = "4901000000008000";
	expect(db, 0x12D, bcm, "DOOR_OPEN_FL", 1);
	expect(db, 0x12D, bcm, "DOOR_OPEN_FR", 0);
	expect(db, 0x12D, bcm, "DOOR_OPEN_RL", 0);
	expect(db, 0x12D, bcm, "DOOR_OPEN_RR", 1);
	expect(db, 0x12D, bcm, "BOOT_OPEN", 0);
	expect(db, 0x12D, bcm, "SEATBELT_DRIVER", 1);
	expect(db, 0x12D, bcm, "BRAKE_LIGHT", 1);
	expect(db, 0x12D, bcm, "SEATBELT_PASSENGER", 1);
	/* BootDoor bit 4 -> d0 10. */
	expect(db, 0x12D, "1000000000000000", "BOOT_OPEN", 1);
	/* 0x121 CarDisplaySpeed raw 690 = 0x2B2 -> B2 02; x 0.0719088 (PR 2058
	 * K_DASHSPEED) = 49.617072 km/h. */
	expect(db, 0x121, "B202000000000000", "VEHICLE_SPEED", 49.617072);
	/* 0x055 EPB_ActiveFlag bit 40 -> d5 01. */
	expect(db, 0x055, "0000000000010000", "EPB_ACTIVE", 1);
	/* 0x1F0 IPB1 FaultFlag_RL bit 15 -> d1 80; WheelSpeed_FL 0|12 raw 1000 =
	 * 0x3E8 -> d0 E8, d1 low nibble 3: d1 = 83; x0.06875 = 68.75 km/h. */
	expect(db, 0x1F0, "E883000000000000", "FAULT_RL", 1);
	expect(db, 0x1F0, "E883000000000000", "FAULT_FR", 0);
	expect(db, 0x1F0, "E883000000000000", "WHEEL_SPEED_FL", 68.75);
	/* 0x342 DriveMode 20|2 = 1 ECO -> d2 = 1 << 4 = 10; PowerMode 28|2 = 3
	 * HEV -> d3 = 3 << 4 = 30. */
	expect(db, 0x342, "0000103000000000", "DRIVE_MODE", 1);
	expect(db, 0x342, "0000103000000000", "POWER_MODE", 3);
	dbc_free(db);
}

/* Atto 3: the counters of 0x32D/0x32E sit in the low nibble of byte 6; the
 * high nibble is a constant 0xF (opendbc PR 3337 SET_ME_XF 55|4@0). */
static void test_atto3_acc_counters(void **state)
{
	(void)state;
	struct dbc_db *db = load("byd_atto3.dbc");
	/* 0x32D: ACC_STATE 19|3 = 7 -> d2 = 7 << 3 = 38; SET_ME_XFF bits 40-47 ->
	 * d5 FF; counter 9 with SET_ME_XF -> d6 F9; d7 = ~(38 + FF + F9) =
	 * ~(0x230) -> CF. */
	expect(db, 0x32D, "0000380000FFF9CF", "ACC_STATE", 7);
	expect(db, 0x32D, "0000380000FFF9CF", "COUNTER", 9);
	expect(db, 0x32D, "0000380000FFF9CF", "CHECKSUM", 0xCF);
	assert_false(has_signal(db, 0x32D, "CRUISE_STATE"));
	/* 0x32E: ACCEL_CMD 0|8 raw - 100: d0 6E (110) -> 10; counter 3 -> d6 F3. */
	expect(db, 0x32E, "6E0000000000F300", "ACCEL_CMD", 10);
	expect(db, 0x32E, "6E0000000000F300", "COUNTER", 3);
	dbc_free(db);
}

/* Atto 3 fields the old file had at guessed positions. */
static void test_atto3_positions(void **state)
{
	(void)state;
	struct dbc_db *db = load("byd_atto3.dbc");
	/* 0x1E2 (PR 3337): ANGLE_RATE_LIMIT_UPPER 0|10 = 299 = 0x12B -> d0 2B,
	 * d1 01; STEER_REQ bit 21 -> d2 20; STEER_ANGLE 24|16 = 90.0 deg = 900 =
	 * 0x0384 -> d3 84, d4 03. */
	expect(db, 0x1E2, "2B01208403000000", "STEER_ANGLE_CMD", 90.0);
	expect(db, 0x1E2, "2B01208403000000", "STEER_REQ", 1);
	/* 0x294 doors (OVMS get_bit<3/1/5/7>(d[0]) = FL/FR/RL/RR): d0 = 08 is the
	 * front left door only. */
	expect(db, 0x294, "0800000000000000", "DOOR_OPEN_FL", 1);
	expect(db, 0x294, "0800000000000000", "DOOR_OPEN_FR", 0);
	expect(db, 0x294, "0800000000000000", "DOOR_OPEN_RL", 0);
	/* d0 = A0: bits 5 and 7, rear left and rear right. */
	expect(db, 0x294, "A000000000000000", "DOOR_OPEN_RL", 1);
	expect(db, 0x294, "A000000000000000", "DOOR_OPEN_RR", 1);
	expect(db, 0x294, "A000000000000000", "DOOR_OPEN_FL", 0);
	/* Trunk (OVMS): d2 = 59 open, 55 closed; SEATBELT_DRIVER bit 17 = d2
	 * bit 1 = 0 in both; d2 = 02 is the belt alone. */
	expect(db, 0x294, "0000590000000000", "TRUNK_STATE", 2);
	expect(db, 0x294, "0000550000000000", "TRUNK_STATE", 1);
	expect(db, 0x294, "0000590000000000", "SEATBELT_DRIVER", 0);
	expect(db, 0x294, "0000020000000000", "SEATBELT_DRIVER", 1);
	/* 0x316 (PR 3337): HANDS_ON_WHEEL_REQ bit 10 alone (d1 04) is no TJA
	 * state; TJA_ICA_STATE 11|4 = 4 FAULT -> d1 = 4 << 3 = 20; SLA_STATE
	 * 29|3 = 4 -> d3 = 4 << 5 = 80; LKAS_STATE 36|4 = 4 -> d4 = 40. */
	expect(db, 0x316, "0004000000000000", "TJA_ICA_STATE", 0);
	expect(db, 0x316, "0020008040000000", "TJA_ICA_STATE", 4);
	expect(db, 0x316, "0020008040000000", "SLA_STATE", 4);
	expect(db, 0x316, "0020008040000000", "LKAS_STATE", 4);
	assert_false(has_signal(db, 0x316, "HMA_STATE"));
	/* 0x342 DRIVE_MODE 20|2 (PR 3678) = 2 -> d2 = 2 << 4 = 20. */
	expect(db, 0x342, "0000200000000000", "DRIVE_MODE", 2);
	/* 0x3D9 (OVMS): mux 04, range = d1 + (d2 & 0F) * 256: d1 2C, d2 F1 ->
	 * 0x12C = 300 km; mux 05, odometer = LE16(d1, d2) / 10: 10 27 -> 10000
	 * -> 1000.0 km. */
	expect(db, 0x3D9, "042CF10000000000", "RANGE", 300);
	expect(db, 0x3D9, "0510270000000000", "ODOMETER", 1000.0);
	dbc_free(db);
}

/* Atto 3 data new from OVMS: handbrake, charge time left, charge power. */
static void test_atto3_ovms_data(void **state)
{
	(void)state;
	struct dbc_db *db = load("byd_atto3.dbc");
	/* 0x218: handbrake on = NOT bit 4 of d5: d5 10 -> released (1). */
	expect(db, 0x218, "0000000000100000", "PARK_BRAKE_RELEASED", 1);
	expect(db, 0x218, "0000000000000000", "PARK_BRAKE_RELEASED", 0);
	/* 0x323: d0 03 charging; power ((d3 & 1F) * 256 + d2 - 500) / 10 with
	 * d2 58, d3 22: (2 * 256 + 88 - 500) / 10 = 10.0 kW, d3 bit 5 = AC;
	 * d4 01 h, d5 1E = 30 min. */
	expect(db, 0x323, "03005822011E0000", "CHARGE_STATE", 3);
	expect(db, 0x323, "03005822011E0000", "CHARGE_POWER", 10.0);
	expect(db, 0x323, "03005822011E0000", "CHARGE_AC", 1);
	expect(db, 0x323, "03005822011E0000", "CHARGE_LEFT_HOURS", 1);
	expect(db, 0x323, "03005822011E0000", "CHARGE_LEFT_MINUTES", 30);
	/* 0x242 BRAKE_PRESSED bit 37 (PR 3337 safety: (d4 >> 5) & 1): d4 20. */
	expect(db, 0x242, "0000000020040000", "BRAKE_PRESSED", 1);
	expect(db, 0x242, "0000000020040000", "GEAR", 4);
	dbc_free(db);
}

/* Sealion 7 (opendbc PR 3352): 0x1FC carries no fault bits. */
static void test_sealion7(void **state)
{
	(void)state;
	struct dbc_db *db = load("byd_sealion7.dbc");
	/* MAIN_TORQUE 0|16 signed x0.1: d0 04 -> 0.4; bit 2 is set, which the
	 * Atto 3's file reads as TORQUE_FAILED. */
	expect(db, 0x1FC, "0400000000000000", "MAIN_TORQUE", 0.4);
	assert_false(has_signal(db, 0x1FC, "TORQUE_FAILED"));
	/* 0x1F0 RL 28|12 x0.075: raw 1000 = 0x3E8 -> d3 high nibble 8 (d3 80),
	 * d4 3E -> 75.0. */
	expect(db, 0x1F0, "000000803E000000", "WHEEL_SPEED_RL", 75.0);
	/* IGNITION_ON bit 6: d0 40. SL7_BRAKE bit 2: d0 04. LIGHTS BRAKE_LIGHT
	 * bit 59: d7 08; BRIGHTS bit 4: d0 10. */
	expect(db, 0x404, "4000000000000000", "IGNITION_ON", 1);
	expect(db, 0x219, "0400000000000000", "BRAKE_PRESSED", 1);
	expect(db, 0x38A, "1000000000000008", "BRAKE_LIGHT", 1);
	expect(db, 0x38A, "1000000000000008", "HIGH_BEAM", 1);
	expect(db, 0x38A, "1000000000000008", "LEFT_TURN", 0);
	/* 0x316 HMA_STATE 3|4@0 = bits 0-3 = 5 CAMERA_BLOCKED: d0 05. */
	expect(db, 0x316, "0500000000000000", "HMA_STATE", 5);
	/* 0x342 DRIVE_MODE 22|3@0 = bits 20-22 = 4 NORMAL: d2 = 4 << 4 = 40. */
	expect(db, 0x342, "0000400000000000", "DRIVE_MODE", 4);
	dbc_free(db);
}


/* The two public e-bus BMS layouts read the same ids differently; each file
 * reads frames packed from its own source. */
static void test_ebus_golden_dragon(void **state)
{
	(void)state;
	struct dbc_db *db = load("ebus_bms_golden_dragon.dbc");
	/* 0x18F201F3 (APP_CAN2_Receive.c; scales from APP_LCD_Display.c): SOC d0
	 * D7 = 215 x 0.4 = 86 %; V LE16 d1-d2 = 30000 x 0.02 = 600 V; I LE16
	 * d3-d4 = 32500 x 0.1 - 3200 = 50 A; cells d5-d6 = 192; life d7 = 7. */
	const char *b1 = "D73075F47EC00007";
	expect(db, 0x18F201F3, b1, "BMS_SOC", 86);
	expect(db, 0x18F201F3, b1, "BMS_PackVoltage", 600);
	expect(db, 0x18F201F3, b1, "BMS_PackCurrent", 50);
	expect(db, 0x18F201F3, b1, "BMS_CellCount", 192);
	/* 0x18F207F3 = highest cell voltages #3/#4: d0-d1 E4 0C = 3300 mV, box 5,
	 * position 12. */
	expect(db, 0x18F207F3, "E40C050C00000000", "BMS_MaxCellVoltage3", 3.3);
	expect(db, 0x18F207F3, "E40C050C00000000", "BMS_MaxCellBox3", 5);
	expect(db, 0x18F207F3, "E40C050C00000000", "BMS_MaxCellPosition3", 12);
	/* 0x18F205F3: Pack_Bat_UnderVoltage = BMS_Warn[1].bit4 (2-bit fields from
	 * bit 0) = d1 bits 6-7, level 2 -> d1 80; BMU_OFFLINE = BMS_Fault[0].bit1
	 * = d5 bit 0; self-check = (d6 >> 6) & 3 = 3 -> d6 C0; KT_FAULT =
	 * BMS_Fault[2].bit8 = d7 bit 7. */
	const char *al = "008000000001C080";
	expect(db, 0x18F205F3, al, "BMS_W_PackUnderVoltage", 2);
	expect(db, 0x18F205F3, al, "BMS_W_CellUnderVoltage", 0);
	expect(db, 0x18F205F3, al, "BMS_F_BmuOffline", 1);
	expect(db, 0x18F205F3, al, "BMS_SelfCheck", 3);
	expect(db, 0x18F205F3, al, "BMS_F_ContactorFault", 1);
	expect(db, 0x18F205F3, al, "BMS_F_FireAlarm", 0);
	/* 0x18FF2B49: status d0 & 0F = 3, warning (d0 >> 4) & 3 = 2 -> d0 23;
	 * resistance d2 + d1 << 8 = 1000 -> 03 E8; voltage d4 + d3 << 8 = 650 ->
	 * 02 8A. */
	const char *imd = "2303E8028A000005";
	expect(db, 0x18FF2B49, imd, "IMD_State", 3);
	expect(db, 0x18FF2B49, imd, "IMD_Warning", 2);
	expect(db, 0x18FF2B49, imd, "IMD_Resistance", 1000);
	expect(db, 0x18FF2B49, imd, "IMD_Voltage", 650);
	/* 0x18F20CF3: maker 3, 0x40 x 5 = 320 Ah, 0x78 x 5 = 600 V, count LE16
	 * 02 01 = 258, d5 36 = chemistry 3, month 6, d6 0x11 -> 2017, d7 0x15 x
	 * 0.1 = 2.1. */
	const char *pi = "0340780201361115";
	expect(db, 0x18F20CF3, pi, "BMS_RatedCapacity", 320);
	expect(db, 0x18F20CF3, pi, "BMS_RatedVoltage", 600);
	expect(db, 0x18F20CF3, pi, "BMS_ChargeCount", 258);
	expect(db, 0x18F20CF3, pi, "BMS_Chemistry", 3);
	expect(db, 0x18F20CF3, pi, "BMS_ProductionMonth", 6);
	expect(db, 0x18F20CF3, pi, "BMS_ProductionYear", 2017);
	expect(db, 0x18F20CF3, pi, "BMS_SoftwareVersion", 2.1);
	dbc_free(db);
}

static void test_ebus_pride_power(void **state)
{
	(void)state;
	struct dbc_db *db = load("ebus_bms_pride_power.dbc");
	/* 0x18F201F3 (Vehicle.c BMS_To_VCU_BatMsg1): SOC 50 % x 2.5 = 125 = 7D;
	 * 600 V x 50 = 30000 -> 30 75; -120 A (charging: negative in this
	 * firmware) -> (-120 + 3200) x 10 = 30800 = 0x7850 -> 50 78; discharge
	 * limit 300 A x 0.2 = 60 = 3C. */
	const char *b1 = "7D307550783C3C01";
	expect(db, 0x18F201F3, b1, "BMS_SOC", 50);
	expect(db, 0x18F201F3, b1, "BMS_PackVoltage", 600);
	expect(db, 0x18F201F3, b1, "BMS_PackCurrent", -120);
	expect(db, 0x18F201F3, b1, "BMS_DischargeLimit", 300);
	/* 0x18F207F3 (CellExtremumMsg2): 25 degC + 40 = 41, box 2, module 7;
	 * 18 degC -> 3A, box 4, module 1; online 3F; 6 boxes. The same id holds
	 * voltages in the Golden Dragon layout. */
	const char *t = "4102073A04013F06";
	expect(db, 0x18F207F3, t, "BMS_MaxCellTemp", 25);
	expect(db, 0x18F207F3, t, "BMS_MaxTempModule", 7);
	expect(db, 0x18F207F3, t, "BMS_MinCellTemp", 18);
	expect(db, 0x18F207F3, t, "BMS_MinTempBox", 4);
	expect(db, 0x18F207F3, t, "BMS_BoxCount", 6);
	/* 0x18F205F3 (VehicleCAN.h, fields from bit 0): group 1 current sensor
	 * bit 0 + pack over-voltage level 2 in bits 5-7 -> d0 = 01 | 2 << 5 = 41;
	 * d4 FF; group 6 charging bit 4 + self-check 1 in bits 6-7 -> d6 50;
	 * group 7 SOC-high level 1 in bits 5-7 -> d7 20. */
	const char *f = "41000000FF005020";
	expect(db, 0x18F205F3, f, "BMS_F_CurrentSensor", 1);
	expect(db, 0x18F205F3, f, "BMS_F_PackOverVoltage", 2);
	expect(db, 0x18F205F3, f, "BMS_F_PackUnderVoltage", 0);
	expect(db, 0x18F205F3, f, "BMS_S_Charging", 1);
	expect(db, 0x18F205F3, f, "BMS_SelfCheck", 1);
	expect(db, 0x18F205F3, f, "BMS_F_SocHigh", 1);
	/* 0x18F202F3: (200 A + 1000) x 0.2 = 240 = F0. */
	expect(db, 0x18F202F3, "F0F0000000000000", "BMS_RegenLimit", 200);
	dbc_free(db);
}

/* GB/T 27930 multi-packet messages as reassembled payloads (SoldierKing
 * ADrv_BmsFrame.c BrmMsgMake, BcpMsgMake, BcsMsgMake; all LE). */
static void test_gbt_multipacket(void **state)
{
	(void)state;
	struct dbc_db *db = load("gbt27930_charging.dbc");
	/* BCS: 350.0 V = 3500 -> AC 0D; charging 120 A is sent as 4000 - 1200 =
	 * 2800 -> F0 0A (-120.0 A); highest cell 3.45 V = 345 = 0x159 with group
	 * 2 in bits 12-15 -> 0x2159 -> 59 21; SOC 60 %; 90 min left -> 5A 00. */
	const char *bcs = "AC0DF00A59213C5A00";
	expect(db, 0x1C1156F4, bcs, "BCS_MeasuredVoltage", 350);
	expect(db, 0x1C1156F4, bcs, "BCS_MeasuredCurrent", -120);
	expect(db, 0x1C1156F4, bcs, "BCS_MaxCellVoltage", 3.45);
	expect(db, 0x1C1156F4, bcs, "BCS_MaxCellGroup", 2);
	expect(db, 0x1C1156F4, bcs, "BCS_Soc", 60);
	expect(db, 0x1C1156F4, bcs, "BCS_RemainingTime", 90);
	/* BCP: 3.65 V -> 6D 01; 250 A max -> 4000 - 2500 = 1500 -> DC 05
	 * (-250 A); 282.0 kWh -> 04 0B; 750.0 V -> 4C 1D; 60 degC -> 6E; SOC
	 * 55.5 % -> 2B 02; 620.0 V -> 38 18. */
	const char *bcp = "6D01DC05040B4C1D6E2B023818";
	expect(db, 0x1C0656F4, bcp, "BCP_MaxCellVoltage", 3.65);
	expect(db, 0x1C0656F4, bcp, "BCP_MaxChargeCurrent", -250);
	expect(db, 0x1C0656F4, bcp, "BCP_RatedEnergy", 282);
	expect(db, 0x1C0656F4, bcp, "BCP_MaxChargeVoltage", 750);
	expect(db, 0x1C0656F4, bcp, "BCP_MaxTemperature", 60);
	expect(db, 0x1C0656F4, bcp, "BCP_Soc", 55.5);
	expect(db, 0x1C0656F4, bcp, "BCP_PackVoltage", 620);
	/* BRM: version 01 01 00; type 03 LFP; 280.0 Ah -> F0 0A; 614.4 V ->
	 * 00 18; maker "CATL"; pack 01 00 00 00; 2020 - 1985 = 0x23, month 06,
	 * day 0F; 1000 charges -> E8 03 00; owned 01; reserved FF; VIN and BMS
	 * version (not decoded) 0x4C / FF. */
	const char *brm = "010100" "03" "F00A" "0018" "4341544C" "01000000" "23060F" "E80300" "01" "FF"
			  "4C4C4C4C4C4C4C4C4C4C4C4C4C4C4C4C4C" "FFFFFFFFFFFFFFFF";
	expect(db, 0x1C0256F4, brm, "BRM_ProtocolVersion", 0x000101);
	expect(db, 0x1C0256F4, brm, "BRM_BatteryType", 3);
	expect(db, 0x1C0256F4, brm, "BRM_RatedCapacity", 280);
	expect(db, 0x1C0256F4, brm, "BRM_RatedVoltage", 614.4);
	expect(db, 0x1C0256F4, brm, "BRM_ProductionYear", 2020);
	expect(db, 0x1C0256F4, brm, "BRM_ProductionMonth", 6);
	expect(db, 0x1C0256F4, brm, "BRM_ProductionDay", 15);
	expect(db, 0x1C0256F4, brm, "BRM_ChargeCount", 1000);
	expect(db, 0x1C0256F4, brm, "BRM_Ownership", 1);
	dbc_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_han_steering),    cmocka_unit_test(test_han_body),
		cmocka_unit_test(test_atto3_acc_counters), cmocka_unit_test(test_atto3_positions),
		cmocka_unit_test(test_atto3_ovms_data), cmocka_unit_test(test_sealion7),
		cmocka_unit_test(test_ebus_golden_dragon), cmocka_unit_test(test_ebus_pride_power),
		cmocka_unit_test(test_gbt_multipacket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
