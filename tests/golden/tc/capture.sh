#!/bin/sh
# Capture tc 6.1's dump replies for the decoder tests (run as root from the
# crate root after `cargo build`): a veth pair in a private namespace, a
# clsact qdisc, the shipped drop_icmp_echo.s pinned on a temporary bpffs and
# attached twice (ingress: tc's defaults with `da`; egress: pref 7, protocol
# ip, handle 3, `da`); then `tc qdisc show dev va` and `tc filter show dev va
# ingress|egress` under strace, every received datagram cut to a .bin file.
set -e
N=tccap$$
D=$(mktemp -d /tmp/tccap.XXXX)
T=$(mktemp /tmp/tccap-trace.XXXX)
OUT=$(cd "$(dirname "$0")" && pwd)
cleanup() { ip netns del $N 2>/dev/null; umount $D 2>/dev/null; rmdir $D; rm -f $T; }
trap cleanup EXIT
mount -t bpf bpf $D
./target/debug/rawnet bpf prog load src/bpf/programs/drop_icmp_echo.s type tc pin $D/drop_echo >/dev/null
ip netns add $N
ip -n $N link add va type veth peer vb
ip -n $N link set va up
ip -n $N link set vb up
tc -n $N qdisc add dev va clsact
tc -n $N filter add dev va ingress bpf da pinned $D/drop_echo
tc -n $N filter add dev va egress pref 7 protocol ip handle 3 bpf pinned $D/drop_echo da
for what in "qdisc show dev va:qdisc-dump" "filter show dev va ingress:filter-dump-ingress" "filter show dev va egress:filter-dump-egress"; do
    cmd=${what%%:*}; file=${what##*:}
    strace -xx -e trace=recvmsg -e read=all -o $T tc -n $N $cmd >/dev/null
    python3 - "$T" "$OUT/$file.bin" <<'PY'
import re, sys
out, cur, keep = bytearray(), bytearray(), False
for line in open(sys.argv[1]):
    if line.startswith("recvmsg("):
        if keep: out += cur
        cur, keep = bytearray(), "MSG_PEEK" not in line and "= 0" not in line.split(")")[-1]
        continue
    m = re.match(r"\s*\| [0-9a-f]{5}  ((?:[0-9a-f]{2} +)+)", line)
    if m: cur += bytes.fromhex(m.group(1).replace(" ", ""))
if keep: out += cur
open(sys.argv[2], "wb").write(bytes(out))
PY
done
