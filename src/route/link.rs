//! Network interfaces: `struct ifinfomsg`, `IFLA_*`, and the link operations.
//!
//! Lookups of one link by name or index use a `RTM_GETLINK` request for that
//! link, never a full dump.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::{RTM_GETLINK, RTM_NEWLINK};
use crate::error::{Error, Result};
use crate::netlink::{Connection, MessageBuilder};

/// `struct ifinfomsg` (linux/rtnetlink.h).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct IfInfoMsg {
    pub ifi_family: u8,
    pub ifi_pad: u8,
    /// ARPHRD_* device type.
    pub ifi_type: u16,
    pub ifi_index: i32,
    /// IFF_* flags.
    pub ifi_flags: u32,
    /// Mask of the flags to change.
    pub ifi_change: u32,
}
const _: () = assert!(core::mem::size_of::<IfInfoMsg>() == 16);

// IFLA_* attributes (linux/if_link.h).
pub const IFLA_ADDRESS: u16 = 1;
pub const IFLA_BROADCAST: u16 = 2;
pub const IFLA_IFNAME: u16 = 3;
pub const IFLA_MTU: u16 = 4;
pub const IFLA_LINK: u16 = 5;
pub const IFLA_QDISC: u16 = 6;
pub const IFLA_MASTER: u16 = 10;
pub const IFLA_TXQLEN: u16 = 13;
pub const IFLA_OPERSTATE: u16 = 16;
pub const IFLA_LINKMODE: u16 = 17;
pub const IFLA_LINKINFO: u16 = 18;
pub const IFLA_NET_NS_PID: u16 = 19;
pub const IFLA_IFALIAS: u16 = 20;
pub const IFLA_GROUP: u16 = 27;
pub const IFLA_NET_NS_FD: u16 = 28;
pub const IFLA_EXT_MASK: u16 = 29;
pub const IFLA_PROMISCUITY: u16 = 30;
pub const IFLA_NUM_TX_QUEUES: u16 = 31;
pub const IFLA_NUM_RX_QUEUES: u16 = 32;
pub const IFLA_CARRIER: u16 = 33;
pub const IFLA_LINK_NETNSID: u16 = 37;
pub const IFLA_MIN_MTU: u16 = 50;
pub const IFLA_MAX_MTU: u16 = 51;
pub const IFLA_ALT_IFNAME: u16 = 53;

// IFLA_LINKINFO nest.
pub const IFLA_INFO_KIND: u16 = 1;
pub const IFLA_INFO_DATA: u16 = 2;
// IFLA_INFO_DATA of veth (linux/veth.h).
pub const VETH_INFO_PEER: u16 = 1;

/// `RTEXT_FILTER_VF`, `RTEXT_FILTER_SKIP_STATS` for `IFLA_EXT_MASK`.
pub const RTEXT_FILTER_VF: u32 = 1 << 0;
pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

/// Interface names are at most 15 bytes (`IFNAMSIZ - 1`).
pub const IFNAMSIZ: usize = 16;

/// Check an interface name as the kernel will: 1..=15 bytes, no '/', no
/// whitespace, not "." or "..". The message is iproute2's.
pub fn validate_ifname(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() < IFNAMSIZ
        && name != "."
        && name != ".."
        && !name
            .bytes()
            .any(|b| b == b'/' || b == b':' || b.is_ascii_whitespace());
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "Error: argument \"{name}\" is wrong: \"name\" not a valid ifname"
        )))
    }
}

/// A `RTM_GETLINK` request for one link by name.
pub fn get_link_by_name_request(name: &str) -> Result<crate::netlink::Request> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg::default());
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    m.put_str(IFLA_IFNAME, name);
    m.finish()
}

/// The index of the link called `name`, by a `RTM_GETLINK` for it.
/// A missing link is `Error::NotFound("Cannot find device \"NAME\"")`.
pub fn link_index(conn: &mut Connection, name: &str) -> Result<u32> {
    validate_ifname(name).map_err(|_| not_found(name))?;
    let mut index = None;
    let result = conn.request(get_link_by_name_request(name)?, |msg| {
        if msg.message_type() == RTM_NEWLINK {
            let (ifi, _) = msg.fixed::<IfInfoMsg>("ifinfomsg")?;
            index = Some(ifi.ifi_index as u32);
        }
        Ok(())
    });
    match result {
        Err(Error::Kernel(k)) if k.errno == libc::ENODEV => Err(not_found(name)),
        Err(e) => Err(e),
        Ok(()) => index.ok_or_else(|| not_found(name)),
    }
}

/// iproute2's message for a device that does not exist.
pub fn not_found(name: &str) -> Error {
    Error::NotFound(format!("Cannot find device \"{name}\""))
}
