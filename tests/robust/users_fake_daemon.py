#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Another user posing as evgwd (issue 19, D5): listens on SOCKET, writes
every line it is sent to LOG and answers each with an empty success, the
way a spoofer would say "no faults" or "cleared".

usage: users_fake_daemon.py SOCKET LOG
"""

import json
import os
import socket
import sys


def main():
    path, log = sys.argv[1], sys.argv[2]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    os.chmod(path, 0o777)
    srv.listen(8)
    with open(log, "a") as out:
        out.write("listening\n")
        out.flush()
        while True:
            conn, _ = srv.accept()
            with conn, conn.makefile("rw") as f:
                for line in f:
                    out.write(line)
                    out.flush()
                    try:
                        rid = json.loads(line).get("id")
                    except ValueError:
                        rid = None
                    f.write(json.dumps({"type": "reply", "id": rid, "ok": True, "result": []}) + "\n")
                    f.flush()


if __name__ == "__main__":
    sys.exit(main())
