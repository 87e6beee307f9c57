#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A pure-Python decoder beside evgw decode, for the speed comparison.

usage: canmatrix_decode.py DBC < candump.log > text

cantools (the peer issue 15 names) is not packaged by Debian and PyPI is
out of reach here; Debian's python3-canmatrix is a decoder of the same
kind (a DBC parsed into Python objects, each frame unpacked in Python). This
prints one line per frame that the DBC knows, its signals as name=value, as
`cantools decode --single-line` and `evgw decode` do, so the three do the
same work: read the log, find the message, unpack every signal, format it.
"""
import sys

import canmatrix
import canmatrix.formats


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    db = canmatrix.formats.loadp_flat(sys.argv[1])
    frames = {}
    for fr in db.frames:
        frames[(fr.arbitration_id.id, fr.arbitration_id.extended)] = fr
    out = sys.stdout
    for line in sys.stdin:
        # (1764340001.010000) can0 123#1122334455667788
        parts = line.split()
        if len(parts) < 3 or "#" not in parts[2]:
            continue
        ident, _, data = parts[2].partition("#")
        if data.startswith("#"):  # CAN FD: ##<flags><data>
            data = data[2:]
        fr = frames.get((int(ident, 16), len(ident) > 3))
        if fr is None:
            continue
        decoded = fr.decode(bytearray.fromhex(data))
        out.write("%s %s %s(%s)\n" % (parts[0], parts[1], fr.name, ", ".join(
            "%s: %s" % (name, sig.phys_value) for name, sig in decoded.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
