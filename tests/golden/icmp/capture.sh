#!/usr/bin/env bash
# Regenerates the ICMP captures of this directory: for each case, the first ICMP
# message of the expected type a raw socket received while iputils ping ran.
# IPv4 files are whole IP datagrams (a raw IPv4 socket receives the IP header);
# IPv6 files are ICMPv6 messages (a raw IPv6 socket receives no header).
#
# Topology, in three namespaces this script creates with unique names and removes
# on exit (also on failure): A (10.10.1.1, fd10:1::1) -- R (a router) -- B
# (10.10.2.1, fd10:2::1); the R-B link has MTU 1300; R has unreachable routes
# to 10.10.9.0/24 and fd10:9::/64. Run as root.
set -euo pipefail
cd "$(dirname "$0")"
a=rnicma$$ r=rnicmr$$ b=rnicmb$$
trap 'for n in $a $r $b; do ip netns del $n 2>/dev/null || true; done' EXIT
for n in $a $r $b; do
  ip netns add $n
  ip -n $n link set lo up
  # No duplicate address detection on the new links (their namespaces' own sysctls).
  ip netns exec $n sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
done
ip -n $a link add a0 type veth peer name ra0 netns $r
ip -n $b link add b0 type veth peer name rb0 netns $r
ip -n $b link set b0 mtu 1300
ip -n $r link set rb0 mtu 1300
ip -n $a link set a0 up; ip -n $b link set b0 up
ip -n $r link set ra0 up; ip -n $r link set rb0 up
ip -n $a addr add 10.10.1.1/24 dev a0
ip -n $a addr add fd10:1::1/64 dev a0 nodad
ip -n $r addr add 10.10.1.254/24 dev ra0
ip -n $r addr add fd10:1::254/64 dev ra0 nodad
ip -n $r addr add 10.10.2.254/24 dev rb0
ip -n $r addr add fd10:2::254/64 dev rb0 nodad
ip -n $b addr add 10.10.2.1/24 dev b0
ip -n $b addr add fd10:2::1/64 dev b0 nodad
ip -n $a route add default via 10.10.1.254
ip -n $a -6 route add default via fd10:1::254
ip -n $b route add default via 10.10.2.254
ip -n $b -6 route add default via fd10:2::254
ip -n $r route add unreachable 10.10.9.0/24
ip -n $r -6 route add unreachable fd10:9::/64
# Forwarding in R only (its own namespace's sysctls).
ip netns exec $r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# Resolve the neighbours first (bounded), so that the captured pings are answered at once.
ip netns exec $a ping -c1 -W5 10.10.2.1 >/dev/null || true
ip netns exec $a ping -6 -c1 -W5 fd10:2::1 >/dev/null || true

# capture NAME TYPE PING-ARGS...: while ping runs in A, a raw socket of ping's family
# in A receives; the first ICMP message of type TYPE is saved as NAME.bin. (ping's
# own socket reports errors through its error queue, so it cannot be the tap.)
capture() {
  local name=$1 type=$2
  shift 2
  ip netns exec $a python3 - "$name" "$type" "$@" <<'PY'
import select, socket, subprocess, sys, time
name, want, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
v6 = "-6" in args
if v6:
    tap = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
else:
    tap = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
subprocess.run(["ping", "-c1", "-W2", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.monotonic() + 3
while time.monotonic() < deadline:
    if not select.select([tap], [], [], 0.2)[0]:
        continue
    data = tap.recv(65536)
    icmp = data if v6 else data[(data[0] & 15) * 4:]
    if icmp and icmp[0] == want:
        open(f"{name}.bin", "wb").write(data)
        print(f"{name}.bin", len(data), "bytes")
        break
else:
    sys.exit(f"{name}: no ICMP type {want} within 3 s")
PY
}

capture v4-echo-reply 0 10.10.2.1
capture v6-echo-reply 129 -6 fd10:2::1
capture v4-time-exceeded 11 -t 1 10.10.2.1
capture v6-time-exceeded 3 -6 -t 1 fd10:2::1
capture v4-host-unreachable 3 10.10.9.1
capture v6-no-route 1 -6 fd10:9::1
capture v4-frag-needed 3 -M do -s 1400 10.10.2.1
capture v6-packet-too-big 2 -6 -M do -s 1400 fd10:2::1
