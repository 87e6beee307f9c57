#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden replays: synthetic candump captures played through the real evgwd
(driver replay, replay_speed 0) with the BYD and Yutong vehicle profiles;
the signals, per-message statistics and faults the daemon then reports are
compared with the hand-worked *.expected files next to the captures.

usage: replay_golden.py EVGWD SOURCE_DIR
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from evgw_client import EvgwClient  # noqa: E402  (the integration suite's client)

# One daemon, one bus per capture: (bus, capture, bus keys).
BUSES = [
    ("car", "byd_atto3_integrity",
     {"dbc": "byd_atto3.dbc", "profile": "byd_atto3", "bitrate": "500k"}),
    ("ebus", "yutong_ebus_dm1_bam",
     {"dbc": "yutong_ebus.dbc ebus_bms_golden_dragon.dbc", "profile": "ebus_golden_dragon",
      "protocols": "j1939", "bitrate": "250k"}),
    ("charging", "gbt27930_charging_error",
     {"dbc": "gbt27930_charging.dbc", "profile": "yutong_ebus", "protocols": "j1939", "bitrate": "250k"}),
    # GB/T 27930 sessions with no DBC: the charging tracker decodes them itself.
    ("charge_ok", "gbt27930_session_normal", {"protocols": "j1939", "bitrate": "250k"}),
    ("charge_fail", "gbt27930_session_abnormal", {"protocols": "j1939", "bitrate": "250k"}),
]


def untimed(charging):
    """The charging reply without its times (a replay at full speed stamps
    every frame with the same wall time): the timeline as its stages."""
    out = dict(charging)
    out.pop("bus", None)
    sessions = ([out["current"]] if out["current"] else []) + out["finished"]
    for s in sessions:
        for k in ("started", "ended", "last_seen"):
            s.pop(k, None)
        s["timeline"] = [t["stage"] for t in s["timeline"]]
    return out


def frames_in(path):
    with open(path) as f:
        return sum(1 for line in f if line.startswith("("))


def load_expected(path):
    with open(path, encoding="utf-8") as f:
        return json.loads("".join(l for l in f if not l.lstrip().startswith("#")))


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def normalise(bus, signals, messages, faults):
    sig = [[s["message"], s["signal"], s["value"], s["unit"], s["label"]] +
           ([s["source_address"]] if "source_address" in s else []) for s in signals]
    msg = [[m["id"], m["message"], m["count"], m["checksum_errors"], m["counter_errors"]]
           for m in messages]
    flt = []
    for f in faults:
        assert f["bus"] == bus, f
        assert f["description"], "a fault without a description: %r" % f
        g = {k: f[k] for k in ("ecu", "ecu_name", "protocol", "code", "description", "status",
                               "severity", "unconfirmed", "lamp", "occurrences", "freeze_frame")}
        if f["protocol"] != "dbc":  # a DBC fault's raw_code is a hash of its name
            g["raw_code"] = f["raw_code"]
        flt.append(g)
    return {"signals": sorted(sig, key=lambda s: (s[0], s[1])), "messages": msg,
            "faults": sorted(flt, key=lambda g: g["code"])}


def main():
    evgwd, source = sys.argv[1], os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="evgw-golden-")
    sock = os.path.join(tmp, "evgw.sock")
    conf = os.path.join(tmp, "evgw.conf")
    lines = ["[gateway]", "dbc_dir = " + os.path.join(source, "dbc")]
    for bus, capture, keys in BUSES:
        lines += ["[bus %s]" % bus, "driver = replay",
                  "device = " + os.path.join(HERE, capture + ".log"), "replay_speed = 0"]
        lines += ["%s = %s" % kv for kv in keys.items()]
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    log = open(os.path.join(tmp, "evgwd.log"), "wb")
    proc = subprocess.Popen([evgwd, "--config", conf, "--socket", sock, "--state-dir",
                             os.path.join(tmp, "state")], stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT)
    failed = 0
    try:
        deadline = time.monotonic() + 15
        c = None
        while c is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("evgwd did not start")
            try:
                c = EvgwClient(sock)
            except OSError:
                time.sleep(0.05)
        want = {bus: frames_in(os.path.join(HERE, cap + ".log")) for bus, cap, _ in BUSES}
        while True:  # until every capture has been played to its end
            got = {b["name"]: b["rx_frames"] for b in c.call("buses")}
            if all(got.get(b) == n for b, n in want.items()):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("replay did not finish: %r of %r frames" % (got, want))
            time.sleep(0.05)
        for bus, capture, _ in BUSES:
            exp = load_expected(os.path.join(HERE, capture + ".expected"))
            got = normalise(bus, c.call("signals", bus=bus), c.call("messages", bus=bus),
                            c.call("faults", bus=bus))
            if "charging" in exp:
                got["charging"] = untimed(c.call("charging", bus=bus))
            if "faults_ru" in exp:
                got["faults_ru"] = [f["description"] for f in
                                    sorted(c.call("faults", bus=bus, lang="ru"), key=lambda f: f["code"])]
            # The order of signals and faults is not part of the API.
            exp["faults"] = sorted(exp["faults"], key=lambda g: g["code"])
            if "signals" in exp:
                exp["signals"] = sorted(exp["signals"], key=lambda s: (s[0], s[1]))
            for part in ("signals", "messages", "faults", "charging", "faults_ru"):
                if part not in exp:
                    continue
                if same(got[part], exp[part]):
                    print("ok   %s %s" % (capture, part))
                    continue
                failed += 1
                print("FAIL %s %s\n  expected: %s\n  got:      %s" % (
                    capture, part, json.dumps(exp[part]), json.dumps(got[part])))
        c.close()
    except Exception as e:  # noqa: BLE001 - reported, then the daemon's log
        failed += 1
        print("FAIL %s" % e)
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        if failed:
            with open(os.path.join(tmp, "evgwd.log"), errors="replace") as f:
                print("--- evgwd log ---\n" + f.read())
        shutil.rmtree(tmp, ignore_errors=True)
    print("golden: %d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
