#!/bin/bash
# A flannel vxlan backend's work on one node, as shell: the flannel.1
# device, and for each other node a permanent neighbour (the remote
# flannel.1's MAC for its .0 address), a forwarding entry to the node's
# underlay address and an onlink route to its pod subnet. Then one node
# leaves and its entries go.
set -euo pipefail

ip link add eth1 type veth peer name eth1-far
ip link set eth1 up
ip link set eth1-far up
ip addr add 172.20.0.11/24 dev eth1

ip link add flannel.1 type vxlan id 1 dev eth1 local 172.20.0.11 dstport 8472 nolearning
ip link set flannel.1 mtu 1450 address 5e:2b:1f:00:00:11
ip addr add 10.244.1.0/32 dev flannel.1
ip link set flannel.1 up

add_node() {
    local n=$1 mac=$2
    ip neigh replace "10.244.$n.0" lladdr "$mac" dev flannel.1 nud permanent
    bridge fdb append "$mac" dev flannel.1 dst "172.20.0.1$n" self permanent
    ip route replace "10.244.$n.0/24" via "10.244.$n.0" dev flannel.1 onlink
}
del_node() {
    local n=$1 mac=$2
    ip route del "10.244.$n.0/24" via "10.244.$n.0" dev flannel.1 onlink
    bridge fdb del "$mac" dev flannel.1 dst "172.20.0.1$n" self
    ip neigh del "10.244.$n.0" dev flannel.1
}

add_node 2 5e:2b:1f:00:00:12
add_node 3 5e:2b:1f:00:00:13
add_node 4 5e:2b:1f:00:00:14
add_node 3 5e:2b:1f:00:00:13   # a resync adds what is there again
del_node 4 5e:2b:1f:00:00:14

ip -d link show flannel.1 | grep -o 'vxlan id [0-9]* [^ ]* [^ ]* [^ ]* [^ ]*'
ip neigh show dev flannel.1 | sort
bridge fdb show dev flannel.1 | grep dst | sort
ip route show dev flannel.1
ip -j route show 10.244.2.0/24 | grep -o '"flags":\[[^]]*\]'
ip -br addr show dev flannel.1
