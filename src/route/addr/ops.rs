//! Address operations: [`AddressOptions`], the request builders (pure: they
//! encode like iproute2 6.1, checked against captured bytes in `tests.rs`) and
//! the operations that send them (I/O), including the flush in rounds.
//!
//! For a new address `IFA_LOCAL` and `IFA_ADDRESS` both carry the address;
//! flags that fit 8 bits go in `ifa_flags`, larger ones in an `IFA_FLAGS`
//! attribute.

use std::net::IpAddr;

use super::consts::*;
use zerocopy::IntoBytes;

use super::view::{Address, AddressInfo, IfAddrMsg, IfaCacheinfo};
use crate::error::{Error, Invalid, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Connection, DumpStatus, MessageBuilder, Request};
use crate::route::prefix::{addr_bytes, family_of, Prefix};
use crate::route::{RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR};

/// Optional parts of an address request.
///
/// iproute2 writes the attributes a user names (`local`, `peer`,
/// `broadcast ADDR`, `anycast`, `label`, `metric`) in the order they were
/// given, then `IFA_FLAGS`, the `IFA_ADDRESS` that repeats the local address,
/// a computed broadcast and `IFA_CACHEINFO`. [`AddressOptions::order`] keeps
/// the user's order so that the request bytes are iproute2's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressOptions {
    /// `IFA_BROADCAST` (IPv4 only).
    pub broadcast: Option<IpAddr>,
    /// `IFA_LABEL`; must start with the interface name (the kernel checks).
    pub label: Option<Vec<u8>>,
    /// `RT_SCOPE_*`; `None` picks iproute2's default (host for 127/8, else
    /// global; 0 for a delete).
    pub scope: Option<u8>,
    /// `IFA_F_*` flags to set (`IFA_F_NODAD`, `IFA_F_NOPREFIXROUTE`, ...).
    pub flags: u32,
    /// `peer ADDR[/LEN]`: `IFA_ADDRESS` is the peer and the prefix length is
    /// the peer's.
    pub peer: Option<Prefix>,
    /// `IFA_ANYCAST`.
    pub anycast: Option<IpAddr>,
    /// `IFA_RT_PRIORITY`: metric of the prefix route.
    pub metric: Option<u32>,
    /// `IFA_CACHEINFO` with these lifetimes.
    pub lifetimes: Option<Lifetimes>,
    /// A delete of an IPv4 address given without a length: no `IFA_ADDRESS`,
    /// so the kernel removes the local address whatever its prefix
    /// (iproute2's "wildcard deletion").
    pub any_prefix_len: bool,
    /// The attribute types the user named, in the order named: `IFA_LOCAL`,
    /// `IFA_ADDRESS` (the peer), `IFA_BROADCAST` (an explicit address),
    /// `IFA_ANYCAST`, `IFA_LABEL`, `IFA_RT_PRIORITY`. Those present but not
    /// listed follow in that order; a broadcast not listed was computed
    /// (`broadcast +`/`-`) and goes after `IFA_ADDRESS`, as iproute2 sends it.
    pub order: Vec<u16>,
}

/// Valid and preferred lifetimes in seconds; [`INFINITY_LIFE_TIME`] is forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    pub valid: u32,
    pub preferred: u32,
}

/// What an address request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressChange {
    /// `NLM_F_CREATE | NLM_F_EXCL` (`ip addr add`).
    Add,
    /// `NLM_F_REPLACE` (`ip addr change`): the address must exist.
    Change,
    /// `NLM_F_CREATE | NLM_F_REPLACE` (`ip addr replace`).
    Replace,
    /// `RTM_DELADDR` (`ip addr del`).
    Delete,
}

/// iproute2's default scope of a new address: host for 127.0.0.0/8, else universe.
pub fn default_scope(addr: &IpAddr) -> u8 {
    match addr {
        IpAddr::V4(a) if a.octets()[0] == 127 => crate::route::route::RT_SCOPE_HOST,
        _ => crate::route::route::RT_SCOPE_UNIVERSE,
    }
}

/// The attributes iproute2 writes while reading the words, in its order
/// when the user's is not known.
const NAMED_ORDER: [u16; 6] = [
    IFA_LOCAL,
    IFA_ADDRESS,
    IFA_BROADCAST,
    IFA_ANYCAST,
    IFA_LABEL,
    IFA_RT_PRIORITY,
];

/// The request `change` makes for `local` (`None`: only a peer was given)
/// on link `index`, encoded as iproute2 6.1's `ipaddr_modify` encodes it.
pub fn address_request(
    change: AddressChange,
    index: u32,
    local: Option<&Prefix>,
    options: &AddressOptions,
) -> Result<Request> {
    let (kind, flags) = match change {
        AddressChange::Add => (RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL),
        AddressChange::Change => (RTM_NEWADDR, NLM_F_REPLACE),
        AddressChange::Replace => (RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE),
        AddressChange::Delete => (RTM_DELADDR, 0),
    };
    let delete = change == AddressChange::Delete;
    let family_addr = local
        .map(|p| p.addr)
        .or(options.peer.map(|p| p.addr))
        .or(options.broadcast)
        .or(options.anycast);
    let family = family_addr.as_ref().map_or(0, family_of);
    for (a, what) in [
        (options.peer.map(|p| p.addr), "peer"),
        (options.broadcast, "broadcast"),
        (options.anycast, "anycast"),
    ] {
        if let Some(a) = a {
            if family_of(&a) != family {
                return Err(Error::Invalid(Invalid::FamilyMismatch {
                    what,
                    address: Some(a),
                }));
            }
        }
    }
    let computed_broadcast = options.broadcast.is_some() && !options.order.contains(&IFA_BROADCAST);
    if computed_broadcast && !delete && family != libc::AF_INET as u8 {
        return Err(Error::Invalid(Invalid::ComputedBroadcast));
    }
    let prefix_len = match (options.peer, local) {
        (Some(p), _) if p.len != 0 => p.len,
        (_, Some(l)) => l.len,
        (Some(p), None) => p.len,
        (None, None) => 0,
    };
    let scope = match (options.scope, local) {
        (Some(s), _) => s,
        (None, _) if delete => 0,
        (None, Some(l)) => default_scope(&l.addr),
        (None, None) => 0,
    };
    let mut m = MessageBuilder::new(kind, flags);
    m.header(&IfAddrMsg {
        ifa_family: family,
        ifa_prefixlen: prefix_len,
        ifa_flags: if options.flags <= 0xff {
            options.flags as u8
        } else {
            0
        },
        ifa_scope: scope,
        ifa_index: index,
    });
    let named = options
        .order
        .iter()
        .copied()
        .chain(NAMED_ORDER.iter().copied().filter(|k| {
            let computed = *k == IFA_BROADCAST && computed_broadcast;
            !(options.order.contains(k) || computed)
        }));
    let mut written = [false; 6];
    for k in named {
        let Some(slot) = NAMED_ORDER.iter().position(|&n| n == k) else {
            continue;
        };
        if std::mem::replace(&mut written[slot], true) {
            continue;
        }
        match k {
            IFA_LOCAL => {
                if let Some(l) = local {
                    m.put(IFA_LOCAL, &addr_bytes(&l.addr));
                }
            }
            IFA_ADDRESS => {
                if let Some(p) = &options.peer {
                    m.put(IFA_ADDRESS, &addr_bytes(&p.addr));
                }
            }
            IFA_BROADCAST => {
                if let Some(b) = &options.broadcast {
                    m.put(IFA_BROADCAST, &addr_bytes(b));
                }
            }
            IFA_ANYCAST => {
                if let Some(a) = &options.anycast {
                    m.put(IFA_ANYCAST, &addr_bytes(a));
                }
            }
            IFA_LABEL => {
                if let Some(label) = &options.label {
                    m.put_c_bytes(IFA_LABEL, label);
                }
            }
            _ => {
                if let Some(metric) = options.metric {
                    m.put_u32(IFA_RT_PRIORITY, metric);
                }
            }
        }
    }
    if options.flags > 0xff {
        m.put_u32(IFA_FLAGS, options.flags);
    }
    if let (None, Some(l)) = (&options.peer, local) {
        if !(delete && options.any_prefix_len) {
            m.put(IFA_ADDRESS, &addr_bytes(&l.addr));
        }
    }
    if let (true, false, Some(b)) = (computed_broadcast, delete, &options.broadcast) {
        m.put(IFA_BROADCAST, &addr_bytes(b));
    }
    if let Some(lt) = options.lifetimes {
        let ci = IfaCacheinfo {
            ifa_prefered: lt.preferred,
            ifa_valid: lt.valid,
            cstamp: 0,
            tstamp: 0,
        };
        m.put(IFA_CACHEINFO, ci.as_bytes());
    }
    m.finish()
}

/// `RTM_NEWADDR` with `NLM_F_CREATE | NLM_F_EXCL` (`ip addr add`).
pub fn add_address_request(
    index: u32,
    prefix: &Prefix,
    options: &AddressOptions,
) -> Result<Request> {
    address_request(AddressChange::Add, index, Some(prefix), options)
}

/// `RTM_NEWADDR` with `NLM_F_CREATE | NLM_F_REPLACE` (`ip addr replace`).
pub fn replace_address_request(
    index: u32,
    prefix: &Prefix,
    options: &AddressOptions,
) -> Result<Request> {
    address_request(AddressChange::Replace, index, Some(prefix), options)
}

/// `RTM_DELADDR` for `prefix` on link `index` (`ip addr del`).
pub fn delete_address_request(index: u32, prefix: &Prefix) -> Result<Request> {
    address_request(
        AddressChange::Delete,
        index,
        Some(prefix),
        &AddressOptions::default(),
    )
}

/// `RTM_DELADDR` for an address read from the kernel (what a flush sends).
pub fn delete_existing_address_request(a: &AddressInfo) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_DELADDR, 0);
    m.header(&IfAddrMsg {
        ifa_family: a.family,
        ifa_prefixlen: a.prefix_len,
        ifa_flags: 0,
        ifa_scope: a.scope,
        ifa_index: a.index,
    });
    if let Some(l) = &a.local {
        m.put(IFA_LOCAL, &addr_bytes(l));
    }
    if let Some(ad) = &a.address {
        m.put(IFA_ADDRESS, &addr_bytes(ad));
    }
    m.finish()
}

/// `RTM_GETADDR` dump request; `index` (0 for all) filters in the kernel
/// (strict checking is on), `family` 0 means both.
pub fn dump_addresses_request(family: u8, index: u32) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETADDR, 0);
    m.header(&IfAddrMsg {
        ifa_family: family,
        ifa_index: index,
        ..Default::default()
    });
    m.finish()
}

/// Add `prefix` to link `index`.
#[doc(alias = "RTM_NEWADDR")]
pub fn add_address(
    conn: &mut Connection,
    index: u32,
    prefix: &Prefix,
    options: &AddressOptions,
) -> Result<()> {
    conn.execute(add_address_request(index, prefix, options)?)
}

/// Remove `prefix` from link `index`.
#[doc(alias = "RTM_DELADDR")]
pub fn delete_address(conn: &mut Connection, index: u32, prefix: &Prefix) -> Result<()> {
    conn.execute(delete_address_request(index, prefix)?)
}

/// Every address, optionally of one family (`AF_INET`/`AF_INET6`) and of one link.
#[doc(alias = "RTM_GETADDR")]
pub fn dump_addresses(
    conn: &mut Connection,
    family: Option<u8>,
    index: Option<u32>,
) -> Result<Vec<AddressInfo>> {
    let request = dump_addresses_request(family.unwrap_or(0), index.unwrap_or(0))?;
    conn.dump_collect(request, |msg| {
        if msg.message_type() != RTM_NEWADDR {
            return Ok(None);
        }
        let a = Address::parse(&msg)?;
        let keep = family.map_or(true, |f| f == a.family) && index.map_or(true, |i| i == a.index);
        Ok(keep.then(|| a.to_owned()))
    })
}

/// Each address of `family` (`None`: all) and link `index` (`None`: all),
/// handed to `f` as a view borrowed from the receive buffer, in the
/// kernel's order: nothing is kept. Says whether the table changed while it
/// was read.
pub fn for_each_address<E, F>(
    conn: &mut Connection,
    family: Option<u8>,
    index: Option<u32>,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Address<'_>) -> std::result::Result<(), E>,
{
    let request = dump_addresses_request(family.unwrap_or(0), index.unwrap_or(0))?;
    conn.dump(request, |msg| {
        if msg.message_type() != RTM_NEWADDR {
            return Ok(());
        }
        let a = Address::parse(&msg).map_err(Error::from)?;
        if family.map_or(true, |f| f == a.family) && index.map_or(true, |i| i == a.index) {
            f(&a)?;
        }
        Ok(())
    })
}

/// Rounds of dump-and-delete before [`flush_addresses`] gives up.
const FLUSH_ROUNDS: usize = 10;

/// Delete every address of link `index` (optionally of one family), in rounds
/// as iproute2 does: deleting a primary IPv4 address may promote or remove its
/// secondaries. Returns how many deletions were sent.
pub fn flush_addresses(conn: &mut Connection, index: u32, family: Option<u8>) -> Result<usize> {
    let rounds = flush_addresses_where(conn, family, Some(index), false, |_| true)?;
    Ok(rounds.iter().sum())
}

/// Delete the addresses of `family` and link `index` (`None`: all) that
/// `keep` selects, in rounds of dump-and-delete until a dump finds none
/// (`once`: a single round, as iproute2 does when flushing primaries only,
/// so that promoted secondaries stay). Returns how many deletions each
/// round sent (as iproute2 counts them); an address already gone when its
/// delete arrives is not an error.
pub fn flush_addresses_where(
    conn: &mut Connection,
    family: Option<u8>,
    index: Option<u32>,
    once: bool,
    mut select: impl FnMut(&Address<'_>) -> bool,
) -> Result<Vec<usize>> {
    let mut rounds = Vec::new();
    let mut doomed = Vec::new();
    for _ in 0..FLUSH_ROUNDS {
        doomed.clear();
        let request = dump_addresses_request(family.unwrap_or(0), index.unwrap_or(0))?;
        // An interrupted dump needs nothing more: the next round dumps again.
        let _status = conn.dump(request, |msg| {
            if msg.message_type() != RTM_NEWADDR {
                return Ok(());
            }
            let a = Address::parse(&msg)?;
            let mine =
                family.map_or(true, |f| f == a.family) && index.map_or(true, |i| i == a.index);
            if mine && select(&a) {
                doomed.push(delete_existing_address_request(&a.to_owned())?);
            }
            Ok::<(), Error>(())
        })?;
        if doomed.is_empty() {
            return Ok(rounds);
        }
        rounds.push(doomed.len());
        for outcome in conn.execute_batch(std::mem::take(&mut doomed))? {
            match outcome {
                Ok(()) => {}
                // Gone already (a secondary removed with its primary).
                Err(Error::Kernel(k))
                    if k.errno == libc::EADDRNOTAVAIL || k.errno == libc::ENOENT => {}
                Err(e) => return Err(e),
            }
        }
        if once {
            return Ok(rounds);
        }
    }
    Err(Error::FlushIncomplete {
        rounds: FLUSH_ROUNDS as u32,
    })
}
