"""Cut the netlink messages out of strace-iproute2-6.1.txt into .hex files.

Usage: python3 extract.py   (run in this directory; rewrites the .hex files).
The cutting is ../strace_cut.py's.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from strace_cut import cut  # noqa: E402

# file name -> (section, index among the section's datagrams)
TABLE = {
    "rule-add-from-table-pref.hex": ("ip rule add from 10.0.0.0/8 table 100 pref 100", 0),
    "rule-add-full.hex": ("ip rule add not from 10.1.0.0/16 to 192.168.1.1 priority 200 fwmark 0x10/0xff protocol static lookup main suppress_prefixlength 0 iif veth0 oif veth1", 0),
    "rule-add-big-table-ports.hex": ("ip rule add fwmark 5 table 1000 uidrange 10-20 ipproto tcp sport 80 dport 1000-2000", 0),
    "rule-add-tos-blackhole.hex": ("ip rule add tos 0x10 blackhole", 0),
    "rule-add-goto.hex": ("ip rule add pref 50 goto 32766", 0),
    "rule-add-from-all-prohibit.hex": ("ip rule add from all prohibit", 0),
    "rule-add-l3mdev.hex": ("ip rule add pref 300 l3mdev", 0),
    "rule-add-v6.hex": ("ip -6 rule add from 2001:db8::/32 pref 10 table 7", 0),
    "rule-del-pref.hex": ("ip rule del pref 100", 0),
    "rule-del-missing-reply.hex": ("ip rule del from 10.0.0.0/8 table 100", 1),
    "rule-del-v6.hex": ("ip -6 rule del from 2001:db8::/32", 0),
    "rule-dump-req.hex": ("ip rule show", 0),
    "rule-dump-reply.hex": ("ip rule show", 1),
    "rule-dump-v6-req.hex": ("ip -6 rule show", 0),
}

if __name__ == "__main__":
    cut("strace-iproute2-6.1.txt", TABLE, skip_link_dump=False)
