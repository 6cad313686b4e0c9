//! Address operations: [`AddressOptions`], the request builders (pure: they
//! encode like iproute2 6.1, checked against captured bytes in `tests.rs`) and
//! the operations that send them (I/O), including the flush in rounds.
//!
//! For a new address `IFA_LOCAL` and `IFA_ADDRESS` both carry the address;
//! flags that fit 8 bits go in `ifa_flags`, larger ones in an `IFA_FLAGS`
//! attribute.

use std::net::IpAddr;

use super::consts::*;
use super::view::{Address, AddressInfo, IfAddrMsg};
use crate::error::{Error, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Connection, DumpStatus, MessageBuilder, Request};
use crate::route::prefix::{addr_bytes, Prefix};
use crate::route::{RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR};

/// Optional parts of a new address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressOptions {
    /// `IFA_BROADCAST` (IPv4 only).
    pub broadcast: Option<IpAddr>,
    /// `IFA_LABEL`; must start with the interface name (the kernel checks).
    pub label: Option<String>,
    /// `RT_SCOPE_*`; `None` picks iproute2's default (host for 127/8, else global).
    pub scope: Option<u8>,
    /// `IFA_F_*` flags to set (`IFA_F_NODAD`, `IFA_F_NOPREFIXROUTE`, ...).
    pub flags: u32,
}

/// iproute2's default scope of a new address: host for 127.0.0.0/8, else universe.
pub fn default_scope(addr: &IpAddr) -> u8 {
    match addr {
        IpAddr::V4(a) if a.octets()[0] == 127 => crate::route::route::RT_SCOPE_HOST,
        _ => crate::route::route::RT_SCOPE_UNIVERSE,
    }
}

fn address_message(
    kind: u16,
    flags: u16,
    index: u32,
    prefix: &Prefix,
    ifa_flags: u32,
    scope: u8,
) -> MessageBuilder {
    let mut m = MessageBuilder::new(kind, flags);
    m.header(&IfAddrMsg {
        ifa_family: prefix.family(),
        ifa_prefixlen: prefix.len,
        ifa_flags: if ifa_flags <= 0xff {
            ifa_flags as u8
        } else {
            0
        },
        ifa_scope: scope,
        ifa_index: index,
    });
    m.put(IFA_LOCAL, &addr_bytes(&prefix.addr));
    m
}

fn new_address_request(
    flags: u16,
    index: u32,
    prefix: &Prefix,
    options: &AddressOptions,
) -> Result<Request> {
    if let Some(b) = &options.broadcast {
        if !prefix.addr.is_ipv4() || !b.is_ipv4() {
            return Err(Error::Invalid(
                "Broadcast can be set only for IPv4 addresses".into(),
            ));
        }
    }
    let scope = options.scope.unwrap_or_else(|| default_scope(&prefix.addr));
    let mut m = address_message(RTM_NEWADDR, flags, index, prefix, options.flags, scope);
    if let Some(label) = &options.label {
        m.put_str(IFA_LABEL, label);
    }
    m.put(IFA_ADDRESS, &addr_bytes(&prefix.addr));
    if let Some(b) = &options.broadcast {
        m.put(IFA_BROADCAST, &addr_bytes(b));
    }
    if options.flags > 0xff {
        m.put_u32(IFA_FLAGS, options.flags);
    }
    m.finish()
}

/// `RTM_NEWADDR` with `NLM_F_CREATE | NLM_F_EXCL` (`ip addr add`).
pub fn add_address_request(
    index: u32,
    prefix: &Prefix,
    options: &AddressOptions,
) -> Result<Request> {
    new_address_request(NLM_F_CREATE | NLM_F_EXCL, index, prefix, options)
}

/// `RTM_NEWADDR` with `NLM_F_CREATE | NLM_F_REPLACE` (`ip addr replace`).
pub fn replace_address_request(
    index: u32,
    prefix: &Prefix,
    options: &AddressOptions,
) -> Result<Request> {
    new_address_request(NLM_F_CREATE | NLM_F_REPLACE, index, prefix, options)
}

/// `RTM_DELADDR` for `prefix` on link `index` (`ip addr del`).
pub fn delete_address_request(index: u32, prefix: &Prefix) -> Result<Request> {
    let mut m = address_message(RTM_DELADDR, 0, index, prefix, 0, 0);
    m.put(IFA_ADDRESS, &addr_bytes(&prefix.addr));
    m.finish()
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
/// secondaries. Returns how many deletions were acknowledged.
pub fn flush_addresses(conn: &mut Connection, index: u32, family: Option<u8>) -> Result<usize> {
    let mut deleted = 0;
    for _ in 0..FLUSH_ROUNDS {
        let addrs = dump_addresses(conn, family, Some(index))?;
        if addrs.is_empty() {
            return Ok(deleted);
        }
        let requests = addrs
            .iter()
            .map(delete_existing_address_request)
            .collect::<Result<Vec<_>>>()?;
        for outcome in conn.execute_batch(requests)? {
            match outcome {
                Ok(()) => deleted += 1,
                // Gone already (a secondary removed with its primary).
                Err(Error::Kernel(k))
                    if k.errno == libc::EADDRNOTAVAIL || k.errno == libc::ENOENT => {}
                Err(e) => return Err(e),
            }
        }
    }
    Err(Error::Invalid(format!(
        "*** Flush remains incomplete after {FLUSH_ROUNDS} rounds. ***"
    )))
}
