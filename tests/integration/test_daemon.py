# SPDX-License-Identifier: MIT
"""Integration tests: the real evgwd, driven over its socket by a second,
independent client (evgw_client.py) written from gateway/api/PROTOCOL.md.

Environment: EVGWD (the daemon), EVGW (the CLI), EVGW_SOURCE (the source
tree, for dbc/). Defaults: the source tree two levels up and its build/.

Every daemon runs in a fresh temporary directory with its own --socket and
--state-dir; readiness is a successful connect (polled against a deadline),
never a fixed sleep. Python standard library only.
"""

import fnmatch
import grp
import json
import math
import os
import pwd
import re
import select
import shutil
import signal
import sqlite3
import socket
import stat
import subprocess
import tempfile
import time
import unittest

from evgw_client import EvgwClient, ProtocolError, parse_compact_frame

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.environ.get("EVGW_SOURCE") or os.path.join(HERE, "..", ".."))
EVGWD = os.path.abspath(os.environ.get("EVGWD") or os.path.join(SOURCE, "build", "evgwd"))
EVGW = os.path.abspath(os.environ.get("EVGW") or os.path.join(SOURCE, "build", "evgw"))
DBC_DIR = os.path.join(SOURCE, "dbc")
BYD_DBC = os.path.join(DBC_DIR, "byd_atto3.dbc")
BMS_DBC = os.path.join(DBC_DIR, "demo", "byd_demo_bms.dbc")
YUTONG_DBC = os.path.join(DBC_DIR, "yutong_ebus.dbc")
EBUS_BMS_DBC = os.path.join(DBC_DIR, "ebus_bms_golden_dragon.dbc")
SAMPLE_LOG = os.path.join(DBC_DIR, "samples", "byd_atto3_demo.log")

MAX_LINE = 65536
REPLY_KEYS = {"type", "id", "ok"}
STATUS_KEYS = {"daemon", "version", "pid", "uptime_s", "demo", "config", "socket", "buses",
               "clients", "frames", "requests", "dropped_clients", "reloads", "reload_failures",
               "store"}
STORE_KEYS = {"state", "path", "pending", "failures", "recreated", "since", "last_error"}
BUS_KEYS = {"name", "driver", "device", "bitrate", "mode", "state", "rx_frames", "tx_frames",
            "fps", "decoded", "unknown", "error_frames", "overruns", "rx_errors", "tx_errors",
            "ids", "signals", "dbc"}
BUS_STATES = {"active", "warning", "passive", "bus-off", "restarting", "down", "gone", "stopped"}
MESSAGE_KEYS = {"id", "extended", "message", "count", "period_ms", "cycle_ms", "last_age_ms",
                "missing"}
SIGNAL_KEYS = {"bus", "message", "signal", "value", "raw", "unit", "label", "ts"}
DBC_KEYS = {"bus", "file", "version", "messages", "signals", "nodes", "warnings", "errors"}
CANDUMP_LINE = re.compile(r"^\((\d+)\.(\d{6})\) (\S+) (\S+)$")


# --- helpers ---------------------------------------------------------------

def make_tmpdir():
    """A fresh directory whose paths fit in a sockaddr_un."""
    d = tempfile.mkdtemp(prefix="evgw-it-")
    if len(d) > 80:
        shutil.rmtree(d, ignore_errors=True)
        d = tempfile.mkdtemp(prefix="evgw-it-", dir="/tmp")
    return d


def wait_until(pred, timeout, what, interval=0.02):
    """Poll pred() until it returns a true value; fail after timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = pred()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def write_config(path, gateway=None, buses=()):
    """An evgwd INI file: [gateway] keys, then [bus NAME] sections."""
    lines = []
    if gateway:
        lines.append("[gateway]")
        lines += ["%s = %s" % kv for kv in gateway.items()]
    for name, keys in buses:
        lines.append("[bus %s]" % name)
        lines += ["%s = %s" % kv for kv in keys.items()]
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)  # the daemon never reads a half-written file


def sim_car(**extra):
    keys = {"driver": "sim", "device": "byd-atto3", "bitrate": "500k",
            "dbc": "byd_atto3.dbc demo/byd_demo_bms.dbc"}
    keys.update(extra)
    return keys


def sim_ebus(**extra):
    keys = {"driver": "sim", "device": "yutong-bus", "bitrate": "250k",
            "dbc": "yutong_ebus.dbc ebus_bms_golden_dragon.dbc", "protocols": "j1939"}
    keys.update(extra)
    return keys


def dbc_value_tables(path):
    """{(message_name, signal_name): {raw: text}} from a DBC's VAL_ lines
    (enough for the simple files under dbc/)."""
    names, tables = {}, {}
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for m in re.finditer(r"^BO_ (\d+) (\w+):", text, re.M):
        names[int(m.group(1))] = m.group(2)
    for m in re.finditer(r"^VAL_ (\d+) (\w+) (.*?);", text, re.M):
        pairs = re.findall(r'(-?\d+) "([^"]*)"', m.group(3))
        tables[(names.get(int(m.group(1))), m.group(2))] = {int(k): v for k, v in pairs}
    return tables


# The daemon's memory bound; sanitizer builds carry shadow memory and a
# quarantine, so their runs raise it through the environment.
RSS_LIMIT_KB = int(os.environ.get("EVGW_RSS_LIMIT_KB", str(64 * 1024)))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for pid %d" % pid)


class Daemon:
    """One evgwd process in a directory of its own."""

    def __init__(self, tmpdir, name="evgwd", demo=False, config=None, socket_path=None):
        self.dir = tmpdir
        self.name = name
        self.demo = demo
        self.config = config
        self.sock = socket_path or os.path.join(tmpdir, name + ".sock")
        self.state_dir = os.path.join(tmpdir, name + "-state")
        self.log_path = os.path.join(tmpdir, name + ".log")
        self.proc = None
        self._log = None

    def argv(self, state_dir=None):
        args = [EVGWD, "--socket", self.sock, "--state-dir", state_dir or self.state_dir]
        if self.demo:
            args.append("--demo")
        if self.config:
            args += ["--config", self.config]
        return args

    def start(self, wait=True, timeout=10.0):
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready(timeout)
        return self

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_ready(self, timeout=10.0):
        """Until the socket accepts a connection (or the daemon dies)."""
        deadline = time.monotonic() + timeout
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise AssertionError("evgwd exited with %d before listening:\n%s"
                                     % (rc, self.log_text()))
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.sock)
                return
            except (FileNotFoundError, ConnectionRefusedError):
                pass
            finally:
                s.close()
            if time.monotonic() >= deadline:
                raise AssertionError("evgwd did not listen on %s within %.0f s:\n%s"
                                     % (self.sock, timeout, self.log_text()))
            time.sleep(0.01)

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def client(self, timeout=5.0):
        return EvgwClient(self.sock, timeout=timeout)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None


class EvgwTestCase(unittest.TestCase):
    """Helpers shared by every test class."""

    def client(self, daemon, timeout=5.0):
        c = daemon.client(timeout)
        self.addCleanup(c.close)
        return c

    def assertOk(self, reply):
        self.assertTrue(REPLY_KEYS <= set(reply), reply)
        self.assertEqual(reply["type"], "reply")
        self.assertIs(reply["ok"], True, reply)
        self.assertIn("result", reply)
        return reply["result"]

    def assertError(self, reply, code, rid="__any__"):
        self.assertEqual(reply.get("type"), "reply", reply)
        self.assertIs(reply.get("ok"), False, reply)
        err = reply.get("error")
        self.assertIsInstance(err, dict, reply)
        self.assertEqual(err.get("code"), code, reply)
        self.assertIsInstance(err.get("message"), str, reply)
        if rid != "__any__":
            self.assertIn("id", reply)
            self.assertEqual(reply["id"], rid, reply)
        return err

    def new_daemon(self, name="evgwd", demo=False, gateway=None, buses=(), start=True):
        """A daemon of this test's own, stopped at the end of the test."""
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        config = None
        if not demo:
            config = os.path.join(tmp, name + ".conf")
            gw = {"dbc_dir": DBC_DIR}
            gw.update(gateway or {})
            write_config(config, gw, buses)
        d = Daemon(tmp, name=name, demo=demo, config=config)
        self.addCleanup(d.stop)
        if start:
            d.start()
        return d


# --- the demo daemon: every command ----------------------------------------

class DemoDaemonTest(EvgwTestCase):
    """One `evgwd --demo` (buses "car" and "ebus") for the whole class."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmpdir()
        cls.d = Daemon(cls.tmp, demo=True).start()
        # Wait (with a deadline) until every simulated message has been seen once.
        with cls.d.client() as c:
            want = {"SOC", "GEAR", "VEHICLE_SPEED", "IMD_Warning", "EngineSpeed",
                    "WheelBasedVehicleSpeed", "BMS_SOC"}
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                seen = {s["signal"] for s in c.call("signals")}
                if want <= seen:
                    break
                time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.assertTrue(self.d.alive(), "the demo daemon died:\n" + self.d.log_text())
        self.c = self.client(self.d)

    # hello / status ---------------------------------------------------------

    def test_hello(self):
        r = self.c.request("hello")
        self.assertEqual(r["type"], "reply")
        res = self.assertOk(r)
        self.assertEqual(res["daemon"], "evgwd")
        self.assertTrue(is_int(res["protocol"]))
        self.assertEqual(res["protocol"], 1)
        self.assertIsInstance(res["version"], str)
        # Every command of this document, and each one answered as known.
        self.assertEqual(sorted(res["capabilities"]), sorted([
            "hello", "status", "buses", "messages", "signals", "dbc", "subscribe",
            "unsubscribe", "record", "faults", "read-dtc", "clear-dtc", "read-did", "vin",
            "read-pids", "ecus", "battery", "charging"]))
        # (on a bus that does not exist: nothing is sent, subscribed or recorded)
        c = self.client(self.d)
        for cmd in res["capabilities"]:
            err = c.request(cmd, bus="no-such-bus").get("error") or {}
            self.assertNotEqual(err.get("code"), "unknown_command", cmd)
        for topic in ("signals", "frames", "bus"):
            self.assertIn(topic, res["topics"])
        self.assertEqual(res["uid"], os.geteuid())
        self.assertIsInstance(res["admin"], bool)
        if os.geteuid() == 0:
            self.assertIs(res["admin"], True, "root is an admin")
        self.assertIsNone(self.c.read_event(0.3), "no events without a subscription")

    def test_status(self):
        res = self.c.call("status")
        self.assertTrue(STATUS_KEYS <= set(res), STATUS_KEYS - set(res))
        self.assertEqual(res["daemon"], "evgwd")
        self.assertEqual(res["pid"], self.d.pid)
        self.assertIs(res["demo"], True)
        self.assertEqual(res["socket"], self.d.sock)
        st = os.stat(self.d.sock)
        self.assertTrue(stat.S_ISSOCK(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o660, "the socket is mode 0660")
        self.assertEqual(res["buses"], 2)
        self.assertGreaterEqual(res["clients"], 1)
        for k in ("frames", "requests", "dropped_clients", "reloads", "reload_failures"):
            self.assertTrue(is_int(res[k]) and res[k] >= 0, (k, res[k]))
        self.assertTrue(is_number(res["uptime_s"]) and res["uptime_s"] >= 0)
        self.assertEqual(res["reloads"], 0)
        self.assertEqual(res["reload_failures"], 0)
        # The fault store's health (tests/robust/ makes it sick).
        store = res["store"]
        self.assertEqual(set(store), STORE_KEYS)
        self.assertEqual(store["state"], "ok")
        self.assertEqual(store["path"], os.path.join(self.d.state_dir, "faults.db"))
        self.assertTrue(os.path.isfile(store["path"]))
        for k in ("pending", "failures", "recreated"):
            self.assertTrue(is_int(store[k]) and store[k] >= 0, (k, store[k]))
        self.assertEqual((store["failures"], store["recreated"], store["last_error"]), (0, 0, None))
        self.assertTrue(is_number(store["since"]) and abs(store["since"] - time.time()) < 3600)
        later = wait_until(lambda: (lambda r: r if r["frames"] > res["frames"] else None)(
            self.c.call("status")), 3, "status.frames to grow")
        self.assertGreaterEqual(later["uptime_s"], res["uptime_s"])

    # buses ---------------------------------------------------------------------

    def test_buses_both_active_and_counting(self):
        first = self.c.call("buses")
        self.assertIsInstance(first, list)
        by_name = {b["name"]: b for b in first}
        self.assertEqual(set(by_name), {"car", "ebus"})
        for b in first:
            self.assertTrue(BUS_KEYS <= set(b), (b["name"], BUS_KEYS - set(b)))
            self.assertEqual(b["state"], "active", b)
            self.assertEqual(b["driver"], "sim")
            self.assertIn(b["mode"], ("listen-only", "diagnostic"))
            self.assertTrue(is_int(b["bitrate"]))
            self.assertIsInstance(b["dbc"], list)
            self.assertTrue(b["dbc"] and all(isinstance(p, str) for p in b["dbc"]))
            self.assertGreater(b["rx_frames"], 0)
            self.assertLessEqual(b["decoded"] + b["unknown"], b["rx_frames"])
            self.assertGreater(b["ids"], 0)
            for k in ("tx_frames", "error_frames", "overruns", "rx_errors", "tx_errors"):
                self.assertTrue(is_int(b[k]) and b[k] >= 0, (k, b[k]))
            self.assertTrue(is_number(b["fps"]))
        self.assertEqual(by_name["car"]["device"], "byd-atto3")
        self.assertEqual(by_name["ebus"]["device"], "yutong-bus")
        self.assertEqual(len(by_name["car"]["dbc"]), 2)

        def grown():
            now = {b["name"]: b for b in self.c.call("buses")}
            return all(now[n]["rx_frames"] > by_name[n]["rx_frames"] and
                       now[n]["decoded"] > by_name[n]["decoded"] for n in by_name)
        wait_until(grown, 3, "rx_frames and decoded to grow on both buses")

    # messages ------------------------------------------------------------------

    def _messages(self, bus, need=()):
        """messages of bus, once each id in need has been seen 4 times."""
        def ready():
            res = self.c.call("messages", bus=bus)
            counts = {m["id"]: m["count"] for m in res}
            return res if all(counts.get(i, 0) >= 4 for i in need) else None
        return wait_until(ready, 5, "messages on %s" % bus)

    def _check_messages(self, res, extended):
        self.assertIsInstance(res, list)
        ids = [m["id"] for m in res]
        self.assertEqual(ids, sorted(ids), "sorted by id")
        self.assertEqual(len(ids), len(set(ids)))
        for m in res:
            self.assertTrue(MESSAGE_KEYS <= set(m), MESSAGE_KEYS - set(m))
            self.assertIs(m["extended"], extended, m)
            self.assertTrue(is_int(m["cycle_ms"]) and m["cycle_ms"] >= 0)
            self.assertIsInstance(m["missing"], bool)
            self.assertTrue(is_number(m["period_ms"]) and is_number(m["last_age_ms"]))
            # Enough intervals for the smoothed period to settle; a loaded
            # machine (sanitizers, a VM beside) delays single timer rounds.
            if m["cycle_ms"] and m["count"] >= 20:
                self.assertAlmostEqual(m["period_ms"], m["cycle_ms"], delta=0.5 * m["cycle_ms"],
                                       msg="period near the cycle time: %r" % m)
                self.assertIs(m["missing"], False, m)
        return {m["id"]: m for m in res}

    def test_messages_car(self):
        by_id = self._check_messages(self._messages("car", need=[1008]), extended=False)
        self.assertEqual(by_id[289]["message"], "ESC_SPEED")
        self.assertEqual(by_id[287]["message"], "STEER_MODULE_2")
        self.assertEqual(by_id[578]["message"], "DRIVE_STATE")
        self.assertEqual(by_id[1008]["message"], "EVGW_DEMO_BMS")
        self.assertEqual(by_id[1008]["cycle_ms"], 100)
        self.assertEqual(by_id[289]["cycle_ms"], 0, "no GenMsgCycleTime for ESC_SPEED")
        # The simulator sends ESC_SPEED at a fixed rate too: a measured period.
        self.assertGreater(by_id[289]["period_ms"], 0)

    def test_messages_ebus_j1939(self):
        eec1, ccvs1, bms1 = 0x0CF00400, 0x18FEF100, 0x18F201F3
        by_id = self._check_messages(self._messages("ebus", need=[eec1, ccvs1, bms1]),
                                     extended=True)
        self.assertEqual(by_id[eec1]["message"], "EEC1")
        self.assertEqual(by_id[eec1]["cycle_ms"], 50)
        self.assertEqual(by_id[ccvs1]["message"], "CCVS1")
        self.assertEqual(by_id[ccvs1]["cycle_ms"], 100)
        self.assertEqual(by_id[bms1]["message"], "BMS_1")

    def test_messages_errors(self):
        self.assertError(self.c.request("messages"), "bad_request")
        self.assertError(self.c.request("messages", bus="nope"), "not_found")

    # signals -------------------------------------------------------------------

    def test_signals_shape_types_and_labels(self):
        res = self.c.call("signals")
        self.assertIsInstance(res, list)
        self.assertEqual({s["bus"] for s in res}, {"car", "ebus"})
        tables = {}
        for path in (BYD_DBC, BMS_DBC, YUTONG_DBC, EBUS_BMS_DBC):
            tables.update(dbc_value_tables(path))
        now = time.time()
        by_name = {}
        for s in res:
            self.assertTrue(SIGNAL_KEYS <= set(s), SIGNAL_KEYS - set(s))
            by_name[s["signal"]] = s
            self.assertIsInstance(s["message"], str)
            self.assertIsInstance(s["unit"], str)
            self.assertTrue(is_int(s["raw"]) and s["raw"] >= 0, s)
            self.assertTrue(is_number(s["value"]) or s["value"] in ("nan", "inf", "-inf"), s)
            self.assertTrue(is_number(s["ts"]), s)
            self.assertLess(abs(s["ts"] - now), 600, "ts is Unix time: %r" % s)
            table = tables.get((s["message"], s["signal"]))
            if table is None:
                self.assertIsNone(s["label"], s)
            else:
                self.assertEqual(s["label"], table.get(s["raw"]), s)
            if s["bus"] == "ebus":
                self.assertTrue(is_int(s.get("source_address")), "J1939: source_address %r" % s)
            else:
                self.assertNotIn("source_address", s, "not a J1939 message")
        # Integer signals (factor 1, offset 0) are exact integers.
        self.assertTrue(is_int(by_name["GEAR"]["value"]), by_name["GEAR"])
        self.assertEqual(by_name["GEAR"]["value"], by_name["GEAR"]["raw"])
        self.assertIsInstance(by_name["GEAR"]["label"], str)
        self.assertTrue(is_int(by_name["IMD_Warning"]["value"]))
        self.assertIsNone(by_name["CHARGE_POWER"]["label"])
        # Physical = raw x factor + offset.
        self.assertAlmostEqual(by_name["SOC"]["value"], by_name["SOC"]["raw"] * 0.5)
        self.assertEqual(by_name["SOC"]["unit"], "%")
        self.assertAlmostEqual(by_name["PACK_VOLTAGE"]["value"], by_name["PACK_VOLTAGE"]["raw"] * 0.1)
        self.assertAlmostEqual(by_name["CELL_TEMP_MAX"]["value"], by_name["CELL_TEMP_MAX"]["raw"] - 40)
        self.assertAlmostEqual(by_name["BMS_PackCurrent"]["value"],
                               by_name["BMS_PackCurrent"]["raw"] * 0.1 - 3200, places=6)
        self.assertEqual(by_name["BMS_SOC"]["source_address"], 0xF3)

    def test_signals_glob(self):
        def check(glob, bus=None):
            args = {"glob": glob}
            if bus:
                args["bus"] = bus
            res = self.c.call("signals", **args)
            for s in res:
                self.assertTrue(fnmatch.fnmatchcase(s["signal"], glob) or
                                fnmatch.fnmatchcase("%s.%s" % (s["message"], s["signal"]), glob),
                                (glob, s))
                if bus:
                    self.assertEqual(s["bus"], bus)
            return res
        soc = check("SOC")
        self.assertEqual([(s["bus"], s["message"], s["signal"]) for s in soc],
                         [("car", "EVGW_DEMO_BMS", "SOC")])
        self.assertEqual(len(check("EVGW_DEMO_BMS.*")), 4)
        self.assertEqual({s["signal"] for s in check("FAULT_??")},
                         {"FAULT_FR", "FAULT_FL", "FAULT_BR", "FAULT_BL"})
        self.assertEqual([s["signal"] for s in check("*.GEAR")], ["GEAR"])
        bms = check("BMS_*")
        self.assertTrue(bms and all(s["bus"] == "ebus" for s in bms))
        self.assertEqual([s["signal"] for s in check("*SOC*", bus="ebus")], ["BMS_SOC"])
        self.assertEqual(check("NO_SUCH_SIGNAL*"), [])

    def test_signals_bus_filter(self):
        car = self.c.call("signals", bus="car")
        ebus = self.c.call("signals", bus="ebus")
        self.assertTrue(car and all(s["bus"] == "car" for s in car))
        self.assertTrue(ebus and all(s["bus"] == "ebus" for s in ebus))
        both = self.c.call("signals")
        self.assertEqual(len(both), len(car) + len(ebus))
        self.assertError(self.c.request("signals", bus="nope"), "not_found")

    # dbc -----------------------------------------------------------------------

    def test_dbc(self):
        res = self.c.call("dbc")
        self.assertIsInstance(res, list)
        for e in res:
            self.assertTrue(DBC_KEYS <= set(e), DBC_KEYS - set(e))
            self.assertTrue(os.path.isfile(e["file"]), e)
            self.assertGreater(e["messages"], 0)
            self.assertGreater(e["signals"], 0)
            self.assertEqual(e["errors"], 0)
        files = {(e["bus"], os.path.basename(e["file"])) for e in res}
        self.assertEqual(files, {("car", "byd_atto3.dbc"), ("car", "byd_demo_bms.dbc"),
                                 ("ebus", "yutong_ebus.dbc"), ("ebus", "ebus_bms_golden_dragon.dbc")})
        byd = [e for e in res if e["file"].endswith("byd_atto3.dbc")][0]
        self.assertEqual(byd["version"], "evgw-byd-atto3-0.3")
        self.assertEqual((byd["messages"], byd["signals"]), (18, 58))

    # subscriptions ---------------------------------------------------------------

    def test_subscribe_signals_events_then_unsubscribe(self):
        # A signal that moves with every frame: events carry changed values only.
        res = self.c.call("subscribe", topic="signals", glob="VEHICLE_SPEED", bus="car", max_rate=10)
        self.assertTrue(is_int(res["sub"]))
        self.assertEqual(res["topic"], "signals")
        self.assertEqual(res["signals"], 1)
        sub = res["sub"]
        events = []
        deadline = time.monotonic() + 3
        while len(events) < 3 and time.monotonic() < deadline:
            ev = self.c.read_event(deadline - time.monotonic())
            if ev is not None:
                events.append(ev)
        self.assertGreaterEqual(len(events), 3, "signal events arrive")
        for ev in events:
            self.assertEqual(ev["type"], "event")
            self.assertEqual(ev["topic"], "signals")
            self.assertEqual(ev["sub"], sub)
            self.assertEqual(ev["dropped"], 0)
            self.assertTrue(ev["signals"])
            for s in ev["signals"]:
                self.assertTrue(SIGNAL_KEYS <= set(s))
                self.assertEqual((s["bus"], s["signal"]), ("car", "VEHICLE_SPEED"))
        raws = [ev["signals"][0]["raw"] for ev in events]
        for a, b in zip(raws, raws[1:]):
            self.assertNotEqual(a, b, "an event repeats a value that did not change")
        self.assertEqual(self.c.call("unsubscribe", sub=sub), {})
        self.c.events.clear()  # those came before the reply
        late = self.c.events_for(0.5)
        self.assertEqual([e for e in late if e.get("sub") == sub], [],
                         "no events after the unsubscribe reply")
        self.assertError(self.c.request("unsubscribe", sub=sub), "not_found")

    def test_subscribe_signals_max_rate(self):
        sub = self.c.call("subscribe", topic="signals", glob="*", bus="car", max_rate=5)["sub"]
        events = self.c.events_for(2.0, sub=sub)
        # 5 per second over 2 s: about 10 (the simulator updates faster than that).
        self.assertGreaterEqual(len(events), 5, "events arrive at about max_rate")
        self.assertLessEqual(len(events), 12, "max_rate 5 is respected")
        names = set()
        for ev in events:
            for s in ev["signals"]:
                self.assertEqual(s["bus"], "car")
                names.add(s["signal"])
        self.assertIn("VEHICLE_SPEED", names)

    def test_subscribe_signals_glob_and_bus_follow(self):
        res = self.c.call("subscribe", topic="signals", glob="BMS_*", max_rate=20)
        # ebus_bms_golden_dragon.dbc: 131 signals named BMS_* (`grep -c "^ SG_ BMS_"`)
        self.assertEqual(res["signals"], 131, "BMS_* follows the 131 BMS signals of ebus")
        events = self.c.events_for(1.0, sub=res["sub"])
        self.assertTrue(events)
        for ev in events:
            for s in ev["signals"]:
                self.assertEqual(s["bus"], "ebus")
                self.assertTrue(s["signal"].startswith("BMS_"))

    def test_subscribe_bad_arguments(self):
        self.assertError(self.c.request("subscribe"), "bad_request")
        self.assertError(self.c.request("subscribe", topic="weather"), "bad_request")
        self.assertError(self.c.request("subscribe", topic="signals", bus="nope"), "not_found")
        self.assertError(self.c.request("subscribe", topic="frames", bus="nope"), "not_found")
        self.assertError(self.c.request("subscribe", topic="signals", max_rate=0), "bad_request")
        self.assertError(self.c.request("subscribe", topic="signals", max_rate=-1), "bad_request")
        self.assertError(self.c.request("subscribe", topic="signals", max_rate=1001), "bad_request")
        # Below 0.01 per second (PROTOCOL.md): tiny rates once made a 1 us timer (issue 19, D3).
        for tiny in (0.0099, 1e-14, 5e-324):
            self.assertError(self.c.request("subscribe", topic="signals", max_rate=tiny), "bad_request")
        self.assertError(self.c.request("subscribe", topic="frames", ids="121"), "bad_request")
        self.assertError(self.c.request("subscribe", topic="frames", ids=[-1]), "bad_request")
        self.assertError(self.c.request("subscribe", topic="frames", ids=[0x20000000]),
                         "bad_request")
        self.assertError(self.c.request("unsubscribe"), "bad_request")
        self.assertError(self.c.request("unsubscribe", sub=987654), "not_found")
        # Still usable after all that.
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    # PROTOCOL.md: bad_request = "a required argument is missing or has the
    # wrong type or range". An argument of the wrong type must not be taken
    # as absent (that silently widens the request to every bus or signal).

    def test_wrong_type_subscribe_max_rate(self):
        self.assertError(self.c.request("subscribe", topic="signals", max_rate="fast"),
                         "bad_request")

    def test_wrong_type_subscribe_bus(self):
        self.assertError(self.c.request("subscribe", topic="signals", bus=5), "bad_request")

    def test_wrong_type_signals_bus(self):
        self.assertError(self.c.request("signals", bus=["car"]), "bad_request")

    def test_wrong_type_signals_glob(self):
        self.assertError(self.c.request("signals", glob=5), "bad_request")

    def test_subscription_limit_16(self):
        for _ in range(16):
            self.c.call("subscribe", topic="bus")
        self.assertError(self.c.request("subscribe", topic="bus"), "limit")
        self.assertEqual(self.c.call("unsubscribe", topic="bus"), {})
        self.assertError(self.c.request("unsubscribe", topic="bus"), "not_found")
        self.assertEqual(self.c.call("subscribe", topic="bus")["topic"], "bus")

    def test_frames_ids_filter(self):
        res = self.c.call("subscribe", topic="frames", bus="car", ids=[289])
        self.assertEqual(res["topic"], "frames")
        events = self.c.events_for(0.6, sub=res["sub"])
        self.assertGreaterEqual(len(events), 5, "ESC_SPEED every 20 ms")
        for ev in events:
            self.assertEqual((ev["type"], ev["topic"], ev["bus"]), ("event", "frames", "car"))
            self.assertTrue(is_number(ev["ts"]))
            self.assertTrue(is_int(ev["dropped"]))
            can_id, ext, _, data, kind = parse_compact_frame(ev["frame"])
            self.assertEqual((can_id, ext, kind, len(data)), (289, False, "data", 8), ev)
            self.assertTrue(ev["frame"].startswith("121#"))
        self.assertEqual(self.c.call("unsubscribe", topic="frames"), {})

    def test_frames_extended_id_filter(self):
        ccvs1 = 0x18FEF100
        sub = self.c.call("subscribe", topic="frames", bus="ebus", ids=[ccvs1])["sub"]
        events = self.c.events_for(0.6, sub=sub)
        self.assertGreaterEqual(len(events), 2, "CCVS1 every 100 ms")
        for ev in events:
            self.assertTrue(ev["frame"].startswith("18FEF100#"), ev)
            self.assertEqual(parse_compact_frame(ev["frame"])[:2], (ccvs1, True))

    def test_frames_all_ids_both_buses(self):
        sub = self.c.call("subscribe", topic="frames")["sub"]
        events = self.c.events_for(0.7, sub=sub)
        seen = {}
        for ev in events:
            can_id, ext, _, _, _ = parse_compact_frame(ev["frame"])
            seen.setdefault(ev["bus"], set()).add((can_id, ext))
        self.assertEqual(set(seen), {"car", "ebus"})
        self.assertTrue(all(not ext for _, ext in seen["car"]))
        self.assertTrue(all(ext for _, ext in seen["ebus"]))
        known = {m["id"] for m in self.c.call("messages", bus="car")}
        self.assertLessEqual({i for i, _ in seen["car"]}, known)

    def test_subscribe_bus_topic(self):
        res = self.c.call("subscribe", topic="bus", bus="car")
        self.assertEqual(res["topic"], "bus")
        self.assertTrue(is_int(res["sub"]))

    # record ----------------------------------------------------------------------

    def _wait_frames(self, bus, n):
        start = {b["name"]: b["rx_frames"] for b in self.c.call("buses")}[bus]
        wait_until(lambda: {b["name"]: b["rx_frames"] for b in self.c.call("buses")}[bus]
                   >= start + n, 5, "%d more frames on %s" % (n, bus))

    def test_record_start_stop_and_read_back(self):
        res = self.c.call("record", action="start", bus="car", file="session1.log")
        path = os.path.join(self.d.state_dir, "recordings", "session1.log")
        self.assertEqual(res, {"file": path})
        self._wait_frames("car", 30)
        stop = self.c.call("record", action="stop", bus="car")
        self.assertGreater(stop["frames"], 0)
        self.assertGreater(stop["bytes"], 0)
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        header = lines[0]
        self.assertTrue(header.startswith("#"), header)
        bitrate = {b["name"]: b["bitrate"] for b in self.c.call("buses")}["car"]
        for word in ("car", "sim", "byd-atto3", str(bitrate)):
            self.assertIn(word, header)
        self.assertRegex(header, r"\d{4}-\d\d-\d\d|\d{9,}", "the start time")
        frame_lines = [l for l in lines if not l.startswith("#")]
        self.assertEqual(len(frame_lines), stop["frames"])
        for l in frame_lines:
            m = CANDUMP_LINE.match(l)
            self.assertIsNotNone(m, l)
            self.assertEqual(m.group(3), "car")
            parse_compact_frame(m.group(4))
        self.assertLessEqual(sum(len(l) + 1 for l in frame_lines), stop["bytes"])
        # "bytes" is the file's size, its header included.
        self.assertEqual(stop["bytes"], os.path.getsize(path))
        # evgw decode reads it back.
        out = subprocess.run([EVGW, "decode", "--dbc", BYD_DBC, "--dbc", BMS_DBC, "--json", path],
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        decoded = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
        self.assertTrue(decoded)
        self.assertLessEqual(len(decoded), stop["frames"])
        self.assertTrue(all(d["bus"] == "car" for d in decoded))
        # Never overwritten: the same name again is refused, the file unchanged.
        before = os.path.getsize(path)
        again = self.c.request("record", action="start", bus="car", file="session1.log")
        self.assertError(again, "exists")
        self.assertEqual(os.path.getsize(path), before)
        for bad in ("sub/x.log", ".hidden", ""):
            self.assertError(self.c.request("record", action="start", bus="car", file=bad), "bad_request")
        self.assertError(self.c.request("record", action="stop", bus="car"), "not_found")

    def test_record_busy(self):
        self.c.call("record", action="start", bus="ebus", file="busy1.log")
        self.assertError(self.c.request("record", action="start", bus="ebus", file="busy2.log"),
                         "busy")
        self.assertFalse(os.path.exists(os.path.join(self.d.state_dir, "recordings", "busy2.log")))
        self.c.call("record", action="stop", bus="ebus")

    def test_record_absolute_path(self):
        target = os.path.join(self.tmp, "abs-recording.log")
        reply = self.c.request("record", action="start", bus="car", file=target)
        if os.geteuid() != 0:
            self.assertError(reply, "permission_denied")
            self.assertFalse(os.path.exists(target))
        else:
            # Run as root: an admin may record to an absolute path.
            self.assertEqual(self.assertOk(reply), {"file": target})
            self._wait_frames("car", 10)
            stop = self.c.call("record", action="stop", bus="car")
            self.assertGreater(stop["frames"], 0)
            with open(target) as f:
                self.assertTrue(f.readline().startswith("#"))

    def test_record_bad_arguments(self):
        self.assertError(self.c.request("record", bus="car", file="x.log"), "bad_request")
        self.assertError(self.c.request("record", action="pause", bus="car", file="x.log"),
                         "bad_request")
        self.assertError(self.c.request("record", action="start", file="x.log"), "bad_request")
        self.assertError(self.c.request("record", action="start", bus="nope", file="x.log"),
                         "not_found")
        self.assertError(self.c.request("record", action="start", bus="car"), "bad_request")
        self.assertError(self.c.request("record", action="stop", bus="car"), "not_found")
        esc = self.c.request("record", action="start", bus="car", file="../escape.log")
        self.assertIs(esc["ok"], False, esc)
        self.assertFalse(os.path.exists(os.path.join(self.d.state_dir, "escape.log")))

    # errors and framing ----------------------------------------------------------

    def test_malformed_json_then_usable(self):
        self.c.send_raw(b'{"cmd": "hello", "id": 1,\n')
        self.assertError(self.c.read_message(), "bad_json", rid=None)
        self.c.send_raw(b'{"cmd":"hello","id":2} trailing\n')
        self.assertError(self.c.read_message(), "bad_json", rid=None)
        self.c.send_raw(b'\xff\xfe{]\n')
        self.assertError(self.c.read_message(), "bad_json", rid=None)
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    def test_non_object_json(self):
        # PROTOCOL.md: bad_json = "the line is not one JSON object".
        for line in (b"[1,2,3]", b"42", b'"hello"', b"null", b"true"):
            self.c.send_raw(line + b"\n")
            reply = self.c.read_message()
            self.assertIs(reply["ok"], False, (line, reply))
            self.assertIsNone(reply["id"])
            self.assertEqual(reply["error"]["code"], "bad_json", (line, reply))
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    def test_replies_are_utf8_even_for_invalid_input(self):
        # "JSON Lines both ways: one UTF-8 JSON object per line." A request
        # that is not UTF-8 may be refused (bad_json) or answered, but the
        # daemon's line must still be UTF-8.
        self.c.send_raw(b'{"cmd":"hello","id":"\xff\xfe"}\n')
        line = self.c.read_line()
        self.assertIsNotNone(line)
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail("the reply is not UTF-8 (%s): %r" % (e, line[:80]))
        self.assertEqual(json.loads(text)["type"], "reply")
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    def test_unknown_command(self):
        self.assertError(self.c.request("frobnicate"), "unknown_command")
        self.c.send({"cmd": "frobnicate", "id": "x1"})
        self.assertError(self.c.read_reply("x1"), "unknown_command", rid="x1")
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    def test_missing_cmd(self):
        self.c.send({"id": 5})
        self.assertError(self.c.read_reply(5), "bad_request", rid=5)
        self.c.send({"id": 6, "cmd": 17})
        self.assertError(self.c.read_reply(6), "bad_request", rid=6)
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    def test_unknown_keys_ignored(self):
        self.c.send({"cmd": "hello", "id": 9, "extra": {"a": [1, 2]}, "verbose": None})
        self.assertEqual(self.assertOk(self.c.read_reply(9))["protocol"], 1)
        res = self.c.call("signals", glob="SOC", colour="red")
        self.assertEqual([s["signal"] for s in res], ["SOC"])

    def test_id_echoed_as_given(self):
        for rid in ("abc", 3.5, {"k": [1, "2"]}, [1, "a", None], True, 12345678901234, -7, ""):
            self.c.send({"cmd": "hello", "id": rid})
            reply = self.c.read_message()
            self.assertEqual(reply["type"], "reply")
            self.assertEqual(reply["id"], rid)
            self.assertIs(reply["ok"], True)
        self.c.send({"cmd": "hello"})
        reply = self.c.read_message()
        self.assertIn("id", reply)
        self.assertIsNone(reply["id"], "no id: null")

    def test_strict_json_and_id_echoed_byte_for_byte(self):
        # The API review's A1-A4 (../shared/reports/api-cli-review.md): only
        # RFC 8259 JSON is a request, a refusal says where (byte column),
        # the id comes back as written, and every reply is strict JSON.
        def no_constant(name):
            raise ValueError("not JSON: " + name)

        def strict(raw):
            # Numbers kept as written, NaN and Infinity refused.
            return json.loads(raw.decode("utf-8"), parse_constant=no_constant,
                              parse_int=lambda t: ("int", t), parse_float=lambda t: ("num", t))

        refused = [  # (line, the column of the fault, counted by hand)
            (b"{'cmd':'hello'}", 2),
            (b'{"cmd":"hello","id":2,}', 22),
            (b'{"cmd":"hello","id":4 /* c */}', 23),
            (b'{"cmd":"hello","id":NaN}', 21),
            (b'{"cmd":"hello","id":Infinity}', 21),
            (b'{"cmd":"hello","id":True}', 21),
            (b'{"cmd":"hello","id":007}', 21),
            (b'{"cmd":"hello","id":1.}', 23),
            (b'{"cmd":"sta', 12),
            (b"42", 1),
            (b"null", 1),
            (b'{"cmd":"hello","id":5} // c', 24),
            (b'{"cmd":"hello","id":1,"id":2}', 23),
            (b'{"cmd":"hello","id":"\xc3("}', 22),
            (b'{"cmd":"hello","id":"\\ud800"}', 22),
        ]
        for i, (line, col) in enumerate(refused):
            self.c.send_raw(line + (b"\r\n" if i % 2 else b"\n"))
            raw = self.c.read_line()
            self.assertIsNotNone(raw, line)
            err = self.assertError(strict(raw), "bad_json", rid=None)
            self.assertTrue(err["message"].startswith("column %d: " % col), (line, err))
        echoed = [b"123456789012345678901234567890", b'"\\u00e9"', b'"\\ud834\\udd1e"',
                  b'"\xc3\xa9"', b"1E400", b"-0.0", b"0.1000", b'[1, 2.50, {"a" : null}]',
                  b'{"k":[true,false]}', b'""']
        for rid in echoed:
            self.c.send_raw(b'{"cmd":"hello", "id" : ' + rid + b" }\r\n")
            raw = self.c.read_line()
            reply = strict(raw)
            self.assertOk(reply)
            self.assertIn(b'"id":' + rid, raw)
            self.assertEqual(reply["id"], strict(rid))
        # An error reply echoes it the same way.
        self.c.send_raw(b'{"cmd":"nope","id":1.50}\n')
        raw = self.c.read_line()
        self.assertError(strict(raw), "unknown_command", rid=("num", "1.50"))
        self.assertIn(b'"id":1.50,', raw)
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    def test_blank_lines_ignored(self):
        self.c.send_raw(b"\n   \n\t\n")
        self.c.send({"cmd": "hello", "id": "after-blanks"})
        reply = self.c.read_message()
        self.assertEqual(reply["id"], "after-blanks", "no reply to blank lines")

    def test_replies_in_request_order(self):
        cmds = ["hello", "status", "buses", "dbc", "signals", "nope"] * 5
        data = "".join(json.dumps({"cmd": c, "id": i}) + "\n" for i, c in enumerate(cmds))
        self.c.send_raw(data)
        ids = [self.c.read_message()["id"] for _ in cmds]
        self.assertEqual(ids, list(range(len(cmds))))

    def test_oversized_line_then_usable(self):
        pad = "x" * 70000
        self.c.send_raw(json.dumps({"cmd": "hello", "id": 1, "pad": pad}) + "\n")
        self.c.send({"cmd": "hello", "id": 2})
        first = self.c.read_message()
        self.assertError(first, "too_large", rid=None)
        self.assertEqual(self.assertOk(self.c.read_message())["protocol"], 1)
        # A much longer line: one too_large, the whole rest of it skipped.
        self.c.send_raw(b'{"cmd":"hello","id":3,"pad":"' + b"y" * 300000 + b'"}\n')
        self.c.send({"cmd": "status", "id": 4})
        msgs = [self.c.read_message(), self.c.read_message()]
        self.assertError(msgs[0], "too_large", rid=None)
        self.assertEqual(msgs[1]["id"], 4)
        self.assertIs(msgs[1]["ok"], True)
        self.assertIsNone(self.c.read_message(timeout=0.2), "nothing else")

    def test_longest_allowed_line(self):
        def line_of(n, rid):
            base = json.dumps({"cmd": "hello", "id": rid, "pad": ""})
            req = json.dumps({"cmd": "hello", "id": rid, "pad": "z" * (n - len(base))})
            self.assertEqual(len(req), n)
            return req.encode() + b"\n"
        # 65535 bytes plus the newline: within the limit under any reading.
        self.c.send_raw(line_of(MAX_LINE - 1, 1))
        self.assertEqual(self.assertOk(self.c.read_reply(1))["protocol"], 1)
        # 65536 bytes plus the newline: "at most 65536 bytes"; too_large is for
        # lines "longer than 65536 bytes".
        self.c.send_raw(line_of(MAX_LINE, 2))
        self.c.send({"cmd": "hello", "id": 3})
        reply = self.c.read_message()
        self.assertEqual(reply["id"], 2, "a 65536-byte line is answered: %r" % reply)
        self.assertIs(reply["ok"], True)

    def test_client_not_reading_replies_is_cut_off(self):
        # "above 8 MiB (replies included) the client is disconnected"
        hog = self.client(self.d, timeout=10)
        n = 4000
        one = json.dumps({"cmd": "signals"}) + "\n"
        # Read nothing until the daemon has taken every request (a slow,
        # sanitized daemon would otherwise let the client keep up).
        base = self.c.call("status")
        hog.send_raw(one * n, timeout=10)
        wait_until(lambda: self.c.call("status")["requests"] - base["requests"] >= n - 1 or
                   self.c.call("status")["dropped_clients"] > base["dropped_clients"], 30,
                   "the daemon to take the requests")
        replies, closed = 0, False
        deadline = time.monotonic() + 15
        try:
            while time.monotonic() < deadline:
                msg = hog.read_message(timeout=deadline - time.monotonic())
                if msg is None:
                    break
                replies += 1
        except (ProtocolError, ConnectionResetError):
            closed = True
        self.assertTrue(closed, "the daemon hung up (%d replies of %d)" % (replies, n))
        self.assertLess(replies, n)
        self.assertTrue(self.d.alive())
        self.assertLess(rss_kb(self.d.pid), RSS_LIMIT_KB)
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    def test_clients_disconnecting_mid_request(self):
        # Half a line, then gone.
        with self.d.client() as half:
            half.send_raw(b'{"cmd":"sta')
        # A request with a large reply, closed before reading it.
        for _ in range(5):
            with self.d.client() as rude:
                rude.send_raw(b'{"cmd":"signals","id":1}\n{"cmd":"buses","id":2}\n')
        # A frames subscriber that leaves.
        with self.d.client() as sub:
            sub.send({"cmd": "subscribe", "topic": "frames", "id": 1})
        # A raw socket reset with data unread.
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.d.sock)
        s.sendall(b'{"cmd":"dbc"}\n{"cmd":"hello"}\n{"cmd":"st')
        s.close()
        fresh = self.client(self.d)
        self.assertEqual(fresh.call("hello")["protocol"], 1)
        self.assertTrue(self.d.alive())
        # The daemon lets them all go: only self.c and fresh remain.
        wait_until(lambda: fresh.call("status")["clients"] == 2, 3, "clients back to 2")
        self.assertEqual(self.c.call("hello")["protocol"], 1)

    # the evgw CLI against the daemon -------------------------------------------

    def test_cli_status(self):
        out = subprocess.run([EVGW, "--socket", self.d.sock, "status"], capture_output=True,
                             text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("evgwd", out.stdout)

    def test_cli_buses_json(self):
        out = subprocess.run([EVGW, "--socket", self.d.sock, "--json", "buses"],
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        data = json.loads(out.stdout)
        self.assertEqual({b["name"] for b in data}, {"car", "ebus"})

    def test_cli_no_daemon(self):
        missing = os.path.join(self.tmp, "nonexistent.sock")
        for path in (missing, "/nonexistent"):
            out = subprocess.run([EVGW, "--socket", path, "status"], capture_output=True,
                                 text=True, timeout=20)
            self.assertNotEqual(out.returncode, 0)
            err = out.stderr.strip()
            self.assertTrue(err, "a message on stderr")
            self.assertEqual(len(err.splitlines()), 1, "one line: %r" % out.stderr)
            self.assertEqual(out.stdout, "")


# --- replay buses: offline and online decodes agree ------------------------

class SeamTest(EvgwTestCase):
    """What crosses the daemon/API seam: the frames evgw sends, per-connection
    subscriptions, the listener limit, what status counts."""

    def setUp(self):
        self.d = self.new_daemon(demo=True)
        self.c = self.client(self.d, timeout=10)

    def test_sent_frames_in_recordings_and_frames_events(self):
        self.c.call("record", action="start", bus="car", file="tx.log")
        sub = self.c.call("subscribe", topic="frames", bus="car", ids=[0x7E7, 0x7EF])["sub"]
        one = self.c.call("read-dtc", bus="car", ecu="7E7")["ecus"][0]
        self.assertTrue(one["ok"], one)
        stop = self.c.call("record", action="stop", bus="car")
        events = self.c.events_for(0.3, sub)
        # UDS 19 02 FF to 0x7E7 (ISO 15765-2 single frame 03 19 02 FF), then
        # the BMS's multi-frame answer on 0x7EF, and our flow control (30 00 00).
        tx = [e["frame"] for e in events if e["dir"] == "tx"]
        rx = [e["frame"] for e in events if e["dir"] == "rx"]
        self.assertTrue(any(f.startswith("7E7#031902FF") for f in tx), tx)
        self.assertTrue(any(f.startswith("7E7#300000") for f in tx), tx)
        self.assertTrue(rx and all(f.startswith("7EF#") for f in rx), rx)
        path = os.path.join(self.d.state_dir, "recordings", "tx.log")
        with open(path, encoding="utf-8") as f:
            lines = [l for l in f.read().splitlines() if not l.startswith("#")]
        sent = [l for l in lines if l.endswith(" T")]
        self.assertTrue(any(" car 7E7#031902FF" in l for l in sent), sent)
        self.assertTrue(all(not l.endswith(" T") for l in lines if " car 7EF#" in l))
        self.assertEqual(len(lines), stop["frames"])
        # python-can reads the direction mark (its canutils reader).
        try:
            import can  # noqa: F401
            from can.io.canutils import CanutilsLogReader
        except ImportError:
            return
        msgs = list(CanutilsLogReader(path))
        self.assertEqual(len(msgs), len(lines))
        self.assertTrue(any(m.arbitration_id == 0x7E7 and not m.is_rx for m in msgs))

    def test_charging_on_the_demo(self):
        # PROTOCOL.md "charging": the e-bus charges 52 s into each cycle; before
        # that nothing, after it a session stopped by the BMS (the simulator's
        # battery pack over-temperature). The car speaks no J1939.
        self.assertError(self.c.request("charging", bus="car"), "unsupported")
        self.assertError(self.c.request("charging"), "bad_request")
        res = self.c.call("charging", bus="ebus")
        self.assertEqual(set(res), {"bus", "current", "finished", "messages", "malformed"})
        self.assertEqual(res["bus"], "ebus")
        self.assertEqual(res["malformed"], 0)
        for s in res["finished"]:
            self.assertEqual(s["outcome"], "abnormal")
            self.assertEqual(s["stop_reason"], "BMS: battery pack over-temperature")
            self.assertEqual([t["stage"] for t in s["timeline"]],
                             ["handshake", "recognition", "parameters", "charging", "end"])
            self.assertEqual(s["bms"]["vin"], "LZYTBGBW5R1001237")
            self.assertEqual(s["charging"]["output_current_a"], 200.0)  # positive: into the battery

    def test_j1939_groups_named_in_messages(self):
        # The e-bus's ECUs claim addresses (PGN 60928 = 0xEE00: 18EEFFF3) and
        # broadcast DM1 (65226 = 0xFECA: 18FECAF3); no DBC names them.
        def named():
            return {m["id"]: m["pgn_name"] for m in self.c.call("messages", bus="ebus") if m["message"] is None}
        wait_until(lambda: 0x18FECAF3 in named() and 0x18EEFFF3 in named(), 10, "DM1 and an address claim")
        self.assertEqual(named()[0x18FECAF3], "DM1 active DTCs")
        self.assertEqual(named()[0x18EEFFF3], "Address Claimed")
        # A bus without J1939 names nothing.
        self.assertTrue(all(m["pgn_name"] is None for m in self.c.call("messages", bus="car")))

    def test_subscriptions_numbered_per_connection(self):
        other = self.client(self.d)
        for c in (self.c, other):
            first = c.call("subscribe", topic="bus")
            self.assertEqual(first, {"sub": 1, "topic": "bus"})  # no "signals" on other topics
            self.assertEqual(c.call("subscribe", topic="faults")["sub"], 2)
        self.assertIn("signals", self.c.call("subscribe", topic="signals", glob="SOC"))

    def test_frames_subscriptions_past_the_listener_slots_are_refused(self):
        accepted, clients = [], []
        refused = None
        while refused is None and len(clients) < 8:
            c = self.client(self.d)
            clients.append(c)
            for _ in range(16):
                r = c.request("subscribe", topic="frames", bus="car")
                if not r["ok"]:
                    refused = r
                    break
                accepted.append((c, r["result"]["sub"]))
        self.assertIsNotNone(refused, "a bus has a bounded number of listeners")
        self.assertError(refused, "limit")
        self.assertLess(len(accepted), 64)
        # The last subscription accepted is not deaf.
        c, sub = accepted[-1]
        wait_until(lambda: c.events_for(0.2, sub), 5, "frames on the last accepted subscription")

    def test_plain_disconnects_are_not_dropped_clients(self):
        before = self.c.call("status")["dropped_clients"]
        for _ in range(4):
            c = self.client(self.d)
            c.call("hello")
            c.close()
        time.sleep(0.2)
        self.assertEqual(self.c.call("status")["dropped_clients"], before)

    def test_values_at_their_scale_precision(self):
        # EVGW_DEMO_BMS (dbc/demo/byd_demo_bms.dbc) and the e-bus's BMS_1 carry
        # factors of 0.1: the JSON text of such a value has at most one decimal.
        wait_until(lambda: self.c.call("signals", glob="*SOC"), 5, "SOC signals")
        self.c.send({"cmd": "signals", "glob": "*SOC", "id": 77})
        while True:
            line = self.c.read_line().decode()
            if json.loads(line).get("id") == 77:
                break
        self.assertIn('"value":', line)
        for m in re.finditer(r'"value":(-?[0-9.eE+-]+)', line):
            self.assertRegex(m.group(1), r"^-?\d+(\.\d)?$", line)


class ContractTest(EvgwTestCase):
    """gateway/api/PROTOCOL.md and the daemon say the same: every command,
    topic and error code that hello announces is documented, and nothing is
    documented that the daemon does not have."""

    def setUp(self):
        with open(os.path.join(SOURCE, "gateway", "api", "PROTOCOL.md"), encoding="utf-8") as f:
            self.doc = f.read()

    def doc_commands(self):
        names = set()
        for head in re.findall(r"^### (.+)$", self.doc, re.M):
            names.update(re.findall(r"`([a-z-]+)`", head.split(" — ")[0]))
        return names

    def doc_errors(self):
        table = self.doc.split("## Error codes", 1)[1].split("\n## ", 1)[0]
        return re.findall(r"^\| `([a-z_]+)` \|", table, re.M)

    def doc_topics(self):
        section = self.doc.split("### `subscribe`", 1)[1].split("\n### ", 1)[0]
        return set(re.findall(r'"topic":"([a-z]+)"', section))

    def doc_languages(self):
        section = self.doc.split("## Languages", 1)[1].split("\n## ", 1)[0]
        return re.findall(r'`"lang":"([a-z]+)"`', section)

    def test_hello_matches_protocol_md(self):
        d = self.new_daemon(demo=True)
        hello = self.client(d).call("hello")
        self.assertEqual(hello["languages"], self.doc_languages())
        self.assertEqual(set(hello["capabilities"]), self.doc_commands())
        self.assertEqual(hello["errors"], self.doc_errors())
        self.assertEqual(set(hello["topics"]), self.doc_topics())

    def test_every_code_in_use_is_in_the_table(self):
        # The codes the API's sources can reply with are the table's (contract.c):
        # no string code is written anywhere else.
        api = os.path.join(SOURCE, "gateway", "api")
        used = set()
        for name in os.listdir(api):
            if name.endswith(".c") and name != "contract.c":
                with open(os.path.join(api, name), encoding="utf-8") as f:
                    used.update(re.findall(r"API_ERR_([A-Z_]+)", f.read()))
        used -= {"NONE", "COUNT"}
        self.assertLessEqual({u.lower() for u in used}, set(self.doc_errors()))


class ReplayTest(EvgwTestCase):

    def test_replay_matches_offline_decode(self):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        log = os.path.join(tmp, "byd_atto3_demo.log")
        dbc = os.path.join(tmp, "byd_atto3.dbc")
        shutil.copy(SAMPLE_LOG, log)
        shutil.copy(BYD_DBC, dbc)
        d = self.new_daemon(buses=[("log", {"driver": "replay", "device": log,
                                            "replay_speed": "0", "dbc": dbc})])
        c = self.client(d)

        def stopped():
            b = [b for b in c.call("buses") if b["name"] == "log"][0]
            return b if b["state"] == "stopped" else None
        bus = wait_until(stopped, 5, "the replay bus to stop")
        self.assertEqual(bus["driver"], "replay")
        self.assertEqual(bus["dbc"], [dbc])
        self.assertEqual((bus["rx_frames"], bus["decoded"], bus["unknown"]), (11, 10, 1))

        out = subprocess.run([EVGW, "decode", "--dbc", dbc, "--json", log],
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        expected = {}
        for line in out.stdout.splitlines():
            rec = json.loads(line)
            for name, value in rec["signals"].items():
                expected[(rec["message"], name)] = (value, rec["labels"].get(name))
        got = {}
        for s in c.call("signals", bus="log"):
            got[(s["message"], s["signal"])] = (s["value"], s["label"])
        self.assertEqual(set(got), set(expected))
        for key, (value, label) in expected.items():
            gv, gl = got[key]
            self.assertEqual(type(gv), type(value), (key, gv, value))
            if isinstance(value, float):
                self.assertTrue(math.isclose(gv, value, rel_tol=1e-9), (key, gv, value))
            else:
                self.assertEqual(gv, value, key)
            self.assertEqual(gl, label, key)
        self.assertEqual(got[("ESC_SPEED", "VEHICLE_SPEED")][0], 50.025)
        self.assertEqual(got[("DRIVE_STATE", "GEAR")], (4, "D"))

        msgs = {m["id"]: m for m in c.call("messages", bus="log")}
        self.assertEqual(sorted(msgs), [0x11F, 0x121, 0x1F0, 0x1FC, 0x242, 0x7E8])
        self.assertIsNone(msgs[0x7E8]["message"])
        self.assertEqual(msgs[0x7E8]["count"], 1)
        self.assertEqual(msgs[0x121]["count"], 2)

    def test_message_missing_after_three_cycles(self):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        log = os.path.join(tmp, "bms.log")
        with open(log, "w") as f:
            for i in range(3):  # EVGW_DEMO_BMS, GenMsgCycleTime 100 ms
                f.write("(1764340000.%06d) can0 3F0#A0911020004100%02X\n" % (i * 100000, i))
        d = self.new_daemon(buses=[("bms", {"driver": "replay", "device": log,
                                            "replay_speed": "0", "dbc": BMS_DBC})])
        c = self.client(d)

        def missing():
            m = [m for m in c.call("messages", bus="bms") if m["id"] == 0x3F0]
            return m[0] if m and m[0]["missing"] else None
        m = wait_until(missing, 5, "EVGW_DEMO_BMS to be reported missing")
        self.assertEqual((m["message"], m["cycle_ms"], m["count"]), ("EVGW_DEMO_BMS", 100, 3))
        self.assertGreaterEqual(m["last_age_ms"], 300)
        soc = c.call("signals", bus="bms", glob="SOC")
        self.assertEqual([(s["value"], s["raw"]) for s in soc], [(80, 160)])

    def test_record_max_bytes(self):
        d = self.new_daemon(gateway={"record_max_bytes": "2048"}, buses=[("car", sim_car())])
        c = self.client(d)
        path = c.call("record", action="start", bus="car", file="capped.log")["file"]
        start = c.call("buses")[0]["rx_frames"]
        wait_until(lambda: c.call("buses")[0]["rx_frames"] > start + 100, 5, "100 frames")
        stop = c.call("record", action="stop", bus="car")
        # About 40 bytes a line: the file stopped growing near 2048 bytes,
        # with a note; bytes is the file's size, and the reply says why it
        # stopped before it was asked to.
        self.assertLess(stop["frames"], 100)
        self.assertEqual(stop["bytes"], os.path.getsize(path))
        self.assertEqual(stop["error"], "the size limit of 2048 bytes reached")
        with open(path) as f:
            lines = f.readlines()
        self.assertEqual(lines[-1], "# the size limit of 2048 bytes reached; recording stopped\n")
        self.assertLessEqual(sum(map(len, lines[:-1])), 2048 + 64)

    def test_bus_topic_replay_goes_stopped(self):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        log = os.path.join(tmp, "paced.log")
        frames = []
        t0 = 1764340000.0
        with open(log, "w") as f:
            f.write("# a paced replay, 1.6 s long\n")
            for i in range(41):
                if i % 2:
                    text = "121#%02X%02X000000000000" % (i & 0xFF, (i >> 8) & 0x0F)
                else:
                    text = "18FEF100#00%02X%02X0000000000" % (i, 255 - i)
                frames.append(text)
                f.write("(%.6f) can0 %s\n" % (t0 + i * 0.04, text))
        d = self.new_daemon(buses=[("paced", {"driver": "replay", "device": log,
                                              "replay_speed": "1", "dbc": BYD_DBC})])
        c = self.client(d)
        bus_sub = c.call("subscribe", topic="bus", bus="paced")["sub"]
        frame_sub = c.call("subscribe", topic="frames", bus="paced")["sub"]
        state = [b for b in c.call("buses") if b["name"] == "paced"][0]["state"]
        self.assertEqual(state, "active", "the 1.6 s replay is still running")
        got_frames, bus_events = [], []
        deadline = time.monotonic() + 8
        while not bus_events and time.monotonic() < deadline:
            ev = c.read_event(deadline - time.monotonic())
            if ev is None:
                break
            if ev["sub"] == frame_sub:
                self.assertEqual((ev["topic"], ev["bus"]), ("frames", "paced"))
                got_frames.append(ev["frame"])
            elif ev["sub"] == bus_sub:
                bus_events.append(ev)
        self.assertEqual(len(bus_events), 1, "a bus event when the log ends")
        ev = bus_events[0]
        self.assertEqual((ev["topic"], ev["bus"], ev["state"], ev["previous"]),
                         ("bus", "paced", "stopped", "active"))
        # The frames seen are the log's last ones, in order, in the same text.
        self.assertGreaterEqual(len(got_frames), 10)
        self.assertEqual(got_frames, frames[len(frames) - len(got_frames):])
        bus = [b for b in c.call("buses") if b["name"] == "paced"][0]
        self.assertEqual((bus["state"], bus["rx_frames"]), ("stopped", len(frames)))


# --- lifecycle: signals, sockets, reloads, limits --------------------------

class LifecycleTest(EvgwTestCase):

    def test_sigterm_exits_0_and_removes_socket(self):
        d = self.new_daemon(buses=[("car", sim_car())])
        c = self.client(d)
        self.assertEqual(c.call("hello")["protocol"], 1)
        d.proc.send_signal(signal.SIGTERM)
        self.assertEqual(d.proc.wait(timeout=5), 0, d.log_text())
        self.assertFalse(os.path.exists(d.sock), "the socket file is removed")
        self.assertTrue(c.wait_closed(2), "clients see the connection close")

    def test_second_daemon_on_same_socket_refused(self):
        d = self.new_daemon(buses=[("car", sim_car())])
        other_state = os.path.join(d.dir, "other-state")
        try:
            out = subprocess.run(d.argv(state_dir=other_state), capture_output=True, text=True,
                                 timeout=10)
        except subprocess.TimeoutExpired:
            self.fail("a second evgwd on the same socket kept running")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn(d.sock, out.stderr + out.stdout, "the message names the socket")
        self.assertTrue(d.alive())
        self.assertTrue(os.path.exists(d.sock))
        c = self.client(d)
        self.assertEqual(c.call("status")["pid"], d.pid)

    def test_stale_socket_replaced(self):
        d1 = self.new_daemon(name="first", buses=[("car", sim_car())])
        d1.proc.send_signal(signal.SIGKILL)
        d1.proc.wait(timeout=5)
        self.assertTrue(os.path.exists(d1.sock), "SIGKILL leaves the socket file")
        with self.assertRaises(ConnectionRefusedError):
            EvgwClient(d1.sock).close()
        d2 = Daemon(d1.dir, name="second", config=d1.config, socket_path=d1.sock)
        self.addCleanup(d2.stop)
        d2.start()
        c = self.client(d2)
        self.assertEqual(c.call("status")["pid"], d2.pid)

    def test_per_uid_limit(self):
        d = self.new_daemon(gateway={"max_clients_per_uid": "5"}, buses=[("car", sim_car())])
        first = self.client(d)
        # The readiness probe may still be counted for a moment.
        wait_until(lambda: first.call("status")["clients"] == 1, 3, "one client")
        others = [self.client(d) for _ in range(4)]
        for c in others:
            self.assertEqual(c.call("hello")["protocol"], 1)
        sixth = self.client(d)
        refusal = sixth.read_message(timeout=3)
        self.assertIsNotNone(refusal, "the 6th connection gets an error line")
        self.assertError(refusal, "limit", rid=None)
        self.assertTrue(sixth.wait_closed(3), "and is closed")
        # The first five are unaffected; a freed place can be taken again.
        self.assertEqual(first.call("status")["clients"], 5)
        others[0].close()

        def reconnect():
            c = d.client()
            try:
                reply = c.request("hello", timeout=3)
            except (ProtocolError, ConnectionResetError):
                c.close()
                return None
            if not reply.get("ok"):
                c.close()
                return None
            self.addCleanup(c.close)
            return c
        wait_until(reconnect, 5, "a place freed by a closed client")

    @unittest.skipUnless(os.geteuid() == 0, "needs root to become another user")
    def test_non_admin_client(self):
        try:
            nobody = pwd.getpwnam("nobody")
            nogroup = grp.getgrgid(nobody.pw_gid)
        except KeyError:
            self.skipTest("no user nobody")
        d = self.new_daemon(gateway={"socket_group": nogroup.gr_name}, buses=[("car", sim_car())])
        os.chmod(d.dir, 0o711)  # let nobody reach the socket
        target = os.path.join(d.dir, "not-allowed.log")
        # A forked child becomes nobody and talks to the daemon; the parent
        # gets the replies through a pipe.
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(rfd)
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
                c = EvgwClient(d.sock)
                out = {"hello": c.request("hello"),
                       "abs": c.request("record", action="start", bus="car", file=target),
                       "plain": c.request("record", action="start", bus="car", file="mine.log"),
                       "stop": c.request("record", action="stop", bus="car")}
                os.write(wfd, json.dumps(out).encode())
                code = 0
            except BaseException as e:
                try:
                    os.write(wfd, json.dumps({"error": repr(e)}).encode())
                except BaseException:
                    pass
            finally:
                os._exit(code)
        os.close(wfd)
        data = b""
        with os.fdopen(rfd, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        res = json.loads(data.decode() or "{}")
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, res)
        hello = self.assertOk(res["hello"])
        self.assertEqual((hello["uid"], hello["admin"]), (nobody.pw_uid, False))
        self.assertError(res["abs"], "permission_denied")
        self.assertFalse(os.path.exists(target))
        self.assertEqual(self.assertOk(res["plain"])["file"],
                         os.path.join(d.state_dir, "recordings", "mine.log"))
        self.assertOk(res["stop"])

    def test_sighup_reload_adds_bus_and_keeps_clients(self):
        d = self.new_daemon(buses=[("car", sim_car())])
        watcher = self.client(d)
        watcher.call("subscribe", topic="bus")
        soc_sub = watcher.call("subscribe", topic="signals", glob="SOC", max_rate=20)["sub"]
        c = self.client(d)
        self.assertEqual([b["name"] for b in c.call("buses")], ["car"])
        write_config(d.config, {"dbc_dir": DBC_DIR}, [("car", sim_car()), ("ebus", sim_ebus())])
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: {b["name"] for b in c.call("buses")} == {"car", "ebus"}, 5,
                   "the new bus after SIGHUP")
        status = c.call("status")
        self.assertEqual((status["reloads"], status["reload_failures"]), (1, 0))
        self.assertTrue(d.alive())
        # Existing connections stay open and answer.
        self.assertEqual(watcher.call("hello")["protocol"], 1)
        wait_until(lambda: c.call("signals", bus="ebus"), 5, "signals from the new bus")
        # The bus topic announced the new bus going active.
        deadline = time.monotonic() + 3
        seen = []
        while time.monotonic() < deadline:
            ev = watcher.read_event(deadline - time.monotonic())
            if ev is None:
                break
            seen.append((ev.get("bus"), ev.get("state")))
            if seen[-1] == ("ebus", "active"):
                break
        self.assertIn(("ebus", "active"), seen)
        # A signals subscription made before the reload keeps delivering.
        watcher.events.clear()
        later = watcher.events_for(0.6, sub=soc_sub)
        self.assertTrue(later, "signal events after the reload")
        self.assertEqual({s["signal"] for ev in later for s in ev["signals"]}, {"SOC"})

    def test_sighup_broken_config_keeps_running(self):
        d = self.new_daemon(buses=[("car", sim_car())])
        c = self.client(d)
        self.assertEqual([b["name"] for b in c.call("buses")], ["car"])
        with open(d.config, "a") as f:
            f.write("[bus broken\nthis is not a key value line\n")
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: c.call("status")["reload_failures"] == 1, 5, "reload_failures 1")
        self.assertTrue(d.alive())
        self.assertEqual(c.call("status")["reloads"], 0)
        buses = c.call("buses")
        self.assertEqual([(b["name"], b["state"]) for b in buses], [("car", "active")])
        before = buses[0]["rx_frames"]
        wait_until(lambda: c.call("buses")[0]["rx_frames"] > before, 3, "the old bus still runs")
        # A well-formed file naming a DBC that does not exist fails too.
        write_config(d.config, {"dbc_dir": DBC_DIR},
                     [("car", sim_car()), ("x", sim_ebus(dbc=os.path.join(d.dir, "none.dbc")))])
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: c.call("status")["reload_failures"] == 2, 5, "reload_failures 2")
        self.assertEqual([b["name"] for b in c.call("buses")], ["car"])
        # And a good file afterwards is taken.
        write_config(d.config, {"dbc_dir": DBC_DIR}, [("car", sim_car()), ("ebus", sim_ebus())])
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: c.call("status")["reloads"] == 1, 5, "the fixed file reloaded")
        self.assertEqual({b["name"] for b in c.call("buses")}, {"car", "ebus"})


# --- load: many clients, a client that never reads ---------------------------

class LoadTest(EvgwTestCase):

    def test_200_clients_at_once(self):
        d = self.new_daemon(gateway={"max_clients_per_uid": "256"}, buses=[("car", sim_car())])
        clients = []
        for _ in range(200):
            clients.append(self.client(d, timeout=10))
        for i, c in enumerate(clients):
            c.send({"cmd": "hello", "id": i})
        pending = {c.fileno(): (i, c) for i, c in enumerate(clients)}
        replies = {}
        deadline = time.monotonic() + 15
        while pending and time.monotonic() < deadline:
            r, _, _ = select.select(list(pending), [], [], max(0, deadline - time.monotonic()))
            for fd in r:
                i, c = pending[fd]
                msg = c.read_message(timeout=0)
                if msg is not None:
                    replies[i] = msg
                    del pending[fd]
        self.assertEqual(len(replies), 200, "every client got its reply")
        for i, msg in replies.items():
            self.assertEqual(msg["id"], i)
            self.assertEqual(self.assertOk(msg)["protocol"], 1)
        self.assertGreaterEqual(self.client(d).call("status")["clients"], 201)

    def test_client_that_never_reads(self):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        log = os.path.join(tmp, "fire.log")
        shutil.copy(SAMPLE_LOG, log)
        # A bus that replays its log in a loop as fast as it can: a firehose.
        d = self.new_daemon(buses=[("car", sim_car()),
                                   ("fire", {"driver": "replay", "device": log, "dbc": BYD_DBC,
                                             "replay_speed": "0", "replay_loop": "yes"})])
        slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(slow.close)
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.connect(d.sock)
        slow.sendall(b'{"cmd":"subscribe","topic":"frames","id":1}\n'
                     b'{"cmd":"subscribe","topic":"signals","max_rate":1000,"id":2}\n')
        c = self.client(d)
        worst, max_rss, n = 0.0, 0, 0
        end = time.monotonic() + 4
        while time.monotonic() < end:
            t = time.monotonic()
            res = c.call("status" if n % 2 else "signals", timeout=2)
            worst = max(worst, time.monotonic() - t)
            self.assertIsNotNone(res)
            max_rss = max(max_rss, rss_kb(d.pid))
            n += 1
        self.assertTrue(d.alive())
        self.assertLess(worst, 1.0, "replies stay prompt while a client does not read")
        self.assertLess(max_rss, RSS_LIMIT_KB, "RSS stays bounded (%d kB)" % max_rss)
        fire = [b for b in c.call("buses") if b["name"] == "fire"][0]
        self.assertGreater(fire["rx_frames"], 10000, "the firehose really ran")
        # Now read: skipped events are counted in a later event's "dropped".
        slow.setblocking(False)
        buf, dropped = b"", 0
        deadline = time.monotonic() + 10
        while not dropped and time.monotonic() < deadline:
            r, _, _ = select.select([slow], [], [], 0.5)
            if not r:
                continue
            data = slow.recv(1 << 20)
            self.assertTrue(data, "the daemon kept the non-reading client (below 8 MiB)")
            buf += data
            lines = buf.split(b"\n")
            buf = lines.pop()
            for line in lines:
                msg = json.loads(line)
                if msg["type"] == "event" and msg.get("dropped", 0) > 0:
                    dropped = msg["dropped"]
        self.assertGreater(dropped, 0, "a later event reports the dropped count")


if __name__ == "__main__":
    unittest.main()


# --- faults: DBC fault signals, the store, a hard kill ------------------------

class FaultsTest(EvgwTestCase):
    """Faults from DBC fault signals, through the API and the SQLite store."""

    def replay_daemon(self, log_lines, speed="0"):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        log = os.path.join(tmp, "faults.log")
        with open(log, "w") as f:
            f.write("\n".join(log_lines) + "\n")
        return self.new_daemon(buses=[("car", {"driver": "replay", "device": log, "dbc": BYD_DBC,
                                                "replay_speed": speed})])

    def wait_stopped(self, c):
        wait_until(lambda: c.call("buses")[0]["state"] == "stopped", 10, "the replay to end")

    def test_fault_raised_and_cleared_with_freeze_frame(self):
        # 0x1F0 FAULT_FL is bit 13 (byte 1 = 0x20): its value table says "FAULT".
        # Its counter is bits 52-55 (byte 6 = c << 4) and byte 7 the BYD
        # checksum ~(sum of bytes 0-6): 20 -> DF, 20+10 -> CF, 20 -> DF
        # (FAULT_FL 0, c 2), 20+30 -> AF: right, so no integrity fault.
        # 0x121 VEHICLE_SPEED 0|12 x0.0725 = 690 -> B2 02 = 50.025 km/h, same sender ESP_ECU.
        # At recorded pace, 0.4 s apart: each change reaches the store on its
        # own (the daemon writes fault changes about every 100 ms).
        d = self.replay_daemon([
            "(1.000000) can0 121#B202000000000000",
            "(1.100000) can0 1F0#00200000000000DF",
            "(1.500000) can0 1F0#00200000000010CF",
            "(1.900000) can0 1F0#00000000000020DF",
            "(2.300000) can0 1F0#00200000000030AF",
        ], speed="1")
        c = self.client(d)
        self.wait_stopped(c)
        active = c.call("faults")
        self.assertEqual(len(active), 1, active)
        f = active[0]
        self.assertEqual((f["bus"], f["protocol"], f["code"], f["status"]),
                         ("car", "dbc", "WHEEL_SPEED_STATUS.FAULT_FL", "active"))
        self.assertEqual(f["ecu_name"], "ESP_ECU")
        self.assertEqual(f["occurrences"], 2)  # raised, cleared, raised again
        self.assertIn("FAULT", f["description"])
        self.assertEqual(f["freeze_frame"]["ESC_SPEED.VEHICLE_SPEED"], 50.025)
        self.assertEqual(f["freeze_frame"]["WHEEL_SPEED_STATUS.FAULT_FL"], 1)
        history = c.call("faults", history=True)
        self.assertEqual([h["code"] for h in history], ["WHEEL_SPEED_STATUS.FAULT_FL"])
        # The store, read with SQLite while the daemon runs (WAL).
        db = sqlite3.connect(os.path.join(d.state_dir, "faults.db"))
        rows = db.execute("SELECT event, status FROM fault_history ORDER BY id").fetchall()
        self.assertEqual(rows, [("raised", "active"), ("cleared", "cleared"), ("raised", "active")])
        db.close()

    def test_faults_topic_and_bad_arguments(self):
        d = self.new_daemon(demo=True)
        c = self.client(d)
        self.assertIn("faults", c.call("hello")["topics"])
        sub = c.call("subscribe", topic="faults")["sub"]
        self.assertGreater(sub, 0)
        self.assertError(c.request("faults", status="broken"), "bad_request")
        self.assertError(c.request("faults", bus=3), "bad_request")
        self.assertEqual(c.call("faults", bus="car", status="cleared"), [])

    def test_kill_9_loses_nothing_reported(self):
        d = self.replay_daemon(["(1.000000) can0 1F0#00200000000000DF"])
        c = self.client(d)
        w = self.client(d)
        w.call("subscribe", topic="faults")
        self.wait_stopped(c)
        self.assertEqual(len(c.call("faults")), 1)
        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait(10)
        db_path = os.path.join(d.state_dir, "faults.db")
        db = sqlite3.connect(db_path)
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(db.execute("SELECT code, status FROM faults").fetchall(),
                         [("WHEEL_SPEED_STATUS.FAULT_FL", "active")])
        db.close()
        # Restarted on the same state directory: the history is there.
        d.stop()
        d.start()
        c2 = self.client(d)
        codes = [f["code"] for f in c2.call("faults", history=True)]
        self.assertIn("WHEEL_SPEED_STATUS.FAULT_FL", codes)


# A DBC of the test's own (not a vehicle's): GUESS_STATUS (0x400) is a guess
# (no BA_ line: the file's default "assumed"), with a fault signal of
# severity error and a counter; KNOWN_STATUS (0x401) is public.
GUESS_DBC = """VERSION ""
BU_: SHOPX
BO_ 1024 GUESS_STATUS: 8 SHOPX
 SG_ LEAK_WARN : 0|1@1+ (1,0) [0|1] "" SHOPX
 SG_ COUNTER : 56|4@1+ (1,0) [0|15] "" SHOPX
BO_ 1025 KNOWN_STATUS: 8 SHOPX
 SG_ OVERHEAT : 0|1@1+ (1,0) [0|1] "" SHOPX
BA_DEF_ BO_ "EvgwConfidence" ENUM "confirmed","public","assumed";
BA_DEF_ SG_ "EvgwFault" ENUM "none","info","warning","error","critical";
BA_DEF_ SG_ "EvgwCounter" STRING ;
BA_DEF_DEF_ "EvgwConfidence" "assumed";
BA_DEF_DEF_ "EvgwFault" "none";
BA_DEF_DEF_ "EvgwCounter" "";
BA_ "EvgwConfidence" BO_ 1025 1;
BA_ "EvgwFault" SG_ 1024 LEAK_WARN 3;
BA_ "EvgwCounter" SG_ 1024 COUNTER "inc";
BA_ "EvgwFault" SG_ 1025 OVERHEAT 3;
"""


class ConfirmTest(EvgwTestCase):
    """A guess never shows as a fault (issue 14 item 2): faults of a definition
    below "public" are unconfirmed observations until the shop confirms it."""

    def setUp(self):
        self.tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.dbc = os.path.join(self.tmp, "guess.dbc")
        with open(self.dbc, "w") as f:
            f.write(GUESS_DBC)
        # The config: [gateway] 2 lines, [bus car] 5, so [confirmed] is line 8.
        # 0x400: LEAK_WARN 1 (byte 0 bit 0), COUNTER (byte 7 low nibble) 0
        # in all five frames: four stalled steps >= 3 of the last 8, a counter
        # fault. 0x401: OVERHEAT 1.
        self.log = os.path.join(self.tmp, "guess.log")
        with open(self.log, "w") as f:
            for i in range(5):
                f.write("(1.%02d0000) can0 400#0100000000000000\n" % i)
            f.write("(1.500000) can0 401#0100000000000000\n")

    def bus(self):
        return [("car", {"driver": "replay", "device": self.log, "dbc": self.dbc, "replay_speed": "0"})]

    def write(self, d, confirmed):
        write_config(d.config, {"dbc_dir": DBC_DIR}, self.bus())
        if confirmed:
            with open(d.config, "a") as f:
                f.write("[confirmed]\n" + "".join(line + "\n" for line in confirmed))

    @staticmethod
    def summary(faults):
        return sorted((f["code"], f["severity"], f["unconfirmed"], f["lamp"]) for f in faults)

    def test_assumed_is_unconfirmed_until_the_shop_confirms(self):
        d = self.new_daemon(buses=self.bus())
        c = self.client(d)
        w = self.client(d)
        w.call("subscribe", topic="faults")
        wait_until(lambda: len(c.call("faults")) == 3, 10, "three faults from the replay")
        self.assertEqual(self.summary(c.call("faults")), [
            ("GUESS_STATUS.COUNTER", "info", True, None),
            ("GUESS_STATUS.LEAK_WARN", "info", True, None),
            ("KNOWN_STATUS.OVERHEAT", "error", False, None)])
        raised = [e for e in w.events_for(0.5) if e["event"] == "raised"]
        self.assertEqual(self.summary([e["fault"] for e in raised]), self.summary(c.call("faults")))

        # The shop checked GUESS_STATUS on a vehicle: named by the file's
        # base name (the bus loads it by absolute path) and the message.
        self.write(d, ["message = guess.dbc GUESS_STATUS   ; checked on the bench"])
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: c.call("status")["reloads"] == 1, 5, "the reload")

        def confirmed():
            return self.summary(c.call("faults")) == [
                ("GUESS_STATUS.COUNTER", "warning", False, None),
                ("GUESS_STATUS.LEAK_WARN", "error", False, None),
                ("KNOWN_STATUS.OVERHEAT", "error", False, None)]
        wait_until(confirmed, 10, "the replayed faults with their real severity")
        changed = []
        deadline = time.monotonic() + 5
        while len(changed) < 2 and time.monotonic() < deadline:
            ev = w.read_event(deadline - time.monotonic())
            if ev and ev["event"] == "changed":
                changed.append(ev["fault"])
        self.assertEqual(self.summary(changed), [("GUESS_STATUS.COUNTER", "warning", False, None),
                                                 ("GUESS_STATUS.LEAK_WARN", "error", False, None)])
        # The store says the same, and kept the history.
        db = sqlite3.connect(os.path.join(d.state_dir, "faults.db"))
        rows = db.execute("SELECT code, severity, unconfirmed FROM faults ORDER BY code").fetchall()
        self.assertEqual(rows, [("GUESS_STATUS.COUNTER", "warning", 0), ("GUESS_STATUS.LEAK_WARN", "error", 0),
                                ("KNOWN_STATUS.OVERHEAT", "error", 0)])
        events = db.execute("SELECT h.event FROM fault_history h JOIN faults f ON f.id = h.fault_id"
                            " WHERE f.code = 'GUESS_STATUS.LEAK_WARN' ORDER BY h.id").fetchall()
        self.assertEqual(events, [("raised",), ("changed",)])
        db.close()

    def test_confirmed_by_id_at_start(self):
        d = self.new_daemon(buses=self.bus(), start=False)
        self.write(d, ["message = %s 0x400" % self.dbc])
        d.start()
        c = self.client(d)
        wait_until(lambda: len(c.call("faults")) == 3, 10, "three faults from the replay")
        self.assertEqual(self.summary(c.call("faults")), [
            ("GUESS_STATUS.COUNTER", "warning", False, None),
            ("GUESS_STATUS.LEAK_WARN", "error", False, None),
            ("KNOWN_STATUS.OVERHEAT", "error", False, None)])

    def test_bad_confirmed_entry_is_refused(self):
        d = self.new_daemon(buses=self.bus(), start=False)
        self.write(d, ["message = guess.dbc GUESS_STATUS", "message = guess.dbc NO_SUCH"])
        d.start(wait=False)
        self.assertNotEqual(d.proc.wait(10), 0)
        self.assertIn("%s:10: [confirmed] message = guess.dbc NO_SUCH: %s (bus car) has no message NO_SUCH"
                      % (d.config, self.dbc), d.log_text())
        d.stop()
        self.write(d, ["message = guess.dbc"])
        d.start(wait=False)
        self.assertNotEqual(d.proc.wait(10), 0)
        self.assertIn("%s:9: message: expected two words, FILE MESSAGE" % d.config, d.log_text())


# --- asking ECUs: read-dtc, clear-dtc, vin, read-did --------------------------

def one(res):
    """The entry of a one-ECU answer (PROTOCOL.md: asking ECUs)."""
    assert res["asked"] == 1 and len(res["ecus"]) == 1, res
    return res["ecus"][0]


class DiagnosticsTest(EvgwTestCase):
    """The demo car's bus is in diagnostic mode; its simulated ECUs answer UDS,
    KWP2000 and OBD-II (gateway/sim/sim_diag.c)."""

    def setUp(self):
        self.d = self.new_daemon(demo=True)
        self.c = self.client(self.d, timeout=10)

    def wait_speed_seen(self):
        # Freeze frames hold the live signals: let the car send its speed first.
        wait_until(lambda: self.c.call("signals", bus="car", glob="ESC_SPEED.VEHICLE_SPEED"), 10,
                   "the car's speed")

    def test_read_dtc_uds_then_faults(self):
        self.wait_speed_seen()
        res = one(self.c.call("read-dtc", bus="car", ecu="7E7"))
        self.assertEqual((res["ecu"], res["ecu_name"], res["protocol"], res["request_id"], res["response_id"]),
                         (0x7E7, "bms", "uds", 0x7E7, 0x7EF))
        codes = {t["code"]: t["status"] for t in res["dtcs"]}
        # ISO 14229-1 D.2: testFailed (bit 0) is active, confirmedDTC (bit 3) stored.
        self.assertEqual({t["code"]: t["fault_status"] for t in res["dtcs"]},
                         {"P0A9B-00": "stored", "P0A12-00": "stored"})
        # P0A9B-00 confirmed (0x08) and P0A12-00 pending+confirmed+failedSinceClear (0x2C).
        self.assertEqual(codes.get("P0A9B-00"), 0x08)
        self.assertEqual(codes.get("P0A12-00"), 0x2C)
        stored = [f for f in self.c.call("faults", status="stored") if f["protocol"] == "uds"]
        self.assertEqual({f["code"] for f in stored}, {"P0A9B-00", "P0A12-00"})
        self.assertEqual({f["ecu"] for f in stored}, {0x7E7})
        # The freeze frame is the BMS's list in dbc/profiles/byd_atto3.ini
        # ([ecu bms] freeze_frame), from the live signals when it was read.
        for f in stored:
            self.assertTrue(f["freeze_frame"], f)
            self.assertLessEqual(set(f["freeze_frame"]),
                                 {"ESC_SPEED.VEHICLE_SPEED", "DRIVE_STATE.GEAR",
                                  "CHARGE_STATUS.CHARGE_STATE", "CHARGE_STATUS.CHARGE_POWER"})
            self.assertIn("ESC_SPEED.VEHICLE_SPEED", f["freeze_frame"])

    def test_kwp_fallback(self):
        res = one(self.c.call("read-dtc", bus="car", ecu="7E3"))
        self.assertEqual(res["protocol"], "kwp")
        # KWP statusOfDTC bits 6-5 (storage state): 0x60 presentAtRequest is
        # active, 0x20 storedNotPresent stored -- in the answer and the store.
        self.assertEqual({(t["code"], t["status"], t["fault_status"]) for t in res["dtcs"]},
                         {("B1A00", 0x60, "active"), ("U0100", 0x20, "stored")})
        kwp = {f["code"]: f for f in self.c.call("faults", history=True) if f["protocol"] == "kwp"}
        self.assertEqual({c: f["status"] for c, f in kwp.items()}, {"B1A00": "active", "U0100": "stored"})
        # Read again: the same faults, seen again (last seen moves, the count grows).
        time.sleep(0.05)
        one(self.c.call("read-dtc", bus="car", ecu="7E3"))
        again = {f["code"]: f for f in self.c.call("faults", history=True) if f["protocol"] == "kwp"}
        self.assertEqual(again["U0100"]["occurrences"], kwp["U0100"]["occurrences"] + 1)
        self.assertGreater(again["U0100"]["last_seen"], kwp["U0100"]["last_seen"])
        self.assertEqual(again["U0100"]["first_seen"], kwp["U0100"]["first_seen"])
        if os.geteuid() != 0:
            return
        # Clearing falls back too: UDS 0x14 refused (NRC 0x11), KWP 0x14 with all groups.
        cleared = one(self.c.call("clear-dtc", bus="car", ecu="7E3"))
        self.assertEqual((cleared["protocol"], cleared["cleared"]), ("kwp", True))
        self.assertEqual(one(self.c.call("read-dtc", bus="car", ecu="7E3"))["dtcs"], [])

    def test_vin_and_did(self):
        self.assertEqual(one(self.c.call("vin", bus="car", ecu="7E7"))["vin"], "LGXCE4CB0N0123456")
        # The VIN names the bus's vehicle session in the store.
        self.c.call("read-dtc", bus="car", ecu="7E7")
        db = sqlite3.connect(os.path.join(self.d.state_dir, "faults.db"))
        self.assertEqual(db.execute("SELECT bus, vin FROM sessions WHERE vin IS NOT NULL").fetchall(),
                         [("car", "LGXCE4CB0N0123456")])
        sessions = {f["session"] for f in self.c.call("faults", status="stored") if f["protocol"] == "uds"}
        vin_session = db.execute("SELECT id FROM sessions WHERE vin IS NOT NULL").fetchone()[0]
        db.close()
        self.assertEqual(sessions, {vin_session})
        did = one(self.c.call("read-did", bus="car", ecu="7E7", did=0xF190))
        self.assertEqual(bytes.fromhex(did["hex"]).decode(), "LGXCE4CB0N0123456")
        # The same DID however it is written: a number, hex with or without 0x.
        for form in ("F190", "0xF190", "f190", 61840):
            self.assertEqual(one(self.c.call("read-did", bus="car", ecu="0x7E7", did=form))["did"], 0xF190)
        self.assertError(self.c.request("read-did", bus="car", ecu="7E7", did=-5), "bad_request")
        self.assertError(self.c.request("read-did", bus="car", ecu="7E7", did=70000), "bad_request")

    def test_clear_dtc_admin(self):
        self.c.call("read-dtc", bus="car", ecu="7E7")
        if os.geteuid() != 0:
            self.assertError(self.c.request("clear-dtc", bus="car", ecu="7E7"), "permission_denied")
            return
        self.assertEqual(one(self.c.call("clear-dtc", bus="car", ecu="7E7"))["cleared"], True)
        self.assertEqual(one(self.c.call("read-dtc", bus="car", ecu="7E7"))["dtcs"], [])
        history = [f for f in self.c.call("faults", history=True) if f["protocol"] == "uds"]
        self.assertTrue(history and all(f["status"] == "cleared" for f in history), history)

    def test_refusals(self):
        # A listen-only bus: nothing is sent to it.
        quiet = self.new_daemon(name="quiet", buses=[("car", sim_car())])
        qc = self.client(quiet)
        self.assertError(qc.request("read-dtc", bus="car", ecu="7E7"), "permission_denied")
        # ...and the car's bus has no J1939 to ask.
        self.assertError(self.c.request("read-dtc", bus="car", ecu="j1939"), "unsupported")
        self.assertError(self.c.request("read-dtc", bus="car"), "bad_request")
        # Not an id, not a name the car's profile has.
        self.assertError(self.c.request("read-dtc", bus="car", ecu="XYZ"), "not_found")
        self.assertError(self.c.request("read-dtc", bus="car", ecu="800"), "bad_request")
        self.assertError(self.c.request("read-dtc", bus="car", ecu=["7E7"]), "bad_request")
        self.assertError(self.c.request("read-did", bus="car", ecu="7E7"), "bad_request")
        # Nobody answers at 0x7E5: a timeout after P2, and the bus is free again.
        self.assertError(self.c.request("read-dtc", bus="car", ecu="7E5", timeout=10), "timeout")
        self.assertEqual(one(self.c.call("vin", bus="car", ecu="7E7"))["vin"], "LGXCE4CB0N0123456")
        # Nobody answers OBD-II on the e-bus: an error, never "0 DTCs".
        self.assertError(self.c.request("read-dtc", bus="ebus", ecu="obd", timeout=10), "timeout")

    def test_cli(self):
        out = subprocess.run([EVGW, "--socket", self.d.sock, "read-dtc", "7E7", "--bus", "car"],
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("P0A9B-00", out.stdout)
        if os.geteuid() == 0:  # clearing is for admins
            out = subprocess.run([EVGW, "--socket", self.d.sock, "clear-dtc", "7E7", "--bus", "car"],
                                 capture_output=True, text=True, timeout=20)
            self.assertEqual((out.returncode, out.stdout), (0, "bms (0x7E7), UDS: cleared\n"), out.stderr)
        # Several ECUs, some failing (hvac never answers in the demo): exit 1.
        out = subprocess.run([EVGW, "--socket", self.d.sock, "read-dtc", "all", "--bus", "car"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("hvac (0x7B3): no answer", out.stdout)
        # Nobody answering is not "0 DTCs".
        out = subprocess.run([EVGW, "--socket", self.d.sock, "read-dtc", "obd", "--bus", "ebus"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertNotIn("0 DTC", out.stdout)
        self.assertIn("no ECU answered", out.stderr)

    def test_obd(self):
        self.wait_speed_seen()
        res = self.c.call("read-dtc", bus="car", ecu="obd")
        self.assertEqual((res["asked"], res["answered"]), (None, 1))
        # One address for the ECU everywhere: the one asked physically (0x7E0
        # answers on 0x7E8), with its profile name apart from it.
        e = res["ecus"][0]
        self.assertEqual((e["ecu"], e["ecu_name"], e["protocol"], e["request_id"], e["response_id"]),
                         (0x7E0, "vcu", "obd", 0x7DF, 0x7E8))
        got = [{k: d[k] for k in ("code", "raw", "kind", "fault_status")} for d in e["dtcs"]]
        self.assertIn({"code": "P0A80", "raw": 0x0A80, "kind": "stored", "fault_status": "stored"}, got)
        vin = self.c.call("vin", bus="car", ecu="obd")
        self.assertEqual([(v["ecu"], v["response_id"], v["vin"]) for v in vin["ecus"]],
                         [(0x7E0, 0x7E8, "LGXCE4CB0N0123456")])
        obd_faults = [f for f in self.c.call("faults", status="stored") if f["protocol"] == "obd"]
        self.assertEqual([(f["code"], f["ecu"], f["ecu_name"]) for f in obd_faults], [("P0A80", 0x7E0, "vcu")])
        self.assertIn("ESC_SPEED.VEHICLE_SPEED", obd_faults[0]["freeze_frame"])
        if os.geteuid() == 0:
            self.assertEqual(self.c.call("clear-dtc", bus="car", ecu="obd")["ecus"][0]["cleared"], True)
            self.assertEqual(self.c.call("read-dtc", bus="car", ecu="obd")["ecus"][0]["dtcs"], [])

    def test_read_pids(self):
        # The demo car's OBD-II ECU (0x7E8, gateway/sim/sim_diag.c) supports
        # 01 0C 0D 1C 20 40 42 46 5B: 41 00 says 01-20 (20: the next range
        # exists), 41 20 says 40, 41 40 says 42 46 5B and nothing further.
        res = self.c.call("read-pids", bus="car", ecu="obd", timeout=10)
        self.assertEqual([(e["ecu"], e["protocol"], e["response_id"]) for e in res["ecus"]], [(0x7E0, "obd", 0x7E8)])
        ecu = res["ecus"][0]
        self.assertEqual(ecu["supported"], [0x01, 0x0C, 0x0D, 0x1C, 0x20, 0x40, 0x42, 0x46, 0x5B])
        pids = {p["pid"]: p for p in ecu["pids"]}
        # Asked: the supported PIDs evgw decodes, in PID order (not 1C, not the bitmaps).
        self.assertEqual([p["pid"] for p in ecu["pids"]], [0x01, 0x0C, 0x0D, 0x42, 0x46, 0x5B])
        # J1979: 42 = (256A+B)/1000 V, the sim's 13.5 V is 13500 = 0x34BC;
        # 46 = A-40 degC, its 20 degC is 60 = 0x3C.
        self.assertEqual(pids[0x42], {"pid": 0x42, "name": "control module voltage", "value": 13.5,
                                      "unit": "V", "hex": "34BC"})
        self.assertEqual(pids[0x46], {"pid": 0x46, "name": "ambient air temperature", "value": 20,
                                      "unit": "degC", "hex": "3C"})
        # 01: A = 0x01, MIL (bit 7) off and one DTC (mode 03's P0A80).
        self.assertEqual(pids[0x01], {"pid": 1, "name": "monitor status since DTCs cleared",
                                      "mil": False, "dtc_count": 1, "hex": "01000000"})
        # The model's values: the value is what the bytes say by J1979's formulas.
        a = int(pids[0x5B]["hex"], 16)
        self.assertAlmostEqual(pids[0x5B]["value"], a * 100 / 255)
        self.assertTrue(20 <= pids[0x5B]["value"] <= 80, pids[0x5B])  # the SOC (starts at 80 %)
        self.assertAlmostEqual(pids[0x0C]["value"], int(pids[0x0C]["hex"], 16) / 4)
        self.assertEqual(pids[0x0D]["value"], int(pids[0x0D]["hex"], 16))
        self.assertEqual((pids[0x0D]["unit"], pids[0x0C]["unit"], pids[0x5B]["unit"]), ("km/h", "rpm", "%"))
        # Only some: 1C (OBD standard, not decoded by evgw) as bytes, 06 = EOBD;
        # 05 is not supported and is left out. "ecu" defaults to "obd".
        some = self.c.call("read-pids", bus="car", pids=[0x42, 0x05, 0x1C], timeout=10)
        self.assertEqual(some["ecus"][0]["pids"],
                         [{"pid": 0x1C, "name": None, "hex": "06"}, pids[0x42]])
        # One request at a time per bus: the second waits its turn, answered after the first.
        first, second = self.c.new_id(), self.c.new_id()
        self.c.send({"cmd": "read-pids", "bus": "car", "id": first})
        self.c.send({"cmd": "read-dtc", "bus": "car", "ecu": "obd", "id": second})
        self.assertTrue(self.c.read_reply(first, timeout=10)["ok"])
        self.assertTrue(self.c.read_reply(second, timeout=10)["ok"])
        # Bad arguments.
        for bad in ([], [0x20], [0], [256], ["0D"], list(range(1, 35))):
            self.assertError(self.c.request("read-pids", bus="car", pids=bad), "bad_request")
        self.assertError(self.c.request("read-pids", bus="car", ecu="7E7"), "bad_request")
        self.assertError(self.c.request("read-pids", bus="nope"), "not_found")
        self.assertError(self.c.request("read-pids"), "bad_request")
        # A listen-only bus: refused.
        quiet = self.new_daemon(name="quiet", buses=[("car", sim_car())])
        self.assertError(self.client(quiet).request("read-pids", bus="car", ecu="obd"), "permission_denied")
        # The CLI's table.
        out = subprocess.run([EVGW, "--socket", self.d.sock, "read-pids", "--bus", "car"],
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("vcu (0x7E0), OBD-II:", out.stdout)
        self.assertRegex(out.stdout, r"42 +control module voltage +13\.5 V")
        self.assertRegex(out.stdout, r"01 +monitor status since DTCs cleared +MIL off, 1 DTC")

    def test_j1939_dm2_and_dm11(self):
        # The e-bus's BMS (SA 0xF3) remembers SPN 520200 FMI 14 (3 times); the
        # motor controller (0xEF) answers with the no-fault form.
        res = self.c.call("read-dtc", bus="ebus", ecu="j1939", timeout=10)
        self.assertTrue(all(e["protocol"] == "j1939" for e in res["ecus"]), res)
        by_sa = {e["ecu"]: e["dtcs"] for e in res["ecus"]}
        self.assertEqual([{k: d[k] for k in ("code", "spn", "fmi", "oc", "fault_status")} for d in by_sa[0xF3]],
                         [{"code": "SPN 520200 FMI 14", "spn": 520200, "fmi": 14, "oc": 3, "fault_status": "stored"}])
        self.assertTrue(by_sa[0xF3][0]["description"].startswith("Manufacturer-specific"), by_sa[0xF3])
        self.assertEqual(by_sa[0xEF], [])
        stored = [f for f in self.c.call("faults", status="stored") if f["protocol"] == "j1939"]
        self.assertIn(("SPN 520200 FMI 14", 0xF3), [(f["code"], f["ecu"]) for f in stored])
        # The CLI shows the same, per source address.
        out = subprocess.run([EVGW, "--socket", self.d.sock, "read-dtc", "j1939", "--bus", "ebus"],
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("bms (SA 0xF3), J1939: 1 DTC\n", out.stdout)
        self.assertRegex(out.stdout, r"SPN 520200 FMI 14 +stored +Manufacturer-specific")
        self.assertIn("vcu (SA 0xEF), J1939: 0 DTCs", out.stdout)
        # One address only.
        only = self.c.call("read-dtc", bus="ebus", ecu="j1939:EF", timeout=10)
        self.assertEqual([e["ecu"] for e in only["ecus"]], [0xEF])
        # The bus's VIN: PGN 65260 by Request, from every ECU that knows it
        # (gateway/sim/sim_j1939.c's invented demo VIN).
        vin = self.c.call("vin", bus="ebus", timeout=10)
        self.assertEqual({e["vin"] for e in vin["ecus"]}, {"LZYTBGBW5R1001237"})
        self.assertEqual(one(self.c.call("vin", bus="ebus", ecu="j1939:F3", timeout=10))["vin"],
                         "LZYTBGBW5R1001237")
        if os.geteuid() != 0:
            self.assertError(self.c.request("clear-dtc", bus="ebus", ecu="j1939"), "permission_denied")
            return
        # DM3 clears previously active DTCs: every ECU acknowledges, DM2 is empty after.
        acks = self.c.call("clear-dtc", bus="ebus", ecu="j1939", dm=3, timeout=10)
        self.assertEqual(sorted((a["ecu"], a["result"], a["cleared"]) for a in acks["ecus"]),
                         [(0xEF, "ack", True), (0xF3, "ack", True)])
        again = self.c.call("read-dtc", bus="ebus", ecu="j1939", timeout=10)
        self.assertEqual({e["ecu"]: e["dtcs"] for e in again["ecus"]}[0xF3], [])
        self.assertError(self.c.request("clear-dtc", bus="ebus", ecu="j1939", dm=7), "bad_request")
        self.assertError(self.c.request("read-dtc", bus="ebus", ecu="j1939:XYZ"), "bad_request")

    def test_j1939_fault_has_a_freeze_frame(self):
        # The demo's BMS (SA 0xF3) raises SPN 520200 FMI 14 in DM1 for 10 s of
        # every minute: its freeze frame holds the BMS's own broadcast signals.
        def raised():
            return [f for f in self.c.call("faults", history=True)
                    if f["protocol"] == "j1939" and f["ecu"] == 0xF3 and f["code"] == "SPN 520200 FMI 14"]
        wait_until(raised, 70, "the BMS's DM1 fault")
        ff = raised()[0]["freeze_frame"]
        self.assertIn("BMS_1.BMS_SOC", ff)
        # dbc/profiles/ebus_golden_dragon.ini [ecu bms]: BMS and insulation signals.
        self.assertTrue(all(k.startswith(("BMS_", "IMD_")) for k in ff), ff)


# --- vehicle profiles (dbc/profiles): config, ECUs by name, DIDs, DTC words ---

def profile_dbc_dir(tmp, broken_profile):
    """A dbc_dir of its own: the shipped files (symlinked) plus a profile
    named "broken" whose third line is wrong."""
    d = os.path.join(tmp, "dbc")
    os.makedirs(os.path.join(d, "profiles"))
    for name in os.listdir(DBC_DIR):
        if name != "profiles":
            os.symlink(os.path.join(DBC_DIR, name), os.path.join(d, name))
    for name in os.listdir(os.path.join(DBC_DIR, "profiles")):
        os.symlink(os.path.join(DBC_DIR, "profiles", name), os.path.join(d, "profiles", name))
    with open(os.path.join(d, "profiles", "broken.ini"), "w") as f:
        f.write(broken_profile)
    return d


def ru_rows(name):
    """KEY -> TEXT of dbc/dtc/ru/NAME (the Russian table, read on its own)."""
    rows = {}
    with open(os.path.join(DBC_DIR, "dtc", "ru", name), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                cols = line.rstrip("\n").split("\t")
                rows[cols[0]] = cols[1]
    return rows


class LangTest(EvgwTestCase):
    """DTC texts in the language a client asks for ("lang", issue 14 item 6);
    the expected words come from the Russian tables read here."""

    def setUp(self):
        self.spn, self.fmi, self.codes = ru_rows("j1939_spn.tsv"), ru_rows("j1939_fmi.tsv"), ru_rows("sae_generic.tsv")

    def test_faults_and_events_in_russian(self):
        # One DM1 (SA 0x00, CM 0): SPN 190 = 0xBE, FMI 2, OC 1 -> BE 00 02 01;
        # and SPN 399104 = 0x61700 (00 17 | 6 << 5 = C2), FMI 2: no name.
        # Paced: the faults subscription is made before the DM1 at 1.5 s.
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        capture = os.path.join(tmp, "dm1.log")
        with open(capture, "w") as f:
            f.write("(1764340000.000000) can0 18FEF100#FFFFFFFFFFFFFFFF\n"
                    "(1764340001.500000) can0 18FECA00#04FFBE000201FFFF\n"
                    "(1764340001.510000) can0 18FECA03#04FF0017C201FFFF\n")
        d = self.new_daemon(buses=[("ebus", {"driver": "replay", "device": capture, "replay_speed": "1",
                                             "dbc": "yutong_ebus.dbc", "protocols": "j1939"})])
        c = self.client(d)
        w = self.client(d)
        self.assertEqual(c.call("hello")["languages"], ["en", "ru"])
        w.call("subscribe", topic="faults", lang="ru")
        en = self.client(d)
        en.call("subscribe", topic="faults")
        wait_until(lambda: len(c.call("faults")) == 2, 10, "the two DM1 faults")
        want_ru = {"SPN 190 FMI 2": "%s: %s" % (self.spn["190"], self.fmi["2"]),
                   "SPN 399104 FMI 2": "SPN 399104: %s" % self.fmi["2"]}
        got = {f["code"]: f["description"] for f in c.call("faults", lang="ru")}
        self.assertEqual(got, want_ru)
        self.assertEqual({f["code"]: f["description"] for f in c.call("faults", lang="en")},
                         {f["code"]: f["description"] for f in c.call("faults")})
        self.assertIn("data erratic", c.call("faults")[0]["description"])
        ev = {e["fault"]["code"]: e["fault"]["description"] for e in w.events_for(1.0)}
        self.assertEqual(ev, want_ru)
        ev = {e["fault"]["code"]: e["fault"]["description"] for e in en.events_for(0.5)}
        self.assertIn("data erratic", ev["SPN 190 FMI 2"])
        # The store keeps English; history in Russian all the same.
        got = {f["code"]: f["description"] for f in c.call("faults", history=True, lang="ru")}
        self.assertEqual(got, want_ru)
        # An unknown language: a clear error, from the contract table's code.
        for bad in ("de", "RU", ""):
            err = self.assertError(c.request("faults", lang=bad), "bad_request")
            self.assertEqual(err["message"], "\"lang\" must be one of \"en\", \"ru\" (the languages of DTC "
                                             "texts), not '%s'" % bad)
        self.assertError(c.request("faults", lang=7), "bad_request")
        self.assertError(c.request("subscribe", topic="faults", lang="de"), "bad_request")
        # The CLI: Russian by the locale or --lang, English by default.
        def cli(*args, env=None):
            e = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
            e.update(env or {})
            out = subprocess.run([EVGW, "--socket", d.sock, "faults", *args], capture_output=True, text=True,
                                 timeout=20, env=e)
            self.assertEqual(out.returncode, 0, out.stderr)
            return out.stdout
        self.assertIn(want_ru["SPN 190 FMI 2"], cli(env={"LANG": "ru_RU.UTF-8"}))
        self.assertIn(want_ru["SPN 190 FMI 2"], cli("--lang", "ru"))
        self.assertIn(want_ru["SPN 190 FMI 2"], cli(env={"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}))
        english = cli(env={"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"})
        self.assertIn("data erratic", english)
        self.assertNotIn(self.fmi["2"], english)
        self.assertIn("data erratic", cli("--lang", "en", env={"LANG": "ru_RU.UTF-8"}))

    def test_read_dtc_in_russian(self):
        d = self.new_daemon(demo=True)
        c = self.client(d, timeout=15)
        # UDS at the BMS (sim_diag.c: P0A9B-00, P0A12-00 ...): the SAE table's
        # base code with the failure type, in Russian.
        bms = one(c.call("read-dtc", bus="car", ecu="bms", lang="ru"))
        self.assertTrue(bms["dtcs"])
        for dtc in bms["dtcs"]:
            base = dtc["code"][:5]
            self.assertIn(base, self.codes)
            self.assertEqual(dtc["description"], "%s: %s (тип отказа 0x%s)" % (dtc["code"], self.codes[base],
                                                                                dtc["code"][6:]))
        # OBD-II mode 03 (P0A80) and J1939 DM2 carry Russian texts too.
        obd = c.call("read-dtc", bus="car", ecu="obd", lang="ru", timeout=10)
        texts = [t["description"] for e in obd["ecus"] if e["ok"] for t in e["dtcs"]]
        self.assertIn("P0A80: %s" % self.codes["P0A80"], texts)
        dm2 = c.call("read-dtc", bus="ebus", ecu="j1939", lang="ru", timeout=10)
        bms = [t for e in dm2["ecus"] if e["ok"] for t in e["dtcs"] if t["code"] == "SPN 520200 FMI 14"]
        self.assertTrue(bms, dm2)
        self.assertTrue(bms[0]["description"].endswith(": %s (ранее активна)" % self.fmi["14"]), bms)
        # English by default, unchanged; a bad language refused before anything is sent.
        plain = one(c.call("read-dtc", bus="car", ecu="bms"))
        self.assertTrue(all("failure type" in t["description"] for t in plain["dtcs"]), plain)
        self.assertError(c.request("read-dtc", bus="car", ecu="bms", lang="fr"), "bad_request")
        # The CLI's table in both languages.
        for args, word in ((["--lang", "ru"], "тип отказа"), ([], "failure type")):
            out = subprocess.run([EVGW, "--socket", d.sock, "read-dtc", "bms", "--bus", "car", *args],
                                 capture_output=True, text=True, timeout=20,
                                 env={k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")})
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn(word, out.stdout)


class ProfileTest(EvgwTestCase):
    BROKEN = "[vehicle]\nname = broken\nno_such_key = 1\n"

    def test_bad_profile_fails_start_with_file_and_line(self):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        dbc = profile_dbc_dir(tmp, self.BROKEN)
        d = self.new_daemon(gateway={"dbc_dir": dbc}, buses=[("car", sim_car(profile="broken"))],
                            start=False)
        out = subprocess.run(d.argv(), capture_output=True, text=True, timeout=10)
        self.assertNotEqual(out.returncode, 0)
        text = out.stdout + out.stderr
        # The config's [bus car] is on line 3 ([gateway], dbc_dir, then it);
        # the profile's bad key on its line 3.
        self.assertIn("%s:3: bus car: profile broken: " % d.config, text)
        self.assertIn(os.path.join(dbc, "profiles", "broken.ini") + ":3:", text)

    def test_bad_profile_on_reload_keeps_the_running_buses(self):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        dbc = profile_dbc_dir(tmp, self.BROKEN)
        d = self.new_daemon(gateway={"dbc_dir": dbc}, buses=[("car", sim_car(profile="byd_atto3"))])
        c = self.client(d)
        write_config(d.config, {"dbc_dir": dbc}, [("car", sim_car(profile="broken"))])
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: c.call("status")["reload_failures"] == 1, 5, "reload_failures 1")
        self.assertIn("broken.ini:3:", d.log_text())
        self.assertEqual([(b["name"], b["state"]) for b in c.call("buses")], [("car", "active")])
        # A profile name cannot leave dbc_dir/profiles.
        write_config(d.config, {"dbc_dir": dbc}, [("car", sim_car(profile="../byd_atto3"))])
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: c.call("status")["reload_failures"] == 2, 5, "reload_failures 2")

    def test_demo_profiles_ecus_all_and_named_dids(self):
        d = self.new_daemon(demo=True)
        c = self.client(d, timeout=15)
        # byd_atto3.ini: bms 0x7E7, vcu 0x7E0, hvac 0x7B3 speak UDS (obd is functional).
        res = c.call("read-dtc", bus="car", ecu="all", timeout=20)
        self.assertEqual((res["profile"], res["target"], res["asked"]), ("byd-atto3", "all", 4))
        # Every ECU the profile names: bms, vcu, hvac by UDS, obd by functional request.
        self.assertEqual([(e["ecu_name"], e["protocol"], e["request_id"]) for e in res["ecus"]],
                         [("bms", "uds", 0x7E7), ("vcu", "kwp", 0x7E0), ("hvac", "uds", 0x7B3),
                          ("vcu", "obd", 0x7DF)])
        bms = res["ecus"][0]
        self.assertEqual((bms["ecu"], bms["ok"]), (0x7E7, True))
        for dtc in bms["dtcs"]:
            self.assertTrue(dtc["description"].startswith(dtc["code"] + ": "), dtc)
        # Nobody answers at 0x7B3 in the simulator: that ECU's error, not the whole reply's.
        self.assertEqual((res["ecus"][2]["ok"], res["ecus"][2]["error"]["code"]), (False, "timeout"))
        self.assertEqual(res["answered"], sum(e["ok"] for e in res["ecus"]))
        # DIDs by the profile's names, decoded as byd_atto3.ini says:
        # soc 0x0005 one byte, %; pack_voltage 0x0008 LE16 V; pack_current
        # 0x0009 LE16 x0.1 - 500 A.
        soc = one(c.call("read-did", bus="car", did="soc"))
        self.assertEqual((soc["ecu"], soc["did"], soc["name"], soc["unit"]), (0x7E7, 5, "soc", "%"))
        self.assertEqual(soc["value"], int(soc["hex"], 16))
        self.assertTrue(0 < soc["value"] <= 100, soc)
        pv = one(c.call("read-did", bus="car", ecu="bms", did=8))
        raw = bytes.fromhex(pv["hex"])
        self.assertEqual((pv["name"], pv["unit"]), ("pack_voltage", "V"))
        self.assertEqual(pv["value"], raw[0] | raw[1] << 8)
        pa = one(c.call("read-did", bus="car", did="pack_current"))
        raw = bytes.fromhex(pa["hex"])
        self.assertAlmostEqual(pa["value"], (raw[0] | raw[1] << 8) * 0.1 - 500, places=6)
        self.assertEqual(pa["values"], [{"name": "pack_current", "value": pa["value"], "unit": "A"}])
        # A DID the profile does not know keeps the plain answer.
        plain = one(c.call("read-did", bus="car", ecu="7E7", did=0x0101))
        self.assertNotIn("name", plain)
        self.assertError(c.request("read-did", bus="car", did="nosuch"), "not_found")
        # The e-bus profile has only J1939 ECUs: "all" asks each by DM2...
        every = c.call("read-dtc", bus="ebus", ecu="all", timeout=20)
        self.assertTrue(every["ecus"] and all(e["protocol"] == "j1939" for e in every["ecus"]), every)
        # ...and its BMS by name is J1939 SA 0xF3 (DM2).
        dm2 = c.call("read-dtc", bus="ebus", ecu="bms", timeout=10)
        self.assertEqual([(e["ecu"], e["ecu_name"]) for e in dm2["ecus"]], [(0xF3, "bms")])
        # A J1939 ECU has no DIDs.
        self.assertError(c.request("read-did", bus="ebus", ecu="bms", did=5), "unsupported")

    def test_demo_descriptions_and_integrity_counts(self):
        d = self.new_daemon(demo=True)
        c = self.client(d, timeout=15)
        c.call("read-dtc", bus="car", ecu="bms")
        c.call("read-dtc", bus="ebus", ecu="j1939", timeout=10)
        faults = c.call("faults", history=True)
        self.assertTrue(faults)
        for f in faults:
            self.assertTrue(f["description"], f)
        j = [f for f in faults if f["protocol"] == "j1939" and f["code"] == "SPN 520200 FMI 14"]
        # dbc/dtc/j1939_spn.tsv and j1939_fmi.tsv (FMI 14 "special instructions").
        self.assertTrue(j and j[0]["description"].startswith(
            "Manufacturer-specific: BMS insulation monitoring (evgw simulator example): special instructions"), j)
        self.assertEqual(j[0]["ecu_name"], "bms")
        # The simulator seals its BYD frames: checksummed messages count no errors.
        wait_until(lambda: any(m["message"] == "ACC_CMD" for m in c.call("messages", bus="car")), 5, "ACC_CMD")
        for m in c.call("messages", bus="car"):
            self.assertEqual((m["checksum_errors"], m["counter_errors"]), (0, 0), m)

    def test_profile_spn_cm1_per_source_address(self):
        # A profile saying that SA 0x00 writes CM = 1 DTCs in the version 1
        # layout (j1939_dm.h: b0 = SPN 18..11, b1 = SPN 10..3, b2 7-5 =
        # SPN 2..0). SPN 190 = 0xBE, FMI 2, OC 1, CM 1:
        #   b0 = 190 >> 11 = 00, b1 = 190 >> 3 = 23 = 17, b2 = (190 & 7) << 5 | 2
        #   = C2, b3 = 1 << 7 | 1 = 81.
        # The same bytes from SA 0x03 (no spn_cm1: version 4, b0 | b1 << 8 |
        # (b2 >> 5) << 16) are SPN 0x61700 = 399104.
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        dbc = profile_dbc_dir(tmp, "[vehicle]\nname = cmtest\n\n[bus ebus]\ndbc = yutong_ebus.dbc\n"
                                   "protocols = j1939\n\n[ecu old]\nbus = ebus\nprotocol = j1939\n"
                                   "address = 0x00\nspn_cm1 = v1\n")
        capture = os.path.join(tmp, "dm1.log")
        with open(capture, "w") as f:
            f.write("# synthetic: one DM1 (PGN 0xFECA) DTC with CM = 1 from SA 0x00 and 0x03\n"
                    "(1764340000.000000) can0 18FECA00#04FF0017C281FFFF\n"
                    "(1764340000.010000) can0 18FECA03#04FF0017C281FFFF\n")
        d = self.new_daemon(gateway={"dbc_dir": dbc},
                            buses=[("ebus", {"driver": "replay", "device": capture, "replay_speed": "0",
                                             "dbc": "yutong_ebus.dbc", "protocols": "j1939",
                                             "profile": "broken"})])
        c = self.client(d)
        wait_until(lambda: c.call("buses")[0]["rx_frames"] == 2, 5, "the capture replayed")
        got = {(f["ecu"], f["code"], f["description"]) for f in c.call("faults")}
        self.assertEqual(got, {
            (0x00, "SPN 190 FMI 2",
             "Engine speed (traction motor speed on an electric bus): data erratic, intermittent or incorrect"),
            (0x03, "SPN 399104 FMI 2", "SPN 399104: data erratic, intermittent or incorrect")})
