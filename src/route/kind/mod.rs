//! Device kinds: what goes into `IFLA_LINKINFO` / `IFLA_INFO_DATA` when a
//! link is created, and what the kernel's `IFLA_INFO_DATA` (and a port's
//! `IFLA_INFO_SLAVE_DATA`) says about a link it shows.
//!
//! One file per kind, each with a parameters struct (what `ip link add ...
//! type KIND ARGS` can set), a pure encoder into `IFLA_INFO_DATA`, and a typed
//! view of the kernel's `IFLA_INFO_DATA` for display. [`LinkKind`] ties them
//! together for the request builder (`route::link::add_link_request`);
//! [`KindData::decode`] and [`SlaveData::decode`] pick the decoder by the
//! `IFLA_INFO_KIND` / `IFLA_INFO_SLAVE_KIND` string.
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
use crate::route::link::{IfInfoMsg, LinkChanges, IFLA_IFNAME, IFLA_INFO_DATA, VETH_INFO_PEER};

pub use bridge::{BridgeId, BridgeInfo, BridgeParams};
pub use bridge_port::{BridgePortInfo, BridgePortParams};
pub use ipvlan::{IpvlanFlag, IpvlanInfo, IpvlanMode, IpvlanParams};
pub use macvlan::{MacvlanInfo, MacvlanMode, MacvlanParams};
pub use tun::TunInfo;
pub use tunnel::{TunnelInfo, TunnelParams};
pub use vlan::{VlanInfo, VlanParams};
pub use vxlan::{VxlanInfo, VxlanParams, VxlanTtl};

/// A kind of link to create, with its parameters.
#[derive(Debug, Clone, Copy)]
pub enum LinkKind<'a> {
    /// A veth pair. `peer`: the other end's name (the kernel picks `vethN`
    /// without one), namespace (a descriptor goes in as its number) and any
    /// other attribute a link takes (`mtu`, `address`, `up`, ...), sent in
    /// `VETH_INFO_PEER` as iproute2 does; `None` sends no `IFLA_INFO_DATA`.
    Veth {
        peer: Option<&'a LinkChanges<'a>>,
    },
    Bridge(BridgeParams),
    Vxlan(VxlanParams),
    Macvlan(MacvlanParams),
    /// Same parameters as macvlan; a tap character device comes with it.
    Macvtap(MacvlanParams),
    Ipvlan(IpvlanParams),
    Ipip(TunnelParams),
    Gre(TunnelParams),
    Vlan(VlanParams),
    Dummy,
    /// Any other `IFLA_INFO_KIND`, sent without `IFLA_INFO_DATA` (the kernel
    /// answers "Unknown device type" for one it lacks).
    Other(&'a str),
}

impl LinkKind<'_> {
    /// The `IFLA_INFO_KIND` string.
    pub fn name(&self) -> &str {
        match self {
            LinkKind::Veth { .. } => "veth",
            LinkKind::Bridge(_) => "bridge",
            LinkKind::Vxlan(_) => "vxlan",
            LinkKind::Macvlan(_) => "macvlan",
            LinkKind::Macvtap(_) => "macvtap",
            LinkKind::Ipvlan(_) => "ipvlan",
            LinkKind::Ipip(_) => "ipip",
            LinkKind::Gre(_) => "gre",
            LinkKind::Vlan(_) => "vlan",
            LinkKind::Dummy => "dummy",
            LinkKind::Other(kind) => kind,
        }
    }

    /// Refuse parameters the kernel would refuse, before anything is sent.
    pub fn validate(&self) -> Result<()> {
        match self {
            LinkKind::Veth { peer: Some(peer) } => {
                if peer.info.is_some() {
                    return Err(crate::error::Error::Invalid(
                        crate::error::Invalid::PeerKind,
                    ));
                }
                peer.validate()
            }
            LinkKind::Vxlan(p) => p.validate(),
            _ => Ok(()),
        }
    }

    /// Write `IFLA_INFO_DATA` (inside `IFLA_LINKINFO`, after `IFLA_INFO_KIND`)
    /// when the kind has parameters to send.
    pub fn put_info_data(&self, m: &mut MessageBuilder) {
        match self {
            LinkKind::Veth { peer: None } => {}
            LinkKind::Veth { peer: Some(peer) } => {
                m.nest(IFLA_INFO_DATA, |m| {
                    m.nest(VETH_INFO_PEER, |m| {
                        let (flags, change) = peer.flags();
                        m.header(&IfInfoMsg {
                            ifi_flags: flags,
                            ifi_change: change,
                            ..IfInfoMsg::default()
                        });
                        peer.put_attrs(m);
                        if let Some(p) = peer.name {
                            m.put_c_bytes(IFLA_IFNAME, p);
                        }
                    });
                });
            }
            LinkKind::Bridge(p) if !p.is_empty() => data(m, |m| p.encode(m)),
            LinkKind::Vxlan(p) => data(m, |m| p.encode(m)),
            LinkKind::Macvlan(p) | LinkKind::Macvtap(p) if !p.is_empty() => {
                data(m, |m| p.encode(m))
            }
            LinkKind::Ipvlan(p) if !p.is_empty() => data(m, |m| p.encode(m)),
            LinkKind::Ipip(p) => data(m, |m| p.encode_ipip(m)),
            LinkKind::Gre(p) => data(m, |m| p.encode_gre(m)),
            LinkKind::Vlan(p) => data(m, |m| p.encode(m)),
            _ => {}
        }
    }
}

fn data(m: &mut MessageBuilder, f: impl FnOnce(&mut MessageBuilder)) {
    m.nest(IFLA_INFO_DATA, f);
}

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

    use super::LinkKind;
    use crate::netlink::header::NLM_F_ACK;
    use crate::netlink::{Attrs, Messages, Request};
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

#[cfg(test)]
mod tests {
    use std::os::fd::{AsFd, AsRawFd};

    use super::golden::{golden, sent};
    use super::*;
    use crate::route::link::{
        add_link_request, dump_links_filtered_request, set_link_request, LinkChanges, LinkSpec,
        NetnsRef,
    };

    fn add(spec: &LinkSpec<'_>) -> Vec<u8> {
        sent(add_link_request(spec).unwrap())
    }

    /// iproute2 had the namespace file as fd 4; put ours where its number is.
    fn with_fd(golden: &[u8], at: usize, fd: &std::fs::File) -> Vec<u8> {
        let mut g = golden.to_vec();
        assert_eq!(g[at..at + 4], 4u32.to_ne_bytes(), "fd 4 in the capture");
        g[at..at + 4].copy_from_slice(&(fd.as_raw_fd() as u32).to_ne_bytes());
        g
    }

    /// The lists name exactly the kinds the decoders take (no attributes is
    /// an empty value, not "no decoder").
    #[test]
    fn decoded_kind_lists_match_the_decoders() {
        for kind in KindData::KINDS {
            assert!(KindData::decode(kind, &[]).unwrap().is_some(), "{kind}");
        }
        for kind in SlaveData::KINDS {
            assert!(SlaveData::decode(kind, &[]).unwrap().is_some(), "{kind}");
        }
        for kind in ["veth", "dummy", "ifb", "bond", ""] {
            assert_eq!(KindData::decode(kind, &[]).unwrap(), None, "{kind}");
            assert_eq!(SlaveData::decode(kind, &[]).unwrap(), None, "{kind}");
        }
    }

    #[test]
    fn kinds_without_options_match_iproute2() {
        // ip link add d0 type dummy; ip link add f0 type frob
        assert_eq!(
            add(&LinkSpec::new("d0", LinkKind::Dummy)),
            golden!("dummy.bin")
        );
        assert_eq!(
            add(&LinkSpec::new("f0", LinkKind::Other("frob"))),
            golden!("frob.bin")
        );
    }

    #[test]
    fn created_in_another_namespace_matches_iproute2() {
        let f = std::fs::File::open("/dev/null").unwrap();
        let ns = Some(NetnsRef::Fd(f.as_fd()));
        // ip link add mv9 link veth0 netns NS2 type macvlan mode bridge
        let mut mv = LinkSpec::new(
            "mv9",
            LinkKind::Macvlan(MacvlanParams {
                mode: Some(MacvlanMode::Bridge),
            }),
        );
        mv.parent = Some(3);
        mv.netns = ns;
        assert_eq!(add(&mv), with_fd(golden!("netns-macvlan.bin"), 36, &f));
        // ip link add br9 netns NS2 type bridge
        let mut br = LinkSpec::new("br9", LinkKind::Bridge(BridgeParams::default()));
        br.netns = ns;
        assert_eq!(add(&br), with_fd(golden!("netns-bridge.bin"), 36, &f));
        // ip link add vx9 netns NS2 type vxlan id 9 dstport 4789
        let mut vx = LinkSpec::new(
            "vx9",
            LinkKind::Vxlan(VxlanParams {
                dstport: Some(4789),
                ..VxlanParams::new(9)
            }),
        );
        vx.netns = ns;
        assert_eq!(add(&vx), with_fd(golden!("netns-vxlan.bin"), 36, &f));
        // ip link add d9 netns NS2 type dummy
        let mut d = LinkSpec::new("d9", LinkKind::Dummy);
        d.netns = ns;
        assert_eq!(add(&d), with_fd(golden!("netns-dummy.bin"), 36, &f));
        // ip link add iv9 link veth0 netns NS2 type ipvlan mode l2
        let mut iv = LinkSpec::new(
            "iv9",
            LinkKind::Ipvlan(IpvlanParams {
                mode: Some(IpvlanMode::L2),
                flag: None,
            }),
        );
        iv.parent = Some(3);
        iv.netns = ns;
        assert_eq!(add(&iv), with_fd(golden!("netns-ipvlan.bin"), 36, &f));
    }

    #[test]
    fn master_and_ports_match_iproute2() {
        // ip link set veth1 master br0 / nomaster   (veth1 is 2, br0 is 4)
        let master = LinkChanges {
            master: Some(4),
            ..Default::default()
        };
        let mut want = golden!("set-master.bin").to_vec();
        want[6] |= crate::netlink::header::NLM_F_ACK as u8;
        assert_eq!(sent(set_link_request(2, &master).unwrap()), want);
        let nomaster = LinkChanges {
            master: Some(0),
            ..Default::default()
        };
        let mut want = golden!("set-nomaster.bin").to_vec();
        want[6] |= crate::netlink::header::NLM_F_ACK as u8;
        assert_eq!(sent(set_link_request(2, &nomaster).unwrap()), want);
        // ip link show master br0: the dump request, NLM_F_DUMP added by the connection.
        let mut dump = dump_links_filtered_request(Some(4)).unwrap();
        dump.add_flags(crate::netlink::header::NLM_F_DUMP);
        assert_eq!(dump.as_bytes(), golden!("show-master.bin"));
    }

    #[test]
    fn unknown_kinds_decode_to_nothing() {
        assert_eq!(KindData::decode("veth", &[]), Ok(None));
        assert_eq!(SlaveData::decode("bond", &[]), Ok(None));
        assert!(KindData::decode("vxlan", &[5, 0, 1, 0, 1]).is_err());
    }
}
