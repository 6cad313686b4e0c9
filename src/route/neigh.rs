//! Neighbours (ARP / NDP entries, and the proxy table): `struct ndmsg`,
//! `NDA_*`, `NUD_*`, `NTF_*` (linux/neighbour.h), `RTM_*NEIGH`,
//! [`NeighbourData`] with its borrowed view [`Neighbour`] and owned form
//! [`NeighbourInfo`], request builders and the neighbour operations.
//!
//! The same message carries bridge forwarding-database entries (family
//! `AF_BRIDGE`); [`super::fdb`] builds those requests and reads its dumps with
//! [`Neighbour::parse`].
//!
//! Builders are pure functions that encode like iproute2 6.1 (checked against
//! captured bytes in the tests below): attributes in the order
//! `NDA_PROTOCOL`, `NDA_DST`, `NDA_FLAGS_EXT`, `NDA_LLADDR`; a delete carries
//! the state `ip neigh` defaults to (`NUD_PERMANENT`). [`Neighbour::parse`]
//! reads one message in one pass; an attribute it reads that is malformed fails
//! with the attribute's name, unknown attributes are skipped.

use std::net::IpAddr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::prefix::{addr_bytes, family_of};
use crate::error::{DecodeError, Error, Problem, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Attr, Connection, Message, MessageBuilder, Request};

pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_DELNEIGH: u16 = 29;
pub const RTM_GETNEIGH: u16 = 30;

/// `AF_BRIDGE` (`PF_BRIDGE`): the family of forwarding-database entries.
pub const AF_BRIDGE: u8 = 7;

/// `struct ndmsg` (linux/neighbour.h; not in libc).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NdMsg {
    /// `AF_INET`, `AF_INET6` or `AF_BRIDGE`.
    pub ndm_family: u8,
    pub ndm_pad1: u8,
    pub ndm_pad2: u16,
    pub ndm_ifindex: i32,
    /// `NUD_*` state bits.
    pub ndm_state: u16,
    /// `NTF_*` flags.
    pub ndm_flags: u8,
    /// `RTN_*` type of the destination.
    pub ndm_type: u8,
}
const _: () = assert!(core::mem::size_of::<NdMsg>() == 12);

/// `struct nda_cacheinfo`: ages in clock ticks (`USER_HZ`, 100 per second).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NdaCacheinfo {
    pub ndm_confirmed: u32,
    pub ndm_used: u32,
    pub ndm_updated: u32,
    pub ndm_refcnt: u32,
}
const _: () = assert!(core::mem::size_of::<NdaCacheinfo>() == 16);

// NDA_* attributes.
pub const NDA_UNSPEC: u16 = 0;
/// The neighbour's network address (4 or 16 bytes); a vxlan fdb entry's remote.
pub const NDA_DST: u16 = 1;
/// The link-layer address.
pub const NDA_LLADDR: u16 = 2;
/// `struct nda_cacheinfo`.
pub const NDA_CACHEINFO: u16 = 3;
/// u32: probes sent.
pub const NDA_PROBES: u16 = 4;
/// u16 VLAN id of a bridge fdb entry.
pub const NDA_VLAN: u16 = 5;
/// Big-endian u16 UDP port of a vxlan fdb entry.
pub const NDA_PORT: u16 = 6;
/// u32 VNI of a vxlan fdb entry.
pub const NDA_VNI: u16 = 7;
/// u32 interface index (vxlan: the device to reach the remote through; dump filter).
pub const NDA_IFINDEX: u16 = 8;
/// u32 index of the master device (bridge); also a dump filter.
pub const NDA_MASTER: u16 = 9;
pub const NDA_LINK_NETNSID: u16 = 10;
/// u32 source VNI (vxlan collect-metadata devices).
pub const NDA_SRC_VNI: u16 = 11;
/// u8 `RTPROT_*`: who installed the entry.
pub const NDA_PROTOCOL: u16 = 12;
/// u32 nexthop group id.
pub const NDA_NH_ID: u16 = 13;
pub const NDA_FDB_EXT_ATTRS: u16 = 14;
/// u32 `NTF_EXT_*` flags.
pub const NDA_FLAGS_EXT: u16 = 15;
pub const NDA_NDM_STATE_MASK: u16 = 16;
pub const NDA_NDM_FLAGS_MASK: u16 = 17;

// NUD_* states (ndm_state).
pub const NUD_NONE: u16 = 0x00;
pub const NUD_INCOMPLETE: u16 = 0x01;
pub const NUD_REACHABLE: u16 = 0x02;
pub const NUD_STALE: u16 = 0x04;
pub const NUD_DELAY: u16 = 0x08;
pub const NUD_PROBE: u16 = 0x10;
pub const NUD_FAILED: u16 = 0x20;
/// Pseudo-state: no address resolution.
pub const NUD_NOARP: u16 = 0x40;
/// Pseudo-state: static, never garbage-collected.
pub const NUD_PERMANENT: u16 = 0x80;

// NTF_* flags (ndm_flags).
pub const NTF_USE: u8 = 1 << 0;
/// An fdb entry of the device itself (vxlan's remote table, a port's own list).
pub const NTF_SELF: u8 = 1 << 1;
/// An fdb entry of the device's master (the bridge).
pub const NTF_MASTER: u8 = 1 << 2;
/// A proxy entry (proxy ARP / NDP), `ATF_PUBL`.
pub const NTF_PROXY: u8 = 1 << 3;
pub const NTF_EXT_LEARNED: u8 = 1 << 4;
pub const NTF_OFFLOADED: u8 = 1 << 5;
pub const NTF_STICKY: u8 = 1 << 6;
pub const NTF_ROUTER: u8 = 1 << 7;

// NTF_EXT_* flags (NDA_FLAGS_EXT).
pub const NTF_EXT_MANAGED: u32 = 1 << 0;
pub const NTF_EXT_LOCKED: u32 = 1 << 1;

/// One neighbour (or fdb entry) as the kernel reported it, generic over how
/// its link-layer address (`B`) is held: [`Neighbour`] borrows it from the
/// message, [`NeighbourInfo`] owns it. The `struct ndmsg` fields are
/// flattened into plain names; `None` means the kernel did not send the
/// attribute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeighbourData<B> {
    /// `ndm_family`: `AF_INET`, `AF_INET6` or `AF_BRIDGE`.
    pub family: u8,
    /// `ndm_ifindex`: the interface (0 for a proxy entry on no device).
    pub index: u32,
    /// `ndm_state`: `NUD_*` bits.
    pub state: u16,
    /// `ndm_flags`: `NTF_*` bits.
    pub flags: u8,
    /// `ndm_type`: `RTN_*`.
    pub kind: u8,
    /// `NDA_DST`. For `AF_BRIDGE` its length says the family (4 or 16 bytes).
    pub dst: Option<IpAddr>,
    /// `NDA_LLADDR`.
    pub lladdr: Option<B>,
    pub cacheinfo: Option<NdaCacheinfo>,
    /// `NDA_PROBES`.
    pub probes: Option<u32>,
    /// `NDA_VLAN`.
    pub vlan: Option<u16>,
    /// `NDA_PORT`, in host order.
    pub port: Option<u16>,
    /// `NDA_VNI`.
    pub vni: Option<u32>,
    /// `NDA_SRC_VNI`.
    pub src_vni: Option<u32>,
    /// `NDA_IFINDEX`: the device a vxlan remote is reached through.
    pub via_index: Option<u32>,
    /// `NDA_MASTER`: the bridge of a bridge-port fdb entry.
    pub master: Option<u32>,
    /// `NDA_LINK_NETNSID`.
    pub link_netnsid: Option<i32>,
    /// `NDA_PROTOCOL`: `RTPROT_*`.
    pub protocol: Option<u8>,
    /// `NDA_NH_ID`.
    pub nh_id: Option<u32>,
    /// `NDA_FLAGS_EXT`: `NTF_EXT_*` bits.
    pub flags_ext: Option<u32>,
}

/// A neighbour borrowing its link-layer address from its message.
pub type Neighbour<'a> = NeighbourData<&'a [u8]>;
/// A neighbour that owns its link-layer address (what the dumps return).
pub type NeighbourInfo = NeighbourData<Vec<u8>>;

/// An address from `NDA_DST` bytes: by `family`, or by length for `AF_BRIDGE`.
fn dst_attr(family: u8, a: &Attr<'_>) -> Result<IpAddr, DecodeError> {
    let p = a.payload();
    let want = match i32::from(family) {
        libc::AF_INET => 4,
        libc::AF_INET6 => 16,
        _ if p.len() == 16 => 16,
        _ => 4,
    };
    match (want, <[u8; 4]>::try_from(p), <[u8; 16]>::try_from(p)) {
        (4, Ok(b), _) => Ok(IpAddr::from(b)),
        (16, _, Ok(b)) => Ok(IpAddr::from(b)),
        _ => Err(DecodeError::new(
            "NDA_DST",
            Problem::Length { want, got: p.len() },
        )),
    }
}

fn named<T>(r: Result<T, DecodeError>, what: &'static str) -> Result<T, DecodeError> {
    r.map_err(|e| e.named(what))
}

impl<'a> Neighbour<'a> {
    /// Read an `RTM_NEWNEIGH` / `RTM_DELNEIGH` message (neighbour or fdb entry).
    pub fn parse(msg: &Message<'a>) -> Result<Neighbour<'a>, DecodeError> {
        let (h, attrs) = msg.fixed::<NdMsg>("ndmsg")?;
        let mut n = Neighbour {
            family: h.ndm_family,
            index: h.ndm_ifindex as u32,
            state: h.ndm_state,
            flags: h.ndm_flags,
            kind: h.ndm_type,
            ..Neighbour::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                NDA_DST => n.dst = Some(dst_attr(n.family, &attr)?),
                NDA_LLADDR => n.lladdr = Some(attr.payload()),
                NDA_CACHEINFO => {
                    let p = attr.payload();
                    let ci = NdaCacheinfo::read_from_bytes(p).map_err(|_| {
                        DecodeError::new(
                            "NDA_CACHEINFO",
                            Problem::Length {
                                want: 16,
                                got: p.len(),
                            },
                        )
                    })?;
                    n.cacheinfo = Some(ci);
                }
                NDA_PROBES => n.probes = Some(named(attr.u32(), "NDA_PROBES")?),
                NDA_VLAN => n.vlan = Some(named(attr.u16(), "NDA_VLAN")?),
                NDA_PORT => n.port = Some(named(attr.u16_be(), "NDA_PORT")?),
                NDA_VNI => n.vni = Some(named(attr.u32(), "NDA_VNI")?),
                NDA_SRC_VNI => n.src_vni = Some(named(attr.u32(), "NDA_SRC_VNI")?),
                NDA_IFINDEX => n.via_index = Some(named(attr.u32(), "NDA_IFINDEX")?),
                NDA_MASTER => n.master = Some(named(attr.u32(), "NDA_MASTER")?),
                NDA_LINK_NETNSID => n.link_netnsid = Some(named(attr.i32(), "NDA_LINK_NETNSID")?),
                NDA_PROTOCOL => n.protocol = Some(named(attr.u8(), "NDA_PROTOCOL")?),
                NDA_NH_ID => n.nh_id = Some(named(attr.u32(), "NDA_NH_ID")?),
                NDA_FLAGS_EXT => n.flags_ext = Some(named(attr.u32(), "NDA_FLAGS_EXT")?),
                _ => {}
            }
        }
        Ok(n)
    }

    /// An owned copy.
    pub fn to_owned(&self) -> NeighbourInfo {
        NeighbourInfo {
            family: self.family,
            index: self.index,
            state: self.state,
            flags: self.flags,
            kind: self.kind,
            dst: self.dst,
            lladdr: self.lladdr.map(<[u8]>::to_vec),
            cacheinfo: self.cacheinfo,
            probes: self.probes,
            vlan: self.vlan,
            port: self.port,
            vni: self.vni,
            src_vni: self.src_vni,
            via_index: self.via_index,
            master: self.master,
            link_netnsid: self.link_netnsid,
            protocol: self.protocol,
            nh_id: self.nh_id,
            flags_ext: self.flags_ext,
        }
    }
}

/// A neighbour to add, replace, change or delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighbourSpec {
    /// The interface; 0 only for a proxy entry on no device.
    pub index: u32,
    /// The network address; its family is the message's.
    pub dst: IpAddr,
    /// `NDA_LLADDR`; `None` sends none (`lladdr null`, or a proxy entry).
    pub lladdr: Option<Vec<u8>>,
    /// `NUD_*`; iproute2 defaults to `NUD_PERMANENT`, deletes included.
    pub state: u16,
    /// `NTF_*`: `NTF_PROXY` for a proxy entry, `NTF_ROUTER`, `NTF_USE`, ...
    pub flags: u8,
    /// `NTF_EXT_*`, sent as `NDA_FLAGS_EXT` when not 0.
    pub flags_ext: u32,
    /// `NDA_PROTOCOL`.
    pub protocol: Option<u8>,
}

impl NeighbourSpec {
    /// A permanent entry `dst` -> `lladdr` on link `index` (iproute2's default state).
    pub fn new(index: u32, dst: IpAddr, lladdr: Option<Vec<u8>>) -> Self {
        NeighbourSpec {
            index,
            dst,
            lladdr,
            state: NUD_PERMANENT,
            flags: 0,
            flags_ext: 0,
            protocol: None,
        }
    }

    /// A proxy entry for `dst` on link `index` (0: on every device).
    pub fn proxy(index: u32, dst: IpAddr) -> Self {
        NeighbourSpec {
            flags: NTF_PROXY,
            ..NeighbourSpec::new(index, dst, None)
        }
    }
}

fn neighbour_request(kind: u16, flags: u16, spec: &NeighbourSpec) -> Result<Request> {
    let mut m = MessageBuilder::new(kind, flags);
    m.header(&NdMsg {
        ndm_family: family_of(&spec.dst),
        ndm_ifindex: spec.index as i32,
        ndm_state: spec.state,
        ndm_flags: spec.flags,
        ..Default::default()
    });
    if let Some(p) = spec.protocol {
        m.put_u8(NDA_PROTOCOL, p);
    }
    m.put(NDA_DST, &addr_bytes(&spec.dst));
    if spec.flags_ext != 0 {
        m.put_u32(NDA_FLAGS_EXT, spec.flags_ext);
    }
    if let Some(l) = &spec.lladdr {
        m.put(NDA_LLADDR, l);
    }
    m.finish()
}

/// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_EXCL` (`ip neigh add`).
pub fn add_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, spec)
}

/// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_REPLACE` (`ip neigh replace`).
pub fn replace_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, spec)
}

/// `RTM_NEWNEIGH` with `NLM_F_REPLACE` alone (`ip neigh change`): the entry must exist.
pub fn change_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_NEWNEIGH, NLM_F_REPLACE, spec)
}

/// `RTM_DELNEIGH` (`ip neigh del`).
pub fn delete_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_DELNEIGH, 0, spec)
}

/// `RTM_DELNEIGH` for an entry read from the kernel (what a flush sends).
pub fn delete_existing_neighbour_request(n: &NeighbourInfo) -> Result<Request> {
    let Some(dst) = n.dst else {
        return Err(Error::Invalid("neighbour without NDA_DST".into()));
    };
    let mut m = MessageBuilder::new(RTM_DELNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: n.family,
        ndm_ifindex: n.index as i32,
        ndm_state: n.state,
        ndm_flags: n.flags,
        ndm_type: n.kind,
        ..Default::default()
    });
    m.put(NDA_DST, &addr_bytes(&dst));
    m.finish()
}

/// `RTM_GETNEIGH` dump request as `ip neigh show` sends it: `family` (0 for
/// all), `ndm_flags` `NTF_PROXY` for the proxy table, and under strict
/// checking the kernel filters by `NDA_IFINDEX` (`index`, 0 for all) and
/// `NDA_MASTER` (`master`, 0 for none).
pub fn dump_neighbours_request(
    family: u8,
    index: u32,
    master: u32,
    proxy: bool,
) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: family,
        ndm_flags: if proxy { NTF_PROXY } else { 0 },
        ..Default::default()
    });
    if index != 0 {
        m.put_u32(NDA_IFINDEX, index);
    }
    if master != 0 {
        m.put_u32(NDA_MASTER, master);
    }
    m.finish()
}

/// `RTM_GETNEIGH` for one entry (`ip neigh get`); `proxy` asks the proxy table.
pub fn get_neighbour_request(index: u32, dst: &IpAddr, proxy: bool) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: family_of(dst),
        ndm_ifindex: index as i32,
        ndm_flags: if proxy { NTF_PROXY } else { 0 },
        ..Default::default()
    });
    m.put(NDA_DST, &addr_bytes(dst));
    m.finish()
}

/// Add a neighbour; fails with `EEXIST` when there is one.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn add_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(add_neighbour_request(spec)?)
}

/// Add or overwrite a neighbour.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn replace_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(replace_neighbour_request(spec)?)
}

/// Change an existing neighbour; fails with `ENOENT` when there is none.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn change_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(change_neighbour_request(spec)?)
}

/// Delete a neighbour; fails with `ENOENT` when there is none.
#[doc(alias = "RTM_DELNEIGH")]
pub fn delete_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(delete_neighbour_request(spec)?)
}

/// One neighbour (`ip neigh get`). A missing entry is the kernel's refusal
/// (`ENOENT`, "Neighbour entry not found").
#[doc(alias = "RTM_GETNEIGH")]
pub fn get_neighbour(
    conn: &mut Connection,
    index: u32,
    dst: &IpAddr,
    proxy: bool,
) -> Result<NeighbourInfo> {
    let mut found = None;
    conn.request(get_neighbour_request(index, dst, proxy)?, |msg| {
        if msg.message_type() == RTM_NEWNEIGH && found.is_none() {
            found = Some(Neighbour::parse(&msg)?.to_owned());
        }
        Ok(())
    })?;
    found.ok_or(Error::Truncated {
        what: "RTM_GETNEIGH answer without a neighbour",
    })
}

fn collect(
    conn: &mut Connection,
    request: Request,
    keep: impl Fn(&Neighbour<'_>) -> bool,
) -> Result<Vec<NeighbourInfo>> {
    conn.dump_collect(request, |msg| {
        if msg.message_type() != RTM_NEWNEIGH {
            return Ok(None);
        }
        let n = Neighbour::parse(&msg)?;
        Ok(keep(&n).then(|| n.to_owned()))
    })
}

/// Every neighbour of `family` (0: IPv4 and IPv6) and of link `index`
/// (`None`: all), in the kernel's order, whatever their state.
#[doc(alias = "RTM_GETNEIGH")]
pub fn dump_neighbours(
    conn: &mut Connection,
    family: u8,
    index: Option<u32>,
) -> Result<Vec<NeighbourInfo>> {
    let request = dump_neighbours_request(family, index.unwrap_or(0), 0, false)?;
    collect(conn, request, |n| {
        (family == 0 || n.family == family)
            && index.map_or(true, |i| i == n.index)
            && n.flags & NTF_PROXY == 0
    })
}

/// Every proxy entry of `family` (0: both) and of link `index` (`None`: all).
#[doc(alias = "RTM_GETNEIGH")]
pub fn dump_proxy_neighbours(
    conn: &mut Connection,
    family: u8,
    index: Option<u32>,
) -> Result<Vec<NeighbourInfo>> {
    let request = dump_neighbours_request(family, index.unwrap_or(0), 0, true)?;
    collect(conn, request, |n| {
        (family == 0 || n.family == family) && index.map_or(true, |i| i == n.index)
    })
}

#[cfg(test)]
#[path = "neigh_tests.rs"]
pub(crate) mod tests;
