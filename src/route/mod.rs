//! rtnetlink: one file per kernel object.
//!
//! - [`link`] — network interfaces (`RTM_*LINK`, `struct ifinfomsg`, `IFLA_*`)
//! - [`addr`] — addresses (`RTM_*ADDR`, `struct ifaddrmsg`, `IFA_*`)
//! - [`route`](mod@route) — routes (`RTM_*ROUTE`, `struct rtmsg`, `RTA_*`)
//! - [`prefix`] — parsing `ADDR[/LEN]` the way iproute2 does
//!
//! Message types of rtnetlink (linux/rtnetlink.h) live here; each object's
//! structs and attribute numbers live in its own file.

pub mod addr;
pub mod link;
pub mod prefix;
#[allow(clippy::module_inception)]
pub mod route;

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
pub const RTM_SETLINK: u16 = 19;
pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub const RTM_GETADDR: u16 = 22;
pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;
