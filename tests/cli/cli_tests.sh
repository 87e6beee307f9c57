#!/bin/sh
# SPDX-License-Identifier: MIT
# Offline CLI behaviour: exit statuses, messages with file:line:col, and the
# golden JSON output of `evgw decode` on the demo capture.
# usage: cli_tests.sh EVGW SOURCE_DIR
set -u
EVGW=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

check() { # name, condition (shell expression already evaluated as $?)
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi
}

# decode: the golden output, byte for byte (values worked out in the log's header).
"$EVGW" decode --json --quiet --dbc "$SRC/dbc/byd_atto3.dbc" "$SRC/dbc/samples/byd_atto3_demo.log" >"$TMP/out.jsonl"
check "decode exits 0" $?
diff -u "$SRC/tests/golden/byd_atto3_demo.jsonl" "$TMP/out.jsonl"
check "decode output matches the golden file" $?

# decode from stdin, compact form without timestamps.
printf '121#B202000000000000\n' | "$EVGW" decode --json --quiet --dbc "$SRC/dbc/byd_atto3.dbc" - >"$TMP/stdin.jsonl"
grep -q '"ts":null,"bus":null,"id":289,.*"VEHICLE_SPEED":50.025' "$TMP/stdin.jsonl"
check "decode reads stdin and the compact form" $?

# decode: a bad log line names file:line:col, other lines still decode, exit 1.
printf '(1.000000) can0 121#B202000000000000\n(2.000000) can0 12#00\n' >"$TMP/bad.log"
"$EVGW" decode --json --dbc "$SRC/dbc/byd_atto3.dbc" "$TMP/bad.log" >"$TMP/bad.out" 2>"$TMP/bad.err"
check "decode with a bad line exits 1" $(( $? == 1 ? 0 : 1 ))
grep -q "bad.log:2:19: error: " "$TMP/bad.err"
check "bad line reported as file:line:col" $?
test "$(wc -l <"$TMP/bad.out")" -eq 1
check "good lines still decode" $?

# decode: a missing DBC file is a usage error (2) naming the file.
"$EVGW" decode --dbc "$TMP/none.dbc" "$TMP/bad.log" 2>"$TMP/missing.err" >/dev/null
check "missing DBC exits 2" $(( $? == 2 ? 0 : 1 ))
grep -q "none.dbc: cannot load: No such file or directory" "$TMP/missing.err"
check "missing DBC named" $?

# dbc check: a clean file exits 0 with a summary.
"$EVGW" dbc check "$SRC/tests/vm/data/vm_test.dbc" >"$TMP/ok.out" 2>&1
check "clean DBC exits 0" $?
grep -q "2 messages, 3 signals" "$TMP/ok.out" # vm_test.dbc: TestMsg (Speed, Gear), CCVS1 (1 signal)
check "summary counts" $?

# dbc check: each lint finding, at its place, and exit 1.
"$EVGW" dbc check "$SRC/tests/data/lint_errors.dbc" >"$TMP/lint.out" 2>&1
check "lint errors exit 1" $(( $? == 1 ? 0 : 1 ))
for want in \
	"lint_errors.dbc:5:6: error: signal 'Second' overlaps signal 'First' (line 4)" \
	"lint_errors.dbc:6:6: error: signal 'Past' (start bit 60, 8 bits) runs past the 8-byte message 'Overlap'" \
	"lint_errors.dbc:7:6: error: multiplexed signal 'NoMux' has no multiplexor" \
	"lint_errors.dbc:8:6: warning: signal 'ZeroScale' has scale 0" \
	"lint_errors.dbc:9:6: warning: signal 'MinMax' has minimum 10 greater than maximum 5" \
	"lint_errors.dbc:10:9: error: duplicate message id 0x64" \
	"lint_errors.dbc:14:6: error: duplicate signal name 'Y' in message 'Overlap'" \
	"lint_errors.dbc:12:9: error: duplicate message name 'Overlap' (first on line 3)" \
	"lint_errors.dbc:15:10: warning: message 'Overlap' has no signal 'Missing'"; do
	grep -qF "$want" "$TMP/lint.out"
	check "lint: $want" $?
done

# dbc check --json: one object per file, valid for a JSON parser.
"$EVGW" dbc check --json "$SRC/tests/data/lint_errors.dbc" >"$TMP/lint.json" 2>/dev/null
grep -q '^{"file":".*lint_errors.dbc","ok":false,.*"errors":6,"warnings":3,"findings":\[{"line":' "$TMP/lint.json"
check "dbc check --json shape" $?

# dbc check --strict stops at the first error, naming it.
printf 'BO_ 1 M: 8 X\n SG_ A : 0|0@1+ (1,0) [0|0] "" X\n' >"$TMP/strict.dbc"
"$EVGW" dbc check --strict "$TMP/strict.dbc" >/dev/null 2>"$TMP/strict.err"
check "strict failure exits 2" $(( $? == 2 ? 0 : 1 ))
grep -q "strict.dbc:2:12: error: signal length 0 is not 1..64 bits" "$TMP/strict.err"
check "strict error names file:line:col" $?

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
