#!/bin/sh
# Run in a private mount + network namespace with a tmpfs on /run/netns:
#   unshare --mount --net --propagation private sh -c \
#     'mount -t tmpfs none /run/netns && sh capture.sh'
ip netns add a
ip netns add b
ip netns add c
T="strace -f -xx -s 4096 -e trace=sendmsg,sendto,recvmsg -e write=3,4 -e read=3,4"
echo '### ip netns set a 5'; $T ip netns set a 5
echo '### ip netns set b auto'; $T ip netns set b auto
echo '### ip -n a netns set b 9'; ip -n a netns set b 9
echo '### ip netns list-id'; $T ip netns list-id
echo '### ip netns list-id target-nsid 5'; $T ip netns list-id target-nsid 5
echo '### ip netns list-id nsid 0 target-nsid 5'; $T ip netns list-id nsid 0 target-nsid 5
