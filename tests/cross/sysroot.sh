#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Unpacks the target's library packages (Debian's arm64 or armhf .debs) into
# a private sysroot for the cross build, without installing them.
#
#   tests/cross/sysroot.sh ARCH DIR      ARCH: arm64 | armhf
#
# Why not multiarch (dpkg --add-architecture arm64; apt-get install
# libjson-c-dev:arm64)? Multi-Arch: same libraries must have the same version
# for every architecture, so one host package newer or older than the
# archive's foreign build blocks the whole set; on the development machine
# libssl3, liblzma5 and linux-libc-dev did. And a foreign architecture whose
# index fails to download makes every later `apt-get update` fail. So apt
# runs here with a private state (its own lists, architecture arm64/armhf
# only) and the host's packages and apt configuration stay as they are. The
# C library comes from the cross compiler's own libc6-dev-<arch>-cross
# (/usr/<triplet>), as usual.
#
# DIR/shlibs collects the packages' shlibs lines, so dpkg-shlibdeps can name
# the right runtime dependencies when a .deb is cross-built (debian/rules).
set -euo pipefail
arch=$1
dir=$(realpath -m "$2")

# Build- and run-time libraries (run-time: the tests under qemu-user).
packages=(libjson-c5 libjson-c-dev libsqlite3-0 libsqlite3-dev
	libcmocka0 libcmocka-dev libsystemd0 libsystemd-dev libcap2 libgcrypt20
	libgpg-error0 liblz4-1 liblzma5 libzstd1 libusb-1.0-0 libusb-1.0-0-dev libudev1
	libsocketcan2 libsocketcan-dev zlib1g zlib1g-dev liblzma-dev libzstd-dev
	libmosquitto1 libmosquitto-dev libssl3
	libmicrohttpd12 libmicrohttpd-dev libcrypt1 libcrypt-dev
	libgnutls30 libgnutls28-dev libnettle8 libhogweed6 nettle-dev libgmp10 libgmp-dev
	libtasn1-6 libtasn1-6-dev libidn2-0 libidn2-dev libp11-kit0 libp11-kit-dev
	libunistring2 libffi8)
# evgw-web: libmicrohttpd and libcrypt (yescrypt); libmicrohttpd.pc names
# gnutls (Requires.private), whose .pc names nettle, hogweed, libtasn1,
# libidn2 and p11-kit-1, so pkg-config wants their -dev packages too.

stamp="$dir/.complete"
want="${packages[*]} libc6"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi

rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial"
apt_opts=(-q -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache"
	-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch"
	-o Dir::State::status=/dev/null -o APT::Sandbox::User=root)
# An index that fails (a mirror mid-sync) leaves the others usable: the
# download below is what must succeed.
apt-get "${apt_opts[@]}" update >"$dir/apt/update.log" 2>&1 ||
	echo "sysroot.sh: apt-get update reported errors (see $dir/apt/update.log); going on" >&2
(cd "$dir/debs" && apt-get "${apt_opts[@]}" download "${packages[@]}")
# The target's libc6 only for dpkg-shlibdeps (the C library the programs run
# with is the cross toolchain's): apart, so the tests never load it.
mkdir -p "$dir/libc6-deb"
(cd "$dir/libc6-deb" && apt-get "${apt_opts[@]}" download libc6)
: >"$dir/shlibs"
for deb in "$dir"/debs/*.deb "$dir"/libc6-deb/*.deb; do
	case $deb in
	*/libc6-deb/*) dpkg-deb -x "$deb" "$dir/libc6" ;;
	*) dpkg-deb -x "$deb" "$dir" ;;
	esac
	dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./shlibs 2>/dev/null | grep -v '^udeb:' >>"$dir/shlibs" || true
done

# Absolute symlinks (libfoo.so -> /lib/<triplet>/libfoo.so.N) point into the
# host; re-aim them inside the sysroot.
find "$dir" -type l -lname '/*' | while read -r link; do
	ln -sfn "$dir$(readlink "$link")" "$link"
done
echo "$want" >"$stamp"
echo "sysroot for $arch: $dir ($(ls "$dir"/debs | wc -l) packages)"
