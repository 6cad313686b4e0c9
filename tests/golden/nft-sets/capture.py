#!/usr/bin/env python3
"""Capture what nft (nftables 1.0.6) sends and receives for the commands of
commands.txt, inside a throwaway network namespace (run as root from this
folder: `python3 capture.py`). Writes:

- requests.txt: `COMMAND<TAB>HEX<TAB>HEX...` per command, each HEX one
  nf_tables message out of nft's batch (strace -f -xx -e trace=sendmsg
  -e write=all), batch begin/end left out, sequence number and port id zeroed;
- debug.txt: `nft --debug=netlink` of each command (run again in a second
  namespace with the same setup);
- dump.txt: the NEWSET, NEWSETELEM and NEWRULE messages of `nft list
  ruleset`'s replies (strace -e trace=recvmsg -e read=all), one hex line each;
- listing.txt: `nft -a list ruleset` after all commands.
"""
import os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
KEEP_OUT = {0x10, 0x11}  # batch begin/end
sys.path.insert(0, os.path.dirname(here))
from nft_capture import nft, datagrams, messages, mtype  # noqa: E402

def setup(ns):
    subprocess.run(["ip", "netns", "add", ns], check=True)
    for c in ("add table ip rawnets", "add table inet rawnetsi", "add chain ip rawnets c",
              "add chain ip rawnets svc1", "add chain inet rawnetsi c",
              "add chain ip rawnets pre { type nat hook prerouting priority dstnat; }"):
        nft(ns, c.split(" ", 4) if "{" in c else c.split())

def words(line):
    # `add rule FAMILY TABLE CHAIN REST` -> REST one argument, as a shell would pass 'REST'
    w = line.split()
    n = 5 if w[1] == "rule" else 4
    return w[:n] + [" ".join(w[n:])] if len(w) > n else w

ns = "nftsets-capture-%d" % os.getpid()
ns2 = ns + "-d"
setup(ns)
setup(ns2)
try:
    lines = [l.rstrip("\n") for l in open(os.path.join(here, "commands.txt"))
             if l.strip() and not l.startswith("#")]
    reqs, debug = [], []
    for line in lines:
        r = nft(ns, words(line), strace="sendmsg")
        found = []
        for d in datagrams(r.stderr, "sendmsg"):
            for m in messages(d):
                if mtype(m) >> 8 != 10 or mtype(m) in KEEP_OUT:
                    continue
                m = bytearray(m)
                m[8:16] = bytes(8)
                found.append(m.hex())
        reqs.append("\t".join([line] + found))
        d = nft(ns2, ["--debug=netlink"] + words(line))
        debug.append("### %s\n%s" % (line, d.stdout))
    open(os.path.join(here, "requests.txt"), "w").write("\n".join(reqs) + "\n")
    open(os.path.join(here, "debug.txt"), "w").write("".join(debug))
    r = nft(ns, ["list", "ruleset"], strace="recvmsg")
    keep = {(10 << 8) | t for t in (6, 9, 12)}
    dump = [m.hex() for d in datagrams(r.stderr, "recvmsg") for m in messages(d)
            if mtype(m) in keep]
    open(os.path.join(here, "dump.txt"), "w").write("\n".join(dump) + "\n")
    open(os.path.join(here, "listing.txt"), "w").write(nft(ns, ["-a", "list", "ruleset"]).stdout)
finally:
    subprocess.run(["ip", "netns", "del", ns])
    subprocess.run(["ip", "netns", "del", ns2])
