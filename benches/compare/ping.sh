#!/usr/bin/env bash
# Flood ping, rawnet against iputils, through a veth pair joining two network
# namespaces this script creates (and deletes on exit, also on failure).
#
#   benches/compare/ping.sh [RUNS [COUNT]]     (root; default 9 runs of 10000)
#   RAWNET=path/to/rawnet   (default target/release/rawnet)
#   STRACE=1                also count system calls per packet (strace -f -c)
#   CPU=1                   also CPU time per packet (perf stat task-clock)
#   NICE=-19                run both tools at this nice value: on a busy machine
#                           fewer preemptions (each up to a 4 ms tick) blur the times
#
# Each round measures both tools back to back, in alternating order:
#   rawnet -n A ping -f -c COUNT -q 10.77.0.2
#   ip netns exec A ping -f -c COUNT -q 10.77.0.2           (iputils)
# and takes packets per second from the "time Nms" each prints (the ping
# loop alone, start-up excluded). Then, output to /dev/null, both started
# the same way so start-up costs the same, timed from outside (wall clock):
#   ip netns exec A rawnet ping -f -c COUNT 10.77.0.2 >/dev/null   (dots)
#   ip netns exec A ping -f -c COUNT 10.77.0.2 >/dev/null
# Prints every run, the medians, rawnet/iputils of the medians and the
# median of the per-round ratios (adjacent runs share the machine's load).
set -euo pipefail

RUNS=${1:-9}
COUNT=${2:-10000}
RAWNET=$(realpath "${RAWNET:-$(dirname "$0")/../../target/release/rawnet}")
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

# Every measured command runs under this prefix (empty, or nice -n NICE).
RUN=()
[ -n "${NICE:-}" ] && RUN=(nice -n "$NICE")

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# pps from the "time Nms" of the statistics (the ping loop alone).
loop_pps() {
    "${RUN[@]}" "$@" >"$OUT"
    grep -q "^$COUNT packets transmitted, $COUNT received" "$OUT" ||
        { echo "lost packets: $*" >&2; cat "$OUT" >&2; }
    sed -n 's/.* received.* time \([0-9]*\)ms$/\1/p' "$OUT" |
        awk -v n="$COUNT" '{ printf "%d\n", n * 1000 / ($1 > 0 ? $1 : 1) }'
}

# pps from the wall clock, output to /dev/null.
wall_pps() {
    local t0 t1
    t0=$(date +%s%N)
    "${RUN[@]}" "$@" >/dev/null
    t1=$(date +%s%N)
    awk -v n="$COUNT" -v ns=$((t1 - t0)) 'BEGIN { printf "%d\n", n * 1e9 / ns }'
}

# CPU time per packet in nanoseconds (task-clock: user and kernel, the
# round trip's softirq work included; start-up too, so both go through ip).
cpu_ns() {
    "${RUN[@]}" perf stat -x, -e task-clock -o "$OUT" "$@" >/dev/null
    awk -F, -v n="$COUNT" '$3 == "task-clock" { printf "%d\n", $1 * 1e6 / n }' "$OUT"
}

RAW_Q=(ip netns exec "$A" "$RAWNET" ping -f -c "$COUNT" -q "$DST")
IPU_Q=(ip netns exec "$A" ping -f -c "$COUNT" -q "$DST")
RAW_D=(ip netns exec "$A" "$RAWNET" ping -f -c "$COUNT" "$DST")
IPU_D=(ip netns exec "$A" ping -f -c "$COUNT" "$DST")

RQ=() IQ=() RD=() ID=() RC=() IC=()
# One measurement of both tools back to back (the load of a shared machine
# drifts; adjacent runs see the same), rawnet first on odd rounds.
pair() { # ROUND FUNCTION RAWNET_ARRAY IPUTILS_ARRAY -- RAWNET_CMD... -- IPUTILS_CMD...
    local round=$1 fn=$2 r_arr=$3 i_arr=$4 r i
    shift 5
    local -a rcmd=() icmd=()
    while [ "$1" != -- ]; do rcmd+=("$1"); shift; done
    shift
    icmd=("$@")
    if [ $((round % 2)) -eq 1 ]; then
        r=$("$fn" "${rcmd[@]}"); i=$("$fn" "${icmd[@]}")
    else
        i=$("$fn" "${icmd[@]}"); r=$("$fn" "${rcmd[@]}")
    fi
    eval "$r_arr+=(\"\$r\")"
    eval "$i_arr+=(\"\$i\")"
}
for round in $(seq 1 "$RUNS"); do
    pair "$round" loop_pps RQ IQ -- "$RAWNET" -n "$A" ping -f -c "$COUNT" -q "$DST" -- "${IPU_Q[@]}"
    pair "$round" wall_pps RD ID -- "${RAW_D[@]}" -- "${IPU_D[@]}"
    if [ "${CPU:-0}" = 1 ]; then
        pair "$round" cpu_ns RC IC -- "${RAW_Q[@]}" -- "${IPU_Q[@]}"
    fi
done

compare() { # WHAT UNIT RAWNET_VALUES... -- IPUTILS_VALUES...
    local what=$1 unit=$2 r i k
    shift 2
    local -a rs=() is=() ratios=()
    while [ "$1" != -- ]; do rs+=("$1"); shift; done
    shift
    is=("$@")
    for k in "${!rs[@]}"; do
        ratios+=("$(awk -v r="${rs[$k]}" -v i="${is[$k]}" 'BEGIN { printf "%.4f\n", r / i }')")
    done
    r=$(printf '%s\n' "${rs[@]}" | median)
    i=$(printf '%s\n' "${is[@]}" | median)
    echo "$what"
    echo "  rawnet : ${rs[*]}"
    echo "  iputils: ${is[*]}"
    printf '  median rawnet %d %s, iputils %d %s: rawnet/iputils %.3f (median of the %d paired ratios %s)\n' \
        "$r" "$unit" "$i" "$unit" "$(awk -v r="$r" -v i="$i" 'BEGIN { print r / i }')" \
        "${#ratios[@]}" "$(printf '%s\n' "${ratios[@]}" | median)"
}
echo "flood ping -c $COUNT over veth, $RUNS runs each, alternating${NICE:+, nice $NICE}"
compare "-q, packets per second from the ping loop's time" pps "${RQ[@]}" -- "${IQ[@]}"
compare "dots to /dev/null, packets per second by the wall clock" pps "${RD[@]}" -- "${ID[@]}"
if [ "${CPU:-0}" = 1 ]; then
    compare "-q, CPU time per packet (lower is better)" ns "${RC[@]}" -- "${IC[@]}"
fi

if [ "${STRACE:-0}" = 1 ]; then
    per_packet() {
        strace -f -c -o "$OUT" "$@" >/dev/null
        awk -v n="$COUNT" '
            $NF ~ /^(sendto|sendmsg|recvmsg|recvfrom|poll|ppoll|select|pselect6|write)$/ {
                printf "    %-8s %.2f\n", $NF, $4 / n; sum += $4
            }
            END { printf "    %-8s %.2f\n", "total", sum / n }' "$OUT"
    }
    echo "system calls per packet (strace -f -c):"
    echo "  rawnet -q";     per_packet "$RAWNET" -n "$A" ping -f -c "$COUNT" -q "$DST"
    echo "  iputils -q";    per_packet "${IPU_Q[@]}"
    echo "  rawnet dots";   per_packet "${RAW_D[@]}"
    echo "  iputils dots";  per_packet "${IPU_D[@]}"
fi
