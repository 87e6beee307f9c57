#!/bin/sh
# SPDX-License-Identifier: MIT
# Every DBC file shipped in dbc/ loads with `evgw dbc check` and has no
# errors (warnings are explained in dbc/README.md).
# usage: dbc_check.sh EVGW SOURCE_DIR
set -u
EVGW=$1
SRC=$2
fail=0
n=0
for f in $(find "$SRC/dbc" -name '*.dbc' | sort); do
	n=$((n + 1))
	out=$("$EVGW" dbc check "$f" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q ': 0 errors, '; then
		echo "FAIL $f (exit $rc):"
		printf '%s\n' "$out"
		fail=1
	else
		printf '%s\n' "$out" | tail -n 1
	fi
done
[ $n -gt 0 ] || { echo "no DBC files under $SRC/dbc"; exit 1; }

# Bad EvgwChecksum/EvgwCounter attributes are warnings at the attribute's
# value's text: data/bad_integrity.dbc line 18 (unknown algorithm "crc99",
# column 32 = the c after the quote) and line 20 (a checksum at bit 4, not a
# whole byte, column 33 = the s of "sum8").
bad=$SRC/tests/golden/data/bad_integrity.dbc
out=$("$EVGW" dbc check "$bad" 2>&1)
rc=$?
for want in "$bad:18:32: warning: MSG1.CS: unknown EvgwChecksum algorithm \"crc99\"" \
	"$bad:20:33: warning: MSG2.CS2: an EvgwChecksum signal must be one whole" \
	"$bad: 0 errors, 2 warnings"; do
	if ! printf '%s\n' "$out" | grep -qF "$want"; then
		echo "FAIL $bad: expected '$want' in:"
		printf '%s\n' "$out"
		fail=1
	fi
done
[ $rc -eq 0 ] || { echo "FAIL $bad: exit $rc (warnings only must exit 0)"; fail=1; }
exit $fail
