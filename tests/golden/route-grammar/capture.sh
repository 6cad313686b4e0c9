# Run as: unshare -n sh capture.sh   (or inside a throwaway namespace)
# Prints, for each command, the strace of iproute2 6.1 with hex dumps of fd 3.
set -e
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link add veth2 type veth peer name veth3
ip addr add 10.0.1.100/24 dev veth0
ip addr add 10.0.2.100/24 dev veth2
ip addr add fd00::1/64 dev veth0 nodad
for l in veth0 veth1 veth2 veth3; do ip link set $l up; done
run() { echo "### $1"; shift; echo "### ip $*"; strace -f -xx -s 4096 -e trace=sendmsg -e write=3 ip "$@" 2>&1 | grep -v "^+++" ; }
run multipath route add 10.9.0.0/24 nexthop via 10.0.1.1 dev veth0 weight 2 nexthop via 10.0.2.1 dev veth2 onlink
run via-inet6 route add 10.8.0.0/16 via inet6 fd00::2 dev veth0
run metrics route add 10.7.0.0/16 via 10.0.1.1 mtu lock 1400 advmss 1360 window 1000 rtt 10 initcwnd 10 initrwnd 20 hoplimit 64 quickack 1 congctl cubic
run short-tos-table route add 10/8 via 10.0.1.1 tos 0x10 metric 7 table 100 proto static
run order route add 10.6.0.0/16 metric 3 src 10.0.1.100 via 10.0.1.1 dev veth0
run default-v4 -4 route add default via 10.0.2.1 metric 9
run append route append 10.9.0.0/24 via 10.0.1.1 metric 20
run blackhole route add blackhole 172.16/12
run from-v6 -6 route add fd00:5::/64 from fd00:6::/64 via fd00::2
run nhid route add 10.5.0.0/16 nhid 7
run get-from-oif route get 10.0.2.7 from 10.0.1.100 oif veth2 mark 5
run get-iif route get to 10.0.2.7 from 10.0.1.9 iif veth0 fibmatch
run dump-proto-dev route show proto kernel dev veth0
