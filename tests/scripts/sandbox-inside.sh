#!/bin/bash
# The inside of sandbox.sh: runs in the sandbox's own network and mount
# namespaces (see there).
set -u
script=$1 out=$2 real_ip=$3 real_bridge=$4 real_tc=$5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p /run/netns
mount -t tmpfs rawnet-scripts /run/netns || exit 90
"$real_ip" link set lo up
# The program a script attaches with tc: pinned on a bpffs of the sandbox's
# own (this mount namespace's; gone with it), as `bpffs/drop_echo`.
if [ -n "${RAWNET:-}" ]; then
    mkdir -p "$out/bpffs"
    mount -t bpf bpf "$out/bpffs" || exit 92
    "$RAWNET" bpf prog load "$here/../../src/bpf/programs/drop_icmp_echo.s" \
        type tc pin "$out/bpffs/drop_echo" >/dev/null || exit 93
fi
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
    "$real_tc" "$@" -j qdisc show >"$out/state/$tag.qdiscs"
    # The filters of each clsact hook there is.
    local dev dir
    for dev in $("$real_ip" "$@" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
        "$real_tc" "$@" qdisc show dev "$dev" | grep -q '^qdisc clsact' || continue
        for dir in ingress egress; do
            "$real_tc" "$@" -j filter show dev "$dev" "$dir" >"$out/state/$tag.filters-$dev-$dir"
        done
    done
}
dump sandbox
for ns in $(ls /run/netns); do
    dump "netns-$ns" -n "$ns"
done
