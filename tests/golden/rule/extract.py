"""Cut the netlink messages out of strace-iproute2-6.1.txt into .hex files.

Usage: python3 extract.py   (run in this directory; rewrites the .hex files)

Each section starts with "### <command>". Within it, every sendmsg/sendto and
recvmsg with a hex dump ("| 00000  ..." lines) is one datagram; the table
below picks datagrams by section and position. Sent datagrams are cut to
their nlmsg_len.
"""
import re

def sections(path):
    out, cur, dgram, kind = {}, None, None, None
    for line in open(path):
        if line.startswith("### "):
            cur = line[4:].strip()
            out[cur] = []
            continue
        if cur is None:
            continue
        m = re.match(r"(sendmsg|sendto|recvmsg)\(", line)
        if m:
            kind = "send" if m.group(1) != "recvmsg" else "recv"
            dgram = None
            continue
        m = re.match(r" \| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})", line)
        if m:
            if dgram is None:
                dgram = bytearray()
                out[cur].append((kind, dgram))
            dgram.extend(bytes.fromhex(m.group(1).replace(" ", "")))
    return out

def dump(b):
    return "\n".join(" ".join(f"{x:02x}" for x in b[i:i + 16]) for i in range(0, len(b), 16)) + "\n"

# file name -> (section, index among the section's datagrams)
TABLE = {
    "rule-add-from-table-pref.hex": ("ip rule add from 10.0.0.0/8 table 100 pref 100", 0),
    "rule-add-full.hex": ("ip rule add not from 10.1.0.0/16 to 192.168.1.1 priority 200 fwmark 0x10/0xff protocol static lookup main suppress_prefixlength 0 iif veth0 oif veth1", 0),
    "rule-add-big-table-ports.hex": ("ip rule add fwmark 5 table 1000 uidrange 10-20 ipproto tcp sport 80 dport 1000-2000", 0),
    "rule-add-tos-blackhole.hex": ("ip rule add tos 0x10 blackhole", 0),
    "rule-add-goto.hex": ("ip rule add pref 50 goto 32766", 0),
    "rule-add-from-all-prohibit.hex": ("ip rule add from all prohibit", 0),
    "rule-add-l3mdev.hex": ("ip rule add pref 300 l3mdev", 0),
    "rule-add-v6.hex": ("ip -6 rule add from 2001:db8::/32 pref 10 table 7", 0),
    "rule-del-pref.hex": ("ip rule del pref 100", 0),
    "rule-del-missing-reply.hex": ("ip rule del from 10.0.0.0/8 table 100", 1),
    "rule-del-v6.hex": ("ip -6 rule del from 2001:db8::/32", 0),
    "rule-dump-req.hex": ("ip rule show", 0),
    "rule-dump-reply.hex": ("ip rule show", 1),
    "rule-dump-v6-req.hex": ("ip -6 rule show", 0),
}

if __name__ == "__main__":
    secs = sections("strace-iproute2-6.1.txt")
    for name, (sec, i) in TABLE.items():
        kind, b = secs[sec][i]
        if kind == "send":
            b = b[:int.from_bytes(b[0:4], "little")]
        open(name, "w").write(dump(bytes(b)))
        print(f"{name}: {kind} {len(b)} bytes, type {int.from_bytes(b[4:6], 'little')}")
