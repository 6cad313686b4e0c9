"""Cut the netlink messages out of strace-bridge-6.1.txt into .hex files.

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
    """Datagrams that are not the link dump iproute2 makes to resolve names
    (RTM_GETLINK of family AF_UNSPEC; `vlan show` dumps AF_BRIDGE)."""
    keep, in_link_dump = [], False
    for kind, b in dgrams:
        if kind == "send" and msg_type(b) == RTM_GETLINK and b[16] == 0:
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
    "vlan-add-pvid-untagged.hex": ("bridge vlan add dev veth0 vid 10 pvid untagged", 0),
    "vlan-add-pvid-untagged-reply.hex": ("bridge vlan add dev veth0 vid 10 pvid untagged", 1),
    "vlan-add-range.hex": ("bridge vlan add dev veth0 vid 20-30", 0),
    "vlan-add-self.hex": ("bridge vlan add dev br0 vid 40 self", 0),
    "vlan-del-master.hex": ("bridge vlan del dev veth0 vid 10 master", 0),
    "vlan-add-range-self-master.hex": ("bridge vlan add dev veth0 vid 100-102 untagged self master", 0),
    "vlan-add-tunnel.hex": ("bridge vlan add dev veth0 vid 5 tunnel_info id 1005", 0),
    "vlan-add-tunnel-range.hex": ("bridge vlan add dev veth0 vid 5-7 tunnel_info id 1005-1007", 0),
    "vlan-del-vid0.hex": ("bridge vlan del dev veth0 vid 0", 0),
    "vlan-dump-req.hex": ("bridge vlan show", 0),
    "vlan-dump-reply.hex": ("bridge vlan show", 1),
    "vlan-dump-compressed-req.hex": ("bridge -com vlan show", 0),
}

if __name__ == "__main__":
    secs = sections("strace-bridge-6.1.txt")
    for name, (sec, i) in TABLE.items():
        kind, b = interesting(secs[sec])[i]
        if kind == "send":
            # Dump requests go out as iproute2's whole request buffer (284
            # bytes, zeros after the message); keep the message itself.
            b = b[:int.from_bytes(b[0:4], "little")]
        open(name, "w").write(dump(b))
        print(f"{name}: {kind} {len(b)} bytes, type {msg_type(b)}")
