#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The real evgw in Russian (LANG=ru_RU.UTF-8, no ru_RU locale needed)
against the real `evgwd --demo`: tables' heads, a command's long help, and
the daemon's own sentences. The Russian expected here is written by hand,
not read from po/ru.po.

usage: EVGWD=... EVGW=... EVGW_SOURCE=... test_cli_russian.py
"""

import os
import re
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from test_daemon import EVGW, Daemon, make_tmpdir  # noqa: E402


def run(sock, *args, lang="ru_RU.UTF-8"):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "NO_COLOR")}
    env.update(LANG=lang, TZ="UTC")
    return subprocess.run([EVGW, "--socket", sock, *args], capture_output=True, text=True, timeout=20, env=env,
                          stdin=subprocess.DEVNULL)


class RussianDemoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmpdir()
        cls.d = Daemon(cls.tmp, demo=True).start()
        time.sleep(0.5)  # every demo message seen once

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def ru(self, *args):
        out = run(self.d.sock, *args)
        self.assertEqual(out.returncode, 0, out.stderr)
        return out.stdout

    def test_tables_heads_and_words(self):
        lines = self.ru("messages", "car").splitlines()
        self.assertEqual(lines[0].split("  "), ["ID", " РАЗ", "ПЕРИОД МС", "ЦИКЛ МС", "СОСТОЯНИЕ", "СООБЩЕНИЕ"])
        row = [line for line in lines if line.startswith("121 ")][0]
        self.assertEqual(row.split()[-2:], ["норма", "ESC_SPEED"])  # the DBC's name as it is
        # Columns stay aligned with Cyrillic heads: the state starts under
        # its head (counted in characters).
        self.assertEqual(row.index("норма"), lines[0].index("СОСТОЯНИЕ"))
        lines = self.ru("signals", "SOC", "--bus", "car").splitlines()
        self.assertEqual(lines[0].split(), ["ШИНА", "СООБЩЕНИЕ", "СИГНАЛ", "ЗНАЧЕНИЕ", "ЕД.", "ПОЯСНЕНИЕ"])
        self.assertEqual(lines[1].split()[:3], ["car", "EVGW_DEMO_BMS", "SOC"])
        self.assertEqual(lines[1].split()[4], "%")  # the DBC's unit as it is
        lines = self.ru("dbc").splitlines()
        self.assertEqual(lines[0].split(), ["ШИНА", "СООБЩЕНИЙ", "СИГНАЛОВ", "ПРЕДУПРЕЖДЕНИЙ", "ОШИБКИ", "ФАЙЛ"])
        lines = self.ru("ecus", "--bus", "ebus").splitlines()
        self.assertEqual(lines[0].split("  ")[:4], ["ШИНА", "АДРЕС", "", "БЛОК"])
        self.assertIn("дорожная техника", lines[1])  # industry group 1, on-highway
        out = run(self.d.sock, "signals", "NO_SUCH_SIGNAL", "--bus", "car")
        self.assertEqual((out.returncode, out.stderr),
                         (1, "evgw: на шине car нет сигналов, подходящих под 'NO_SUCH_SIGNAL'\n"))
        # Usage problems and the bus checks.
        out = run(self.d.sock, "buses", "--color=pink")
        self.assertEqual((out.returncode, out.stderr),
                         (2, "evgw buses: --color 'pink': допустимо auto, always или never (см. evgw buses --help)\n"))
        out = run(self.d.sock, "charging")
        self.assertEqual((out.returncode, out.stderr), (2, "evgw charging: нужен --bus: у службы шины car, ebus\n"))
        out = run(self.d.sock, "signals", "--bus", "nope")
        self.assertEqual(out.stderr, "evgw: нет шины 'nope' (у службы шины car, ebus)\n")
        # status: the fault store's state in words.
        store = [x for x in self.ru("status").splitlines() if x.startswith("база ошибок")][0]
        self.assertTrue(store.startswith("база ошибок     в порядке, "), store)
        # --json and English are what they were.
        self.assertIn("COUNT  PERIOD MS  CYCLE MS  STATE  MESSAGE\n", run(self.d.sock, "messages", "car", lang="C.UTF-8").stdout)
        self.assertEqual(run(self.d.sock, "--json", "dbc").stdout, run(self.d.sock, "--json", "dbc", lang="C").stdout)

    def test_long_help(self):
        out = self.ru("charging", "--help")
        lines = out.splitlines()
        self.assertEqual(lines[0], "использование: evgw charging [--bus BUS]")  # the usage line as typed
        text = " ".join(out.split())
        self.assertIn("Сеансы зарядки GB/T 27930, услышанные на шине J1939", text)
        self.assertIn("Без --bus — единственная шина службы.", text)
        self.assertIn("  --bus BUS      шина, которую опрашивать", out)
        # Wrapped at 78 characters (not bytes), no line starting with a dash.
        self.assertTrue(all(len(line) <= 78 for line in lines[:lines.index("Параметры:")]), out)
        self.assertGreater(max(len(line) for line in lines[2:6]), 60, out)
        self.assertFalse([line for line in lines if line.startswith("—")], out)
        text = " ".join(self.ru("read-dtc", "--help").split())
        self.assertIn("Запросить у блоков коды неисправностей", text)
        self.assertIn("ECU — идентификатор запроса в hex (7E7)", text)

    def test_battery_soh_method(self):
        # The demo car's BMS gives both capacities by DID (0x1FFC, 0x1FFE,
        # bytes 2-3): the daemon's sentence, said in Russian from its
        # template, the values and names in it as sent.
        out = self.ru("battery", "--bus", "car")
        line = [x for x in out.splitlines() if x.startswith("Состояние (SOH): ")][0]
        self.assertTrue(line.startswith("Состояние (SOH): текущая ёмкость / исходная ёмкость x 100 = 141.30 Ah / "
                                        "150.00 Ah; текущая ёмкость взята из: DID 0x1FFC блока bms (0x7E7), "
                                        "байты 2-3, DID профиля 'capacity' (public); исходная ёмкость взята из: "
                                        "DID 0x1FFE блока bms (0x7E7), байты 2-3"), line)
        self.assertTrue(line.endswith("их отношение как показатель состояния батареи — вывод evgw, а не формула "
                                      "из источников."), line)
        # The e-bus BMS gives no present capacity: the whole sentence.
        out = self.ru("battery", "--bus", "ebus")
        self.assertIn("Состояние (SOH): не вычислено: BMS не сообщила текущую ёмкость (", out)
        # The API keeps its English.
        english = run(self.d.sock, "--json", "battery", "--bus", "ebus").stdout
        self.assertIn('"soh_method":"not computed: the BMS gave no present capacity (', english)

    def test_sniff_screen(self):
        out = self.ru("sniff", "--bus", "car", "--interval", "0.3", "--count", "1")
        head, cols = out.splitlines()[:2]
        self.assertRegex(head, r"^-- car \d\d:\d\d:\d\d: id: \d+, неизвестных: \d+$")
        self.assertEqual(cols.split(), ["ID", "КАДР/С", "ДЛ.", "ДАННЫЕ", "ИЗМЕНЕНИЯ", "СООБЩЕНИЕ", "ЗНАЧЕНИЯ"])


class RussianChargingTest(unittest.TestCase):
    """A GB/T 27930 session the BMS stops for battery pack over-temperature
    (tests/golden's capture, replayed at full speed): its stop reasons."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmpdir()
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        conf = os.path.join(cls.tmp, "evgw.conf")
        with open(conf, "w") as f:
            f.write("[bus ebus]\ndriver = replay\ndevice = %s\nreplay_speed = 0\nprotocols = j1939\n"
                    "bitrate = 250k\n" % os.path.abspath(os.path.join(source, "tests", "golden",
                                                                    "gbt27930_session_abnormal.log")))
        cls.d = Daemon(cls.tmp, config=conf).start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_stop_reasons(self):
        for _ in range(50):
            lines = run(self.d.sock, "charging").stdout.splitlines()
            if len(lines) > 1 and "прервана" in lines[1]:
                break
            time.sleep(0.2)
        self.assertRegex(lines[1], r"^зарядка 1, .*: прервана с ошибкой \(BMS: перегрев батареи\)$")
        end = [x for x in lines if "завершение" in x][0]
        self.assertTrue(end.endswith("завершение    BMS: перегрев батареи; зарядная станция: BMS остановила заряд"),
                        end)
        english = run(self.d.sock, "charging", lang="C").stdout
        self.assertIn("end           BMS: battery pack over-temperature; charger: the BMS stopped", english)


class RussianOfflineTest(unittest.TestCase):
    """The offline commands' own words (no daemon): their findings' frame
    and summaries, while what the files say stays as written."""

    def setUp(self):
        self.tmp = make_tmpdir()

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_dbc_check_convert_profile_import(self):
        dbc = os.path.join(self.tmp, "dup.dbc")
        with open(dbc, "w") as f:  # message id 1 twice: one error, on line 4
            f.write('VERSION ""\nBO_ 1 M: 8 X\n SG_ S : 0|8@1+ (1,0) [0|255] "" X\nBO_ 1 M2: 8 X\n')
        out = run("-", "dbc", "check", dbc)
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertEqual(out.stdout.splitlines()[1], dbc + ": 1 ошибка, 0 предупреждений")
        self.assertTrue(out.stderr.startswith(dbc + ":4:7: ошибка: duplicate message id 0x1"), out.stderr)
        english = run("-", "dbc", "check", dbc, lang="C")
        self.assertEqual(english.stdout.splitlines()[1], dbc + ": 1 error, 0 warnings")
        self.assertIn(":4:7: error: duplicate message id 0x1", english.stderr)
        # convert's summary; the pcapng it writes is the same in either language.
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        log = os.path.join(source, "dbc", "samples", "byd_atto3_demo.log")
        out = run("-", "convert", log, os.path.join(self.tmp, "ru.pcapng"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(" -> %s: кадров: 11\n" % os.path.join(self.tmp, "ru.pcapng"), out.stderr)
        run("-", "convert", log, os.path.join(self.tmp, "en.pcapng"), lang="C")
        with open(os.path.join(self.tmp, "ru.pcapng"), "rb") as a, open(os.path.join(self.tmp, "en.pcapng"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        # discover's summary; the draft it writes is the same in either language.
        for lang, name in (("ru_RU.UTF-8", "ru.dbc"), ("C", "en.dbc")):
            out = run("-", "discover", log, "--out", os.path.join(self.tmp, name), lang=lang)
            self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stderr, r"^evgw discover: \d+ frames of (\d+) unknown ids")
        n_ids = re.match(r"^evgw discover: \d+ frames of (\d+)", out.stderr).group(1)
        ru = run("-", "discover", log, "--out", os.path.join(self.tmp, "ru2.dbc")).stderr
        self.assertTrue(ru.startswith("evgw discover: неизвестных id: %s, их кадров: " % n_ids), ru)
        with open(os.path.join(self.tmp, "ru.dbc"), "rb") as a, open(os.path.join(self.tmp, "en.dbc"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        out = run("-", "sniff", "--count", "0")
        self.assertEqual((out.returncode, out.stderr), (2, "evgw sniff: --count принимает число блоков, от 1\n"
                                                           "использование: evgw sniff [--bus BUS] [--id ID...] "
                                                           "[--interval SEC] [--count N]\n"))
        out = run("-", "profile", "import")
        self.assertEqual(out.stderr, "evgw: не указан FILE (файл JSON WiCAN или ABRP либо CSV Torque)\n"
                                     "использование: evgw profile import FILE [--format wican|abrp|torque] "
                                     "[--out PROFILE.ini]\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
