#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the evgw Debian package for one architecture from the working tree
# (a copy of it: dpkg-buildpackage writes into the source tree) and checks it
# with lintian: errors and warnings fail (explained overrides are in
# debian/evgw.lintian-overrides).
#
#   tests/package/build.sh amd64|arm64|armhf WORKDIR
#
# The .deb ends up in WORKDIR/out/. Cross builds take the libraries from the
# sysroot of tests/cross/sysroot.sh (WORKDIR/sysroot-ARCH).
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=$1
work=$(realpath -m "$2")
src=$work/src-$arch
mkdir -p "$work/out"
rm -rf "$src" "$work"/evgw*_"$arch".* "$work"/evgw*_"$arch"_*
mkdir -p "$src"
# The tree as it is (tracked and new files), without build directories.
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$src"
fi

args=(-b -us -uc)
env=()
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
	tests/cross/sysroot.sh "$arch" "$work/sysroot-$arch"
	# -d: the build dependencies are in the sysroot, not installed for $arch.
	args+=(-a "$arch" -Pcross,nocheck -d)
	env=(EVGW_CROSS_SYSROOT="$work/sysroot-$arch" DEB_BUILD_OPTIONS=nocheck)
fi
log=$work/build-$arch.log
if ! (cd "$src" && env "${env[@]}" dpkg-buildpackage "${args[@]}") >"$log" 2>&1; then
	tail -40 "$log"
	echo "package $arch: dpkg-buildpackage failed (log: $log)" >&2
	exit 1
fi
deb=$(ls "$work"/evgw_*_"$arch".deb)
mv "$deb" "$work/out/"
deb=$work/out/$(basename "$deb")
rm -rf "$src"
echo "built $deb ($(du -k "$deb" | cut -f1) KiB)"
dpkg-deb -f "$deb" Depends

echo "lintian $arch:"
lintian --fail-on error,warning --display-info --pedantic "$deb" || {
	echo "package $arch: lintian found errors or warnings" >&2
	exit 1
}
