#!/usr/bin/env bash
# Unpacks the target's library packages (Debian's arm64 or armhf .debs) into
# a private sysroot for the cross build, without installing them.
#
#   tests/cross/sysroot.sh ARCH DIR      ARCH: arm64 | armhf
#
# Why not multiarch (apt-get install libjson-c-dev:arm64)? Multi-Arch: same
# libraries must have the same version for every architecture, so one host
# package updated from a source the foreign architectures lack (a security
# archive, a newer point release) blocks the whole set; on Debian 12 machines
# that is common (libssl3, liblzma5, linux-libc-dev). A private sysroot leaves
# the host's packages alone. The C library comes from the cross compiler's
# own libc6-dev-<arch>-cross (/usr/<triplet>), as usual.
#
# DIR/shlibs collects the packages' shlibs lines, so dpkg-shlibdeps can name
# the right runtime dependencies when a .deb is cross-built (debian/rules).
set -euo pipefail
arch=$1
dir=$2

# Build- and run-time libraries (run-time: the tests under qemu-user).
packages=(libjson-c5 libjson-c-dev libinih1 libinih-dev libsqlite3-0 libsqlite3-dev
	libcmocka0 libcmocka-dev libsystemd0 libsystemd-dev libcap2 libgcrypt20
	libgpg-error0 liblz4-1 liblzma5 libzstd1 libusb-1.0-0 libusb-1.0-0-dev libudev1
	libsocketcan2 libsocketcan-dev)

stamp="$dir/.complete"
want="${packages[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
	dpkg --add-architecture "$arch"
	apt-get update -q || true # a foreign index that fails leaves the rest usable
fi

rm -rf "$dir"
mkdir -p "$dir/debs"
(cd "$dir/debs" && apt-get download -q -o APT::Sandbox::User=root "${packages[@]/%/:$arch}")
: >"$dir/shlibs"
for deb in "$dir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir"
	dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./shlibs 2>/dev/null >>"$dir/shlibs" || true
done

# Absolute symlinks (libfoo.so -> /lib/<triplet>/libfoo.so.N) point into the
# host; re-aim them inside the sysroot.
find "$dir" -type l -lname '/*' | while read -r link; do
	ln -sfn "$dir$(readlink "$link")" "$link"
done
echo "$want" >"$stamp"
echo "sysroot for $arch: $dir ($(ls "$dir"/debs | wc -l) packages)"
