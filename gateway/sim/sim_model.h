// SPDX-License-Identifier: MIT
/* The simulated vehicles' physics and profiles (internal to gateway/sim).
 * A profile says which DBC files a vehicle speaks, which DBC signal carries
 * which quantity, and the numbers of a plausible car or bus; the model turns
 * a time in the drive cycle into those quantities. Pure functions of t, so
 * that a test (or a second poll) sees the same values for the same time. */
#ifndef EVGW_SIM_SIM_MODEL_H
#define EVGW_SIM_SIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define EVGW_SIM_CYCLE_S 60.0

enum evgw_sim_qty {
	EVGW_SIM_Q_NONE = 0,     /* not simulated: sent as 0 (or the signal's minimum) */
	EVGW_SIM_Q_SPEED_KMH,
	EVGW_SIM_Q_MOTOR_RPM,
	EVGW_SIM_Q_GEAR,         /* encoded through the signal's value table ("P", "N", "D") */
	EVGW_SIM_Q_SOC_PCT,
	EVGW_SIM_Q_PACK_V,
	EVGW_SIM_Q_PACK_A,       /* positive when discharging */
	EVGW_SIM_Q_CELL_TEMP_MAX,
	EVGW_SIM_Q_STEER_DEG,
	EVGW_SIM_Q_FAULT,        /* 1 while the cycle's fault is on */
	EVGW_SIM_Q_FAULT_LEVEL,  /* the profile's fault level while on, else 0 */
	EVGW_SIM_Q_CELL_TEMP_MIN,
	EVGW_SIM_Q_CELL_V_MAX,   /* highest and lowest cell voltage, V */
	EVGW_SIM_Q_CELL_V_MIN,
	EVGW_SIM_Q_INSULATION_KOHM, /* insulation resistance, kOhm: falls while the fault is on */
	/* Where the extremes sit and what the pack is (fixed per profile). */
	EVGW_SIM_Q_CELL_V_MAX_BOX,
	EVGW_SIM_Q_CELL_V_MAX_POS,
	EVGW_SIM_Q_CELL_V_MIN_BOX,
	EVGW_SIM_Q_CELL_V_MIN_POS,
	EVGW_SIM_Q_TEMP_MAX_BOX,
	EVGW_SIM_Q_TEMP_MIN_BOX,
	EVGW_SIM_Q_RATED_AH,
	EVGW_SIM_Q_CHARGE_COUNT,
};

enum evgw_sim_gear {
	EVGW_SIM_GEAR_P = 0,
	EVGW_SIM_GEAR_N,
	EVGW_SIM_GEAR_D,
	EVGW_SIM_GEAR_COUNT,
};

struct evgw_sim_binding {
	const char *signal; /* DBC signal name, in any of the vehicle's messages */
	uint8_t qty;        /* enum evgw_sim_qty */
};

struct evgw_sim_period {
	const char *message;
	uint32_t ms;
};

struct evgw_sim_profile {
	const char *name;
	const char *const *dbc_files;           /* NULL-terminated, relative to the DBC dir */
	const struct evgw_sim_binding *bindings; /* ends with a NULL signal */
	const struct evgw_sim_period *periods;   /* for messages without GenMsgCycleTime */
	double top_kmh;
	double mass_kg, cda_m2, rolling;         /* road load */
	double cells, cell_v0, cell_v_per_pct;   /* open-circuit voltage = cells * (v0 + k * SOC) */
	double r_ohm, aux_a;                     /* pack resistance, auxiliary load */
	double soc_start, soc_pct_per_s;         /* SOC falls slowly, wrapping at 20 % */
	double motor_rpm_per_kmh;
	double fault_level;
	/* The pack's layout and history: the box (module) and position of the
	 * highest and lowest cell, the boxes of the warmest and coldest
	 * sensor, the rated capacity (Ah) and the charges so far. */
	uint8_t v_max_box, v_max_pos, v_min_box, v_min_pos, t_max_box, t_min_box;
	double rated_ah, charge_count;
};

struct evgw_sim_state {
	double speed_kmh, accel_ms2, motor_rpm;
	enum evgw_sim_gear gear;
	double soc_pct, pack_v, pack_a, cell_temp_max, cell_temp_min, cell_v_max, cell_v_min, steer_deg;
	double insulation_kohm;
	const struct evgw_sim_profile *p; /* the fixed quantities */
	bool fault;
	double fault_level;
};

/* The profile called name, or NULL; profiles by index for listing (NULL past the end). */
const struct evgw_sim_profile *evgw_sim_profile_find(const char *name);
const struct evgw_sim_profile *evgw_sim_profile_at(unsigned i);

/* The vehicle's state t_s seconds after the simulation started. */
void evgw_sim_model_at(const struct evgw_sim_profile *p, double t_s, struct evgw_sim_state *s);
/* One quantity of a state (gear: its enum evgw_sim_gear value). */
double evgw_sim_state_value(const struct evgw_sim_state *s, enum evgw_sim_qty q);

#endif
