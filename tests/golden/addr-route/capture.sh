set -e
ip link add veth0 type veth peer name veth1
ip link set veth0 up; ip link set veth1 up; ip link set lo up
run() { echo "### ip $*"; strace -f -xx -s 4096 -e trace=sendmsg,sendto,recvmsg -e write=3 -e read=3 ip "$@" 2>&1 | grep -v "^+++" ; }
run addr add 10.0.1.100/24 dev veth0
run addr add fd00::1/64 dev veth0 nodad
run addr add 10.0.3.1/24 dev veth0 broadcast + label veth0:x scope link
run addr del 10.0.3.1/24 dev veth0
run addr del fd00::1/64 dev veth0
run addr add fd00::1/64 dev veth0 nodad
run route add 10.0.2.0/24 dev veth0
run route add default via 10.0.1.1
run -6 route add fd00:2::/64 via fd00::2 metric 100
run route add 10.0.4.0/24 via 10.0.1.1 dev veth0 metric 5 table 100 src 10.0.1.100 proto static
run route add 10.0.5.0/24 via 10.9.9.9 dev veth0 onlink
run route add 10.0.6.0/24 dev veth0 scope host
run route replace 10.0.2.0/24 dev veth0 metric 0
run route del 10.0.2.0/24 dev veth0
run route get 10.0.2.100
run -6 route get fd00:2::5
run addr show dev veth0
run route show
run -6 route show
run route show table 100
run route add 10.1.0.0/24 via 10.9.9.9
run addr flush dev veth0
