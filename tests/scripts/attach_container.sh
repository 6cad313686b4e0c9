#!/bin/sh
# An attach-a-container helper in the Calico style: each pod gets a veth pair
# created with its MTU and host-side MAC set at creation, a /32 on the pod
# side, a link-scope route to a fake gateway, and a host route to the pod.
set -e

attach() {
    ns=$1
    addr=$2
    hostif=cali$3

    ip netns add "$ns"
    ip link add name "$hostif" mtu 1440 address ee:ee:ee:ee:ee:ee type veth \
        peer name eth0 mtu 1440 netns "$ns"
    ip link set "$hostif" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$addr/32" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add 169.254.1.1 dev eth0 scope link
    ip -n "$ns" route add default via 169.254.1.1 dev eth0
    ip route add "$addr/32" dev "$hostif" scope link
}

detach() {
    ip link del "cali$2"
    ip netns del "$1"
}

attach pod-a 10.65.0.2 4f1a
attach pod-b 10.65.0.3 77c0
attach pod-c 10.65.0.4 9e2b
detach pod-b 77c0

ip route show | grep -c cali
ip route show dev cali4f1a
ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort
ip -n pod-a -4 route
# A second attach of the same pod fails and must leave things as they were.
if attach pod-a 10.65.0.2 4f1a 2>/dev/null; then
    echo "second attach succeeded?"
fi
ip netns list | cut -d' ' -f1 | sort
