# SPDX-License-Identifier: MIT
"""Driving the USB device emulators (gsusb_emu, canalyst_emu) from Python:
commands on the emulator's stdin, its events collected from stdout."""

import glob
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vm"))
from vmlib import wait_until  # noqa: E402,F401  (re-exported for the tests)


def modprobe(*mods):
    for m in mods:
        subprocess.run(["modprobe", m], check=True, capture_output=True)


def gadget_setup(*extra_mods):
    """The kernel side: dummy_hcd's host+UDC pair, configfs gadgets, FunctionFS."""
    modprobe("configfs", "dummy_hcd", "libcomposite", "usb_f_fs", *extra_mods)
    if not os.path.isdir("/sys/kernel/config/usb_gadget"):
        subprocess.run(["mount", "-t", "configfs", "none", "/sys/kernel/config"], check=True)


class Emu:
    def __init__(self, exe, *args):
        self.proc = subprocess.Popen([exe, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines = []
        self.times = []  # monotonic arrival time of each line
        self.cv = threading.Condition()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()
        self.wait_line("ready", 10)

    def _read(self):
        for line in self.proc.stdout:
            with self.cv:
                self.times.append(time.monotonic())
                self.lines.append(line.rstrip("\n"))
                self.cv.notify_all()
        with self.cv:
            self.lines.append("<eof>")
            self.cv.notify_all()

    def wait_line(self, prefix, timeout=10, start=0):
        """The first line at index >= start that begins with prefix."""
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                for i in range(start, len(self.lines)):
                    if self.lines[i].startswith(prefix):
                        return self.lines[i]
                    if self.lines[i] == "<eof>":
                        raise AssertionError("emulator exited: " + self.proc.stderr.read())
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no %r from the emulator in %.1f s; got %r"
                                         % (prefix, timeout, self.lines[start:][-20:]))
                self.cv.wait(left)

    def mark(self):
        with self.cv:
            return len(self.lines)

    def matching(self, prefix, start=0):
        with self.cv:
            return [ln for ln in self.lines[start:] if ln.startswith(prefix)]

    def cmd(self, line, expect="ok", timeout=10):
        m = self.mark()
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        if expect:
            got = self.wait_line(expect, timeout, m)
            return got
        return None

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
            except BrokenPipeError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def usb_netdev(count=1, timeout=10):
    """The netdevs the kernel's gs_usb made for the emulated device, once
    there are `count` of them (the kernel registers one channel at a time)."""
    def find():
        nets = sorted(os.path.basename(n) for n in glob.glob("/sys/bus/usb/devices/*/net/*"))
        return nets if len(nets) >= count else None
    return wait_until(find, timeout, "%d gs_usb netdev(s)" % count)


def usb_device_present(vid, pid):
    for d in glob.glob("/sys/bus/usb/devices/*"):
        try:
            with open(d + "/idVendor") as f:
                v = f.read().strip()
            with open(d + "/idProduct") as f:
                p = f.read().strip()
        except OSError:
            continue
        if (v, p) == ("%04x" % vid, "%04x" % pid):
            return d
    return None
