# SPDX-License-Identifier: MIT
"""CPU per frame of evgwd (socketcan driver, decoding on) against can-utils'
candump writing the same flood to /dev/null, both reading one vcan at the
same time (issue 5's target: evgwd within 1.5x of candump).

Run on a CAN kernel (run-in-vm.sh). CPU time is each process's on-CPU
nanoseconds from /proc/PID/schedstat, so the figure does not depend on how
fast the emulated machine is; compare the ratio, not the absolutes.

usage: bench_socketcan.py EVGWD [FRAMES]
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

from vmlib import connect_daemon

DBC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "vm_test.dbc")


def cpu_ns(pid):
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0])


def main():
    evgwd = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
    subprocess.run(["ip", "link", "del", "vcan9"], capture_output=True)
    subprocess.run(["ip", "link", "add", "vcan9", "type", "vcan"], check=True)
    subprocess.run(["ip", "link", "set", "vcan9", "up"], check=True)
    # Queues big enough that neither reader drops: the figure is per frame read.
    subprocess.run(["sysctl", "-qw", "net.core.netdev_max_backlog=%d" % (2 * n),
                    "net.core.rmem_max=%d" % (64 << 20)], check=True)
    d = tempfile.mkdtemp(prefix="evgw-bench-")
    sock = os.path.join(d, "evgw.sock")
    conf = os.path.join(d, "evgw.conf")
    with open(conf, "w") as f:
        f.write("[gateway]\nsocket = %s\nstate_dir = %s/state\nlog_level = warning\n"
                "[bus b]\ndriver = socketcan\ndevice = vcan9\ndbc = %s\n" % (sock, d, DBC))
    daemon = subprocess.Popen([evgwd, "--config", conf])
    dump = subprocess.Popen(["candump", "-r", str(32 << 20), "vcan9"],
                            stdout=subprocess.DEVNULL)
    c = connect_daemon(sock, daemon, client_timeout=30)
    if c is None:
        sys.exit("evgwd did not start")
    # The daemon answers before its first loop round has the bus reading:
    # one frame (an id the DBC lacks) until it is counted, then the flood.
    def bus_b():
        return [b for b in c.call("buses") if b["name"] == "b"][0]

    deadline = time.monotonic() + 60
    while bus_b()["rx_frames"] == 0:
        if time.monotonic() > deadline:
            sys.exit("evgwd read no frame of vcan9 in 60 s")
        subprocess.run(["cansend", "vcan9", "7FF#00"], check=True)
        time.sleep(0.5)
    time.sleep(0.5)
    base = bus_b()
    d0, c0 = cpu_ns(daemon.pid), cpu_ns(dump.pid)
    # 0x123 with 8 bytes: every frame is decoded (2 signals).
    t0 = time.monotonic()
    subprocess.run(["cangen", "vcan9", "-g", "0", "-n", str(n), "-I", "123", "-L", "8",
                    "-D", "i"], check=True)
    send_s = time.monotonic() - t0
    # Wait while the daemon makes progress: on a loaded host the emulated
    # CPU can take minutes to read what cangen queued, and that is a figure,
    # not a failure; 20 s without a frame read is.
    bus, seen, idle_since = None, -1, time.monotonic()
    while time.monotonic() - idle_since < 20:
        bus = bus_b()
        done = bus["rx_frames"] - base["rx_frames"] + bus["overruns"] - base["overruns"]
        if done >= n:
            break
        if done != seen:
            seen, idle_since = done, time.monotonic()
        time.sleep(0.2)
    time.sleep(0.5)  # candump drains too
    d1, c1 = cpu_ns(daemon.pid), cpu_ns(dump.pid)
    c.close()
    daemon.send_signal(signal.SIGTERM)
    dump.send_signal(signal.SIGTERM)
    daemon.wait(10)
    dump.wait(10)
    got = bus["rx_frames"] - base["rx_frames"]
    dropped = bus["overruns"] - base["overruns"]
    decoded = bus["decoded"] - base["decoded"]
    ev = (d1 - d0) / max(got, 1)
    cd = (c1 - c0) / n
    print("socketcan bench (VM, software-emulated CPU: compare ratios): %d frames in %.2f s "
          "(%.0f frames/s offered)" % (n, send_s, n / send_s))
    print("  evgwd   : %7.0f ns CPU/frame, %d frames read, %d dropped, %d decoded"
          % (ev, got, dropped, decoded))
    print("  candump : %7.0f ns CPU/frame (text to /dev/null, no decoding)" % cd)
    print("  ratio evgwd/candump: %.2f (target <= 1.5)" % (ev / cd if cd else 0))
    subprocess.run(["ip", "link", "del", "vcan9"], capture_output=True)
    if got + dropped != n or decoded != got:
        sys.exit("frames unaccounted for: read %d + dropped %d != %d, or not all decoded"
                 % (got, dropped, n))


if __name__ == "__main__":
    main()
