#!/bin/bash
# The inside of sandbox.sh: runs in the sandbox's own network and mount
# namespaces (see there).
set -u
script=$1 out=$2 real_ip=$3 real_bridge=$4
mkdir -p /run/netns
mount -t tmpfs rawnet-scripts /run/netns || exit 90
"$real_ip" link set lo up
cd "$out"
PATH="$out/bin:$PATH" timeout 120 bash "$script" >"$out/stdout" 2>"$out/stderr"
echo $? >"$out/status"
dump() {
    local tag=$1; shift
    "$real_ip" "$@" -d -j link show >"$out/state/$tag.links"
    "$real_ip" "$@" -j addr show >"$out/state/$tag.addrs"
    "$real_ip" "$@" -4 -j route show table all >"$out/state/$tag.routes4"
    "$real_ip" "$@" -6 -j route show table all >"$out/state/$tag.routes6"
    "$real_ip" "$@" -4 -j rule show >"$out/state/$tag.rules4"
    "$real_ip" "$@" -6 -j rule show >"$out/state/$tag.rules6"
    "$real_ip" "$@" -j neigh show nud permanent >"$out/state/$tag.neigh"
    "$real_bridge" "$@" -j fdb show >"$out/state/$tag.fdb"
}
dump sandbox
for ns in $(ls /run/netns); do
    dump "netns-$ns" -n "$ns"
done
