"""Cut the netlink messages out of strace-iproute2-6.1.txt into .hex files.

Usage: python3 extract.py   (run in this directory; rewrites the .hex files).
The cutting is ../strace_cut.py's.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from strace_cut import cut  # noqa: E402

# file name -> (section, index among interesting datagrams)
TABLE = {
    "neigh-add-v4.hex": ("ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent", 0),
    "neigh-replace-reachable.hex": ("ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud reachable", 0),
    "neigh-del-v4.hex": ("ip neigh del 10.0.0.2 dev veth0", 0),
    "neigh-del-missing-reply.hex": ("ip neigh del 10.0.0.2 dev veth0", 1),
    "neigh-add-v6.hex": ("ip -6 neigh add fd00::2 lladdr 02:00:00:00:00:02 dev veth0", 0),
    "neigh-add-proxy.hex": ("ip neigh add proxy 10.0.0.9 dev veth0", 0),
    "neigh-add-stale-router.hex": ("ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale router", 0),
    "neigh-dump-req.hex": ("ip neigh show", 0),
    "neigh-dump-reply.hex": ("ip neigh show", 1),
    "neigh-dump-proxy-req.hex": ("ip neigh show proxy", 0),
    "neigh-dump-proxy-reply.hex": ("ip neigh show proxy", 1),
    "neigh-dump-dev-req.hex": ("ip neigh show dev veth0", 0),
    "fdb-add-vxlan.hex": ("bridge fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2 self permanent", 0),
    "fdb-append-zero.hex": ("bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.3 self permanent", 0),
    "fdb-add-vni-port.hex": ("bridge fdb add 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790 self permanent", 0),
    "fdb-del-vni-port.hex": ("bridge fdb del 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790 self", 0),
    "fdb-del-missing.hex": ("bridge fdb del 02:00:00:00:00:0a dev vx0 self", 0),
    "fdb-del-missing-reply.hex": ("bridge fdb del 02:00:00:00:00:0a dev vx0 self", 1),
    "fdb-add-master.hex": ("bridge fdb add 02:00:00:00:00:0b dev veth0 master", 0),
    "fdb-replace-master-static.hex": ("bridge fdb replace 02:00:00:00:00:0c dev veth0 master static", 0),
    "fdb-dump-req.hex": ("bridge fdb show", 0),
    "fdb-dump-reply.hex": ("bridge fdb show", 1),
    "fdb-dump-dev-req.hex": ("bridge fdb show dev vx0", 0),
}

if __name__ == "__main__":
    cut("strace-iproute2-6.1.txt", TABLE, skip_link_dump=True)
