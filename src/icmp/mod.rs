//! ICMP echo (ping) for IPv4 and ICMPv6. (to be written)
