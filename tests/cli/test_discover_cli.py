#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evgw discover as a user runs it, on a log made here: the BYD speed
message 0x121 (described by dbc/byd_atto3.dbc: VEHICLE_SPEED 0|12, factor
0.0725) and an id no DBC describes, 0x3A0, carrying the same speed in
units of 1/300 km/h (bytes 2-3, Intel; the top bit moves), a 4-bit counter (byte 6, low
nibble) and a checksum byte 7 = ~sum(bytes 0-6), the BYD form.

usage: test_discover_cli.py EVGW SOURCE_DIR"""
import gzip
import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

EVGW, SOURCE = sys.argv[1], sys.argv[2]
BYD = os.path.join(SOURCE, "dbc", "byd_atto3.dbc")


def make_log(path, n=3000):
    lines = []
    for i in range(n):
        t = 1764340000 + i * 0.02
        speed = 60 + 55 * math.sin(i / 200.0)          # km/h
        raw12 = round(speed / 0.0725)
        known = bytes([raw12 & 0xFF, raw12 >> 8, 0, 0, 0, 0, 0, 0])
        lines.append("(%.6f) can0 121#%s" % (t, known.hex().upper()))
        v = round(speed * 300)
        d = [0x5A, (i // 40) & 1, v & 0xFF, v >> 8, 0, 0, i % 16]
        d.append((~sum(d)) & 0xFF)
        lines.append("(%.6f) can0 3A0#%s" % (t + 0.005, bytes(d).hex().upper()))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def make_obd_log(path, windows=300):
    """A car no DBC describes: 0x2B0 every 10 ms carries vehicle speed as
    3 * (km/h + 40) in bits 0-8 (Intel; 50..150 km/h+40 reads 150..450,
    so bit 8 moves and bits 9-15 never do) and a slow unrelated level in
    byte 3. A tester polls OBD-II PID 0D every 100 ms: request 7DF, answer
    7E8 (03 41 0D A, or every other time 0C and 0D in one answer, 06 41 0C
    A B 0D A), 1 ms before the speed changes in 0x2B0, so the latest
    answer held at each 0x2B0 frame is the speed it carries: km/h =
    raw / 3 - 40 exactly (scale 1/3, offset -40, r 1). A 7E9 answer of
    another PID and a negative answer (7F) must not count."""
    lines = []
    for k in range(windows):
        t = 1764340000 + k * 0.1
        speed = 60 + round(50 * math.sin(k / 20.0))        # km/h, 10..110
        if k % 2:
            lines.append("(%.6f) can0 7DF#03010C0D55555555" % t)
            lines.append("(%.6f) can0 7E8#06410C1AF80D%02X55" % (t + 0.001, speed))
        else:
            lines.append("(%.6f) can0 7DF#02010D5555555555" % t)
            lines.append("(%.6f) can0 7E8#03410D%02X55555555" % (t + 0.001, speed))
        if k % 5 == 0:
            lines.append("(%.6f) can0 7E9#0441051E55555555" % (t + 0.0012))  # coolant 0x1E
            lines.append("(%.6f) can0 7E8#037F011255555555" % (t + 0.0013))  # refused
        raw = 3 * (speed + 40)
        level = 20 + (k // 37) % 5 * 30
        for j in range(10):
            d = [raw & 0xFF, raw >> 8, 0, level, 0, 0, 0, 0]
            lines.append("(%.6f) can0 2B0#%s" % (t + 0.002 + j * 0.01, bytes(d).hex().upper()))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


class DiscoverCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="evgw-discover-")
        cls.log = os.path.join(cls.tmp, "drive.log")
        make_log(cls.log)

    def run_evgw(self, *args, stdin=None):
        return subprocess.run([EVGW, *args], input=stdin, capture_output=True)

    def draft(self, name):
        return os.path.join(self.tmp, name)

    def test_draft_and_correlation(self):
        out = self.draft("a.dbc")
        p = self.run_evgw("discover", self.log, "--dbc", BYD, "--out", out,
                          "--correlate", "can0.ESC_SPEED.VEHICLE_SPEED")
        self.assertEqual(p.returncode, 0, p.stderr)
        text = open(out).read()
        self.assertIn("BO_ 928 DISC_3A0: 8 Vector__XXX", text)
        self.assertNotIn("DISC_121", text)  # the DBC describes it
        self.assertIn(" SG_ CHECKSUM : 56|8@1+", text)
        self.assertIn('BA_ "EvgwChecksum" SG_ 928 CHECKSUM "sum8_inv";', text)
        self.assertIn(" SG_ COUNTER : 48|4@1+", text)
        self.assertIn('BA_ "EvgwCounter" SG_ 928 COUNTER "inc";', text)
        self.assertIn(" SG_ F16_16 : 16|16@1+", text)
        self.assertIn(" SG_ F8_1 : 8|1@1+", text)
        self.assertIn('BA_ "GenMsgCycleTime" BO_ 928 20;', text)
        self.assertIn('BA_ "EvgwConfidence" BO_ 928 2;', text)
        self.assertIn("byte 0 = 0x5A", text)
        # The speed field first, with the scale it was written with.
        rows = [l.split() for l in p.stdout.decode().splitlines() if re.match(r"\s*\d+\s", l)]
        self.assertEqual(rows[0][1], "DISC_3A0.F16_16")
        self.assertGreater(float(rows[0][2]), 0.9999)
        self.assertAlmostEqual(float(rows[0][3]), 1 / 300, delta=0.00005)
        self.assertAlmostEqual(float(rows[0][4]), 0.0, delta=0.1)
        # evgw's own DBC check reads the draft without an error or warning
        # (evgwd will check the checksum and the counter it names).
        c = self.run_evgw("dbc", "check", out)
        self.assertEqual(c.returncode, 0, c.stdout + c.stderr)
        self.assertIn(b"0 errors, 0 warnings", c.stdout)

    def test_correlate_with_obd_pid(self):
        log = os.path.join(self.tmp, "obd.log")
        make_obd_log(log)
        for spec in ("obd:0D", "OBD:0x0d"):
            out = self.draft("o.dbc")
            p = self.run_evgw("discover", log, "--out", out, "--correlate", spec)
            self.assertEqual(p.returncode, 0, p.stderr)
            text = open(out).read()
            self.assertIn("DISC_2B0", text)
            for obd_id in ("7DF", "7E8", "7E9"):  # the reference, not the car's messages
                self.assertNotIn("DISC_" + obd_id, text)
            lines = p.stdout.decode().splitlines()
            self.assertIn("Draft fields following OBD-II PID 0D, vehicle speed in km/h (300 answers)", lines[0])
            rows = [l.split() for l in lines if re.match(r"\s*\d+\s", l)]
            self.assertEqual(rows[0][1], "DISC_2B0.F0_9")
            self.assertGreater(float(rows[0][2]), 0.99999)
            self.assertAlmostEqual(float(rows[0][3]), 1 / 3, delta=1e-5)
            self.assertAlmostEqual(float(rows[0][4]), -40.0, delta=1e-3)
            self.assertEqual(rows[1][1], "DISC_2B0.F25_7")  # the level: 20..140, all even
            self.assertLess(abs(float(rows[1][2])), 0.9)
        p = self.run_evgw("discover", log, "--out", self.draft("o.dbc"), "--correlate", "obd:01")
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"no formula", p.stderr)
        p = self.run_evgw("discover", log, "--out", self.draft("o.dbc"), "--correlate", "obd:speed")
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"obd:PID", p.stderr)

    def test_compressed_pipe_gives_the_same_signals(self):
        plain, piped = self.draft("p.dbc"), self.draft("z.dbc")
        self.assertEqual(self.run_evgw("discover", self.log, "--out", plain, "--quiet").returncode, 0)
        z = gzip.compress(open(self.log, "rb").read())
        p = self.run_evgw("discover", "-", "--out", piped, "--quiet", stdin=z)
        self.assertEqual(p.returncode, 0, p.stderr)
        sig = lambda f: [l for l in open(f) if l.startswith((" SG_", "BO_"))]
        self.assertEqual(sig(plain), sig(piped))
        self.assertIn("DISC_121", open(plain).read())  # no DBC: both ids

    def test_bus_filter(self):
        out = self.draft("b.dbc")
        p = self.run_evgw("discover", self.log, "--bus", "can1", "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("\nBO_ ", open(out).read())

    def test_mistakes(self):
        self.assertEqual(self.run_evgw("discover", self.log).returncode, 2)  # no --out
        p = self.run_evgw("discover", self.log, "--out", self.draft("x.dbc"), "--correlate", "nodots")
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"BUS.MESSAGE.SIGNAL", p.stderr)
        p = self.run_evgw("discover", self.log, "--dbc", BYD, "--out", self.draft("x.dbc"),
                          "--correlate", "can0.NO_SUCH.X")
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"NO_SUCH", p.stderr)
        p = self.run_evgw("discover", os.path.join(self.tmp, "missing.log"), "--out", self.draft("x.dbc"))
        self.assertEqual(p.returncode, 2)
        bad = os.path.join(self.tmp, "bad.log")
        with open(bad, "w") as f:
            f.write(open(self.log).read() + "(1.0) can0 12G#00\n")
        p = self.run_evgw("discover", bad, "--out", self.draft("x.dbc"), "--quiet")
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr.decode(), r"bad\.log:6001:\d+: error: ")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
