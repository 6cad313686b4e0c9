#!/usr/bin/env bash
# Regenerates link-dump.bin and route-dump.bin: the datagrams iproute2 receives
# for `ip link show` and `ip route show` in a namespace with 50 veth pairs,
# read from strace's hex dump of fd 3 (the netlink socket). Run as root.
set -euo pipefail
cd "$(dirname "$0")"
ns=rncap$$
trap 'ip netns del $ns 2>/dev/null || true' EXIT
ip netns add $ns
ip -n $ns link set lo up
for i in $(seq 0 49); do
  ip -n $ns link add v$i type veth peer name p$i
  ip -n $ns link set v$i up
  ip -n $ns link set p$i up
  ip -n $ns addr add 10.0.$i.1/24 dev v$i
  ip -n $ns route add 172.16.$i.0/24 via 10.0.$i.2
done
strace -e trace=recvmsg -e read=3 -o link.strace ip -n $ns link show >/dev/null
strace -e trace=recvmsg -e read=3 -o route.strace ip -n $ns route show >/dev/null
python3 - <<'PY'
import re
for name in ("link", "route"):
    datagrams, cur = [], None
    for line in open(f"{name}.strace"):
        if line.startswith(" * "):
            cur = bytearray(); datagrams.append(cur)
        elif line.startswith(" | ") and cur is not None:
            hexpart = line[3:].split("  ", 1)[1][:49]
            cur.extend(bytes.fromhex(hexpart.replace(" ", "")))
    # keep the dump: datagrams whose first message is not NLMSG_ERROR (2)
    keep = [d for d in datagrams if len(d) >= 16 and int.from_bytes(d[4:6], "little") != 2]
    open(f"{name}-dump.bin", "wb").write(b"".join(keep))
    print(name, len(keep), "datagrams", sum(map(len, keep)), "bytes")
PY
rm -f link.strace route.strace
