#!/bin/sh
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
exit $fail
