#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A socket client the robustness tests run as another user (setpriv).

usage: users_client.py SOCKET [--pipeline] < REQUESTS

REQUESTS: one JSON request object per line (ids are added: 1, 2, ...).
Prints one JSON line per request, its reply, in request order; with
--pipeline every request is sent before any reply is read. A connection
that fails prints {"connect_error": "..."} and exits 3.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evgw_client import EvgwClient  # noqa: E402


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    pipeline = "--pipeline" in sys.argv[2:]
    reqs = [json.loads(line) for line in sys.stdin if line.strip()]
    try:
        c = EvgwClient(sys.argv[1], timeout=30.0)
    except OSError as e:
        print(json.dumps({"connect_error": "%s: %s" % (type(e).__name__, e)}))
        return 3
    for i, r in enumerate(reqs, 1):
        r["id"] = i
    if pipeline:
        for r in reqs:
            c.send(r)
        replies = [c.read_reply(r["id"]) for r in reqs]
    else:
        replies = []
        for r in reqs:
            c.send(r)
            replies.append(c.read_reply(r["id"]))
    for rep in replies:
        print(json.dumps(rep))
    c.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
