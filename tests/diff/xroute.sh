#!/bin/bash
# Differential driver: rawnet against `ip` 6.1 for address, route, rule and
# neighbour commands as scripts write them.
#
# Usage: tests/diff/xroute.sh RAWNET [CASES-FILE]
# Builds the same state in two fresh namespaces (A and B). Each case line:
#   S <args>   show: `ip -n A <args>` and `rawnet -n A <args>` must print the
#              same stdout and stderr and exit alike.
#   C <args>   change: `ip -n A <args>` and `rawnet -n B <args>`, same output,
#              then the state of A and B (ip -j dumps) must be equal.
#   R          rebuild both namespaces from scratch.
# Lines starting with # and blank lines are skipped. Prints one DIFF block per
# difference and a summary; exits 1 when any case differed.
set -u
RAWNET=${1:?rawnet binary}
CASES=${2:-$(dirname "$0")/xroute.cases}
A=xrA$$; B=xrB$$
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
trap cleanup EXIT

build() {
    local n=$1
    ip netns del $n 2>/dev/null
    ip netns add $n
    # No link-local addresses: no DAD, MLD or router solicitations changing
    # state behind the comparison's back.
    ip netns exec $n sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
    ip -n $n -batch - <<'B'
link set lo up
link add v0 address 02:00:00:00:00:10 type veth peer name v0p address 02:00:00:00:00:11
link add v1 address 02:00:00:00:00:20 type veth peer name v1p address 02:00:00:00:00:21
link add br0 address 02:00:00:00:00:30 type bridge
link add p0 address 02:00:00:00:00:40 type veth peer name p0x address 02:00:00:00:00:41
link set p0 master br0
link set v0 up
link set v0p up
link set v1 up
link set v1p up
link set br0 up
link set p0 up
link set p0x up
addr add 10.0.0.1/24 dev v0
addr add 10.0.0.5/24 dev v0 label v0:1
addr add 10.1.0.1/16 brd + dev v1
addr add 192.168.7.1/24 dev br0
addr add 2001:db8::1/64 dev v0 nodad
addr add 2001:db8:1::1/64 dev v1 nodad
addr add 2001:db8:7::1/64 dev br0 nodad
addr add fd00::1/128 dev lo
route add 172.16.0.0/16 via 10.0.0.2
route add 172.17.0.0/16 dev v1 metric 50
route add 172.18.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.1.0.2 weight 3
route add blackhole 198.18.0.0/15
route add unreachable 198.20.0.0/16
route add prohibit 198.21.0.0/16
route add throw 198.22.0.0/16
route add 10.9.0.0/16 via 10.0.0.2 table 100
route add default via 10.1.0.254 table 100
route add local 10.8.8.8 dev v0 table local
route add 2001:db8:9::/48 via 2001:db8::2
route add 2001:db8:a::/48 nexthop via 2001:db8::2 nexthop via 2001:db8:1::2
route add ::/0 via 2001:db8::fe
route add blackhole 2001:db8:dead::/48
route add 192.0.2.0/24 via 10.0.0.3 proto static scope global src 10.0.0.1 mtu 1400
rule add from 10.0.0.0/8 table 100 pref 100
rule add to 172.16.0.0/12 lookup 100 pref 200
rule add fwmark 0x10/0xff table 100 pref 300
rule add iif v0 table main pref 400
rule add not from 192.0.2.0/24 table 100 pref 500
neigh add 10.0.0.2 lladdr 02:00:00:00:aa:02 dev v0 nud permanent
neigh add 10.0.0.3 lladdr 02:00:00:00:aa:03 dev v0 nud noarp
neigh add 10.1.0.2 lladdr 02:00:00:00:bb:02 dev v1
neigh add 2001:db8::2 lladdr 02:00:00:00:aa:12 dev v0 nud permanent router
neigh add proxy 10.0.0.77 dev v0
neigh add proxy 2001:db8::77 dev v0
B
    ip -n $n -6 rule add from 2001:db8::/32 table 100 pref 100
}

state() {
    local n=$1
    for w in "addr" "-4 route show table all" "-6 route show table all" \
             "-4 rule" "-6 rule" "neigh show nud all" "neigh show proxy"; do
        echo "== $w"
        # Lifetimes count down and neighbour states age: what both
        # namespaces reach a few milliseconds apart is compared without them.
        ip -n $n -o -d $w | grep -v -e 'ff0[02]::' -e '224\.0\.0\.' |
            sed -E -e 's/(valid|preferred)_lft [0-9]+sec/\1_lft N/g' \
                -e 's/( lladdr [0-9a-f:]+)? (REACHABLE|STALE|DELAY|PROBE|FAILED|INCOMPLETE) / AGING /' |
            sort
    done
}

diffs=0; cases=0
report() { # what ip-out rawnet-out
    echo "DIFF: $1"
    diff <(printf '%s' "$2") <(printf '%s' "$3") | sed 's/^/    /' | head -30
    diffs=$((diffs + 1))
}

run() { # tool ns args...
    local tool=$1 ns=$2; shift 2
    local o e rc
    o=$("$tool" -n "$ns" "$@" 2>/tmp/xr.err.$$); rc=$?
    e=$(sed "s/\"ip /\"TOOL /;s/\"rawnet /\"TOOL /" /tmp/xr.err.$$)
    printf 'rc=%s\n--stdout\n%s\n--stderr\n%s\n' "$rc" "$o" "$e"
}

build $A; build $B
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    kind=${line%% *}; args=${line#? }
    cases=$((cases + 1))
    # shellcheck disable=SC2086
    case $kind in
    S)  i=$(run ip $A $args); r=$(run "$RAWNET" $A $args)
        [ "$i" = "$r" ] || report "show: $args" "$i" "$r" ;;
    C)  i=$(run ip $A $args); r=$(run "$RAWNET" $B $args)
        [ "$i" = "$r" ] || report "change output: $args" "$i" "$r"
        sa=$(state $A); sb=$(state $B)
        if [ "$sa" != "$sb" ]; then
            report "change state: $args" "$sa" "$sb"
            build $A; build $B
        fi ;;
    R)  build $A; build $B ;;
    esac
done < "$CASES"
rm -f /tmp/xr.err.$$
echo "$cases cases, $diffs differences"
[ $diffs -eq 0 ]
