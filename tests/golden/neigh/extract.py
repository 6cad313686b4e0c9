"""Cut the netlink messages out of strace-iproute2-6.1.txt into .hex files.

Usage: python3 extract.py   (run in this directory; rewrites the .hex files)

Each section starts with "### <command>". Within it, every sendmsg/sendto and
recvmsg with a hex dump ("| 00000  ..." lines) is one datagram; the table
below picks datagrams by section and by their position among the section's
datagrams that are not iproute2's own link-name dump (ll_init_map). Sent
datagrams are cut to their nlmsg_len.
"""
import re

RTM_GETLINK, RTM_NEWLINK = 18, 16

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

def msg_type(b):
    return int.from_bytes(b[4:6], "little")

def interesting(dgrams):
    """Datagrams that are not the link dump iproute2 makes to resolve names."""
    keep, in_link_dump = [], False
    for kind, b in dgrams:
        if kind == "send" and msg_type(b) == RTM_GETLINK:
            in_link_dump = True
            continue
        if kind == "send":
            in_link_dump = False
        if in_link_dump and kind == "recv":
            continue
        keep.append((kind, bytes(b)))
    return keep

def dump(b):
    return "\n".join(" ".join(f"{x:02x}" for x in b[i:i + 16]) for i in range(0, len(b), 16)) + "\n"

# file name -> (section, index among interesting datagrams)
TABLE = {
    "neigh-add-v4.hex": ("ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent", 0),
    "neigh-replace-reachable.hex": ("ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud reachable", 0),
    "neigh-del-v4.hex": ("ip neigh del 10.0.0.2 dev veth0", 0),
    "neigh-del-missing-reply.hex": ("ip neigh del 10.0.0.2 dev veth0", 1),
    "neigh-add-v6.hex": ("ip -6 neigh add fd00::2 lladdr 02:00:00:00:00:02 dev veth0", 0),
    "neigh-add-proxy.hex": ("ip neigh add proxy 10.0.0.9 dev veth0", 0),
    "neigh-add-stale-router.hex": ("ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale router", 0),
    "neigh-dump-req.hex": ("ip neigh show", 0),
    "neigh-dump-reply.hex": ("ip neigh show", 1),
    "neigh-dump-proxy-req.hex": ("ip neigh show proxy", 0),
    "neigh-dump-proxy-reply.hex": ("ip neigh show proxy", 1),
    "neigh-dump-dev-req.hex": ("ip neigh show dev veth0", 0),
    "fdb-add-vxlan.hex": ("bridge fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2 self permanent", 0),
    "fdb-append-zero.hex": ("bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.3 self permanent", 0),
    "fdb-add-vni-port.hex": ("bridge fdb add 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790 self permanent", 0),
    "fdb-del-vni-port.hex": ("bridge fdb del 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790 self", 0),
    "fdb-del-missing.hex": ("bridge fdb del 02:00:00:00:00:0a dev vx0 self", 0),
    "fdb-del-missing-reply.hex": ("bridge fdb del 02:00:00:00:00:0a dev vx0 self", 1),
    "fdb-add-master.hex": ("bridge fdb add 02:00:00:00:00:0b dev veth0 master", 0),
    "fdb-replace-master-static.hex": ("bridge fdb replace 02:00:00:00:00:0c dev veth0 master static", 0),
    "fdb-dump-req.hex": ("bridge fdb show", 0),
    "fdb-dump-reply.hex": ("bridge fdb show", 1),
    "fdb-dump-dev-req.hex": ("bridge fdb show dev vx0", 0),
}

if __name__ == "__main__":
    secs = sections("strace-iproute2-6.1.txt")
    for name, (sec, i) in TABLE.items():
        kind, b = interesting(secs[sec])[i]
        if kind == "send":
            # Dump requests go out as iproute2's whole request buffer (284
            # bytes, zeros after the message); keep the message itself.
            b = b[:int.from_bytes(b[0:4], "little")]
        open(name, "w").write(dump(b))
        print(f"{name}: {kind} {len(b)} bytes, type {msg_type(b)}")
