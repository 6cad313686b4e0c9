//! The nests of a route: `RTA_MULTIPATH` (a list of `struct rtnexthop`, each
//! followed by its own attributes) and `RTA_METRICS` (`RTAX_*` attributes),
//! read from a dumped route and written into a request (pure).
//!
//! Invariants: the readers never panic; a next hop whose length lies ends the
//! walk as iproute2's `print_rta_multipath` ends it; an attribute inside that
//! is malformed fails with its name.

use std::net::IpAddr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::consts::*;
use crate::error::{DecodeError, Problem};
use crate::netlink::{Attr, Attrs, MessageBuilder};
use crate::route::prefix::{addr_bytes, addr_from_bytes, family_of, ip_addr_attr};

/// `struct rtnexthop` (linux/rtnetlink.h).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct RtNextHop {
    /// Length of this header and the attributes after it.
    pub rtnh_len: u16,
    /// `RTNH_F_*`.
    pub rtnh_flags: u8,
    /// The weight minus one.
    pub rtnh_hops: u8,
    pub rtnh_ifindex: i32,
}
const _: () = assert!(core::mem::size_of::<RtNextHop>() == 8);

/// One next hop of a multipath route, as read from the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextHop {
    /// `RTNH_F_*`.
    pub flags: u8,
    /// The weight (`rtnh_hops + 1`).
    pub weight: u16,
    pub ifindex: u32,
    /// `RTA_GATEWAY`, of the route's family.
    pub gateway: Option<IpAddr>,
    /// `RTA_VIA`: a gateway of another family.
    pub via: Option<IpAddr>,
}

/// `RTA_VIA`'s payload (`struct rtvia`: u16 family, then the address).
pub(crate) fn via_attr(a: &Attr<'_>) -> Result<IpAddr, DecodeError> {
    let p = a.payload();
    let bad = DecodeError::new("RTA_VIA", Problem::BadValue);
    let family = p
        .get(..2)
        .map(|f| u16::from_ne_bytes([f[0], f[1]]))
        .ok_or(bad)?;
    let family = u8::try_from(family).map_err(|_| bad)?;
    addr_from_bytes(family, &p[2..]).ok_or(bad)
}

/// The next hops in an `RTA_MULTIPATH` payload of a route of `family`.
pub fn next_hops(
    family: u8,
    payload: &[u8],
) -> impl Iterator<Item = Result<NextHop, DecodeError>> + '_ {
    let mut rest = payload;
    std::iter::from_fn(move || {
        let (h, _) = RtNextHop::read_from_prefix(rest).ok()?;
        let len = usize::from(h.rtnh_len);
        if len < 8 || len > rest.len() {
            rest = &[];
            return None;
        }
        let attrs = &rest[8..len];
        rest = rest.get((len + 3) & !3..).unwrap_or(&[]);
        let mut nh = NextHop {
            flags: h.rtnh_flags,
            weight: u16::from(h.rtnh_hops) + 1,
            ifindex: u32::try_from(h.rtnh_ifindex).unwrap_or(0),
            gateway: None,
            via: None,
        };
        for a in Attrs::new(attrs) {
            let a = match a {
                Ok(a) => a,
                Err(e) => return Some(Err(e)),
            };
            let r = match a.kind() {
                RTA_GATEWAY => {
                    ip_addr_attr(family, &a, "RTA_GATEWAY").map(|g| nh.gateway = Some(g))
                }
                RTA_VIA => via_attr(&a).map(|v| nh.via = Some(v)),
                _ => Ok(()),
            };
            if let Err(e) = r {
                return Some(Err(e));
            }
        }
        Some(Ok(nh))
    })
}

/// One metric of `RTA_METRICS` as read: a number, or the congestion
/// control algorithm's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricValue<'a> {
    Number(u32),
    Name(&'a [u8]),
}

/// The metrics in an `RTA_METRICS` payload, in the kernel's order, with the
/// `RTAX_LOCK` mask (0 when absent) first: `(RTAX_*, value)`.
pub fn metrics(
    payload: &[u8],
) -> impl Iterator<Item = Result<(u16, MetricValue<'_>), DecodeError>> + '_ {
    Attrs::new(payload).map(|a| {
        let a = a?;
        if a.kind() == RTAX_CC_ALGO {
            let p = a.payload();
            let end = p.iter().position(|&b| b == 0).unwrap_or(p.len());
            return Ok((a.kind(), MetricValue::Name(&p[..end])));
        }
        let v = a.u32().map_err(|e| e.named("RTA_METRICS"))?;
        Ok((a.kind(), MetricValue::Number(v)))
    })
}

/// A next hop of a multipath route to add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NextHopSpec {
    /// Sent as `RTA_GATEWAY` when of the route's family, else as `RTA_VIA`.
    pub gateway: Option<IpAddr>,
    pub ifindex: Option<u32>,
    /// 1..=256; `None`: 1.
    pub weight: Option<u16>,
    /// `RTNH_F_*` (`RTNH_F_ONLINK`).
    pub flags: u8,
}

/// A metric to send: a number, or the congestion control algorithm's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Metric {
    Number(u32),
    Name(String),
}

/// `RTA_METRICS` to send: `(RTAX_*, value)` in order, and the lock mask
/// (`1 << RTAX_*` bits; sent as `RTAX_LOCK` last when not 0).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteMetrics {
    pub values: Vec<(u16, Metric)>,
    pub lock: u32,
}

impl RouteMetrics {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.lock == 0
    }
}

/// A gateway as a route of `family` sends it.
pub(crate) fn put_gateway(m: &mut MessageBuilder, family: u8, gw: &IpAddr) {
    if family_of(gw) == family {
        m.put(RTA_GATEWAY, &addr_bytes(gw));
    } else {
        let mut via = u16::from(family_of(gw)).to_ne_bytes().to_vec();
        via.extend_from_slice(&addr_bytes(gw));
        m.put(RTA_VIA, &via);
    }
}

/// The `RTA_METRICS` nest, as iproute2 writes it.
pub(crate) fn put_metrics(m: &mut MessageBuilder, metrics: &RouteMetrics) {
    if metrics.is_empty() {
        return;
    }
    m.nest(RTA_METRICS, |m| {
        for (kind, v) in &metrics.values {
            match v {
                Metric::Number(n) => m.put_u32(*kind, *n),
                Metric::Name(s) => m.put(*kind, s.as_bytes()),
            };
        }
        if metrics.lock != 0 {
            m.put_u32(RTAX_LOCK, metrics.lock);
        }
    });
}

/// The `RTA_MULTIPATH` payload for `hops` of a route of `family`.
pub(crate) fn multipath_payload(family: u8, hops: &[NextHopSpec]) -> Vec<u8> {
    let mut out = Vec::new();
    for nh in hops {
        let mut attrs = Vec::new();
        if let Some(gw) = &nh.gateway {
            let (kind, body) = if family_of(gw) == family {
                (RTA_GATEWAY, addr_bytes(gw))
            } else {
                let mut v = u16::from(family_of(gw)).to_ne_bytes().to_vec();
                v.extend_from_slice(&addr_bytes(gw));
                (RTA_VIA, v)
            };
            let len = 4 + body.len();
            attrs.extend_from_slice(&(len as u16).to_ne_bytes());
            attrs.extend_from_slice(&kind.to_ne_bytes());
            attrs.extend_from_slice(&body);
            attrs.resize((attrs.len() + 3) & !3, 0);
        }
        let h = RtNextHop {
            rtnh_len: u16::try_from(8 + attrs.len()).unwrap_or(u16::MAX),
            rtnh_flags: nh.flags,
            rtnh_hops: u8::try_from(nh.weight.unwrap_or(1).saturating_sub(1)).unwrap_or(255),
            rtnh_ifindex: nh.ifindex.map_or(0, |i| i32::try_from(i).unwrap_or(0)),
        };
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(&attrs);
    }
    out
}
