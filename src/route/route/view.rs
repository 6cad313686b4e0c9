//! The wire side of a route: `struct rtmsg`, `struct rta_cacheinfo`, and
//! [`RouteData`] with its borrowed view [`Route`] and owned form [`RouteInfo`].
//!
//! Invariants: [`Route::parse`] reads one message in one pass and never panics;
//! an attribute it reads that is malformed fails with its name, others are
//! skipped. Address attributes are read only for `AF_INET` / `AF_INET6`.

use std::net::IpAddr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::consts::*;
use crate::error::{DecodeError, Problem};
use crate::netlink::{Attr, Message};
use crate::route::prefix::ip_addr_attr;

/// `struct rtmsg` (linux/rtnetlink.h; not in libc).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct RtMsg {
    pub rtm_family: u8,
    pub rtm_dst_len: u8,
    pub rtm_src_len: u8,
    pub rtm_tos: u8,
    /// `RT_TABLE_*`; tables above 255 are in `RTA_TABLE`.
    pub rtm_table: u8,
    /// `RTPROT_*`.
    pub rtm_protocol: u8,
    /// `RT_SCOPE_*`.
    pub rtm_scope: u8,
    /// `RTN_*`.
    pub rtm_type: u8,
    /// `RTM_F_*` and `RTNH_F_*` flags.
    pub rtm_flags: u32,
}
const _: () = assert!(core::mem::size_of::<RtMsg>() == 12);

/// `struct rta_cacheinfo`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct RtaCacheinfo {
    pub rta_clntref: u32,
    pub rta_lastuse: u32,
    /// Jiffies (USER_HZ) until expiry; 0 when it does not expire.
    pub rta_expires: i32,
    pub rta_error: u32,
    pub rta_used: u32,
    pub rta_id: u32,
    pub rta_ts: u32,
    pub rta_tsage: u32,
}
const _: () = assert!(core::mem::size_of::<RtaCacheinfo>() == 32);

/// One route as the kernel reported it, generic over how the raw nests
/// (`B`) are held: [`Route`] borrows them from the message, [`RouteInfo`]
/// owns them. The `struct rtmsg` fields are flattened into plain names;
/// `None` means the kernel did not send the attribute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RouteData<B> {
    /// `rtm_family`: `AF_INET`, `AF_INET6`, ...
    pub family: u8,
    /// `rtm_dst_len`, `rtm_src_len`: prefix lengths in bits.
    pub dst_len: u8,
    pub src_len: u8,
    /// `rtm_tos`.
    pub tos: u8,
    /// The table: `RTA_TABLE` when present, else `rtm_table`.
    pub table: u32,
    /// `rtm_protocol`: `RTPROT_*`.
    pub protocol: u8,
    /// `rtm_scope`: `RT_SCOPE_*`.
    pub scope: u8,
    /// `rtm_type`: `RTN_*`.
    pub kind: u8,
    /// `rtm_flags`: `RTM_F_*`, `RTNH_F_*` and (cloned routes) `RTCF_*` flags.
    pub flags: u32,
    pub dst: Option<IpAddr>,
    pub src: Option<IpAddr>,
    pub iif: Option<u32>,
    pub oif: Option<u32>,
    pub gateway: Option<IpAddr>,
    /// `RTA_VIA`: a gateway of another address family.
    pub via: Option<IpAddr>,
    /// `RTA_PRIORITY`: the metric.
    pub priority: Option<u32>,
    pub prefsrc: Option<IpAddr>,
    pub mark: Option<u32>,
    pub uid: Option<u32>,
    pub pref: Option<u8>,
    pub nh_id: Option<u32>,
    pub cacheinfo: Option<RtaCacheinfo>,
    /// Raw `RTA_METRICS` nest (`RTAX_*` attributes).
    pub metrics: Option<B>,
    /// Raw `RTA_MULTIPATH` payload (`struct rtnexthop` list).
    pub multipath: Option<B>,
}

impl RouteInfo {
    /// A view borrowing this route's nests.
    pub fn view(&self) -> Route<'_> {
        self.map(|b| b.as_slice())
    }
}

/// A route borrowed from the message it was parsed from.
pub type Route<'a> = RouteData<&'a [u8]>;
/// A route that owns its raw nests (what the dump and get functions return).
pub type RouteInfo = RouteData<Vec<u8>>;

fn u32_attr(a: &Attr<'_>, name: &'static str) -> Result<u32, DecodeError> {
    a.u32().map_err(|e| e.named(name))
}

impl<B> RouteData<B> {
    /// The same route with its raw nests converted by `b`: the one place
    /// that lists every field, from which the owned copy
    /// ([`Route::to_owned`]) and the borrowed view ([`RouteInfo::view`]) are
    /// made.
    pub fn map<'a, B2>(&'a self, b: impl Fn(&'a B) -> B2) -> RouteData<B2> {
        RouteData {
            family: self.family,
            dst_len: self.dst_len,
            src_len: self.src_len,
            tos: self.tos,
            table: self.table,
            protocol: self.protocol,
            scope: self.scope,
            kind: self.kind,
            flags: self.flags,
            dst: self.dst,
            src: self.src,
            iif: self.iif,
            oif: self.oif,
            gateway: self.gateway,
            via: self.via,
            priority: self.priority,
            prefsrc: self.prefsrc,
            mark: self.mark,
            uid: self.uid,
            pref: self.pref,
            nh_id: self.nh_id,
            cacheinfo: self.cacheinfo,
            metrics: self.metrics.as_ref().map(&b),
            multipath: self.multipath.as_ref().map(&b),
        }
    }
}

impl<'a> Route<'a> {
    /// Read an `RTM_NEWROUTE` / `RTM_DELROUTE` message.
    pub fn parse(msg: &Message<'a>) -> Result<Route<'a>, DecodeError> {
        let (header, attrs) = msg.fixed::<RtMsg>("rtmsg")?;
        let fam = header.rtm_family;
        let ip = fam == libc::AF_INET as u8 || fam == libc::AF_INET6 as u8;
        let mut r = Route {
            family: fam,
            dst_len: header.rtm_dst_len,
            src_len: header.rtm_src_len,
            tos: header.rtm_tos,
            table: u32::from(header.rtm_table),
            protocol: header.rtm_protocol,
            scope: header.rtm_scope,
            kind: header.rtm_type,
            flags: header.rtm_flags,
            ..Route::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                RTA_DST if ip => r.dst = Some(ip_addr_attr(fam, &attr, "RTA_DST")?),
                RTA_SRC if ip => r.src = Some(ip_addr_attr(fam, &attr, "RTA_SRC")?),
                RTA_GATEWAY if ip => r.gateway = Some(ip_addr_attr(fam, &attr, "RTA_GATEWAY")?),
                RTA_PREFSRC if ip => r.prefsrc = Some(ip_addr_attr(fam, &attr, "RTA_PREFSRC")?),
                RTA_IIF => r.iif = Some(u32_attr(&attr, "RTA_IIF")?),
                RTA_OIF => r.oif = Some(u32_attr(&attr, "RTA_OIF")?),
                RTA_PRIORITY => r.priority = Some(u32_attr(&attr, "RTA_PRIORITY")?),
                RTA_TABLE => r.table = u32_attr(&attr, "RTA_TABLE")?,
                RTA_MARK => r.mark = Some(u32_attr(&attr, "RTA_MARK")?),
                RTA_UID => r.uid = Some(u32_attr(&attr, "RTA_UID")?),
                RTA_NH_ID => r.nh_id = Some(u32_attr(&attr, "RTA_NH_ID")?),
                RTA_PREF => r.pref = Some(attr.u8().map_err(|e| e.named("RTA_PREF"))?),
                RTA_METRICS => r.metrics = Some(attr.payload()),
                RTA_MULTIPATH => r.multipath = Some(attr.payload()),
                RTA_VIA => r.via = Some(super::nexthop::via_attr(&attr)?),
                RTA_CACHEINFO => {
                    let p = attr.payload();
                    // Older kernels send a shorter struct; read what is there.
                    let mut buf = [0u8; 32];
                    if p.len() < 20 {
                        return Err(DecodeError::new(
                            "RTA_CACHEINFO",
                            Problem::Short {
                                want: 20,
                                got: p.len(),
                            },
                        ));
                    }
                    let n = p.len().min(32);
                    buf[..n].copy_from_slice(&p[..n]);
                    r.cacheinfo = RtaCacheinfo::read_from_bytes(&buf).ok();
                }
                _ => {}
            }
        }
        Ok(r)
    }

    /// An owned copy.
    pub fn to_owned(&self) -> RouteInfo {
        self.map(|b| b.to_vec())
    }
}
