# Run as: unshare -n sh capture.sh > strace-iproute2-6.1.txt
# (a throwaway network namespace: nothing here touches the host's)
set -e
ip link set lo up
ip link add veth0 type veth peer name veth1
run() { echo "### ip $*"; strace -f -xx -s 4096 -e trace=sendmsg,sendto,recvmsg -e write=3 -e read=3 ip "$@" 2>&1 | grep -v "^+++" ; }
run rule add from 10.0.0.0/8 table 100 pref 100
run rule add not from 10.1.0.0/16 to 192.168.1.1 priority 200 fwmark 0x10/0xff protocol static lookup main suppress_prefixlength 0 iif veth0 oif veth1
run rule add fwmark 5 table 1000 uidrange 10-20 ipproto tcp sport 80 dport 1000-2000
run rule add tos 0x10 blackhole
run rule add pref 50 goto 32766
run rule add from all prohibit
run rule add pref 300 l3mdev
run -6 rule add from 2001:db8::/32 pref 10 table 7
run rule del pref 100
run rule del from 10.0.0.0/8 table 100
run -6 rule del from 2001:db8::/32
run rule show
run -6 rule show
