#!/usr/bin/env bash
# Whole-process start of one short command: `rawnet link show` against
# `ip link show`, plain and with `-n NS`, in a namespace this script creates
# (three veth pairs) and removes again, also on failure or Ctrl-C.
#
#   benches/compare/startup.sh [RAWNET_BINARY...]
#   ROUNDS=10 RUNS=50 RT=1 benches/compare/startup.sh target/*/release/rawnet
#
# Builds nothing: give it the binaries to measure (default: the static musl
# release build); several are measured side by side in the same run. Needs
# root, iproute2, hyperfine and jq. Each round runs every command RUNS times
# after a warm-up, and the rounds repeat, so a noisy neighbour hits all of
# them alike; the medians are over every run of every round. Output goes to
# /dev/null for every command. On a machine busy with other work a run often
# waits a scheduler tick for a CPU (a second mode near 4 ms): RT=1 runs the
# measurement at real-time priority (`chrt -f 10`), which keeps other
# processes from interleaving but takes a CPU from them while it runs.
set -euo pipefail

[ $# -gt 0 ] || set -- target/x86_64-unknown-linux-musl/release/rawnet
rounds=${ROUNDS:-10}
runs=${RUNS:-50}
priority=()
[ "${RT:-0}" = 1 ] && priority=(chrt -f 10)
for tool in ip hyperfine jq; do
  command -v "$tool" >/dev/null || { echo "startup.sh: needs $tool" >&2; exit 2; }
done
bins=()
for b in "$@"; do
  [ -x "$b" ] || { echo "startup.sh: no binary at $b" >&2; exit 2; }
  bins+=("$(realpath "$b")")
done

ns="rn-startup-$$"
work=$(mktemp -d)
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
for i in 1 2 3; do
  ip -n "$ns" link add "v$i" type veth peer name "p$i"
done
ip -n "$ns" link set lo up

# What is compared: "name|arguments" (NS stands for the namespace). hyperfine
# -N runs each command without a shell; every round runs under one
# `ip netns exec NS`, so the plain commands see the namespace's few links too
# (the -n commands name the namespace themselves).
cases=(
  "link show|link show"
  "-n NS link show|-n $ns link show"
)
commands=()
for c in "${cases[@]}"; do
  IFS='|' read -r _ words <<<"$c"
  commands+=("ip $words")
  for b in "${bins[@]}"; do commands+=("$b $words"); done
done

for ((r = 0; r < rounds; r++)); do
  "${priority[@]}" ip netns exec "$ns" hyperfine -N --warmup 20 -r "$runs" --output=null \
    --export-json "$work/round$r.json" "${commands[@]}" >/dev/null 2>&1
done

median_us() { # the median of every run of command $1, in microseconds
  jq -r --arg c "$1" '.results[] | select(.command == $c) | .times[]' "$work"/round*.json |
    sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f", m * 1e6 }'
}

for i in "${!bins[@]}"; do
  echo "rawnet[$i] = ${bins[$i]} ($(stat -c %s "${bins[$i]}") bytes)"
done
printf '%-16s %9s' "command" "ip (us)"
for i in "${!bins[@]}"; do printf ' %12s %6s' "rawnet[$i] us" "ratio"; done
echo
for c in "${cases[@]}"; do
  IFS='|' read -r name words <<<"$c"
  base=$(median_us "ip $words")
  printf '%-16s %9s' "$name" "$base"
  for b in "${bins[@]}"; do
    m=$(median_us "$b $words")
    printf ' %12s %6.2f' "$m" "$(awk -v a="$base" -v b="$m" 'BEGIN { print b / a }')"
  done
  echo
done
echo "($rounds rounds x $runs runs of each command; medians of all runs${priority:+; ${priority[*]}})"
