#!/bin/bash
# Node routes for a pod network spread over several nodes (flannel host-gw
# style): this node has pod subnet 10.244.1.0/24 on cni0, the other nodes'
# pod subnets are reached through their underlay addresses on eth1.
set -eu

ip link add eth1 type veth peer name eth1-peer
ip addr add 192.168.56.11/24 dev eth1
ip link set eth1 up
ip link set eth1-peer up
ip link add cni0 type bridge
ip addr add 10.244.1.1/24 dev cni0
ip link set dev cni0 up mtu 1450

for node in 2 3 4; do
    ip route add "10.244.$node.0/24" via "192.168.56.1$node" dev eth1
done
ip route replace 10.244/16 via 192.168.56.1 dev eth1 metric 100
ip route add 10.96/12 dev cni0 proto static scope link
ip route add blackhole 10.244.99.0/24
ip route add unreachable 10.244.98.0/24
ip route change 10.244.3.0/24 via 192.168.56.13 dev eth1 mtu 1400 advmss 1360

ip route show 10.244.3.0/24
ip route show root 10.244.0.0/16 | wc -l
ip route show match 10.244.4.9
ip route show exact 10.244.0.0/16
ip route show proto static
ip route show table main | grep -c via
ip route get 10.244.2.7 | head -1
ip -o route show dev eth1 | head -2
ip route del 10.244.2.0/24
ip route flush proto static
ip route show type blackhole
ip -j route show 10.244.3.0/24 | grep -o '"metrics":\[[^]]*\]'
# Is the uplink up? Scripts guard on this.
ip link show eth1 up | grep -q eth1 && echo "eth1 up"
ip link show cni0 up | grep -q cni0 || echo "cni0 not up?"
