#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""README's Layout section names every directory of the tree: each
top-level directory, each under gateway/ and each under tests/ (as tracked
by git). Exit status 1 lists the ones it leaves out."""
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
files = subprocess.check_output(["git", "-C", root, "ls-files"], text=True).split()
dirs = set()
for f in files:
    parts = f.split("/")
    if len(parts) > 1 and not parts[0].startswith("."):
        dirs.add(parts[0] + "/")
    if len(parts) > 2 and parts[0] in ("gateway", "tests"):
        dirs.add(parts[0] + "/" + parts[1] + "/")
with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
    readme = f.read()
layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
missing = sorted(d for d in dirs if d not in layout and d.rstrip("/") + "/" not in layout.replace("  ", " "))
# A directory named inside another's line ("tests/common/") counts too.
missing = [d for d in missing if (" " + d) not in layout and ("/" + d.split("/", 1)[-1]) not in layout]
if missing:
    print("README.md's Layout leaves out: " + ", ".join(missing), file=sys.stderr)
    sys.exit(1)
