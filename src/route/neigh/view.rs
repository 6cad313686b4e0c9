//! The wire side of a neighbour (or fdb entry): `struct ndmsg`,
//! `struct nda_cacheinfo`, and [`NeighbourData`] with its borrowed view
//! [`Neighbour`] and owned form [`NeighbourInfo`].
//!
//! Invariants: [`Neighbour::parse`] reads one message in one pass and never
//! panics; an attribute it reads that is malformed fails with the attribute's
//! name, unknown attributes are skipped. `NDA_DST` of `AF_BRIDGE` (vxlan fdb)
//! is read by its length.

use std::net::IpAddr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::consts::*;
use crate::error::{DecodeError, Problem};
use crate::netlink::{Attr, Message};

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

/// What [`crate::netlink::Connection::for_each_view`] hands out of a
/// neighbour dump.
impl crate::netlink::MessageView for Neighbour<'_> {
    const MESSAGE_TYPE: u16 = RTM_NEWNEIGH;
    type Of<'a> = Neighbour<'a>;
    fn parse<'a>(msg: &Message<'a>) -> Result<Neighbour<'a>, DecodeError> {
        Neighbour::parse(msg)
    }
}
