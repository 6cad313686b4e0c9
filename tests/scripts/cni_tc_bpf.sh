#!/bin/sh
# What a CNI plugin with an eBPF datapath (Cilium-like) does with tc for a
# pod: a veth pair into the pod's namespace, a clsact qdisc on the host
# side, the datapath program (pinned beforehand on a bpffs, here
# bpffs/drop_echo: see sandbox.sh) attached in direct-action mode on its
# ingress and egress, shown, replaced at the same pref, one hook emptied;
# adding the qdisc twice fails, as does a filter on a device without one.
set -e

ip netns add pod-a
ip link add lxc1a2b type veth peer name eth0 netns pod-a
ip link set lxc1a2b up
ip -n pod-a link set lo up
ip -n pod-a addr add 10.0.1.17/32 dev eth0
ip -n pod-a link set eth0 up
ip route add 10.0.1.17/32 dev lxc1a2b scope link

tc qdisc add dev lxc1a2b clsact
tc filter add dev lxc1a2b ingress bpf da pinned bpffs/drop_echo
tc filter add dev lxc1a2b egress pref 1 handle 1 bpf da pinned bpffs/drop_echo
tc filter replace dev lxc1a2b egress pref 1 handle 1 bpf da pinned bpffs/drop_echo
tc qdisc show dev lxc1a2b
tc filter show dev lxc1a2b ingress | sed 's/ id [0-9]* / id N /'
tc -j filter show dev lxc1a2b egress | sed 's/"id":[0-9]*,/"id":N,/'
tc filter show dev lxc1a2b egress pref 1 | grep -c direct-action

# The pod side gets one too; then its ingress is emptied again.
tc -n pod-a qdisc add dev eth0 clsact
tc -n pod-a filter add dev eth0 ingress pref 10 protocol ip bpf pinned bpffs/drop_echo da
tc -n pod-a filter del dev eth0 ingress pref 10
tc -n pod-a filter show dev eth0 ingress

# A second clsact is refused and changes nothing.
if tc qdisc add dev lxc1a2b clsact 2>/dev/null; then
    echo "second clsact succeeded?"
    exit 1
fi
# No clsact on the pod's lo: the kernel refuses the filter.
if tc -n pod-a filter add dev lo ingress bpf da pinned bpffs/drop_echo 2>/dev/null; then
    echo "filter without a qdisc succeeded?"
    exit 1
fi
tc filter del dev lxc1a2b ingress
tc filter show dev lxc1a2b ingress
