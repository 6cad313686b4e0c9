#!/usr/bin/env bash
# Flood ping, rawnet against iputils, through a veth pair joining two network
# namespaces this script creates (and deletes on exit, also on failure).
#
#   benches/compare/ping.sh [RUNS [COUNT]]      (root; default 7 runs of 10000)
#   RAWNET=path/to/rawnet  STRACE=1 (also count system calls per packet)
#
# Each round runs both tools, in alternating order:
#   rawnet -n A ping -f -c COUNT -q 10.77.0.2
#   ip netns exec A ping -f -c COUNT -q 10.77.0.2           (iputils)
# and takes packets per second from the "time Nms" each prints (the ping
# loop alone, start-up excluded). Then, output to /dev/null, both started the
# same way so start-up costs the same:
#   ip netns exec A rawnet ping -f -c COUNT 10.77.0.2 >/dev/null   (dots)
#   ip netns exec A ping -f -c COUNT 10.77.0.2 >/dev/null
# timed from outside (wall clock). Prints the medians and rawnet/iputils.
set -euo pipefail

RUNS=${1:-7}
COUNT=${2:-10000}
RAWNET=${RAWNET:-$(dirname "$0")/../../target/release/rawnet}
RAWNET=$(realpath "$RAWNET")
A=rnpa-$$
B=rnpb-$$
DST=10.77.0.2
OUT=$(mktemp)

cleanup() {
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
    rm -f "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$RAWNET" ] || { echo "no rawnet binary at $RAWNET (cargo build --release)" >&2; exit 2; }
ping -V 2>/dev/null | grep -q iputils || { echo "iputils ping not installed" >&2; exit 2; }

ip netns add "$A"
ip netns add "$B"
ip -n "$A" link add v0 type veth peer name v1 netns "$B"
ip -n "$A" addr add 10.77.0.1/24 dev v0
ip -n "$B" addr add "$DST"/24 dev v1
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" link set v0 up
ip -n "$B" link set v1 up
# Resolve the neighbour before measuring.
ip netns exec "$A" ping -c 1 -W 2 "$DST" >/dev/null

median() { sort -n | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print v[m] }'; }

# pps from the "time Nms" of the statistics (the ping loop alone).
loop_pps() {
    "$@" >"$OUT"
    local ms
    ms=$(sed -n 's/.* received.* time \([0-9]*\)ms$/\1/p' "$OUT")
    grep -q "$COUNT packets transmitted, $COUNT received" "$OUT" ||
        { echo "lost packets: $*" >&2; cat "$OUT" >&2; }
    awk -v n="$COUNT" -v ms="$ms" 'BEGIN { printf "%d\n", n * 1000 / (ms > 0 ? ms : 1) }'
}

# pps from the wall clock, output to /dev/null.
wall_pps() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    awk -v n="$COUNT" -v ns=$((t1 - t0)) 'BEGIN { printf "%d\n", n * 1e9 / ns }'
}

RQ=() IQ=() RD=() ID=()
for i in $(seq 1 "$RUNS"); do
    if [ $((i % 2)) -eq 1 ]; then
        RQ+=("$(loop_pps "$RAWNET" -n "$A" ping -f -c "$COUNT" -q "$DST")")
        IQ+=("$(loop_pps ip netns exec "$A" ping -f -c "$COUNT" -q "$DST")")
        RD+=("$(wall_pps ip netns exec "$A" "$RAWNET" ping -f -c "$COUNT" "$DST")")
        ID+=("$(wall_pps ip netns exec "$A" ping -f -c "$COUNT" "$DST")")
    else
        IQ+=("$(loop_pps ip netns exec "$A" ping -f -c "$COUNT" -q "$DST")")
        RQ+=("$(loop_pps "$RAWNET" -n "$A" ping -f -c "$COUNT" -q "$DST")")
        ID+=("$(wall_pps ip netns exec "$A" ping -f -c "$COUNT" "$DST")")
        RD+=("$(wall_pps ip netns exec "$A" "$RAWNET" ping -f -c "$COUNT" "$DST")")
    fi
done

report() {
    local what=$1 r i
    r=$(printf '%s\n' "${@:2:$RUNS}" | median)
    i=$(printf '%s\n' "${@:$((RUNS + 2)):$RUNS}" | median)
    printf '%-34s rawnet %7d pps  iputils %7d pps  ratio %.3f\n' "$what" "$r" "$i" \
        "$(awk -v r="$r" -v i="$i" 'BEGIN { print r / i }')"
}
echo "flood ping -c $COUNT over veth, median of $RUNS runs each (alternating)"
echo "  rawnet -q: ${RQ[*]}"
echo "  iputils -q: ${IQ[*]}"
echo "  rawnet dots: ${RD[*]}"
echo "  iputils dots: ${ID[*]}"
report "-q, loop time" "${RQ[@]}" "${IQ[@]}"
report "dots to /dev/null, wall clock" "${RD[@]}" "${ID[@]}"

if [ "${STRACE:-0}" = 1 ] && command -v strace >/dev/null; then
    per_packet() {
        strace -f -c -o "$OUT" "$@" >/dev/null
        awk -v n="$COUNT" '$NF ~ /^(sendto|sendmsg|recvmsg|recvfrom|poll|ppoll|read|write|select|pselect6|epoll_wait)$/ {
            calls = $4; sum += calls; printf "    %-10s %.2f/packet\n", $NF, calls / n
        } END { printf "    total I/O  %.2f/packet\n", sum / n }' "$OUT"
    }
    echo "system calls (strace -f -c), -q:"
    echo "  rawnet";  per_packet "$RAWNET" -n "$A" ping -f -c "$COUNT" -q "$DST"
    echo "  iputils"; per_packet ip netns exec "$A" ping -f -c "$COUNT" -q "$DST"
    echo "system calls, dots to /dev/null:"
    echo "  rawnet";  per_packet ip netns exec "$A" "$RAWNET" ping -f -c "$COUNT" "$DST"
    echo "  iputils"; per_packet ip netns exec "$A" ping -f -c "$COUNT" "$DST"
fi
