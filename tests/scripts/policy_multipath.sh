#!/bin/bash
# Two uplinks: traffic is spread over both by a multipath default route,
# answers leave by the uplink their source address belongs to (policy rules
# with one table per uplink), and marked traffic is pinned to the second.
set -e

ip link add up1 type veth peer name up1-far
ip link add up2 type veth peer name up2-far
for l in up1 up1-far up2 up2-far; do ip link set "$l" up; done
ip addr add 203.0.113.2/24 dev up1
ip addr add 198.51.100.2/24 dev up2

ip route add default \
    nexthop via 203.0.113.1 dev up1 weight 1 \
    nexthop via 198.51.100.1 dev up2 weight 2
ip route add default via 203.0.113.1 dev up1 table 101
ip route add default via 198.51.100.1 dev up2 table 102

ip rule add from 203.0.113.2 table 101 priority 1001
ip rule add from 198.51.100.2 lookup 102 pref 1002
ip rule add fwmark 0x2/0xff table 102 prio 900
ip rule add to 10.0.0.0/8 table main priority 800
ip rule add not from 192.0.2.0/24 iif up1 table 101 priority 1100

ip rule show
ip rule show table 102
ip route show
ip route show table 101
ip -j route show default | grep -o '"nexthops":\[[^]]*\]' | head -c 200; echo
ip route get 8.8.8.8 from 198.51.100.2 | head -1
ip route get 8.8.8.8 mark 2 | head -1
ip rule del priority 900
ip rule del from 203.0.113.2 table 101
ip -o rule show | wc -l
