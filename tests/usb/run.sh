#!/bin/sh
# SPDX-License-Identifier: MIT
# USB adapter tests on the kernel's USB stack: tests/vm/test_usb.py inside
# run-in-vm.sh (always the VM: dummy_hcd and root are needed).
# usage: run.sh EVGWD GSUSB_EMU CANALYST_EMU [TEST...]
# Exit 77 (skip) only when the VM cannot be started here.
set -u
[ $# -ge 3 ] || { echo "usage: $0 EVGWD GSUSB_EMU CANALYST_EMU [TEST...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
evgwd=$1 gs=$2 ca=$3
shift 3
command -v cansend >/dev/null || { echo "vm.usb: SKIP: needs can-utils" >&2; exit 77; }
cd "$here/../vm" || exit 2
[ $# -gt 0 ] || set -- test_usb
# Inside, a kernel without dummy_hcd or FunctionFS is a skip too.
exec "$here/../vm/run-in-vm.sh" -n -t "${EVGW_VM_TIMEOUT:-600}" -- env EVGWD="$evgwd" \
	GSUSB_EMU="$gs" CANALYST_EMU="$ca" PYTHONDONTWRITEBYTECODE=1 sh -c \
	'for m in dummy_hcd libcomposite usb_f_fs; do modprobe "$m" || { echo "vm.usb: SKIP: no $m" >&2; exit 77; }; done
	exec /usr/bin/python3 -m unittest -v "$@"' sh "$@"
