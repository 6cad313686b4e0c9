//! Device kinds: what goes into `IFLA_LINKINFO` / `IFLA_INFO_DATA` when a
//! link is created, and what the kernel's `IFLA_INFO_DATA` (and a port's
//! `IFLA_INFO_SLAVE_DATA`) says about a link it shows.
//!
//! One file per kind, each with a parameters struct (what `ip link add ...
//! type KIND ARGS` can set), a pure encoder into `IFLA_INFO_DATA`, and a typed
//! view of the kernel's `IFLA_INFO_DATA` for display.
//! `route::link::LinkKind` ties the encoders together for the request
//! builder (`route::link::add_link_request`); [`KindData::decode`] and
//! [`SlaveData::decode`] pick the decoder by the `IFLA_INFO_KIND` /
//! `IFLA_INFO_SLAVE_KIND` string. Kinds know nothing of links: `route::link`
//! uses this module, never the other way round (only tests build whole
//! link requests around an encoder).
//!
//! Invariants: encoders write attributes in one fixed order, which is the order
//! iproute2 6.1 sends them in for the command words in the order its usage
//! lists them (the golden tests pin this); decoders never panic, fail naming
//! the malformed attribute (`IFLA_VXLAN_ID: want 4 bytes, got 2`) and skip
//! attributes they do not know.

pub mod bridge;
pub mod bridge_port;
pub mod ipvlan;
pub mod macvlan;
pub mod tun;
pub mod tunnel;
pub mod vlan;
pub mod vxlan;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::{DecodeError, Problem, Result};
use crate::netlink::{Attr, MessageBuilder};

pub use bridge::{BridgeId, BridgeInfo, BridgeParams};
pub use bridge_port::{BridgePortInfo, BridgePortParams};
pub use ipvlan::{IpvlanFlag, IpvlanInfo, IpvlanMode, IpvlanParams};
pub use macvlan::{MacvlanInfo, MacvlanMode, MacvlanParams};
pub use tun::TunInfo;
pub use tunnel::{TunnelInfo, TunnelParams};
pub use vlan::{VlanInfo, VlanParams};
pub use vxlan::{VxlanInfo, VxlanParams, VxlanTtl};

/// A link's `IFLA_INFO_DATA`, decoded for the kinds rawnet knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindData {
    /// Boxed: the largest by far.
    Bridge(Box<BridgeInfo>),
    Vxlan(VxlanInfo),
    /// macvlan and macvtap.
    Macvlan(MacvlanInfo),
    Ipvlan(IpvlanInfo),
    /// ipip (and the other `IFLA_IPTUN_*` kinds).
    Ipip(TunnelInfo),
    /// gre (`IFLA_GRE_*`).
    Gre(TunnelInfo),
    Vlan(VlanInfo),
    /// tun and tap devices (`IFLA_TUN_*`).
    Tun(TunInfo),
}

impl KindData {
    /// The `IFLA_INFO_KIND` strings [`KindData::decode`] has a decoder for.
    pub const KINDS: &'static [&'static str] = &[
        "bridge", "vxlan", "macvlan", "macvtap", "ipvlan", "ipip", "gre", "vlan", "tun",
    ];

    /// Decode `data` as the `IFLA_INFO_DATA` of a link of `kind`;
    /// `Ok(None)` for a kind without a decoder here.
    pub fn decode(kind: &str, data: &[u8]) -> Result<Option<KindData>, DecodeError> {
        Ok(Some(match kind {
            "bridge" => KindData::Bridge(Box::new(BridgeInfo::decode(data)?)),
            "vxlan" => KindData::Vxlan(VxlanInfo::decode(data)?),
            "macvlan" | "macvtap" => KindData::Macvlan(MacvlanInfo::decode(data)?),
            "ipvlan" => KindData::Ipvlan(IpvlanInfo::decode(data)?),
            "ipip" => KindData::Ipip(TunnelInfo::decode_ipip(data)?),
            "gre" => KindData::Gre(TunnelInfo::decode_gre(data)?),
            "vlan" => KindData::Vlan(VlanInfo::decode(data)?),
            "tun" => KindData::Tun(TunInfo::decode(data)?),
            _ => return Ok(None),
        }))
    }
}

/// A port's `IFLA_INFO_SLAVE_DATA`, decoded for the masters rawnet knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlaveData {
    /// A bridge port (`IFLA_BRPORT_*`).
    Bridge(BridgePortInfo),
}

impl SlaveData {
    /// The `IFLA_INFO_SLAVE_KIND` strings [`SlaveData::decode`] has a decoder for.
    pub const KINDS: &'static [&'static str] = &["bridge"];

    /// Decode `data` as the `IFLA_INFO_SLAVE_DATA` of a port whose master is
    /// of `slave_kind`; `Ok(None)` for a kind without a decoder here.
    pub fn decode(slave_kind: &str, data: &[u8]) -> Result<Option<SlaveData>, DecodeError> {
        Ok(match slave_kind {
            "bridge" => Some(SlaveData::Bridge(BridgePortInfo::decode(data)?)),
            _ => None,
        })
    }
}

/// The same problem under the attribute's name.
pub(crate) fn named<T>(r: Result<T, DecodeError>, what: &'static str) -> Result<T, DecodeError> {
    r.map_err(|e| e.named(what))
}

/// An exact-size byte array.
pub(crate) fn array<const N: usize>(
    a: &Attr<'_>,
    what: &'static str,
) -> Result<[u8; N], DecodeError> {
    a.payload().try_into().map_err(|_| {
        DecodeError::new(
            what,
            Problem::Length {
                want: N,
                got: a.payload().len(),
            },
        )
    })
}

pub(crate) fn ipv4(a: &Attr<'_>, what: &'static str) -> Result<Ipv4Addr, DecodeError> {
    array::<4>(a, what).map(Ipv4Addr::from)
}

pub(crate) fn ipv6(a: &Attr<'_>, what: &'static str) -> Result<Ipv6Addr, DecodeError> {
    array::<16>(a, what).map(Ipv6Addr::from)
}

/// A u8 attribute as a boolean (non-zero is true).
pub(crate) fn flag_u8(a: &Attr<'_>, what: &'static str) -> Result<bool, DecodeError> {
    named(a.u8(), what).map(|v| v != 0)
}

/// Put an address as its bytes (network order), under the v4 or v6 type.
pub(crate) fn put_ip(m: &mut MessageBuilder, v4: u16, v6: u16, addr: IpAddr) {
    match addr {
        IpAddr::V4(a) => m.put(v4, &a.octets()),
        IpAddr::V6(a) => m.put(v6, &a.octets()),
    };
}

#[cfg(test)]
pub(crate) mod golden {
    //! Golden bytes shared by the kinds' tests (tests/golden/kinds, see its
    //! PROVENANCE.md): requests as iproute2 6.1 sent them, replies as the
    //! kernel (6.18) answered `ip -d link show dev X`; seq and pid zeroed.

    use crate::netlink::header::NLM_F_ACK;
    use crate::netlink::{Attrs, Messages, Request};
    use crate::route::link::LinkKind;
    use crate::route::link::{
        add_link_request, LinkSpec, IFLA_INFO_DATA, IFLA_INFO_SLAVE_DATA, IFLA_LINKINFO,
    };

    /// The bytes of `tests/golden/kinds/<file>`.
    macro_rules! golden {
        ($f:literal) => {
            include_bytes!(concat!("../../../tests/golden/kinds/", $f))
        };
    }
    pub(crate) use golden;

    /// The index veth0 had where the requests were captured: the parent
    /// (`link veth0`) of the macvlan, macvtap, ipvlan and vlan devices.
    const VETH0: u32 = 3;

    /// Our request bytes as the connection sends them, less the `NLM_F_ACK`
    /// it adds (iproute2's create requests carry it already).
    pub fn sent(mut r: Request) -> Vec<u8> {
        r.add_flags(NLM_F_ACK);
        r.as_bytes().to_vec()
    }

    /// Our bytes for `ip link add NAME type KIND ...`.
    pub fn add_request(name: &str, kind: LinkKind<'_>) -> Vec<u8> {
        sent(add_link_request(&LinkSpec::new(name, kind)).unwrap())
    }

    /// Our bytes for `ip link add NAME link veth0 type KIND ...`.
    pub fn add_request_on_veth0(name: &str, kind: LinkKind<'_>) -> Vec<u8> {
        let mut spec = LinkSpec::new(name, kind);
        spec.parent = Some(VETH0);
        sent(add_link_request(&spec).unwrap())
    }

    /// The payload of `IFLA_LINKINFO` / `which` in a whole RTM_NEWLINK message.
    pub fn linkinfo_part(msg: &[u8], which: u16) -> Vec<u8> {
        let m = Messages::new(msg).next().unwrap().unwrap();
        let (_, attrs) = m
            .fixed::<crate::route::link::IfInfoMsg>("ifinfomsg")
            .unwrap();
        let info = attrs.find(IFLA_LINKINFO).unwrap();
        Attrs::new(info.payload())
            .find(which)
            .map(|a| a.payload().to_vec())
            .unwrap_or_default()
    }

    pub fn info_data(msg: &[u8]) -> Vec<u8> {
        linkinfo_part(msg, IFLA_INFO_DATA)
    }

    pub fn slave_data(msg: &[u8]) -> Vec<u8> {
        linkinfo_part(msg, IFLA_INFO_SLAVE_DATA)
    }

    /// Every cut of `data` that ends inside an attribute fails; every cut at
    /// an attribute boundary decodes. `decode` must not panic on any.
    pub fn truncations_fail_cleanly<T: std::fmt::Debug, E: std::fmt::Debug>(
        data: &[u8],
        decode: impl Fn(&[u8]) -> Result<T, E>,
    ) {
        let mut ends = vec![0];
        let mut at = 0;
        while at + 4 <= data.len() {
            let len = u16::from_ne_bytes([data[at], data[at + 1]]) as usize;
            let padded = (at + len + 3) & !3;
            ends.extend(at + len..=padded.min(data.len()));
            at = padded;
        }
        for cut in 0..data.len() {
            let r = decode(&data[..cut]);
            if ends.contains(&cut) {
                assert!(r.is_ok(), "cut {cut} at a boundary: {r:?}");
            } else {
                assert!(r.is_err(), "cut {cut} inside an attribute: {r:?}");
            }
        }
        assert!(decode(data).is_ok());
    }
}
