#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Robustness against other local users (issue 19; the defects are those of
../shared/reports/security-review.md): a non-admin putting chosen frames on
a bus (D6) or pinning the CPU (D3), admin rights from the group file (D16),
recordings without owner or quota (D7, D13), and someone posing as the
daemon or taking its directories (D5).

usage: test_users.py EVGWD EVGW SOURCE_DIR   (as root: exit 77 = skipped)

As root it makes its own users and groups with useradd (removed at the end)
and runs clients as them with setpriv; the daemon runs as root, as in the
report, except where a user's own evgwd is the point. Python standard
library only; the clients speak the protocol through tests/integration's
evgw_client.py, written from PROTOCOL.md.
"""

import json
import os
import pwd
import grp
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
if __name__ == "__main__" and len(sys.argv) == 4:
    os.environ["EVGWD"], os.environ["EVGW"], os.environ["EVGW_SOURCE"] = (
        os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from evgw_client import EvgwClient, parse_compact_frame  # noqa: E402
from test_daemon import (DBC_DIR, EVGW, EVGWD, Daemon, EvgwTestCase, sim_car,  # noqa: E402
                         sim_ebus, wait_until, write_config)

TAG = "evru%d" % (os.getpid() % 100000)
GROUP_SOCK, GROUP_ADMIN = TAG + "s", TAG + "m"
# tech and other: socket users; boss: also an admin; mallory: the attacker;
# burst: a user of its own for the rate limit.
USERS = {"tech": [], "other": [], "boss": [GROUP_ADMIN], "mallory": [], "burst": []}
U = {}        # role -> pwd entry
WORK = None   # binaries, scripts and DBC files every test user can read


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=30)


def setUpModule():
    global WORK
    sh("groupadd", GROUP_SOCK)
    sh("groupadd", GROUP_ADMIN)
    for role, extra in USERS.items():
        name = TAG + role[:3]
        sh("useradd", "-M", "-N", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", "-g", GROUP_SOCK,
           *(["-G", ",".join(extra)] if extra else []), name)
        U[role] = pwd.getpwnam(name)
    WORK = tempfile.mkdtemp(prefix="evgw-ru-", dir="/tmp")
    os.chmod(WORK, 0o755)
    for f in (EVGWD, EVGW):
        shutil.copy(f, WORK)
    for f in ("users_client.py", "users_fake_daemon.py"):
        shutil.copy(os.path.join(HERE, f), WORK)
    shutil.copy(os.path.join(HERE, "..", "integration", "evgw_client.py"), WORK)
    shutil.copytree(DBC_DIR, os.path.join(WORK, "dbc"))
    for root, dirs, files in os.walk(WORK):
        for n in dirs + files:
            os.chmod(os.path.join(root, n), 0o755)


def tearDownModule():
    for role in U:
        shutil.rmtree("/tmp/evgw-%d" % U[role].pw_uid, ignore_errors=True)
        sh("userdel", U[role].pw_name, check=False)
    sh("groupdel", GROUP_ADMIN, check=False)
    sh("groupdel", GROUP_SOCK, check=False)
    if WORK:
        shutil.rmtree(WORK, ignore_errors=True)


def as_user(role, *argv, groups="--init-groups"):
    """argv as a test user, its primary group the socket group."""
    return ["setpriv", "--reuid=%d" % U[role].pw_uid, "--regid=%d" % U[role].pw_gid, groups, *argv]


def user_requests(role, sock, reqs, pipeline=False, groups="--init-groups"):
    """The replies to reqs (dicts), sent by a test user over one connection."""
    argv = as_user(role, sys.executable, "-B", os.path.join(WORK, "users_client.py"), sock,
                   *(["--pipeline"] if pipeline else []), groups=groups)
    out = subprocess.run(argv, input="".join(json.dumps(r) + "\n" for r in reqs), capture_output=True,
                         text=True, timeout=120)
    if out.returncode:
        raise AssertionError("client as %s failed (%d): %s %s" % (role, out.returncode, out.stdout, out.stderr))
    return [json.loads(line) for line in out.stdout.splitlines()]


def one(role, sock, cmd, **args):
    return user_requests(role, sock, [dict(cmd=cmd, **args)])[0]


def code(reply):
    return None if reply.get("ok") else reply["error"]["code"]


def text_of(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def daemon_cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class UsersTestCase(EvgwTestCase):
    def shared_daemon(self, gateway=None, name="evgwd"):
        """A root daemon with the demo's two buses, its socket reachable by
        the socket group."""
        gw = {"socket_group": GROUP_SOCK, "admin_group": GROUP_ADMIN}
        gw.update(gateway or {})
        d = self.new_daemon(name=name, gateway=gw, buses=[
            ("car", sim_car(mode="diagnostic", profile="byd_atto3")),
            ("ebus", sim_ebus(mode="diagnostic", profile="ebus_golden_dragon"))])
        os.chmod(d.dir, 0o711)
        return d


# --- D6: only admins put chosen frames on a bus; D3: no request pins the CPU -------------

class RequestsTest(UsersTestCase):
    def test_non_admin_reaches_only_diagnostic_ids(self):
        d = self.shared_daemon()
        watch = self.client(d)
        watch.call("subscribe", topic="frames", bus="car")
        # The report's requests (D6), then what must stay open to a mechanic.
        raw = [dict(cmd="read-did", bus="car", ecu="0", did=57005, rx=1535),
               dict(cmd="read-did", bus="car", ecu="121", did=48879),
               dict(cmd="read-dtc", bus="car", ecu=0),
               dict(cmd="read-dtc", bus="car", ecu="7E7", rx="5FF"),
               dict(cmd="vin", bus="car", ecu="0x6F1"),
               dict(cmd="read-dtc", bus="car", ecu="7DE")]
        fine = [dict(cmd="read-dtc", bus="car", ecu="7E7"),
                dict(cmd="read-dtc", bus="car", ecu="bms"),
                dict(cmd="read-dtc", bus="car", ecu="vcu"),
                dict(cmd="read-dtc", bus="car", ecu="7E3"),
                dict(cmd="read-dtc", bus="car", ecu="7E7", rx="7EF"),
                dict(cmd="read-did", bus="car", ecu="hvac", did="F190"),
                dict(cmd="read-dtc", bus="car", ecu="obd"),
                dict(cmd="vin", bus="ebus", ecu="j1939:F3"),
                dict(cmd="read-dtc", bus="ebus", ecu="j1939")]
        replies = user_requests("tech", d.sock, raw + fine)
        for req, rep in zip(raw, replies):
            self.assertEqual(code(rep), "permission_denied", (req, rep))
            self.assertIn("0x7DF", rep["error"]["message"])
            self.assertIn("0x7E0-0x7E7", rep["error"]["message"])
        msg = replies[0]["error"]["message"]
        self.assertTrue(msg.startswith("request id 0x000 is not a diagnostic address"), msg)
        self.assertIn("hvac 0x7B3", msg)  # the profile's ECUs are named
        self.assertTrue(replies[3]["error"]["message"].startswith("response id 0x5FF"))
        # Open: answered (the simulated vcu refuses UDS 0x19 itself), or a
        # timeout for an ECU the simulator lacks (hvac), never refused.
        for req, rep in zip(fine, replies[len(raw):]):
            self.assertIn(code(rep), (None, "timeout", "negative_response"), (req, rep))
        self.assertIs(replies[len(raw)]["ok"], True)
        watch.call("hello")  # every frame event sent before its reply is read now
        events = list(watch.events)
        self.assertEqual(sum(ev["dropped"] for ev in events), 0)
        sent = {parse_compact_frame(ev["frame"])[0] for ev in events if ev["dir"] == "tx"}
        self.assertIn(0x7E7, sent)
        self.assertLessEqual(sent, {0x7DF, 0x7B3} | set(range(0x7E0, 0x7E8)), sorted(map(hex, sent)))
        # An admin may use any id (nothing answers on 0x6F1: a timeout).
        self.assertEqual(code(one("boss", d.sock, "read-dtc", bus="car", ecu="6F1")), "timeout")
        self.assertEqual(code(one("tech", d.sock, "clear-dtc", bus="car", ecu="7E7")), "permission_denied")

    def test_non_admin_rate_limit(self):
        d = self.shared_daemon()
        burst = [dict(cmd="read-dtc", bus="car", ecu="7E7")] * 40
        replies = [code(r) for r in user_requests("burst", d.sock, burst, pipeline=True)]
        # 20 at once (answered or busy: the bus queues 8), then 5 per second.
        self.assertNotIn("limit", replies[:20], replies)
        self.assertGreaterEqual(replies[20:].count("limit"), 18, replies)
        limited = next(r for r in user_requests("burst", d.sock, [burst[0]] * 25, pipeline=True)
                       if code(r) == "limit")
        self.assertIn("per second per user", limited["error"]["message"])
        time.sleep(0.5)  # two more come back
        self.assertIn(code(one("burst", d.sock, "read-dtc", bus="car", ecu="7E7")), (None, "busy"))
        # Admins are not limited; other users have their own bucket.
        self.assertNotIn("limit", [code(r) for r in user_requests("boss", d.sock, burst, pipeline=True)])
        self.assertNotIn("limit", [code(r) for r in user_requests("other", d.sock, burst[:20], pipeline=True)])

    def test_tiny_max_rate_refused(self):
        d = self.shared_daemon()
        for rate in (1e-14, 5e-324, 0.0099):
            self.assertEqual(code(one("tech", d.sock, "subscribe", topic="signals", glob="NO_SUCH",
                                      max_rate=rate)), "bad_request")
        # The slowest rate allowed keeps the daemon idle.
        c = self.client(d)
        c.call("subscribe", topic="signals", glob="*", max_rate=0.01)
        before = daemon_cpu_s(d.pid)
        time.sleep(1.0)
        self.assertLess(daemon_cpu_s(d.pid) - before, 0.5)


# --- D16: admin rights from the peer's real groups ------------------------------------------

class GroupsTest(UsersTestCase):
    def test_dropped_admin_group_is_no_admin(self):
        d = self.shared_daemon()
        hello = one("boss", d.sock, "hello")["result"]
        self.assertEqual((hello["uid"], hello["admin"]), (U["boss"].pw_uid, True))
        # The same user without its supplementary groups (the group file
        # still lists it in the admin group).
        self.assertIn(U["boss"].pw_name, grp.getgrnam(GROUP_ADMIN).gr_mem)
        dropped = user_requests("boss", d.sock, [dict(cmd="hello"),
                                                 dict(cmd="clear-dtc", bus="car", ecu="7E7")],
                                groups="--clear-groups")
        self.assertIs(dropped[0]["result"]["admin"], False)
        self.assertEqual(code(dropped[1]), "permission_denied")
        self.assertIs(one("boss", d.sock, "clear-dtc", bus="car", ecu="7E7")["ok"], True)
        self.assertIs(one("tech", d.sock, "hello")["result"]["admin"], False)


# --- D7, D13: recordings are owned and bounded ---------------------------------------------

class RecordingsTest(UsersTestCase):
    def test_only_the_owner_or_an_admin_stops(self):
        d = self.shared_daemon()
        self.assertIs(one("tech", d.sock, "record", action="start", bus="car", file="tech.log")["ok"], True)
        # The client has gone; the recording goes on.
        root = self.client(d)
        self.assertEqual({b["name"]: b["recording"] for b in root.call("buses")}["car"],
                         os.path.join(d.state_dir, "recordings", "tech.log"))
        busy = one("other", d.sock, "record", action="start", bus="car", file="mine.log")
        self.assertEqual(code(busy), "busy")
        self.assertNotIn("tech.log", busy["error"]["message"])
        self.assertEqual(code(one("other", d.sock, "record", action="stop", bus="car")), "permission_denied")
        stop = one("tech", d.sock, "record", action="stop", bus="car")["result"]
        self.assertGreater(stop["frames"], 0)
        path = os.path.join(d.state_dir, "recordings", "tech.log")
        self.assertEqual(stop["bytes"], os.path.getsize(path))
        self.assertNotIn("error", stop)
        with open(path) as f:
            self.assertTrue(f.readline().rstrip("\n").endswith(", by uid %d" % U["tech"].pw_uid))
        # An admin stops anyone's.
        self.assertIs(one("other", d.sock, "record", action="start", bus="ebus", file="o.log")["ok"], True)
        self.assertIn("frames", root.call("record", action="stop", bus="ebus"))

    def _wait_cut(self, path):
        wait_until(lambda: "recording stopped" in text_of(path), 20,
                   "%s to stop by itself" % path, interval=0.1)

    def test_quotas(self):
        d = self.shared_daemon({"record_user_quota": "16KiB", "record_total_quota": "24KiB"})
        rec = os.path.join(d.state_dir, "recordings")
        self.assertIs(one("tech", d.sock, "record", action="start", bus="car", file="a1.log")["ok"], True)
        self._wait_cut(os.path.join(rec, "a1.log"))
        stop = one("tech", d.sock, "record", action="stop", bus="car")["result"]
        a1 = os.path.getsize(os.path.join(rec, "a1.log"))
        self.assertEqual(stop["bytes"], a1)
        self.assertIn("quota", stop["error"])
        self.assertTrue(16384 <= a1 < 16384 + 200, a1)  # one more line and the note
        again = one("tech", d.sock, "record", action="start", bus="car", file="a2.log")
        self.assertEqual(code(again), "limit")
        self.assertIn("record_user_quota", again["error"]["message"])
        self.assertFalse(os.path.exists(os.path.join(rec, "a2.log")))
        # Another user has their own share, within what is left of the total.
        self.assertIs(one("other", d.sock, "record", action="start", bus="ebus", file="o1.log")["ok"], True)
        self._wait_cut(os.path.join(rec, "o1.log"))
        o1 = one("other", d.sock, "record", action="stop", bus="ebus")["result"]
        self.assertLess(o1["bytes"], 24576 - a1 + 200)
        full = one("boss", d.sock, "record", action="start", bus="car", file="b1.log")
        self.assertEqual(code(full), "limit")
        self.assertIn("record_total_quota", full["error"]["message"])

    def test_write_error_is_reported(self):
        d = self.shared_daemon(name="full")
        rec = os.path.join(d.state_dir, "recordings")
        os.makedirs(rec, mode=0o750)
        if sh("mount", "-t", "tmpfs", "-o", "size=32k,mode=0750", "evgw-test", rec, check=False).returncode:
            self.skipTest("cannot mount a tmpfs here")
        self.addCleanup(sh, "umount", "-l", rec, check=False)
        c = self.client(d)
        c.call("record", action="start", bus="car", file="full.log")
        wait_until(lambda: "write failed" in d.log_text(), 20, "the disk to fill", interval=0.1)
        stop = c.call("record", action="stop", bus="car")
        path = os.path.join(rec, "full.log")
        self.assertEqual(stop["bytes"], os.path.getsize(path))
        self.assertEqual(stop["error"], "write failed: No space left on device")
        with open(path) as f:
            text = f.read()
        self.assertTrue(text.endswith("\n"))
        for line in text.splitlines()[1:]:  # whole candump lines, none cut
            ts, bus, frame = line.split(" ")
            self.assertEqual(bus, "car")
            parse_compact_frame(frame)


# --- D5: nobody poses as the daemon or takes its directories -------------------------------

class PlacesTest(UsersTestCase):
    def squat(self, role_victim, mode=0o755, link=False):
        """mallory makes /tmp/evgw-UID of the victim first (a directory, or a
        symlink to one of its own)."""
        path = "/tmp/evgw-%d" % U[role_victim].pw_uid
        shutil.rmtree(path, ignore_errors=True)
        if os.path.islink(path):
            os.unlink(path)
        self.addCleanup(lambda: os.unlink(path) if os.path.islink(path) else shutil.rmtree(path, True))
        if link:
            target = path + "-mallory"
            shutil.rmtree(target, ignore_errors=True)
            self.addCleanup(shutil.rmtree, target, True)
            sh(*as_user("mallory", "mkdir", "-m", "0755", target))
            sh(*as_user("mallory", "ln", "-s", target, path))
        else:
            sh(*as_user("mallory", "mkdir", "-m", "%o" % mode, path))
            os.chmod(path, mode)  # whatever mallory's umask
        return path

    def fake_daemon(self, sock):
        """mallory's stand-in for evgwd on sock; returns its log's path."""
        log = os.path.join(os.path.dirname(sock), "stolen.log")
        p = subprocess.Popen(as_user("mallory", sys.executable, "-B", os.path.join(WORK, "users_fake_daemon.py"),
                                     sock, log), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(p.wait)
        self.addCleanup(p.kill)
        wait_until(lambda: "listening" in text_of(log), 10, "the fake daemon")
        return log

    def user_evgw(self, role, *args, env=None):
        e = {"PATH": "/usr/bin:/bin"}
        e.update(env or {})
        return subprocess.run(as_user(role, "env", "-i", *("%s=%s" % kv for kv in e.items()),
                                      os.path.join(WORK, "evgw"), *args),
                              capture_output=True, text=True, timeout=30)

    def test_cli_refuses_a_squatted_tmp_socket(self):
        if os.path.exists("/run/evgw/evgw.sock"):
            self.skipTest("a system evgwd runs here: evgw rightly asks it first")
        where = self.squat("tech")
        sock = os.path.join(where, "evgw.sock")
        log = self.fake_daemon(sock)
        owner = "user %s (uid %d)" % (U["mallory"].pw_name, U["mallory"].pw_uid)
        for args in (["faults"], ["--socket", sock, "clear-dtc", "7E7", "--bus", "car"]):
            out = self.user_evgw("tech", *args)
            self.assertEqual(out.returncode, 3, out)
            self.assertEqual(out.stderr, "evgw: refusing the socket %s: its directory %s belongs to %s, not to "
                             "root, evgw or you; someone may be posing as the daemon\n" % (sock, where, owner))
        with open(log) as f:
            self.assertEqual(f.read(), "listening\n")  # not one request reached mallory

    def test_cli_refuses_a_listener_of_another_user(self):
        # mallory's socket moved into a directory of tech's own (what a
        # directory check alone would let through): the listener gives it away.
        mine = os.path.join(tempfile.mkdtemp(prefix="evgw-ru-", dir="/tmp"))
        self.addCleanup(shutil.rmtree, mine, True)
        theirs = mine + "-m"
        os.mkdir(theirs)
        self.addCleanup(shutil.rmtree, theirs, True)
        os.chown(theirs, U["mallory"].pw_uid, -1)
        log = self.fake_daemon(os.path.join(theirs, "fake.sock"))
        sock = os.path.join(mine, "evgw.sock")
        os.rename(os.path.join(theirs, "fake.sock"), sock)
        os.chown(mine, U["tech"].pw_uid, -1)
        os.chmod(mine, 0o700)
        out = self.user_evgw("tech", "--socket", sock, "faults")
        self.assertEqual(out.returncode, 3, out)
        self.assertRegex(out.stderr, r"^evgw: refusing the socket %s: the process listening there \(pid \d+\) "
                         r"runs as user %s \(uid %d\), not as root, evgw or you; someone may be posing as the "
                         r"daemon\n$" % (sock, U["mallory"].pw_name, U["mallory"].pw_uid))
        with open(log) as f:
            self.assertEqual(f.read(), "listening\n")
        # The real daemon (root's, in root's directory) is used as before.
        d = self.shared_daemon()
        out = self.user_evgw("tech", "--socket", d.sock, "buses")
        self.assertEqual(out.returncode, 0, out)

    def user_daemon(self, role, *args):
        """A user's own `evgwd --demo` with no XDG_RUNTIME_DIR or HOME: its
        defaults are /tmp/evgw-UID."""
        return subprocess.run(as_user(role, "env", "-i", os.path.join(WORK, "evgwd"), "--demo", "--dbc-dir",
                                      os.path.join(WORK, "dbc"), *args),
                              capture_output=True, text=True, timeout=20)

    def test_daemon_refuses_a_squatted_directory(self):
        owner = "user %s (uid %d)" % (U["mallory"].pw_name, U["mallory"].pw_uid)
        # The report's case: open to all, so the old evgwd started in it.
        where = self.squat("tech", mode=0o777)
        out = self.user_daemon("tech")
        self.assertEqual(out.returncode, 1, out)
        self.assertIn("state directory %s belongs to %s: refusing to use it" % (where, owner), out.stderr)
        self.assertEqual(os.listdir(where), [])
        where = self.squat("tech", link=True)
        out = self.user_daemon("tech")
        self.assertEqual(out.returncode, 1, out)
        self.assertIn("state directory %s is a symbolic link made by %s: refusing to follow it" % (where, owner),
                      out.stderr)
        self.assertEqual(os.listdir(where + "-mallory"), [])
        # The user's own directory, but open to everyone.
        where = self.squat("tech", mode=0o777)
        os.chown(where, U["tech"].pw_uid, -1)
        out = self.user_daemon("tech")
        self.assertEqual(out.returncode, 1, out)
        self.assertIn("state directory %s is writable by others (mode 0777): refusing to use it" % where,
                      out.stderr)
        # A socket directory another user owns, under a state directory that is fine.
        state = tempfile.mkdtemp(prefix="evgw-ru-", dir="/tmp")
        self.addCleanup(shutil.rmtree, state, True)
        os.chown(state, U["tech"].pw_uid, -1)
        theirs = self.squat("other")
        out = self.user_daemon("tech", "--state-dir", state, "--socket", os.path.join(theirs, "evgw.sock"))
        self.assertEqual(out.returncode, 1, out)
        self.assertIn("socket directory %s belongs to %s" % (theirs, owner), out.stderr)

    def test_recordings_never_through_a_symlink(self):
        d = self.shared_daemon()
        target = tempfile.mkdtemp(prefix="evgw-ru-", dir="/tmp")
        self.addCleanup(shutil.rmtree, target, True)
        os.symlink(target, os.path.join(d.state_dir, "recordings"))
        reply = one("tech", d.sock, "record", action="start", bus="car", file="x.log")
        self.assertIs(reply["ok"], False, reply)
        self.assertIn("symbolic link", reply["error"]["message"])
        self.assertEqual(os.listdir(target), [])


if __name__ == "__main__":
    if os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("useradd"):
        print("robust.users: skipped: needs root, setpriv and useradd (it acts as several local users)")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0], "-v"])
