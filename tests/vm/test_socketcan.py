# SPDX-License-Identifier: MIT
"""evgwd on a real kernel CAN stack (run by run-in-vm.sh: QEMU with two
emulated SJA1000 controllers can0/can1 on one virtual bus, plus vcan).

The peers are independent of evgw: the kernel itself (ip, its ISO-TP and
J1939 stacks), can-utils (cansend, cangen) and python-can. Expected values
are worked out by hand in the comments. evgwd always reads can1 (or vcan);
the tests speak on can0.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
from vmlib import Daemon, sh, wait_until  # noqa: E402

EVGW = os.environ["EVGW"]
TEST_DBC = os.path.join(HERE, "data", "vm_test.dbc")
IN_VM = os.environ.get("EVGW_VM") == "1"


def link_info(ifname):
    return json.loads(sh("ip", "-details", "-json", "link", "show", ifname))[0]


def vcan(name, present=True):
    subprocess.run(["ip", "link", "del", name], capture_output=True)
    if present:
        sh("ip", "link", "add", name, "type", "vcan")
        sh("ip", "link", "set", name, "up")


def peer_up(bitrate=500000):
    """can0 is the test's own controller; evgwd never touches it."""
    sh("ip", "link", "set", "can0", "down")
    sh("ip", "link", "set", "can0", "type", "can", "bitrate", str(bitrate))
    sh("ip", "link", "set", "can0", "up")


@unittest.skipUnless(IN_VM, "needs the VM's emulated controllers")
class Controllers(unittest.TestCase):
    """can0 <-> can1: real SJA1000 drivers (kvaser_pci) in the kernel."""

    def setUp(self):
        peer_up(250000)
        self.d = None

    def tearDown(self):
        if self.d:
            self.assertEqual(self.d.stop(), 0)

    def test_bitrate_listen_only_and_decoding(self):
        # can1 starts at 500k; evgwd must set 250k and listen-only through
        # libsocketcan (rtnetlink), as `ip` then reports.
        sh("ip", "link", "set", "can1", "down")
        sh("ip", "link", "set", "can1", "type", "can", "bitrate", "500000", "listen-only", "off")
        self.d = Daemon("[bus car]\ndriver = socketcan\ndevice = can1\nbitrate = 250k\n"
                        "mode = listen-only\nrestart_ms = 200\ndbc = %s\n" % TEST_DBC)
        wait_until(lambda: self.d.bus("car")["state"] == "active", 10, "car active")
        info = link_info("can1")["linkinfo"]["info_data"]
        self.assertEqual(info["bittiming"]["bitrate"], 250000)
        self.assertIn("LISTEN-ONLY", info["ctrlmode"])
        self.assertEqual(info["restart_ms"], 200)
        self.assertIn("UP", link_info("can1")["flags"])

        import can  # python-can, Debian's python3-can: an independent sender
        with can.Bus(channel="can0", interface="socketcan") as bus:
            # Speed = 0x2710 * 0.01 = 100.00 km/h; Gear = 3 ("D")
            bus.send(can.Message(arbitration_id=0x123, data=[0x10, 0x27, 0x03, 0, 0, 0, 0, 0],
                                 is_extended_id=False))
            # CCVS1 from SA 0: bytes 2-3 = 0x3200 = 12800 / 256 = 50.0 km/h
            bus.send(can.Message(arbitration_id=0x18FEF100,
                                 data=[0xFF, 0x00, 0x32, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
                                 is_extended_id=True))
        s = wait_until(lambda: self.d.signal("Speed"), 10, "Speed decoded")
        self.assertAlmostEqual(s["value"], 100.0, places=6)
        self.assertEqual(self.d.signal("Gear")["label"], "D")
        v = wait_until(lambda: self.d.signal("WheelBasedVehicleSpeed"), 10, "CCVS1 decoded")
        self.assertAlmostEqual(v["value"], 50.0, places=6)
        b = self.d.bus("car")
        self.assertEqual(b["rx_frames"], 2)
        self.assertEqual(b["decoded"], 2)
        self.assertEqual(b["bitrate"], 250000)

    def test_uds_against_kernel_isotp(self):
        # The ECU is the kernel's ISO-TP stack on can0 (rx 7E7, tx 7EF). Its
        # 15-byte answer needs a first frame, our flow control and a
        # consecutive frame. DTC texts by hand (ISO 15031-6 letter bits):
        #   0A 9B 00 -> bits 00 = P, "0A9B", FTB 00 -> P0A9B-00, status 09
        #   C1 00 87 -> bits 11 = U, "0100",  FTB 87 -> U0100-87, status 2F
        #   5A 12 11 -> bits 01 = C, "1A12",  FTB 11 -> C1A12-11, status 08
        peer_up(500000)
        self.d = Daemon("[bus car]\ndriver = socketcan\ndevice = can1\nbitrate = 500k\n"
                        "mode = diagnostic\nprotocols = uds\n")
        wait_until(lambda: self.d.bus("car")["state"] == "active", 10, "car active")
        ecu = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_ISOTP)
        ecu.bind(("can0", 0x7E7, 0x7EF))
        ecu.settimeout(10)
        got = {}

        def serve():
            try:
                got["req"] = ecu.recv(4095)
                ecu.send(bytes.fromhex("5902FF" "0A9B0009" "C100872F" "5A121108"))
            except OSError as e:
                got["err"] = e

        t = threading.Thread(target=serve)
        t.start()
        res = self.d.client.call("read-dtc", bus="car", ecu="7E7")
        t.join(10)
        ecu.close()
        self.assertNotIn("err", got)
        self.assertEqual(got["req"][:2], bytes([0x19, 0x02]))  # ReadDTCInformation, by status mask
        ecu = res["ecus"][0]  # one ECU asked: one entry (PROTOCOL.md, asking ECUs)
        self.assertEqual((res["asked"], ecu["ecu"], ecu["protocol"], ecu["ok"]), (1, 0x7E7, "uds", True))
        codes = [(x["code"], x["status"]) for x in ecu["dtcs"]]
        self.assertEqual(codes, [("P0A9B-00", 0x09), ("U0100-87", 0x2F), ("C1A12-11", 0x08)])

    def test_j1939_dm1_bam_from_kernel_stack(self):
        # The kernel's J1939 stack sends a 14-byte DM1 from SA 0x00 as a BAM.
        # Lamps: byte 0 = 0x40 (MIL on: bits 7-6 = 01). DTCs (J1939-73, CM 0):
        #   6F 00 01 03: SPN 0x0006F = 111, FMI 1, OC 3
        #   23 F1 E2 01: SPN 0x23 | 0xF1<<8 | 0b111<<16 = 520483, FMI 2, OC 1
        #   00 02 05 7F: SPN 512, FMI 5, OC 127
        peer_up(250000)
        self.d = Daemon("[bus ebus]\ndriver = socketcan\ndevice = can1\nbitrate = 250k\n"
                        "mode = listen-only\nprotocols = j1939\n")
        wait_until(lambda: self.d.bus("ebus")["state"] == "active", 10, "ebus active")
        tx = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_J1939)
        tx.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        tx.bind(("can0", socket.J1939_NO_NAME, socket.J1939_NO_PGN, 0x00))
        dm1 = bytes.fromhex("40FF" "6F000103" "23F1E201" "0002057F")
        tx.sendto(dm1, ("can0", socket.J1939_NO_NAME, 0xFECA, 0xFF))
        tx.close()

        def active():
            fl = self.d.client.call("faults", bus="ebus")
            return fl if len(fl) >= 3 else None
        faults = wait_until(active, 15, "three DM1 faults")
        got = sorted((f["code"], f["occurrences"], f["ecu"], f["protocol"], f["status"])
                     for f in faults)
        self.assertEqual(got, [("SPN 111 FMI 1", 3, 0, "j1939", "active"),
                               # OC 127 is "not available" (J1939-73): counted as seen once
                               ("SPN 512 FMI 5", 1, 0, "j1939", "active"),
                               ("SPN 520483 FMI 2", 1, 0, "j1939", "active")])
        b = self.d.bus("ebus")
        # BAM: TP.CM + 2 TP.DT frames (14 bytes / 7)
        self.assertEqual(b["rx_frames"], 3)


    def _j1939_diag_daemon(self):
        peer_up(250000)
        self.d = Daemon("[bus ebus]\ndriver = socketcan\ndevice = can1\nbitrate = 250k\n"
                        "mode = diagnostic\nprotocols = j1939\n")
        wait_until(lambda: self.d.bus("ebus")["state"] == "active", 10, "ebus active")

    def test_j1939_claims_before_requesting(self):
        # J1939-81: Address Claimed (0x18EEFFF9, our 8-byte NAME) first, the
        # DM2 request (PGN 59904 to global: 0x18EAFFF9, data CB FE 00 =
        # 65227) only 250 ms later.
        import can
        self._j1939_diag_daemon()
        seen = []
        with can.Bus(channel="can0", interface="socketcan") as bus:
            t = threading.Thread(target=lambda: seen.extend(
                m for m in iter(lambda: bus.recv(2.5), None)))
            t.start()
            # No ECU on this bus answers: an error reply, never "0 DTCs".
            res = self.d.client.request("read-dtc", bus="ebus", ecu="j1939")
            t.join()
        self.assertEqual(res["error"]["code"], "timeout", res)
        ids = [(m.arbitration_id, bytes(m.data)) for m in seen]
        self.assertEqual(ids[0][0], 0x18EEFFF9)
        self.assertEqual(len(ids[0][1]), 8)
        self.assertEqual(ids[1], (0x18EAFFF9, bytes([0xCB, 0xFE, 0x00])))
        self.assertGreaterEqual(seen[1].timestamp - seen[0].timestamp, 0.25)
        # A second request needs no new claim.
        seen.clear()
        with can.Bus(channel="can0", interface="socketcan") as bus:
            t = threading.Thread(target=lambda: seen.extend(
                m for m in iter(lambda: bus.recv(2.0), None)))
            t.start()
            self.d.client.request("read-dtc", bus="ebus", ecu="j1939")
            t.join()
        self.assertEqual([m.arbitration_id for m in seen], [0x18EAFFF9])

    def test_j1939_yields_address_to_an_ecu(self):
        # An ECU with a higher-priority NAME (1) defends 0xF9: evgw must send
        # Cannot Claim (0x18EEFFFE) and no request at all.
        import can
        self._j1939_diag_daemon()
        seen = []
        with can.Bus(channel="can0", interface="socketcan") as bus:
            def ecu():
                deadline = time.monotonic() + 3
                while time.monotonic() < deadline:
                    m = bus.recv(0.2)
                    if m is None:
                        continue
                    seen.append(m)
                    if m.arbitration_id == 0x18EEFFF9:
                        bus.send(can.Message(arbitration_id=0x18EEFFF9, is_extended_id=True,
                                             data=[1, 0, 0, 0, 0, 0, 0, 0]))
            t = threading.Thread(target=ecu)
            t.start()
            reply = self.d.client.request("read-dtc", bus="ebus", ecu="j1939")
            t.join()
        self.assertFalse(reply["ok"])
        self.assertEqual(reply["error"]["code"], "address_in_use")
        ids = [m.arbitration_id for m in seen]
        self.assertEqual(ids, [0x18EEFFF9, 0x18EEFFFE])
        # and it stays silent afterwards
        reply = self.d.client.request("read-dtc", bus="ebus", ecu="j1939")
        self.assertEqual(reply["error"]["code"], "address_in_use")


class Virtual(unittest.TestCase):
    """vcan: hotplug, drops, kernel filters, error frames."""

    def setUp(self):
        vcan("vcan0")
        vcan("vcan1")
        self.d = None

    def tearDown(self):
        if self.d:
            self.assertEqual(self.d.stop(), 0)
        vcan("vcan0", False)
        vcan("vcan1", False)

    def test_unplug_and_replug(self):
        self.d = Daemon("[bus a]\ndriver = socketcan\ndevice = vcan0\ndbc = %s\n"
                        "[bus b]\ndriver = socketcan\ndevice = vcan1\ndbc = %s\n"
                        % (TEST_DBC, TEST_DBC))
        c = self.d.client
        wait_until(lambda: self.d.bus("a")["state"] == "active", 10, "a active")
        c.call("subscribe", topic="bus")
        sh("cansend", "vcan0", "123#0100")
        sh("cansend", "vcan1", "123#0200")
        wait_until(lambda: self.d.bus("a")["rx_frames"] == 1, 5, "a: 1 frame")
        # Unplug a: its bus is reported gone; b carries on.
        vcan("vcan0", False)
        ev = c.read_event(timeout=10)
        self.assertEqual((ev["bus"], ev["state"], ev["previous"]), ("a", "gone", "active"))
        sh("cansend", "vcan1", "123#0300")
        wait_until(lambda: self.d.bus("b")["rx_frames"] == 2, 5, "b keeps flowing")
        self.assertEqual(self.d.signal("Speed")["bus"] in ("a", "b"), True)
        # Plug it back: same bus, same client connection, decoding resumes.
        vcan("vcan0")
        ev = c.read_event(timeout=10)
        self.assertEqual((ev["bus"], ev["state"], ev["previous"]), ("a", "active", "gone"))
        sh("cansend", "vcan0", "123#E803")  # 0x03E8 * 0.01 = 10.00 km/h
        wait_until(lambda: self.d.bus("a")["rx_frames"] == 2, 5, "a: frames again")
        speeds = {s["bus"]: s["value"] for s in c.call("signals", glob="Speed")}
        self.assertAlmostEqual(speeds["a"], 10.0, places=6)
        self.assertAlmostEqual(speeds["b"], 0.03, places=6)
        self.assertIn("is back", self.d.logtext())

    def test_absent_at_start(self):
        vcan("vcan1", False)
        self.d = Daemon("[bus late]\ndriver = socketcan\ndevice = vcan1\n")
        wait_until(lambda: self.d.bus("late")["state"] == "gone", 10, "late gone")
        vcan("vcan1")
        wait_until(lambda: self.d.bus("late")["state"] == "active", 10, "late active")
        sh("cansend", "vcan1", "321#")
        wait_until(lambda: self.d.bus("late")["rx_frames"] == 1, 5, "late: a frame")

    def test_queue_overflow_is_counted(self):
        # Stop the daemon, flood more frames than its socket queue holds,
        # resume: every frame is either received or counted as dropped.
        n = 200000
        # Room in the per-CPU backlog, so that every drop happens in evgwd's
        # socket queue, where SO_RXQ_OVFL counts it.
        sh("sysctl", "-qw", "net.core.netdev_max_backlog=%d" % (2 * n))
        self.d = Daemon("[bus a]\ndriver = socketcan\ndevice = vcan0\n")
        wait_until(lambda: self.d.bus("a")["state"] == "active", 10, "a active")
        self.d.proc.send_signal(signal.SIGSTOP)
        try:
            sh("cangen", "vcan0", "-g", "0", "-n", str(n), "-I", "123", "-L", "8", "-D", "i")
        finally:
            self.d.proc.send_signal(signal.SIGCONT)
        # The kernel reports a socket's drops (SO_RXQ_OVFL) with the next
        # frame it queues, as candump shows them: drain, then send one more.
        wait_until(lambda: (lambda a, b: a == b)(self.d.bus("a")["rx_frames"],
                                                  (time.sleep(0.3), self.d.bus("a")["rx_frames"])[1]),
                   30, "the queue drained")
        sh("cansend", "vcan0", "123#01")

        def settled():
            b = self.d.bus("a")
            return b if b["rx_frames"] + b["overruns"] >= n + 1 else None
        try:
            b = wait_until(settled, 30, "all frames accounted for")
        except AssertionError:
            print(self.d.bus("a"), file=sys.stderr)
            raise
        self.assertGreater(b["overruns"], 0)
        self.assertEqual(b["rx_frames"] + b["overruns"], n + 1)

    def test_kernel_filter(self):
        self.d = Daemon("[bus a]\ndriver = socketcan\ndevice = vcan0\nfilter = 123, 18DA00F1/1FFF00FF\n")
        wait_until(lambda: self.d.bus("a")["state"] == "active", 10, "a active")
        for fr in ("124#01", "123#02", "00000123#03", "18DAF1F1#04", "18DA10F1#05", "18DA10F2#06"):
            sh("cansend", "vcan0", fr)
        sh("cansend", "vcan0", "7FF#")
        # 0x123 (11-bit) and 18DA10F1 pass; 18DAF1F1 does too (mask ignores byte 1)
        wait_until(lambda: self.d.bus("a")["rx_frames"] >= 3, 5, "filtered frames")
        time.sleep(0.3)
        ids = sorted((m["id"], m["extended"]) for m in self.d.client.call("messages", bus="a"))
        self.assertEqual(ids, [(0x123, False), (0x18DA10F1, True), (0x18DAF1F1, True)])

    def test_error_frames_drive_state(self):
        # linux/can/error.h: class 0x004 CRTL, data[1] 0x10 RX_PASSIVE;
        # 0x040 BUSOFF; 0x100 RESTARTED; 0x200 CNT with data[6]=tx, data[7]=rx.
        self.d = Daemon("[bus a]\ndriver = socketcan\ndevice = vcan0\n")
        c = self.d.client
        wait_until(lambda: self.d.bus("a")["state"] == "active", 10, "a active")
        c.call("subscribe", topic="bus")
        seq = [("20000004#0010000000000000", "passive"),
               ("20000040#0000000000000000", "bus-off"),
               ("20000100#0000000000000000", "active")]
        for frame, want in seq:
            sh("cansend", "vcan0", frame)
            ev = c.read_event(timeout=10)
            self.assertEqual((ev["bus"], ev["state"]), ("a", want))
        b = self.d.bus("a")
        self.assertEqual(b["error_frames"], 3)
        self.assertEqual(b["bus_offs"], 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
