"""Cut netlink datagrams out of a strace capture into .hex files.

Shared by the extract.py scripts of the folders beside it; each has the
capture (a text of sections that start with "### <command>", made by its
capture.sh with `strace -f -xx -e trace=sendmsg,sendto,recvmsg -X raw
-e write=all -e read=all`) and a table: file name -> (section, index).

Within a section every sendmsg/sendto and recvmsg with a hex dump
("| 00000  ..." lines) is one datagram; the index counts the section's
datagrams that are not iproute2's own link-name dump (ll_init_map, an
RTM_GETLINK of family AF_UNSPEC), unless skip_link_dump is False. Sent
datagrams are cut to their nlmsg_len (iproute2 sends its whole request
buffer for dumps).
"""
import re

RTM_GETLINK = 18


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


def without_link_dump(dgrams):
    """The datagrams that are not the link dump iproute2 makes to resolve names."""
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


def hex_text(b):
    return "\n".join(" ".join(f"{x:02x}" for x in b[i:i + 16]) for i in range(0, len(b), 16)) + "\n"


def cut(capture, table, skip_link_dump=True):
    """Write each file of `table` from `capture`, in the current directory."""
    secs = sections(capture)
    for name, (sec, i) in table.items():
        dgrams = secs[sec]
        if skip_link_dump:
            dgrams = without_link_dump(dgrams)
        kind, b = dgrams[i]
        b = bytes(b)
        if kind == "send":
            b = b[:int.from_bytes(b[0:4], "little")]
        open(name, "w").write(hex_text(b))
        print(f"{name}: {kind} {len(b)} bytes, type {msg_type(b)}")
