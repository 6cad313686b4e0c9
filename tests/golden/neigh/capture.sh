# Run as: unshare -n sh capture.sh > strace-iproute2-6.1.txt
# (a throwaway network namespace: nothing here touches the host's)
set -e
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 up; ip link set veth1 up
ip link add vx0 type vxlan id 42 dstport 4789 dev veth0 nolearning
ip link set vx0 up
ip link add br0 type bridge
ip link set br0 up
ip -br link
run() { tool=$1; shift; echo "### $tool $*"; strace -f -xx -s 4096 -e trace=sendmsg,sendto,recvmsg -e write=3 -e read=3 $tool "$@" 2>&1 | grep -v "^+++" ; }
run ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
run ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud reachable
run ip neigh del 10.0.0.2 dev veth0
run ip neigh del 10.0.0.2 dev veth0 || true
run ip -6 neigh add fd00::2 lladdr 02:00:00:00:00:02 dev veth0
run ip neigh add proxy 10.0.0.9 dev veth0
run ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale router
run ip neigh show
run ip neigh show proxy
run ip neigh show dev veth0
run bridge fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2 self permanent
run bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.3 self permanent
run bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.4 self permanent
run bridge fdb add 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790 self permanent
run bridge fdb del 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790 self
run bridge fdb del 02:00:00:00:00:0a dev vx0 self || true
ip link set veth0 master br0
run bridge fdb add 02:00:00:00:00:0b dev veth0 master
run bridge fdb replace 02:00:00:00:00:0c dev veth0 master static
run bridge fdb show
run bridge fdb show dev vx0
