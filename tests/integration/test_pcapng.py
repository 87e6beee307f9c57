# SPDX-License-Identifier: MIT
"""pcapng recordings and `evgw convert`, read back by Wireshark's tshark
(Debian `tshark`), an implementation independent of evgw's.

What tshark says of each packet (time, interface, id, flags, data) is turned
into can-utils' text here, in Python, and compared with the candump log of
the same frames: the daemon's own frames subscription while it records
pcapng, or the candump recording that `evgw convert` turned into pcapng.
A candump log -> pcapng -> candump log gives back the same bytes.

usage: test_pcapng.py (environment: EVGWD, EVGW, EVGW_SOURCE); exit 77
when tshark is not installed.
"""
import os
import shutil
import subprocess
import sys
import time
import unittest

from test_daemon import (EVGW, SOURCE, CANDUMP_LINE, Daemon, EvgwTestCase, make_tmpdir,
                         sim_car, wait_until, write_config)

MIXED = os.path.join(SOURCE, "tests", "data", "pcapng_mixed.log")
FIELDS = ["frame.protocols", "frame.time_epoch", "frame.interface_name", "can.id", "can.flags.xtd",
          "can.flags.rtr", "can.flags.err", "can.len", "data.data", "canfd.flags.brs",
          "canfd.flags.esi", "frame.cap_len", "frame.p2p_dir"]


def tshark_rows(path):
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise AssertionError("tshark failed on %s: %s" % (path, out.stderr))
    return [dict(zip(FIELDS, l.split("|"))) for l in out.stdout.splitlines()]


def row_to_candump(r):
    """A tshark row as candump -l writes the frame: (ts, iface, text, sent).
    Error frames: the id and data tshark leaves out are not compared (None)."""
    sec, frac = r["frame.time_epoch"].split(".")
    assert frac[6:] == "000", "microsecond timestamps: %s" % r["frame.time_epoch"]
    ts = "%s.%s" % (sec, frac[:6])
    sent = r["frame.p2p_dir"] == "0"
    if r["can.flags.err"] == "1":
        return ts, r["frame.interface_name"], None, sent
    cid = int(r["can.id"])
    ident = "%08X" % cid if r["can.flags.xtd"] == "1" else "%03X" % cid
    data = r["data.data"].upper()
    if r["frame.cap_len"] == "72":  # CAN FD (FDF set; tshark shows BRS/ESI)
        nib = 4 | (1 if r["canfd.flags.brs"] == "1" else 0) | (2 if r["canfd.flags.esi"] == "1" else 0)
        return ts, r["frame.interface_name"], "%s##%X%s" % (ident, nib, data), sent
    if r["can.flags.rtr"] == "1":
        n = int(r["can.len"])
        return ts, r["frame.interface_name"], "%s#R%s" % (ident, n if n else ""), sent
    return ts, r["frame.interface_name"], "%s#%s" % (ident, data), sent


def log_frames(path):
    """(ts, iface, text, sent) of each frame line of a candump log."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            sent = line.endswith(" T")
            m = CANDUMP_LINE.match(line[:-2] if sent else line)
            assert m, line
            out.append(("%s.%s" % (m.group(1), m.group(2)), m.group(3), m.group(4), sent))
    return out


def convert(*args):
    return subprocess.run([EVGW, "convert"] + list(args), capture_output=True, text=True, timeout=60)


def same(tshark_frame, log_frame):
    """Equal, but for what tshark does not show (error frames' id and data;
    the raw DLC suffix of an 8-byte frame)."""
    ts, iface, text, sent = tshark_frame
    lts, liface, ltext, lsent = log_frame
    if text is None:
        return (ts, iface, sent) == (lts, liface, lsent) and ltext.startswith("2")
    return (ts, iface, sent) == (lts, liface, lsent) and ltext.split("_")[0] == text


class ConvertTest(unittest.TestCase):
    def setUp(self):
        self.tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def test_mixed_log_round_trip_and_tshark(self):
        r = convert(MIXED, self.path("m.pcapng"))
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = tshark_rows(self.path("m.pcapng"))
        want = log_frames(MIXED)
        self.assertEqual(len(rows), 7)
        got = [row_to_candump(x) for x in rows]
        for g, w in zip(got, want):
            self.assertTrue(same(g, w), "%s != %s" % (g, w))
        # tshark on the error frame: class "controller problems", TX warning
        # (data[1] = 0x08, linux/can/error.h).
        err = subprocess.run(["tshark", "-r", self.path("m.pcapng"), "-Y", "can.flags.err == 1", "-T", "fields",
                              "-e", "can.err.ctrl", "-e", "can.err.ctrl.tx_warning"],
                             capture_output=True, text=True, timeout=60).stdout.split()
        self.assertEqual(err, ["1", "1"])
        # One interface per bus, microseconds, the header as the file's comment.
        info = subprocess.run(["capinfos", self.path("m.pcapng")], capture_output=True, text=True).stdout
        self.assertIn("Number of interfaces in file: 2", info)
        self.assertIn("Time precision = microseconds (6)", info)
        self.assertIn("Capture comment:     A hand-written candump log", info)
        r = convert(self.path("m.pcapng"), self.path("back.log"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(MIXED, "rb") as a, open(self.path("back.log"), "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_compressed_input_stdout_and_refusals(self):
        subprocess.run(["zstd", "-q", MIXED, "-o", self.path("m.log.zst")], check=True)
        out = subprocess.run([EVGW, "convert", "--to", "pcapng", self.path("m.log.zst"), "-"],
                             capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(self.path("z.pcapng"), "wb") as f:
            f.write(out.stdout)
        self.assertEqual(len(tshark_rows(self.path("z.pcapng"))), 7)
        # Never over an existing file; the same format is refused.
        r = convert(MIXED, self.path("z.pcapng"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("File exists", r.stderr)
        r = convert(MIXED, self.path("same.log"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("already a candump log", r.stderr)

    def test_damaged_pcapng_names_the_byte(self):
        convert(MIXED, self.path("m.pcapng"))
        with open(self.path("m.pcapng"), "rb") as f:
            data = f.read()
        with open(self.path("cut.pcapng"), "wb") as f:
            f.write(data[:-10])
        r = convert(self.path("cut.pcapng"), self.path("cut.log"))
        self.assertEqual(r.returncode, 2)
        # The last block (the empty frame: 28 + 16 + 4 bytes) starts 48 bytes before the end.
        self.assertIn("cut.pcapng: byte %d: the file ends inside a block of 48 bytes" % (len(data) - 48), r.stderr)
        self.assertEqual(len(log_frames(self.path("cut.log"))), 6)

    def test_bad_log_line_reported_and_skipped(self):
        with open(self.path("bad.log"), "w") as f:
            f.write("(1.000000) can0 123#11\n(2.000000) can0 12#11\n(3.000000) can0 124#22\n")
        r = convert(self.path("bad.log"), self.path("bad.pcapng"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("bad.log:2:", r.stderr)
        self.assertEqual(len(tshark_rows(self.path("bad.pcapng"))), 2)


class RecordPcapngTest(EvgwTestCase):
    """The demo daemon records its car bus in pcapng."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmpdir()
        cls.d = Daemon(cls.tmp, demo=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.c = self.client(self.d)

    def rx(self):
        return {b["name"]: b["rx_frames"] for b in self.c.call("buses")}["car"]

    def test_pcapng_recording_equals_the_frames_stream(self):
        sub = self.c.call("subscribe", topic="frames", bus="car")["sub"]
        res = self.c.call("record", action="start", bus="car", file="drive.pcapng")
        start = self.rx()
        wait_until(lambda: self.rx() >= start + 200, 10, "200 frames on car")
        stop = self.c.call("record", action="stop", bus="car")
        end = self.rx()
        wait_until(lambda: self.rx() >= end + 20, 10, "frames after the stop")
        self.c.call("unsubscribe", sub=sub)
        events = []
        while True:
            ev = self.c.read_event(timeout=0.5)
            if ev is None:
                break
            if ev.get("topic") == "frames":
                events.append(ev)
        self.assertTrue(all(e["dropped"] == 0 for e in events))
        stream = [("%.6f" % e["ts"], e["bus"], e["frame"], e["dir"] == "tx") for e in events]
        rows = [row_to_candump(r) for r in tshark_rows(res["file"])]
        self.assertEqual(len(rows), stop["frames"])
        self.assertGreaterEqual(len(rows), 200)
        self.assertEqual(stop["bytes"], os.path.getsize(res["file"]))
        # The recording is a contiguous run of the stream, frame for frame.
        first = next(i for i, s in enumerate(stream) if same(rows[0], s))
        for k, row in enumerate(rows):
            self.assertTrue(same(row, stream[first + k]), "%s != %s" % (row, stream[first + k]))

    def test_format_option_and_candump_round_trip(self):
        res = self.c.call("record", action="start", bus="car", file="opt.rec", format="pcapng")
        start = self.rx()
        wait_until(lambda: self.rx() >= start + 50, 10, "50 frames on car")
        self.c.call("record", action="stop", bus="car")
        with open(res["file"], "rb") as f:
            self.assertEqual(f.read(4), b"\x0a\x0d\x0d\x0a")
        self.assertError(self.c.request("record", action="start", bus="car", file="x.log", format="pcap"),
                         "bad_request")
        # A candump recording -> pcapng (tshark agrees) -> the same bytes.
        res = self.c.call("record", action="start", bus="car", file="drive.log")
        start = self.rx()
        wait_until(lambda: self.rx() >= start + 100, 10, "100 frames on car")
        self.c.call("record", action="stop", bus="car")
        pc = os.path.join(self.tmp, "drive-conv.pcapng")
        back = os.path.join(self.tmp, "drive-back.log")
        r = convert(res["file"], pc)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = [row_to_candump(x) for x in tshark_rows(pc)]
        want = log_frames(res["file"])
        self.assertEqual(len(rows), len(want))
        for g, w in zip(rows, want):
            self.assertTrue(same(g, w), "%s != %s" % (g, w))
        r = convert(pc, back)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(res["file"], "rb") as a, open(back, "rb") as b:
            self.assertEqual(a.read(), b.read())


class PcapngQuotaTest(EvgwTestCase):
    """A pcapng recording counts against its user's quota like a candump one:
    the uid is read from the section's comment."""

    def test_pcapng_file_counts_for_its_user(self):
        tmp = make_tmpdir()
        self.addCleanup(shutil.rmtree, tmp, True)
        conf = os.path.join(tmp, "evgw.conf")
        write_config(conf, gateway={"record_max_bytes": "36KiB", "record_user_quota": "39KiB",
                                    "record_total_quota": "1GiB"},
                     buses=[("car", sim_car())])
        d = Daemon(tmp, config=conf).start()
        self.addCleanup(d.stop)
        c = self.client(d)
        c.call("record", action="start", bus="car", file="q.pcapng")
        path = os.path.join(d.state_dir, "recordings", "q.pcapng")
        wait_until(lambda: os.path.getsize(path) >= 36 * 1024, 30, "the recording's size limit")
        stop = c.call("record", action="stop", bus="car")
        self.assertIn("size limit", stop.get("error", ""))
        # 36 KiB of this user's 39 KiB are used: less than 4 KiB left.
        self.assertError(c.request("record", action="start", bus="car", file="q2.log"), "limit")


if __name__ == "__main__":
    if not shutil.which("tshark"):
        print("tshark is not installed (Debian package tshark): skipped")
        sys.exit(77)
    unittest.main(verbosity=2)
