#!/bin/sh
# SPDX-License-Identifier: MIT
# The daemon's integration suite: the real evgwd driven over its socket by an
# independent Python client (standard library only).
# usage: run.sh EVGWD EVGW SOURCE_DIR
set -u
if [ $# -ne 3 ]; then
	echo "usage: $0 EVGWD EVGW SOURCE_DIR" >&2
	exit 2
fi
abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$(pwd)" "$1" ;; esac; }
EVGWD=$(abspath "$1")
EVGW=$(abspath "$2")
EVGW_SOURCE=$(abspath "$3")
export EVGWD EVGW EVGW_SOURCE
export PYTHONDONTWRITEBYTECODE=1  # leave the source tree as it was
for f in "$EVGWD" "$EVGW"; do
	if [ ! -x "$f" ]; then
		echo "integration: $f is not an executable" >&2
		exit 2
	fi
done
cd "$(dirname "$0")" || exit 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
python3 -m unittest -v test_daemon 2>&1 | tee "$out"
# Exit status of python3, not tee's, without bash's pipefail.
status=$(python3 - "$out" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
ran = re.findall(r"^Ran (\d+) tests?", text, re.M)
total = int(ran[-1]) if ran else 0
m = re.search(r"^FAILED \((.*)\)$", text, re.M)
bad = 0
if m:
    for kind, n in re.findall(r"(failures|errors|unexpected successes)=(\d+)", m.group(1)):
        bad += int(n)
skipped = 0
for n in re.findall(r"skipped=(\d+)", text):
    skipped = int(n)
ok = bool(ran) and (m is None) and re.search(r"^OK", text, re.M) is not None
print("%d %d %d %d" % (total - bad - skipped, bad if ran else 1, skipped, 0 if ok else 1))
PY
)
set -- $status
skipped=""
[ "$3" -gt 0 ] && skipped=", $3 skipped"
echo "integration: $1 passed, $2 failed$skipped"
exit "$4"
