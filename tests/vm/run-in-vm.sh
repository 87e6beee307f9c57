#!/bin/sh
# SPDX-License-Identifier: MIT
# Run a command on a kernel that has SocketCAN: natively when this one has
# vcan, otherwise inside QEMU (Debian's stock kernel, software emulation),
# following ../shared/reference/vm-socketcan.md: the host's root is shared
# read-only over 9p and the command runs chrooted into it, so it uses the
# host's own binaries (build tree, can-utils, iproute2, python3).
#
#   run-in-vm.sh [-t SECONDS] [-k] [-n] -- COMMAND [ARGS...]
#     -t  wall-clock limit for the whole VM run (default 300)
#     -k  keep the console log even on success (printed to stderr)
#     -n  never run natively (always boot the VM)
#
# Inside: EVGW_VM=1 (0 when native), two emulated SJA1000 controllers
# (kvaser_pci) on one virtual CAN bus appear as can0/can1 (VM only), /run is
# a fresh tmpfs and TMPDIR=/run/tmp the place for scratch files (the host's
# /tmp stays visible, read-only, since the build tree may live there); the
# working directory is kept. The exit status
# is the command's; 77 means "cannot run here" (no QEMU or kernel package),
# which test runners report as a skip.
set -eu

timeout_s=300
keep=0
native_ok=1
while [ $# -gt 0 ]; do
	case $1 in
	-t) timeout_s=$2; shift 2 ;;
	-k) keep=1; shift ;;
	-n) native_ok=0; shift ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: run-in-vm.sh [-t s] [-k] [-n] -- command..." >&2; exit 2; }

# A kernel with vcan here: no VM needed.
if [ "$native_ok" = 1 ] && [ "$(id -u)" = 0 ] && ip link add evgwprobe0 type vcan 2>/dev/null; then
	ip link del evgwprobe0
	EVGW_VM=0 exec "$@"
fi

qemu=$(command -v qemu-system-x86_64 || true)
kernel=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1 || true)
busybox=/bin/busybox
if [ -z "$qemu" ] || [ -z "$kernel" ] || [ ! -x "$busybox" ] || ! command -v cpio >/dev/null; then
	echo "run-in-vm: SKIP: needs qemu-system-x86, linux-image-amd64, busybox-static and cpio" >&2
	exit 77
fi
kver=${kernel#/boot/vmlinuz-}
moddir=/lib/modules/$kver
[ -d "$moddir" ] || { echo "run-in-vm: SKIP: no $moddir" >&2; exit 77; }

work=$(mktemp -d /tmp/evgw-vm.XXXXXX)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT INT TERM

# The initramfs: busybox and the modules needed to reach the host's root
# (everything else is loaded later with the host's modprobe from that root).
mkdir -p "$work/initrd/bin" "$work/initrd/mod" "$work/initrd/host" "$work/out"
cp "$busybox" "$work/initrd/bin/busybox"
ln -s busybox "$work/initrd/bin/sh"
n=0
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
	netfs fscache 9pnet 9pnet_virtio 9p; do
	f=$(modinfo -k "$kver" -n "$m" 2>/dev/null) || continue
	n=$((n + 1))
	case $f in
	*.ko) cp "$f" "$work/initrd/mod/$(printf %02d $n)-$m.ko" ;;
	*.ko.xz) xz -dc "$f" >"$work/initrd/mod/$(printf %02d $n)-$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$work/initrd/mod/$(printf %02d $n)-$m.ko" ;;
	esac
done

cat >"$work/initrd/init" <<'INIT'
#!/bin/sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
for m in /mod/*.ko; do /bin/busybox insmod "$m" 2>/dev/null; done
/bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /host || {
	echo "EVGW_VM: cannot mount the host's root"; /bin/busybox poweroff -f; }
/bin/busybox mount -t proc proc /host/proc
/bin/busybox mount -t sysfs sys /host/sys
/bin/busybox mount -t devtmpfs dev /host/dev
/bin/busybox mkdir -p /host/dev/pts /host/dev/shm 2>/dev/null
/bin/busybox mount -t devpts devpts /host/dev/pts
/bin/busybox mount -t tmpfs tmp /host/dev/shm
/bin/busybox mount -t tmpfs run /host/run
/bin/busybox mount -t tmpfs vartmp /host/var/tmp 2>/dev/null
/bin/busybox mount -t configfs none /host/sys/kernel/config 2>/dev/null
/bin/busybox mkdir -p /host/run/vmout /host/run/tmp
/bin/busybox chmod 1777 /host/run/tmp
/bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 vmout /host/run/vmout
/bin/busybox chroot /host /bin/sh /run/vmout/guest.sh
echo "EVGW_VM: done"
/bin/busybox sync
/bin/busybox poweroff -f
INIT
chmod +x "$work/initrd/init"
(cd "$work/initrd" && find . | cpio -o -H newc --quiet) | gzip -1 >"$work/initrd.gz"

# The command, quoted, run from the same directory with the same PATH.
{
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	echo 'export HOME=/run/tmp EVGW_VM=1 TMPDIR=/run/tmp'
	for v in EVGW_RSS_LIMIT_KB ASAN_OPTIONS UBSAN_OPTIONS EVGW_VM_BENCH; do
		eval "val=\${$v-}"
		[ -n "$val" ] && printf "export %s='%s'\n" "$v" "$val"
	done
	echo 'for m in can can_raw can_dev vcan sja1000 kvaser_pci can_isotp can_j1939 slcan; do modprobe -q $m; done'
	printf 'cd %s || exit 1\n' "'$(pwd)'"
	printf 'set --'
	for a in "$@"; do printf " '%s'" "$(printf %s "$a" | sed "s/'/'\\\\''/g")"; done
	echo
	echo '"$@" >/run/vmout/log 2>&1'
	echo 'echo $? >/run/vmout/rc'
} >"$work/out/guest.sh"

set +e
timeout -k 10 "$timeout_s" "$qemu" -m 1536 -smp 2 -accel tcg,thread=multi -nographic -no-reboot \
	-kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 loglevel=4 rdinit=/init" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$work/out",mount_tag=vmout,security_model=none \
	-object can-bus,id=canbus0 \
	-device kvaser_pci,canbus=canbus0 -device kvaser_pci,canbus=canbus0 \
	-nic none </dev/null >"$work/console.log" 2>&1
qrc=$?
set -e

[ -f "$work/out/log" ] && cat "$work/out/log"
if [ -f "$work/out/rc" ]; then
	rc=$(cat "$work/out/rc")
	[ "$keep" = 1 ] && { echo "--- VM console ---" >&2; cat "$work/console.log" >&2; }
	exit "$rc"
fi
echo "run-in-vm: the command did not finish (qemu status $qrc$( [ $qrc = 124 ] && echo ", timed out after ${timeout_s}s")); console log:" >&2
tail -n 60 "$work/console.log" >&2
exit 1
