# SPDX-License-Identifier: MIT
"""The MQTT bridge (gateway/mqtt/) against a real Mosquitto broker that this
test starts on a loopback port, with mosquitto_sub (a client evgw does not
share code with) as the subscriber and the fault store read with Python's
sqlite3 as the record of what happened:

- topics and payloads with the demo's two vehicles plus a replayed J1939
  bus whose DM1s raise and clear faults: availability (retained, last will),
  bus state and health, a signal at its rate, every fault change once with
  the store's seq/event/status/code, the VIN, Home Assistant discovery;
- TLS with a CA made here by openssl (and a broker certificate from another
  CA refused, reported in the log);
- a wrong password refused and reported in the log and in evgw status;
- a broker that accepts and then says nothing: the loop goes on, the
  bridge gives up after 10 s and says so;
- the broker stopped for 10 s while faults are raised and cleared, then
  started again: every change arrives, none twice;
- evgwd restarted: nothing published before is published again as new;
- faults.db deleted under evgwd: every change once, no rewrite told as new;
- a benchmark: CPU per published signal and memory.

usage: test_mqtt.py EVGWD EVGW SOURCE_DIR   (exit 77: mosquitto is absent)
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

EVGWD, EVGW, SOURCE = (os.path.abspath(a) for a in sys.argv[1:4]) if len(sys.argv) >= 4 else (None,) * 3
DBC_DIR = os.path.join(SOURCE or ".", "dbc")
SKIP = 77

DEMO_BUSES = """
[bus car]
driver = sim
device = byd-atto3
bitrate = 500k
mode = diagnostic
dbc = byd_atto3.dbc demo/byd_demo_bms.dbc
profile = byd_atto3
[bus ebus]
driver = sim
device = yutong-bus
bitrate = 250k
mode = diagnostic
dbc = yutong_ebus.dbc ebus_bms_golden_dragon.dbc
profile = ebus_golden_dragon
protocols = j1939
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_until(pred, timeout, what):
    end = time.monotonic() + timeout
    while True:
        got = pred()
        if got:
            return got
        if time.monotonic() > end:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(0.05)


# --- J1939 DM1 faults in a candump log (J1939-73: lamps, flash, SPN, FMI, OC) -----------------
# Each frame lists one DTC, SPN 2000 + k, amber lamp, FMI 2: it raises that
# fault and clears the one before (a DM1 is the whole active list).

def dm1_log(path, n, period_s):
    with open(path, "w") as f:
        f.write("# synthetic DM1s for the MQTT test\n")
        for k in range(n):
            spn = 2000 + k
            data = bytes([0x04, 0xFF, spn & 0xFF, (spn >> 8) & 0xFF, ((spn >> 16) & 7) << 5 | 2, 1, 0xFF, 0xFF])
            f.write("(%.6f) can0 18FECA00#%s\n" % (1764340000.0 + k * period_s, data.hex().upper()))


class Broker:
    """mosquitto on a loopback port, with persistence (a restart keeps the
    subscriber's session and what was queued for it)."""

    def __init__(self, tmp, name, tls=None, password=None):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        self.port = free_port()
        self.log = os.path.join(self.dir, "mosquitto.log")
        lines = ["listener %d 127.0.0.1" % self.port, "persistence true",
                 "persistence_location %s/" % self.dir, "log_dest file %s" % self.log, "log_type all"]
        if os.geteuid() == 0:  # else it becomes user mosquitto, who may not read this test's files
            lines.append("user root")
        if password:
            pw = os.path.join(self.dir, "passwd")
            subprocess.run(["mosquitto_passwd", "-b", "-c", pw, password[0], password[1]], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            lines += ["allow_anonymous false", "password_file %s" % pw]
        else:
            lines.append("allow_anonymous true")
        if tls:
            lines += ["cafile %s" % tls["ca"], "certfile %s" % tls["cert"], "keyfile %s" % tls["key"]]
        self.conf = os.path.join(self.dir, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["mosquitto", "-c", self.conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

        def up():
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return True
            except OSError:
                return False
        wait_until(up, 10, "mosquitto to listen")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)
        self.proc = None


class Sub:
    """mosquitto_sub with a persistent session (-c), QoS 1, every message
    with its retain flag."""

    def __init__(self, tmp, broker, topic, name="sub", tls_ca=None):
        self.out = os.path.join(tmp, name + ".txt")
        argv = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port), "-i", "evgw-test-" + name, "-c",
                "-q", "1", "-t", topic, "-F", "%r|%t|%p"]
        if tls_ca:
            argv += ["--cafile", tls_ca]
        self.f = open(self.out, "w")
        self.proc = subprocess.Popen(argv, stdout=self.f, stderr=subprocess.STDOUT)

    def lines(self):
        self.f.flush()
        with open(self.out, errors="replace") as f:
            text = f.read()
        out = []
        for line in text.split("\n"):
            parts = line.split("|", 2)
            if len(parts) == 3 and parts[0] in ("0", "1"):
                out.append((parts[0] == "1", parts[1], parts[2]))
        return out

    def topic(self, t):
        return [(r, p) for r, tt, p in self.lines() if tt == t]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)
        self.f.close()


class Daemon:
    def __init__(self, tmp, mqtt, buses=DEMO_BUSES, name="evgwd"):
        self.tmp = tmp
        self.sock = os.path.join(tmp, "evgw.sock")
        self.state = os.path.join(tmp, "state")
        self.log = os.path.join(tmp, name + ".log")
        self.conf = os.path.join(tmp, name + ".conf")
        with open(self.conf, "w") as f:
            f.write("[gateway]\nsocket = %s\nstate_dir = %s\ndbc_dir = %s\n%s\n[mqtt]\n%s\n"
                    % (self.sock, self.state, DBC_DIR, buses, mqtt))
        self.proc = None

    def start(self):
        self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen([EVGWD, "--config", self.conf], stdout=self.logf, stderr=subprocess.STDOUT)
        wait_until(lambda: os.path.exists(self.sock) or self.proc.poll() is not None, 10, "evgwd")
        if self.proc.poll() is not None:
            raise AssertionError("evgwd exited:\n" + self.text())
        return self

    def text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def stop(self):
        """SIGTERM; a clean exit (status 0, no sanitizer report) or an error."""
        rc = 0
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            rc = self.proc.wait(15)
        self.proc = None
        self.logf.close()
        text = self.text()
        if rc != 0 or "Sanitizer" in text or "runtime error" in text:
            raise AssertionError("evgwd did not stop cleanly (status %s):\n%s" % (rc, text[-3000:]))

    def cpu_s(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def hwm_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def history(self):
        """fault_history joined with faults, as the store has it: seq -> row."""
        db = sqlite3.connect("file:%s/faults.db?mode=ro" % self.state, uri=True)
        try:
            rows = db.execute("SELECT h.id, h.event, h.status, f.id, f.bus, f.code, f.severity, f.lamp, f.unconfirmed"
                              " FROM fault_history h JOIN faults f ON f.id = h.fault_id ORDER BY h.id").fetchall()
        finally:
            db.close()
        return {r[0]: r[1:] for r in rows}


def fault_events(sub, base):
    """Every fault change published (retain flag 0: sent as it happened,
    not a retained copy on subscribing), as parsed JSON."""
    out = []
    for retained, t, p in sub.lines():
        if t.startswith(base + "/") and "/fault/" in t and not retained:
            out.append((t, json.loads(p)))
    return out


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# --- the cases -----------------------------------------------------------------------------

def test_topics(tmp):
    """Topics and payloads, with the demo vehicles and a DM1 bus."""
    broker = Broker(tmp, "b1").start()
    sub = Sub(tmp, broker, "#")
    log = os.path.join(tmp, "dm1.log")
    dm1_log(log, 12, 0.25)
    buses = DEMO_BUSES + ("[bus dm]\ndriver = replay\ndevice = %s\nbitrate = 250k\nprotocols = j1939\n"
                          "dbc = yutong_ebus.dbc\n" % log)
    d = Daemon(tmp, "broker = mqtt://127.0.0.1:%d\nunit = bench1\nsignals = car/SOC@5\ndiscovery = yes\n"
                    "health_interval = 1\n" % broker.port, buses)
    d.start()
    base = "evgw/bench1"
    try:
        wait_until(lambda: sub.topic(base + "/status"), 10, "the status topic")
        check(sub.topic(base + "/status")[-1] == (False, "online"), "status online: %r" % sub.topic(base + "/status"))
        wait_until(lambda: sub.topic(base + "/car/state"), 5, "car's state")
        check(sub.topic(base + "/car/state")[-1][1] == "active", "car is active")
        health = json.loads(wait_until(lambda: sub.topic(base + "/ebus/health"), 5, "health")[-1][1])
        check(health["state"] == "active" and "rx_frames" in health, "health: %r" % health)
        # 12 DM1s: 12 raised, 11 cleared by the next DM1, the last one cleared
        # when the replay ends? (no: a DM1 source that goes silent keeps its
        # fault). Whatever the store says is what must arrive.
        wait_until(lambda: len(d.history()) >= 23, 15, "the DM1 faults in the store")
        time.sleep(1)
        hist = d.history()
        wait_until(lambda: len(fault_events(sub, base)) >= len(hist), 10, "every fault change published")
        evs = fault_events(sub, base)
        seqs = [e["seq"] for t, e in evs]
        check(len(seqs) == len(set(seqs)), "a change published twice: %r" % seqs)
        check(set(seqs) == set(hist), "published %r, the store has %r" % (sorted(seqs), sorted(hist)))
        for t, e in evs:
            event, status, fid, bus, code, severity, lamp, unconfirmed = hist[e["seq"]]
            check(t == "%s/%s/fault/%d" % (base, bus, fid), "topic %s for fault %d" % (t, fid))
            check((e["event"], e["status"], e["id"], e["bus"], e["code"], e["severity"]) ==
                  (event, status, fid, bus, code, severity), "payload %r vs store %r" % (e, hist[e["seq"]]))
            check(e["lamp"] == (lamp or None) and e["description"], "lamp/description: %r" % e)
            check(e["unconfirmed"] is bool(unconfirmed), "unconfirmed: %r vs the store's %r" % (e, unconfirmed))
        dm_codes = {hist[s][4] for s in hist if hist[s][3] == "dm"}
        check("SPN 2000 FMI 2" in dm_codes and "SPN 2011 FMI 2" in dm_codes, "DM1 codes: %r" % dm_codes)
        # The retained copy of a fault is its latest change.
        summary = json.loads(sub.topic(base + "/dm/faults")[-1][1])
        check(summary["active"] == 1 and summary["faults"][0]["code"] == "SPN 2011 FMI 2", "summary %r" % summary)
        # A signal at its rate: 5 a second, while the simulated car sends it.
        n0 = len(sub.topic(base + "/car/signal/SOC"))
        time.sleep(2)
        socs = sub.topic(base + "/car/signal/SOC")
        check(6 <= len(socs) - n0 <= 12, "SOC at 5/s: %d in 2 s" % (len(socs) - n0))
        check(0 <= float(socs[-1][1]) <= 100, "SOC value %r" % socs[-1][1])
        # The VIN, once the car's BMS was asked.
        r = subprocess.run([EVGW, "--socket", d.sock, "vin", "7E7", "--bus", "car", "--json"], capture_output=True,
                           text=True, timeout=20)
        check(r.returncode == 0, "evgw vin: %s %s" % (r.stdout, r.stderr))
        vin = json.loads(r.stdout)["ecus"][0]["vin"]
        got = wait_until(lambda: sub.topic(base + "/car/vin"), 5, "the VIN")
        check(got[-1][1] == vin, "VIN %r, evgw vin said %r" % (got[-1][1], vin))
        # Home Assistant discovery: a sensor per signal, its state topic and unit.
        cfg = json.loads(sub.topic("homeassistant/sensor/evgw_bench1_car_SOC/config")[-1][1])
        check(cfg["state_topic"] == base + "/car/signal/SOC" and cfg["unit_of_measurement"] == "%"
              and cfg["availability_topic"] == base + "/status"
              and cfg["device"]["identifiers"] == ["evgw_bench1"], "discovery %r" % cfg)
        fcfg = json.loads(sub.topic("homeassistant/sensor/evgw_bench1_dm_faults/config")[-1][1])
        check(fcfg["state_topic"] == base + "/dm/faults" and fcfg["value_template"] == "{{ value_json.active }}",
              "faults discovery %r" % fcfg)
        # A clean stop says offline (retained).
        d.stop()
        wait_until(lambda: sub.topic(base + "/status")[-1] == (False, "offline"), 5, "offline at stop")
        # The last will: a daemon killed says nothing, the broker says offline.
        d2 = Daemon(tmp, "broker = mqtt://127.0.0.1:%d\nunit = bench2\nkeepalive = 5\n" % broker.port, name="will")
        d2.start()
        wait_until(lambda: sub.topic("evgw/bench2/status") and sub.topic("evgw/bench2/status")[-1][1] == "online",
                   10, "bench2 online")
        d2.proc.kill()
        d2.proc.wait()
        d2.proc = None
        d2.logf.close()
        wait_until(lambda: sub.topic("evgw/bench2/status")[-1][1] == "offline", 12, "the last will")
        print("mqtt.topics: %d fault changes, each once; SOC at %d/2 s; VIN %s; discovery; offline and will" %
              (len(seqs), len(socs) - n0, vin))
    finally:
        if d.proc:
            d.stop()
        sub.stop()
        broker.stop()


def test_outage_and_restart(tmp):
    """The broker away for 10 s while faults come and go; then evgwd
    restarted."""
    broker = Broker(tmp, "b2").start()
    sub = Sub(tmp, broker, "evgw/#")
    log = os.path.join(tmp, "dm1-long.log")
    dm1_log(log, 64, 0.25)   # 16 s of DM1s: about 127 changes
    buses = ("[bus dm]\ndriver = replay\ndevice = %s\nbitrate = 250k\nprotocols = j1939\ndbc = yutong_ebus.dbc\n"
             % log)
    mqtt = "broker = mqtt://127.0.0.1:%d\nunit = bench3\n" % broker.port
    d = Daemon(tmp, mqtt, buses)
    base = "evgw/bench3"
    d.start()
    try:
        wait_until(lambda: len(fault_events(sub, base)) >= 4, 10, "the first fault changes")
        broker.stop()
        t0 = time.monotonic()
        down_at = len(d.history())
        time.sleep(10)
        during = len(d.history()) - down_at
        broker.start()
        wait_until(lambda: "connected to" in d.text().split("cannot be reached")[-1] or
                   d.text().count("connected to") >= 2, 10, "evgwd to reconnect")
        check("connection lost" in d.text() or "cannot be reached" in d.text(), "the outage is logged")
        # The replay ends; everything the store has must arrive.
        wait_until(lambda: len(d.history()) >= 127, 20, "the replay's 127 changes")
        time.sleep(0.5)
        hist = d.history()
        wait_until(lambda: len(fault_events(sub, base)) >= len(hist), 20, "every change after the outage")
        time.sleep(1)
        seqs = [e["seq"] for t, e in fault_events(sub, base)]
        dup = sorted(s for s in set(seqs) if seqs.count(s) > 1)
        check(not dup, "published twice: %r" % dup)
        check(set(seqs) == set(hist), "missing %r" % sorted(set(hist) - set(seqs)))
        check(during >= 30, "only %d changes happened during the outage" % during)
        print("mqtt.outage: broker down 10 s, %d changes meanwhile; %d changes published, each once (%.0f s)" %
              (during, len(seqs), time.monotonic() - t0))
        # Restart evgwd without the DM1 bus: nothing told again.
        d.stop()
        last = max(hist)
        n_before = len(sub.lines())
        d2 = Daemon(tmp, mqtt, DEMO_BUSES, name="evgwd2")
        d2.start()
        wait_until(lambda: d2.text().count("connected to") >= 1, 10, "the restarted evgwd to connect")
        time.sleep(3)
        again = [e["seq"] for t, e in fault_events(sub, base) if e["seq"] is not None and e["seq"] <= last]
        check(len(again) == len(seqs), "after the restart, old changes were published again: %r"
              % sorted(set(again) - set(seqs))[:10])
        check(len(sub.lines()) > n_before, "the restarted evgwd published (online, state)")
        d2.stop()
        print("mqtt.restart: evgwd restarted, none of the %d changes published again" % len(hist))
    finally:
        if d.proc:
            d.stop()
        sub.stop()
        broker.stop()


def test_store_replaced(tmp):
    """faults.db deleted under evgwd while DM1s raise and clear faults: the
    daemon makes a new store and writes its faults into it again; the
    bridge tells every change once and none of those rewrites (the new
    store numbers its changes from 1 again, so the check is by code and
    event, against what the DM1 log must cause)."""
    broker = Broker(tmp, "b5").start()
    sub = Sub(tmp, broker, "evgw/#", name="replaced")
    log = os.path.join(tmp, "dm1-40.log")
    n = 40
    dm1_log(log, n, 0.25)
    buses = ("[bus dm]\ndriver = replay\ndevice = %s\nbitrate = 250k\nprotocols = j1939\ndbc = yutong_ebus.dbc\n"
             % log)
    d = Daemon(tmp, "broker = mqtt://127.0.0.1:%d\nunit = bench5\n" % broker.port, buses)
    base = "evgw/bench5"
    d.start()
    try:
        wait_until(lambda: len(fault_events(sub, base)) >= 10, 10, "the first fault changes")
        os.unlink(os.path.join(d.state, "faults.db"))
        wait_until(lambda: "a new fault store" in d.text(), 10, "the bridge to take the new store")
        want = {}
        for k in range(n):
            want[("SPN %d FMI 2" % (2000 + k), "raised")] = 1
            if k < n - 1:
                want[("SPN %d FMI 2" % (2000 + k), "cleared")] = 1

        def got():
            c = {}
            for t, e in fault_events(sub, base):
                c[(e["code"], e["event"])] = c.get((e["code"], e["event"]), 0) + 1
            return c
        wait_until(lambda: sum(got().values()) >= sum(want.values()), 20, "every change")
        time.sleep(1)
        c = got()
        check(c == want, "extra %r, missing %r" % ({k: v for k, v in c.items() if want.get(k) != v},
                                                  {k: v for k, v in want.items() if c.get(k) != v}))
        print("mqtt.store_replaced: faults.db deleted mid-replay; %d changes published, each once, "
              "no rewrite told as new" % sum(c.values()))
    finally:
        if d.proc:
            d.stop()
        sub.stop()
        broker.stop()


def test_silent_broker(tmp):
    """A host that accepts the TCP connection and then says nothing (a
    broker hung, a firewall that swallows): the daemon's loop goes on
    answering, the bridge gives up after 10 s, says so, and evgwd stops
    at once."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]
    held = []
    d = Daemon(tmp, "broker = mqtts://127.0.0.1:%d\nunit = silent\n" % port, name="silent")
    d.start()
    try:
        srv.settimeout(5)
        held.append(srv.accept()[0])
        worst = 0.0
        t0 = time.monotonic()
        while time.monotonic() - t0 < 3:
            a = time.monotonic()
            r = subprocess.run([EVGW, "--socket", d.sock, "status", "--json"], capture_output=True, text=True,
                               timeout=10)
            worst = max(worst, time.monotonic() - a)
            check(json.loads(r.stdout)["mqtt"]["state"] == "connecting", "status.mqtt while the TLS handshake hangs")
        check(worst < 1.0, "evgw status took %.2f s while the broker hung" % worst)
        text = wait_until(lambda: "no answer within 10 s" in d.text() and d.text(), 15, "the bridge to give up")
        st = json.loads(subprocess.run([EVGW, "--socket", d.sock, "status", "--json"], capture_output=True,
                                       text=True, timeout=10).stdout)["mqtt"]
        check(st["state"] == "unreachable" and "no answer" in st["last_error"], "status.mqtt %r" % st)
        a = time.monotonic()
        d.stop()
        stop_s = time.monotonic() - a
        check(stop_s < 5, "evgwd took %.1f s to stop" % stop_s)
        print("mqtt.silent: a broker that accepts and says nothing: evgw status answered within %.0f ms "
              "meanwhile; given up after 10 s (%s); evgwd stopped in %.1f s" %
              (worst * 1000, "logged" if "mqtt:" in text else "?", stop_s))
    finally:
        if d.proc:
            d.stop()
        for c in held:
            c.close()
        srv.close()


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_ca(tmp, name):
    """A CA and a server certificate for 127.0.0.1 signed by it."""
    ca_key, ca = os.path.join(tmp, name + "-ca.key"), os.path.join(tmp, name + "-ca.pem")
    key, csr, cert = (os.path.join(tmp, name + s) for s in ("-srv.key", "-srv.csr", "-srv.pem"))
    ext = os.path.join(tmp, name + "-ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName = IP:127.0.0.1\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
            "-subj", "/CN=evgw test CA " + name)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
            "-extfile", ext)
    return {"ca": ca, "cert": cert, "key": key}


def test_tls_and_password(tmp):
    good = make_ca(tmp, "good")
    other = make_ca(tmp, "other")
    broker = Broker(tmp, "b3", tls=good, password=("bench", "right")).start()
    sub_dir = os.path.join(tmp, "subtls")
    os.makedirs(sub_dir)
    try:
        def run(name, mqtt, want, state):
            d = Daemon(tmp, mqtt, name=name)
            d.start()
            try:
                text = wait_until(lambda: want in d.text() and d.text(), 10, "'%s' in the log of %s" % (want, name))
                r = subprocess.run([EVGW, "--socket", d.sock, "status", "--json"], capture_output=True, text=True,
                                   timeout=10)
                st = json.loads(r.stdout)["mqtt"]
                check(set(st) == {"target", "state", "since", "last_error", "sent", "skipped", "unacked"},
                      "status.mqtt's keys (PROTOCOL.md): %r" % sorted(st))
                check(st["state"] == state and st["target"] == url, "status.mqtt %r, wanted %s" % (st, state))
                check((st["last_error"] is None) == (state == "connected"), "status.mqtt.last_error %r" % st)
                r = subprocess.run([EVGW, "--socket", d.sock, "status"], capture_output=True, text=True, timeout=10)
                check(any(line.startswith("mqtt") and state in line for line in r.stdout.split("\n")),
                      "evgw status: %s" % r.stdout)
                return text, st
            finally:
                d.stop()
        url = "mqtts://127.0.0.1:%d" % broker.port
        text, st = run("tls-ok", "broker = %s\nunit = t1\nca_file = %s\nusername = bench\npassword = right\n"
                       % (url, good["ca"]), "mqtt: connected to", "connected")
        check("refused" not in text, "the right password and CA: %s" % text)
        text, st = run("wrong-password", "broker = %s\nunit = t2\nca_file = %s\nusername = bench\n"
                       "password = wrong\n" % (url, good["ca"]), "refused the connection", "refused")
        check("not authorised" in text or "bad user name or password" in text, "why it was refused: %s" % text)
        check("not authorised" in st["last_error"], "status says why: %r" % st)
        text, st = run("wrong-ca", "broker = %s\nunit = t3\nca_file = %s\nusername = bench\npassword = right\n"
                       % (url, other["ca"]), "cannot be reached", "unreachable")
        check("certificate verify failed" in text and "certificate verify failed" in st["last_error"],
              "the certificate's fault named: %s %r" % (text, st))
        print("mqtt.tls: TLS with a test CA connects; a wrong password is refused and logged; another CA's "
              "certificate is refused and logged")
    finally:
        broker.stop()


def test_discovery_beyond_window(tmp):
    """More Home Assistant configs than the QoS 1 window (1024) holds: the
    rest go out as the broker acknowledges, none is lost. A DBC written
    here: 140 messages of 8 one-byte signals, 1120 sensors, plus 2 per bus."""
    dbc = os.path.join(tmp, "many.dbc")
    with open(dbc, "w") as f:
        f.write('VERSION ""\n\nBU_: ECU\n\n')
        for m in range(140):
            f.write("BO_ %d M%d: 8 ECU\n" % (0x100 + m, m))
            for k in range(8):
                f.write(' SG_ S%d : %d|8@1+ (1,0) [0|255] "" ECU\n' % (k, 8 * k))
            f.write("\n")
    log = os.path.join(tmp, "one.log")
    with open(log, "w") as f:
        f.write("(1700000000.000000) can0 100#0102030405060708\n")
    broker = Broker(tmp, "b5").start()
    sub = Sub(tmp, broker, "homeassistant/#", name="disc")
    buses = "[bus many]\ndriver = replay\ndevice = %s\nbitrate = 500k\ndbc = %s\n" % (log, dbc)
    d = Daemon(tmp, "broker = mqtt://127.0.0.1:%d\nunit = bench5\nsignals = many/*.*@1\ndiscovery = yes\n"
               % broker.port, buses, name="disc")
    d.start()
    want = 140 * 8 + 2
    try:
        def configs():
            return {t for _, t, _ in sub.lines() if t.startswith("homeassistant/sensor/evgw_bench5_many_")}
        wait_until(lambda: len(configs()) >= want, 30, "%d discovery configs" % want)
        got = configs()
        check(len(got) == want, "%d configs, expected %d" % (len(got), want))
        check("homeassistant/sensor/evgw_bench5_many_M139_S7/config" in got, "the last signal's config")
        print("mqtt.discovery: %d configs through a window of 1024" % len(got))
    finally:
        if d.proc:
            d.stop()
        sub.stop()
        broker.stop()


def bench(tmp):
    """CPU per published signal: evgwd publishing every signal of both demo
    buses at 100/s against the same daemon publishing none."""
    broker = Broker(tmp, "b4").start()
    sub = Sub(tmp, broker, "evgw/+/+/signal/#", name="bench")
    runs = {}
    secs = float(os.environ.get("EVGW_MQTT_BENCH_SECONDS", "5"))
    try:
        for name, signals in (("none", ""), ("all", "signals = car/*@100 ebus/*@100\n")):
            d = Daemon(tmp, "broker = mqtt://127.0.0.1:%d\nunit = bench-%s\n%s" % (broker.port, name, signals),
                       name="bench-" + name)
            d.start()
            wait_until(lambda: "connected to" in d.text(), 10, "the bench daemon to connect")
            time.sleep(1)
            n0, c0 = len(sub.lines()), d.cpu_s()
            time.sleep(secs)
            n1, c1 = len(sub.lines()), d.cpu_s()
            runs[name] = (c1 - c0, n1 - n0, d.hwm_kb())
            d.stop()
    finally:
        sub.stop()
        broker.stop()
    (cpu0, _, mem0), (cpu1, n, mem1) = runs["none"], runs["all"]
    per = (cpu1 - cpu0) / n * 1e6 if n else float("nan")
    print("mqtt.bench: %d signals published in %.0f s (%.0f/s); evgwd CPU %.2f s with them, %.2f s without: "
          "%.1f us per published signal; peak RSS %d KiB with, %d KiB without" %
          (n, secs, n / secs, cpu1, cpu0, per, mem1, mem0))
    check(n > 0, "no signal was published")


def main():
    if not EVGWD:
        print(__doc__)
        return 2
    for tool in ("mosquitto", "mosquitto_sub", "mosquitto_passwd", "openssl"):
        if not shutil.which(tool):
            print("mqtt: %s is not installed (Debian: mosquitto, mosquitto-clients, openssl): skipped" % tool)
            return SKIP
    only = sys.argv[4:] if len(sys.argv) > 4 else None
    failed = 0
    for case in (test_topics, test_outage_and_restart, test_store_replaced, test_tls_and_password,
                 test_silent_broker, test_discovery_beyond_window, bench):
        if only and case.__name__ not in only:
            continue
        tmp = tempfile.mkdtemp(prefix="evgw-mqtt-", dir="/tmp")
        os.chmod(tmp, 0o700)
        t0 = time.monotonic()
        try:
            case(tmp)
            print("ok   %s (%.1f s)" % (case.__name__, time.monotonic() - t0))
            shutil.rmtree(tmp, ignore_errors=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported with its case
            failed += 1
            print("FAIL %s: %s (files in %s)" % (case.__name__, e, tmp))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
