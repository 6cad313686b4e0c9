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
/// IPv4 policy rules: `RTM_NEWRULE` / `RTM_DELRULE` of `AF_INET`.
pub const RTNLGRP_IPV4_RULE: u32 = 8;
/// IPv6 policy rules: `RTM_NEWRULE` / `RTM_DELRULE` of `AF_INET6`.
pub const RTNLGRP_IPV6_RULE: u32 = 19;
/// Namespace ids: `RTM_NEWNSID` / `RTM_DELNSID` when this namespace gives
/// another an id, or the other namespace goes away.
pub const RTNLGRP_NSID: u32 = 28;
