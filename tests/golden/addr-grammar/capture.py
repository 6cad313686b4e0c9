#!/usr/bin/env python3
"""Capture the RTM_NEWADDR/RTM_DELADDR request iproute2 6.1 sends for each
command in commands.txt, inside a throwaway namespace (run as root:
`python3 capture.py > requests.txt`). Output: one `ARGS<TAB>HEX` line per
command, HEX the request with sequence number and port id zeroed."""
import re, subprocess, sys, os

ns = "addr-grammar-capture-%d" % os.getpid()
def ip(*a):
    subprocess.run(["ip", "-n", ns] + list(a), check=True)
subprocess.run(["ip", "netns", "add", ns], check=True)
try:
    ip("link", "set", "lo", "up")
    ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1")  # veth1 2, veth0 3
    ip("link", "set", "veth0", "up")
    for line in open(os.path.join(os.path.dirname(__file__) or ".", "commands.txt")):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        args = line.split()
        r = subprocess.run(["strace", "-f", "-xx", "-s", "4096", "-e", "trace=sendmsg",
                            "-e", "write=3", "ip", "-n", ns] + args,
                           capture_output=True, text=True)
        # Each sendmsg on fd 3 is followed by its hex dump: " | 00000  28 00 ... |".
        reqs, cur = [], None
        for l in r.stderr.splitlines():
            if l.startswith(" * "):
                continue
            m = re.match(r" \| [0-9a-f]{5}  ", l)
            if m and cur is not None:
                cur.extend(bytes.fromhex(l[10:59].replace(" ", "")))
            else:
                if cur:
                    reqs.append(bytes(cur))
                cur = bytearray() if l.startswith("sendmsg(3,") else None
        if cur:
            reqs.append(bytes(cur))
        reqs = [b for b in reqs if len(b) >= 16 and int.from_bytes(b[4:6], "little") in (20, 21)]
        if not reqs:
            sys.exit("no request for %s:\n%s" % (line, r.stderr))
        b = bytearray(reqs[-1])
        b[8:16] = bytes(8)
        print("%s\t%s" % (line, b.hex()))
finally:
    subprocess.run(["ip", "netns", "del", ns])
