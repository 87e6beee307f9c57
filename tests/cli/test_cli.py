#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evgw as a user meets it: every command of the table run as its usage line
says (without --socket in front), help for each, the messages for mistakes,
colour only on a terminal, the bash completion, the man page and README
synopses, and the printers on replies written by hand from
gateway/api/PROTOCOL.md and the issue-13 shapes (tests/cli/fake_evgwd.py
serves them). usage: test_cli.py EVGW SOURCE_DIR"""
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fake_evgwd import FakeDaemon  # noqa: E402

EVGW = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
ESC = "\x1b["

BUSES = [
    {"name": "car", "driver": "sim", "device": "byd-atto3", "bitrate": 500000, "mode": "diagnostic",
     "state": "active", "profile": "byd-atto3", "recording": "/var/lib/evgw/recordings/s1.log", "rx_frames": 1200, "tx_frames": 4, "fps": 249.8,
     "decoded": 1190, "unknown": 10, "error_frames": 0, "dbc": ["/usr/share/evgw/dbc/byd_atto3.dbc"]},
    {"name": "ebus", "driver": "socketcan", "device": "can1", "bitrate": 250000, "mode": "listen-only",
     "state": "gone", "profile": None, "recording": None, "rx_frames": 0, "tx_frames": 0, "fps": 0.0, "decoded": 0,
     "unknown": 0, "error_frames": 0, "dbc": []},
]

# The issue-13 reply shapes (/work/notes/contract.md), by hand.
DTC_ALL = {
    "target": "all", "profile": "byd-atto3", "asked": 3, "answered": 1,
    "ecus": [
        {"ecu": 2023, "ecu_name": "bms", "protocol": "uds", "request_id": 2023, "response_id": 2031, "ok": True,
         "dtcs": [{"code": "P0A9B-00", "raw": 0x0A9B00, "fault_status": "stored",
                   "description": "Hybrid battery temperature sensor A circuit", "status": 8,
                   "status_text": "confirmedDTC"},
                  {"code": "P0A12-00", "raw": 0x0A1200, "fault_status": "active",
                   "description": "DC/DC converter enable circuit high", "status": 9,
                   "status_text": "testFailed, confirmedDTC"}]},
        {"ecu": 2016, "ecu_name": "vcu", "protocol": "uds", "request_id": 2016, "response_id": 2024, "ok": False,
         "error": {"code": "negative_response", "message": "ECU 0x7E0 refused: serviceNotSupported (NRC 0x11)",
                   "nrc": 17}},
        {"ecu": 1971, "ecu_name": "hvac", "protocol": "uds", "request_id": 1971, "response_id": 1979, "ok": False,
         "error": {"code": "timeout", "message": "no answer from ECU 0x7B3 within 150 ms"}},
    ]}
DTC_OBD = {
    "target": "obd", "profile": None, "asked": None, "answered": 2,
    "ecus": [
        {"ecu": 2016, "ecu_name": None, "protocol": "obd", "request_id": None, "response_id": 2024, "ok": True,
         "dtcs": [{"code": "P0A80", "raw": 2688, "fault_status": "stored", "kind": "stored",
                   "description": "Replace hybrid battery pack"},
                  {"code": "P0A80", "raw": 2688, "fault_status": "stored", "kind": "permanent",
                   "description": "Replace hybrid battery pack"}]},
        {"ecu": 2017, "ecu_name": None, "protocol": "obd", "request_id": None, "response_id": 2025, "ok": True,
         "dtcs": []},
    ]}
DTC_J1939 = {
    "target": "j1939", "profile": "yutong-ebus", "asked": None, "answered": 2,
    "ecus": [
        {"ecu": 243, "ecu_name": "bms", "protocol": "j1939", "request_id": None, "response_id": None, "ok": True,
         "dtcs": [{"code": "SPN 520200 FMI 14", "raw": 1, "fault_status": "stored", "spn": 520200, "fmi": 14,
                   "oc": 3, "description": "BMS insulation monitoring: special instructions"}]},
        {"ecu": 239, "ecu_name": "vcu", "protocol": "j1939", "request_id": None, "response_id": None, "ok": True,
         "dtcs": []},
    ]}
NONE_ANSWERED = {
    "code": "timeout", "message": "no ECU answered on bus car",
    "ecus": [
        {"ecu": 2023, "ecu_name": "bms", "protocol": "uds", "request_id": 2023, "response_id": 2031, "ok": False,
         "error": {"code": "timeout", "message": "no answer from ECU 0x7E7 within 150 ms"}},
        {"ecu": 1971, "ecu_name": "hvac", "protocol": "uds", "request_id": 1971, "response_id": 1979, "ok": False,
         "error": {"code": "timeout", "message": "no answer from ECU 0x7B3 within 150 ms"}},
    ]}
CLEAR_J1939 = {
    "target": "j1939", "profile": None, "asked": None, "answered": 2,
    "ecus": [
        {"ecu": 243, "ecu_name": "bms", "protocol": "j1939", "request_id": None, "response_id": None, "ok": True,
         "cleared": True, "result": "ack"},
        {"ecu": 239, "ecu_name": None, "protocol": "j1939", "request_id": None, "response_id": None, "ok": True,
         "cleared": False, "result": "nack"},
    ]}
VIN_J1939 = {
    "target": "j1939", "profile": None, "asked": None, "answered": 1,
    "ecus": [{"ecu": 0, "ecu_name": None, "protocol": "j1939", "request_id": None, "response_id": None,
              "ok": True, "vin": "LZYTBGBW5N1012345"}]}
PIDS = {
    "target": "obd", "profile": None, "asked": None, "answered": 1,
    "ecus": [{"ecu": 2016, "ecu_name": None, "protocol": "obd", "request_id": None, "response_id": 2024,
              "ok": True, "supported": [1, 12, 13, 32, 64, 66],
              "pids": [{"pid": 1, "name": "monitor status since DTCs cleared", "mil": True, "dtc_count": 2,
                        "hex": "82000000"},
                       {"pid": 66, "name": "control module voltage", "value": 13.5, "unit": "V",
                        "hex": "34BC"}]}]}
# read-did with a profile name, its value written as the daemon writes it
# ("65.30": the CLI must print the daemon's digits, not re-format them).
DID_RAW = ('{"target":"bms","profile":"byd-atto3","asked":1,"answered":1,"ecus":[{"ecu":2023,'
           '"ecu_name":"bms","protocol":"uds","request_id":2023,"response_id":2031,"ok":true,"did":9,'
           '"hex":"1516","name":"pack_current","value":65.30,"unit":"A","values":[{"name":"pack_current",'
           '"value":65.30,"unit":"A"}]}]}')
SIGNALS_RAW = ('[{"bus":"car","message":"EVGW_DEMO_BMS","signal":"SOC","value":84.8,"raw":848,"unit":"%",'
               '"label":null,"ts":1764340000.25},{"bus":"car","message":"EVGW_DEMO_BMS","signal":"VOLT",'
               '"value":12.50,"raw":250,"unit":"V","label":null,"ts":1764340000.25},{"bus":"car",'
               '"message":"DRIVE_STATE","signal":"GEAR","value":4,"raw":4,"unit":"","label":"D",'
               '"ts":1764340000.25}]')
# battery (PROTOCOL.md), by hand: a car reading with two values from an
# assumed DID (so unconfirmed), the rest null.
BATTERY_RAW = ('{"bus":"car","profile":"byd-atto3","soc_percent":79.97,"pack_voltage_v":424,'
               '"pack_current_a":4.0,"cell_voltage_min_v":3.356,"cell_voltage_max_v":3.376,'
               '"cell_voltage_min_index":null,"cell_voltage_max_index":null,"cell_voltage_min_module":null,'
               '"cell_voltage_max_module":null,"temp_min_c":null,"temp_max_c":null,"temp_avg_c":null,'
               '"temp_min_sensor":null,"temp_max_sensor":null,"temp_min_module":null,"temp_max_module":null,'
               '"charged_ah_total":null,"discharged_ah_total":null,"charged_kwh_total":null,'
               '"discharged_kwh_total":null,"charge_count":312,"capacity_ah":141.30,"capacity_original_ah":150.00,'
               '"cell_spread_mv":20,"soh_percent":94.2,"soh_method":"present capacity / original capacity x 100 = '
               '141.30 Ah / 150.00 Ah","unconfirmed":true,"modules":null,"dids_asked":19,"dids_answered":7,'
               '"sources":{"soc_percent":{"from":"did","name":"soc_precise","ecu":"bms","request_id":2023,'
               '"did":8188,"start":0,"length":2,"source":"wican-byd-202410","confidence":"public",'
               '"unconfirmed":false},"cell_voltage_min_v":{"from":"did","name":"cell_voltage_min","ecu":"bms",'
               '"request_id":2023,"did":43,"start":0,"length":2,"source":"ovms3-atto3","confidence":"assumed",'
               '"unconfirmed":true},"capacity_original_ah":{"from":"signal","name":"BMS_PACK_INFO.BMS_RatedCapacity",'
               '"age_s":0.1,"source":"gd-dash-can2","confidence":"public","unconfirmed":false}},'
               '"notes":["ECU 0x7E7 did not answer DID 0x0011"]}')
FAULTS = [
    {"id": 1, "session": "s1", "bus": "ebus", "ecu": 243, "ecu_name": "bms", "protocol": "j1939",
     "code": "SPN 520200 FMI 14", "raw_code": 123, "unconfirmed": False,
     "description": "BMS insulation monitoring (evgw simulator example): special instructions",
     "status": "active", "severity": "critical", "lamp": "red stop, amber warning",
     "first_seen": 1764340000.0, "last_seen": 1764340060.0, "occurrences": 3, "freeze_frame": {}},
    {"id": 2, "session": "s1", "bus": "car", "ecu": 2023, "ecu_name": "bms", "protocol": "uds",
     "code": "P0A9B-00", "raw_code": 456, "description": "Hybrid battery temperature sensor A circuit",
     "status": "stored", "severity": "warning", "lamp": None,
     "first_seen": 1764340000.0, "last_seen": 1764340000.0, "occurrences": 1, "freeze_frame": {}},
]
STATUS = {"daemon": "evgwd", "version": "0.1.0", "pid": 4242, "uptime_s": 3781.5, "demo": False,
          "config": "/etc/evgw/evgw.conf", "socket": "/run/evgw/evgw.sock", "buses": 2, "clients": 3,
          "frames": 123456, "requests": 78, "dropped_clients": 1, "reloads": 2, "reload_failures": 1}


def local(ts, fmt):
    """Independent of the CLI: Python's own formatting, under TZ=UTC."""
    return time.strftime(fmt, time.gmtime(ts))


class Answers:
    """The fake daemon's answers, by command; tests change them."""

    def __init__(self):
        self.by_cmd = {
            "status": {"result": STATUS},
            "buses": {"result": BUSES},
            "messages": {"result": []},
            "signals": {"raw": SIGNALS_RAW},
            "dbc": {"result": []},
            "ecus": {"result": []},
            "charging": {"result": {"bus": "car", "current": None, "finished": [], "messages": 0,
                                    "malformed": 0}},
            "faults": {"result": FAULTS},
            "read-dtc": {"result": DTC_ALL},
            "clear-dtc": {"result": CLEAR_J1939},
            "vin": {"result": VIN_J1939},
            "read-did": {"raw": DID_RAW},
            "read-pids": {"result": PIDS},
            "battery": {"raw": BATTERY_RAW},
            "subscribe": {"result": {"sub": 1, "topic": "x", "signals": 0}, "close": True},
            "record": {"result": {"file": "/var/lib/evgw/recordings/x.log"}},
        }

    def __call__(self, req):
        a = self.by_cmd.get(req.get("cmd"), {"error": {"code": "unknown_command", "message": "no such command"}})
        return a(req) if callable(a) else a


class CliTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="evgw-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.answers = Answers()
        self.sock = os.path.join(self.tmp, "evgw.sock")
        self.fake = FakeDaemon(self.sock, self.answers)
        self.addCleanup(self.fake.close)

    def run_evgw(self, *args, env=None, cwd=None, stdin=subprocess.DEVNULL):
        e = dict(os.environ, TZ="UTC", EVGW_SOCKET=self.sock)
        e.pop("NO_COLOR", None)
        for k in ("LC_ALL", "LC_MESSAGES", "LANG"):  # DTC texts follow the locale: English here
            e.pop(k, None)
        e.update(env or {})
        return subprocess.run([EVGW, *args], capture_output=True, text=True, timeout=20, env=e, cwd=cwd,
                              stdin=stdin)

    def run_pty(self, *args, env=None, cols=200):
        """evgw with its stdout on a terminal of `cols` columns."""
        e = dict(os.environ, TZ="UTC", EVGW_SOCKET=self.sock, TERM="xterm")
        e.pop("NO_COLOR", None)
        for k in ("LC_ALL", "LC_MESSAGES", "LANG"):
            e.pop(k, None)
        e.update(env or {})
        master, slave = pty.openpty()
        import fcntl
        import termios
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
        p = subprocess.Popen([EVGW, *args], stdout=slave, stderr=subprocess.DEVNULL, env=e,
                             stdin=subprocess.DEVNULL)
        os.close(slave)
        out = b""
        while True:
            r, _, _ = select.select([master], [], [], 10)
            if not r:
                break
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
        os.close(master)
        p.wait(10)
        return p.returncode, out.decode().replace("\r\n", "\n")

    def commands(self):
        out = self.run_evgw("help", "--commands")
        self.assertEqual(out.returncode, 0, out.stderr)
        return out.stdout.split("\n")[:-1]

    # --- every command, as its usage line says -------------------------------------------

    def test_every_command_runs_as_its_usage_line_says(self):
        dbc = os.path.join(SOURCE, "tests", "vm", "data", "vm_test.dbc")
        log = os.path.join(SOURCE, "dbc", "samples", "byd_atto3_demo.log")
        byd = os.path.join(SOURCE, "dbc", "byd_atto3.dbc")
        self.answers.by_cmd["buses"] = {"result": BUSES[:1]}
        # One concrete command line per command; what the daemon must receive.
        lines = {
            "status": ([], {"cmd": "status"}),
            "buses": ([], {"cmd": "buses"}),
            "messages": (["car"], {"cmd": "messages", "bus": "car"}),
            "signals": (["SOC*", "--bus", "car"], {"cmd": "signals", "glob": "SOC*", "bus": "car"}),
            "dbc": ([], {"cmd": "dbc"}),
            "ecus": (["--bus", "car"], {"cmd": "ecus", "bus": "car"}),
            "charging": (["--bus", "car"], {"cmd": "charging", "bus": "car"}),
            "faults": (["--history", "--freeze-frame", "--bus", "car"], {"cmd": "faults", "history": True,
                                                                          "bus": "car"}),
            "read-dtc": (["all", "--bus", "car"], {"cmd": "read-dtc", "ecu": "all", "bus": "car"}),
            "clear-dtc": (["j1939"], {"cmd": "clear-dtc", "ecu": "j1939", "bus": "car"}),
            "vin": ([], {"cmd": "vin", "bus": "car"}),
            "read-did": (["7E7", "F190"], {"cmd": "read-did", "ecu": "7E7", "did": 0xF190, "bus": "car"}),
            "read-pids": (["0D,42"], {"cmd": "read-pids", "pids": [13, 66], "bus": "car"}),
            "battery": (["--bus", "car"], {"cmd": "battery", "bus": "car"}),
            "watch signals": (["SOC*", "--rate", "5"], {"cmd": "subscribe", "topic": "signals", "glob": "SOC*",
                                                         "max_rate": 5}),
            "watch frames": (["121,18FECAEF"], {"cmd": "subscribe", "topic": "frames",
                                                "ids": [0x121, 0x18FECAEF]}),
            "watch bus": ([], {"cmd": "subscribe", "topic": "bus"}),
            "watch faults": (["--bus", "car"], {"cmd": "subscribe", "topic": "faults", "bus": "car"}),
            "record": ([], {"cmd": "buses"}),
            "record start": (["car", "x.log"], {"cmd": "record", "action": "start", "bus": "car",
                                                "file": "x.log"}),
            "record stop": ([], {"cmd": "record", "action": "stop", "bus": "car"}),
            "dbc check": ([dbc], None),
            "decode": (["--dbc", byd, log], None),
            "profile import": ([os.path.join(SOURCE, "tests", "data", "import", "byd_bms_wican.json")], None),
            # sniff subscribes twice (frames, then signals) and the fake may hang
            # up before the second: its frames request is checked below.
            "sniff": (["--bus", "car", "--id", "121", "--count", "1"], None),
            "discover": ([log, "--out", os.path.join(self.tmp, "draft.dbc")], None),
            "convert": ([log, os.path.join(self.tmp, "every.pcapng")], None),
            "help": (["status"], None),
        }
        self.assertEqual(sorted(self.commands()), sorted(lines), "a command without a line here")
        for name, (args, want) in lines.items():
            out = self.run_evgw(*name.split(), *args)
            # vin and clear-dtc answer with a failed ECU; watch ends when the fake hangs up.
            ok = {"watch signals": 3, "watch frames": 3, "watch bus": 3, "watch faults": 3, "sniff": 3,
                  "read-dtc": 1, "clear-dtc": 1}.get(name, 0)
            self.assertEqual(out.returncode, ok, (name, out.stdout, out.stderr))
            if want:
                got = dict(self.fake.last(want["cmd"]))
                got.pop("id")
                self.assertEqual(got, want, name)
        sent = [{k: v for k, v in r.items() if k != "id"} for r in self.fake.requests]
        self.assertIn({"cmd": "subscribe", "topic": "frames", "bus": "car", "ids": [0x121]}, sent)

    def test_charging_timeline(self):
        """A finished session as PROTOCOL.md shapes it: one line per stage heard,
        at its local time (TZ=UTC here), the values the daemon wrote, and why
        it stopped."""
        t0 = 1764340300.0  # 2025-11-28 14:31:40 UTC
        session = {
            "number": 3, "stage": "end", "outcome": "abnormal", "joined": False,
            "started": t0, "ended": t0 + 2.26, "last_seen": t0 + 2.26,
            "timeline": [{"stage": "recognition", "from": t0, "until": t0 + 0.306},
                         {"stage": "parameters", "from": t0 + 0.306, "until": t0 + 1},
                         {"stage": "charging", "from": t0 + 1, "until": t0 + 2},
                         {"stage": "end", "from": t0 + 2, "until": t0 + 2.26}],
            "charger": {"address": 86, "protocol_version": None, "number": 2, "recognised": True,
                        "max_voltage_v": 750.0, "min_voltage_v": 200.0, "max_current_a": 360.0,
                        "min_current_a": None, "ready": True},
            "bms": {"address": 244, "protocol_version": "1.0", "battery_type": "NCM",
                    "rated_capacity_ah": 80.0, "rated_voltage_v": 680.0, "maker": None, "vin": None,
                    "charge_count": None, "max_charge_voltage_v": None, "ready": True},
            "parameters": {"max_cell_voltage_v": 4.20, "max_charge_current_a": 150.0,
                           "rated_energy_kwh": 54.4, "max_charge_voltage_v": 750.0,
                           "max_temperature_c": 50, "soc_percent": 20.0, "pack_voltage_v": 650.0},
            "charging": {"demand_voltage_v": 700.0, "demand_current_a": 120.0, "output_voltage_v": 655.0,
                         "output_current_a": 119.5, "measured_current_a": 119.0, "soc_percent": 22,
                         "max_temperature_c": 63},
            "statistics": {"soc_percent": 24, "charging_min": 3, "energy_kwh": 6.2},
            "stop_reasons": ["BMS: battery pack over-temperature", "charger: the BMS stopped"],
            "stop_reason": "BMS: battery pack over-temperature"}
        self.answers.by_cmd["charging"] = {"result": {"bus": "ebus", "current": None, "finished": [session],
                                                       "messages": 15, "malformed": 0}}
        out = self.run_evgw("charging", "--bus", "ebus")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "bus ebus, GB/T 27930 charging (currents: positive = into the battery)")
        self.assertEqual(lines[1], "session 3, %s: stopped abnormally (BMS: battery pack over-temperature)"
                         % local(t0, "%Y-%m-%d %H:%M:%S"))
        self.assertEqual(lines[2].split(), ["14:31:40.000", "recognition", "BMS", "1.0,", "NCM", "80.0", "Ah",
                                            "680.0", "V,", "charger", "no.", "2"])
        self.assertIn("battery max 750.0 V 150.0 A, cells 4.2 V, 50 °C, SOC 20.0 %; charger up to 750.0 V "
                      "360.0 A", lines[3])
        self.assertIn("14:31:41.000  charging      demand 700.0 V 120.0 A, output 655.0 V 119.5 A, BMS "
                      "measures 119.0 A, SOC 22 %, up to 63 °C", lines[4])
        self.assertIn("end           BMS: battery pack over-temperature; charger: the BMS stopped", lines[5])
        self.assertIn("statistics    SOC 24 %, 6.2 kWh in 3 min", lines[6])
        self.assertEqual(len(lines), 7)
        # In Russian: evgw's words and the stages padded by characters; the
        # daemon's stop reasons as it sent them.
        lines = self.run_evgw("charging", "--bus", "ebus", env={"LANG": "ru_RU.UTF-8"}).stdout.splitlines()
        self.assertEqual(lines[0], "шина ebus, зарядка по GB/T 27930 (токи: плюс — в батарею)")
        self.assertEqual(lines[1], "зарядка 3, %s: прервана с ошибкой (BMS: battery pack over-temperature)"
                         % local(t0, "%Y-%m-%d %H:%M:%S"))
        self.assertEqual(lines[2].split(), ["14:31:40.000", "опознание", "BMS", "1.0,", "NCM", "80.0", "Ah",
                                            "680.0", "V,", "станция", "№", "2"])
        self.assertIn("батарея макс. 750.0 V 150.0 A, ячейки 4.2 V, 50 °C, SOC 20.0 %; станция до 750.0 V "
                      "360.0 A", lines[3])
        self.assertIn("14:31:41.000  зарядка       запрос 700.0 V 120.0 A, выход 655.0 V 119.5 A, BMS "
                      "измеряет 119.0 A, SOC 22 %, до 63 °C", lines[4])
        self.assertIn("завершение    BMS: battery pack over-temperature; charger: the BMS stopped", lines[5])
        self.assertIn("итоги         SOC 24 %, 6.2 kWh за 3 мин", lines[6])
        # Nothing heard: said, exit 0.
        self.answers.by_cmd["charging"] = {"result": {"bus": "ebus", "current": None, "finished": [],
                                                       "messages": 0, "malformed": 0}}
        out = self.run_evgw("charging", "--bus", "ebus")
        self.assertEqual((out.returncode, out.stdout), (0, "no GB/T 27930 charging heard on bus ebus\n"))
        out = self.run_evgw("charging", "--bus", "ebus", env={"LANG": "ru_RU.UTF-8"})
        self.assertEqual(out.stdout, "на шине ebus зарядки по GB/T 27930 не было\n")

    def test_usage_lines_run_as_written(self):
        """Each command's own usage line (from its --help), every optional
        part filled in, placeholders replaced by values: it must run."""
        dbc = os.path.join(SOURCE, "tests", "vm", "data", "vm_test.dbc")
        byd = os.path.join(SOURCE, "dbc", "byd_atto3.dbc")
        log = os.path.join(SOURCE, "dbc", "samples", "byd_atto3_demo.log")
        values = {"BUS": "car", "GLOB": "SOC*", "ECU": "7E7", "DID": "F190", "HZ": "5", "COMMAND": "status",
                  "HEXPID,...": "0D,42", "HEXID,...": "121,18FECAEF", "LOG": log, "SIZE": "100M",
                  "ID": "121", "SEC": "0.5", "N": "1",
                  "IN": os.path.join(SOURCE, "tests", "fuzz", "seeds", "pcapng", "convert_mixed.pcapng"),
                  "OUT": os.path.join(self.tmp, "converted.log")}
        files = {"record start": "x.log", "dbc check": dbc, "decode": byd,
                 "profile import": os.path.join(SOURCE, "tests", "data", "import", "byd_bms_wican.json")}
        values["PROFILE.ini"] = os.path.join(self.tmp, "imported.ini")
        values.update({"DRAFT.dbc": os.path.join(self.tmp, "usage-draft.dbc"), "NAME": "can0",
                       "BUS.MESSAGE.SIGNAL": "can0.ESC_SPEED.VEHICLE_SPEED"})
        files["discover"] = byd
        self.answers.by_cmd["buses"] = {"result": BUSES[:1]}
        for name in self.commands():
            usage = self.run_evgw(name, "--help").stdout.splitlines()[0]
            self.assertTrue(usage.startswith("usage: evgw " + name), usage)
            argv = []
            for word in usage[len("usage: evgw " + name):].split():
                word = word.strip("[]").split("|")[0]  # optional: given; a|b: the first
                if word.endswith("...") and word != "HEXPID,..." and word != "HEXID,...":
                    word = word[:-3]
                argv.append(files[name] if word == "FILE" else values.get(word, word))
            n = len(self.fake.requests)
            out = self.run_evgw(*name.split(), *argv)
            self.assertIn(out.returncode, (0, 1, 3), (name, argv, out.stderr))  # never a usage error
            self.assertNotIn("usage", out.stderr, (name, argv))
            cmds = [r["cmd"] for r in self.fake.requests[n:]]
            want = {"watch": "subscribe", "sniff": "subscribe", "record": "record" if " " in name else "buses"}.get(
                name.split()[0], name if not self.commands_offline(name) else None)
            if want:
                self.assertIn(want, cmds, (name, argv))
            else:
                self.assertEqual(cmds, [], (name, argv))

    def commands_offline(self, name):
        return name in ("dbc check", "decode", "profile import", "discover", "convert", "help")

    def test_socket_option_anywhere_and_dbc_asks_the_daemon(self):
        # evgw dbc is the daemon's command; only "dbc check" is offline.
        for args in (["--socket", self.sock, "dbc"], ["dbc", "--socket", self.sock],
                     ["dbc", "--socket=" + self.sock], ["--json", "dbc"], ["dbc", "--json"]):
            n = len(self.fake.requests)
            out = self.run_evgw(*args, env={"EVGW_SOCKET": "/nonexistent"} if "--json" not in args else None)
            self.assertEqual(out.returncode, 0, (args, out.stderr))
            self.assertEqual([r["cmd"] for r in self.fake.requests[n:]], ["dbc"], args)
        self.assertEqual(self.run_evgw("status", "--socket").returncode, 2)

    def test_options_in_any_position_mean_the_same(self):
        for args in (["--json", "signals", "--bus", "car", "S*"], ["signals", "S*", "--json", "--bus=car"],
                     ["--bus", "car", "--json", "signals", "S*"]):
            out = self.run_evgw(*args)
            self.assertEqual(out.returncode, 0, (args, out.stderr))
            got = dict(self.fake.last("signals"))
            got.pop("id")
            self.assertEqual(got, {"cmd": "signals", "bus": "car", "glob": "S*"}, args)
            self.assertEqual(json.loads(out.stdout)[0]["signal"], "SOC")
        self.assertEqual(self.run_evgw("--socket", self.sock, "--version").stdout, self.run_evgw("--version").stdout)
        self.assertRegex(self.run_evgw("status", "--version").stdout, r"^evgw \d+\.\d+\.\d+\n$")

    # --- help -----------------------------------------------------------------------------

    def test_help_for_every_command(self):
        for i, name in enumerate(self.commands()):
            # Every command both ways; the other spellings on a few (cross
            # builds run this under an emulator).
            spellings = [name.split() + ["--help"], ["help"] + name.split()]
            if i % 5 == 0:
                spellings += [["--help"] + name.split(), name.split() + ["-h"]]
            for args in spellings:
                out = self.run_evgw(*args)
                self.assertEqual(out.returncode, 0, (args, out.stderr))
                self.assertTrue(out.stdout.startswith("usage: evgw %s" % name), (args, out.stdout))
                self.assertEqual(out.stderr, "")
        general = self.run_evgw("--help")
        self.assertEqual(general.returncode, 0)
        for name in self.commands():
            self.assertRegex(general.stdout, r"\n  %s( |\n)" % re.escape(name))
        self.assertIn("EVGW_SOCKET", general.stdout)
        self.assertIn("Exit status", general.stdout)
        self.assertEqual(self.run_evgw("--json", "--help").stdout, general.stdout)
        # A group: its commands.
        out = self.run_evgw("watch", "--help")
        self.assertEqual(out.returncode, 0)
        for sub in ("watch signals", "watch frames", "watch bus", "watch faults"):
            self.assertIn("evgw " + sub, out.stdout)
        # dbc check explains --quiet.
        self.assertRegex(self.run_evgw("dbc", "check", "--help").stdout, r"--quiet +print errors only")

    # --- mistakes, named ----------------------------------------------------------------------

    def assertUsage(self, args, message):
        out = self.run_evgw(*args)
        self.assertEqual((out.returncode, out.stdout), (2, ""), (args, out.stderr))
        self.assertEqual(out.stderr.splitlines()[0], message, args)

    def test_unknown_commands_and_options(self):
        self.assertUsage(["bogus"], "evgw: unknown command 'bogus' (see evgw --help)")
        self.assertUsage(["stauts"], "evgw: unknown command 'stauts'; did you mean 'status'? (see evgw --help)")
        self.assertUsage(["watch", "bsu"], "evgw: unknown command 'watch bsu'; did you mean 'watch bus'? "
                                           "(see evgw --help)")
        self.assertUsage(["watch"], "evgw: 'watch' needs a subcommand (see evgw watch --help)")
        self.assertUsage(["status", "--bogus"], "evgw status: unknown option '--bogus' (see evgw status --help)")
        self.assertUsage(["signals", "--bsu", "car"],
                         "evgw signals: unknown option '--bsu'; did you mean '--bus'? (see evgw signals --help)")
        self.assertUsage(["status", "--bus", "car"], "evgw status: unknown option '--bus' (see evgw status --help)")
        self.assertUsage(["read-dtc", "--bus", "car"],
                         "evgw read-dtc: missing ECU (usage: evgw read-dtc ECU [--lang en|ru] [--bus BUS])")
        self.assertUsage(["read-did", "7E7"], "evgw read-did: missing DID (usage: evgw read-did ECU DID [--bus BUS])")
        self.assertUsage(["record", "start"], "evgw record start: missing FILE (usage: evgw record start [--rotate SIZE] [BUS] FILE)")
        self.assertUsage(["status", "now"], "evgw status: unexpected argument 'now' (usage: evgw status)")
        self.assertUsage(["signals", "--bus"], "evgw signals: --bus needs a value (see evgw signals --help)")
        self.assertUsage(["buses", "--color=pink"],
                         "evgw buses: --color 'pink' must be auto, always or never (see evgw buses --help)")
        self.assertUsage(["read-pids", "0D,XY"], "evgw read-pids: 'XY' is not an OBD-II PID (hex, 1..FF)")
        self.assertUsage(["read-did", "7E7", "1F190"], "evgw read-did: DID '1F190' is not 0..FFFF")
        # Nothing was asked for any of these.
        self.assertEqual(self.fake.requests, [])

    def test_record_alone_lists_the_recordings(self):
        out = self.run_evgw("record")
        self.assertEqual((out.returncode, out.stdout), (0, "car: recording to /var/lib/evgw/recordings/s1.log\n"
                                                           "ebus: not recording\n"))
        self.assertUsage(["record", "strat", "car", "x.log"],
                         "evgw: unknown command 'record strat'; did you mean 'record start'? (see evgw --help)")
        self.assertUsage(["dbc", "chek", "x.dbc"],
                         "evgw: unknown command 'dbc chek'; did you mean 'dbc check'? (see evgw --help)")
        # A daemon whose buses do not say: the subcommands instead.
        self.answers.by_cmd["buses"] = {"result": [{k: v for k, v in b.items() if k != "recording"}
                                                   for b in BUSES]}
        out = self.run_evgw("record")
        self.assertEqual(out.returncode, 1)
        self.assertIn("evgw record start [BUS] FILE, evgw record stop [BUS]", out.stderr)

    def test_rate_is_validated(self):
        for bad in ("0", "abc", "-5", "5000", "1001", "nan", "inf", "", "2x", "0.009", "1e-14"):
            self.assertUsage(["watch", "signals", "SOC", "--rate", bad],
                             "evgw watch signals: --rate '%s' is not a number from 0.01 to 1000 "
                             "(see evgw watch signals --help)" % bad)
        for good, want in (("0.5", 0.5), ("1000", 1000), ("--rate=7", 7), ("0.01", 0.01)):
            args = ["watch", "signals", "SOC"] + ([good] if good.startswith("--") else ["--rate", good])
            out = self.run_evgw(*args)
            self.assertEqual(out.returncode, 3, out.stderr)  # the fake hangs up
            self.assertEqual(self.fake.last("subscribe")["max_rate"], want)
        self.run_evgw("watch", "signals")
        self.assertEqual(self.fake.last("subscribe")["max_rate"], 2)
        self.assertUsage(["signals", "--rate", "5"], "evgw signals: unknown option '--rate' "
                                                     "(see evgw signals --help)")

    def test_bus_left_out(self):
        # Several buses: they are listed, nothing is asked of an ECU.
        self.assertUsage(["read-dtc", "7E7"], "evgw read-dtc: --bus is needed: the daemon has buses car, ebus")
        self.assertUsage(["record", "stop"], "evgw record stop: a BUS is needed: the daemon has buses car, ebus")
        self.assertIsNone(self.fake.last("read-dtc"))
        # One bus: that one.
        self.answers.by_cmd["buses"] = {"result": BUSES[1:]}
        self.run_evgw("read-dtc", "7E7")
        self.assertEqual(self.fake.last("read-dtc")["bus"], "ebus")

    def test_misspelt_bus(self):
        self.answers.by_cmd["messages"] = {"error": {"code": "not_found", "message": "no bus named 'cra'"}}
        out = self.run_evgw("messages", "cra")
        self.assertEqual(out.returncode, 1)
        self.assertEqual(out.stderr, "evgw: no bus named 'cra'; did you mean 'car'? (the daemon has buses car, ebus)\n")
        out = self.run_evgw("messages", "xyz")
        self.assertEqual(out.stderr, "evgw: no bus named 'xyz' (the daemon has buses car, ebus)\n")
        # Other errors: the daemon's words, without its code...
        self.answers.by_cmd["record"] = {"error": {"code": "busy", "message": "bus 'car' is already being recorded"}}
        out = self.run_evgw("record", "start", "car", "x.log")
        self.assertEqual((out.returncode, out.stderr), (1, "evgw: bus 'car' is already being recorded\n"))
        # ...which --json keeps.
        out = self.run_evgw("--json", "record", "start", "car", "x.log")
        self.assertEqual(json.loads(out.stdout), {"error": {"code": "busy",
                                                            "message": "bus 'car' is already being recorded"}})

    def test_connection_errors(self):
        regular = os.path.join(self.tmp, "file")
        open(regular, "w").close()
        stale = os.path.join(self.tmp, "stale.sock")
        import socket
        s = socket.socket(socket.AF_UNIX)
        s.bind(stale)
        s.close()
        cases = {
            os.path.join(self.tmp, "none.sock"): "evgw: no daemon at %s: start it with 'sudo systemctl start "
                                                 "evgwd', or 'evgwd --demo' for the simulated vehicles",
            self.tmp: "evgw: %s is a directory, not the daemon's socket (see --socket)",
            regular: "evgw: %s is a regular file, not the daemon's socket (see --socket)",
            stale: "evgw: no daemon listens on %s (a socket left behind): start it with 'sudo systemctl start "
                   "evgwd', or 'evgwd --demo' for the simulated vehicles",
        }
        for path, want in cases.items():
            out = self.run_evgw("status", "--socket", path)
            self.assertEqual((out.returncode, out.stdout, out.stderr), (3, "", want % path + "\n"), path)
        with open(EVGW, "rb") as f:
            native = f.read(4) == b"\x7fELF"  # not the emulator's wrapper of a cross build
        if os.geteuid() == 0 and shutil.which("setpriv") and native:
            os.chmod(self.tmp, 0o755)
            os.chmod(self.sock, 0o660)
            exe = os.path.join(self.tmp, "evgw")  # a copy that user nobody can reach
            shutil.copy(EVGW, exe)
            out = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", exe,
                                  "--socket", self.sock, "status"], capture_output=True, text=True, timeout=20)
            group = __import__("grp").getgrgid(os.stat(self.sock).st_gid).gr_name
            self.assertEqual(out.returncode, 3)
            self.assertEqual(out.stderr, "evgw: no permission to use the daemon's socket %s: join its group '%s' "
                                         "(sudo adduser $USER %s, then log in again)\n" % (self.sock, group, group))
            self.assertNotIn("running", out.stderr)

    # --- colour -------------------------------------------------------------------------------

    def test_colour_only_on_a_terminal(self):
        rc, out = self.run_pty("faults")
        self.assertEqual(rc, 0)
        self.assertIn(ESC + "1;31mcritical" + ESC + "0m", out)  # critical: bold red
        self.assertIn(ESC + "33mwarning" + ESC + "0m", out)  # warning: yellow
        self.assertIn(ESC + "31mred stop, amber warning" + ESC + "0m", out)  # a red stop lamp
        for env, args in (({"NO_COLOR": "1"}, ["faults"]), ({}, ["faults", "--no-color"]),
                          ({}, ["--color=never", "faults"]), ({"TERM": "dumb"}, ["faults"]),
                          ({}, ["--json", "faults"])):
            rc, out = self.run_pty(*args, env=env)
            self.assertEqual(rc, 0, args)
            self.assertNotIn("\x1b", out, (env, args))
        # A pipe: none, unless asked for.
        for args in (["faults"], ["buses"], ["read-dtc", "all", "--bus", "car"], ["status"]):
            self.assertNotIn("\x1b", self.run_evgw(*args).stdout, args)
        self.assertIn(ESC, self.run_evgw("faults", "--color=always").stdout)
        self.assertIn(ESC, self.run_evgw("faults", "--color", env={"NO_COLOR": "1"}).stdout)

    def test_tables_fit_the_terminal_and_pipes_get_everything(self):
        rc, out = self.run_pty("faults", "--no-color", cols=150)
        lines = out.splitlines()
        self.assertEqual(rc, 0)
        self.assertTrue(all(len(line) <= 150 for line in lines), lines)
        self.assertTrue(lines[1].endswith("\u2026"), lines[1])  # the description, cut
        pipe = self.run_evgw("faults").stdout.splitlines()
        self.assertTrue(pipe[1].endswith("special instructions"), pipe[1])

    # --- printers, on the issue-13 shapes -------------------------------------------------------

    def test_read_dtc_all(self):
        out = self.run_evgw("read-dtc", "all", "--bus", "car")
        self.assertEqual(out.returncode, 1)  # 2 of 3 ECUs failed
        self.assertEqual(out.stdout,
                         "bms (0x7E7), UDS: 2 DTCs\n"
                         "  P0A9B-00  stored     Hybrid battery temperature sensor A circuit\n"
                         "  P0A12-00  active     DC/DC converter enable circuit high\n"
                         "vcu (0x7E0): refused: serviceNotSupported (NRC 0x11)\n"
                         "hvac (0x7B3): no answer (timeout)\n"
                         "1 of 3 ECUs answered\n")

    def test_read_dtc_obd_and_j1939(self):
        self.answers.by_cmd["read-dtc"] = {"result": DTC_OBD}
        out = self.run_evgw("read-dtc", "obd", "--bus", "car")
        self.assertEqual((out.returncode, out.stdout), (0,
                         "0x7E0, OBD-II: 2 DTCs\n"
                         "  P0A80     stored     Replace hybrid battery pack\n"
                         "  P0A80     permanent  Replace hybrid battery pack\n"
                         "0x7E1, OBD-II: 0 DTCs\n"
                         "2 ECUs answered\n"))
        self.answers.by_cmd["read-dtc"] = {"result": DTC_J1939}
        out = self.run_evgw("read-dtc", "j1939", "--bus", "car")
        self.assertEqual((out.returncode, out.stdout), (0,
                         "bms (SA 0xF3), J1939: 1 DTC\n"
                         "  SPN 520200 FMI 14  stored     BMS insulation monitoring: special instructions "
                         "(3 times)\n"
                         "vcu (SA 0xEF), J1939: 0 DTCs\n"
                         "2 ECUs answered\n"))

    def test_no_ecu_answered(self):
        self.answers.by_cmd["read-dtc"] = {"error": NONE_ANSWERED}
        out = self.run_evgw("read-dtc", "all", "--bus", "car")
        self.assertEqual((out.returncode, out.stdout, out.stderr), (1,
                         "bms (0x7E7): no answer (timeout)\n"
                         "hvac (0x7B3): no answer (timeout)\n", "evgw: no ECU answered on bus car\n"))
        # Nobody at all (functional OBD-II): no count, never "0 DTCs".
        self.answers.by_cmd["read-dtc"] = {"error": {"code": "timeout", "message": "no OBD-II ECU answered on "
                                                     "bus ebus", "ecus": []}}
        out = self.run_evgw("read-dtc", "obd", "--bus", "ebus")
        self.assertEqual((out.returncode, out.stdout, out.stderr),
                         (1, "", "evgw: no OBD-II ECU answered on bus ebus\n"))
        # One ECU: the daemon's message.
        self.answers.by_cmd["read-dtc"] = {"error": {"code": "timeout",
                                                     "message": "no answer from ECU 0x7E5 within 150 ms"}}
        out = self.run_evgw("read-dtc", "7E5", "--bus", "car")
        self.assertEqual((out.returncode, out.stdout, out.stderr),
                         (1, "", "evgw: no answer from ECU 0x7E5 within 150 ms\n"))

    def test_clear_vin_did_pids(self):
        out = self.run_evgw("clear-dtc", "j1939", "--bus", "ebus")
        self.assertEqual((out.returncode, out.stdout), (1,
                         "bms (SA 0xF3), J1939: cleared (acknowledged)\n"
                         "SA 0xEF, J1939: not cleared (refused)\n"
                         "2 ECUs answered\n"))
        out = self.run_evgw("vin", "--bus", "ebus")
        self.assertEqual((out.returncode, out.stdout), (0, "SA 0x00, J1939: VIN LZYTBGBW5N1012345\n"
                                                           "1 ECU answered\n"))
        self.assertNotIn("ecu", self.fake.last("vin"))
        out = self.run_evgw("read-did", "bms", "pack_current", "--bus", "car")
        self.assertEqual((out.returncode, out.stdout), (0, "bms (0x7E7), UDS: DID 0x0009 = 1516\n"
                                                           "  pack_current = 65.30 A\n"))
        self.assertEqual(self.fake.last("read-did")["did"], "pack_current")
        out = self.run_evgw("read-pids", "--bus", "car")
        self.assertEqual(out.returncode, 0)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "0x7E0, OBD-II: supports 01 0C 0D 20 40 42")
        self.assertRegex(lines[2], r"^  01 +monitor status since DTCs cleared +MIL on, 2 DTCs +82000000$")
        self.assertRegex(lines[3], r"^  42 +control module voltage +13\.5 V +34BC$")

    def test_battery_table(self):
        out = self.run_evgw("battery", "--bus", "car")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.fake.last("battery")["bus"], "car")
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "Battery on bus car (profile byd-atto3): 19 DIDs read by UDS 0x22, 7 answered")
        self.assertRegex(lines[1], r"^QUANTITY +VALUE +UNIT +FROM +CONFIDENCE$")
        rows = {re.split(r"  +", l.strip())[0]: l for l in lines[2:] if l.strip()}
        # The daemon's digits as written (79.97, 141.30), the DID and its confidence.
        self.assertRegex(rows["State of health"], r"^State of health +94\.2 +% +capacity now / when new$")
        self.assertRegex(rows["State of charge"], r"^State of charge +79\.97 +% +DID 1FFC bms \(soc_precise\) +public$")
        self.assertRegex(rows["Lowest cell voltage"],
                         r"^Lowest cell voltage +3\.356 +V +DID 002B bms \(cell_voltage_min\) +assumed$")
        self.assertRegex(rows["Cell spread"], r"^Cell spread +20 +mV$")
        self.assertRegex(rows["Capacity now"], r"^Capacity now +141\.30 +Ah$")
        self.assertRegex(rows["Capacity when new"],
                         r"^Capacity when new +150\.00 +Ah +BMS_PACK_INFO\.BMS_RatedCapacity +public$")
        # Nothing given: a dash, no unit.
        self.assertRegex(rows["Average temperature"], r"^Average temperature +-$")
        self.assertIn("State of health: present capacity / original capacity x 100 = 141.30 Ah / 150.00 Ah.",
                      out.stdout)
        self.assertIn("\nUNCONFIRMED: values marked assumed", out.stdout)
        self.assertIn("note: ECU 0x7E7 did not answer DID 0x0011\n", out.stdout)
        # --json: the daemon's object as it came.
        out = self.run_evgw("battery", "--bus", "car", "--json")
        self.assertEqual(json.loads(out.stdout)["soh_percent"], 94.2)
        # A reading with no value at all fails (exit status 1), saying so.
        empty = json.loads(BATTERY_RAW)
        for k in list(empty):
            if k not in ("bus", "profile", "soh_method", "unconfirmed", "dids_asked", "dids_answered",
                         "sources", "notes"):
                empty[k] = None
        empty.update(unconfirmed=False, sources={}, notes=[])
        self.answers.by_cmd["battery"] = {"result": empty}
        out = self.run_evgw("battery", "--bus", "car")
        self.assertEqual(out.returncode, 1)
        self.assertIn("gave no battery value", out.stderr)
        self.assertNotIn("UNCONFIRMED", out.stdout)

    def test_status_in_words(self):
        out = self.run_evgw("status")
        self.assertEqual(out.returncode, 0)
        self.assertEqual(out.stdout.splitlines()[0], "evgwd 0.1.0 (pid 4242), up 1 h 3 min")
        self.assertIn("\nconfiguration   /etc/evgw/evgw.conf\n", out.stdout)
        self.assertIn("\nclients         3 connected, 1 cut off (too slow to read, or over a limit)\n",
                      out.stdout)
        self.assertIn("\nreloads         2, 1 failed (the running configuration was kept)\n", out.stdout)
        for raw in ("uptime_s", "dropped_clients", "reload_failures", "config "):
            self.assertNotIn(raw, out.stdout)
        self.assertNotIn("fault store", out.stdout)  # an older daemon says nothing of it
        # The fault store's health (PROTOCOL.md, status.store).
        store = {"state": "ok", "path": "/var/lib/evgw/faults.db", "pending": 0, "failures": 0,
                 "recreated": 0, "since": 1764340000.0, "last_error": None}
        self.answers.by_cmd["status"] = {"result": dict(STATUS, store=store)}
        out = self.run_evgw("status")
        self.assertIn("\nfault store     ok, /var/lib/evgw/faults.db\n", out.stdout)
        store.update(state="locked", pending=12, failures=40, last_error="database is locked")
        out = self.run_evgw("status")
        self.assertIn("\nfault store     locked, 12 fault changes waiting: database is locked\n", out.stdout)

    def test_signals_keep_the_daemons_digits_and_say_when_nothing_matches(self):
        out = self.run_evgw("signals")
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout, r"\ncar +EVGW_DEMO_BMS +SOC +84\.8 +%\n")
        self.assertRegex(out.stdout, r"VOLT +12\.50 +V")  # as written, not 12.5
        self.assertRegex(out.stdout, r"GEAR +4 +D\n")
        self.answers.by_cmd["signals"] = {"result": []}
        out = self.run_evgw("signals", "NOSUCH")
        self.assertEqual((out.returncode, out.stdout, out.stderr), (1, "", "evgw: no signals match 'NOSUCH'\n"))
        out = self.run_evgw("signals")
        self.assertEqual((out.returncode, out.stdout), (0, "no signals decoded yet\n"))

    def test_messages_name_j1939_groups(self):
        self.answers.by_cmd["messages"] = {"result": [
            {"id": 0x0CF00400, "extended": True, "message": "EEC1", "pgn_name": None, "count": 42,
             "period_ms": 50.2, "cycle_ms": 50, "missing": False},
            {"id": 0x18FECAEF, "extended": True, "message": None, "pgn_name": "DM1 active DTCs", "count": 2,
             "period_ms": 1000.4, "cycle_ms": 0, "missing": False},
            {"id": 0x121, "extended": False, "message": None, "pgn_name": None, "count": 3, "period_ms": 0,
             "cycle_ms": 20, "missing": True}]}
        lines = self.run_evgw("messages", "ebus").stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "COUNT", "PERIOD", "MS", "CYCLE", "MS", "STATE", "MESSAGE"])
        self.assertRegex(lines[1], r"^0CF00400 +42 +50\.2 +50 +ok +EEC1$")
        self.assertRegex(lines[2], r"^18FECAEF +2 +1000\.4 +- +ok +J1939 DM1 active DTCs$")
        self.assertRegex(lines[3], r"^121 +3 +- +20 +MISSING +-$")

    def test_json_keeps_slashes(self):
        out = self.run_evgw("--json", "status")
        self.assertIn('"socket":"/run/evgw/evgw.sock"', out.stdout)
        self.assertNotIn("\\/", out.stdout)
        self.assertEqual(json.loads(out.stdout), STATUS)

    def test_faults_table(self):
        out = self.run_evgw("faults")
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["STATUS", "SEVERITY", "LAMP", "BUS", "ECU", "CODE", "FIRST", "SEEN",
                                            "LAST", "SEEN", "COUNT", "DESCRIPTION"])
        first, last = local(1764340000, "%Y-%m-%d %H:%M"), local(1764340060, "%Y-%m-%d %H:%M")
        self.assertRegex(lines[1], r"^active +critical +red stop, amber warning +ebus +bms \(SA 0xF3\) +"
                                   r"SPN 520200 FMI 14 +%s +%s +3 +BMS insulation" % (first, last))
        self.assertRegex(lines[2], r"^stored +warning +- +car +bms \(0x7E7\) +P0A9B-00 .* 1 +Hybrid battery")
        self.assertEqual(len(lines), 3)
        # The freeze frame on request, values as the daemon wrote them.
        self.answers.by_cmd["faults"] = {"raw": json.dumps(FAULTS[:1]).replace(
            '"freeze_frame": {}', '"freeze_frame": {"BMS_1.BMS_SOC": 84.80, "BMS_1.BMS_PackVoltage": 612.5}')}
        out = self.run_evgw("faults", "--freeze-frame")
        self.assertTrue(out.stdout.endswith("\nSPN 520200 FMI 14, bms (SA 0xF3) on ebus, freeze frame:\n"
                                            "  BMS_1.BMS_SOC = 84.80\n  BMS_1.BMS_PackVoltage = 612.5\n"), out.stdout)

    def test_faults_unconfirmed_apart(self):
        # An observation of a guessed definition (docs/confirming.md) is no
        # fault: listed under its own heading, without severity or lamp.
        obs = dict(FAULTS[1], id=3, bus="car", ecu=None, ecu_name="ADAS_ECU", protocol="dbc",
                   code="ACC_HUD_ADAS.COUNTER", severity="info", lamp=None, unconfirmed=True, status="active",
                   description="message counter stalled or jumped in 3 of the last 8 frames", occurrences=2)
        self.answers.by_cmd["faults"] = {"result": FAULTS + [obs]}
        lines = self.run_evgw("faults").stdout.splitlines()
        self.assertEqual(lines[0].split()[:3], ["STATUS", "SEVERITY", "LAMP"])
        self.assertRegex(lines[1], r"^active +critical ")
        self.assertRegex(lines[2], r"^stored +warning ")
        self.assertEqual(lines[3], "")
        self.assertEqual(lines[4], "Unconfirmed observations (from definitions not yet confirmed on a vehicle: "
                                   "not faults; see docs/confirming.md)")
        self.assertEqual(lines[5].split(), ["STATUS", "BUS", "ECU", "CODE", "FIRST", "SEEN", "LAST", "SEEN",
                                            "COUNT", "DESCRIPTION"])
        self.assertRegex(lines[6], r"^active +car +ADAS_ECU +ACC_HUD_ADAS\.COUNTER +.* 2 +message counter stalled")
        self.assertEqual(len(lines), 7)
        # Only observations: no faults, and the observation apart.
        self.answers.by_cmd["faults"] = {"result": [obs]}
        lines = self.run_evgw("faults").stdout.splitlines()
        self.assertEqual(lines[0], "no active faults")
        self.assertTrue(lines[2].startswith("Unconfirmed observations"), lines)
        self.assertEqual(len(lines), 5)
        # --json keeps the daemon's flag.
        got = json.loads(self.run_evgw("--json", "faults").stdout)
        self.assertIs(got[0]["unconfirmed"], True)
        # watch faults: the event says it is unconfirmed.
        self.answers.by_cmd["subscribe"] = {"result": {"sub": 1}, "close": True, "events": [
            {"topic": "faults", "sub": 1, "event": "raised", "fault": obs}]}
        lines = self.run_evgw("watch", "faults").stdout.splitlines()
        self.assertRegex(lines[1], r"^\d\d:\d\d:\d\d  raised +info +- +car +ADAS_ECU +ACC_HUD_ADAS\.COUNTER +"
                                   r"unconfirmed: message counter stalled")

    def test_lang_follows_the_locale(self):
        # Russian DTC texts when the locale (LC_ALL, then LC_MESSAGES, then
        # LANG: the first set) starts with "ru", or with --lang ru; English
        # (nothing asked) otherwise.
        cases = [({}, [], None), ({"LANG": "ru_RU.UTF-8"}, [], "ru"), ({"LANG": "ru"}, [], "ru"),
                 ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, [], None),
                 ({"LC_MESSAGES": "ru_UA.UTF-8", "LANG": "de_DE.UTF-8"}, [], "ru"),
                 ({"LC_ALL": "ru_RU.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, [], "ru"),
                 ({"LC_ALL": "", "LANG": "ru_RU.UTF-8"}, [], "ru"),
                 ({"LANG": "ru_RU.UTF-8"}, ["--lang", "en"], None), ({}, ["--lang=ru"], "ru")]
        for env, args, want in cases:
            out = self.run_evgw("faults", *args, env=env)
            self.assertEqual(out.returncode, 0, (env, args, out.stderr))
            self.assertEqual(self.fake.last("faults").get("lang"), want, (env, args))
        self.run_evgw("read-dtc", "7E7", "--bus", "car", "--lang", "ru")
        self.assertEqual(self.fake.last("read-dtc").get("lang"), "ru")
        self.run_evgw("read-dtc", "7E7", "--bus", "car", env={"LANG": "ru_RU.UTF-8"})
        self.assertEqual(self.fake.last("read-dtc").get("lang"), "ru")
        self.answers.by_cmd["subscribe"] = {"result": {"sub": 1}, "close": True}
        self.run_evgw("watch", "faults", env={"LANG": "ru_RU.UTF-8"})
        self.assertEqual({k: v for k, v in self.fake.last("subscribe").items() if k != "id"},
                         {"cmd": "subscribe", "topic": "faults", "lang": "ru"})
        self.assertUsage(["faults", "--lang", "de"], "evgw faults: --lang 'de' must be en (English) or ru (Russian) "
                                                     "(see evgw faults --help)")
        self.assertUsage(["clear-dtc", "7E7", "--lang", "ru"],
                         "evgw clear-dtc: unknown option '--lang' (see evgw clear-dtc --help)")

    def test_faults_russian_table(self):
        # The daemon's Russian words, in the table and cut by characters.
        ru = dict(FAULTS[1], description="P0A9B-00: Датчик температуры батареи гибридного привода A: "
                                         "неисправность цепи (тип отказа 0x00)")
        self.answers.by_cmd["faults"] = {"result": [ru]}
        lines = self.run_evgw("faults", "--lang", "ru").stdout.splitlines()
        self.assertRegex(lines[1], r"^сохранена +внимание +- +car +bms \(0x7E7\) +P0A9B-00 .* 1 +Датчик "
                                   r"температуры батареи гибридного привода A: неисправность цепи \(тип отказа 0x00\)$")
        rc, out = self.run_pty("faults", "--lang", "ru", "--no-color", cols=120)
        row = [line for line in out.splitlines() if line.startswith("сохранена")][0]
        self.assertLessEqual(len(row), 120)
        self.assertIn("Датчик", row)
        row.encode("utf-8")  # whole characters only
        # The daemon's lamp words said in Russian, a flash too; a word evgw
        # does not know stays as sent.
        lamps = dict(FAULTS[0], lamp="red stop (fast flash), amber warning, blue")
        self.answers.by_cmd["faults"] = {"result": [lamps]}
        lines = self.run_evgw("faults", "--lang", "ru").stdout.splitlines()
        self.assertRegex(lines[1], r"^активна +критично +красная STOP \(мигает часто\), жёлтая, blue +ebus ")

    def test_russian_words(self):
        # evgw's own words from po/ru.po when the language is Russian
        # (--lang or the locale, as for DTC texts; no ru_RU locale need be
        # installed); the daemon's texts (descriptions, its messages) as sent.
        ru = {"LANG": "ru_RU.UTF-8"}
        out = self.run_evgw("read-dtc", "all", "--bus", "car", env=ru)
        self.assertEqual((out.returncode, out.stdout), (1,
                         "bms (0x7E7), UDS: 2 кода неисправности\n"
                         "  P0A9B-00  сохранена  Hybrid battery temperature sensor A circuit\n"
                         "  P0A12-00  активна    DC/DC converter enable circuit high\n"
                         "vcu (0x7E0): отказ: serviceNotSupported (NRC 0x11)\n"
                         "hvac (0x7B3): нет ответа (время ожидания истекло)\n"
                         "ответили блоки: 1 из 3\n"))
        self.answers.by_cmd["read-dtc"] = {"result": DTC_J1939}
        out = self.run_evgw("read-dtc", "j1939", "--bus", "car", "--lang", "ru")
        self.assertEqual((out.returncode, out.stdout), (0,
                         "bms (SA 0xF3), J1939: 1 код неисправности\n"
                         "  SPN 520200 FMI 14  сохранена  BMS insulation monitoring: special instructions "
                         "(3 раза)\n"
                         "vcu (SA 0xEF), J1939: 0 кодов неисправностей\n"
                         "2 блока ответили\n"))
        out = self.run_evgw("clear-dtc", "j1939", "--bus", "ebus", env={"LC_MESSAGES": "ru_UA.UTF-8"})
        self.assertEqual((out.returncode, out.stdout), (1,
                         "bms (SA 0xF3), J1939: стёрты (подтверждено)\n"
                         "SA 0xEF, J1939: не стёрты (отказ)\n"
                         "2 блока ответили\n"))
        lines = self.run_evgw("faults", env=ru).stdout.splitlines()
        self.assertEqual(lines[0].split(), ["СОСТОЯНИЕ", "ВАЖНОСТЬ", "ЛАМПА", "ШИНА", "БЛОК", "КОД", "ВПЕРВЫЕ",
                                            "ПОСЛЕДНИЙ", "РАЗ", "РАЗ", "ОПИСАНИЕ"])
        self.assertRegex(lines[1], r"^активна +критично +красная STOP, жёлтая +ebus +bms \(SA 0xF3\) ")
        # English whatever the locale when --lang en or LC_ALL says so.
        for env, args in (({"LANG": "ru_RU.UTF-8"}, ["--lang", "en"]), ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, [])):
            self.assertTrue(self.run_evgw("faults", *args, env=env).stdout.startswith("STATUS "), (env, args))
        self.answers.by_cmd["faults"] = {"result": []}
        self.assertEqual(self.run_evgw("faults", "--history", env=ru).stdout, "в памяти нет неисправностей\n")
        self.assertEqual(self.run_evgw("faults", "--bus", "car", env=ru).stdout,
                         "нет активных неисправностей на шине car\n")
        # Its own errors: the connection, the command line.
        none = os.path.join(self.tmp, "none.sock")
        out = self.run_evgw("status", "--socket", none, env=ru)
        self.assertEqual((out.returncode, out.stderr), (3,
                         "evgw: служба не найдена на %s: запустите её: 'sudo systemctl start evgwd', или "
                         "'evgwd --demo' для имитации автомобилей\n" % none))
        out = self.run_evgw("faults", "--frob", env=ru)
        self.assertEqual((out.returncode, out.stderr.splitlines()[0]),
                         (2, "evgw faults: неизвестный параметр '--frob' (см. evgw faults --help)"))
        out = self.run_evgw("stauts", env=ru)
        self.assertEqual((out.returncode, out.stderr), (2, "evgw: неизвестная команда 'stauts'; может быть, "
                                                           "'status'? (см. evgw --help)\n"))

    def test_russian_status_buses_record(self):
        ru = {"LANG": "ru_RU.UTF-8"}
        out = self.run_evgw("status", env=ru)
        self.assertEqual(out.stdout.splitlines()[0], "evgwd 0.1.0 (pid 4242), работает 1 ч 3 мин")
        # Labels padded to 15 columns as the terminal counts them, not bytes.
        self.assertIn("\nконфигурация    /etc/evgw/evgw.conf\n", out.stdout)
        self.assertIn("\nклиенты         подключено: 3, отключено: 1 (слишком медленно читали или превысили "
                      "предел)\n", out.stdout)
        self.assertIn("\nперезагрузки    2, неудачных: 1 (оставлена работающая конфигурация)\n", out.stdout)
        lines = self.run_evgw("buses", env=ru).stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ШИНА", "ДРАЙВЕР", "СОСТОЯНИЕ", "РЕЖИМ", "СКОРОСТЬ", "ПРОФИЛЬ", "КАДРЫ",
                                            "КАДР/С", "РАСПОЗНАНО", "НЕИЗВЕСТНО", "ОШИБКИ", "УСТРОЙСТВО"])
        self.assertEqual(lines[1].split()[:3], ["car", "sim", "активна"])
        self.assertEqual(lines[2].split()[:3], ["ebus", "socketcan", "пропала"])
        # Columns line up by characters: the heads and cells start at the same place.
        self.assertEqual(lines[0].index("ДРАЙВЕР"), lines[1].index("sim"))
        self.assertEqual(lines[0].index("РЕЖИМ"), lines[2].index("listen-only"))
        self.assertEqual(self.run_evgw("record", env=ru).stdout,
                         "car: идёт запись в /var/lib/evgw/recordings/s1.log\nebus: запись не идёт\n")
        self.assertEqual(self.run_evgw("record", "start", "car", "x.log", env=ru).stdout,
                         "запись шины car в /var/lib/evgw/recordings/x.log (остановить: evgw record stop car)\n")
        for frames, nbytes, files, want in ((1, 105, 1, "1 кадр, 105 байт"), (22, 2, 1, "22 кадра, 2 байта"),
                                            (11, 21, 3, "11 кадров, 21 байт в 3 файлах"),
                                            (5, 1, 21, "5 кадров, 1 байт в 21 файле")):
            self.answers.by_cmd["record"] = {"result": {"frames": frames, "bytes": nbytes, "files": files}}
            self.assertEqual(self.run_evgw("record", "stop", "car", env=ru).stdout,
                             "шина car: запись остановлена, записано: %s\n" % want)

    def test_russian_battery(self):
        out = self.run_evgw("battery", "--bus", "car", env={"LANG": "ru_RU.UTF-8"})
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "Батарея на шине car (профиль byd-atto3): запрошено DID по UDS 0x22: 19, "
                                   "получен ответ: 7")
        self.assertRegex(lines[1], r"^ВЕЛИЧИНА +ЗНАЧЕНИЕ +ЕД\. +ИСТОЧНИК +НАДЁЖНОСТЬ$")
        rows = {re.split(r"  +", l.strip())[0]: l for l in lines[2:] if l.strip()}
        self.assertRegex(rows["Состояние (SOH)"], r"^Состояние \(SOH\) +94\.2 +% +ёмкость сейчас / новой$")
        self.assertRegex(rows["Уровень заряда"], r"^Уровень заряда +79\.97 +% +DID 1FFC bms \(soc_precise\) +public$")
        self.assertRegex(rows["Разброс по ячейкам"], r"^Разброс по ячейкам +20 +mV$")
        self.assertRegex(rows["Ёмкость новой"], r"^Ёмкость новой +150\.00 +Ah +BMS_PACK_INFO\.BMS_RatedCapacity +public$")
        # The value column (right-aligned) ends at one place on every row, by characters.
        self.assertEqual(rows["Состояние (SOH)"].index("94.2") + 4, rows["Уровень заряда"].index("79.97") + 5)
        self.assertIn("\nНЕ ПОДТВЕРЖДЕНО: значения с пометкой assumed", out.stdout)
        self.assertIn("примечание: ECU 0x7E7 did not answer DID 0x0011\n", out.stdout)

    def test_russian_help(self):
        ru = {"LANG": "ru_RU.UTF-8"}
        out = self.run_evgw("--help", env=ru)
        self.assertEqual(out.returncode, 0)
        self.assertTrue(out.stdout.startswith("использование: evgw [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]\n\n"
                                              "Команды службы (запрос к evgwd через её сокет):\n"), out.stdout)
        self.assertRegex(out.stdout, r"\n  clear-dtc ECU \[--bus BUS\] +стереть коды неисправностей блока "
                                     r"\(только администраторы\)\n")
        self.assertIn("\nКоманды без службы (evgwd не нужна):\n", out.stdout)
        self.assertIn("\nКод возврата: 0 готово;", out.stdout)
        out = self.run_evgw("record", "stop", "--help", env=ru)
        self.assertTrue(out.stdout.startswith("использование: evgw record stop"), out.stdout)
        self.assertEqual(self.run_evgw("help", "stauts", env=ru).stderr,
                         "evgw help: нет команды 'stauts'; может быть, 'status'? (см. evgw --help)\n")

    def test_json_is_the_same_in_every_language(self):
        self.answers.by_cmd["read-dtc"] = {"result": DTC_J1939}
        for args in (["faults"], ["read-dtc", "j1939", "--bus", "car"], ["clear-dtc", "j1939", "--bus", "ebus"],
                     ["status"], ["buses"], ["record"], ["battery", "--bus", "car"]):
            en = self.run_evgw(*args, "--json")
            ru = self.run_evgw(*args, "--json", env={"LANG": "ru_RU.UTF-8"})
            self.assertEqual((ru.returncode, ru.stdout, ru.stderr), (en.returncode, en.stdout, en.stderr), args)
            self.assertTrue(en.stdout.startswith(("{", "[")), (args, en.stdout))

    def test_record_paths(self):
        os.mkdir(os.path.join(self.tmp, "sub"))
        self.run_evgw("record", "start", "car", "./rel.log", cwd=self.tmp)
        self.assertEqual(self.fake.last("record")["file"], os.path.join(os.path.realpath(self.tmp), "rel.log"))
        self.run_evgw("record", "start", "car", "sub/x.log", cwd=self.tmp)
        self.assertEqual(self.fake.last("record")["file"], os.path.join(os.path.realpath(self.tmp), "sub", "x.log"))
        out = self.run_evgw("record", "start", "car", "plain.log", cwd=self.tmp)
        self.assertEqual(self.fake.last("record")["file"], "plain.log")
        self.assertEqual(out.stdout, "recording bus car to /var/lib/evgw/recordings/x.log "
                                     "(evgw record stop car ends it)\n")
        out = self.run_evgw("record", "start", "car", "nodir/x.log", cwd=self.tmp)
        self.assertEqual(out.returncode, 2)
        self.assertIn("'nodir'", out.stderr)
        self.answers.by_cmd["record"] = {"result": {"frames": 1, "bytes": 105}}
        out = self.run_evgw("record", "stop", "car")
        self.assertEqual(out.stdout, "bus car: recording stopped, 1 frame, 105 bytes written\n")

    def test_record_rotate(self):
        # 100M = 100 * 1024 * 1024 bytes; 4k = 4096, the recorder's least part.
        for size, want in (("100M", 104857600), ("4k", 4096), ("1G", 1073741824), ("65536", 65536),
                           ("--rotate=2m", 2097152)):
            args = ["record", "start", "car", "x.log"] + ([size] if size.startswith("--") else ["--rotate", size])
            out = self.run_evgw(*args)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(self.fake.last("record")["rotate_bytes"], want)
        self.run_evgw("record", "start", "car", "x.log")
        self.assertNotIn("rotate_bytes", self.fake.last("record"))
        for bad in ("4095", "3k", "abc", "", "10X", "-1M", "99999999999999999999", "1Gb", "17179869184G"):
            self.assertUsage(["record", "start", "car", "x.log", "--rotate", bad],
                             "evgw record start: --rotate '%s' is not a size of at least 4096 bytes "
                             "(such as 100M) (see evgw record start --help)" % bad)
        self.assertUsage(["record", "stop", "car", "--rotate", "1M"],
                         "evgw record stop: unknown option '--rotate' (see evgw record stop --help)")
        self.answers.by_cmd["record"] = {"result": {"frames": 9000, "bytes": 12288, "files": 3}}
        out = self.run_evgw("record", "stop", "car")
        self.assertEqual(out.stdout, "bus car: recording stopped, 9000 frames, 12288 bytes written in 3 files\n")

    # --- watch ------------------------------------------------------------------------------

    def test_watch_signals_lines_have_local_times(self):
        ev = {"topic": "signals", "sub": 1, "dropped": 0, "signals": json.loads(SIGNALS_RAW)[:1]}
        self.answers.by_cmd["subscribe"] = {"result": {"sub": 1}, "events": [ev], "close": True}
        out = self.run_evgw("watch", "signals", "SOC")
        self.assertEqual(out.returncode, 3)
        self.assertEqual(out.stderr, "evgw: the daemon closed the connection\n")
        self.assertRegex(out.stdout, r"^%s\.250  car +EVGW_DEMO_BMS\.SOC +84\.8 %%\n$"
                         % local(1764340000, "%H:%M:%S"))

    def test_watch_bus_starts_with_every_bus(self):
        state = {"subscribed": False}

        def subscribe(req):
            state["subscribed"] = True
            return {"result": {"sub": 1}}

        def buses(req):
            ev = {"topic": "bus", "sub": 1, "bus": "car", "state": "bus-off", "previous": "active"}
            return {"result": BUSES, "events": [ev] if state["subscribed"] else [], "close": state["subscribed"]}
        self.answers.by_cmd["subscribe"] = subscribe
        self.answers.by_cmd["buses"] = buses
        out = self.run_evgw("watch", "bus")
        self.assertEqual(out.returncode, 3)
        self.assertRegex(out.stdout, r"^\d\d:\d\d:\d\d  car: active\n\d\d:\d\d:\d\d  ebus: gone\n"
                                     r"\d\d:\d\d:\d\d  car: bus-off \(was active\)\n$")
        self.assertEqual(self.fake.cmds(), ["subscribe", "buses"])

    def test_watch_faults_header_and_events(self):
        events = [{"topic": "faults", "sub": 1, "event": "raised", "fault": FAULTS[0]},
                  {"topic": "faults", "sub": 1, "event": "changed", "fault": dict(FAULTS[1], status="stored")},
                  {"topic": "faults", "sub": 1, "event": "cleared", "fault": dict(FAULTS[0], status="cleared")}]
        self.answers.by_cmd["subscribe"] = {"result": {"sub": 1}, "events": events, "close": True}
        lines = self.run_evgw("watch", "faults").stdout.splitlines()
        self.assertEqual(lines[0].split(), ["TIME", "EVENT", "SEVERITY", "LAMP", "BUS", "ECU", "CODE",
                                            "DESCRIPTION"])
        self.assertRegex(lines[1], r"^\d\d:\d\d:\d\d  raised +critical +red stop, amber warning +ebus +"
                                   r"bms \(SA 0xF3\) +SPN 520200 FMI 14 +BMS insulation")
        self.assertRegex(lines[2], r"^\d\d:\d\d:\d\d  stored +warning +- +car +bms \(0x7E7\) +P0A9B-00 ")
        self.assertRegex(lines[3], r"^\d\d:\d\d:\d\d  cleared +critical ")
        self.assertEqual(len(lines), 4)

    # --- completion, man page, README -------------------------------------------------------------

    def complete(self, *words):
        script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _evgw; '
                  'printf "%s\\n" "${COMPREPLY[@]}"')
        out = subprocess.run(["bash", "-c", script, "bash", os.path.join(SOURCE, "etc", "bash-completion", "evgw"),
                              EVGW, *words], capture_output=True, text=True, timeout=20,
                             env=dict(os.environ, EVGW_SOCKET=self.sock))
        self.assertEqual(out.stderr, "")
        return sorted(w for w in out.stdout.split("\n") if w)

    def test_bash_completion(self):
        path = os.path.join(SOURCE, "etc", "bash-completion", "evgw")
        self.assertEqual(subprocess.run(["bash", "-n", path]).returncode, 0)
        names = self.commands()
        self.assertEqual(self.complete(""), sorted({n.split()[0] for n in names}))
        self.assertEqual(self.complete("re"), ["read-did", "read-dtc", "read-pids", "record"])
        self.assertEqual(self.complete("watch", ""), sorted(n.split()[1] for n in names if n.startswith("watch ")))
        self.assertEqual(self.complete("dbc", ""), ["check"])
        self.assertEqual(self.complete("record", ""), ["start", "stop"])
        self.assertIn("--bus", self.complete("read-dtc", "--"))
        self.assertEqual(self.complete("bat"), ["battery"])
        self.assertIn("--bus", self.complete("battery", "--"))
        self.assertIn("--rate", self.complete("watch", "signals", "--r"))
        self.assertNotIn("--rate", self.complete("signals", "--"))
        self.assertIn("--dbc", self.complete("decode", "--"))
        self.assertEqual(self.complete("read-dtc", "--bus", ""), ["car", "ebus"])
        self.assertEqual(self.complete("--socket", self.sock, "messages", "e"), ["ebus"])

    def synopsis_commands(self, text):
        """The command each 'evgw NAME ...' line names (the longest that fits)."""
        names = self.commands()
        found = set()
        for line in text.splitlines():
            line = line.strip()
            if not line.startswith("evgw "):
                continue
            rest = line[5:] + " "
            fits = [n for n in names if rest.startswith(n + " ")]
            if fits:
                found.add(max(fits, key=len))
        return found

    def test_man_page_and_readme_synopsis_list_every_command(self):
        with open(os.path.join(SOURCE, "man", "evgw.1")) as f:
            man = f.read()
        syn = man.split(".SH SYNOPSIS", 1)[1].split("\n.SH ", 1)[0]
        syn = re.sub(r"\\f[BIRP]", "", syn).replace("\\-", "-")
        self.assertEqual(self.synopsis_commands(syn), set(self.commands()))
        exit_status = man.split(".SH EXIT STATUS", 1)[1].split("\n.SH ", 1)[0]
        for code in ("0", "1", "2", "3"):
            self.assertIn("\n.B %s\n" % code, exit_status)
        with open(os.path.join(SOURCE, "README.md")) as f:
            readme = f.read()
        block = readme.split("### The CLI", 1)[1].split("```", 2)[1]
        self.assertEqual(self.synopsis_commands(block), set(self.commands()))

    # --- dbc check --------------------------------------------------------------------------------

    def test_dbc_check_findings_in_line_order_and_empty_files(self):
        out = self.run_evgw("dbc", "check", os.path.join(SOURCE, "tests", "data", "lint_errors.dbc"))
        places = [tuple(map(int, m)) for m in re.findall(r"lint_errors\.dbc:(\d+):(\d+):", out.stderr)]
        self.assertTrue(len(places) >= 9, out.stderr)
        self.assertEqual(places, sorted(places))
        # A file with one statement and no message loads, with a warning.
        bare = os.path.join(self.tmp, "bare.dbc")
        with open(bare, "w") as f:
            f.write('VERSION ""\n')
        out = self.run_evgw("dbc", "check", bare)
        self.assertEqual(out.returncode, 0)
        self.assertIn("%s: warning: no messages: is this a DBC file?" % bare, out.stderr)
        self.assertIn("%s: 0 errors, 1 warning\n" % bare, out.stdout)
        quiet = self.run_evgw("dbc", "check", "--quiet", bare)
        self.assertEqual(quiet.stderr, "")
        # No statement at all (empty, random bytes) is not a DBC file: it
        # cannot be loaded (exit status 2), --quiet or not.
        empty = os.path.join(self.tmp, "empty.dbc")
        open(empty, "w").close()
        noise = os.path.join(self.tmp, "noise.dbc")
        with open(noise, "wb") as f:
            f.write(b"\n  \x8f\x01garbage\n")
        for args in ((), ("--quiet",)):
            out = self.run_evgw("dbc", "check", *args, empty)
            self.assertEqual(out.returncode, 2)
            self.assertEqual(out.stderr, "%s: error: not a DBC file: the file is empty\n"
                             "%s: cannot load: see the errors above\n" % (empty, empty))
            out = self.run_evgw("dbc", "check", *args, noise)
            self.assertEqual(out.returncode, 2)
            self.assertIn("%s:2:3: error: not a DBC file: no DBC statement" % noise, out.stderr)


if __name__ == "__main__":
    if not EVGW or not SOURCE:
        print(__doc__)
        sys.exit(2)
    unittest.main(argv=sys.argv[:1], verbosity=2)
