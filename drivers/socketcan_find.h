// SPDX-License-Identifier: MIT
/* Which CAN network interface a bus's `device` names. */
#ifndef EVGW_DRIVERS_SOCKETCAN_FIND_H
#define EVGW_DRIVERS_SOCKETCAN_FIND_H

#include <stddef.h>

/* spec is an interface name ("can0", "vcan1") or "usb:VVVV:PPPP[:SERIAL]":
 * the first CAN interface (in name order) whose USB device has that vendor
 * and product id (hex) and, when given, serial number. sysfs_root is
 * "/sys"; tests pass a tree of their own. Fills ifname (IFNAMSIZ bytes).
 * Returns 0, -ENODEV when nothing matches now, -EINVAL for a malformed
 * spec, -EMEDIUMTYPE when the named interface is not a CAN interface. */
int evgw_sc_find(const char *sysfs_root, const char *spec, char *ifname, size_t len);

#endif
