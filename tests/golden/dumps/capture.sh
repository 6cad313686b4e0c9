#!/usr/bin/env bash
# Regenerates the dump captures of this directory: the datagrams the kernel sent
# to iproute2 (read from strace's hex dump of fd 3, the netlink socket).
#
#   capture.sh [NAME...]    NAME: link route addr neigh fdb ext-ack (default: all)
#
# Run as root. Everything happens in namespaces this script creates with unique
# names (rncap<pid>, rncapb<pid>) and removes on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(link route addr neigh fdb ext-ack)
ns=rncap$$
peer=rncapb$$
trap 'ip netns del $ns 2>/dev/null || true; ip netns del $peer 2>/dev/null || true; rm -f ./*.strace' EXIT

# strace one command: what it sent and received on fd 3, as hex dumps.
trace() {
  local out=$1
  shift
  strace -xx -e trace=sendmsg,sendto,recvmsg -e write=3 -e read=3 -o "$out" "$@" >/dev/null 2>&1 || true
}

# Cut datagrams out of strace files into BIN.
#   extract BIN answers TYPE STRACE...  received datagrams answering a request of TYPE
#   extract BIN errors STRACE...        received datagrams that are NLMSG_ERROR
extract() {
  python3 - "$@" <<'PY'
import re, sys
out, mode = sys.argv[1], sys.argv[2]
want = int(sys.argv[3]) if mode == "answers" else None
files = sys.argv[4:] if mode == "answers" else sys.argv[3:]
kept = []
for path in files:
    datagrams, cur, kind = [], None, None
    for line in open(path):
        m = re.match(r"(sendmsg|sendto|recvmsg)\(", line)
        if m:
            kind = "recv" if m.group(1) == "recvmsg" else "send"
            cur = None
            continue
        m = re.match(r" \| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})", line)
        if m:
            if cur is None:
                cur = bytearray()
                datagrams.append((kind, cur))
            cur.extend(bytes.fromhex(m.group(1).replace(" ", "")))
    asked = None
    for kind, d in datagrams:
        if len(d) < 16:
            continue
        msg_type = int.from_bytes(d[4:6], "little")
        if kind == "send":
            asked = msg_type
        elif mode == "answers" and asked == want:
            kept.append(bytes(d))
        elif mode == "errors" and msg_type == 2:
            kept.append(bytes(d))
open(out, "wb").write(b"".join(kept))
print(out, len(kept), "datagrams", sum(map(len, kept)), "bytes")
PY
}

# link, route: lo and 50 veth pairs, each with an IPv4 address and a route via a gateway.
capture_link_route() {
  ip netns add $ns
  ip -n $ns link set lo up
  for i in $(seq 0 49); do
    ip -n $ns link add v$i type veth peer name p$i
    ip -n $ns link set v$i up
    ip -n $ns link set p$i up
    ip -n $ns addr add 10.0.$i.1/24 dev v$i
    ip -n $ns route add 172.16.$i.0/24 via 10.0.$i.2
  done
  if want link; then
    trace link.strace ip -n $ns link show
    extract link-dump.bin answers 18 link.strace
  fi
  if want route; then
    trace route.strace ip -n $ns route show
    extract route-dump.bin answers 26 route.strace
  fi
  ip netns del $ns
}

# addr, neigh, fdb, ext-ack: namespace A ($ns) joined to B ($peer) by a0-b0
# (a routed link) and a1-p1 (a1 a port of A's bridge br0); vxlan devices on a0.
build_pair() {
  ip netns add $ns
  ip netns add $peer
  local a="ip -n $ns" b="ip -n $peer"
  $a link set lo up
  $b link set lo up
  $a link add a0 type veth peer name b0 netns $peer
  $a link add br0 type bridge
  $a link add a1 type veth peer name p1 netns $peer
  $a link set a1 master br0
  for d in a0 a1 br0; do $a link set $d up; done
  for d in b0 p1; do $b link set $d up; done
  $a addr add 10.1.0.1/24 dev a0
  $a addr add fd01::1/64 dev a0 nodad
  $b addr add 10.1.0.2/24 dev b0
  $b addr add fd01::2/64 dev b0 nodad
  $a addr add 10.1.5.1/24 dev br0
  $b addr add 10.1.5.2/24 dev p1
}

# addr: IPv4 with broadcast, label, secondary, peer, metric; IPv6 with lifetimes,
# deprecated, nodad, noprefixroute, mngtmpaddr, home; link-local addresses of every link.
capture_addr() {
  local a="ip -n $ns"
  for i in $(seq 0 9); do
    $a link add e$i type veth peer name f$i
    $a link set e$i up
    $a addr add 10.2.$i.1/24 broadcast + label e$i:x dev e$i
    $a addr add 10.2.$i.2/24 dev e$i
    $a addr add 10.3.$i.1 peer 10.3.$i.2/32 dev e$i
    $a addr add 10.4.$i.1/24 dev e$i metric 50
    $a addr add fd02:$i::1/64 dev e$i nodad
    $a addr add fd03:$i::1/64 dev e$i nodad valid_lft 3600 preferred_lft 1800
    $a addr add fd04:$i::1/64 dev e$i nodad preferred_lft 0
    $a addr add fd05:$i::1/64 dev e$i nodad noprefixroute mngtmpaddr home
  done
  trace addr.strace $a addr show
  extract addr-dump.bin answers 22 addr.strace
}

# neigh: entries learned by pinging B, and added ones in every state, a router,
# extern_learn, protocol, proxies (ip neigh show, then ip neigh show proxy).
capture_neigh() {
  local a="ip -n $ns"
  ip netns exec $ns ping -c1 -W2 10.1.0.2 >/dev/null || true
  ip netns exec $ns ping -6 -c1 -W2 fd01::2 >/dev/null || true
  local i=10
  for s in permanent reachable stale noarp delay probe failed incomplete none; do
    i=$((i + 1))
    $a neigh add 10.1.0.$i lladdr 02:00:00:00:01:$i dev a0 nud $s
    $a -6 neigh add fd01::$i lladdr 02:00:00:00:02:$i dev a0 nud $s
  done
  $a neigh add 10.1.0.30 dev a0 nud incomplete
  $a -6 neigh add fd01::30 lladdr 02:00:00:00:02:30 dev a0 router nud permanent
  $a neigh add 10.1.0.31 lladdr 02:00:00:00:01:31 dev a0 extern_learn
  $a neigh add 10.1.0.32 lladdr 02:00:00:00:01:32 dev a0 protocol static
  $a neigh add proxy 10.1.0.50 dev a0
  $a -6 neigh add proxy fd01::50 dev a0
  trace neigh.strace $a neigh show
  trace neigh-proxy.strace $a neigh show proxy
  extract neigh-dump.bin answers 30 neigh.strace neigh-proxy.strace
}

# fdb: the bridge's and its port's entries (one learned from B's traffic, static,
# dynamic, permanent, extern_learn) and vxlan remotes (IPv4 and IPv6 dst, port,
# vni, via), plus every link's own multicast entries.
capture_fdb() {
  local a="ip -n $ns"
  ip netns exec $peer ping -c1 -W2 10.1.5.1 >/dev/null || true
  bridge -n $ns fdb add 02:00:00:00:03:01 dev a1 master static
  bridge -n $ns fdb add 02:00:00:00:03:02 dev a1 master dynamic
  bridge -n $ns fdb add 02:00:00:00:03:03 dev a1 master permanent
  bridge -n $ns fdb add 02:00:00:00:03:04 dev a1 master extern_learn
  bridge -n $ns fdb add 02:00:00:00:03:05 dev br0 self
  $a link add vx0 type vxlan id 42 dstport 4789 dev a0 local 10.1.0.1 nolearning
  $a link add vx6 type vxlan id 46 dstport 4789 dev a0 local fd01::1 nolearning
  bridge -n $ns fdb append 00:00:00:00:00:00 dev vx0 dst 10.1.0.2 self permanent
  bridge -n $ns fdb append 00:00:00:00:00:00 dev vx0 dst 10.1.0.3 self permanent
  bridge -n $ns fdb add 02:00:00:00:03:10 dev vx0 dst 10.1.0.4 vni 43 port 4790 self permanent
  bridge -n $ns fdb add 02:00:00:00:03:11 dev vx0 dst 10.1.0.5 via a0 self permanent
  bridge -n $ns fdb add 02:00:00:00:03:12 dev vx6 dst fd01::2 self permanent
  bridge -n $ns fdb add 02:00:00:00:03:13 dev vx6 dst fd01::3 vni 47 port 4790 self permanent
  trace fdb.strace bridge -n $ns fdb show
  extract fdb-dump.bin answers 30 fdb.strace
}

# ext-ack: the kernel's NLMSG_ERROR answers to refused requests (uncapped: each
# quotes the whole request), with NLMSGERR_ATTR_MSG, _OFFS and _POLICY where the
# kernel sends them, plain errnos, and one ack.
capture_ext_ack() {
  local a="ip -n $ns" n=0 files=()
  local cmds=(
    "$a link set lo gso_max_size 1"
    "$a link set lo gro_max_size 999999999"
    "$a route add 10.9.0.0/24 via 10.9.9.9"
    "$a route add 10.9.1.0/24 nhid 99"
    "$a link set a0 mtu 70000"
    "$a link add name ve0 numtxqueues 0 type veth"
    "$a link add vxg type vxlan id 42 dstport 4789 learning proxy l2miss l3miss gbp gpe"
    "$a link add m1 link lo type macvlan"
    "$a neigh del 10.1.0.99 dev a0"
    "$a route add 10.9.2.0/24 dev a0"
  )
  for c in "${cmds[@]}"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    trace ext-ack-$n.strace $c
    files+=(ext-ack-$n.strace)
  done
  extract ext-ack.bin errors "${files[@]}"
}

want() { printf '%s\n' "${names[@]}" | grep -qx -- "$1"; }
for name in "${names[@]}"; do
  case $name in
    link | route | addr | neigh | fdb | ext-ack) ;;
    *) echo "unknown capture: $name" >&2; exit 2 ;;
  esac
done
if want link || want route; then capture_link_route; fi
if want addr || want neigh || want fdb || want ext-ack; then
  build_pair
  if want addr; then capture_addr; fi
  if want neigh; then capture_neigh; fi
  if want fdb; then capture_fdb; fi
  if want ext-ack; then capture_ext_ack; fi
fi
