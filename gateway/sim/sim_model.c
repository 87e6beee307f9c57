// SPDX-License-Identifier: MIT
/* Drive cycle, road load and battery of the simulated vehicles. The numbers
 * are round figures of the kind of vehicle named, chosen so that the values
 * look right to a mechanic; they are not measurements. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "sim/sim_model.h"

#define GRAVITY 9.81
#define AIR_DENSITY 1.2
#define DRIVE_EFFICIENCY 0.9 /* battery to wheel */
#define REGEN_EFFICIENCY 0.7 /* wheel to battery */
#define SOC_FLOOR 20.0       /* the slow SOC fall wraps here ("recharged") */

/* The cycle, in seconds from its start (EVGW_SIM_CYCLE_S long). */
#define T_DRIVE 1.0     /* P -> D: soon, so a newcomer sees motion at once */
#define T_ACCEL 2.0     /* pull away */
#define T_CRUISE 17.0   /* T_ACCEL + RAMP_S: the ramp ends at the top speed */
#define T_DECEL 37.0    /* regenerate to a stop */
#define T_STOP 52.0
#define T_NEUTRAL 55.0
#define T_PARK 57.0
#define RAMP_S 15.0
#define T_FAULT_ON 25.0 /* the fault is on for 10 s, while cruising */
#define T_FAULT_OFF 35.0

static const char *const byd_files[] = {"byd_atto3.dbc", "demo/byd_demo_bms.dbc", NULL};
static const struct evgw_sim_binding byd_bindings[] = {
	{"VEHICLE_SPEED", EVGW_SIM_Q_SPEED_KMH},
	{"STEER_ANGLE_2", EVGW_SIM_Q_STEER_DEG},
	{"GEAR", EVGW_SIM_Q_GEAR},
	{"FAULT_FL", EVGW_SIM_Q_FAULT},
	{"SOC", EVGW_SIM_Q_SOC_PCT},
	{"PACK_VOLTAGE", EVGW_SIM_Q_PACK_V},
	{"PACK_CURRENT", EVGW_SIM_Q_PACK_A},
	{"CELL_TEMP_MAX", EVGW_SIM_Q_CELL_TEMP_MAX},
	{NULL, 0},
};
/* byd_atto3.dbc carries no cycle times: speed and steering at a chassis
 * bus's usual 50 Hz, the rest at the 100 ms default. Demo rates. */
static const struct evgw_sim_period byd_periods[] = {
	{"ESC_SPEED", 20},
	{"STEER_MODULE_2", 20},
	{NULL, 0},
};

/* The standard J1939 groups and one public BMS layout (dbc/README.md): the
 * Golden Dragon dashboard's, which has the insulation monitor the demo's
 * fault story needs. */
static const char *const yutong_files[] = {"yutong_ebus.dbc", "ebus_bms_golden_dragon.dbc", NULL};
static const struct evgw_sim_binding yutong_bindings[] = {
	{"WheelBasedVehicleSpeed", EVGW_SIM_Q_SPEED_KMH},
	{"EngineSpeed", EVGW_SIM_Q_MOTOR_RPM},
	{"BMS_SOC", EVGW_SIM_Q_SOC_PCT},
	{"BMS_PackVoltage", EVGW_SIM_Q_PACK_V},
	{"BMS_PackCurrent", EVGW_SIM_Q_PACK_A},
	{"BMS_MaxCellVoltage", EVGW_SIM_Q_CELL_V_MAX},
	{"BMS_MinCellVoltage", EVGW_SIM_Q_CELL_V_MIN},
	{"BMS_MaxCellTemp", EVGW_SIM_Q_CELL_TEMP_MAX},
	{"BMS_MinCellTemp", EVGW_SIM_Q_CELL_TEMP_MIN},
	{"IMD_Resistance", EVGW_SIM_Q_INSULATION_KOHM},
	{"IMD_Warning", EVGW_SIM_Q_FAULT_LEVEL},
	{"BMS_MaxCellBox", EVGW_SIM_Q_CELL_V_MAX_BOX},
	{"BMS_MaxCellPosition", EVGW_SIM_Q_CELL_V_MAX_POS},
	{"BMS_MinCellBox", EVGW_SIM_Q_CELL_V_MIN_BOX},
	{"BMS_MinCellPosition", EVGW_SIM_Q_CELL_V_MIN_POS},
	{"BMS_MaxTempBox", EVGW_SIM_Q_TEMP_MAX_BOX},
	{"BMS_MinTempBox", EVGW_SIM_Q_TEMP_MIN_BOX},
	{"BMS_RatedCapacity", EVGW_SIM_Q_RATED_AH},
	{"BMS_ChargeCount", EVGW_SIM_Q_CHARGE_COUNT},
	{NULL, 0},
};
static const struct evgw_sim_period no_periods[] = {{NULL, 0}};

static const struct evgw_sim_profile profiles[] = {
	{
		/* A compact SUV: 1.8 t with driver, 126 LFP cells (about 400 V),
		 * about 73 motor rpm per km/h (reduction gear and 18" wheels). */
		.name = "byd-atto3",
		.dbc_files = byd_files,
		.bindings = byd_bindings,
		.periods = byd_periods,
		.top_kmh = 60,
		.mass_kg = 1800, .cda_m2 = 0.75, .rolling = 0.010,
		.cells = 126, .cell_v0 = 3.05, .cell_v_per_pct = 0.004,
		.r_ohm = 0.12, .aux_a = 4,
		.soc_start = 80, .soc_pct_per_s = 0.01,
		.motor_rpm_per_kmh = 73,
		.fault_level = 1,
	},
	{
		/* A 12 m city bus: 14 t, 192 LFP cells (about 600 V), a central
		 * motor at about 34 rpm per km/h, 20 A of auxiliaries (HVAC, air). */
		.name = "yutong-bus",
		.dbc_files = yutong_files,
		.bindings = yutong_bindings,
		.periods = no_periods,
		.top_kmh = 50,
		.mass_kg = 14000, .cda_m2 = 5.6, .rolling = 0.008,
		.cells = 192, .cell_v0 = 3.05, .cell_v_per_pct = 0.004,
		.r_ohm = 0.05, .aux_a = 20,
		.soc_start = 85, .soc_pct_per_s = 0.01,
		.motor_rpm_per_kmh = 34,
		.fault_level = 2,
		/* 12 boxes of 16 cells; a 540 Ah pack charged 1873 times. */
		.v_max_box = 3, .v_max_pos = 7, .v_min_box = 5, .v_min_pos = 12,
		.t_max_box = 2, .t_min_box = 6,
		.rated_ah = 540, .charge_count = 1873,
	},
};

const struct evgw_sim_profile *evgw_sim_profile_at(unsigned i)
{
	return i < sizeof profiles / sizeof profiles[0] ? &profiles[i] : NULL;
}

const struct evgw_sim_profile *evgw_sim_profile_find(const char *name)
{
	for (unsigned i = 0; name && evgw_sim_profile_at(i); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

/* Speed (km/h) and acceleration (m/s^2) at cycle time c: half-cosine ramps,
 * so that acceleration has no steps. */
static void speed_at(double top_kmh, double c, double *kmh, double *accel)
{
	double top_ms = top_kmh / 3.6;
	*kmh = 0;
	*accel = 0;
	if (c >= T_ACCEL && c < T_CRUISE) {
		double x = (c - T_ACCEL) / RAMP_S;
		*kmh = top_kmh * (1 - cos(M_PI * x)) / 2;
		*accel = top_ms * M_PI / 2 * sin(M_PI * x) / RAMP_S;
	} else if (c >= T_CRUISE && c < T_DECEL) {
		*kmh = top_kmh;
	} else if (c >= T_DECEL && c < T_STOP) {
		double x = (c - T_DECEL) / RAMP_S;
		*kmh = top_kmh * (1 + cos(M_PI * x)) / 2;
		*accel = -top_ms * M_PI / 2 * sin(M_PI * x) / RAMP_S;
	}
}

static enum evgw_sim_gear gear_at(double c)
{
	if (c < T_DRIVE || c >= T_PARK)
		return EVGW_SIM_GEAR_P;
	if (c >= T_NEUTRAL)
		return EVGW_SIM_GEAR_N;
	return EVGW_SIM_GEAR_D;
}

void evgw_sim_model_at(const struct evgw_sim_profile *p, double t_s, struct evgw_sim_state *s)
{
	double c = fmod(t_s, EVGW_SIM_CYCLE_S);
	if (c < 0)
		c += EVGW_SIM_CYCLE_S;
	memset(s, 0, sizeof *s);
	s->p = p;
	speed_at(p->top_kmh, c, &s->speed_kmh, &s->accel_ms2);
	s->gear = gear_at(c);
	s->motor_rpm = s->speed_kmh * p->motor_rpm_per_kmh;
	/* A gentle lane change while cruising. */
	if (c >= T_CRUISE && c < T_DECEL)
		s->steer_deg = 15 * sin(2 * M_PI * (c - T_CRUISE) / RAMP_S);

	double span = p->soc_start - SOC_FLOOR;
	s->soc_pct = p->soc_start - fmod(fmax(t_s, 0) * p->soc_pct_per_s, span);

	/* Road load -> battery power -> current, at the open-circuit voltage;
	 * the terminal voltage then sags (or rises when regenerating). */
	double v = s->speed_kmh / 3.6;
	double force = p->mass_kg * s->accel_ms2 + 0.5 * AIR_DENSITY * p->cda_m2 * v * v;
	if (v > 0.1)
		force += p->mass_kg * GRAVITY * p->rolling;
	double wheel_w = force * v;
	double batt_w = wheel_w > 0 ? wheel_w / DRIVE_EFFICIENCY : wheel_w * REGEN_EFFICIENCY;
	double ocv = p->cells * (p->cell_v0 + p->cell_v_per_pct * s->soc_pct);
	s->pack_a = batt_w / ocv + p->aux_a;
	s->pack_v = ocv - s->pack_a * p->r_ohm;
	/* Cells warm as the charge is used. */
	s->cell_temp_max = 25 + (p->soc_start - s->soc_pct) * 0.25;
	s->cell_temp_min = s->cell_temp_max - 3;
	/* A healthy pack: cells within 20 mV of each other. */
	s->cell_v_max = s->pack_v / p->cells + 0.010;
	s->cell_v_min = s->pack_v / p->cells - 0.010;

	s->fault = c >= T_FAULT_ON && c < T_FAULT_OFF;
	s->fault_level = s->fault ? p->fault_level : 0;
	/* A sound pack insulates in the megaohms; the fault story is a leak. */
	s->insulation_kohm = s->fault ? 80 : 5000;
}

double evgw_sim_state_value(const struct evgw_sim_state *s, enum evgw_sim_qty q)
{
	switch (q) {
	case EVGW_SIM_Q_SPEED_KMH: return s->speed_kmh;
	case EVGW_SIM_Q_MOTOR_RPM: return s->motor_rpm;
	case EVGW_SIM_Q_GEAR: return s->gear;
	case EVGW_SIM_Q_SOC_PCT: return s->soc_pct;
	case EVGW_SIM_Q_PACK_V: return s->pack_v;
	case EVGW_SIM_Q_PACK_A: return s->pack_a;
	case EVGW_SIM_Q_CELL_TEMP_MAX: return s->cell_temp_max;
	case EVGW_SIM_Q_STEER_DEG: return s->steer_deg;
	case EVGW_SIM_Q_FAULT: return s->fault ? 1 : 0;
	case EVGW_SIM_Q_FAULT_LEVEL: return s->fault_level;
	case EVGW_SIM_Q_CELL_TEMP_MIN: return s->cell_temp_min;
	case EVGW_SIM_Q_CELL_V_MAX: return s->cell_v_max;
	case EVGW_SIM_Q_CELL_V_MIN: return s->cell_v_min;
	case EVGW_SIM_Q_INSULATION_KOHM: return s->insulation_kohm;
	case EVGW_SIM_Q_CELL_V_MAX_BOX: return s->p ? s->p->v_max_box : 0;
	case EVGW_SIM_Q_CELL_V_MAX_POS: return s->p ? s->p->v_max_pos : 0;
	case EVGW_SIM_Q_CELL_V_MIN_BOX: return s->p ? s->p->v_min_box : 0;
	case EVGW_SIM_Q_CELL_V_MIN_POS: return s->p ? s->p->v_min_pos : 0;
	case EVGW_SIM_Q_TEMP_MAX_BOX: return s->p ? s->p->t_max_box : 0;
	case EVGW_SIM_Q_TEMP_MIN_BOX: return s->p ? s->p->t_min_box : 0;
	case EVGW_SIM_Q_RATED_AH: return s->p ? s->p->rated_ah : 0;
	case EVGW_SIM_Q_CHARGE_COUNT: return s->p ? s->p->charge_count : 0;
	case EVGW_SIM_Q_NONE: break;
	}
	return 0;
}
