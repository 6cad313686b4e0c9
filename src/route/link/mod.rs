//! Network interfaces: `struct ifinfomsg`, `IFLA_*`, the typed view [`Link`]
//! of an `RTM_NEWLINK` message, and the link operations (in `ops.rs`,
//! re-exported here).
//!
//! Invariants: [`Link::parse`] reads the message in one pass and never panics;
//! an attribute it reads that is malformed fails naming it (`IFLA_MTU: want 4
//! bytes, got 2`), attributes it does not read are skipped unchecked. Lookups of
//! one link by name or index use a `RTM_GETLINK` request for that link, never a
//! full dump.

use std::borrow::Cow;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use crate::error::{DecodeError, Error, Invalid, NameProblem, NotFound, Result};
use crate::netlink::{Attr, Message};
use crate::route::kind::{KindData, SlaveData};

mod altname;
mod changes;
mod kind;
#[cfg(test)]
mod kind_tests;
mod ops;
mod query;
mod stats;
mod xdp;
pub use altname::*;
pub use changes::*;
pub use kind::LinkKind;
pub use ops::*;
pub use query::*;
pub use stats::LinkStats64;
pub use xdp::*;

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
pub const IFLA_STATS: u16 = 7;
pub const IFLA_PROTINFO: u16 = 12;
pub const IFLA_TXQLEN: u16 = 13;
pub const IFLA_OPERSTATE: u16 = 16;
pub const IFLA_LINKMODE: u16 = 17;
pub const IFLA_LINKINFO: u16 = 18;
pub const IFLA_NET_NS_PID: u16 = 19;
pub const IFLA_IFALIAS: u16 = 20;
pub const IFLA_STATS64: u16 = 23;
pub const IFLA_AF_SPEC: u16 = 26;
pub const IFLA_GROUP: u16 = 27;
pub const IFLA_NET_NS_FD: u16 = 28;
pub const IFLA_EXT_MASK: u16 = 29;
pub const IFLA_PROMISCUITY: u16 = 30;
pub const IFLA_NUM_TX_QUEUES: u16 = 31;
pub const IFLA_NUM_RX_QUEUES: u16 = 32;
pub const IFLA_CARRIER: u16 = 33;
pub const IFLA_CARRIER_CHANGES: u16 = 35;
pub const IFLA_LINK_NETNSID: u16 = 37;
pub const IFLA_PROTO_DOWN: u16 = 39;
pub const IFLA_GSO_MAX_SEGS: u16 = 40;
pub const IFLA_EVENT: u16 = 44;
pub const IFLA_GSO_MAX_SIZE: u16 = 41;
pub const IFLA_MIN_MTU: u16 = 50;
pub const IFLA_MAX_MTU: u16 = 51;
pub const IFLA_PROP_LIST: u16 = 52;
pub const IFLA_ALT_IFNAME: u16 = 53;
pub const IFLA_GRO_MAX_SIZE: u16 = 58;
pub const IFLA_TSO_MAX_SIZE: u16 = 59;
pub const IFLA_TSO_MAX_SEGS: u16 = 60;
pub const IFLA_ALLMULTI: u16 = 61;
pub const IFLA_XDP: u16 = 43;

// IFLA_LINKINFO nest.
pub const IFLA_INFO_KIND: u16 = 1;
pub const IFLA_INFO_DATA: u16 = 2;
pub const IFLA_INFO_SLAVE_KIND: u16 = 4;
pub const IFLA_INFO_SLAVE_DATA: u16 = 5;
// IFLA_INFO_DATA of veth (linux/veth.h).
pub const VETH_INFO_PEER: u16 = 1;
// IFLA_AF_SPEC / AF_INET6 nest (and IFLA_PROTINFO of an AF_INET6 link message).
pub const IFLA_INET6_STATS: u16 = 3;
pub const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;

/// `RTEXT_FILTER_VF`, `RTEXT_FILTER_SKIP_STATS` for `IFLA_EXT_MASK`.
pub const RTEXT_FILTER_VF: u32 = 1 << 0;
pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

/// Interface names are at most 15 bytes (`IFNAMSIZ - 1`).
pub const IFNAMSIZ: usize = 16;
/// Alternative names are at most 127 bytes (`ALTIFNAMSIZ - 1`).
pub const ALTIFNAMSIZ: usize = 128;

bitflags::bitflags! {
    /// `IFF_*` interface flags (linux/if.h). Unknown kernel bits are kept.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
    pub struct LinkFlags: u32 {
        const UP = 0x1;
        const BROADCAST = 0x2;
        const DEBUG = 0x4;
        const LOOPBACK = 0x8;
        const POINTOPOINT = 0x10;
        const NOTRAILERS = 0x20;
        /// `IFF_RUNNING`: the operational state is up (has carrier).
        const RUNNING = 0x40;
        const NOARP = 0x80;
        const PROMISC = 0x100;
        const ALLMULTI = 0x200;
        const MASTER = 0x400;
        const SLAVE = 0x800;
        const MULTICAST = 0x1000;
        const PORTSEL = 0x2000;
        const AUTOMEDIA = 0x4000;
        const DYNAMIC = 0x8000;
        const LOWER_UP = 0x1_0000;
        const DORMANT = 0x2_0000;
        const ECHO = 0x4_0000;
        const _ = !0;
    }
}

/// One link as the kernel describes it in `RTM_NEWLINK`, generic over how
/// strings (`S`) and byte strings (`B`) are held: [`Link`] borrows them from
/// the message, [`LinkInfo`] owns them. `None` means the kernel did not send
/// the attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkData<S, B> {
    /// `ifi_index`.
    pub index: u32,
    /// `ifi_flags`.
    pub flags: LinkFlags,
    /// `ifi_type`: an `ARPHRD_*` value (1 ether, 772 loopback, ...).
    pub link_type: u16,
    /// `IFLA_IFNAME`: the kernel's bytes (a name need not be UTF-8).
    pub name: Option<B>,
    /// `IFLA_MTU`, bytes.
    pub mtu: Option<u32>,
    /// `IFLA_MIN_MTU`, `IFLA_MAX_MTU`, bytes.
    pub min_mtu: Option<u32>,
    pub max_mtu: Option<u32>,
    /// `IFLA_OPERSTATE`: RFC 2863 state, `IF_OPER_*` (6 is up).
    pub operstate: Option<u8>,
    /// `IFLA_LINKMODE`: 0 default, 1 dormant.
    pub linkmode: Option<u8>,
    /// `IFLA_ADDRESS`: the link-layer address.
    pub address: Option<B>,
    /// `IFLA_BROADCAST`: the link-layer broadcast (or point-to-point peer) address.
    pub broadcast: Option<B>,
    /// `IFLA_LINK`: index of the lower or peer device; in the namespace of
    /// `link_netnsid` when that is set, else in this one.
    pub link: Option<u32>,
    /// `IFLA_LINK_NETNSID`: id (in this namespace) of the namespace `link` lives in.
    pub link_netnsid: Option<i32>,
    /// `IFLA_MASTER`: index of the bridge or bond this link is enslaved to.
    pub master: Option<u32>,
    /// `IFLA_TXQLEN`, packets.
    pub txqlen: Option<u32>,
    /// `IFLA_QDISC`: name of the root queueing discipline.
    pub qdisc: Option<S>,
    /// `IFLA_GROUP`.
    pub group: Option<u32>,
    /// `IFLA_PROMISCUITY`, `IFLA_ALLMULTI`: reference counts.
    pub promiscuity: Option<u32>,
    pub allmulti: Option<u32>,
    /// `IFLA_NUM_TX_QUEUES`, `IFLA_NUM_RX_QUEUES`.
    pub num_tx_queues: Option<u32>,
    pub num_rx_queues: Option<u32>,
    /// `IFLA_GSO_MAX_SIZE` (bytes), `IFLA_GSO_MAX_SEGS`.
    pub gso_max_size: Option<u32>,
    pub gso_max_segs: Option<u32>,
    /// `IFLA_TSO_MAX_SIZE` (bytes), `IFLA_TSO_MAX_SEGS`.
    pub tso_max_size: Option<u32>,
    pub tso_max_segs: Option<u32>,
    /// `IFLA_GRO_MAX_SIZE`, bytes.
    pub gro_max_size: Option<u32>,
    /// `IFLA_CARRIER`: 1 when the link has carrier.
    pub carrier: Option<u8>,
    /// `IFLA_PROTO_DOWN`.
    pub proto_down: Option<u8>,
    /// `IFLA_EVENT`: why a notification was sent (`IFLA_EVENT_*`: 1 reboot,
    /// 2 feature change, ...); only in notifications, never in dumps.
    pub event: Option<u32>,
    /// `IFLA_IFALIAS`: the kernel's bytes.
    pub alias: Option<B>,
    /// `IFLA_LINKINFO` / `IFLA_INFO_KIND` ("veth", "bridge", ...).
    pub kind: Option<S>,
    /// `IFLA_LINKINFO` / `IFLA_INFO_DATA`: the kind's own attributes, raw;
    /// [`LinkData::kind_data`] decodes them.
    pub info_data: Option<B>,
    /// `IFLA_LINKINFO` / `IFLA_INFO_SLAVE_KIND` ("bridge" for a bridge port).
    pub slave_kind: Option<S>,
    /// `IFLA_LINKINFO` / `IFLA_INFO_SLAVE_DATA`: the port's attributes as its
    /// master sees them, raw; [`LinkData::slave_data`] decodes them.
    pub info_slave_data: Option<B>,
    /// `IFLA_AF_SPEC` / `AF_INET6` / `IFLA_INET6_ADDR_GEN_MODE` (0 eui64, 1 none,
    /// 2 stable_secret, 3 random).
    pub inet6_addr_gen_mode: Option<u8>,
    /// `IFLA_STATS64`: the counters, raw; [`LinkData::stats64`] reads them.
    /// Absent when the dump asked the kernel to skip them.
    pub stats64: Option<B>,
    /// `IFLA_PROTINFO` / `IFLA_INET6_STATS` of an `AF_INET6` link message
    /// (what a link dump of family `AF_INET6` sends in place of
    /// `IFLA_STATS64`): the link's IPv6 MIB counters, raw (`u64` each,
    /// `IPSTATS_MIB_*` order); [`LinkData::counters`] reads them.
    pub inet6_stats: Option<B>,
    /// `IFLA_CARRIER_CHANGES`: how often the carrier came and went.
    pub carrier_changes: Option<u32>,
    /// `IFLA_PROP_LIST`: the link's properties, raw; [`LinkData::alt_names`]
    /// reads the alternative names (`IFLA_ALT_IFNAME`) in it.
    pub prop_list: Option<B>,
    /// `IFLA_XDP`: the XDP program(s) attached, when the kernel says.
    pub xdp: Option<XdpState>,
}

/// A link borrowed from the message it was parsed from. Names (`name`,
/// `alias`, the alternative names) are the kernel's bytes, which need not be
/// UTF-8; the kind and qdisc are strings (U+FFFD for a byte that is not UTF-8).
pub type Link<'a> = LinkData<Cow<'a, str>, &'a [u8]>;
/// A link that owns its strings, for keeping after the receive buffer is reused.
pub type LinkInfo = LinkData<String, Vec<u8>>;

impl<S, B: AsRef<[u8]>> LinkData<S, B> {
    /// The interface name's bytes, or empty when the kernel sent none.
    pub fn name_or_empty(&self) -> &[u8] {
        self.name.as_ref().map_or(&[][..], AsRef::as_ref)
    }

    /// The interface name as text: U+FFFD in place of a byte that is not
    /// UTF-8 (for display; use [`LinkData::name_or_empty`] to name the link).
    pub fn name_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.name_or_empty())
    }

    /// The alias's bytes (`IFLA_IFALIAS`), when it has one.
    pub fn alias_bytes(&self) -> Option<&[u8]> {
        self.alias.as_ref().map(AsRef::as_ref)
    }
}

impl<S: AsRef<str>, B: AsRef<[u8]>> LinkData<S, B> {
    /// The kind's `IFLA_INFO_DATA`, decoded; `Ok(None)` when there is none or
    /// rawnet has no decoder for the kind. A malformed attribute fails naming it.
    pub fn kind_data(&self) -> Result<Option<KindData>, DecodeError> {
        match (&self.kind, &self.info_data) {
            (Some(kind), Some(data)) => KindData::decode(kind.as_ref(), data.as_ref()),
            _ => Ok(None),
        }
    }

    /// The port's `IFLA_INFO_SLAVE_DATA`, decoded (as [`LinkData::kind_data`]).
    pub fn slave_data(&self) -> Result<Option<SlaveData>, DecodeError> {
        match (&self.slave_kind, &self.info_slave_data) {
            (Some(kind), Some(data)) => SlaveData::decode(kind.as_ref(), data.as_ref()),
            _ => Ok(None),
        }
    }

    /// The counters of `IFLA_STATS64`, when the kernel sent them.
    pub fn stats64(&self) -> Option<LinkStats64> {
        self.stats64
            .as_ref()
            .map(|b| LinkStats64::from_bytes(b.as_ref()))
    }

    /// The counters iproute2 shows for the link (`get_rtnl_link_stats_rta`):
    /// `IFLA_STATS64`, or, in a link message of family `AF_INET6` that has
    /// none, those of its IPv6 MIB ([`LinkStats64::from_inet6_mib`]).
    pub fn counters(&self) -> Option<LinkStats64> {
        self.stats64().or_else(|| {
            self.inet6_stats
                .as_ref()
                .map(|b| LinkStats64::from_inet6_mib(b.as_ref()))
        })
    }

    /// The alternative names (`ip link property add ... altname`), in the
    /// kernel's order. A malformed property ends the list.
    pub fn alt_names(&self) -> impl Iterator<Item = &[u8]> {
        let list = self.prop_list.as_ref().map_or(&[][..], |b| b.as_ref());
        crate::netlink::Attrs::new(list)
            .map_while(Result::ok)
            .filter(|a| a.kind() == IFLA_ALT_IFNAME)
            .filter_map(|a| a.c_bytes().ok())
    }
}

pub(super) fn named<T>(r: Result<T, DecodeError>, what: &'static str) -> Result<T, DecodeError> {
    r.map_err(|e| e.named(what))
}

impl<S, B> LinkData<S, B> {
    /// The same link with its strings converted by `s` and its byte strings
    /// by `b`: the one place that lists every field, from which the owned
    /// copy ([`Link::to_info`]) and the borrowed view ([`LinkInfo::view`])
    /// are made.
    pub fn map<'a, S2, B2>(
        &'a self,
        s: impl Fn(&'a S) -> S2,
        b: impl Fn(&'a B) -> B2,
    ) -> LinkData<S2, B2> {
        LinkData {
            index: self.index,
            flags: self.flags,
            link_type: self.link_type,
            name: self.name.as_ref().map(&b),
            mtu: self.mtu,
            min_mtu: self.min_mtu,
            max_mtu: self.max_mtu,
            operstate: self.operstate,
            linkmode: self.linkmode,
            address: self.address.as_ref().map(&b),
            broadcast: self.broadcast.as_ref().map(&b),
            link: self.link,
            link_netnsid: self.link_netnsid,
            master: self.master,
            txqlen: self.txqlen,
            qdisc: self.qdisc.as_ref().map(&s),
            group: self.group,
            promiscuity: self.promiscuity,
            allmulti: self.allmulti,
            num_tx_queues: self.num_tx_queues,
            num_rx_queues: self.num_rx_queues,
            gso_max_size: self.gso_max_size,
            gso_max_segs: self.gso_max_segs,
            tso_max_size: self.tso_max_size,
            tso_max_segs: self.tso_max_segs,
            gro_max_size: self.gro_max_size,
            carrier: self.carrier,
            proto_down: self.proto_down,
            event: self.event,
            alias: self.alias.as_ref().map(&b),
            kind: self.kind.as_ref().map(&s),
            info_data: self.info_data.as_ref().map(&b),
            slave_kind: self.slave_kind.as_ref().map(&s),
            info_slave_data: self.info_slave_data.as_ref().map(&b),
            inet6_addr_gen_mode: self.inet6_addr_gen_mode,
            stats64: self.stats64.as_ref().map(&b),
            inet6_stats: self.inet6_stats.as_ref().map(&b),
            carrier_changes: self.carrier_changes,
            prop_list: self.prop_list.as_ref().map(&b),
            xdp: self.xdp,
        }
    }
}

impl<'a> Link<'a> {
    /// Parse an `RTM_NEWLINK` (or `RTM_DELLINK`) message in one pass.
    #[doc(alias = "ifinfomsg")]
    pub fn parse(msg: &Message<'a>) -> Result<Link<'a>, DecodeError> {
        let (ifi, attrs) = msg.fixed::<IfInfoMsg>("ifinfomsg")?;
        let mut l = Link {
            index: ifi.ifi_index as u32,
            flags: LinkFlags::from_bits_retain(ifi.ifi_flags),
            link_type: ifi.ifi_type,
            ..Link::default()
        };
        for attr in attrs {
            let a = attr?;
            match a.kind() {
                IFLA_IFNAME => l.name = Some(named(a.c_bytes(), "IFLA_IFNAME")?),
                IFLA_MTU => l.mtu = Some(named(a.u32(), "IFLA_MTU")?),
                IFLA_MIN_MTU => l.min_mtu = Some(named(a.u32(), "IFLA_MIN_MTU")?),
                IFLA_MAX_MTU => l.max_mtu = Some(named(a.u32(), "IFLA_MAX_MTU")?),
                IFLA_OPERSTATE => l.operstate = Some(named(a.u8(), "IFLA_OPERSTATE")?),
                IFLA_LINKMODE => l.linkmode = Some(named(a.u8(), "IFLA_LINKMODE")?),
                IFLA_ADDRESS => l.address = Some(a.payload()),
                IFLA_BROADCAST => l.broadcast = Some(a.payload()),
                IFLA_LINK => l.link = Some(named(a.u32(), "IFLA_LINK")?),
                IFLA_LINK_NETNSID => l.link_netnsid = Some(named(a.i32(), "IFLA_LINK_NETNSID")?),
                IFLA_MASTER => l.master = Some(named(a.u32(), "IFLA_MASTER")?),
                IFLA_TXQLEN => l.txqlen = Some(named(a.u32(), "IFLA_TXQLEN")?),
                IFLA_QDISC => l.qdisc = Some(named(a.c_str_lossy(), "IFLA_QDISC")?),
                IFLA_GROUP => l.group = Some(named(a.u32(), "IFLA_GROUP")?),
                IFLA_PROMISCUITY => l.promiscuity = Some(named(a.u32(), "IFLA_PROMISCUITY")?),
                IFLA_ALLMULTI => l.allmulti = Some(named(a.u32(), "IFLA_ALLMULTI")?),
                IFLA_NUM_TX_QUEUES => l.num_tx_queues = Some(named(a.u32(), "IFLA_NUM_TX_QUEUES")?),
                IFLA_NUM_RX_QUEUES => l.num_rx_queues = Some(named(a.u32(), "IFLA_NUM_RX_QUEUES")?),
                IFLA_GSO_MAX_SIZE => l.gso_max_size = Some(named(a.u32(), "IFLA_GSO_MAX_SIZE")?),
                IFLA_GSO_MAX_SEGS => l.gso_max_segs = Some(named(a.u32(), "IFLA_GSO_MAX_SEGS")?),
                IFLA_TSO_MAX_SIZE => l.tso_max_size = Some(named(a.u32(), "IFLA_TSO_MAX_SIZE")?),
                IFLA_TSO_MAX_SEGS => l.tso_max_segs = Some(named(a.u32(), "IFLA_TSO_MAX_SEGS")?),
                IFLA_GRO_MAX_SIZE => l.gro_max_size = Some(named(a.u32(), "IFLA_GRO_MAX_SIZE")?),
                IFLA_CARRIER => l.carrier = Some(named(a.u8(), "IFLA_CARRIER")?),
                IFLA_PROTO_DOWN => l.proto_down = Some(named(a.u8(), "IFLA_PROTO_DOWN")?),
                IFLA_EVENT => l.event = Some(named(a.u32(), "IFLA_EVENT")?),
                IFLA_IFALIAS => l.alias = Some(named(a.c_bytes(), "IFLA_IFALIAS")?),
                IFLA_LINKINFO => parse_linkinfo(&a, &mut l)?,
                IFLA_AF_SPEC => l.inet6_addr_gen_mode = parse_addr_gen_mode(&a)?,
                IFLA_STATS64 => l.stats64 = Some(a.payload()),
                IFLA_PROTINFO if ifi.ifi_family == libc::AF_INET6 as u8 => {
                    l.inet6_stats = inet6_stats(&a)?
                }
                IFLA_CARRIER_CHANGES => {
                    l.carrier_changes = Some(named(a.u32(), "IFLA_CARRIER_CHANGES")?)
                }
                IFLA_PROP_LIST => l.prop_list = Some(a.payload()),
                IFLA_XDP => l.xdp = XdpState::parse(&a)?,
                _ => {}
            }
        }
        Ok(l)
    }

    /// An owned copy.
    pub fn to_info(&self) -> LinkInfo {
        self.map(|c| c.to_string(), |b| b.to_vec())
    }
}

/// What [`crate::netlink::Connection::for_each_view`] hands out of a link dump.
impl crate::netlink::MessageView for Link<'_> {
    const MESSAGE_TYPE: u16 = super::RTM_NEWLINK;
    type Of<'a> = Link<'a>;
    fn parse<'a>(msg: &Message<'a>) -> std::result::Result<Link<'a>, DecodeError> {
        Link::parse(msg)
    }
}

impl LinkInfo {
    /// A view borrowing this link's strings and bytes, for code written
    /// against [`Link`].
    pub fn view(&self) -> Link<'_> {
        self.map(|s| Cow::Borrowed(s.as_str()), |b| b.as_slice())
    }
}

fn parse_linkinfo<'a>(a: &Attr<'a>, l: &mut Link<'a>) -> Result<(), DecodeError> {
    for inner in a.nested() {
        let inner = named(inner, "IFLA_LINKINFO")?;
        match inner.kind() {
            IFLA_INFO_KIND => l.kind = Some(named(inner.c_str_lossy(), "IFLA_INFO_KIND")?),
            IFLA_INFO_DATA => l.info_data = Some(inner.payload()),
            IFLA_INFO_SLAVE_KIND => {
                l.slave_kind = Some(named(inner.c_str_lossy(), "IFLA_INFO_SLAVE_KIND")?)
            }
            IFLA_INFO_SLAVE_DATA => l.info_slave_data = Some(inner.payload()),
            _ => {}
        }
    }
    Ok(())
}

fn parse_addr_gen_mode(a: &Attr<'_>) -> Result<Option<u8>, DecodeError> {
    for family in a.nested() {
        let family = named(family, "IFLA_AF_SPEC")?;
        if family.kind() != libc::AF_INET6 as u16 {
            continue;
        }
        for inner in family.nested() {
            let inner = named(inner, "IFLA_AF_SPEC")?;
            if inner.kind() == IFLA_INET6_ADDR_GEN_MODE {
                return Ok(Some(named(inner.u8(), "IFLA_INET6_ADDR_GEN_MODE")?));
            }
        }
    }
    Ok(None)
}

/// `IFLA_INET6_STATS` in the `IFLA_PROTINFO` of an `AF_INET6` link message.
fn inet6_stats<'a>(a: &Attr<'a>) -> Result<Option<&'a [u8]>, DecodeError> {
    let mut found = None;
    for inner in a.nested() {
        let inner = named(inner, "IFLA_PROTINFO")?;
        if inner.kind() == IFLA_INET6_STATS {
            found = Some(inner.payload());
        }
    }
    Ok(found)
}

/// Check an interface name as the kernel will: 1..=15 bytes, no '/', ':'
/// or white space, not "." or "..". Fails with `Invalid::IfName` (the name
/// as [`shown`]).
pub fn validate_ifname(name: &[u8]) -> Result<()> {
    let reason = if name.is_empty() {
        NameProblem::Empty
    } else if name.len() >= IFNAMSIZ {
        NameProblem::TooLong
    } else if name == b"." || name == b".." {
        NameProblem::Dots
    } else if let Some(&b) = name
        .iter()
        .find(|&&b| b == b'/' || b == b':' || b.is_ascii_whitespace())
    {
        NameProblem::Byte(b)
    } else {
        return Ok(());
    };
    Err(Error::Invalid(Invalid::IfName {
        name: shown(name).into_owned(),
        reason,
    }))
}

/// A name in a message: its bytes as text, U+FFFD in place of a byte that is
/// not UTF-8 (a caller holding the bytes can word its own message).
pub fn shown(name: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(name)
}

/// An alternative name (iproute2's `check_altifname`): not empty, at most
/// `ALTIFNAMSIZ - 1` (127) bytes, no '/' and no white space. Fails with
/// `Invalid::AltName`.
pub fn validate_altname(name: &[u8]) -> Result<()> {
    let reason = if name.is_empty() {
        NameProblem::Empty
    } else if name.len() >= ALTIFNAMSIZ {
        NameProblem::TooLong
    } else if let Some(&b) = name.iter().find(|&&b| b == b'/' || b.is_ascii_whitespace()) {
        NameProblem::Byte(b)
    } else {
        return Ok(());
    };
    Err(Error::Invalid(Invalid::AltName {
        name: shown(name).into_owned(),
        reason,
    }))
}

/// The error for a link `name` that does not exist (the name as [`shown`]).
pub fn not_found(name: &[u8]) -> Error {
    Error::NotFound(NotFound::Link(shown(name).into_owned()))
}

/// Parse a link-layer address the way iproute2's `ll_addr_a2n` does: hex
/// bytes of one or two digits separated by ':' (`02:00:00:00:00:01`).
pub fn parse_lladdr(s: &str) -> Result<Vec<u8>> {
    let bad = || {
        Error::Invalid(Invalid::LinkLayerAddress {
            text: s.to_string(),
        })
    };
    let mut out = Vec::new();
    for part in s.split(':') {
        if part.is_empty() || part.len() > 2 || out.len() >= 32 {
            return Err(bad());
        }
        out.push(u8::from_str_radix(part, 16).map_err(|_| bad())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;
    use crate::netlink::Messages;

    /// `RTM_NEWLINK` for veth9 as the kernel (6.18) answered `ip link show
    /// veth9`'s `RTM_GETLINK`; seq and pid zeroed. See tests/golden/link/PROVENANCE.md.
    const REPLY: &[u8] = include_bytes!("../../../tests/golden/link/newlink-veth9.bin");

    fn parse(bytes: &[u8]) -> Result<LinkInfo, DecodeError> {
        let msg = Messages::new(bytes)
            .next()
            .ok_or(DecodeError::new("test", Problem::BadValue))??;
        Link::parse(&msg).map(|l| l.to_info())
    }

    #[test]
    fn parses_golden_reply() {
        let l = parse(REPLY).unwrap();
        assert_eq!(l.index, 3);
        assert_eq!(l.name.as_deref(), Some(&b"veth9"[..]));
        assert_eq!(
            l.flags,
            LinkFlags::UP | LinkFlags::BROADCAST | LinkFlags::MULTICAST
        );
        assert_eq!(l.link_type, 1);
        assert_eq!(l.mtu, Some(1400));
        assert_eq!((l.min_mtu, l.max_mtu), (Some(68), Some(65535)));
        assert_eq!(l.operstate, Some(3)); // IF_OPER_LOWERLAYERDOWN
        assert_eq!(l.linkmode, Some(0));
        assert_eq!(l.address.as_deref(), Some(&[2, 0, 0, 0, 0, 1][..]));
        assert_eq!(l.broadcast.as_deref(), Some(&[0xff; 6][..]));
        assert_eq!(l.link, Some(2));
        assert_eq!(l.link_netnsid, None);
        assert_eq!(l.master, None);
        assert_eq!(l.txqlen, Some(1000));
        assert_eq!(l.qdisc.as_deref(), Some("noqueue"));
        assert_eq!(l.group, Some(0));
        assert_eq!(l.kind.as_deref(), Some("veth"));
        assert_eq!((l.num_tx_queues, l.num_rx_queues), (Some(2), Some(2)));
        assert_eq!((l.gso_max_size, l.gso_max_segs), (Some(65536), Some(65535)));
        assert_eq!(
            (l.tso_max_size, l.tso_max_segs, l.gro_max_size),
            (Some(524280), Some(65535), Some(65536))
        );
        assert_eq!(
            (l.promiscuity, l.allmulti, l.carrier),
            (Some(0), Some(0), Some(0))
        );
        assert_eq!(l.inet6_addr_gen_mode, Some(0));
    }

    /// Cut points that leave whole attributes: the end of an attribute, or
    /// anywhere in its padding.
    fn attribute_ends(bytes: &[u8]) -> Vec<usize> {
        let mut ends = vec![32];
        let mut at = 32;
        while at + 4 <= bytes.len() {
            let len = u16::from_ne_bytes([bytes[at], bytes[at + 1]]) as usize;
            let padded = (at + len + 3) & !3;
            ends.extend(at + len..=padded);
            at = padded;
        }
        ends
    }

    #[test]
    fn every_truncation_fails_cleanly() {
        let ends = attribute_ends(REPLY);
        for cut in 16..REPLY.len() {
            let mut b = REPLY[..cut].to_vec();
            b[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            let r = parse(&b);
            if cut < 32 {
                assert!(r.is_err(), "cut {cut}");
            } else if ends.contains(&cut) {
                assert!(r.is_ok(), "cut {cut} at an attribute boundary: {r:?}");
            } else {
                assert!(r.is_err(), "cut {cut} inside an attribute");
            }
        }
    }

    #[test]
    fn malformed_attribute_is_named() {
        // ifinfomsg + IFLA_MTU with a 2-byte payload.
        let mut b = vec![0u8; 16];
        b.extend_from_slice(&[0u8; 16]);
        b.extend_from_slice(&[6, 0, 4, 0, 1, 2, 0, 0]);
        let len = b.len() as u32;
        b[0..4].copy_from_slice(&len.to_ne_bytes());
        let e = parse(&b).unwrap_err();
        assert_eq!(e.to_string(), "IFLA_MTU: want 4 bytes, got 2");
        // The same bytes under an attribute number nobody reads are skipped.
        b[34] = 200;
        assert!(parse(&b).is_ok());
    }

    #[test]
    fn unknown_flags_are_kept() {
        let f = LinkFlags::from_bits_retain(0x8000_0001);
        assert!(f.contains(LinkFlags::UP));
        assert_eq!(f.bits(), 0x8000_0001);
    }

    #[test]
    fn validates_names() {
        assert!(validate_ifname(b"veth0").is_ok());
        assert!(validate_ifname(b"a23456789012345").is_ok());
        assert!(validate_ifname(b"\xff\xfe-caf\xe9").is_ok());
        let e = validate_ifname(b"a234567890123456").unwrap_err();
        assert!(matches!(
            &e,
            Error::Invalid(Invalid::IfName { name, reason: NameProblem::TooLong })
                if name == "a234567890123456"
        ));
        assert_eq!(
            e.to_string(),
            "invalid interface name \"a234567890123456\": too long"
        );
        for (bad, why) in [
            ("", NameProblem::Empty),
            (".", NameProblem::Dots),
            ("..", NameProblem::Dots),
            ("a/b", NameProblem::Byte(b'/')),
            ("a b", NameProblem::Byte(b' ')),
            ("a:b", NameProblem::Byte(b':')),
        ] {
            match validate_ifname(bad.as_bytes()) {
                Err(Error::Invalid(Invalid::IfName { name, reason })) => {
                    assert_eq!((name.as_str(), reason), (bad, why))
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert!(matches!(
            validate_altname(b"a b"),
            Err(Error::Invalid(Invalid::AltName {
                reason: NameProblem::Byte(b' '),
                ..
            }))
        ));
        assert!(matches!(
            parse_lladdr("zz"),
            Err(Error::Invalid(Invalid::LinkLayerAddress { text })) if text == "zz"
        ));
    }

    #[test]
    fn parses_lladdr() {
        assert_eq!(
            parse_lladdr("02:00:0:ff:00:01").unwrap(),
            vec![2, 0, 0, 0xff, 0, 1]
        );
        for bad in ["zz", "02::01", "123:00", "", "02:00:"] {
            assert!(
                matches!(
                    parse_lladdr(bad),
                    Err(Error::Invalid(Invalid::LinkLayerAddress { ref text })) if text == bad
                ),
                "{bad:?}"
            );
        }
    }
}
