#!/bin/sh
# SPDX-License-Identifier: MIT
# `evgw decode` as a user runs it: the three output forms against golden
# files, compressed logs (gzip, xz, zstd; files and pipes), damaged input,
# options and help. The golden values are worked out in the demo log's
# header; the times are 1764340000 = 2025-11-28 14:26:40 UTC.
# usage: decode_tests.sh EVGW SOURCE_DIR
set -u
EVGW=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
DBC=$SRC/dbc/byd_atto3.dbc
LOG=$SRC/dbc/samples/byd_atto3_demo.log
GOLD=$SRC/tests/golden

check() { # name, status (0 = pass)
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi
}

# The three forms, byte for byte (local time in UTC for the text forms).
"$EVGW" decode --json --quiet --dbc "$DBC" "$LOG" >"$TMP/out.jsonl"
check "json exits 0" $?
diff -u "$GOLD/byd_atto3_demo.jsonl" "$TMP/out.jsonl"
check "json matches its golden file" $?
TZ=UTC "$EVGW" decode --quiet --dbc "$DBC" "$LOG" >"$TMP/out.txt"
check "text exits 0" $?
diff -u "$GOLD/byd_atto3_demo.txt" "$TMP/out.txt"
check "text matches its golden file" $?
TZ=UTC "$EVGW" decode --table --quiet --dbc "$DBC" "$LOG" >"$TMP/out.table"
check "table exits 0" $?
diff -u "$GOLD/byd_atto3_demo.table" "$TMP/out.table"
check "table matches its golden file" $?

# A recording with direction marks (candump -l -x's " R"/" T"; evgw's
# recorder marks what it sent " T") decodes as the same frames without them.
sed -e '/^(/s/$/ T/' "$LOG" >"$TMP/marked.log"
"$EVGW" decode --json --quiet --dbc "$DBC" "$TMP/marked.log" >"$TMP/marked.jsonl"
check "direction marks: exits 0" $?
diff -u "$GOLD/byd_atto3_demo.jsonl" "$TMP/marked.jsonl"
check "direction marks: the same frames" $?

# Text shows local time: the same instant in Tokyo (UTC+9, no DST) and in
# a POSIX zone string five hours behind UTC.
TZ=Asia/Tokyo "$EVGW" decode --quiet --dbc "$DBC" "$LOG" | head -1 >"$TMP/tokyo.txt"
[ "$(cat "$TMP/tokyo.txt")" = "10 2025-11-28 23:26:40.000000 can0 242 DRIVE_STATE" ] ||
	[ ! -e /usr/share/zoneinfo/Asia/Tokyo ]
check "text time is local (Asia/Tokyo)" $?
TZ=EST5 "$EVGW" decode --quiet --dbc "$DBC" "$LOG" | head -1 >"$TMP/est.txt"
[ "$(cat "$TMP/est.txt")" = "10 2025-11-28 09:26:40.000000 can0 242 DRIVE_STATE" ]
check "text time is local (EST5)" $?

# Compressed logs, recognised by content: the same JSON as the plain log,
# from a file and from a pipe.
for z in "gzip -c" "xz -c" "zstd -q -c"; do
	tool=${z%% *}
	command -v "$tool" >/dev/null 2>&1 || { echo "skip: no $tool"; continue; }
	$z "$LOG" >"$TMP/log.z"
	"$EVGW" decode --json --quiet --dbc "$DBC" "$TMP/log.z" | cmp -s - "$GOLD/byd_atto3_demo.jsonl"
	check "$tool file decodes like the plain log" $?
	$z "$LOG" | "$EVGW" decode --json --quiet --dbc "$DBC" - | cmp -s - "$GOLD/byd_atto3_demo.jsonl"
	check "$tool pipe decodes like the plain log" $?
	# Cut short: an error naming the file and the format, exit 2, and
	# the frames before the cut still printed.
	size=$(wc -c <"$TMP/log.z")
	head -c $((size - 6)) "$TMP/log.z" >"$TMP/cut.z"
	"$EVGW" decode --json --quiet --dbc "$DBC" "$TMP/cut.z" >"$TMP/cut.out" 2>"$TMP/cut.err"
	check "$tool cut short exits 2" $(( $? == 2 ? 0 : 1 ))
	grep -q "cut.z:[0-9]*: corrupt or truncated $tool data" "$TMP/cut.err"
	check "$tool cut short names the file and the format" $?
done
# Concatenated gzip members (cat a.gz b.gz) are one log.
if command -v gzip >/dev/null 2>&1; then
	head -15 "$LOG" | gzip -c >"$TMP/two.gz"
	tail -n +16 "$LOG" | gzip -c >>"$TMP/two.gz"
	"$EVGW" decode --json --quiet --dbc "$DBC" "$TMP/two.gz" | cmp -s - "$GOLD/byd_atto3_demo.jsonl"
	check "concatenated gzip members decode as one log" $?
fi

# A line past 64 KiB is reported by number and skipped; the rest decodes.
{ head -12 "$LOG"; head -c 70000 /dev/zero | tr '\0' 'A'; echo; tail -n +13 "$LOG"; } >"$TMP/long.log"
"$EVGW" decode --json --dbc "$DBC" "$TMP/long.log" >"$TMP/long.out" 2>"$TMP/long.err"
check "an overlong line exits 1" $(( $? == 1 ? 0 : 1 ))
grep -q "long.log:13:65537: error: line longer than 65536 bytes" "$TMP/long.err"
check "the overlong line is named by number" $?
test "$(wc -l <"$TMP/long.out")" -eq 10
check "the other frames still decode" $?

# Options: --help on stdout with exit 0, --dbc=FILE, mistakes are usage
# errors (2) that say what was wrong.
"$EVGW" decode --help >"$TMP/help.out" 2>"$TMP/help.err"
check "--help exits 0" $?
head -1 "$TMP/help.out" | grep -q "^usage: evgw decode --dbc FILE"
check "--help prints the usage on stdout" $?
grep -q -- "--table" "$TMP/help.out" && grep -q "gzip, xz" "$TMP/help.out" && [ ! -s "$TMP/help.err" ]
check "--help describes the forms and compressed input" $?
"$EVGW" decode -h >/dev/null
check "-h exits 0" $?
"$EVGW" decode --json --quiet --dbc="$DBC" "$LOG" | cmp -s - "$GOLD/byd_atto3_demo.jsonl"
check "--dbc=FILE works" $?
"$EVGW" decode --bogus --dbc "$DBC" "$LOG" >/dev/null 2>"$TMP/bogus.err"
check "an unknown option exits 2" $(( $? == 2 ? 0 : 1 ))
grep -q "unknown option '--bogus'" "$TMP/bogus.err"
check "the unknown option is named" $?
"$EVGW" decode "$LOG" >/dev/null 2>"$TMP/nodbc.err"
check "no --dbc exits 2" $(( $? == 2 ? 0 : 1 ))
grep -q "dbc FILE is required" "$TMP/nodbc.err"
check "no --dbc says so" $?
"$EVGW" decode --dbc >/dev/null 2>"$TMP/noval.err"
check "--dbc without a value exits 2" $(( $? == 2 ? 0 : 1 ))
grep -q "option '--dbc' needs a value" "$TMP/noval.err"
check "--dbc without a value says so" $?
"$EVGW" decode --dbc "$DBC" "$LOG" "$LOG" >/dev/null 2>"$TMP/two.err"
check "two logs exit 2" $(( $? == 2 ? 0 : 1 ))
"$EVGW" decode --dbc "$DBC" "$TMP/absent.log" >/dev/null 2>"$TMP/absent.err"
check "a missing log exits 2" $(( $? == 2 ? 0 : 1 ))
grep -q "absent.log: No such file or directory" "$TMP/absent.err"
check "the missing log is named" $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
