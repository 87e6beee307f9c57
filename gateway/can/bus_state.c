// SPDX-License-Identifier: MIT
#include "can/bus_state.h"

const char *evgw_bus_state_name(enum evgw_bus_state s)
{
	static const char *const names[] = {
		[EVGW_BUS_ACTIVE] = "active",
		[EVGW_BUS_WARNING] = "warning",
		[EVGW_BUS_PASSIVE] = "passive",
		[EVGW_BUS_OFF] = "bus-off",
		[EVGW_BUS_RESTARTING] = "restarting",
		[EVGW_BUS_DOWN] = "down",
		[EVGW_BUS_GONE] = "gone",
		[EVGW_BUS_STOPPED] = "stopped",
	};
	/* The enum may come from outside (a cast int): never index past the table. */
	if ((unsigned)s >= sizeof names / sizeof names[0] || !names[s])
		return "unknown";
	return names[s];
}
