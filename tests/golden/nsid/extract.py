#!/usr/bin/env python3
"""Cut the .hex files out of strace-iproute2-6.1.txt: each is the hex dump that
follows the strace line whose number is given (1-based)."""
import re

FILES = {
    "nsid-set-5.hex": 2,
    "nsid-set-auto.hex": 15,
    "nsid-get-fd.hex": 29,
    "nsid-dump-req.hex": 56,
    "nsid-dump-reply.hex": 60,
    "nsid-dump-target-req.hex": 98,
    "nsid-dump-target-reply.hex": 102,
    "nsid-get-nsid-target-req.hex": 138,
    "nsid-get-nsid-target-reply.hex": 144,
}

lines = open("strace-iproute2-6.1.txt").read().split("\n")
for name, start in FILES.items():
    out = []
    for line in lines[start:]:
        if line.startswith(" * "):
            continue
        m = re.match(r" \| [0-9a-f]{5}  (.{48})", line)
        if not m:
            break
        out.append(" ".join(m.group(1).split()))
    with open(name, "w") as f:
        f.write("\n".join(out) + "\n")
