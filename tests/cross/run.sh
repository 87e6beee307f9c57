#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cross-builds evgw for a Raspberry Pi architecture and runs the cmocka unit
# tests and the offline CLI tests under qemu-user (no binfmt needed).
#
#   tests/cross/run.sh arm64|armhf [BUILD_ROOT]     (default BUILD_ROOT: build-cross)
#
# Not run for cross builds (said here so nobody expects them): the corpus
# check, the daemon's integration tests, the benchmarks and the fuzzers; they
# exercise the same C code as the native run, and under emulation they would
# cost most of CI's time.
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=$1
root=$(realpath -m "${2:-build-cross}")
case $arch in
arm64) triplet=aarch64-linux-gnu ;;
armhf) triplet=arm-linux-gnueabihf ;;
*) echo "usage: $0 arm64|armhf [BUILD_ROOT]" >&2; exit 2 ;;
esac
sysroot=$root/sysroot-$arch
build=$root/$arch
tests/cross/sysroot.sh "$arch" "$sysroot"
cmake -S . -B "$build" -G Ninja -DEVGW_WERROR=ON -DEVGW_BENCH=OFF \
	-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/$triplet.cmake" \
	-DEVGW_CROSS_SYSROOT="$sysroot" >/dev/null
ninja -C "$build"
file -b "$build/evgwd" | cut -d, -f1-2
(cd "$build" && ctest --output-on-failure -j2 -R '^(unit|cli)\.')
