#!/usr/bin/env bash
# Fuzz each target for a while, seeded with the real captures under tests/golden.
#
#   fuzz/run.sh [SECONDS] [TARGET...]   default: 25 s each, every target
#
# Needs a nightly toolchain and cargo-fuzz. New inputs go to fuzz/corpus/TARGET
# (kept between runs, not committed); a crash stops the run with its input in
# fuzz/artifacts/TARGET and a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-25}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)

golden=../tests/golden
seeds() {
  case $1 in
    parse_message) ls $golden/dumps/*.bin $golden/kinds/*.bin $golden/link/*.bin ;;
    link_view) ls $golden/dumps/link-dump.bin $golden/kinds/*.bin $golden/link/*.bin ;;
    addr_view) ls $golden/dumps/addr-dump.bin ;;
    route_view) ls $golden/dumps/route-dump.bin ;;
    neigh_view) ls $golden/dumps/neigh-dump.bin $golden/dumps/fdb-dump.bin ;;
    ext_ack) ls $golden/dumps/ext-ack.bin ;;
    nft_dump) ls $golden/nft-core/*.bin; hex_seeds ;;
    icmp_echo) ls $golden/icmp/*.bin ;;
    trace_decode) selector_seeds ;;
    command_line) ls $golden/batch/*.batch ;;
    bpf_asm) ls $golden/bpf/*.s ;;
    bpf_disasm) ls $golden/bpf/*.bin ;;
    tc_dump) ls $golden/tc/*.bin ;;
    nft_command) ls $golden/nft-expr/commands.txt $golden/nft-sets/commands.txt $golden/nft-expr/listing.txt $golden/nft-sets/listing.txt ;;
    *) echo "no seeds listed for fuzz target $1" >&2; return 1 ;;
  esac
}

# nft_dump also takes the hex captures of tests/golden/nft-expr and nft-sets
# (one message a line; requests.txt: COMMAND<TAB>HEX...), one seed a line, as
# bytes under corpus/.
hex_seeds() {
  local dir=corpus/.seeds-nft_dump f n=0 line
  mkdir -p $dir
  for f in $golden/nft-expr/dump.txt $golden/nft-sets/dump.txt \
           $golden/nft-expr/requests.txt $golden/nft-sets/requests.txt; do
    while IFS= read -r line; do
      for h in $(printf '%s\n' "$line" | tr '\t' '\n' | grep -E '^[0-9a-f]+$'); do
        n=$((n + 1))
        # hex to bytes with bash's printf alone (no xxd on a fresh machine)
        printf '%b' "$(printf '%s' "$h" | sed 's/../\\x&/g')" >"$dir/nft-$n.bin"
      done
    done <"$f"
  done
  ls $dir/*.bin
}

# trace_decode reads a selector byte before the datagram (bit 0: received, bit 1:
# nfnetlink): its seeds are the captured kernel answers behind 0x01 (received,
# rtnetlink) and iproute2's captured requests behind 0x00 (sent), under corpus/.
selector_seeds() {
  local dir=corpus/.seeds-trace_decode f
  mkdir -p $dir
  for f in $golden/dumps/*.bin $golden/kinds/reply-*.bin $golden/link/newlink-*.bin; do
    { printf '\001'; cat "$f"; } >"$dir/received-${f##*/}"
  done
  for f in $golden/kinds/*.bin; do
    case ${f##*/} in reply-*) continue ;; esac
    { printf '\000'; cat "$f"; } >"$dir/sent-${f##*/}"
  done
  ls $dir/*
}

for target in "${targets[@]}"; do
  list=$(seeds "$target" | paste -sd, -)
  mkdir -p "corpus/$target"
  echo "--- $target: ${seconds} s, seeds: $(echo "$list" | tr , '\n' | wc -l) captures"
  log=${TMPDIR:-/tmp}/rawnet-fuzz-$target.log
  rc=0
  # The trace decoder is slow on the 150 KB dumps; it learns as much from
  # their first 4 KiB.
  extra=()
  [ "$target" = trace_decode ] && extra=(-max_len=4096)
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -seed_inputs="$list" -max_total_time="$seconds" -rss_limit_mb=2048 "${extra[@]}" >"$log" 2>&1 || rc=$?
  grep -E '^(INFO: seed corpus|#[0-9]+[[:space:]]+(INITED|DONE))' "$log" || true
  if [ $rc -ne 0 ]; then
    tail -n 40 "$log"
    echo "fuzz target $target failed (exit $rc); the input is in fuzz/artifacts/$target"
    exit 1
  fi
done
