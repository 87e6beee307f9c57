// SPDX-License-Identifier: MIT
#include "daemon/demo.h"

/* Two simulated vehicles: a BYD car on an OBD-port bus and a Yutong-style
 * electric bus on J1939. */
int evgw_daemon_demo_config(struct evgw_config *cfg, char *err, size_t errlen)
{
	static const char demo[] =
		"[bus car]\n"
		"driver = sim\n"
		"device = byd-atto3\n"
		"bitrate = 500k\n"
		"mode = diagnostic\n" /* simulated: asking its ECUs is safe */
		"dbc = byd_atto3.dbc demo/byd_demo_bms.dbc\n"
		"profile = byd_atto3\n"
		"[bus ebus]\n"
		"driver = sim\n"
		"device = yutong-bus\n"
		"bitrate = 250k\n"
		"mode = diagnostic\n"
		"dbc = yutong_ebus.dbc ebus_bms_golden_dragon.dbc\n"
		"profile = ebus_golden_dragon\n"
		"protocols = j1939\n";
	return evgw_config_load_string(cfg, demo, "<demo>", err, errlen);
}
