#!/usr/bin/env python3
"""Capture what nft (nftables 1.0.6) sends for the nft commands the nat and
service labs print (commands.txt), inside a throwaway network namespace (run
as root from this folder: `python3 capture.py`). Each command is split as a
shell splits the printed line (shlex), so nft gets what a user typing it
would give it. Writes:

- requests.txt: `COMMAND<TAB>HEX<TAB>HEX...` per command, each HEX one
  nf_tables message of nft's batch (strace -f -xx -e trace=sendmsg
  -e write=all), batch begin/end left out, sequence number and port id zeroed;
- listing.txt: `nft list ruleset` after all commands.
"""
import os, shlex, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
BATCH = {0x10, 0x11}
sys.path.insert(0, os.path.dirname(here))
from nft_capture import nft, datagrams, messages, mtype  # noqa: E402

ns = "nftlab-capture-%d" % os.getpid()
subprocess.run(["ip", "netns", "add", ns], check=True)
try:
    lines = [l.rstrip("\n") for l in open(os.path.join(here, "commands.txt"))
             if l.strip() and not l.startswith("#")]
    reqs = []
    for line in lines:
        r = nft(ns, shlex.split(line), strace="sendmsg")
        found = []
        for d in datagrams(r.stderr, "sendmsg"):
            for m in messages(d):
                t = mtype(m)
                if t >> 8 != 10 or t in BATCH:
                    continue
                m = bytearray(m)
                m[8:16] = bytes(8)
                found.append(m.hex())
        reqs.append("\t".join([line] + found))
    open(os.path.join(here, "requests.txt"), "w").write("\n".join(reqs) + "\n")
    open(os.path.join(here, "listing.txt"), "w").write(nft(ns, ["list", "ruleset"]).stdout)
finally:
    subprocess.run(["ip", "netns", "del", ns])
