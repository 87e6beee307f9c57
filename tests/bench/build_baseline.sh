#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds `evgw` as it was before issue 15 (text output at memory speed), so
# that decode_bench.py can print the figures before and after side by side,
# on the same log in the same run. Needs the git history; without it the
# bench prints the new figures only.
# usage: build_baseline.sh DIR    (the program: DIR/build/evgw)
set -eu
commit=ae71bd5f2739d631e6abad94a26e40ebf5025098
dir=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
if [ -x "$dir/build/evgw" ] && [ "$(cat "$dir/commit" 2>/dev/null)" = "$commit" ]; then
	exit 0
fi
if ! git -C "$src" cat-file -e "$commit^{commit}" 2>/dev/null; then
	echo "build_baseline.sh: commit $commit not in this checkout's history" >&2
	exit 77
fi
rm -rf "$dir"
mkdir -p "$dir/src"
git -C "$src" archive "$commit" | tar -x -C "$dir/src"
cmake -S "$dir/src" -B "$dir/build" -G Ninja -DEVGW_TESTS=OFF -DEVGW_BENCH=OFF >/dev/null
ninja -C "$dir/build" evgw >/dev/null
echo "$commit" >"$dir/commit"
