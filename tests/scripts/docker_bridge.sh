#!/bin/bash
# A container on a docker-style bridge, the way dockerd wires one, as shell:
# bridge with the gateway address, a veth pair with one end in the
# container's namespace, the container's MAC computed from its IPv4 address
# (02:42 followed by the four bytes), and a default route via the bridge.
set -e

BRIDGE=docker0
GATEWAY=172.17.0.1
CONTAINER=c0ffee
IPADDR=172.17.0.2

if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add name "$BRIDGE" type bridge
    ip addr add "$GATEWAY/16" brd + dev "$BRIDGE"
    ip link set "$BRIDGE" up
fi

ip netns add "$CONTAINER"
MAC=$(printf '02:42:%02x:%02x:%02x:%02x' $(echo "$IPADDR" | tr . ' '))

ip link add "veth${CONTAINER:0:5}" type veth peer name eth0 netns "$CONTAINER"
ip link set "veth${CONTAINER:0:5}" master "$BRIDGE"
ip link set dev "veth${CONTAINER:0:5}" up

ip -n "$CONTAINER" link set eth0 address "$MAC"
ip -n "$CONTAINER" link set lo up
ip -n "$CONTAINER" addr add "$IPADDR/16" dev eth0
ip -n "$CONTAINER" link set eth0 up
ip -n "$CONTAINER" route add default via "$GATEWAY"

# What scripts then check and print.
ip netns exec "$CONTAINER" ip -4 -o addr show dev eth0 | awk '{print $4}'
if ip link show "veth${CONTAINER:0:5}" up | grep -q 'state'; then
    echo "host side is up"
fi
ip -br -4 addr show dev "$BRIDGE"
ip -n "$CONTAINER" route show default
ip netns list
ip -j -n "$CONTAINER" addr show eth0 | grep -o '"local":"172[^"]*"'
