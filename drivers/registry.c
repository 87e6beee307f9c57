// SPDX-License-Identifier: MIT
/* The list of drivers and the names the core prints for bus states. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"

const struct evgw_driver_ops *const evgw_drivers[] = {
	&evgw_driver_replay,
	&evgw_driver_sim,
	&evgw_driver_slcan,
	&evgw_driver_socketcan,
	&evgw_driver_gsusb,
	&evgw_driver_canalyst,
	NULL,
};

const struct evgw_driver_ops *evgw_driver_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; evgw_drivers[i]; i++)
		if (strcmp(evgw_drivers[i]->name, name) == 0)
			return evgw_drivers[i];
	return NULL;
}

static void vset_err(struct evgw_driver_err *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void vset_err(struct evgw_driver_err *err, const char *fmt, va_list ap)
{
	if (err)
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

void evgw_driver_set_err(struct evgw_driver_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset_err(err, fmt, ap);
	va_end(ap);
}

int evgw_driver_fail(struct evgw_driver_err *err, int r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset_err(err, fmt, ap);
	va_end(ap);
	return r;
}
