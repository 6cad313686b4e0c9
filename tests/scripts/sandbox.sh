#!/bin/bash
# Run one script of this folder in a sandbox and record what it did:
#   sandbox.sh SCRIPT OUTDIR TOOL
# TOOL is the program that runs under the name `ip` (iproute2's ip, or
# rawnet). The sandbox is a fresh network namespace and a private mount
# namespace with its own /run/netns: the script's "host" is not the host,
# and every namespace it names disappears with the sandbox.
# OUTDIR gets: steps (exit status and words of every `ip` the script ran,
# in order), stdout, stderr, status (the script's), and state/ (the final
# state of the sandbox and of every named namespace in it, as `ip -j`
# shows it, read with iproute2's ip whatever TOOL was).
set -u
script=$1 out=$2 tool=$(command -v "$3") || { echo "no $3" >&2; exit 91; }
here=$(cd "$(dirname "$0")" && pwd)
real_ip=$(command -v ip)
mkdir -p "$out/bin" "$out/state"
cat >"$out/bin/ip" <<WRAP
#!/bin/sh
"$tool" "\$@"
rc=\$?
printf '%s\t%s\n' "\$rc" "\$*" >>"$out/steps"
exit \$rc
WRAP
chmod +x "$out/bin/ip"
: >"$out/steps"
exec unshare --mount --net --propagation private -- \
    bash "$here/sandbox-inside.sh" "$script" "$out" "$real_ip"
