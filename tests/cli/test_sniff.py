#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evgw sniff against the real `evgwd --demo`: the plain output on a pipe
(one block per interval, a line per id with its rate, bytes, changed bits,
DBC message and values; unknown ids first; --id), and on a terminal (a pty)
the keys and the terminal's settings put back on q, on SIGTERM and when the
daemon goes.

usage: EVGWD=... EVGW=... EVGW_SOURCE=... test_sniff.py
"""

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import termios
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from test_daemon import EVGW, Daemon, make_tmpdir  # noqa: E402
from evgw_client import EvgwClient  # noqa: E402

ROW = re.compile(r"^([0-9A-F]{3}|[0-9A-F]{8}) +(\d+\.\d) +(\d+) ((?:[0-9A-F]{2} |   ){8}) "
                 r"([0-9A-F ]{16}) (\S*)(?:  (.*))?$")


def blocks(text):
    """The blocks of a plain run: [(header, {id: row fields})]."""
    out = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        rows = {}
        for line in lines[2:]:
            m = ROW.match(line)
            if not m:
                raise AssertionError("not a row: %r" % line)
            rows[m.group(1)] = {"rate": float(m.group(2)), "len": int(m.group(3)),
                                "data": m.group(4).split(), "changed": m.group(5).strip(),
                                "message": m.group(6), "values": m.group(7) or ""}
        out.append((lines[0], lines[1], [line.split()[0] for line in lines[2:]], rows))
    return out


class SniffTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmpdir()
        cls.d = Daemon(cls.tmp, demo=True).start()
        time.sleep(0.5)  # every demo message seen once

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def sniff(self, *args, timeout=20):
        return subprocess.run([EVGW, "--socket", self.d.sock, "sniff", *args], capture_output=True, text=True,
                              timeout=timeout)

    def test_plain_blocks_rates_bytes_and_values(self):
        out = self.sniff("--bus", "car", "--interval", "1", "--count", "2")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = blocks(out.stdout)
        self.assertEqual(len(got), 2, out.stdout)
        head, cols, order, rows = got[1]
        self.assertRegex(head, r"^-- car \d\d:\d\d:\d\d: %d ids, 0 unknown$" % len(rows))
        self.assertEqual(cols.split(), ["ID", "FRAMES/S", "LEN", "DATA", "CHANGED", "MESSAGE", "VALUES"])
        # The demo car's messages (dbc/byd_atto3.dbc, demo/byd_demo_bms.dbc),
        # by id, with their cycle times from the simulator: ESC_SPEED 0x121
        # every 20 ms, the BMS's 0x3F0 every 100 ms.
        self.assertEqual(rows["121"]["message"], "ESC_SPEED")
        self.assertEqual(rows["3F0"]["message"], "EVGW_DEMO_BMS")
        self.assertAlmostEqual(rows["121"]["rate"], 50, delta=8)
        self.assertAlmostEqual(rows["3F0"]["rate"], 10, delta=3)
        self.assertRegex(rows["121"]["values"], r"VEHICLE_SPEED=[\d.]+ km/h")
        self.assertRegex(rows["242"]["values"], r"GEAR=[PND]\b")
        # Sorted by id (no unknown ids on the demo car until someone asks an ECU).
        self.assertEqual(order, sorted(order, key=lambda i: int(i, 16)))
        # The changed bits are the XOR of values seen in the window: the
        # BYD counters (high nibble of byte 6 in 0x1E2) move every frame.
        self.assertNotEqual(rows["1E2"]["changed"][12:14], "00", rows["1E2"])
        self.assertEqual(len(rows["121"]["data"]), 8)

    def test_unknown_ids_first_and_id_filter(self):
        p = subprocess.Popen([EVGW, "--socket", self.d.sock, "sniff", "--bus", "car", "--id", "121,7E7",
                              "--id", "7EF", "--interval", "1.5", "--count", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        with EvgwClient(self.d.sock, timeout=10) as c:
            c.call("read-did", bus="car", ecu="7E7", did=5)
        out, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 0, err)
        head, _, order, rows = blocks(out)[-1]
        # The request (evgw's own frame) and the answer: no DBC message.
        self.assertEqual(order, ["7E7", "7EF", "121"], out)
        self.assertIn("2 unknown", head)
        self.assertEqual(rows["7E7"]["message"], "?")
        self.assertEqual(rows["7E7"]["data"][:4], ["03", "22", "00", "05"])
        self.assertEqual(rows["7EF"]["data"][:4], ["04", "62", "00", "05"])

    def test_usage_errors(self):
        for args, what in ((["--id", "xyz"], "--id takes CAN ids"), (["--interval", "0"], "--interval"),
                           (["--count", "-1"], "--count"), (["--bogus"], "unknown option"),
                           (["--json"], "no --json"), (["--bus", "nosuch"], "nosuch")):
            out = self.sniff(*args)
            self.assertIn(out.returncode, (1, 2), (args, out.stderr))
            self.assertIn(what, out.stderr, args)

    # --- on a terminal ---------------------------------------------------------------------

    def run_tty(self, keys=b"", sig=None, stop_daemon=None):
        """evgw sniff with stdin and stdout on a pty; returns (status, output,
        the pty's settings before and after)."""
        master, slave = pty.openpty()
        before = termios.tcgetattr(slave)
        env = dict(os.environ, TERM="xterm")
        p = subprocess.Popen([EVGW, "--socket", (stop_daemon or self.d).sock, "sniff", "--bus", "car"],
                             stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env)
        out = b""
        self.addCleanup(p.stderr.close)
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:  # a few redraws
            r, _, _ = select.select([master], [], [], 0.1)
            if r:
                out += os.read(master, 65536)
        during = termios.tcgetattr(slave)
        if keys:
            os.write(master, keys)
        if sig:
            p.send_signal(sig)
        if stop_daemon:
            stop_daemon.stop()
        while p.poll() is None:
            r, _, _ = select.select([master], [], [], 0.1)
            if r:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
            if time.monotonic() > deadline + 10:
                p.kill()
                raise AssertionError("sniff did not end")
        p.wait(5)
        while True:  # what it wrote before it ended
            r, _, _ = select.select([master], [], [], 0.2)
            try:
                data = os.read(master, 65536) if r else b""
            except OSError:
                data = b""
            if not data:
                break
            out += data
        after = termios.tcgetattr(slave)
        os.close(master)
        os.close(slave)
        return p.returncode, out.decode(errors="replace"), before, during, after

    def test_keys_and_terminal_restored_on_q(self):
        # u: unknown ids only (none on the demo car), u again, then / 12 Enter:
        # only ids starting with 12, then q.
        rc, out, before, during, after = self.run_tty(keys=b"uu/12\rq")
        self.assertEqual(rc, 0)
        self.assertTrue(before[3] & termios.ICANON)
        self.assertFalse(during[3] & termios.ICANON)  # raw while running
        self.assertFalse(during[3] & termios.ECHO)
        self.assertIn("keys: q quit", out)
        self.assertIn("ESC_SPEED", out)
        self.assertIn("unknown only", out)
        self.assertIn("ids starting with (hex", out)
        last = out.rsplit("\033[H\033[2J", 1)[-1]
        self.assertIn(", ids 12", last)
        ids = [line.split()[0] for line in last.splitlines()[3:] if line.strip()]
        self.assertEqual(ids, ["121", "122"], last)
        self.assertEqual(after, before)

    def test_terminal_restored_on_sigterm_and_when_the_daemon_goes(self):
        rc, out, before, _, after = self.run_tty(sig=signal.SIGTERM)
        self.assertEqual(rc, 0)
        self.assertEqual(after, before)
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        d = Daemon(tmp, name="gone", demo=True).start()
        time.sleep(0.3)
        rc, out, before, _, after = self.run_tty(stop_daemon=d)
        self.assertEqual(rc, 3)
        self.assertEqual(after, before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
