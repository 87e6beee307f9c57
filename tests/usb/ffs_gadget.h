// SPDX-License-Identifier: MIT
/* A USB device made in userspace for the tests: a configfs gadget with one
 * FunctionFS function on dummy_hcd's UDC (usb-gadget.md), so that the host
 * side of the same kernel sees a real USB device. Needs root, configfs at
 * /sys/kernel/config and the modules dummy_hcd, libcomposite, usb_f_fs. */
#ifndef EVGW_TESTS_FFS_GADGET_H
#define EVGW_TESTS_FFS_GADGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FFS_MAX_EPS 12

struct ffs_gadget {
	char name[32];
	char gdir[160];  /* configfs gadget directory */
	char mnt[160];   /* FunctionFS mount point */
	char udc[64];
	int ep0;
	int ep[FFS_MAX_EPS]; /* ep1.. in descriptor order */
	uint8_t addr[FFS_MAX_EPS]; /* the address the UDC gave each, once bound */
	int n_eps;
	bool mounted;
};

/* Create the gadget (not yet bound): VID:PID, strings, one configuration. */
int ffs_gadget_create(struct ffs_gadget *g, const char *name, uint16_t vid, uint16_t pid,
		      const char *product, const char *serial);
/* One vendor-class interface with n bulk endpoints (in[i]: direction IN),
 * full- and high-speed descriptors; opens ep0 and the endpoint files. */
int ffs_gadget_functions(struct ffs_gadget *g, const bool *in, int n);
/* Attach to / detach from the UDC: a plug-in / an unplug for the host. */
int ffs_gadget_bind(struct ffs_gadget *g);
int ffs_gadget_unbind(struct ffs_gadget *g);
/* Read the endpoint addresses the UDC chose (valid after ENABLE). */
void ffs_gadget_read_addrs(struct ffs_gadget *g);
void ffs_gadget_destroy(struct ffs_gadget *g);

/* ep0 stalls: the opposite-direction zero-length operation (usb-gadget.md). */
void ffs_ep0_stall(int ep0, bool dir_in);

#endif
