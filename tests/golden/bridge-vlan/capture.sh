# Run as: unshare -n sh capture.sh > strace-bridge-6.1.txt
# (a throwaway network namespace: nothing here touches the host's)
# This kernel has no CONFIG_BRIDGE_VLAN_FILTERING: every change request is
# refused with EOPNOTSUPP, but what bridge sends is what we compare with.
set -e
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link add br0 type bridge
ip link set veth0 master br0
ip -br link
run() { tool=$1; shift; echo "### $tool $*"; strace -f -xx -s 4096 -e trace=sendmsg,sendto,recvmsg -e write=3 -e read=3 $tool "$@" 2>&1 | grep -v "^+++" || true; }
run bridge vlan add dev veth0 vid 10 pvid untagged
run bridge vlan add dev veth0 vid 20-30
run bridge vlan add dev br0 vid 40 self
run bridge vlan del dev veth0 vid 10 master
run bridge vlan add dev veth0 vid 100-102 untagged self master
run bridge vlan add dev veth0 vid 5 tunnel_info id 1005
run bridge vlan add dev veth0 vid 5-7 tunnel_info id 1005-1007
run bridge vlan del dev veth0 vid 0
run bridge vlan show
run bridge -com vlan show
run bridge vlan show dev veth0
