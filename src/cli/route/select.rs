//! The selectors of `route show` and `route flush` (iproute2 6.1's
//! `iproute_list_flush_or_save` and `filter_nlmsg`): what the dump asks the
//! kernel to filter, what is filtered here, and which columns a selection
//! makes redundant to print.
//!
//! ```text
//! SELECTOR := [table T|all] [default|PREFIX|root P|match P|exact P]
//!             [from [root|match|exact] P] [via [FAMILY] P] [src P] [dev D]
//!             [iif D] [proto P|all] [scope S|all] [type T] [tos T]
//!             [metric N] [mark M] [cached|cloned]
//! ```

use std::net::IpAddr;

use crate::cli::ifname::link_index;
use rawnet::netlink::Connection;
use rawnet::route::prefix::{addr_bytes, parse_c_unsigned, parse_inet_prefix, InetPrefix};
use rawnet::route::route::*;

use super::print::Shown;
use super::{modify, names, USAGE};
use crate::cli::arg_errors::invalid_arg;
use crate::cli::output::print;
use crate::cli::{matches, Args, CliError, Context};

/// One of iproute2's `inet_prefix` filters: active when it has a family or
/// a length was given.
#[derive(Debug, Clone, Copy, Default)]
struct PrefixFilter {
    family: u8,
    bytes: [u8; 16],
    bitlen: i32,
    specified: bool,
}

impl PrefixFilter {
    fn from(p: &InetPrefix) -> PrefixFilter {
        let mut bytes = [0u8; 16];
        if let Some(a) = &p.addr {
            let b = addr_bytes(a);
            bytes[..b.len()].copy_from_slice(&b);
        }
        PrefixFilter {
            family: p.family,
            bytes,
            bitlen: i32::from(p.len),
            specified: p.len_given,
        }
    }

    fn active(&self) -> bool {
        self.family != 0 || self.specified
    }
}

/// The bytes of an address, zero-padded to 16.
fn bytes_of(a: Option<IpAddr>) -> [u8; 16] {
    let mut out = [0u8; 16];
    match a {
        Some(IpAddr::V4(a)) => out[..4].copy_from_slice(&a.octets()),
        Some(IpAddr::V6(a)) => out = a.octets(),
        None => {}
    }
    out
}

/// iproute2's `inet_addr_match`: the first `bits` bits are equal.
fn same_bits(a: &[u8; 16], b: &[u8; 16], bits: i32) -> bool {
    let bits = bits.clamp(0, 128) as usize;
    let (whole, rest) = (bits / 8, bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || (a[whole] ^ b[whole]) & (0xffu8 << (8 - rest)) == 0
}

/// A parsed selector.
#[derive(Debug, Default)]
pub struct Selector {
    family: u8,
    /// `None`: all tables.
    pub table: Option<u32>,
    protocol: Option<u8>,
    scope: Option<u8>,
    kinds: Option<u8>,
    tos: Option<u8>,
    oif: Option<u32>,
    iif: Option<u32>,
    mark: Option<u32>,
    metric: Option<u32>,
    rdst: PrefixFilter,
    mdst: PrefixFilter,
    rsrc: PrefixFilter,
    msrc: PrefixFilter,
    via: PrefixFilter,
    prefsrc: PrefixFilter,
    /// `cached`/`cloned` (also `table cache`): cached entries alone.
    pub cloned: bool,
}

impl Selector {
    pub fn parse(
        ctx: &Context,
        conn: &mut Connection,
        mut a: Args<'_>,
    ) -> Result<Selector, CliError> {
        let family = ctx.family.unwrap_or(0);
        let unset = PrefixFilter {
            bitlen: -1,
            ..Default::default()
        };
        let mut s = Selector {
            family,
            table: Some(RT_TABLE_MAIN),
            mdst: unset,
            msrc: unset,
            ..Default::default()
        };
        let (mut od, mut id) = (None, None);
        while let Some(w) = a.next() {
            if matches(w, "table") {
                let v = a.value(w)?;
                s.table = match names::table_number(v) {
                    Some(t) => Some(t).filter(|&t| t != 0),
                    None if v == "all" => None,
                    None if v == "cache" => {
                        s.cloned = true;
                        s.table
                    }
                    None if v == "help" => {
                        print(USAGE)?;
                        return Err(CliError::done());
                    }
                    None => return Err(invalid_arg(v, "table id value is invalid\n")),
                };
            } else if matches(w, "cached") || matches(w, "cloned") {
                s.cloned = true;
            } else if w == "tos" || matches(w, "dsfield") {
                let v = a.value(w)?;
                s.tos = Some(
                    modify::dsfield(v).ok_or_else(|| invalid_arg(v, "TOS value is invalid\n"))?,
                );
            } else if matches(w, "protocol") {
                let v = a.value(w)?;
                s.protocol = match names::protocol_number(v) {
                    Some(p) => Some(p),
                    None if v == "all" => None,
                    None => return Err(invalid_arg(v, "invalid \"protocol\"")),
                };
            } else if matches(w, "scope") {
                let v = a.value(w)?;
                s.scope = match names::scope_number(v) {
                    Some(p) => Some(p),
                    None if v == "all" => None,
                    None => return Err(invalid_arg(v, "invalid \"scope\"")),
                };
            } else if matches(w, "type") {
                let v = a.value(w)?;
                s.kinds = Some(
                    names::type_number(v)
                        .ok_or_else(|| invalid_arg(v, "node type value is invalid\n"))?,
                );
            } else if w == "dev" || w == "oif" {
                od = Some(a.value(w)?);
            } else if w == "iif" {
                id = Some(a.value(w)?);
            } else if w == "mark" {
                let v = a.value(w)?;
                s.mark =
                    Some(parse_c_unsigned(v).ok_or_else(|| invalid_arg(v, "invalid mark value"))?);
            } else if matches(w, "metric") || matches(w, "priority") || w == "preference" {
                let v = a.value(w)?;
                s.metric = Some(
                    parse_c_unsigned(v)
                        .ok_or_else(|| invalid_arg(v, "\"metric\" value is invalid\n"))?,
                );
            } else if w == "via" {
                let mut v = a.value(w)?;
                let mut f = s.family;
                if let Some(given) = match v {
                    "inet" => Some(libc::AF_INET as u8),
                    "inet6" => Some(libc::AF_INET6 as u8),
                    _ => None,
                } {
                    f = given;
                    v = a.value(w)?;
                }
                s.via = PrefixFilter::from(&parse_inet_prefix(v, f)?);
            } else if w == "src" {
                let v = a.value(w)?;
                s.prefsrc = PrefixFilter::from(&parse_inet_prefix(v, s.family)?);
            } else if matches(w, "from") {
                let v = a.value(w)?;
                let (root, exact, v) = select_kind(&mut a, v, w)?;
                let p = PrefixFilter::from(&parse_inet_prefix(v, s.family)?);
                if root {
                    s.rsrc = p;
                } else {
                    s.msrc = p;
                    if exact {
                        s.rsrc = p;
                    }
                }
            } else {
                let w = if matches(w, "to") { a.value(w)? } else { w };
                let (root, exact, v) = select_kind(&mut a, w, w)?;
                if matches(v, "help") && !root {
                    print(USAGE)?;
                    return Err(CliError::done());
                }
                let p = PrefixFilter::from(&parse_inet_prefix(v, s.family)?);
                if root {
                    s.rdst = p;
                } else {
                    s.mdst = p;
                    if exact {
                        s.rdst = p;
                    }
                }
            }
        }
        if s.family == 0 && s.table.is_some() {
            s.family = libc::AF_INET as u8;
        }
        if let Some(d) = id {
            s.iif = Some(link_index(conn, d).map_err(CliError::from)?);
        }
        if let Some(d) = od {
            s.oif = Some(link_index(conn, d).map_err(CliError::from)?);
        }
        Ok(s)
    }

    /// The family asked for (0: any).
    pub fn family(&self) -> u8 {
        self.family
    }

    /// What the dump asks the kernel to filter, as iproute2 asks.
    pub fn dump_filter(&self) -> RouteDumpFilter {
        RouteDumpFilter {
            family: self.family,
            table: self.table,
            protocol: self.protocol.unwrap_or(0),
            oif: self.oif,
        }
    }

    /// Whether route `r` is selected (iproute2's `filter_nlmsg`).
    pub fn picks(&self, r: &Route<'_>) -> bool {
        if self.family != 0 && r.family != self.family {
            return false;
        }
        if (r.flags & RTM_F_CLONED != 0) != self.cloned {
            return false;
        }
        if self.table.is_some_and(|t| t != r.table)
            || self.protocol.is_some_and(|p| p != r.protocol)
            || self.scope.is_some_and(|p| p != r.scope)
            || self.kinds.is_some_and(|k| k != r.kind)
            || self.tos.is_some_and(|t| t != r.tos)
        {
            return false;
        }
        if self.addresses_selected() && !self.picks_addresses(r) {
            return false;
        }
        self.iif.map_or(true, |i| r.iif.unwrap_or(0) == i)
            && self.oif.map_or(true, |o| r.oif.unwrap_or(0) == o)
            && self.mark.map_or(true, |m| r.mark.unwrap_or(0) == m)
            && self.metric.map_or(true, |m| r.priority.unwrap_or(0) == m)
    }

    /// Whether any selector is about the route's addresses (a plain `route
    /// show` has none, and skips their checks).
    fn addresses_selected(&self) -> bool {
        self.rdst.active()
            || self.mdst.active()
            || self.rsrc.active()
            || self.msrc.active()
            || self.via.family != 0
            || self.prefsrc.family != 0
    }

    /// The selectors about addresses: prefixes, gateway, preferred source.
    fn picks_addresses(&self, r: &Route<'_>) -> bool {
        let dst_len = i32::from(r.dst_len);
        let src_len = i32::from(r.src_len);
        for (f, len, root) in [
            (&self.rdst, dst_len, true),
            (&self.mdst, dst_len, false),
            (&self.rsrc, src_len, true),
            (&self.msrc, src_len, false),
        ] {
            if !f.active() {
                continue;
            }
            if f.family != 0 && r.family != f.family {
                return false;
            }
            if root && f.bitlen > len || !root && f.bitlen >= 0 && f.bitlen < len {
                return false;
            }
        }
        // Only a prefix selector needs the addresses as bytes.
        let dst = if self.rdst.active() || self.mdst.active() {
            bytes_of(r.dst)
        } else {
            [0; 16]
        };
        let src = if self.rsrc.active() || self.msrc.active() {
            bytes_of(r.src)
        } else {
            [0; 16]
        };
        if self.rdst.active() && !same_bits(&dst, &self.rdst.bytes, self.rdst.bitlen) {
            return false;
        }
        if self.mdst.active() && !same_bits(&dst, &self.mdst.bytes, dst_len) {
            return false;
        }
        if self.rsrc.active() && !same_bits(&src, &self.rsrc.bytes, self.rsrc.bitlen) {
            return false;
        }
        if self.msrc.active()
            && self.msrc.bitlen >= 0
            && !same_bits(&src, &self.msrc.bytes, src_len)
        {
            return false;
        }
        if self.via.family != 0 {
            let family = r
                .via
                .map_or(r.family, |v| rawnet::route::prefix::family_of(&v));
            if family != self.via.family {
                return false;
            }
            let via = if self.via.bitlen > 0 {
                bytes_of(r.gateway.or(r.via))
            } else {
                [0; 16]
            };
            if !same_bits(&via, &self.via.bytes, self.via.bitlen) {
                return false;
            }
        }
        if self.prefsrc.family != 0 {
            if r.family != self.prefsrc.family {
                return false;
            }
            let p = if self.prefsrc.bitlen > 0 {
                bytes_of(r.prefsrc)
            } else {
                [0; 16]
            };
            if !same_bits(&p, &self.prefsrc.bytes, self.prefsrc.bitlen) {
                return false;
            }
        }
        true
    }

    /// [`picks`](Self::picks), less what iproute2 never flushes: the IPv6
    /// default unreachable route of metric 2^32-1.
    pub fn picks_for_flush(&self, r: &Route<'_>) -> bool {
        self.picks(r)
            && !(r.family == libc::AF_INET6 as u8
                && r.dst_len == 0
                && r.kind == RTN_UNREACHABLE
                && r.priority == Some(u32::MAX))
    }

    /// The columns a selection leaves to print.
    pub fn shown(&self, ctx: &Context) -> Shown {
        let host = |f: &PrefixFilter| {
            f.bitlen
                == if f.family == libc::AF_INET6 as u8 {
                    128
                } else {
                    32
                }
                && f.family != 0
        };
        Shown {
            table: self.table.is_none(),
            oif: self.oif.is_none(),
            iif: self.iif.is_none(),
            protocol: self.protocol.is_none(),
            scope: self.scope.is_none(),
            tos: self.tos.is_none(),
            metric: self.metric.is_none(),
            gateway: !host(&self.via),
            prefsrc: !host(&self.prefsrc),
            details: ctx.details,
        }
    }
}

/// `root P`, `match P`, `exact P` or `P`: (root, exact, the prefix word).
fn select_kind<'a>(
    a: &mut Args<'a>,
    w: &'a str,
    key: &str,
) -> Result<(bool, bool, &'a str), CliError> {
    if matches(w, "root") {
        Ok((true, false, a.value(key)?))
    } else if matches(w, "match") {
        Ok((false, false, a.value(key)?))
    } else if matches(w, "exact") {
        Ok((false, true, a.value(key)?))
    } else {
        Ok((false, true, w))
    }
}
