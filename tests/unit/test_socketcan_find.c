// SPDX-License-Identifier: MIT
/* Finding a CAN interface by name or by the USB adapter behind it, in a
 * sysfs tree laid out as the kernel does (class/net/<if>/type = 280 for
 * ARPHRD_CAN; class/net/<if>/device -> the USB interface, whose parent
 * directory holds idVendor/idProduct/serial). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "drivers/socketcan_find.h"

static char root[PATH_MAX];

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	/* mkdir -p of the parent */
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *rel, const char *target)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* can0: a gs_usb candleLight (1d50:606f, serial 0042); can1: a PEAK
 * (0c72:000c); can2: a second candleLight (serial 0077); vcan0; eth0. */
static int make_tree(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "%s/evgw-sysfs-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(root));
	const char *usb[][4] = {
		{"devices/pci0/usb1/1-1", "1d50", "606f", "0042"},
		{"devices/pci0/usb1/1-2", "0c72", "000c", "PEAK1"},
		{"devices/pci0/usb1/1-3", "1d50", "606f", "0077"},
	};
	const char *ifs[] = {"can0", "can1", "can2"};
	for (int i = 0; i < 3; i++) {
		char rel[256];
		snprintf(rel, sizeof rel, "%s/idVendor", usb[i][0]);
		put(rel, usb[i][1]);
		snprintf(rel, sizeof rel, "%s/idProduct", usb[i][0]);
		put(rel, usb[i][2]);
		snprintf(rel, sizeof rel, "%s/serial", usb[i][0]);
		put(rel, usb[i][3]);
		snprintf(rel, sizeof rel, "%s/%s:1.0/net/%s/type", usb[i][0], usb[i][0] + 18, ifs[i]);
		put(rel, "280\n");
		snprintf(rel, sizeof rel, "class/net/%s/type", ifs[i]);
		put(rel, "280\n");
		char target[PATH_MAX * 2];
		snprintf(target, sizeof target, "%s/%s/%s:1.0", root, usb[i][0], usb[i][0] + 18);
		snprintf(rel, sizeof rel, "class/net/%s/device", ifs[i]);
		link_to(rel, target);
	}
	put("class/net/vcan0/type", "280\n");
	put("class/net/eth0/type", "1\n");
	return 0;
}

static int remove_tree(void **state)
{
	(void)state;
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_by_name(void **state)
{
	(void)state;
	char ifname[16];
	assert_int_equal(evgw_sc_find(root, "can1", ifname, sizeof ifname), 0);
	assert_string_equal(ifname, "can1");
	assert_int_equal(evgw_sc_find(root, "vcan0", ifname, sizeof ifname), 0);
	assert_int_equal(evgw_sc_find(root, "can7", ifname, sizeof ifname), -ENODEV);
	assert_int_equal(evgw_sc_find(root, "eth0", ifname, sizeof ifname), -EMEDIUMTYPE);
	assert_int_equal(evgw_sc_find(root, "../../etc", ifname, sizeof ifname), -EINVAL);
	assert_int_equal(evgw_sc_find(root, "averyveryverylongname", ifname, sizeof ifname), -EINVAL);
	assert_int_equal(evgw_sc_find(root, "", ifname, sizeof ifname), -EINVAL);
}

static void test_by_usb(void **state)
{
	(void)state;
	char ifname[16];
	/* The first in name order when no serial is given. */
	assert_int_equal(evgw_sc_find(root, "usb:1d50:606f", ifname, sizeof ifname), 0);
	assert_string_equal(ifname, "can0");
	assert_int_equal(evgw_sc_find(root, "usb:1D50:606F:0077", ifname, sizeof ifname), 0);
	assert_string_equal(ifname, "can2");
	assert_int_equal(evgw_sc_find(root, "usb:0c72:000c", ifname, sizeof ifname), 0);
	assert_string_equal(ifname, "can1");
	assert_int_equal(evgw_sc_find(root, "usb:1d50:606f:9999", ifname, sizeof ifname), -ENODEV);
	assert_int_equal(evgw_sc_find(root, "usb:04d8:0053", ifname, sizeof ifname), -ENODEV);
	assert_int_equal(evgw_sc_find(root, "usb:1d50", ifname, sizeof ifname), -EINVAL);
	assert_int_equal(evgw_sc_find(root, "usb:1d5g:606f", ifname, sizeof ifname), -EINVAL);
	assert_int_equal(evgw_sc_find(root, "usb:1d50:606f:", ifname, sizeof ifname), -EINVAL);
	assert_int_equal(evgw_sc_find(root, "usb:1d50-606f", ifname, sizeof ifname), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name),
		cmocka_unit_test(test_by_usb),
	};
	return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
