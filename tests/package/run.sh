#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The amd64 package as a shop would get it: build it (build.sh), install it
# on this machine, run the installed evgwd --demo the way evgwd.service runs
# it (user evgw, /run/evgw, /var/lib/evgw) and query it with the installed
# evgw, then remove and purge it and check that nothing is left behind.
#
#   tests/package/run.sh [WORKDIR]      (default: build-package)
#
# Needs root (it installs a package); exits 77 (skipped) without it, or when
# a real evgw package is installed here (it would be purged).
set -uo pipefail
cd "$(dirname "$0")/../.."
work=$(realpath -m "${1:-build-package}")
pass=0
fail=0
check() { # name, command...
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name"
	fi
}

if [ "$(id -u)" != 0 ]; then
	echo "package test skipped: needs root (it installs the package)"
	exit 77
fi
if dpkg-query -W -f='${Status}' evgw 2>/dev/null | grep -q 'installed\|config-files'; then
	echo "package test skipped: an evgw package is installed on this machine"
	exit 77
fi
# What carries the name before (some other tree's files may); compared after purge.
traces() {
	find /etc /lib /usr /var /run -xdev \( -iname '*evgw*' \) 2>/dev/null |
		grep -v "^$work" | sort
	getent passwd evgw
	getent group evgw
	return 0
}
mkdir -p "$work"
traces >"$work/traces.before"

arch=$(dpkg --print-architecture)
tests/package/build.sh "$arch" "$work" || exit 1
deb=$(ls "$work"/out/evgw_*_"$arch".deb)

echo "== install $deb"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" >"$work/install.log" 2>&1; then
	tail -30 "$work/install.log"
	exit 1
fi
check "installed" sh -c "dpkg-query -W -f='\${Status}' evgw | grep -q 'install ok installed'"
check "evgw system user" sh -c 'uid=$(id -u evgw) && [ "$uid" -lt 1000 ]'
check "evgw group" getent group evgw
check "conffile /etc/evgw/evgw.conf" sh -c "dpkg-query -W -f='\${Conffiles}' evgw | grep -q ' /etc/evgw/evgw.conf '"
for f in /usr/bin/evgw /usr/sbin/evgwd /lib/systemd/system/evgwd.service \
	/lib/udev/rules.d/70-evgw.rules /usr/share/evgw/dbc/byd_atto3.dbc \
	/usr/share/man/man8/evgwd.8.gz /usr/share/man/man1/evgw.1.gz /usr/share/man/man5/evgw.conf.5.gz \
	/usr/share/bash-completion/completions/evgw; do
	check "installed $f" test -e "$f"
done
check "service enabled" test -L /etc/systemd/system/multi-user.target.wants/evgwd.service
exposure=$(systemd-analyze security --offline=true /lib/systemd/system/evgwd.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for evgwd.service: \([0-9.]*\) .*/\1/p')
echo "systemd-analyze security: exposure ${exposure:-?}"
check "unit exposure <= 2.0 (is ${exposure:-?})" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.0) }'
# The workshop screen: installed, not enabled, hardened at least as well.
for f in /usr/bin/evgw-web /lib/systemd/system/evgw-web.service /usr/share/evgw/web/index.html \
	/usr/share/locale/ru/LC_MESSAGES/evgw.mo /usr/share/man/man1/evgw-web.1.gz; do
	check "installed $f" test -e "$f"
done
check "conffile /etc/evgw/evgw-web.conf" sh -c "dpkg-query -W -f='\${Conffiles}' evgw | grep -q ' /etc/evgw/evgw-web.conf '"
check "evgw-web system user in group evgw" sh -c 'id -nG evgw-web | grep -qw evgw'
check "evgw-web not enabled" test ! -e /etc/systemd/system/multi-user.target.wants/evgw-web.service
web_exposure=$(systemd-analyze security --offline=true /lib/systemd/system/evgw-web.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for evgw-web.service: \([0-9.]*\) .*/\1/p')
check "evgw-web unit exposure <= 2.0 (is ${web_exposure:-?})" awk -v e="${web_exposure:-99}" 'BEGIN { exit !(e <= 2.0) }'

echo "== the installed evgwd --demo as the service runs it (user evgw)"
as_evgw=(setpriv --reuid=evgw --regid=evgw --init-groups) # it execs: $! is evgwd's pid
# What RuntimeDirectory= and StateDirectory= would make.
install -d -o evgw -g evgw -m 0755 /run/evgw
install -d -o evgw -g evgw -m 0750 /var/lib/evgw
"${as_evgw[@]}" /usr/sbin/evgwd --demo --socket /run/evgw/evgw.sock \
	--state-dir /var/lib/evgw >"$work/evgwd.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
for _ in $(seq 100); do [ -S /run/evgw/evgw.sock ] && break; sleep 0.1; done
sleep 1
check "socket group evgw, mode 0660" sh -c '[ "$(stat -c %G:%a /run/evgw/evgw.sock)" = evgw:660 ]'
# Root finds the system socket by default.
/usr/bin/evgw buses >"$work/buses.out" 2>&1
check "evgw buses" grep -q ebus "$work/buses.out"
# Decoded names: the definitions came from /usr/share/evgw/dbc (the build
# tree the binary was made in is gone).
/usr/bin/evgw signals >"$work/signals.out" 2>&1
check "evgw signals (decoded with the installed DBC files)" grep -q WheelBasedVehicleSpeed "$work/signals.out"
check "fault store owned by evgw" sh -c '[ "$(stat -c %U /var/lib/evgw/faults.db)" = evgw ]'
# Not a member of the group: no access.
check "non-member refused" sh -c '! setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/evgw --socket /run/evgw/evgw.sock status'
kill -TERM "$pid" 2>/dev/null
wait "$pid"
check "evgwd stops cleanly on SIGTERM" test $? -eq 0
# The installed example configuration parses (its simulated bus starts).
timeout 3 "${as_evgw[@]}" /usr/sbin/evgwd --config /etc/evgw/evgw.conf \
	--socket /run/evgw/evgw.sock --state-dir /var/lib/evgw >"$work/evgwd-conf.log" 2>&1
check "evgwd runs with the installed evgw.conf" test $? -eq 124
rm -rf /run/evgw # RuntimeDirectory= goes when the service stops

dpkg -L evgw | sort >"$work/files"
echo "== remove"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q evgw >"$work/remove.log" 2>&1
check "removed" sh -c "dpkg-query -W -f='\${Status}' evgw | grep -q config-files"
check "binaries gone" test ! -e /usr/sbin/evgwd -a ! -e /usr/bin/evgw
check "conffile kept on remove" test -e /etc/evgw/evgw.conf
echo "== purge"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q evgw >"$work/purge.log" 2>&1
check "purged" sh -c "! dpkg-query -W -f='\${Status}' evgw 2>/dev/null | grep -q 'installed\|config-files'"
left=$(while read -r f; do
	[ -d "$f" ] && continue # directories (/usr/bin, /lib, ...) are shared
	if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi
done <"$work/files")
check "no packaged file left${left:+: $left}" test -z "$left"
traces >"$work/traces.after"
diff -u "$work/traces.before" "$work/traces.after" >"$work/traces.diff"
check "nothing left behind (state, config, user, group, unit links): $(grep '^+[^+]' "$work/traces.diff" | tr '\n' ' ')" \
	test ! -s "$work/traces.diff"

echo "package: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
