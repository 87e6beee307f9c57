#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# evgw developer entry point: installs what the build needs (Debian 12
# packages), builds, and runs the demo or the whole test suite.
#
#   ./dev.sh demo    build, then decode the sample BYD log with the BYD DBC
#   ./dev.sh test    build and run every test: unit, corpus, sanitizers,
#                    fuzzing (bounded), benchmark smoke run
#   ./dev.sh lint    cppcheck over the sources (also part of test)
#   ./dev.sh cross   arm64 and armhf builds, their unit and CLI tests under
#                    qemu-user (also part of test)
#   ./dev.sh package the Debian packages (amd64, arm64, armhf) with lintian;
#                    as root, the amd64 one installed, run, purged (part of test)
#   ./dev.sh deps    only install the packages
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev libmicrohttpd-dev libcrypt-dev
          libjs-chart.js gettext chromium chromium-driver python3-selenium poppler-utils
          libcmocka-dev libjson-c-dev libsystemd-dev libsqlite3-dev libsocketcan-dev sqlite3 python3
          libusb-1.0-0-dev zlib1g-dev liblzma-dev libzstd-dev gzip xz-utils zstd cppcheck
          libmosquitto-dev mosquitto mosquitto-clients python3-paho-mqtt openssl
          tshark python3-can)
CROSS_PACKAGES=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-arm-linux-gnueabihf
                libc6-dev-armhf-cross binutils-aarch64-linux-gnu binutils-arm-linux-gnueabihf
                qemu-user-static file)
PACKAGE_PACKAGES=(debhelper lintian dpkg-dev)
# The real-kernel tests (tests/vm/): QEMU boots Debian's stock kernel, which
# has SocketCAN; can-utils and python3-can are the independent peers.
VM_PACKAGES=(qemu-system-x86 linux-image-amd64 busybox-static cpio can-utils python3-can
             iproute2 kmod)
# The benchmark figures' peers: a pure-Python decoder (cantools is not in
# Debian) and callgrind's exact instruction counts.
BENCH_PACKAGES=(python3-canmatrix valgrind)
FUZZ_SECONDS=${EVGW_FUZZ_SECONDS:-30}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

deps() { # [PACKAGE...], default: PACKAGES
	[ $# -gt 0 ] || set -- "${PACKAGES[@]}"
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "== installing: ${missing[*]}"
		as_root apt-get update -q
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"${missing[@]}"
	fi
}

build() { # dir, extra cmake args...
	local dir=$1
	shift
	cmake -S . -B "$dir" -G Ninja -DEVGW_WERROR=ON "$@" >/dev/null
	ninja -C "$dir"
}

demo() {
	deps
	build build
	DEMO_TMP=$(mktemp -d)
	local sock=$DEMO_TMP/evgw.sock
	echo "== evgwd --demo (two simulated vehicles: a BYD car and a Yutong-style e-bus)"
	./build/evgwd --demo --socket "$sock" --state-dir "$DEMO_TMP/state" >"$DEMO_TMP/evgwd.log" 2>&1 &
	DEMO_PID=$!
	trap 'kill "$DEMO_PID" 2>/dev/null; wait "$DEMO_PID" 2>/dev/null; rm -rf "$DEMO_TMP"' EXIT
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	sleep 2 # let the vehicles drive off
	local evgw=(./build/evgw --socket "$sock")
	echo "== evgw buses";                 "${evgw[@]}" buses
	echo "== evgw messages car";          "${evgw[@]}" messages car
	echo "== evgw signals";               "${evgw[@]}" signals
	echo "== evgw watch signals 'WheelBasedVehicleSpeed' (3 s)"
	timeout 3 "${evgw[@]}" watch signals WheelBasedVehicleSpeed --rate 2 || true
	echo "== evgw read-dtc 7E7 --bus car       (UDS 0x19 to the simulated BMS)"
	"${evgw[@]}" read-dtc 7E7 --bus car
	echo "== evgw read-dtc j1939 --bus ebus    (J1939 DM2 from every ECU)"
	"${evgw[@]}" read-dtc j1939 --bus ebus
	echo "== evgw battery --bus car            (the BMS's DIDs by UDS 0x22: SOC, cells, capacities, SOH)"
	"${evgw[@]}" battery --bus car
	echo "== evgw battery --bus ebus           (the same from the e-bus BMS's broadcast frames)"
	"${evgw[@]}" battery --bus ebus
	echo "== evgw faults --history             (what was read and seen; plain 'faults': active now)"
	"${evgw[@]}" faults --history
	echo "== evgw watch frames (1 s, first lines)"
	timeout 1 "${evgw[@]}" watch frames | head -8 || true
	echo "== offline: evgw decode --dbc dbc/byd_atto3.dbc dbc/samples/byd_atto3_demo.log | tail"
	./build/evgw decode --dbc dbc/byd_atto3.dbc dbc/samples/byd_atto3_demo.log | tail -6
	echo
	echo "To keep it running: ./build/evgwd --demo   (then, in another terminal: ./build/evgw signals;"
	echo "after its first minute, ./build/evgw charging --bus ebus: the bus's GB/T 27930 charge, 52 s into each)"
	echo "The workshop screen: ./build/evgw-web beside it, then open http://127.0.0.1:8080/"
}

cross() { # Raspberry Pi builds (cmake/toolchains), tested under qemu-user
	deps "${CROSS_PACKAGES[@]}"
	for arch in arm64 armhf; do
		echo "== cross build $arch: unit and offline CLI tests under qemu-user"
		tests/cross/run.sh "$arch" build-cross
	done
}

package() { # debian/: build, lintian, and (root) install/run/remove/purge
	deps "${PACKAGE_PACKAGES[@]}" "${CROSS_PACKAGES[@]}"
	for arch in arm64 armhf; do
		echo "== Debian package $arch (cross-built), lintian"
		tests/package/build.sh "$arch" build-package
	done
	echo "== Debian package amd64: lintian, install, evgwd --demo, evgw, remove, purge"
	tests/package/run.sh build-package || [ $? = 77 ]
}

lint() {
	echo "== every source file carries an SPDX licence line (MIT, see LICENSE)"
	local unlicensed
	unlicensed=$(git ls-files '*.c' '*.h' '*.py' '*.sh' '*.cmake' '*CMakeLists.txt' '*.sh.in' \
		| while read -r f; do head -3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"; done)
	if [ -n "$unlicensed" ]; then echo "missing SPDX line: $unlicensed" >&2; return 1; fi
	echo "== README's Layout names every directory"
	python3 tests/check_layout.py
	echo "== the daemon knows no consumer: nothing under gateway/daemon/ includes gateway/api/"
	if grep -rnE '#include[[:space:]]*"api/' gateway/daemon/; then
		echo "gateway/daemon/ must not include the API: emit an event (daemon/events.h) instead" >&2
		return 1
	fi
	echo "== evgw-web is a client of the socket: gateway/web/ includes only web/ and util/"
	if grep -rnE '#include[[:space:]]*"' gateway/web/ | grep -vE '#include[[:space:]]*"(web|util)/'; then
		echo "gateway/web/ must not include the daemon's code: ask evgwd over its socket" >&2
		return 1
	fi
	echo "== cppcheck (warnings, performance, portability): no findings allowed"
	cppcheck --enable=warning,performance,portability --std=c11 --inline-suppr -q \
		--error-exitcode=1 --suppress=missingIncludeSystem -Igateway -I. gateway/ drivers/
}

test_all() {
	deps
	deps "${VM_PACKAGES[@]}"
	lint
	echo "== release build (gcc, -Werror): unit, corpus, benchmark smoke"
	build build
	(cd build && ctest --output-on-failure -j2)
	echo "== AddressSanitizer + UndefinedBehaviorSanitizer build: unit, corpus"
	build build-asan -DCMAKE_BUILD_TYPE=Debug -DEVGW_SANITIZE=ON -DEVGW_BENCH=OFF
	(cd build-asan && ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=32 \
		UBSAN_OPTIONS=print_stacktrace=1 EVGW_RSS_LIMIT_KB=$((256 * 1024)) \
		ctest --output-on-failure -j2)
	echo "== fuzzing (clang libFuzzer), ${FUZZ_SECONDS} s per target"
	CC=clang build build-fuzz -DEVGW_FUZZ=ON -DEVGW_BENCH=OFF -DEVGW_FUZZ_SECONDS="$FUZZ_SECONDS"
	# Two at once: each target is one process on one core.
	(cd build-fuzz && ctest --output-on-failure -j2 -R '^fuzz\.')
	cross
	package
	echo "== benchmark figures (short run)"
	deps "${BENCH_PACKAGES[@]}"
	local corpus=../shared/dbc-corpus/opendbc-ford_lincoln_base_pt/ford_lincoln_base_pt.dbc
	[ -f "$corpus" ] || corpus=tests/data/bench_sample.dbc
	./build/tests/evgw-bench --dbc "$corpus" --repeat 3
	echo "== evgw decode now and before issue 15 (its parent commit, built in build-baseline), same log"
	local frames=../shared/dbc-corpus/opendbc-ford_lincoln_base_pt/frames.log decode_dbc=$corpus baseline=()
	if [ ! -f "$frames" ]; then frames=dbc/samples/byd_atto3_demo.log decode_dbc=dbc/byd_atto3.dbc; fi
	if tests/bench/build_baseline.sh build-baseline; then baseline=(--baseline build-baseline/build/evgw); fi
	python3 tests/bench/decode_bench.py --evgw build/evgw "${baseline[@]}" --dbc "$decode_dbc" \
		--frames "$frames" --repeat 3
	echo "== evgw-web: RSS with 10 pages open, frame-to-page latency (demo vehicles, 10 s)"
	python3 tests/bench/web_bench.py build/evgwd build/evgw-web --clients 10 --seconds 10
	echo "== the socket API's text: 64 frames subscribers on a saturated bus, a 2000-signal reply"
	./build/tests/evgw-subs-bench --dbc "$(realpath "$corpus")" --seconds 3
	echo "== recording: what candump text and pcapng add per frame"
	./build/tests/evgw-record-bench --frames 300000 --repeat 3
	echo "== socketcand: what one client adds per frame, and its memory"
	./build/tests/evgw-socketcand-bench --frames 100000
	tests/vm/run-in-vm.sh -t 300 -- /usr/bin/python3 tests/vm/bench_socketcan.py \
		"$(pwd)/build/evgwd" 200000 || echo "(socketcan bench skipped: no VM here)"
}

case "${1:-}" in
demo) demo ;;
test) test_all ;;
deps) deps ;;
lint) deps && lint ;;
cross) cross ;;
package) package ;;
*)
	echo "usage: $0 demo|test|deps|lint|cross|package" >&2
	exit 2
	;;
esac
