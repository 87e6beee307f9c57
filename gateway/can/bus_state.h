// SPDX-License-Identifier: MIT
/* The state of a bus, as drivers report it and error frames change it. */
#ifndef EVGW_CAN_BUS_STATE_H
#define EVGW_CAN_BUS_STATE_H

enum evgw_bus_state {
	EVGW_BUS_ACTIVE = 0,
	EVGW_BUS_WARNING,
	EVGW_BUS_PASSIVE,
	EVGW_BUS_OFF,
	EVGW_BUS_RESTARTING,
	EVGW_BUS_DOWN,
	EVGW_BUS_GONE,
	EVGW_BUS_STOPPED,          /* e.g. a replay that reached its end */
};

/* "active", "bus-off", ...: the names the API and the log use. */
const char *evgw_bus_state_name(enum evgw_bus_state s);

#endif
