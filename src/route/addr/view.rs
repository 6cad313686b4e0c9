//! The wire side of an address: `struct ifaddrmsg`, `struct ifa_cacheinfo`,
//! and [`AddressData`] with its borrowed view [`Address`] and owned form
//! [`AddressInfo`].
//!
//! Invariants: [`Address::parse`] reads one `RTM_NEWADDR` in one pass and never
//! panics; an attribute it reads that is malformed fails with the attribute's
//! name, unknown attributes are skipped.

use std::borrow::Cow;
use std::net::IpAddr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::consts::*;
use crate::error::{DecodeError, Problem};
use crate::netlink::Message;
use crate::route::prefix::ip_addr_attr;

/// `struct ifaddrmsg` (linux/if_addr.h).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct IfAddrMsg {
    /// `AF_INET` or `AF_INET6`.
    pub ifa_family: u8,
    pub ifa_prefixlen: u8,
    /// Low 8 bits of the `IFA_F_*` flags (`IFA_FLAGS` carries all 32).
    pub ifa_flags: u8,
    /// `RT_SCOPE_*`.
    pub ifa_scope: u8,
    pub ifa_index: u32,
}
const _: () = assert!(core::mem::size_of::<IfAddrMsg>() == 8);

/// `struct ifa_cacheinfo`: lifetimes in seconds, timestamps in 1/100 s.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct IfaCacheinfo {
    /// Preferred lifetime in seconds; `INFINITY_LIFE_TIME` is forever.
    pub ifa_prefered: u32,
    /// Valid lifetime in seconds; `INFINITY_LIFE_TIME` is forever.
    pub ifa_valid: u32,
    pub cstamp: u32,
    pub tstamp: u32,
}
const _: () = assert!(core::mem::size_of::<IfaCacheinfo>() == 16);

/// One address as the kernel reported it, generic over how its label
/// (`S`) is held: [`Address`] borrows it from the message, [`AddressInfo`]
/// owns it. The `struct ifaddrmsg` fields are flattened into plain names;
/// `None` means the kernel did not send the attribute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddressData<S> {
    /// `ifa_family`: `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// `ifa_prefixlen`, bits.
    pub prefix_len: u8,
    /// `ifa_scope`: `RT_SCOPE_*`.
    pub scope: u8,
    /// `ifa_index`: the interface.
    pub index: u32,
    /// All `IFA_F_*` flags: `IFA_FLAGS` when present, else `ifa_flags`.
    pub flags: u32,
    /// `IFA_ADDRESS` (prefix address, or peer on point-to-point links).
    pub address: Option<IpAddr>,
    /// `IFA_LOCAL`.
    pub local: Option<IpAddr>,
    /// `IFA_LABEL`: the kernel's bytes (a label, like an interface name,
    /// need not be UTF-8).
    pub label: Option<S>,
    pub broadcast: Option<IpAddr>,
    pub anycast: Option<IpAddr>,
    pub cacheinfo: Option<IfaCacheinfo>,
    /// `IFA_RT_PRIORITY`: metric of the prefix route.
    pub rt_priority: Option<u32>,
}

/// An address borrowing its label's bytes from the message it was parsed from.
pub type Address<'a> = AddressData<&'a [u8]>;
/// An address that owns its label (what the dump functions return).
pub type AddressInfo = AddressData<Vec<u8>>;

impl<S: AsRef<[u8]>> AddressData<S> {
    /// The label as text: U+FFFD in place of a byte that is not UTF-8.
    pub fn label_lossy(&self) -> Option<Cow<'_, str>> {
        self.label
            .as_ref()
            .map(|l| String::from_utf8_lossy(l.as_ref()))
    }
}

impl<S> AddressData<S> {
    /// The interface's own address: `IFA_LOCAL`, or `IFA_ADDRESS` when there is no local one.
    pub fn local_or_address(&self) -> Option<IpAddr> {
        self.local.or(self.address)
    }
}

impl<'a> Address<'a> {
    /// Read an `RTM_NEWADDR` / `RTM_DELADDR` message.
    pub fn parse(msg: &Message<'a>) -> Result<Address<'a>, DecodeError> {
        let (header, attrs) = msg.fixed::<IfAddrMsg>("ifaddrmsg")?;
        let fam = header.ifa_family;
        let mut a = Address {
            family: fam,
            prefix_len: header.ifa_prefixlen,
            scope: header.ifa_scope,
            index: header.ifa_index,
            flags: u32::from(header.ifa_flags),
            ..Address::default()
        };
        let ip_family = fam == libc::AF_INET as u8 || fam == libc::AF_INET6 as u8;
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                IFA_ADDRESS if ip_family => {
                    a.address = Some(ip_addr_attr(fam, &attr, "IFA_ADDRESS")?)
                }
                IFA_LOCAL if ip_family => a.local = Some(ip_addr_attr(fam, &attr, "IFA_LOCAL")?),
                IFA_BROADCAST if ip_family => {
                    a.broadcast = Some(ip_addr_attr(fam, &attr, "IFA_BROADCAST")?)
                }
                IFA_ANYCAST if ip_family => {
                    a.anycast = Some(ip_addr_attr(fam, &attr, "IFA_ANYCAST")?)
                }
                IFA_LABEL => a.label = Some(attr.c_bytes().map_err(|e| e.named("IFA_LABEL"))?),
                IFA_FLAGS => a.flags = attr.u32().map_err(|e| e.named("IFA_FLAGS"))?,
                IFA_RT_PRIORITY => {
                    a.rt_priority = Some(attr.u32().map_err(|e| e.named("IFA_RT_PRIORITY"))?)
                }
                IFA_CACHEINFO => {
                    let p = attr.payload();
                    let ci = IfaCacheinfo::read_from_bytes(p).map_err(|_| {
                        DecodeError::new(
                            "IFA_CACHEINFO",
                            Problem::Length {
                                want: 16,
                                got: p.len(),
                            },
                        )
                    })?;
                    a.cacheinfo = Some(ci);
                }
                _ => {}
            }
        }
        Ok(a)
    }

    /// An owned copy.
    pub fn to_owned(&self) -> AddressInfo {
        AddressInfo {
            family: self.family,
            prefix_len: self.prefix_len,
            scope: self.scope,
            index: self.index,
            flags: self.flags,
            address: self.address,
            local: self.local,
            label: self.label.map(<[u8]>::to_vec),
            broadcast: self.broadcast,
            anycast: self.anycast,
            cacheinfo: self.cacheinfo,
            rt_priority: self.rt_priority,
        }
    }
}
