// SPDX-License-Identifier: MIT
#include "faults/fault.h"

#include <string.h>

const char *evgw_fault_protocol_name(enum evgw_fault_protocol p)
{
	static const char *const names[] = {"", "dbc", "j1939", "uds", "kwp", "obd", "gbt27930"};
	return (unsigned)p < sizeof names / sizeof names[0] ? names[p] : "";
}

const char *evgw_fault_status_name(enum evgw_fault_status s)
{
	static const char *const names[] = {"", "active", "stored", "pending", "cleared"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "";
}

const char *evgw_fault_severity_name(enum evgw_fault_severity s)
{
	static const char *const names[] = {"", "info", "warning", "error", "critical"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "";
}

int evgw_fault_status_parse(const char *s)
{
	for (int i = EVGW_FS_ACTIVE; i <= EVGW_FS_CLEARED; i++)
		if (!strcmp(s, evgw_fault_status_name((enum evgw_fault_status)i)))
			return i;
	return -1;
}
