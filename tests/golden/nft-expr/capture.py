#!/usr/bin/env python3
"""Capture what nft (nftables 1.0.6) sends and receives for the rules of
commands.txt, inside a throwaway network namespace (run as root from this
folder: `python3 capture.py`). Writes:

- requests.txt: `CHAIN<TAB>RULE<TAB>HEX` per command, HEX the NFT_MSG_NEWRULE
  message out of nft's batch (strace -f -xx -e trace=sendmsg -e write=all),
  sequence number and port id zeroed;
- debug.txt: `nft --debug=netlink add rule ...` for each command;
- dump.txt: the NFT_MSG_NEWRULE messages of `nft list ruleset`'s replies
  (strace -e trace=recvmsg -e read=all), one hex line each, in order;
- listing.txt: `nft -a list ruleset` after all commands.
"""
import os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
ns = "nftexpr-capture-%d" % os.getpid()
NEWRULE = (10 << 8) | 6
sys.path.insert(0, os.path.dirname(here))
from nft_capture import nft, datagrams, messages, mtype  # noqa: E402

subprocess.run(["ip", "netns", "add", ns], check=True)
try:
    nft(ns, ["add", "table", "ip", "rawnetx"])
    nft(ns, ["add", "table", "inet", "rawnety"])
    for fam, t in (("ip", "rawnetx"), ("inet", "rawnety")):
        nft(ns, ["add", "chain", fam, t, "c"])
        nft(ns, ["add", "chain", fam, t, "other"])
        nft(ns, ["add", "chain", fam, t, "post", "{ type nat hook postrouting priority srcnat; }"])
        nft(ns, ["add", "chain", fam, t, "pre", "{ type nat hook prerouting priority dstnat; }"])
    reqs, debug = [], []
    for line in open(os.path.join(here, "commands.txt")):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        chain, rule = line.split("\t")
        fam, t = "ip", "rawnetx"
        if chain.startswith("inet:"):
            fam, t, chain = "inet", "rawnety", chain[5:]
        args = ["add", "rule", fam, t, chain] + [rule]
        r = nft(ns, args, strace="sendmsg")
        found = [bytearray(m) for d in datagrams(r.stderr, "sendmsg") for m in messages(d)
                 if mtype(m) == NEWRULE]
        if len(found) != 1:
            sys.exit("want one NEWRULE for %s, got %d" % (line, len(found)))
        m = found[0]
        m[8:16] = bytes(8)
        reqs.append("%s\t%s\t%s" % (line.split("\t")[0], rule, m.hex()))
        # the same rule again, for the debug text (nft -f would not print it)
        handles = re.findall(r"# handle (\d+)", nft(ns, ["-a", "list", "chain", fam, t, chain]).stdout)
        nft(ns, ["delete", "rule", fam, t, chain, "handle", handles[-1]])
        d = nft(ns, ["--debug=netlink"] + args)
        debug.append("### %s\n%s" % (" ".join(args), d.stdout))
    open(os.path.join(here, "requests.txt"), "w").write("\n".join(reqs) + "\n")
    open(os.path.join(here, "debug.txt"), "w").write("".join(debug))
    r = nft(ns, ["list", "ruleset"], strace="recvmsg")
    rules = [m.hex() for d in datagrams(r.stderr, "recvmsg") for m in messages(d)
             if mtype(m) == NEWRULE]
    open(os.path.join(here, "dump.txt"), "w").write("\n".join(rules) + "\n")
    open(os.path.join(here, "listing.txt"), "w").write(nft(ns, ["-a", "list", "ruleset"]).stdout)
finally:
    subprocess.run(["ip", "netns", "del", ns])
