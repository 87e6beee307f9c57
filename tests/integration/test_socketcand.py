# SPDX-License-Identifier: MIT
"""evgwd's socketcand server with python-can's own "socketcand" interface
(Debian python3-can) as the client, and a bare TCP socket for what
python-can does not show (error replies, a client that never reads).

The daemon replays a generated candump log in a loop at its recorded pace
(1000 frames/s): the frames a client receives must follow the log's order
with the log's ids and data, without a gap, however long it listens.

usage: test_socketcand.py (environment: EVGWD, EVGW_SOURCE); exit 77 when
python-can is missing.
"""
import logging
import os
import re
import shutil
import socket
import sys
import time
import unittest

try:
    import can
except ImportError:
    can = None

from test_daemon import Daemon, EvgwTestCase, make_tmpdir, wait_until, write_config

N_LOG = 500


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_log(path):
    """N_LOG frames 1 ms apart: standard and extended ids, 0..8 bytes; the
    (id, data) of each, in order."""
    frames = []
    with open(path, "w") as f:
        for i in range(N_LOG):
            ext = i % 5 == 4
            cid = (0x18FF0000 + i) if ext else (0x100 + i % 0x600)
            data = bytes((i * 7 + k) & 0xFF for k in range(i % 9))
            text = ("%08X" % cid if ext else "%03X" % cid) + "#" + data.hex().upper()
            f.write("(1700000000.%06d) can0 %s\n" % (i * 1000, text))
            frames.append((cid, data))
    return frames


def raw_client(port, bus=None, rawmode=False, timeout=5, rcvbuf=None):
    """A TCP client that speaks socketcand by hand: after < hi >, open and rawmode."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    assert read_msg(s) == "< hi >"
    if bus:
        s.sendall(("< open %s >" % bus).encode())
        assert read_msg(s) == "< ok >"
    if rawmode:
        s.sendall(b"< rawmode >")
        assert read_msg(s) == "< ok >"
    return s


def read_msg(s, buf=None):
    """One '< ... >' message (whatever is around it skipped)."""
    data = b""
    while b">" not in data:
        chunk = s.recv(1)
        if not chunk:
            return None
        data += chunk
    return data[data.index(b"<"):].decode()


class SocketcandTest(EvgwTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmpdir()
        cls.frames = make_log(os.path.join(cls.tmp, "loop.log"))
        cls.port = free_port()
        cls.beacon_port = free_port(socket.SOCK_DGRAM)
        cls.beacon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        cls.beacon.bind(("127.0.0.1", cls.beacon_port))
        cls.beacon.settimeout(5)
        conf = os.path.join(cls.tmp, "evgw.conf")
        write_config(conf, buses=[
            ("car", {"driver": "replay", "device": os.path.join(cls.tmp, "loop.log"), "replay_loop": "yes"}),
            ("diag", {"driver": "sim", "device": "byd-atto3", "bitrate": "500k", "mode": "diagnostic"}),
        ])
        with open(conf, "a") as f:
            f.write("[socketcand]\nport = %d\nallow_send = yes\nmax_clients = 4\nclient_buffer = 8KiB\n"
                    "send_rate = 200\n"
                    "beacon = yes\nbeacon_port = %d\n" % (cls.port, cls.beacon_port))
        cls.d = Daemon(cls.tmp, config=conf).start()
        wait_until(lambda: cls.port_open(), 10, "the socketcand port")

    @classmethod
    def port_open(cls):
        try:
            socket.create_connection(("127.0.0.1", cls.port), timeout=1).close()
            return True
        except OSError:
            return False

    @classmethod
    def tearDownClass(cls):
        cls.beacon.close()
        cls.d.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        # The earlier tests' clients are gone first: the server holds 4, and
        # a close reaches it a moment after the test that made it ends.
        wait_until(lambda: len(self.d.log_text().split("socketcand: client from")) - 1
                   == len(self.d.log_text().split("socketcand: 127.0.0.1 left")) - 1, 5, "earlier clients to leave")

    def bus(self, channel="car"):
        b = can.Bus(interface="socketcand", channel=channel, host="127.0.0.1", port=self.port)
        self.addCleanup(b.shutdown)
        return b

    def receive(self, b, n, timeout=20):
        got = []
        deadline = time.monotonic() + timeout
        while len(got) < n and time.monotonic() < deadline:
            m = b.recv(timeout=1)
            if m is not None:
                got.append(m)
        self.assertEqual(len(got), n, "frames received in %d s" % timeout)
        return got

    def assert_in_log_order(self, msgs):
        """Each message is the log's next frame (cyclically), ids and data."""
        first = next(i for i, (cid, data) in enumerate(self.frames)
                     if cid == msgs[0].arbitration_id and data == bytes(msgs[0].data))
        for k, m in enumerate(msgs):
            cid, data = self.frames[(first + k) % N_LOG]
            self.assertEqual((m.arbitration_id, bytes(m.data)), (cid, data), "frame %d of the stream" % k)
        ts = [m.timestamp for m in msgs]
        self.assertEqual(ts, sorted(ts))

    def test_python_can_gets_every_frame_in_order(self):
        b = self.bus()
        self.assert_in_log_order(self.receive(b, 1500))

    def test_a_client_that_does_not_read_slows_nothing(self):
        idle = raw_client(self.port, "car", rawmode=True, rcvbuf=4096)
        self.addCleanup(idle.close)
        c = self.client(self.d)
        before = {b["name"]: b["rx_frames"] for b in c.call("buses")}["car"]
        t0 = time.monotonic()
        b = self.bus()
        self.assert_in_log_order(self.receive(b, 4000))
        elapsed = time.monotonic() - t0
        after = {b["name"]: b["rx_frames"] for b in c.call("buses")}["car"]
        # The bus kept its pace (1000 frames/s) while one client sat idle.
        self.assertGreater((after - before) / elapsed, 800)
        # Its frames were dropped and counted, not queued without end.
        status = c.call("status")["socketcand"]
        self.assertGreater(status["skipped"], 0)
        self.assertEqual(status["state"], "listening")

    def test_send_refused_on_listen_only_bus(self):
        s = raw_client(self.port, "car")
        self.addCleanup(s.close)
        s.sendall(b"< send 123 2 11 22 >")
        self.assertEqual(read_msg(s), "< error the bus is listen-only >")
        c = self.client(self.d)
        self.assertEqual({b["name"]: b["tx_frames"] for b in c.call("buses")}["car"], 0)

    def test_send_on_diagnostic_bus(self):
        c = self.client(self.d)
        before = {b["name"]: b["tx_frames"] for b in c.call("buses")}["diag"]
        b = self.bus("diag")
        b.send(can.Message(arbitration_id=0x7DF, data=[2, 1, 0], is_extended_id=False))
        wait_until(lambda: {x["name"]: x["tx_frames"] for x in c.call("buses")}["diag"] > before, 5,
                   "the frame sent on diag")
        # The daemon sees it as its own frame: a frames subscriber gets it marked tx.
        sub = self.client(self.d)
        sub.call("subscribe", topic="frames", bus="diag", ids=[0x7DF])
        b.send(can.Message(arbitration_id=0x7DF, data=[2, 1, 0x0D], is_extended_id=False))
        deadline = time.monotonic() + 5
        seen = None
        while time.monotonic() < deadline and seen is None:
            ev = sub.read_event(timeout=1)
            if ev and ev.get("topic") == "frames" and ev["frame"] == "7DF#02010D":
                seen = ev
        self.assertIsNotNone(seen)
        self.assertEqual(seen["dir"], "tx")

    def test_send_rate_limited(self):
        """600 frames sent at once with send_rate = 200: the first second's
        worth (200, and what refills while they arrive) goes on the bus,
        each of the others is answered with an error."""
        c = self.client(self.d)
        before = {b["name"]: b["tx_frames"] for b in c.call("buses")}["diag"]
        s = raw_client(self.port, "diag")
        self.addCleanup(s.close)
        t0 = time.monotonic()
        s.sendall(b"< send 321 1 AA >" * 600)
        errors = 0
        sent = 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            sent = {b["name"]: b["tx_frames"] for b in c.call("buses")}["diag"] - before
            if sent + errors >= 600:
                break
            s.settimeout(0.2)
            try:
                while True:
                    m = read_msg(s)
                    if m is None:
                        break
                    self.assertEqual(m, "< error sending faster than 200 frames/s (send_rate in [socketcand]) >")
                    errors += 1
            except socket.timeout:
                pass
        elapsed = time.monotonic() - t0
        self.assertEqual(sent + errors, 600)
        self.assertGreaterEqual(sent, 200)
        self.assertLessEqual(sent, 200 + 200 * elapsed + 1)
        self.assertGreater(errors, 0)

    def test_protocol_by_hand(self):
        s = raw_client(self.port)
        self.addCleanup(s.close)
        s.sendall(b"< echo >")
        self.assertEqual(read_msg(s), "< echo >")
        s.sendall(b"< rawmode >")
        self.assertEqual(read_msg(s), "< error open a bus first >")
        s.sendall(b"< subscribe 0 0 123 >")
        self.assertEqual(read_msg(s), "< error subscribe is not served here (raw mode only) >")
        s.sendall(b"< send 123 9 1 >")
        self.assertEqual(read_msg(s), "< error the length must be 0..8 >")
        s.sendall(b"< open nosuchbus >")
        self.assertEqual(read_msg(s), "< error no bus nosuchbus >")
        self.assertIsNone(read_msg(s))  # and the connection ends
        # Frames in raw mode, as socketcand writes them.
        r = raw_client(self.port, "car", rawmode=True)
        self.addCleanup(r.close)
        msg = read_msg(r)
        self.assertRegex(msg, r"^< frame ([0-9A-F]{3}|[0-9A-F]{8}) \d+\.\d{6} ([0-9A-F]{2})* >$")

    def test_client_limit(self):
        held = [raw_client(self.port) for _ in range(4)]
        for h in held:
            self.addCleanup(h.close)
        extra = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.addCleanup(extra.close)
        self.assertEqual(read_msg(extra), "< error too many clients >")

    def test_beacon(self):
        data, _ = self.beacon.recvfrom(4096)
        text = data.decode()
        self.assertIn('type="SocketCAN"', text)
        self.assertIn("<URL>can://127.0.0.1:%d</URL>" % self.port, text)
        self.assertEqual(re.findall(r'<Bus name="([^"]+)"/>', text), ["car", "diag"])


if __name__ == "__main__":
    if can is None:
        print("python-can is not installed (Debian package python3-can): skipped")
        sys.exit(77)
    logging.getLogger("can").setLevel(logging.ERROR)  # python-can 4.1 warns of the newlines between messages
    unittest.main(verbosity=2)
