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
import os, re, shlex, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
BATCH = {0x10, 0x11}

def nft(ns, args, strace=False):
    cmd = ["ip", "netns", "exec", ns]
    if strace:
        cmd += ["strace", "-f", "-xx", "-s", "65536", "-e", "trace=sendmsg", "-e", "write=all"]
    r = subprocess.run(cmd + ["nft"] + args, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("nft %s failed:\n%s" % (" ".join(args), r.stderr))
    return r

def datagrams(text):
    out, cur = [], None
    for l in text.splitlines():
        if re.match(r"(\[pid +\d+\] )?sendmsg\(", l):
            if cur:
                out.append(bytes(cur))
            cur = bytearray()
            continue
        m = re.match(r" \| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})", l)
        if m and cur is not None:
            cur.extend(bytes.fromhex(m.group(1).replace(" ", "")))
    if cur:
        out.append(bytes(cur))
    return out

def messages(d):
    i = 0
    while i + 16 <= len(d):
        n = int.from_bytes(d[i:i + 4], "little")
        if n < 16 or i + n > len(d):
            break
        yield d[i:i + n]
        i += (n + 3) & ~3

ns = "nftlab-capture-%d" % os.getpid()
subprocess.run(["ip", "netns", "add", ns], check=True)
try:
    lines = [l.rstrip("\n") for l in open(os.path.join(here, "commands.txt"))
             if l.strip() and not l.startswith("#")]
    reqs = []
    for line in lines:
        r = nft(ns, shlex.split(line), strace=True)
        found = []
        for d in datagrams(r.stderr):
            for m in messages(d):
                t = int.from_bytes(m[4:6], "little")
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
