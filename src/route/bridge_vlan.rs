//! Bridge VLANs (what `bridge vlan` manages): the VLAN filter of a bridge
//! port, or of the bridge itself (`self`).
//!
//! Changes are link messages of family `AF_BRIDGE`: `RTM_SETLINK` adds,
//! `RTM_DELLINK` removes, each carrying `IFLA_AF_SPEC { IFLA_BRIDGE_FLAGS?,
//! IFLA_BRIDGE_VLAN_INFO+ | IFLA_BRIDGE_VLAN_TUNNEL_INFO+ }`. A range
//! `vid 10-20` is two entries, the first flagged
//! `BRIDGE_VLAN_INFO_RANGE_BEGIN`, the second `BRIDGE_VLAN_INFO_RANGE_END`.
//! [`VlanSpec`] describes the change; the builders produce the bytes
//! `bridge vlan` (iproute2 6.1) sends, checked against captures below
//! (tests/golden/bridge-vlan).
//!
//! Reading: an `RTM_GETLINK` dump of family `AF_BRIDGE` with `IFLA_EXT_MASK`
//! `RTEXT_FILTER_BRVLAN` (one entry per VLAN) or
//! `RTEXT_FILTER_BRVLAN_COMPRESSED` (ranges as begin/end pairs). Each reply
//! is one port, viewed by [`PortVlans`] without copying; its entries come
//! out of [`PortVlans::vlans`] in the kernel's order, raw, so a printer can
//! pair ranges the way `bridge` does. [`for_each_port_vlans`] streams the
//! dump.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::link::{IfInfoMsg, IFLA_AF_SPEC, IFLA_EXT_MASK, IFLA_IFNAME, IFLA_MASTER};
use super::neigh::AF_BRIDGE;
use super::{RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK, RTM_SETLINK};
use crate::error::{DecodeError, Error, Problem, Result};
use crate::netlink::{Attr, Attrs, Connection, DumpStatus, Message, MessageBuilder, Request};

// IFLA_BRIDGE_* inside IFLA_AF_SPEC (linux/if_bridge.h).
pub const IFLA_BRIDGE_FLAGS: u16 = 0;
pub const IFLA_BRIDGE_MODE: u16 = 1;
pub const IFLA_BRIDGE_VLAN_INFO: u16 = 2;
pub const IFLA_BRIDGE_VLAN_TUNNEL_INFO: u16 = 3;

// IFLA_BRIDGE_VLAN_TUNNEL_* inside IFLA_BRIDGE_VLAN_TUNNEL_INFO.
pub const IFLA_BRIDGE_VLAN_TUNNEL_ID: u16 = 1;
pub const IFLA_BRIDGE_VLAN_TUNNEL_VID: u16 = 2;
pub const IFLA_BRIDGE_VLAN_TUNNEL_FLAGS: u16 = 3;

/// `IFLA_BRIDGE_FLAGS`: address the bridge the device is enslaved to.
pub const BRIDGE_FLAGS_MASTER: u16 = 1;
/// `IFLA_BRIDGE_FLAGS`: address the device itself (the bridge's own VLANs).
pub const BRIDGE_FLAGS_SELF: u16 = 2;

// struct bridge_vlan_info flags.
pub const BRIDGE_VLAN_INFO_MASTER: u16 = 1 << 0;
/// The VLAN untagged frames arriving on the port are put in.
pub const BRIDGE_VLAN_INFO_PVID: u16 = 1 << 1;
/// Frames of this VLAN leave the port untagged.
pub const BRIDGE_VLAN_INFO_UNTAGGED: u16 = 1 << 2;
pub const BRIDGE_VLAN_INFO_RANGE_BEGIN: u16 = 1 << 3;
pub const BRIDGE_VLAN_INFO_RANGE_END: u16 = 1 << 4;
pub const BRIDGE_VLAN_INFO_BRENTRY: u16 = 1 << 5;
pub const BRIDGE_VLAN_INFO_ONLY_OPTS: u16 = 1 << 6;

/// `IFLA_EXT_MASK` bit: one `IFLA_BRIDGE_VLAN_INFO` per VLAN.
pub const RTEXT_FILTER_BRVLAN: u32 = 1 << 1;
/// `IFLA_EXT_MASK` bit: consecutive VLANs with the same flags as a range.
pub const RTEXT_FILTER_BRVLAN_COMPRESSED: u32 = 1 << 2;

/// The highest VLAN id plus one: ids are 12 bits, 0 and 4095 reserved.
pub const VLAN_N_VID: u16 = 4096;

/// `struct bridge_vlan_info` (linux/if_bridge.h).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct BridgeVlanInfo {
    /// `BRIDGE_VLAN_INFO_*`.
    pub flags: u16,
    pub vid: u16,
}
const _: () = assert!(core::mem::size_of::<BridgeVlanInfo>() == 4);

/// One change to a device's VLAN filter: `bridge vlan {add|del} vid
/// VID[-END] dev DEV [tunnel_info id ID[-END]] [pvid] [untagged] [self] [master]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VlanSpec {
    /// The port (or, with `self`, the bridge).
    pub index: u32,
    /// The VLAN, or the first of the range.
    pub vid: u16,
    /// The last VLAN of a range (`vid 10-20`).
    pub vid_end: Option<u16>,
    /// `BRIDGE_VLAN_INFO_PVID` and/or `BRIDGE_VLAN_INFO_UNTAGGED`.
    pub flags: u16,
    /// `BRIDGE_FLAGS_SELF` and/or `BRIDGE_FLAGS_MASTER`; 0 sends no
    /// `IFLA_BRIDGE_FLAGS` (the kernel then means `master`).
    pub bridge_flags: u16,
    /// `tunnel_info id ID[-END]`: the tunnel id (24 bits) of `vid`, and of
    /// `vid_end` for a range. Sent instead of the VLAN entries.
    pub tunnel: Option<(u32, u32)>,
}

impl VlanSpec {
    /// One VLAN of device `index`, no flags.
    pub fn new(index: u32, vid: u16) -> Self {
        VlanSpec {
            index,
            vid,
            vid_end: None,
            flags: 0,
            bridge_flags: 0,
            tunnel: None,
        }
    }
}

fn put_vlan_info(m: &mut MessageBuilder, flags: u16, vid: u16) {
    m.put(
        IFLA_BRIDGE_VLAN_INFO,
        BridgeVlanInfo { flags, vid }.as_bytes(),
    );
}

fn put_tunnel_info(m: &mut MessageBuilder, vid: u16, id: u32, flags: u16) {
    m.nest(IFLA_BRIDGE_VLAN_TUNNEL_INFO, |m| {
        m.put_u32(IFLA_BRIDGE_VLAN_TUNNEL_ID, id);
        m.put_u16(IFLA_BRIDGE_VLAN_TUNNEL_VID, vid);
        m.put_u16(IFLA_BRIDGE_VLAN_TUNNEL_FLAGS, flags);
    });
}

/// The attributes in the order `bridge vlan` writes them: flags, then the
/// entries (a range as begin and end).
fn vlan_request(kind: u16, spec: &VlanSpec) -> Result<Request> {
    let mut m = MessageBuilder::new(kind, 0);
    m.header(&IfInfoMsg {
        ifi_family: AF_BRIDGE,
        ifi_index: spec.index as i32,
        ..IfInfoMsg::default()
    });
    m.nest(IFLA_AF_SPEC, |m| {
        if spec.bridge_flags != 0 {
            m.put_u16(IFLA_BRIDGE_FLAGS, spec.bridge_flags);
        }
        match (spec.tunnel, spec.vid_end) {
            (Some((id, id_end)), Some(end)) if end > spec.vid => {
                put_tunnel_info(m, spec.vid, id, BRIDGE_VLAN_INFO_RANGE_BEGIN);
                put_tunnel_info(m, end, id_end, BRIDGE_VLAN_INFO_RANGE_END);
            }
            (Some((id, _)), _) => put_tunnel_info(m, spec.vid, id, 0),
            (None, Some(end)) => {
                put_vlan_info(m, spec.flags | BRIDGE_VLAN_INFO_RANGE_BEGIN, spec.vid);
                put_vlan_info(m, spec.flags | BRIDGE_VLAN_INFO_RANGE_END, end);
            }
            (None, None) => put_vlan_info(m, spec.flags, spec.vid),
        }
    });
    m.finish()
}

/// `RTM_SETLINK` (`bridge vlan add`).
pub fn add_vlan_request(spec: &VlanSpec) -> Result<Request> {
    vlan_request(RTM_SETLINK, spec)
}

/// `RTM_DELLINK` of family `AF_BRIDGE` (`bridge vlan del`): removes the
/// VLANs, not the device.
pub fn delete_vlan_request(spec: &VlanSpec) -> Result<Request> {
    vlan_request(RTM_DELLINK, spec)
}

/// `RTM_GETLINK` of family `AF_BRIDGE` with `IFLA_EXT_MASK`
/// `RTEXT_FILTER_BRVLAN`, or `..._COMPRESSED` (`bridge -compressvlans vlan
/// show`); the connection adds `NLM_F_DUMP`.
pub fn dump_vlans_request(compressed: bool) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: AF_BRIDGE,
        ..IfInfoMsg::default()
    });
    let mask = if compressed {
        RTEXT_FILTER_BRVLAN_COMPRESSED
    } else {
        RTEXT_FILTER_BRVLAN
    };
    m.put_u32(IFLA_EXT_MASK, mask);
    m.finish()
}

/// Add VLANs to a port's (or with `self`, the bridge's) filter.
#[doc(alias = "RTM_SETLINK")]
pub fn add_vlan(conn: &mut Connection, spec: &VlanSpec) -> Result<()> {
    conn.execute(add_vlan_request(spec)?)
}

/// Remove VLANs from a filter.
#[doc(alias = "RTM_DELLINK")]
pub fn delete_vlan(conn: &mut Connection, spec: &VlanSpec) -> Result<()> {
    conn.execute(delete_vlan_request(spec)?)
}

/// A VLAN-to-tunnel mapping entry (`IFLA_BRIDGE_VLAN_TUNNEL_INFO`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VlanTunnel {
    /// `IFLA_BRIDGE_VLAN_TUNNEL_ID`.
    pub id: u32,
    /// `IFLA_BRIDGE_VLAN_TUNNEL_VID`.
    pub vid: u16,
    /// `IFLA_BRIDGE_VLAN_TUNNEL_FLAGS` (`BRIDGE_VLAN_INFO_RANGE_*`).
    pub flags: u16,
}

/// One `RTM_NEWLINK` of family `AF_BRIDGE`: a bridge port or a bridge, and
/// its VLAN entries, borrowed from the message.
#[derive(Debug, Clone, Copy)]
pub struct PortVlans<'a> {
    pub family: u8,
    pub index: u32,
    /// `IFLA_IFNAME`.
    pub name: Option<&'a str>,
    /// `IFLA_MASTER`: the bridge of a port.
    pub master: Option<u32>,
    /// The contents of `IFLA_AF_SPEC`; `None` when the kernel sent none.
    af_spec: Option<&'a [u8]>,
}

impl<'a> PortVlans<'a> {
    /// Read the header and the attributes `bridge vlan show` uses.
    pub fn parse(msg: &Message<'a>) -> Result<PortVlans<'a>, DecodeError> {
        let (ifi, attrs) = msg.fixed::<IfInfoMsg>("ifinfomsg")?;
        let mut p = PortVlans {
            family: ifi.ifi_family,
            index: ifi.ifi_index as u32,
            name: None,
            master: None,
            af_spec: None,
        };
        for attr in attrs {
            let a = attr?;
            match a.kind() {
                IFLA_IFNAME => p.name = Some(a.c_str().map_err(|e| e.named("IFLA_IFNAME"))?),
                IFLA_MASTER => p.master = Some(a.u32().map_err(|e| e.named("IFLA_MASTER"))?),
                IFLA_AF_SPEC => p.af_spec = Some(a.payload()),
                _ => {}
            }
        }
        Ok(p)
    }

    /// True when the message carried `IFLA_AF_SPEC` (`bridge` skips a port without).
    pub fn has_af_spec(&self) -> bool {
        self.af_spec.is_some()
    }

    fn af_spec_attrs(&self) -> Attrs<'a> {
        Attrs::new(self.af_spec.unwrap_or(&[]))
    }

    /// The `IFLA_BRIDGE_VLAN_INFO` entries in the kernel's order; other
    /// attributes are skipped. A malformed entry is one error, then the end.
    pub fn vlans(&self) -> impl Iterator<Item = Result<BridgeVlanInfo, DecodeError>> + 'a {
        only(self.af_spec_attrs(), IFLA_BRIDGE_VLAN_INFO, |a| {
            BridgeVlanInfo::read_from_bytes(a.payload()).map_err(|_| {
                DecodeError::new(
                    "IFLA_BRIDGE_VLAN_INFO",
                    Problem::Length {
                        want: 4,
                        got: a.payload().len(),
                    },
                )
            })
        })
    }

    /// The `IFLA_BRIDGE_VLAN_TUNNEL_INFO` entries that carry a VID.
    pub fn tunnels(&self) -> impl Iterator<Item = Result<VlanTunnel, DecodeError>> + 'a {
        only(self.af_spec_attrs(), IFLA_BRIDGE_VLAN_TUNNEL_INFO, |a| {
            let mut t = VlanTunnel::default();
            let mut has_vid = false;
            for inner in a.nested() {
                let i = inner?;
                match i.kind() {
                    IFLA_BRIDGE_VLAN_TUNNEL_ID => {
                        t.id = i.u32().map_err(|e| e.named("IFLA_BRIDGE_VLAN_TUNNEL_ID"))?
                    }
                    IFLA_BRIDGE_VLAN_TUNNEL_VID => {
                        has_vid = true;
                        t.vid = i
                            .u16()
                            .map_err(|e| e.named("IFLA_BRIDGE_VLAN_TUNNEL_VID"))?
                    }
                    IFLA_BRIDGE_VLAN_TUNNEL_FLAGS => {
                        t.flags = i
                            .u16()
                            .map_err(|e| e.named("IFLA_BRIDGE_VLAN_TUNNEL_FLAGS"))?
                    }
                    _ => {}
                }
            }
            Ok(has_vid.then_some(t))
        })
        .filter_map(|r| r.transpose())
    }
}

/// The attributes of one type, read by `read`; stops after the first error.
fn only<'a, T: 'a>(
    attrs: Attrs<'a>,
    kind: u16,
    read: impl Fn(&Attr<'a>) -> Result<T, DecodeError> + 'a,
) -> impl Iterator<Item = Result<T, DecodeError>> + 'a {
    let mut failed = false;
    attrs
        .filter(move |a| a.as_ref().map_or(true, |a| a.kind() == kind))
        .map_while(move |a| {
            if failed {
                return None;
            }
            let r = a.and_then(|a| read(&a));
            failed = r.is_err();
            Some(r)
        })
}

/// Stream a VLAN dump: `f` sees each `AF_BRIDGE` link message in the
/// kernel's order, borrowed from the receive buffer.
#[doc(alias = "RTM_GETLINK")]
pub fn for_each_port_vlans<E, F>(
    conn: &mut Connection,
    compressed: bool,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&PortVlans<'_>) -> std::result::Result<(), E>,
{
    let request = dump_vlans_request(compressed).map_err(E::from)?;
    conn.dump(request, |msg| {
        if msg.message_type() != RTM_NEWLINK {
            return Ok(());
        }
        let p = PortVlans::parse(&msg).map_err(Error::from)?;
        if p.family != AF_BRIDGE {
            return Ok(());
        }
        f(&p)
    })
}

#[cfg(test)]
mod tests;
