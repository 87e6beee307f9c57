// SPDX-License-Identifier: MIT
/* The ops tables of the drivers built into every evgw, for the registry. */
#ifndef EVGW_DRIVERS_BUILTIN_H
#define EVGW_DRIVERS_BUILTIN_H

#include "drivers/driver.h"

extern const struct evgw_driver_ops evgw_driver_replay;
extern const struct evgw_driver_ops evgw_driver_sim;
extern const struct evgw_driver_ops evgw_driver_slcan;
extern const struct evgw_driver_ops evgw_driver_socketcan;
extern const struct evgw_driver_ops evgw_driver_gsusb;
extern const struct evgw_driver_ops evgw_driver_canalyst;

#endif
