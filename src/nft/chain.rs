//! nf_tables chains: the typed spec of a chain ([`ChainSpec`], base chains
//! with their hook), request builders (add, create, delete, flush), the
//! borrowed view of a `NFT_MSG_NEWCHAIN` dump message, and the dump walker.
//!
//! Attributes are laid out as nft 1.0.6 lays them out (golden bytes in
//! `tests/golden/nft-core`): table, name, type, policy, then the hook nest
//! (hook number, priority, device). `add` is `NLM_F_CREATE`, `create` adds
//! `NLM_F_EXCL`; `flush` is `NFT_MSG_DELRULE` naming the table and chain.

use super::family::Family;
use super::table::{nft_message, u64_be};
use super::wire::{
    nft_msg, NfGenMsg, NFTA_CHAIN_FLAGS, NFTA_CHAIN_HANDLE, NFTA_CHAIN_HOOK, NFTA_CHAIN_NAME,
    NFTA_CHAIN_POLICY, NFTA_CHAIN_TABLE, NFTA_CHAIN_TYPE, NFTA_CHAIN_USE, NFTA_HOOK_DEV,
    NFTA_HOOK_HOOKNUM, NFTA_HOOK_PRIORITY, NFTA_RULE_CHAIN, NFTA_RULE_TABLE, NFT_MSG_DELCHAIN,
    NFT_MSG_DELRULE, NFT_MSG_GETCHAIN, NFT_MSG_NEWCHAIN, NF_ACCEPT, NF_DROP, NF_INET_FORWARD,
    NF_INET_INGRESS, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING,
    NF_INET_PRE_ROUTING,
};
use crate::error::{DecodeError, Error, Result};
use crate::netlink::connection::Transport;
use crate::netlink::header::{NLA_F_NESTED, NLM_F_CREATE, NLM_F_EXCL};
use crate::netlink::{Connection, Message, Request};

/// `NF_NETDEV_INGRESS` / `NF_NETDEV_EGRESS`: the hooks of the netdev family.
pub const NF_NETDEV_INGRESS: u32 = 0;
pub const NF_NETDEV_EGRESS: u32 = 1;
/// `NFT_CHAIN_BASE`: the chain is hooked into the stack.
pub const NFT_CHAIN_BASE: u32 = 1;

/// Where a base chain hooks in, and in what order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// `filter`, `nat` or `route`.
    pub chain_type: String,
    /// `NF_INET_*` (or `NF_NETDEV_*` for netdev).
    pub hooknum: u32,
    pub priority: i32,
    /// The device of an ingress/egress hook.
    pub device: Option<String>,
    /// `NF_ACCEPT` / `NF_DROP`; `None` leaves the kernel's (accept).
    pub policy: Option<u32>,
}

/// A chain to add: its table, name, and hook for a base chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainSpec {
    pub family: Family,
    pub table: String,
    pub name: String,
    pub hook: Option<Hook>,
}

/// nft's name of hook `hooknum` in `family`.
pub fn hook_name(family: u8, hooknum: u32) -> Option<&'static str> {
    if family == Family::Netdev.nfproto() {
        return match hooknum {
            NF_NETDEV_INGRESS => Some("ingress"),
            NF_NETDEV_EGRESS => Some("egress"),
            _ => None,
        };
    }
    match hooknum {
        NF_INET_PRE_ROUTING => Some("prerouting"),
        NF_INET_LOCAL_IN => Some("input"),
        NF_INET_FORWARD => Some("forward"),
        NF_INET_LOCAL_OUT => Some("output"),
        NF_INET_POST_ROUTING => Some("postrouting"),
        NF_INET_INGRESS => Some("ingress"),
        _ => None,
    }
}

/// The hook number of nft's hook word in `family`.
pub fn parse_hook(family: Family, word: &str) -> Option<u32> {
    let candidates: &[u32] = match family {
        Family::Netdev => &[NF_NETDEV_INGRESS, NF_NETDEV_EGRESS],
        _ => &[
            NF_INET_PRE_ROUTING,
            NF_INET_LOCAL_IN,
            NF_INET_FORWARD,
            NF_INET_LOCAL_OUT,
            NF_INET_POST_ROUTING,
            NF_INET_INGRESS,
        ],
    };
    candidates
        .iter()
        .copied()
        .find(|&h| hook_name(family.nfproto(), h) == Some(word))
}

/// nft's name of a policy verdict.
pub fn policy_name(policy: u32) -> Option<&'static str> {
    match policy as i32 {
        NF_ACCEPT => Some("accept"),
        NF_DROP => Some("drop"),
        _ => None,
    }
}

/// The standard priorities nft names (`filter`, `srcnat`, ...), in the order
/// nft looks them up; bridge has its own values.
const STANDARD: [(&str, i32); 6] = [
    ("raw", -300),
    ("mangle", -150),
    ("dstnat", -100),
    ("filter", 0),
    ("security", 50),
    ("srcnat", 100),
];
const BRIDGE_STANDARD: [(&str, i32); 4] = [
    ("dstnat", -300),
    ("filter", -200),
    ("out", 100),
    ("srcnat", 300),
];

/// Whether nft allows (and prints) standard priority `name` for `hooknum` of `family`.
fn standard_fits(family: u8, hooknum: u32, name: &str) -> bool {
    let f = Family::from_nfproto(family);
    match f {
        Some(Family::Netdev) | Some(Family::Arp) => name == "filter",
        Some(Family::Bridge) => match name {
            "dstnat" => hooknum == NF_INET_PRE_ROUTING,
            "srcnat" => hooknum == NF_INET_POST_ROUTING,
            "out" => hooknum == NF_INET_LOCAL_OUT,
            _ => true,
        },
        _ => match name {
            "dstnat" => hooknum == NF_INET_PRE_ROUTING,
            "srcnat" => hooknum == NF_INET_POST_ROUTING,
            _ => true,
        },
    }
}

fn standard_table(family: u8) -> &'static [(&'static str, i32)] {
    if family == Family::Bridge.nfproto() {
        &BRIDGE_STANDARD
    } else {
        &STANDARD
    }
}

/// A priority as nft prints it: `filter`, `srcnat - 5`, `-150`: the first
/// standard priority within 10 of it, if nft allows that name for the hook.
pub fn priority_text(family: u8, hooknum: u32, priority: i32) -> String {
    for &(name, value) in standard_table(family) {
        let offset = i64::from(priority) - i64::from(value);
        if offset.abs() <= 10 {
            if !standard_fits(family, hooknum, name) {
                break;
            }
            return match offset {
                0 => name.to_string(),
                o if o > 0 => format!("{name} + {o}"),
                o => format!("{name} - {}", -o),
            };
        }
    }
    priority.to_string()
}

/// The value of a standard priority name nft accepts for `hooknum` of
/// `family` (`None`: unknown, or not in this context).
pub fn standard_priority(family: Family, hooknum: u32, name: &str) -> Option<i32> {
    let nfproto = family.nfproto();
    standard_table(nfproto)
        .iter()
        .find(|(n, _)| *n == name)
        .filter(|(n, _)| standard_fits(nfproto, hooknum, n))
        .map(|&(_, v)| v)
}

/// `add chain` (`exclusive`: `create chain`, `NLM_F_EXCL`).
pub fn add_chain_request(spec: &ChainSpec, exclusive: bool) -> Result<Request> {
    let flags = NLM_F_CREATE | if exclusive { NLM_F_EXCL } else { 0 };
    let mut m = nft_message(NFT_MSG_NEWCHAIN, flags, spec.family.nfproto());
    m.put_str(NFTA_CHAIN_TABLE, &spec.table);
    m.put_str(NFTA_CHAIN_NAME, &spec.name);
    if let Some(h) = &spec.hook {
        m.put_str(NFTA_CHAIN_TYPE, &h.chain_type);
        if let Some(p) = h.policy {
            m.put_u32_be(NFTA_CHAIN_POLICY, p);
        }
        m.nest(NFTA_CHAIN_HOOK | NLA_F_NESTED, |m| {
            m.put_u32_be(NFTA_HOOK_HOOKNUM, h.hooknum);
            m.put_u32_be(NFTA_HOOK_PRIORITY, h.priority as u32);
            if let Some(d) = &h.device {
                m.put_str(NFTA_HOOK_DEV, d);
            }
        });
    }
    m.finish()
}

/// `delete chain FAMILY TABLE CHAIN`.
pub fn delete_chain_request(family: Family, table: &str, name: &str) -> Result<Request> {
    let mut m = nft_message(NFT_MSG_DELCHAIN, 0, family.nfproto());
    m.put_str(NFTA_CHAIN_TABLE, table);
    m.put_str(NFTA_CHAIN_NAME, name);
    m.finish()
}

/// `flush chain FAMILY TABLE CHAIN`: every rule of the chain.
pub fn flush_chain_request(family: Family, table: &str, name: &str) -> Result<Request> {
    let mut m = nft_message(NFT_MSG_DELRULE, 0, family.nfproto());
    m.put_str(NFTA_RULE_TABLE, table);
    m.put_str(NFTA_RULE_CHAIN, name);
    m.finish()
}

/// A dump of the chains of `family` (all families: `None`).
pub fn dump_chains_request(family: Option<Family>) -> Result<Request> {
    nft_message(NFT_MSG_GETCHAIN, 0, family.map_or(0, Family::nfproto)).finish()
}

/// The hook of a base chain as the kernel describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HookView<'a> {
    pub hooknum: u32,
    pub priority: i32,
    pub device: Option<&'a str>,
}

/// One chain (`NFT_MSG_NEWCHAIN`), borrowed from the receive buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Chain<'a> {
    /// `NFPROTO_*`.
    pub family: u8,
    pub table: &'a str,
    pub name: &'a str,
    pub handle: Option<u64>,
    pub hook: Option<HookView<'a>>,
    /// `filter`, `nat`, `route` (base chains).
    pub chain_type: Option<&'a str>,
    pub policy: Option<u32>,
    /// Rules and jumps that refer to the chain.
    pub use_count: Option<u32>,
    /// `NFT_CHAIN_*` (base, hardware offload, binding).
    pub flags: u32,
}

impl<'a> Chain<'a> {
    /// The view of a dump message; `Ok(None)` for a message that is not a chain.
    pub fn parse(msg: &Message<'a>) -> Result<Option<Chain<'a>>, DecodeError> {
        if nft_msg(msg.message_type()) != Some(NFT_MSG_NEWCHAIN) {
            return Ok(None);
        }
        let (header, attrs) = msg.fixed::<NfGenMsg>("nfgenmsg")?;
        let mut c = Chain {
            family: header.nfgen_family,
            ..Chain::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                NFTA_CHAIN_TABLE => {
                    c.table = attr.c_str().map_err(|e| e.named("NFTA_CHAIN_TABLE"))?
                }
                NFTA_CHAIN_NAME => c.name = attr.c_str().map_err(|e| e.named("NFTA_CHAIN_NAME"))?,
                NFTA_CHAIN_HANDLE => c.handle = Some(u64_be(&attr, "NFTA_CHAIN_HANDLE")?),
                NFTA_CHAIN_TYPE => {
                    c.chain_type = Some(attr.c_str().map_err(|e| e.named("NFTA_CHAIN_TYPE"))?)
                }
                NFTA_CHAIN_POLICY => {
                    c.policy = Some(attr.u32_be().map_err(|e| e.named("NFTA_CHAIN_POLICY"))?)
                }
                NFTA_CHAIN_USE => {
                    c.use_count = Some(attr.u32_be().map_err(|e| e.named("NFTA_CHAIN_USE"))?)
                }
                NFTA_CHAIN_FLAGS => {
                    c.flags = attr.u32_be().map_err(|e| e.named("NFTA_CHAIN_FLAGS"))?
                }
                NFTA_CHAIN_HOOK => {
                    let mut h = HookView::default();
                    for inner in attr.nested() {
                        let inner = inner?;
                        match inner.kind() {
                            NFTA_HOOK_HOOKNUM => {
                                h.hooknum =
                                    inner.u32_be().map_err(|e| e.named("NFTA_HOOK_HOOKNUM"))?
                            }
                            NFTA_HOOK_PRIORITY => {
                                h.priority =
                                    inner.u32_be().map_err(|e| e.named("NFTA_HOOK_PRIORITY"))?
                                        as i32
                            }
                            NFTA_HOOK_DEV => {
                                h.device =
                                    Some(inner.c_str().map_err(|e| e.named("NFTA_HOOK_DEV"))?)
                            }
                            _ => {}
                        }
                    }
                    c.hook = Some(h);
                }
                _ => {}
            }
        }
        Ok(Some(c))
    }
}

/// Stream the chains of `family` (all: `None`) to `each` as they arrive.
pub fn for_each_chain<T, F>(
    conn: &mut Connection<T>,
    family: Option<Family>,
    mut each: F,
) -> Result<()>
where
    T: Transport,
    F: FnMut(&Chain<'_>) -> Result<()>,
{
    let _ = conn.dump(dump_chains_request(family)?, |msg| {
        if let Some(c) = Chain::parse(&msg)? {
            each(&c)?;
        }
        Ok::<(), Error>(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests;
