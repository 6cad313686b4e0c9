//! The attributes every link takes, whether it is being created or changed
//! (iproute2's `iplink_parse`): [`LinkChanges`], and how they are written into
//! a `RTM_NEWLINK` (the `ifinfomsg` flags and the common `IFLA_*`).
//!
//! Invariant: the attributes go out in one fixed order, the order of
//! `iplink_parse`'s keywords as its usage lists them (`mtu`, `address`,
//! `broadcast`, `txqueuelen`, `master`, `netns`, `alias`, `group`,
//! `numtxqueues`, `numrxqueues`); iproute2 writes them in the order they were
//! typed, so its bytes equal ours when they were typed in this order (the
//! kernel does not care).

use std::os::fd::{AsRawFd, BorrowedFd};

use super::{
    LinkFlags, IFLA_ADDRESS, IFLA_BROADCAST, IFLA_GROUP, IFLA_IFALIAS, IFLA_INFO_KIND,
    IFLA_INFO_SLAVE_DATA, IFLA_LINKINFO, IFLA_MASTER, IFLA_MTU, IFLA_NET_NS_FD, IFLA_NET_NS_PID,
    IFLA_NUM_RX_QUEUES, IFLA_NUM_TX_QUEUES, IFLA_TXQLEN,
};
use crate::error::{Error, Invalid, Result};
use crate::netlink::MessageBuilder;
use crate::route::kind::BridgePortParams;
use crate::route::link::LinkKind;

/// Aliases are shorter than `IFALIASZ` (256) bytes.
pub const IFALIASZ: usize = 256;

/// A network namespace to move a link into.
#[derive(Debug, Clone, Copy)]
pub enum NetnsRef<'fd> {
    /// An open namespace file (`/run/netns/NAME`, `/proc/PID/ns/net`): `IFLA_NET_NS_FD`.
    Fd(BorrowedFd<'fd>),
    /// The namespace of a process: `IFLA_NET_NS_PID`.
    Pid(u32),
}

/// A change of a link's kind-specific settings (`ip link set DEV type ...`).
#[derive(Debug, Clone, Copy)]
pub enum LinkInfoChange<'a> {
    /// `IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA }`: the link's own kind
    /// (`type bridge stp_state 1`, `type vxlan ageing 300`).
    Kind(LinkKind<'a>),
    /// `IFLA_LINKINFO { IFLA_INFO_KIND "bridge_slave", IFLA_INFO_SLAVE_DATA }`:
    /// the link as a port of its bridge (`type bridge_slave learning off`).
    BridgePort(BridgePortParams),
}

/// What a link is created with or changed to; `None` leaves a property alone
/// (or at the kernel's default for a new link).
///
/// Attributes go out in the order of the module doc, the new name
/// (`IFLA_IFNAME`) and `IFLA_LINKINFO` last, as iproute2 writes them.
#[derive(Debug, Clone, Copy, Default)]
pub struct LinkChanges<'a> {
    /// `IFF_UP` set or cleared (via `ifi_flags` / `ifi_change`).
    pub up: Option<bool>,
    /// New MTU, bytes.
    pub mtu: Option<u32>,
    /// New link-layer address.
    pub address: Option<&'a [u8]>,
    /// `IFLA_MASTER`: enslave to the bridge with this index (`master BR`);
    /// 0 releases the link from its master (`nomaster`).
    pub master: Option<u32>,
    /// Move to this namespace (the link arrives down there).
    pub netns: Option<NetnsRef<'a>>,
    /// New name: its bytes (need not be UTF-8).
    pub name: Option<&'a [u8]>,
    /// `IFLA_BROADCAST`: the link-layer broadcast address.
    pub broadcast: Option<&'a [u8]>,
    /// `IFLA_TXQLEN`: transmit queue length, packets.
    pub txqlen: Option<u32>,
    /// `IFF_PROMISC`, `IFF_ALLMULTI`, `IFF_MULTICAST` set or cleared.
    pub promisc: Option<bool>,
    pub allmulticast: Option<bool>,
    pub multicast: Option<bool>,
    /// ARP on or off (`IFF_NOARP` cleared or set).
    pub arp: Option<bool>,
    /// `IFLA_IFALIAS`: sent without its NUL, as iproute2 does; an empty
    /// alias removes it. Shorter than [`IFALIASZ`].
    pub alias: Option<&'a [u8]>,
    /// `IFLA_GROUP`: the device group.
    pub group: Option<u32>,
    /// `IFLA_NUM_TX_QUEUES`, `IFLA_NUM_RX_QUEUES` (creation only).
    pub num_tx_queues: Option<u32>,
    pub num_rx_queues: Option<u32>,
    /// `IFLA_LINKINFO`, for a change of an existing link (a new link's kind
    /// is `LinkSpec::kind`).
    pub info: Option<LinkInfoChange<'a>>,
    /// `IFLA_XDP`: attach or detach an XDP program (written after the
    /// common attributes, before the name and link info).
    pub xdp: Option<super::XdpAttach<'a>>,
}

impl LinkChanges<'_> {
    /// `(ifi_flags, ifi_change)` for the flags this change sets or clears.
    pub fn flags(&self) -> (u32, u32) {
        let mut flags = LinkFlags::empty();
        let mut change = LinkFlags::empty();
        let mut set = |flag: LinkFlags, on: Option<bool>| {
            if let Some(on) = on {
                change |= flag;
                flags.set(flag, on);
            }
        };
        set(LinkFlags::UP, self.up);
        set(LinkFlags::PROMISC, self.promisc);
        set(LinkFlags::ALLMULTI, self.allmulticast);
        set(LinkFlags::MULTICAST, self.multicast);
        set(LinkFlags::NOARP, self.arp.map(|on| !on));
        (flags.bits(), change.bits())
    }

    /// Refuse what the kernel would refuse or misread, before sending.
    pub fn validate(&self) -> Result<()> {
        if let Some(name) = self.name {
            super::validate_ifname(name)?;
        }
        if let Some(alias) = self.alias {
            if alias.len() >= IFALIASZ {
                return Err(Error::Invalid(Invalid::Alias {
                    text: super::shown(alias).into_owned(),
                }));
            }
        }
        if let Some(LinkInfoChange::Kind(kind)) = self.info {
            kind.validate()?;
        }
        Ok(())
    }

    /// Write the common attributes (everything but the name and the
    /// link info), in the module's order.
    pub(crate) fn put_attrs(&self, m: &mut MessageBuilder) {
        if let Some(mtu) = self.mtu {
            m.put_u32(IFLA_MTU, mtu);
        }
        if let Some(addr) = self.address {
            m.put(IFLA_ADDRESS, addr);
        }
        if let Some(brd) = self.broadcast {
            m.put(IFLA_BROADCAST, brd);
        }
        if let Some(q) = self.txqlen {
            m.put_u32(IFLA_TXQLEN, q);
        }
        if let Some(master) = self.master {
            m.put_u32(IFLA_MASTER, master);
        }
        if let Some(netns) = self.netns {
            put_netns(m, netns);
        }
        if let Some(alias) = self.alias {
            m.put(IFLA_IFALIAS, alias);
        }
        if let Some(group) = self.group {
            m.put_u32(IFLA_GROUP, group);
        }
        if let Some(n) = self.num_tx_queues {
            m.put_u32(IFLA_NUM_TX_QUEUES, n);
        }
        if let Some(n) = self.num_rx_queues {
            m.put_u32(IFLA_NUM_RX_QUEUES, n);
        }
        if let Some(xdp) = self.xdp {
            xdp.put(m);
        }
    }

    /// Write `IFLA_LINKINFO` for [`LinkChanges::info`], as iproute2's
    /// `iplink_modify` does: the kind without its NUL, then its data.
    pub(crate) fn put_info(&self, m: &mut MessageBuilder) {
        match self.info {
            None => {}
            Some(LinkInfoChange::Kind(kind)) => put_linkinfo(m, &kind),
            Some(LinkInfoChange::BridgePort(p)) => {
                m.nest(IFLA_LINKINFO, |m| {
                    m.put(IFLA_INFO_KIND, b"bridge_slave");
                    if !p.is_empty() {
                        m.nest(IFLA_INFO_SLAVE_DATA, |m| p.encode(m));
                    }
                });
            }
        }
    }
}

/// `IFLA_LINKINFO { IFLA_INFO_KIND (no NUL), [IFLA_INFO_DATA] }`.
pub(crate) fn put_linkinfo(m: &mut MessageBuilder, kind: &LinkKind<'_>) {
    m.nest(IFLA_LINKINFO, |m| {
        m.put(IFLA_INFO_KIND, kind.name().as_bytes());
        kind.put_info_data(m);
    });
}

pub(crate) fn put_netns(m: &mut MessageBuilder, netns: NetnsRef<'_>) {
    match netns {
        NetnsRef::Fd(fd) => m.put_u32(IFLA_NET_NS_FD, fd.as_raw_fd() as u32),
        NetnsRef::Pid(pid) => m.put_u32(IFLA_NET_NS_PID, pid),
    };
}
