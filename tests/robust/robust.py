# SPDX-License-Identifier: MIT
"""Shared pieces of the robustness suite (tests/robust/): the real evgwd,
started in a directory of its own (as an unprivileged user when the suite
runs as root, so that file modes bind it), real files changed under it, and
an independent client (tests/integration/evgw_client.py).

Environment: EVGWD, EVGW_SOURCE (defaults: the source tree two levels up and
its build/). Python standard library only.
"""

import json
import os
import pwd
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.environ.get("EVGW_SOURCE") or os.path.join(HERE, "..", ".."))
EVGWD = os.path.abspath(os.environ.get("EVGWD") or os.path.join(SOURCE, "build", "evgwd"))
DBC_DIR = os.path.join(SOURCE, "dbc")

sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))
from evgw_client import EvgwClient, EvgwError  # noqa: E402  (after the path)

AS_ROOT = os.geteuid() == 0


def unprivileged():
    """(uid, gid) to run evgwd as when the suite is root: chmod does not stop
    root, so a read-only store would not be read-only. None when not root."""
    if not AS_ROOT:
        return None
    pw = pwd.getpwnam("nobody")
    return pw.pw_uid, pw.pw_gid


def make_tmpdir():
    """A fresh directory whose paths fit in a sockaddr_un, that the daemon's
    user (nobody, as root) may write."""
    d = tempfile.mkdtemp(prefix="evgw-rb-", dir="/tmp")
    who = unprivileged()
    if who:
        os.chown(d, *who)
    os.chmod(d, 0o755)
    return d


def wait_until(pred, timeout, what, interval=0.02):
    """Poll pred() until it returns a true value; fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        got = pred()
        if got:
            return got
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def write_config(path, gateway, buses):
    lines = ["[gateway]"] + ["%s = %s" % kv for kv in gateway.items()]
    for name, keys in buses:
        lines.append("[bus %s]" % name)
        lines += ["%s = %s" % kv for kv in keys.items()]
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


# --- J1939 DM1 faults in a candump log -------------------------------------------------------
#
# A DM1 lists everything an ECU has active now: each frame of this log lists
# one DTC, SPN 1000 + k, so each frame raises a fault and clears the one
# before it (J1939-73 DM1 single frame: lamps, flash, SPN low/mid byte,
# SPN high 3 bits << 5 | FMI, occurrence count; here amber lamp, FMI 2,
# OC 1). The fault engine keeps them apart by (bus, protocol, source
# address, SPN | FMI << 19).

DM1_SA = 0x00
DM1_FMI = 2


def dm1_frame(spn, fmi=DM1_FMI, oc=1):
    return bytes([0x04, 0xFF, spn & 0xFF, (spn >> 8) & 0xFF, ((spn >> 16) & 0x7) << 5 | fmi, oc & 0x7F,
                  0xFF, 0xFF])


def dm1_raw_code(spn, fmi=DM1_FMI):
    return spn | fmi << 19


def write_dm1_log(path, n, period_s, first_spn=1000):
    """n DM1 frames, period_s apart, SPNs first_spn .. first_spn + n - 1."""
    with open(path, "w") as f:
        f.write("# synthetic: one DM1 per frame, each a new SPN (tests/robust/robust.py)\n")
        for k in range(n):
            t = 1764340000.0 + k * period_s
            f.write("(%.6f) can0 %08X#%s\n" % (t, 0x18FECA00 | DM1_SA, dm1_frame(first_spn + k).hex().upper()))
    return {dm1_raw_code(first_spn + k) for k in range(n)}


# --- the daemon ------------------------------------------------------------------------------

class Daemon:
    """One evgwd in a directory of its own; as nobody when the suite is root
    (unprivileged=True), with a lower RLIMIT_NOFILE when asked."""

    def __init__(self, tmpdir, config=None, demo=False, unprivileged_user=True, nofile=None):
        self.dir = tmpdir
        self.config = config
        self.demo = demo
        self.sock = os.path.join(tmpdir, "evgw.sock")
        self.state_dir = os.path.join(tmpdir, "state")
        self.log_path = os.path.join(tmpdir, "evgwd.log")
        self.db_path = os.path.join(self.state_dir, "faults.db")
        self.user = unprivileged() if unprivileged_user else None
        self.nofile = nofile
        self.proc = None
        self._log = None

    def _preexec(self):
        if self.nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.nofile, self.nofile))
        if self.user:
            os.setgroups([])
            os.setgid(self.user[1])
            os.setuid(self.user[0])

    def start(self, wait=True, timeout=10.0):
        argv = [EVGWD, "--socket", self.sock, "--state-dir", self.state_dir]
        if self.demo:
            argv.append("--demo")
        if self.config:
            argv += ["--config", self.config]
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                     preexec_fn=self._preexec)
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
        deadline = time.monotonic() + timeout
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise AssertionError("evgwd exited with %d before listening:\n%s" % (rc, self.log_text()))
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.sock)
                return
            except (FileNotFoundError, ConnectionRefusedError):
                pass
            finally:
                s.close()
            if time.monotonic() >= deadline:
                raise AssertionError("evgwd did not listen within %.0f s:\n%s" % (timeout, self.log_text()))
            time.sleep(0.01)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def client(self, timeout=5.0):
        return EvgwClient(self.sock, timeout=timeout)

    def cpu_s(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, timeout=10.0):
        """SIGTERM and wait; the exit status (None if it was not running)."""
        rc = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("evgwd did not stop within %.0f s" % timeout)
        if self._log:
            self._log.close()
            self._log = None
        return rc


class RobustCase(unittest.TestCase):
    def setUp(self):
        self.problems = []

    def soft(self, cond, msg):
        """A check whose failure is reported at the end of the test, so
        that the test still measures what it is there to measure (faults
        lost, a stall) on a daemon that gets the first things wrong."""
        if not cond:
            self.problems.append(msg)
        return cond

    def soft_wait(self, pred, timeout, what):
        try:
            wait_until(pred, timeout, what)
            return True
        except AssertionError as e:
            self.problems.append(str(e))
            return False

    def no_problems(self):
        self.assertEqual(self.problems, [])

    def tmpdir(self):
        d = make_tmpdir()
        self.addCleanup(shutil.rmtree, d, True)
        return d

    def daemon(self, buses=(), gateway=None, demo=False, start=True, **kw):
        tmp = self.tmpdir()
        config = None
        if not demo:
            config = os.path.join(tmp, "evgw.conf")
            gw = {"dbc_dir": DBC_DIR}
            gw.update(gateway or {})
            write_config(config, gw, buses)
        d = Daemon(tmp, config=config, demo=demo, **kw)
        self.addCleanup(self._stop_and_show, d)
        if start:
            d.start()
        return d

    def _stop_and_show(self, d):
        d.stop()

    def client(self, d, timeout=5.0):
        c = d.client(timeout)
        self.addCleanup(c.close)
        return c

    def give(self, path):
        """Make path the daemon's (it runs as nobody when we are root)."""
        who = unprivileged()
        if who:
            os.chown(path, *who)


# --- fault events, and what the store holds -------------------------------------------------

class FaultWatcher:
    """A client subscribed to faults: everything it was told, in order."""

    def __init__(self, daemon):
        self.c = daemon.client()
        self.c.call("subscribe", topic="faults")
        self.told = []  # (event, bus, protocol, ecu, raw_code, status)

    def poll(self, seconds=0.0):
        deadline = time.monotonic() + seconds
        while True:
            # (read_event(0) only returns what was read before.)
            ev = self.c.read_event(timeout=max(0.001, deadline - time.monotonic()))
            if ev is None:
                return
            f = ev["fault"]
            self.told.append((ev["event"], f["bus"], f["protocol"], f["ecu"], f["raw_code"], f["status"]))

    def faults(self):
        """Each fault told of, by its key."""
        return {(t[1], t[2], t[3], t[4]) for t in self.told}

    def close(self):
        self.c.close()


def stored_faults(db_path):
    """(bus, protocol, ecu, raw_code) of every fault row, read with SQLite
    itself, read-only; and the result of its integrity check."""
    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    try:
        rows = db.execute("SELECT bus, protocol, ecu, raw_code FROM faults").fetchall()
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()
    return {(b, p, e if e >= 0 else None, r) for b, p, e, r in rows}, check


def store_state(c):
    """status.store; a daemon from before issue 19 has none (the suite can
    be run against one, to see the defects reproduced)."""
    return c.call("status").get("store") or {"state": "unknown", "pending": 0, "recreated": 0,
                                             "path": None, "last_error": ""}


FIGURES = []


def figure(line):
    """A figure for the README: printed at once and again at the end."""
    print("FIGURE " + line, flush=True)
    FIGURES.append(line)


def main(module):
    """Run a module's tests; print the figures after them."""
    prog = unittest.main(module=module, argv=sys.argv[:1], verbosity=2, exit=False)
    for line in FIGURES:
        print("figure: " + line)
    sys.exit(0 if prog.result.wasSuccessful() else 1)


__all__ = ["AS_ROOT", "DBC_DIR", "EVGWD", "SOURCE", "Daemon", "EvgwClient", "EvgwError", "FaultWatcher",
           "RobustCase", "dm1_raw_code", "figure", "json", "main", "make_tmpdir", "store_state", "stored_faults",
           "unprivileged", "wait_until", "write_config", "write_dm1_log"]
