#!/bin/sh
# SPDX-License-Identifier: MIT
# The real-kernel suite: test_socketcan.py inside run-in-vm.sh (or natively
# where the kernel has vcan). usage: run.sh EVGWD EVGW
# Exit 77 (skip) only when the VM cannot be started here.
set -u
[ $# -eq 2 ] || { echo "usage: $0 EVGWD EVGW" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
"$py" -c 'import can' 2>/dev/null || { echo "vm: SKIP: needs Debian's python3-can" >&2; exit 77; }
command -v cansend >/dev/null || { echo "vm: SKIP: needs can-utils" >&2; exit 77; }
cd "$here" || exit 2
exec "$here/run-in-vm.sh" -t "${EVGW_VM_TIMEOUT:-900}" -- env EVGWD="$1" EVGW="$2" \
	PYTHONDONTWRITEBYTECODE=1 "$py" -m unittest -v test_socketcan
