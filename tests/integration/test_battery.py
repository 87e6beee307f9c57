# SPDX-License-Identifier: MIT
"""`battery` against the demo daemon (issue 14 item 4): the car's BMS read
by UDS 0x22 from the simulated ECU, the e-bus's from its broadcast frames.

Every expected number below is worked out by hand from the simulator's
model (gateway/sim/sim_model.c: the byd-atto3 and yutong-bus profiles) and
the scalings of dbc/profiles/byd_atto3.ini and dbc/ebus_bms_golden_dragon.dbc,
not from the daemon's code. The model is a function of the time t since the
vehicle started; the values that depend on the drive are compared while the
vehicle stands still (speed 0, one stretch a minute: cycle seconds 52 to
62), when the pack current is the auxiliary load alone.

Run: EVGWD=build/evgwd EVGW=build/evgw python3 -m unittest -v test_battery
(ctest: integration.battery).
"""

import time
import unittest

from test_daemon import EvgwTestCase, wait_until

# The model (sim_model.c), by hand:
#   SOC(t) = soc_start - 0.01 t                       (% ; t < 6000 s)
#   OCV = cells * (3.05 + 0.004 * SOC)
#   standing still: I = aux_a, V = OCV - I * r_ohm
#   cell max / min = V / cells +/- 0.010 V
#   warmest = 25 + (soc_start - SOC) * 0.25 = 25 + 0.0025 t; coldest = warmest - 3
CAR = dict(cells=126, soc0=80.0, aux=4.0, r=0.12)
BUS = dict(cells=192, soc0=85.0, aux=20.0, r=0.05)


def half_even(x):
    """nearbyint() in the default rounding mode (the DBC encoder's)."""
    return round(x)


def half_away(x):
    """C round() (the UDS simulator's clamp_u8/clamp_u16)."""
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def pack_v(m, t):
    soc = m["soc0"] - 0.01 * t
    return m["cells"] * (3.05 + 0.004 * soc) - m["aux"] * m["r"]


def values_over(ts, f):
    """The set of f(t) for t sampled every 10 ms over [lo, hi]."""
    lo, hi = ts
    out = set()
    n = max(1, int((hi - lo) / 0.01))
    for i in range(n + 1):
        out.add(f(lo + (hi - lo) * i / n))
    return out


class BatteryTest(EvgwTestCase):

    def setUp(self):
        self.spawned = time.monotonic()
        self.d = self.new_daemon(demo=True)
        self.c = self.client(self.d, timeout=15)

    def value(self, bus, glob):
        s = self.c.call("signals", bus=bus, glob=glob)
        return s[0]["value"] if s else None

    def standing(self):
        return (self.value("car", "ESC_SPEED.VEHICLE_SPEED") == 0
                and self.value("ebus", "CCVS1.WheelBasedVehicleSpeed") == 0)

    def read_standing_still(self):
        """battery on both buses while both vehicles stand: speed 0 before and
        after, within 5 s (the two stretches of speed 0 are 50 s apart)."""
        # Every BMS message once (the pack information comes least often).
        wait_until(lambda: self.value("ebus", "BMS_PACK_INFO.BMS_ChargeCount") is not None, 10,
                   "the e-bus's pack information")
        deadline = time.monotonic() + 80
        while time.monotonic() < deadline:
            if self.standing():
                before = time.monotonic()
                car = self.c.call("battery", bus="car")
                ebus = self.c.call("battery", bus="ebus")
                if self.standing() and time.monotonic() - before < 5:
                    return car, ebus, time.monotonic() - self.spawned
            time.sleep(0.1)
        self.fail("the demo vehicles never stood still")

    def test_battery_demo_car_and_ebus(self):
        car, ebus, elapsed = self.read_standing_still()
        self.assertLess(elapsed, 120, "pack voltage 424 V holds for t < 127 s")

        # --- the car: UDS 0x22 of the BMS at 0x7E7, profile byd_atto3 ---
        self.assertEqual((car["bus"], car["profile"]), ("car", "byd-atto3"))
        # 19 DIDs named by the battery table (0x1FFC once for SOC and capacity).
        self.assertEqual((car["dids_asked"], car["dids_answered"]), (19, 19))
        self.assertEqual(car["notes"], [])
        # 0x1FFC bytes 0-1, 0.01 %: raw round(100 * (80 - 0.01 t)) -> 80 - 0.01 t
        # to 0.01 %, with 0 <= t <= elapsed.
        soc = car["soc_percent"]
        self.assertLessEqual(soc, 80.0)
        self.assertGreaterEqual(soc, 80.0 - 0.01 * elapsed - 0.005)
        t_lo, t_hi = max(0.0, 100 * (80.0 - soc) - 0.6), 100 * (80.0 - soc) + 0.6
        # 0x0009: standing, I = aux = 4 A; raw 4 * 10 + 5000 = 5040; 5040 * 0.1 - 500 = 4.0 A.
        self.assertEqual(car["pack_current_a"], 4.0)
        # 0x0008, 1 V: 126 * (3.05 + 0.004 * 80) - 4 * 0.12 = 424.62 - 0.48 = 424.14,
        # minus 0.00504 t: 424 V for t < 127 s.
        self.assertEqual(car["pack_voltage_v"], 424)
        # 0x002B / 0x002D, mV: (V / 126 -/+ 0.010) * 1000, rounded;
        # at t = 0: 3366.19 -/+ 10 -> 3356 and 3376 mV.
        vmax = values_over((t_lo, t_hi), lambda t: half_away((pack_v(CAR, t) / 126 + 0.010) * 1000) / 1000)
        vmin = values_over((t_lo, t_hi), lambda t: half_away((pack_v(CAR, t) / 126 - 0.010) * 1000) / 1000)
        self.assertIn(car["cell_voltage_max_v"], vmax)
        self.assertIn(car["cell_voltage_min_v"], vmin)
        # Both are 10 mV from the same mean: 20 mV apart.
        self.assertEqual(car["cell_spread_mv"], 20)
        # 0x002A / 0x002C: the simulated pack's cells 37 (lowest) and 112 (highest).
        self.assertEqual((car["cell_voltage_min_index"], car["cell_voltage_max_index"]), (37, 112))
        self.assertIsNone(car["cell_voltage_min_module"])
        # 0x0031: round(25 + 0.0025 t + 40) = 65 -> 25 degC (t < 200 s); 0x002F: 62 -> 22;
        # 0x0032: round((25 + 22) / 2 + 40 + 0.0025 t) = round(63.5 + ...) = 64 -> 24 degC.
        self.assertEqual((car["temp_min_c"], car["temp_max_c"], car["temp_avg_c"]), (22, 25, 24))
        # 0x002E / 0x0030: sensors 3 (coldest) and 9 (warmest).
        self.assertEqual((car["temp_min_sensor"], car["temp_max_sensor"]), (3, 9))
        # The pack's fixed history, LE16 in units of 1: 0x000F, 0x0010, 0x0011, 0x0012, 0x000B.
        self.assertEqual((car["charged_ah_total"], car["discharged_ah_total"], car["charged_kwh_total"],
                          car["discharged_kwh_total"], car["charge_count"]), (48210, 47655, 19430, 19210, 312))
        # 0x1FFC / 0x1FFE bytes 2-3 at 0.01 Ah: 14130 -> 141.30 Ah, 15000 -> 150.00 Ah;
        # 141.3 / 150 = 0.942 -> 94.2 %.
        self.assertEqual((car["capacity_ah"], car["capacity_original_ah"]), (141.3, 150.0))
        self.assertEqual(car["soh_percent"], 94.2)
        self.assertIn("DID 0x1FFC bytes 2-3", car["soh_method"])
        self.assertIn("DID 0x1FFE bytes 2-3", car["soh_method"])
        self.assertIn("wican-byd-202410", car["soh_method"])
        # The cell-voltage and sensor-number DIDs are assumed in the profile:
        # the reading is unconfirmed, and each value says where it came from.
        self.assertIs(car["unconfirmed"], True)
        src = car["sources"]
        self.assertEqual((src["cell_voltage_min_v"]["did"], src["cell_voltage_min_v"]["confidence"]),
                         (0x002B, "assumed"))
        self.assertIs(src["cell_voltage_min_v"]["unconfirmed"], True)
        self.assertEqual((src["soc_percent"]["did"], src["soc_percent"]["name"], src["soc_percent"]["start"],
                          src["soc_percent"]["confidence"]), (0x1FFC, "soc_precise", 0, "public"))
        self.assertEqual((src["capacity_ah"]["ecu"], src["capacity_ah"]["request_id"], src["capacity_ah"]["start"]),
                         ("bms", 0x7E7, 2))
        # A source for each of the 19 values the BMS gave, and for nothing else.
        self.assertEqual(set(src), {
            "soc_percent", "pack_voltage_v", "pack_current_a", "cell_voltage_min_v", "cell_voltage_max_v",
            "cell_voltage_min_index", "cell_voltage_max_index", "temp_min_c", "temp_max_c", "temp_avg_c",
            "temp_min_sensor", "temp_max_sensor", "charged_ah_total", "discharged_ah_total",
            "charged_kwh_total", "discharged_kwh_total", "charge_count", "capacity_ah",
            "capacity_original_ah"})

        # --- the e-bus: broadcast frames of ebus_bms_golden_dragon.dbc, no request ---
        self.assertEqual((ebus["bus"], ebus["profile"], ebus["dids_asked"]), ("ebus", "ebus-golden-dragon", 0))
        # BMS_1.BMS_PackCurrent (0.1, -3200): standing, I = 20 A: raw 32200 -> 20.0 A.
        self.assertEqual(ebus["pack_current_a"], 20.0)
        # The bus started within a second of the car: its t lies near the car's.
        tb = (max(0.0, t_lo - 1), t_hi + 1)
        # BMS_SOC 0.4 %/bit: nearbyint((85 - 0.01 t) / 0.4) * 0.4; 212.5 - 0.025 t -> 212 -> 84.8 %
        # for 0 < t < 60 s.
        socs = values_over(tb, lambda t: round(half_even((85 - 0.01 * t) / 0.4) * 0.4, 1))
        self.assertIn(ebus["soc_percent"], socs)
        # BMS_PackVoltage 0.02 V/bit: 192 * (3.05 + 0.004 * 85) - 20 * 0.05 = 650.88 - 1 = 649.88 V,
        # minus 0.00768 t.
        volts = values_over(tb, lambda t: round(half_even(pack_v(BUS, t) / 0.02) * 0.02, 2))
        self.assertIn(ebus["pack_voltage_v"], volts)
        # Cell extremes at 1 mV: 649.88 / 192 = 3.38479 V, +/- 0.010 -> 3.395 and 3.375 V at t = 0.
        vmax = values_over(tb, lambda t: half_even((pack_v(BUS, t) / 192 + 0.010) * 1000) / 1000)
        vmin = values_over(tb, lambda t: half_even((pack_v(BUS, t) / 192 - 0.010) * 1000) / 1000)
        self.assertIn(ebus["cell_voltage_max_v"], vmax)
        self.assertIn(ebus["cell_voltage_min_v"], vmin)
        self.assertEqual(ebus["cell_spread_mv"], 20)
        # Where they sit (the yutong-bus profile's pack): box 3 position 7, box 5 position 12.
        self.assertEqual((ebus["cell_voltage_max_module"], ebus["cell_voltage_max_index"]), (3, 7))
        self.assertEqual((ebus["cell_voltage_min_module"], ebus["cell_voltage_min_index"]), (5, 12))
        # BMS_MaxCellTemp (1, -40): 25 + 0.0025 t -> 25; coldest 22; boxes 2 and 6.
        self.assertEqual((ebus["temp_max_c"], ebus["temp_min_c"]), (25, 22))
        self.assertEqual((ebus["temp_max_module"], ebus["temp_min_module"]), (2, 6))
        # BMS_PACK_INFO: rated capacity 5 Ah/bit, 540 Ah (raw 108); 1873 charges.
        self.assertEqual((ebus["capacity_original_ah"], ebus["charge_count"]), (540, 1873))
        # No present capacity is broadcast: no state of health, and it says why.
        self.assertIsNone(ebus["soh_percent"])
        self.assertIn("not computed", ebus["soh_method"])
        for key in ("capacity_ah", "temp_avg_c", "charged_ah_total", "discharged_kwh_total", "temp_min_sensor"):
            self.assertIsNone(ebus[key], key)
        # Every message used is labelled public in the DBC.
        self.assertIs(ebus["unconfirmed"], False)
        s = ebus["sources"]["cell_voltage_max_v"]
        self.assertEqual((s["from"], s["name"], s["confidence"]),
                         ("signal", "BMS_CELL_VMAX_A.BMS_MaxCellVoltage", "public"))
        self.assertLess(s["age_s"], 5)

    def test_battery_arguments(self):
        self.assertError(self.c.request("battery", bus="no-such-bus"), "not_found")
        self.assertError(self.c.request("battery", bus=7), "bad_request")
        # Without a bus: one reading per bus, in configuration order, the car's
        # DIDs read as with "bus" (the same 19 DIDs, the same fixed history).
        wait_until(lambda: self.value("ebus", "BMS_PACK_INFO.BMS_ChargeCount") is not None, 10,
                   "the e-bus's pack information")
        every = self.c.call("battery")
        self.assertEqual([b["bus"] for b in every], ["car", "ebus"])
        self.assertEqual((every[0]["dids_asked"], every[0]["capacity_ah"], every[0]["soh_percent"]), (19, 141.3, 94.2))
        self.assertEqual((every[1]["dids_asked"], every[1]["charge_count"]), (0, 1873))

    def test_shop_confirmed_dids(self):
        # A shop that checked the assumed DIDs on its car names them in
        # [confirmed] (docs/confirming.md): the reading is no longer unconfirmed.
        d = self.new_daemon(buses=[("car", {"driver": "sim", "device": "byd-atto3", "bitrate": "500k",
                                            "dbc": "byd_atto3.dbc", "profile": "byd_atto3",
                                            "mode": "diagnostic"})], start=False)
        assumed = ("cell_voltage_min", "cell_voltage_max", "cell_voltage_min_number", "cell_voltage_max_number",
                   "cell_temp_min_sensor", "cell_temp_max_sensor")
        with open(d.config, "a") as f:
            f.write("[confirmed]\n" + "".join("did = byd_atto3 %s ; bench\n" % n for n in assumed))
        d.start()
        c = self.client(d, timeout=15)
        r = c.call("battery", bus="car")
        self.assertEqual(r["dids_answered"], 19)
        self.assertIs(r["unconfirmed"], False)
        self.assertEqual((r["sources"]["cell_voltage_min_v"]["confidence"],
                          r["sources"]["cell_voltage_min_v"]["unconfirmed"]), ("confirmed", False))
        self.assertEqual(r["sources"]["soc_percent"]["confidence"], "public")

    def test_listen_only_car_reads_no_did(self):
        # The same simulated car in listen-only mode: nothing is sent, so the
        # BMS DIDs stay unread and every DID quantity is null (its DBC has no
        # BMS broadcast the battery table names); a note says why.
        d = self.new_daemon(buses=[("car", {"driver": "sim", "device": "byd-atto3", "bitrate": "500k",
                                            "dbc": "byd_atto3.dbc demo/byd_demo_bms.dbc",
                                            "profile": "byd_atto3", "mode": "listen-only"})])
        c = self.client(d)
        r = c.call("battery", bus="car")
        self.assertEqual((r["dids_asked"], r["soc_percent"], r["soh_percent"], r["unconfirmed"]), (0, None, None, False))
        self.assertIn("listen-only", " ".join(r["notes"]))
        self.assertEqual(r["sources"], {})
        self.assertEqual(c.call("buses")[0]["tx_frames"], 0)


if __name__ == "__main__":
    unittest.main()
