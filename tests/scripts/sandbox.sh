#!/bin/bash
# Run one script of this folder in a sandbox and record what it did:
#   sandbox.sh SCRIPT OUTDIR TOOL
# TOOL is `iproute2` (the scripts' `ip`, `bridge` and `tc` are iproute2's)
# or a program that then runs under the names `ip`, `bridge` and `tc`
# (rawnet: a symlink of each name to it, so it sees the name it was called
# by). With RAWNET set (the rawnet binary), a bpffs is mounted on the run's
# directory as `bpffs` inside the sandbox and src/bpf/programs/
# drop_icmp_echo.s is pinned there as `bpffs/drop_echo` by that rawnet,
# whatever TOOL is: the scripts run in the run's directory and name it by
# that relative path. The
# sandbox is a fresh network namespace and a private mount namespace with
# its own /run/netns: the script's "host" is not the host, and every
# namespace it names disappears with the sandbox.
# OUTDIR gets: steps (exit status and words of every `ip`, `bridge`, `tc` the
# script ran, in order), stdout, stderr, status (the script's), and state/
# (the final state of the sandbox and of every named namespace in it, as
# `ip -j` and `tc -j` show it, read with iproute2's whatever TOOL was).
set -u
script=$1 out=$2 tool=$3
here=$(cd "$(dirname "$0")" && pwd)
real_ip=$(command -v ip) || { echo "no ip" >&2; exit 91; }
real_bridge=$(command -v bridge) || { echo "no bridge" >&2; exit 91; }
real_tc=$(command -v tc) || { echo "no tc" >&2; exit 91; }
mkdir -p "$out/bin" "$out/tool" "$out/state"
for name in ip bridge tc; do
    if [ "$tool" = iproute2 ]; then
        target=$(command -v "$name") || { echo "no $name" >&2; exit 91; }
    else
        target=$(command -v "$tool") || { echo "no $tool" >&2; exit 91; }
    fi
    ln -sf "$target" "$out/tool/$name"
    cat >"$out/bin/$name" <<WRAP
#!/bin/sh
"$out/tool/$name" "\$@"
rc=\$?
printf '%s\t%s %s\n' "\$rc" "$name" "\$*" >>"$out/steps"
exit \$rc
WRAP
    chmod +x "$out/bin/$name"
done
: >"$out/steps"
exec unshare --mount --net --propagation private -- \
    bash "$here/sandbox-inside.sh" "$script" "$out" "$real_ip" "$real_bridge" "$real_tc"
