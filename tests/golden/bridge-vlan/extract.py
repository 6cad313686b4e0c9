"""Cut the netlink messages out of strace-bridge-6.1.txt into .hex files.

Usage: python3 extract.py   (run in this directory; rewrites the .hex files).
The cutting is ../strace_cut.py's.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from strace_cut import cut  # noqa: E402

# file name -> (section, index among interesting datagrams)
TABLE = {
    "vlan-add-pvid-untagged.hex": ("bridge vlan add dev veth0 vid 10 pvid untagged", 0),
    "vlan-add-pvid-untagged-reply.hex": ("bridge vlan add dev veth0 vid 10 pvid untagged", 1),
    "vlan-add-range.hex": ("bridge vlan add dev veth0 vid 20-30", 0),
    "vlan-add-self.hex": ("bridge vlan add dev br0 vid 40 self", 0),
    "vlan-del-master.hex": ("bridge vlan del dev veth0 vid 10 master", 0),
    "vlan-add-range-self-master.hex": ("bridge vlan add dev veth0 vid 100-102 untagged self master", 0),
    "vlan-add-tunnel.hex": ("bridge vlan add dev veth0 vid 5 tunnel_info id 1005", 0),
    "vlan-add-tunnel-range.hex": ("bridge vlan add dev veth0 vid 5-7 tunnel_info id 1005-1007", 0),
    "vlan-del-vid0.hex": ("bridge vlan del dev veth0 vid 0", 0),
    "vlan-dump-req.hex": ("bridge vlan show", 0),
    "vlan-dump-reply.hex": ("bridge vlan show", 1),
    "vlan-dump-compressed-req.hex": ("bridge -com vlan show", 0),
}

if __name__ == "__main__":
    cut("strace-bridge-6.1.txt", TABLE, skip_link_dump=True)
