#!/usr/bin/env bash
# Capture the batch datagrams nft 1.0.6 sends (strace -e write=3 hex dump of
# its sendmsg), one .bin per command, in a private network namespace.
# Run as root from this directory: ./capture.sh
set -euo pipefail
NS=rawnet-nftcap-$$
ip netns add $NS
trap 'ip netns del $NS' EXIT
cap() {
  local out=$1; shift
  ip netns exec $NS strace -f -qq -e trace=sendmsg -e write=3 -o /tmp/$NS.trace nft "$@"
  hex "$out"
  echo "$out: nft $*" >>PROVENANCE.cmds
}
# What the kernel answers to nft's dumps (recvmsg hex dump), NEWGEN included.
dump() {
  local out=$1; shift
  ip netns exec $NS strace -f -qq -e trace=recvmsg -e read=3 -o /tmp/$NS.trace nft "$@" >/dev/null
  hex "$out"
  echo "$out: answers to nft $*" >>PROVENANCE.cmds
}
hex() {
  local out=$1
  python3 - /tmp/$NS.trace "$out" <<'PY'
import re, sys
data = b""
for line in open(sys.argv[1]):
    m = re.match(r"^\s*(?:\d+\s+)?\| [0-9a-f]{5}  ", line)
    if m:
        data += bytes.fromhex(line[m.end():m.end() + 49].replace(" ", ""))
open(sys.argv[2], "wb").write(data)
PY
  rm -f /tmp/$NS.trace
}
rm -f PROVENANCE.cmds
cap add-table-inet.bin add table inet t
cap create-table-ip.bin create table ip t2
cap add-chain-base.bin add chain inet t c '{ type filter hook input priority filter; policy drop; }'
cap add-chain-nat.bin add chain ip t2 n '{ type nat hook postrouting priority srcnat; }'
cap add-chain-regular.bin add chain inet t reg
cap create-chain.bin create chain inet t reg2
cap flush-chain.bin flush chain inet t c
cap flush-table.bin flush table inet t
cap delete-chain.bin delete chain inet t reg
cap delete-table.bin delete table ip t2
cap add-table-netdev.bin add table netdev nd
cap add-chain-netdev.bin add chain netdev nd i '{ type filter hook ingress device lo priority 0; }'
cap add-table-ip.bin add table ip t3
cap add-chain-ip-all.bin add chain ip t3 c '{ type filter hook forward priority -5; policy accept; }'
dump ruleset-dump.bin list ruleset
