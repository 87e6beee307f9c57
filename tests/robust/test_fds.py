# SPDX-License-Identifier: MIT
"""Out of file descriptors (issue 19, D8): evgwd under a low RLIMIT_NOFILE
(set in the child before exec, as prlimit would) with more clients than it
can hold.

Before issue 19 (the report's reproduction): accept() failed with EMFILE,
the listening socket stayed readable and the loop spun: 100 % CPU and a
log line per try (131 MB of log in 5 s).
"""

import socket
import time

from robust import RobustCase, figure, main, wait_until

NOFILE = 48
CLIENTS = 60


class FdsTest(RobustCase):
    def test_out_of_descriptors(self):
        d = self.daemon(demo=True, nofile=NOFILE)
        held = []
        for _ in range(CLIENTS):  # the last ones wait in the listen queue
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(2)
            s.connect(d.sock)
            held.append(s)
        self.addCleanup(lambda: [s.close() for s in held])
        wait_until(lambda: "cannot accept a client" in d.log_text(), 5, "the shortage to be said")
        cpu0, t0 = d.cpu_s(), time.monotonic()
        time.sleep(2.0)
        cpu = (d.cpu_s() - cpu0) / (time.monotonic() - t0)
        log = d.log_text()
        figure("out of descriptors (RLIMIT_NOFILE %d, %d clients): daemon CPU %.1f %%, %d log lines "
               "about it in 2 s" % (NOFILE, CLIENTS, cpu * 100, log.count("cannot accept")))
        self.assertLess(cpu, 0.25, "the loop spins")
        self.assertEqual(log.count("cannot accept a client: Too many open files"), 1, log)
        # A client that was accepted is still served.
        held[0].sendall(b'{"cmd":"status","id":1}\n')
        self.assertIn(b'"ok":true', held[0].recv(4096))
        # Clients leave: the waiting ones are taken, and a new one served.
        for s in held[:40]:
            s.close()
        c = self.client(d, timeout=5)
        self.assertEqual(c.call("status")["daemon"], "evgwd")
        for s in held[40:]:
            s.close()
        wait_until(lambda: "accepting clients again" in d.log_text(), 5, "the end of the shortage to be said")
        self.assertEqual(d.log_text().count("cannot accept a client"), 1)


if __name__ == "__main__":
    main(__name__)
