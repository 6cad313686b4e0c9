"""What the nft capture scripts (nft-expr, nft-sets, nft-lab: capture.py)
share: running nft in a namespace, optionally under strace, and cutting the
netlink datagrams and messages out of strace's hex dumps.
"""
import re, subprocess, sys


def nft(ns, args, strace=None):
    """`nft ARGS` in namespace `ns`; with strace "sendmsg" or "recvmsg",
    under strace dumping what that call writes or reads. Exits on failure."""
    cmd = ["ip", "netns", "exec", ns]
    if strace:
        cmd += ["strace", "-f", "-xx", "-s", "65536", "-e", "trace=" + strace,
                "-e", ("write" if strace == "sendmsg" else "read") + "=all"]
    r = subprocess.run(cmd + ["nft"] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("nft %s failed:\n%s" % (" ".join(args), r.stderr))
    return r


def datagrams(text, call):
    """The datagrams of each `call` (sendmsg, recvmsg) in strace's output."""
    out, cur = [], None
    for l in text.splitlines():
        if re.match(r"(\[pid +\d+\] )?%s\(" % call, l):
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
    """The netlink messages of datagram `d`."""
    i = 0
    while i + 16 <= len(d):
        n = int.from_bytes(d[i:i + 4], "little")
        if n < 16 or i + n > len(d):
            break
        yield d[i:i + n]
        i += (n + 3) & ~3


def mtype(m):
    return int.from_bytes(m[4:6], "little")
