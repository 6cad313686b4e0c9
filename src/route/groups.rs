//! rtnetlink multicast groups (`enum rtnetlink_groups`, linux/rtnetlink.h):
//! the notifications a socket hears once it joins them (see
//! [`Monitor`](crate::netlink::Monitor)). Group numbers, not bit masks.

/// Links: `RTM_NEWLINK` / `RTM_DELLINK` (and `AF_BRIDGE` port messages).
pub const RTNLGRP_LINK: u32 = 1;
/// Neighbours and forwarding-database entries: `RTM_NEWNEIGH` /
/// `RTM_DELNEIGH`, and `RTM_GETNEIGH` when the kernel asks user space to resolve.
pub const RTNLGRP_NEIGH: u32 = 3;
pub const RTNLGRP_IPV4_IFADDR: u32 = 5;
pub const RTNLGRP_IPV4_ROUTE: u32 = 7;
pub const RTNLGRP_IPV6_IFADDR: u32 = 9;
pub const RTNLGRP_IPV6_ROUTE: u32 = 11;
