//! What rtnetlink says about tun/tap devices: the `IFLA_TUN_*` attributes of
//! `IFLA_LINKINFO` / `IFLA_INFO_DATA` for kind "tun" (linux/if_link.h), the
//! filtered dump `ip tuntap show` sends, and the typed view [`TunDevice`].
//!
//! Netlink works in any namespace the connection was opened in (unlike
//! `/sys`, which shows the namespace that mounted it). It carries the type,
//! pi, vnet_hdr, multi_queue, persist, owner and group, but not
//! `IFF_ONE_QUEUE` or the NAPI flags: [`super::sysfs`] reads those.
//!
//! Invariant: [`TunDevice::parse`] reads a message in one pass and never
//! panics; a malformed attribute it reads fails with its name, others are
//! skipped; a link that is not a tun/tap device is `Ok(None)`.

use crate::error::{DecodeError, Result};
use crate::netlink::{Attr, Connection, Message, MessageBuilder, Request};
use crate::route::link::{IfInfoMsg, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO};
use crate::route::{RTM_GETLINK, RTM_NEWLINK};

use super::flags::{Mode, TunFlags};

/// `IFLA_INFO_KIND` of tun and tap devices alike.
pub const TUN_KIND: &str = "tun";

// IFLA_TUN_* (linux/if_link.h), inside IFLA_INFO_DATA of kind "tun": the
// kind's own definitions.
pub use crate::route::kind::tun::{
    IFLA_TUN_GROUP, IFLA_TUN_MULTI_QUEUE, IFLA_TUN_NUM_DISABLED_QUEUES, IFLA_TUN_NUM_QUEUES,
    IFLA_TUN_OWNER, IFLA_TUN_PERSIST, IFLA_TUN_PI, IFLA_TUN_TYPE, IFLA_TUN_VNET_HDR,
};

/// `ARPHRD_ETHER` (tap) and `ARPHRD_NONE` (tun): the link types
/// `ip tuntap show` lists.
pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_NONE: u16 = 0xfffe;

/// The `IFLA_TUN_*` attributes; `None` when the kernel did not send one
/// (owner and group are sent only when set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TunInfo {
    /// `IFLA_TUN_OWNER`: the uid allowed to attach.
    pub owner: Option<u32>,
    /// `IFLA_TUN_GROUP`: the gid allowed to attach.
    pub group: Option<u32>,
    /// `IFLA_TUN_TYPE`: `IFF_TUN` or `IFF_TAP`.
    pub tun_type: Option<u8>,
    /// `IFLA_TUN_PI`: packets carry `struct tun_pi`.
    pub pi: Option<bool>,
    pub vnet_hdr: Option<bool>,
    pub persist: Option<bool>,
    pub multi_queue: Option<bool>,
    /// `IFLA_TUN_NUM_QUEUES`, `IFLA_TUN_NUM_DISABLED_QUEUES` (multi-queue devices).
    pub num_queues: Option<u32>,
    pub num_disabled_queues: Option<u32>,
}

fn named<T>(r: Result<T, DecodeError>, what: &'static str) -> Result<T, DecodeError> {
    r.map_err(|e| e.named(what))
}

fn flag(a: &Attr<'_>, what: &'static str) -> Result<Option<bool>, DecodeError> {
    Ok(Some(named(a.u8(), what)? != 0))
}

impl TunInfo {
    /// Parse the attributes of `IFLA_INFO_DATA`.
    pub fn parse(data: &Attr<'_>) -> Result<TunInfo, DecodeError> {
        let mut t = TunInfo::default();
        for a in data.nested() {
            let a = a?;
            match a.kind() {
                IFLA_TUN_OWNER => t.owner = Some(named(a.u32(), "IFLA_TUN_OWNER")?),
                IFLA_TUN_GROUP => t.group = Some(named(a.u32(), "IFLA_TUN_GROUP")?),
                IFLA_TUN_TYPE => t.tun_type = Some(named(a.u8(), "IFLA_TUN_TYPE")?),
                IFLA_TUN_PI => t.pi = flag(&a, "IFLA_TUN_PI")?,
                IFLA_TUN_VNET_HDR => t.vnet_hdr = flag(&a, "IFLA_TUN_VNET_HDR")?,
                IFLA_TUN_PERSIST => t.persist = flag(&a, "IFLA_TUN_PERSIST")?,
                IFLA_TUN_MULTI_QUEUE => t.multi_queue = flag(&a, "IFLA_TUN_MULTI_QUEUE")?,
                IFLA_TUN_NUM_QUEUES => t.num_queues = Some(named(a.u32(), "IFLA_TUN_NUM_QUEUES")?),
                IFLA_TUN_NUM_DISABLED_QUEUES => {
                    t.num_disabled_queues = Some(named(a.u32(), "IFLA_TUN_NUM_DISABLED_QUEUES")?)
                }
                _ => {}
            }
        }
        Ok(t)
    }

    /// `tun` or `tap`, from `IFLA_TUN_TYPE`.
    pub fn mode(&self) -> Option<Mode> {
        self.tun_type
            .and_then(|t| Mode::of(TunFlags::from_bits_retain(u16::from(t))))
    }

    /// The device's `IFF_*` flags as far as netlink tells them (no
    /// `IFF_ONE_QUEUE`, no NAPI flags).
    pub fn flags(&self) -> TunFlags {
        let mut f = TunFlags::from_bits_retain(u16::from(self.tun_type.unwrap_or(0)));
        f.set(TunFlags::IFF_NO_PI, !self.pi.unwrap_or(false));
        f.set(TunFlags::IFF_VNET_HDR, self.vnet_hdr.unwrap_or(false));
        f.set(TunFlags::IFF_PERSIST, self.persist.unwrap_or(false));
        f.set(TunFlags::IFF_MULTI_QUEUE, self.multi_queue.unwrap_or(false));
        f
    }
}

/// One tun/tap device as a link dump shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunDevice {
    pub index: u32,
    /// `IFLA_IFNAME`: the kernel's bytes.
    pub name: Vec<u8>,
    /// `ifi_type`: `ARPHRD_NONE` (tun) or `ARPHRD_ETHER` (tap).
    pub link_type: u16,
    pub info: TunInfo,
    /// `/sys/class/net/NAME/tun_flags` when it could be read for the right
    /// namespace (see [`super::sysfs`]); it has the bits netlink lacks.
    pub sysfs_flags: Option<TunFlags>,
}

impl TunDevice {
    /// The device if `msg` is an `RTM_NEWLINK` of kind "tun" with a name and
    /// a tun/tap link type (what iproute2's `print_tuntap` accepts).
    pub fn parse(msg: &Message<'_>) -> Result<Option<TunDevice>, DecodeError> {
        if msg.message_type() != RTM_NEWLINK {
            return Ok(None);
        }
        let (ifi, attrs) = msg.fixed::<IfInfoMsg>("ifinfomsg")?;
        if ifi.ifi_type != ARPHRD_NONE && ifi.ifi_type != ARPHRD_ETHER {
            return Ok(None);
        }
        let mut name = None;
        let mut kind_is_tun = false;
        let mut info = TunInfo::default();
        for a in attrs {
            let a = a?;
            match a.kind() {
                IFLA_IFNAME => name = Some(named(a.c_bytes(), "IFLA_IFNAME")?.to_vec()),
                IFLA_LINKINFO => {
                    for inner in a.nested() {
                        let inner = inner?;
                        match inner.kind() {
                            IFLA_INFO_KIND => {
                                // The kernel sends it NUL-terminated; iproute2 does not.
                                let kind = inner.payload();
                                let kind = kind.strip_suffix(&[0]).unwrap_or(kind);
                                kind_is_tun = kind == TUN_KIND.as_bytes();
                            }
                            IFLA_INFO_DATA => info = TunInfo::parse(&inner)?,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        match name {
            Some(name) if kind_is_tun => Ok(Some(TunDevice {
                index: ifi.ifi_index as u32,
                name,
                link_type: ifi.ifi_type,
                info,
                sysfs_flags: None,
            })),
            _ => Ok(None),
        }
    }

    /// The `IFF_*` flags: from sysfs when read, else what netlink tells.
    pub fn flags(&self) -> TunFlags {
        self.sysfs_flags.unwrap_or_else(|| self.info.flags())
    }
}

/// The dump request of `ip tuntap show`: `RTM_GETLINK`, family `AF_UNSPEC`,
/// and `IFLA_LINKINFO { IFLA_INFO_KIND "tun" }` (without NUL, as iproute2
/// sends it) so the kernel filters by kind.
/// The connection adds `NLM_F_DUMP`.
pub fn dump_tuntap_request() -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg::default());
    m.nest(IFLA_LINKINFO, |m| {
        m.put(IFLA_INFO_KIND, TUN_KIND.as_bytes());
    });
    m.finish()
}

/// Every tun/tap device of the connection's namespace, in the kernel's order.
/// `sysfs_flags` is left `None`.
pub fn dump_tuntaps(conn: &mut Connection) -> Result<Vec<TunDevice>> {
    conn.dump_collect(dump_tuntap_request()?, |msg| Ok(TunDevice::parse(&msg)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::Messages;

    /// An `RTM_NEWLINK` laid out as the kernel sends one for
    /// `ip tuntap add dev tap1 mode tap multi_queue vnet_hdr pi user 1000`
    /// (the attributes `tun_fill_info` writes, in its order).
    fn tap_message() -> Vec<u8> {
        let mut m = MessageBuilder::new(RTM_NEWLINK, 0);
        m.header(&IfInfoMsg {
            ifi_type: ARPHRD_ETHER,
            ifi_index: 7,
            ..IfInfoMsg::default()
        });
        m.put_str(IFLA_IFNAME, "tap1");
        m.nest(IFLA_LINKINFO, |m| {
            m.put_str(IFLA_INFO_KIND, "tun");
            m.nest(IFLA_INFO_DATA, |m| {
                m.put_u32(IFLA_TUN_OWNER, 1000);
                m.put_u8(IFLA_TUN_TYPE, 2);
                m.put_u8(IFLA_TUN_PI, 1);
                m.put_u8(IFLA_TUN_VNET_HDR, 1);
                m.put_u8(IFLA_TUN_PERSIST, 1);
                m.put_u8(IFLA_TUN_MULTI_QUEUE, 1);
                m.put_u32(IFLA_TUN_NUM_QUEUES, 0);
                m.put_u32(IFLA_TUN_NUM_DISABLED_QUEUES, 0);
            });
        });
        m.finish().unwrap().as_bytes().to_vec()
    }

    fn parse(bytes: &[u8]) -> Result<Option<TunDevice>, DecodeError> {
        let msg = Messages::new(bytes).next().unwrap().unwrap();
        TunDevice::parse(&msg)
    }

    #[test]
    fn parses_tap() {
        let d = parse(&tap_message()).unwrap().unwrap();
        assert_eq!((d.index, d.name.as_slice()), (7, &b"tap1"[..]));
        assert_eq!(d.info.owner, Some(1000));
        assert_eq!(d.info.group, None);
        assert_eq!(d.info.mode(), Some(Mode::Tap));
        assert_eq!(
            d.flags(),
            TunFlags::IFF_TAP
                | TunFlags::IFF_VNET_HDR
                | TunFlags::IFF_PERSIST
                | TunFlags::IFF_MULTI_QUEUE
        );
        assert_eq!(d.info.num_queues, Some(0));
    }

    #[test]
    fn other_kinds_and_types_are_skipped() {
        let mut bytes = tap_message();
        // ifi_type ARPHRD_LOOPBACK (772) at offset 18.
        bytes[18..20].copy_from_slice(&772u16.to_ne_bytes());
        assert_eq!(parse(&bytes).unwrap(), None);
        let mut m = MessageBuilder::new(RTM_NEWLINK, 0);
        m.header(&IfInfoMsg {
            ifi_type: ARPHRD_ETHER,
            ..IfInfoMsg::default()
        });
        m.put_str(IFLA_IFNAME, "veth0");
        m.nest(IFLA_LINKINFO, |m| {
            m.put_str(IFLA_INFO_KIND, "veth");
        });
        assert_eq!(parse(m.finish().unwrap().as_bytes()).unwrap(), None);
    }

    #[test]
    fn malformed_tun_attribute_is_named() {
        let mut m = MessageBuilder::new(RTM_NEWLINK, 0);
        m.header(&IfInfoMsg {
            ifi_type: ARPHRD_NONE,
            ..IfInfoMsg::default()
        });
        m.put_str(IFLA_IFNAME, "tun0");
        m.nest(IFLA_LINKINFO, |m| {
            m.put_str(IFLA_INFO_KIND, "tun");
            m.nest(IFLA_INFO_DATA, |m| {
                m.put_u16(IFLA_TUN_OWNER, 1);
            });
        });
        let e = parse(m.finish().unwrap().as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), "IFLA_TUN_OWNER: want 4 bytes, got 2");
    }

    #[test]
    fn every_truncation_is_clean() {
        let bytes = tap_message();
        for cut in 16..bytes.len() {
            let mut b = bytes[..cut].to_vec();
            b[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            let _ = parse(&b);
        }
    }

    /// `ip -n NS tuntap show` (iproute2 6.1, `strace -xx -e trace=sendto`),
    /// seq zeroed: ifinfomsg, IFLA_LINKINFO { IFLA_INFO_KIND "tun" (len 7) }.
    const SHOW_DUMP: [u8; 44] = [
        0x2c, 0, 0, 0, 0x12, 0, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x0c, 0, 0x12, 0, 0x07, 0, 0x01, 0, b't', b'u', b'n', 0,
    ];

    #[test]
    fn dump_request_matches_iproute2() {
        let mut r = dump_tuntap_request().unwrap();
        r.add_flags(crate::netlink::header::NLM_F_DUMP);
        assert_eq!(r.as_bytes(), SHOW_DUMP);
    }
}
