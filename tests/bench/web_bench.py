#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evgw-web's figures against the real evgwd --demo: its memory (RSS) with
N pages open (event streams), and the time from a frame at evgwd (the
frame's own timestamp, which the daemon takes when the frame arrives) to
its value reaching a page's event stream, over every signal value every
stream received. Prints key=value lines; a benchmark, not a test.
usage: web_bench.py EVGWD EVGW_WEB [--clients 10] [--seconds 10]"""
import argparse
import json
import os
import selectors
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "web"))
from webrig import Rig  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("evgwd")
    ap.add_argument("web")
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    rig = Rig(os.path.abspath(a.evgwd), os.path.abspath(a.web))
    try:
        rig.start_daemon()
        rig.start_web()
        time.sleep(1.0)
        rss_idle = rig.rss_kb()
        sel = selectors.DefaultSelector()
        bufs = {}
        for _ in range(a.clients):
            s = socket.create_connection(("127.0.0.1", rig.port))
            s.sendall(b"GET /events HTTP/1.0\r\n\r\n")
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            bufs[s] = b""
        lat = []
        events = 0
        end = time.monotonic() + a.seconds
        rss_peak = 0
        next_rss = 0.0
        while time.monotonic() < end:
            for key, _ in sel.select(0.2):
                s = key.fileobj
                data = s.recv(1 << 20)
                now = time.time()
                if not data:
                    sel.unregister(s)
                    continue
                buf = bufs[s] + data
                *blocks, bufs[s] = buf.split(b"\n\n")
                for b in blocks:
                    if not b.startswith(b"event: signals\ndata: "):
                        continue
                    events += 1
                    ev = json.loads(b[len(b"event: signals\ndata: "):])
                    for sig in ev["signals"]:
                        lat.append((now - sig["ts"]) * 1000)
            if time.monotonic() >= next_rss:
                rss_peak = max(rss_peak, rig.rss_kb())
                next_rss = time.monotonic() + 0.5
        rss = rig.rss_kb()
        for key in list(sel.get_map().values()):
            key.fileobj.close()
        lat.sort()
        n = len(lat)
        pct = (lambda p: lat[min(n - 1, int(n * p))]) if n else (lambda p: float("nan"))
        print("web_clients=%d" % a.clients)
        print("web_seconds=%g" % a.seconds)
        print("web_rss_idle_kb=%d" % rss_idle)
        print("web_rss_kb=%d" % rss)
        print("web_rss_peak_kb=%d" % rss_peak)
        print("web_signal_events=%d" % events)
        print("web_values=%d" % n)
        print("web_latency_p50_ms=%.1f" % pct(0.50))
        print("web_latency_p99_ms=%.1f" % pct(0.99))
        print("web_latency_max_ms=%.1f" % (lat[-1] if n else float("nan")))
        with open("/proc/loadavg") as f:
            print("loadavg=%s" % f.read().split()[0])
        problem = rig.close()
        rig = None
        if problem:
            print(problem, file=sys.stderr)
            return 1
        return 0 if n else 1
    finally:
        if rig:
            rig.close()


if __name__ == "__main__":
    sys.exit(main())
