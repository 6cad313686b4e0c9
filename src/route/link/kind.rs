//! [`LinkKind`]: the kind of a link to create, with its parameters, and
//! how it goes into `IFLA_LINKINFO`: the `IFLA_INFO_KIND` string and the
//! kind's `IFLA_INFO_DATA` (the kinds' own encoders in `route::kind`; a
//! veth's peer, a whole link of its own, encoded here).

use crate::error::Result;
use crate::netlink::MessageBuilder;
use crate::route::kind::{
    BridgeParams, IpvlanParams, MacvlanParams, TunnelParams, VlanParams, VxlanParams,
};

use super::{IfInfoMsg, LinkChanges, IFLA_IFNAME, IFLA_INFO_DATA, VETH_INFO_PEER};

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
