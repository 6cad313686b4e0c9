//! IPv4 tunnels: ipip (`IFLA_IPTUN_*`) and gre (`IFLA_GRE_*`), both from
//! linux/if_tunnel.h. `ip link add NAME type ipip|gre local A remote A [ttl N]
//! [dev D]`. iproute2 sends its defaults for everything else too (pmtudisc 1,
//! tos 0, fwmark 0, no encapsulation, gre keys and flags 0); so does the encoder.
//! Addresses, gre keys and gre flags are big-endian on the wire.

use std::net::Ipv4Addr;

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::{flag_u8, ipv4, named};

pub const IFLA_IPTUN_LINK: u16 = 1;
pub const IFLA_IPTUN_LOCAL: u16 = 2;
pub const IFLA_IPTUN_REMOTE: u16 = 3;
pub const IFLA_IPTUN_TTL: u16 = 4;
pub const IFLA_IPTUN_TOS: u16 = 5;
pub const IFLA_IPTUN_PROTO: u16 = 9;
pub const IFLA_IPTUN_PMTUDISC: u16 = 10;
pub const IFLA_IPTUN_ENCAP_TYPE: u16 = 15;
pub const IFLA_IPTUN_ENCAP_FLAGS: u16 = 16;
pub const IFLA_IPTUN_ENCAP_SPORT: u16 = 17;
pub const IFLA_IPTUN_ENCAP_DPORT: u16 = 18;
pub const IFLA_IPTUN_COLLECT_METADATA: u16 = 19;
pub const IFLA_IPTUN_FWMARK: u16 = 20;

pub const IFLA_GRE_LINK: u16 = 1;
pub const IFLA_GRE_IFLAGS: u16 = 2;
pub const IFLA_GRE_OFLAGS: u16 = 3;
pub const IFLA_GRE_IKEY: u16 = 4;
pub const IFLA_GRE_OKEY: u16 = 5;
pub const IFLA_GRE_LOCAL: u16 = 6;
pub const IFLA_GRE_REMOTE: u16 = 7;
pub const IFLA_GRE_TTL: u16 = 8;
pub const IFLA_GRE_TOS: u16 = 9;
pub const IFLA_GRE_PMTUDISC: u16 = 10;
pub const IFLA_GRE_ENCAP_TYPE: u16 = 14;
pub const IFLA_GRE_ENCAP_FLAGS: u16 = 15;
pub const IFLA_GRE_ENCAP_SPORT: u16 = 16;
pub const IFLA_GRE_ENCAP_DPORT: u16 = 17;
pub const IFLA_GRE_COLLECT_METADATA: u16 = 18;
pub const IFLA_GRE_IGNORE_DF: u16 = 19;
pub const IFLA_GRE_FWMARK: u16 = 20;

/// What `ip link add ... type ipip|gre` can set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TunnelParams {
    pub local: Option<Ipv4Addr>,
    pub remote: Option<Ipv4Addr>,
    /// 0 inherits the inner packet's TTL.
    pub ttl: u8,
    /// Index of the device the tunnel is bound to (`dev D`); 0 none.
    pub link: u32,
}

impl TunnelParams {
    /// ipip's attributes in iproute2's order: proto (0, any), local, remote,
    /// pmtudisc, tos, ttl, link, fwmark, encap type/flags/sport/dport.
    pub fn encode_ipip(&self, m: &mut MessageBuilder) {
        m.put_u8(IFLA_IPTUN_PROTO, 0);
        if let Some(a) = self.local {
            m.put(IFLA_IPTUN_LOCAL, &a.octets());
        }
        if let Some(a) = self.remote {
            m.put(IFLA_IPTUN_REMOTE, &a.octets());
        }
        m.put_u8(IFLA_IPTUN_PMTUDISC, 1);
        m.put_u8(IFLA_IPTUN_TOS, 0);
        m.put_u8(IFLA_IPTUN_TTL, self.ttl);
        m.put_u32(IFLA_IPTUN_LINK, self.link);
        m.put_u32(IFLA_IPTUN_FWMARK, 0);
        for t in [
            IFLA_IPTUN_ENCAP_TYPE,
            IFLA_IPTUN_ENCAP_FLAGS,
            IFLA_IPTUN_ENCAP_SPORT,
            IFLA_IPTUN_ENCAP_DPORT,
        ] {
            m.put_u16(t, 0);
        }
    }

    /// gre's attributes in iproute2's order: ikey, okey, iflags, oflags,
    /// local, remote, pmtudisc, tos, link (when set), ttl, fwmark, encap.
    pub fn encode_gre(&self, m: &mut MessageBuilder) {
        m.put_u32(IFLA_GRE_IKEY, 0);
        m.put_u32(IFLA_GRE_OKEY, 0);
        m.put_u16(IFLA_GRE_IFLAGS, 0);
        m.put_u16(IFLA_GRE_OFLAGS, 0);
        if let Some(a) = self.local {
            m.put(IFLA_GRE_LOCAL, &a.octets());
        }
        if let Some(a) = self.remote {
            m.put(IFLA_GRE_REMOTE, &a.octets());
        }
        m.put_u8(IFLA_GRE_PMTUDISC, 1);
        m.put_u8(IFLA_GRE_TOS, 0);
        if self.link != 0 {
            m.put_u32(IFLA_GRE_LINK, self.link);
        }
        m.put_u8(IFLA_GRE_TTL, self.ttl);
        m.put_u32(IFLA_GRE_FWMARK, 0);
        for t in [
            IFLA_GRE_ENCAP_TYPE,
            IFLA_GRE_ENCAP_FLAGS,
            IFLA_GRE_ENCAP_SPORT,
            IFLA_GRE_ENCAP_DPORT,
        ] {
            m.put_u16(t, 0);
        }
    }
}

/// An ipip or gre device's `IFLA_INFO_DATA` (the attributes both have).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TunnelInfo {
    /// ipip: `IFLA_IPTUN_PROTO` (4 ipip, 41 ip6ip, 137 mplsip, 0 any).
    pub proto: Option<u8>,
    pub remote: Option<Ipv4Addr>,
    pub local: Option<Ipv4Addr>,
    pub link: Option<u32>,
    pub ttl: Option<u8>,
    pub tos: Option<u8>,
    pub pmtudisc: Option<bool>,
    pub fwmark: Option<u32>,
    /// gre: `IFLA_GRE_IGNORE_DF`.
    pub ignore_df: Option<bool>,
    /// gre: `GRE_*` flags (host order) and keys.
    pub iflags: Option<u16>,
    pub oflags: Option<u16>,
    pub ikey: Option<Ipv4Addr>,
    pub okey: Option<Ipv4Addr>,
    /// `*_ENCAP_TYPE` (0 none, 1 fou, 2 gue).
    pub encap_type: Option<u16>,
    /// `*_COLLECT_METADATA` was sent (`external`).
    pub external: bool,
}

impl TunnelInfo {
    pub fn decode_ipip(data: &[u8]) -> Result<TunnelInfo, DecodeError> {
        let mut t = TunnelInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_DATA")?;
            match a.kind() {
                IFLA_IPTUN_PROTO => t.proto = Some(named(a.u8(), "IFLA_IPTUN_PROTO")?),
                IFLA_IPTUN_LOCAL => t.local = Some(ipv4(&a, "IFLA_IPTUN_LOCAL")?),
                IFLA_IPTUN_REMOTE => t.remote = Some(ipv4(&a, "IFLA_IPTUN_REMOTE")?),
                IFLA_IPTUN_LINK => t.link = Some(named(a.u32(), "IFLA_IPTUN_LINK")?),
                IFLA_IPTUN_TTL => t.ttl = Some(named(a.u8(), "IFLA_IPTUN_TTL")?),
                IFLA_IPTUN_TOS => t.tos = Some(named(a.u8(), "IFLA_IPTUN_TOS")?),
                IFLA_IPTUN_PMTUDISC => t.pmtudisc = Some(flag_u8(&a, "IFLA_IPTUN_PMTUDISC")?),
                IFLA_IPTUN_FWMARK => t.fwmark = Some(named(a.u32(), "IFLA_IPTUN_FWMARK")?),
                IFLA_IPTUN_ENCAP_TYPE => {
                    t.encap_type = Some(named(a.u16(), "IFLA_IPTUN_ENCAP_TYPE")?)
                }
                IFLA_IPTUN_COLLECT_METADATA => t.external = true,
                _ => {}
            }
        }
        Ok(t)
    }

    pub fn decode_gre(data: &[u8]) -> Result<TunnelInfo, DecodeError> {
        let mut t = TunnelInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_DATA")?;
            match a.kind() {
                IFLA_GRE_LOCAL => t.local = Some(ipv4(&a, "IFLA_GRE_LOCAL")?),
                IFLA_GRE_REMOTE => t.remote = Some(ipv4(&a, "IFLA_GRE_REMOTE")?),
                IFLA_GRE_LINK => t.link = Some(named(a.u32(), "IFLA_GRE_LINK")?),
                IFLA_GRE_TTL => t.ttl = Some(named(a.u8(), "IFLA_GRE_TTL")?),
                IFLA_GRE_TOS => t.tos = Some(named(a.u8(), "IFLA_GRE_TOS")?),
                IFLA_GRE_PMTUDISC => t.pmtudisc = Some(flag_u8(&a, "IFLA_GRE_PMTUDISC")?),
                IFLA_GRE_IGNORE_DF => t.ignore_df = Some(flag_u8(&a, "IFLA_GRE_IGNORE_DF")?),
                IFLA_GRE_FWMARK => t.fwmark = Some(named(a.u32(), "IFLA_GRE_FWMARK")?),
                IFLA_GRE_IFLAGS => t.iflags = Some(named(a.u16_be(), "IFLA_GRE_IFLAGS")?),
                IFLA_GRE_OFLAGS => t.oflags = Some(named(a.u16_be(), "IFLA_GRE_OFLAGS")?),
                IFLA_GRE_IKEY => t.ikey = Some(ipv4(&a, "IFLA_GRE_IKEY")?),
                IFLA_GRE_OKEY => t.okey = Some(ipv4(&a, "IFLA_GRE_OKEY")?),
                IFLA_GRE_ENCAP_TYPE => t.encap_type = Some(named(a.u16(), "IFLA_GRE_ENCAP_TYPE")?),
                IFLA_GRE_COLLECT_METADATA => t.external = true,
                _ => {}
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::super::golden::{add_request, golden, info_data, truncations_fail_cleanly};
    use super::*;
    use crate::route::link::LinkKind;

    fn params(ttl: u8, link: u32) -> TunnelParams {
        TunnelParams {
            local: Some(Ipv4Addr::new(10, 0, 0, 1)),
            remote: Some(Ipv4Addr::new(10, 0, 0, 2)),
            ttl,
            link,
        }
    }

    #[test]
    fn requests_match_iproute2() {
        // ip link add tun0 type ipip local 10.0.0.1 remote 10.0.0.2 [ttl 64 dev veth0]
        assert_eq!(
            add_request("tun0", LinkKind::Ipip(params(0, 0))),
            golden!("ipip.bin")
        );
        assert_eq!(
            add_request("tun1", LinkKind::Ipip(params(64, 3))),
            golden!("ipip-ttl-dev.bin")
        );
        // ip link add gre0x type gre local 10.0.0.1 remote 10.0.0.2 [ttl 64 dev veth0]
        assert_eq!(
            add_request("gre0x", LinkKind::Gre(params(0, 0))),
            golden!("gre.bin")
        );
        assert_eq!(
            add_request("gre1x", LinkKind::Gre(params(64, 3))),
            golden!("gre-ttl-dev.bin")
        );
    }

    /// No ipip or gre in this kernel: the requests' data stands in for replies.
    #[test]
    fn decodes_request_data() {
        let data = info_data(golden!("ipip-ttl-dev.bin"));
        let t = TunnelInfo::decode_ipip(&data).unwrap();
        assert_eq!(t.remote, Some(Ipv4Addr::new(10, 0, 0, 2)));
        assert_eq!(t.local, Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!((t.ttl, t.link, t.proto), (Some(64), Some(3), Some(0)));
        assert_eq!(t.pmtudisc, Some(true));
        truncations_fail_cleanly(&data, TunnelInfo::decode_ipip);
        let data = info_data(golden!("gre-ttl-dev.bin"));
        let g = TunnelInfo::decode_gre(&data).unwrap();
        assert_eq!((g.ttl, g.link, g.iflags), (Some(64), Some(3), Some(0)));
        assert_eq!(g.remote, Some(Ipv4Addr::new(10, 0, 0, 2)));
        truncations_fail_cleanly(&data, TunnelInfo::decode_gre);
    }
}
