# SPDX-License-Identifier: MIT
"""Files that change under the daemon, and files that are not files
(issue 19: D1, D2, D9, D15), with the real evgwd and real files.

Before issue 19 (the report's reproductions): a replayed log truncated under
the daemon killed it with SIGBUS; so did a DBC overwritten in place, at the
next `signals`; a FIFO as configuration, DBC or log hung the start (and a
SIGHUP); /dev/zero and random bytes loaded as an empty DBC; duplicate
message ids went unsaid. Every wait here has a deadline: a hang fails.
"""

import os
import shutil
import signal
import subprocess
import time

from robust import (DBC_DIR, EVGWD, RobustCase, main, make_tmpdir, wait_until, write_config)

BYD_DBC = os.path.join(DBC_DIR, "byd_atto3.dbc")
DEMO_BMS_DBC = os.path.join(DBC_DIR, "demo", "byd_demo_bms.dbc")


def big_log(path, n, period_s):
    """n frames, period_s apart (id 0x123, data = the frame's number)."""
    with open(path, "w") as f:
        for k in range(n):
            f.write("(%.6f) can0 123#%08X\n" % (1764340000.0 + k * period_s, k))


class FilesTest(RobustCase):
    def start_fails(self, tmp, conf, timeout=10):
        """evgwd with this config must exit (not hang) with an error; its
        output."""
        try:
            r = subprocess.run([EVGWD, "--config", conf, "--socket", os.path.join(tmp, "x.sock"),
                                "--state-dir", os.path.join(tmp, "xstate")], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail("evgwd hung at start on %s" % conf)
        self.assertNotEqual(r.returncode, 0, r.stderr)
        return r.stderr

    # -- D1: a replayed log truncated under the daemon ----------------------------------------

    def replay(self, loop, n=40000):
        d = self.daemon(start=False)
        log = os.path.join(d.dir, "live.log")
        big_log(log, n, 0.00025)  # 40,000 frames of 38 bytes, 10 s at the recorded pace
        write_config(d.config, {"dbc_dir": DBC_DIR},
                     [("r", {"driver": "replay", "device": log, "replay_speed": "1",
                             "replay_loop": "yes" if loop else "no"})])
        d.start()
        c = self.client(d)
        wait_until(lambda: c.call("buses")[0]["rx_frames"] > 2000, 10, "frames")
        return d, c, log

    def test_replay_log_truncated_to_nothing(self):
        d, c, log = self.replay(loop=True)
        os.truncate(log, 0)
        bus = wait_until(lambda: (lambda b: b if b["state"] != "active" else None)(c.call("buses")[0]), 5,
                         "the bus to stop")
        self.assertTrue(d.alive(), d.log_text())
        self.assertEqual(bus["state"], "down")
        self.assertGreaterEqual(bus["link_errors"], 1)
        self.assertIn("shrank from 1520000 to 0 bytes while being replayed", d.log_text())
        self.assertEqual(c.call("status")["daemon"], "evgwd")

    def test_replay_log_truncated_to_half_loops_on(self):
        d, c, log = self.replay(loop=True)
        os.truncate(log, 20000 * 38)
        wait_until(lambda: c.call("buses")[0]["link_errors"] >= 1, 5, "the shrink to be noticed")
        before = c.call("buses")[0]["rx_frames"]
        time.sleep(0.5)
        bus = c.call("buses")[0]
        self.assertTrue(d.alive(), d.log_text())
        self.assertEqual(bus["state"], "active")
        self.assertGreater(bus["rx_frames"], before)
        self.assertIn("shrank from 1520000 to 760000 bytes", d.log_text())

    # -- D2: a DBC overwritten in place, then `signals` ---------------------------------------

    def test_dbc_overwritten_in_place(self):
        tmp = self.tmpdir()
        car = os.path.join(tmp, "car.dbc")
        shutil.copy(BYD_DBC, car)
        d = self.daemon(buses=[("car", {"driver": "sim", "device": "byd-atto3", "mode": "diagnostic",
                                        "dbc": car + " " + DEMO_BMS_DBC})])
        c = self.client(d)
        names = wait_until(lambda: {(s["message"], s["signal"]) for s in c.call("signals")} or None, 10,
                           "signals")
        with open(car, "w"):
            pass  # `: > car.dbc`
        got = {(s["message"], s["signal"]) for s in c.call("signals")}
        self.assertTrue(names <= got, names - got)
        with open(car, "w") as f:  # a smaller DBC copied over it
            f.write('VERSION ""\nBO_ 1 X: 8 Y\n SG_ S : 0|8@1+ (1,0) [0|0] "" Z\n')
        got = {(s["message"], s["signal"]) for s in c.call("signals")}
        self.assertTrue(names <= got)
        self.assertEqual(c.call("dbc")[0]["messages"], 18)  # as loaded
        self.assertTrue(d.alive(), d.log_text())

    # -- D9: FIFOs as configuration, DBC and log ----------------------------------------------

    def test_fifo_as_config(self):
        tmp = self.tmpdir()
        fifo = os.path.join(tmp, "evgw.conf")
        os.mkfifo(fifo)
        err = self.start_fails(tmp, fifo)
        self.assertIn("%s: a FIFO, not a regular file" % fifo, err)

    def test_fifo_as_dbc_at_start_and_at_sighup(self):
        tmp = self.tmpdir()
        fifo = os.path.join(tmp, "fifo.dbc")
        os.mkfifo(fifo)
        conf = os.path.join(tmp, "bad.conf")
        write_config(conf, {"dbc_dir": DBC_DIR}, [("car", {"driver": "sim", "device": "byd-atto3",
                                                           "dbc": fifo})])
        err = self.start_fails(tmp, conf)
        self.assertIn("bus car: cannot load %s: a FIFO, not a regular file" % fifo, err)
        # Running with a good one, then SIGHUP with the FIFO: refused at once.
        d = self.daemon(buses=[("car", {"driver": "sim", "device": "byd-atto3", "dbc": "byd_atto3.dbc"})])
        c = self.client(d)
        write_config(d.config, {"dbc_dir": DBC_DIR}, [("car", {"driver": "sim", "device": "byd-atto3",
                                                               "dbc": fifo})])
        d.proc.send_signal(signal.SIGHUP)
        st = wait_until(lambda: (lambda s: s if s["reload_failures"] else None)(c.call("status", timeout=2)), 5,
                        "the reload to fail")
        self.assertEqual(st["reloads"], 0)
        self.assertIn("reload failed, the running configuration stays", d.log_text())
        self.assertIn("a FIFO, not a regular file", d.log_text())
        self.assertEqual(c.call("buses")[0]["state"], "active")

    def test_fifo_and_device_as_replay_log(self):
        tmp = self.tmpdir()
        fifo = os.path.join(tmp, "live.log")
        os.mkfifo(fifo)
        d = self.daemon(buses=[("f", {"driver": "replay", "device": fifo}),
                               ("z", {"driver": "replay", "device": "/dev/zero"})])
        c = self.client(d)
        states = {b["name"]: b["state"] for b in c.call("buses", timeout=2)}
        self.assertEqual(states, {"f": "down", "z": "down"})
        self.assertIn('replay: "%s" is a FIFO, not a candump log file' % fifo, d.log_text())
        self.assertIn('replay: "/dev/zero" is a character device, not a candump log file', d.log_text())

    # -- D15: what is not a DBC file ----------------------------------------------------------

    def test_not_dbc_files(self):
        tmp = self.tmpdir()
        rand = os.path.join(tmp, "random.dbc")
        with open(rand, "wb") as f:
            f.write(b"\x8f" + os.urandom(200000))
        empty = os.path.join(tmp, "empty.dbc")
        open(empty, "w").close()
        cases = [("/dev/zero", "/dev/zero: a character device, not a regular file"),
                 (rand, "%s: 1:1: not a DBC file: no DBC statement" % rand),
                 (empty, "%s: not a DBC file: the file is empty" % empty),
                 (tmp, "%s: Is a directory" % tmp)]
        for path, want in cases:
            conf = os.path.join(tmp, "t.conf")
            write_config(conf, {"dbc_dir": DBC_DIR}, [("car", {"driver": "sim", "device": "byd-atto3",
                                                               "dbc": path})])
            err = self.start_fails(tmp, conf)
            self.assertIn("bus car: cannot load " + want, err)

    def test_duplicate_message_ids_said(self):
        tmp = self.tmpdir()
        dup = os.path.join(tmp, "dup.dbc")
        with open(dup, "w") as f:
            f.write('VERSION ""\n\nBO_ 1 A: 8 X\n SG_ s : 0|8@1+ (1,0) [0|0] "" X\n\n'
                    'BO_ 1 B: 8 X\n SG_ t : 0|8@1+ (1,0) [0|0] "" X\n')
        d = self.daemon(buses=[("car", {"driver": "sim", "device": "byd-atto3",
                                        "dbc": "byd_atto3.dbc " + dup})])
        c = self.client(d)
        self.assertIn("%s:6:7: duplicate message id 0x1: 'B' and 'A' (line 3)" % dup, d.log_text())
        self.assertIn("%s: 2 messages, 2 signals, 0 warnings, 1 errors" % dup, d.log_text())
        self.assertEqual([e["errors"] for e in c.call("dbc") if e["file"] == dup], [1])


if __name__ == "__main__":
    main(__name__)
