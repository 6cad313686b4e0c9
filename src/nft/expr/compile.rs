//! nft's statements compiled to expressions, the way nft 1.0.6 compiles them
//! (checked with `nft --debug=netlink add rule ...`; see
//! tests/golden/nft-expr): pure functions from a typed statement list, no
//! text parsing.
//!
//! What nft does and this does too: a byte-aligned prefix loads only its
//! bytes (`ip saddr 10.0.0.0/8` is a 1-byte load and a cmp), any other
//! prefix loads the whole address and masks it (`bitwise`); `tcp dport`
//! first matches `meta l4proto tcp` unless an earlier statement already
//! fixed the transport protocol; in an `inet` table `ip`/`ip6` matches first
//! match `meta nfproto`; a NAT port needs an earlier transport match; all
//! loads go to register 1, NAT values to registers 1, 2, 3.

use std::fmt;
use std::net::IpAddr;

use crate::nft::wire::{NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6, NFT_REG_1};

use super::bitwise::Bitwise;
use super::cmp::{Cmp, CmpOp, Range, NFT_RANGE_NEQ};
use super::data::{Data, Verdict};
use super::immediate::{Counter, Immediate};
use super::meta::{
    Ct, Meta, NFT_CT_STATE, NFT_CT_STATUS, NFT_META_IIFNAME, NFT_META_L4PROTO, NFT_META_MARK,
    NFT_META_NFPROTO, NFT_META_OIFNAME,
};
use super::nat::{Nat, PortNat, NFT_NAT_DNAT, NFT_NAT_SNAT, NF_NAT_RANGE_PROTO_SPECIFIED};
use super::payload::{Payload, NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER};
use super::{DataOrVerdict, Expr};

/// `IPPROTO_TCP`, `IPPROTO_UDP`.
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;

/// Which address of the IP header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Destination,
}

/// A port match's value: one port or an inclusive range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ports {
    One(u16),
    Range(u16, u16),
}

/// A match of a rule. `not` is nft's `!=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// `ip saddr|daddr [!=] ADDR[/LEN]` and `ip6 saddr|daddr ...`; the
    /// address family says which (`len` at most 32 or 128).
    Addr {
        side: Side,
        not: bool,
        addr: IpAddr,
        len: u8,
    },
    /// `iifname|oifname [!=] NAME`; a trailing `*` matches a prefix.
    IfName {
        output: bool,
        not: bool,
        name: String,
    },
    /// `meta l4proto [!=] PROTO`.
    L4Proto { not: bool, proto: u8 },
    /// `ip protocol [!=] PROTO` (`ip6 nexthdr` is not here yet).
    IpProtocol { not: bool, proto: u8 },
    /// `tcp|udp sport|dport [!=] PORT[-PORT]` (`proto` 6 or 17).
    Port {
        proto: u8,
        side: Side,
        not: bool,
        ports: Ports,
    },
    /// `ct state STATE,...` (`ct_state` bits: invalid 1, established 2,
    /// related 4, new 8, untracked 64).
    CtState { not: bool, bits: u32 },
    /// `ct status STATUS,...` (`IPS_*` bits).
    CtStatus { not: bool, bits: u32 },
    /// `meta mark [!=] VALUE`.
    Mark { not: bool, value: u32 },
    /// `KEY [!=] { A, B }` or `KEY [!=] @NAME`: a lookup in an anonymous or
    /// a named set; `key` has more than one field for `ip daddr . tcp dport`.
    InSet {
        key: Vec<KeyField>,
        not: bool,
        set: SetRef<Vec<SetValue>>,
    },
}

/// A statement of a rule: a match or an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stmt {
    Match(Match),
    Counter,
    Verdict(Verdict),
    /// `masquerade [to :PORT[-PORT]] [random]`; `flags` are `NF_NAT_RANGE_*`.
    Masquerade {
        ports: Option<(u16, u16)>,
        flags: u32,
    },
    /// `snat to ADDR[:PORT[-PORT]]`.
    Snat {
        addr: IpAddr,
        ports: Option<(u16, u16)>,
    },
    /// `dnat to ADDR[:PORT[-PORT]]`.
    Dnat {
        addr: IpAddr,
        ports: Option<(u16, u16)>,
    },
    /// `redirect [to :PORT[-PORT]]`.
    Redirect {
        ports: Option<(u16, u16)>,
    },
    /// `KEY vmap { A : VERDICT, ... }` or `KEY vmap @NAME`.
    Vmap {
        key: Vec<KeyField>,
        map: SetRef<(Vec<SetValue>, Verdict)>,
    },
    /// `[numgen random|inc mod N] vmap { 0 : VERDICT, ... }`.
    NumgenVmap {
        random: bool,
        modulus: u32,
        map: Vec<(u32, Verdict)>,
    },
    /// `dnat to numgen inc|random mod N map { 0 : ADDR, ... }`.
    DnatNumgenMap {
        random: bool,
        modulus: u32,
        map: Vec<(u32, IpAddr)>,
    },
}

pub use super::sets::{AnonSet, CompiledRule, KeyField, SetRef, SetValue};

/// Why a statement list does not compile, in nft's words where nft has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompileError {
    /// A prefix longer than the address.
    PrefixTooLong { len: u8, max: u8 },
    /// An `ip6` match in an `ip` table, an `ip` one in `ip6`.
    FamilyMismatch { family: u8 },
    /// A NAT port without an earlier transport protocol match.
    PortWithoutTransport,
    /// A table family rawnet does not compile for.
    UnknownFamily(u8),
    /// An interface name over 15 bytes.
    IfNameTooLong(String),
    /// An anonymous set through [`compile`], which has no table to put it in
    /// (use [`compile_rule`]).
    SetNeedsTable,
    /// A set element that does not fit the key (wrong field count or kind).
    BadElement(String),
    /// An empty anonymous set.
    EmptySet,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::PrefixTooLong { len, max } => {
                write!(f, "prefix length {len} is too large (at most {max})")
            }
            CompileError::FamilyMismatch { family } => write!(
                f,
                "conflicting protocols specified: {} table",
                super::nat::family_name(u32::from(*family))
            ),
            CompileError::PortWithoutTransport => f.write_str(
                "transport protocol mapping is only valid after transport protocol match",
            ),
            CompileError::UnknownFamily(fam) => write!(f, "unknown family {fam}"),
            CompileError::IfNameTooLong(n) => write!(f, "interface name {n:?} is too long"),
            CompileError::SetNeedsTable => f.write_str("an anonymous set needs a table"),
            CompileError::BadElement(e) => write!(f, "element {e} does not fit the set's key"),
            CompileError::EmptySet => f.write_str("an anonymous set needs elements"),
        }
    }
}

impl std::error::Error for CompileError {}

/// What earlier statements fixed, as nft's dependency tracking knows it,
/// and the anonymous sets made so far.
pub(super) struct Context<'t> {
    pub(super) family: u8,
    /// `NFPROTO_IPV4`/`IPV6` once matched (or fixed by the table).
    pub(super) l3: Option<u8>,
    /// The transport protocol once matched.
    pub(super) l4: Option<u8>,
    /// The table anonymous sets go to; `None` through [`compile`].
    pub(super) table: Option<&'t str>,
    /// The next `NFTA_SET_ID`.
    pub(super) next_id: u32,
    pub(super) sets: Vec<AnonSet>,
}

/// The expressions nft makes of `stmts` in a table of `family`
/// (`NFPROTO_IPV4`, `NFPROTO_IPV6` or `NFPROTO_INET`); statements that need
/// an anonymous set fail here (see [`compile_rule`]).
pub fn compile(family: u8, stmts: &[Stmt]) -> Result<Vec<Expr>, CompileError> {
    let mut id = 1;
    compile_in(family, None, stmts, &mut id).map(|r| r.exprs)
}

/// The expressions of `stmts` and the anonymous sets they use, for a rule
/// of `table`: the sets (with their elements) go into the same transaction
/// before the rule. `next_id` is the transaction's counter of
/// `NFTA_SET_ID`s; each set takes one.
pub fn compile_rule(
    family: u8,
    table: &str,
    stmts: &[Stmt],
    next_id: &mut u32,
) -> Result<CompiledRule, CompileError> {
    compile_in(family, Some(table), stmts, next_id)
}

fn compile_in(
    family: u8,
    table: Option<&str>,
    stmts: &[Stmt],
    next_id: &mut u32,
) -> Result<CompiledRule, CompileError> {
    let l3 = match family {
        NFPROTO_IPV4 | NFPROTO_IPV6 => Some(family),
        NFPROTO_INET => None,
        f => return Err(CompileError::UnknownFamily(f)),
    };
    let mut cx = Context {
        family,
        l3,
        l4: None,
        table,
        next_id: *next_id,
        sets: Vec::new(),
    };
    let mut out = Vec::new();
    for s in stmts {
        match s {
            Stmt::Match(m) => compile_match(&mut cx, m, &mut out)?,
            Stmt::Counter => out.push(Expr::Counter(Counter::default())),
            Stmt::Verdict(v) => out.push(Expr::Immediate(Immediate::verdict(v.clone()))),
            Stmt::Masquerade { ports, flags } => {
                let mut p = PortNat {
                    flags: (*flags != 0).then_some(*flags),
                    ..PortNat::default()
                };
                if let Some(ports) = ports {
                    port_registers(&cx, *ports, NFT_REG_1, &mut out, &mut p)?;
                }
                out.push(Expr::Masq(p));
            }
            Stmt::Redirect { ports } => {
                let mut p = PortNat::default();
                if let Some(ports) = ports {
                    port_registers(&cx, *ports, NFT_REG_1, &mut out, &mut p)?;
                }
                out.push(Expr::Redir(p));
            }
            Stmt::Snat { addr, ports } => nat(&cx, NFT_NAT_SNAT, *addr, *ports, &mut out)?,
            Stmt::Dnat { addr, ports } => nat(&cx, NFT_NAT_DNAT, *addr, *ports, &mut out)?,
            Stmt::Vmap { key, map } => super::sets::vmap(&mut cx, key, map, &mut out)?,
            Stmt::NumgenVmap {
                random,
                modulus,
                map,
            } => super::sets::numgen_vmap(&mut cx, *random, *modulus, map, &mut out)?,
            Stmt::DnatNumgenMap {
                random,
                modulus,
                map,
            } => super::sets::dnat_numgen_map(&mut cx, *random, *modulus, map, &mut out)?,
        }
    }
    *next_id = cx.next_id;
    Ok(CompiledRule {
        sets: cx.sets,
        exprs: out,
    })
}

pub(super) fn reg1_cmp(op: CmpOp, data: Data) -> Expr {
    Expr::Cmp(Cmp {
        sreg: NFT_REG_1,
        op,
        data,
    })
}

fn op(not: bool) -> CmpOp {
    if not {
        CmpOp::Neq
    } else {
        CmpOp::Eq
    }
}

pub(super) fn one_byte(b: u8) -> Data {
    Data::fixed_slice(&[b])
}

fn compile_match(cx: &mut Context<'_>, m: &Match, out: &mut Vec<Expr>) -> Result<(), CompileError> {
    match m {
        Match::Addr {
            side,
            not,
            addr,
            len,
        } => {
            let (fam, bytes, offset): (u8, Vec<u8>, u32) = match (addr, side) {
                (IpAddr::V4(a), Side::Source) => (NFPROTO_IPV4, a.octets().to_vec(), 12),
                (IpAddr::V4(a), Side::Destination) => (NFPROTO_IPV4, a.octets().to_vec(), 16),
                (IpAddr::V6(a), Side::Source) => (NFPROTO_IPV6, a.octets().to_vec(), 8),
                (IpAddr::V6(a), Side::Destination) => (NFPROTO_IPV6, a.octets().to_vec(), 24),
            };
            let max = (bytes.len() * 8) as u8;
            if *len > max {
                return Err(CompileError::PrefixTooLong { len: *len, max });
            }
            network_dependency(cx, fam, out)?;
            let len = usize::from(*len);
            if len % 8 == 0 && len > 0 {
                let n = len / 8;
                out.push(Expr::Payload(Payload::load(
                    NFT_PAYLOAD_NETWORK_HEADER,
                    offset,
                    n as u32,
                    NFT_REG_1,
                )));
                out.push(reg1_cmp(op(*not), Data::fixed_slice(&bytes[..n])));
            } else {
                let mut mask = vec![0u8; bytes.len()];
                for (i, m) in mask.iter_mut().enumerate() {
                    let bits = len.saturating_sub(i * 8).min(8);
                    *m = (0xffu16 << (8 - bits)) as u8;
                }
                let masked: Vec<u8> = bytes.iter().zip(&mask).map(|(b, m)| b & m).collect();
                out.push(Expr::Payload(Payload::load(
                    NFT_PAYLOAD_NETWORK_HEADER,
                    offset,
                    bytes.len() as u32,
                    NFT_REG_1,
                )));
                out.push(Expr::Bitwise(Bitwise::mask_xor(
                    NFT_REG_1,
                    Data::fixed_slice(&mask),
                    Data::fixed_slice(&vec![0u8; bytes.len()]),
                )));
                out.push(reg1_cmp(op(*not), Data::fixed_slice(&masked)));
            }
        }
        Match::IfName { output, not, name } => {
            let key = if *output {
                NFT_META_OIFNAME
            } else {
                NFT_META_IIFNAME
            };
            let data = match name.strip_suffix('*') {
                Some(prefix) if prefix.len() < 16 => Data::fixed_slice(prefix.as_bytes()),
                None if name.len() < 16 => {
                    let mut b = [0u8; 16];
                    b[..name.len()].copy_from_slice(name.as_bytes());
                    Data::fixed_slice(&b)
                }
                _ => return Err(CompileError::IfNameTooLong(name.clone())),
            };
            out.push(Expr::Meta(Meta::load(key, NFT_REG_1)));
            out.push(reg1_cmp(op(*not), data));
        }
        Match::L4Proto { not, proto } => {
            out.push(Expr::Meta(Meta::load(NFT_META_L4PROTO, NFT_REG_1)));
            out.push(reg1_cmp(op(*not), one_byte(*proto)));
            if !*not {
                cx.l4 = Some(*proto);
            }
        }
        Match::IpProtocol { not, proto } => {
            network_dependency(cx, NFPROTO_IPV4, out)?;
            out.push(Expr::Payload(Payload::load(
                NFT_PAYLOAD_NETWORK_HEADER,
                9,
                1,
                NFT_REG_1,
            )));
            out.push(reg1_cmp(op(*not), one_byte(*proto)));
            if !*not {
                cx.l4 = Some(*proto);
            }
        }
        Match::Port {
            proto,
            side,
            not,
            ports,
        } => {
            if cx.l4 != Some(*proto) {
                out.push(Expr::Meta(Meta::load(NFT_META_L4PROTO, NFT_REG_1)));
                out.push(reg1_cmp(CmpOp::Eq, one_byte(*proto)));
                cx.l4 = Some(*proto);
            }
            let offset = if *side == Side::Source { 0 } else { 2 };
            out.push(Expr::Payload(Payload::load(
                NFT_PAYLOAD_TRANSPORT_HEADER,
                offset,
                2,
                NFT_REG_1,
            )));
            let be = |p: u16| Data::fixed_slice(&p.to_be_bytes());
            match (ports, not) {
                (Ports::One(p), _) => out.push(reg1_cmp(op(*not), be(*p))),
                (Ports::Range(a, b), false) => {
                    out.push(reg1_cmp(CmpOp::Gte, be(*a)));
                    out.push(reg1_cmp(CmpOp::Lte, be(*b)));
                }
                (Ports::Range(a, b), true) => out.push(Expr::Range(Range {
                    sreg: NFT_REG_1,
                    op: NFT_RANGE_NEQ,
                    from: be(*a),
                    to: be(*b),
                })),
            }
        }
        Match::CtState { not, bits } => ct_bits(NFT_CT_STATE, *not, *bits, out),
        Match::CtStatus { not, bits } => ct_bits(NFT_CT_STATUS, *not, *bits, out),
        Match::Mark { not, value } => {
            out.push(Expr::Meta(Meta::load(NFT_META_MARK, NFT_REG_1)));
            out.push(reg1_cmp(op(*not), Data::u32_ne(*value)));
        }
        Match::InSet { key, not, set } => super::sets::in_set(cx, key, *not, set, out)?,
    }
    Ok(())
}

/// `ct state established,related`: any of the bits (bitwise, cmp neq 0);
/// `ct state != established,related`: the value compared as a whole
/// (`cmp neq 6`), as nft 1.0.6 does.
fn ct_bits(key: u32, not: bool, bits: u32, out: &mut Vec<Expr>) {
    out.push(Expr::Ct(Ct::load(key, NFT_REG_1)));
    if not {
        out.push(reg1_cmp(CmpOp::Neq, Data::u32_ne(bits)));
        return;
    }
    out.push(Expr::Bitwise(Bitwise::mask_xor(
        NFT_REG_1,
        Data::u32_ne(bits),
        Data::u32_ne(0),
    )));
    out.push(reg1_cmp(CmpOp::Neq, Data::u32_ne(0)));
}

/// In an inet table, match `meta nfproto` before the first network-header
/// match; in ip or ip6 a match of the other family is an error.
pub(super) fn network_dependency(
    cx: &mut Context<'_>,
    fam: u8,
    out: &mut Vec<Expr>,
) -> Result<(), CompileError> {
    match cx.l3 {
        Some(l3) if l3 == fam => Ok(()),
        Some(_) if cx.family != NFPROTO_INET => {
            Err(CompileError::FamilyMismatch { family: cx.family })
        }
        _ => {
            out.push(Expr::Meta(Meta::load(NFT_META_NFPROTO, NFT_REG_1)));
            out.push(reg1_cmp(CmpOp::Eq, one_byte(fam)));
            cx.l3 = Some(fam);
            Ok(())
        }
    }
}

/// Ports into `first` (and `first + 1` for a range) for a NAT statement.
fn port_registers(
    cx: &Context<'_>,
    (min, max): (u16, u16),
    first: u32,
    out: &mut Vec<Expr>,
    p: &mut PortNat,
) -> Result<(), CompileError> {
    if cx.l4.is_none() {
        return Err(CompileError::PortWithoutTransport);
    }
    out.push(immediate(first, &min.to_be_bytes()));
    p.proto_min = Some(first);
    if max != min {
        out.push(immediate(first + 1, &max.to_be_bytes()));
        p.proto_max = Some(first + 1);
    }
    p.flags = Some(p.flags.unwrap_or(0) | NF_NAT_RANGE_PROTO_SPECIFIED);
    Ok(())
}

fn immediate(reg: u32, bytes: &[u8]) -> Expr {
    Expr::Immediate(Immediate {
        dreg: reg,
        data: DataOrVerdict::Value(Data::fixed_slice(bytes)),
    })
}

fn nat(
    cx: &Context<'_>,
    kind: u32,
    addr: IpAddr,
    ports: Option<(u16, u16)>,
    out: &mut Vec<Expr>,
) -> Result<(), CompileError> {
    let (fam, bytes) = match addr {
        IpAddr::V4(a) => (NFPROTO_IPV4, a.octets().to_vec()),
        IpAddr::V6(a) => (NFPROTO_IPV6, a.octets().to_vec()),
    };
    if cx.family != NFPROTO_INET && cx.family != fam {
        return Err(CompileError::FamilyMismatch { family: cx.family });
    }
    out.push(immediate(NFT_REG_1, &bytes));
    let mut n = Nat {
        kind,
        family: u32::from(fam),
        addr_min: Some(NFT_REG_1),
        addr_max: None,
        proto_min: None,
        proto_max: None,
        flags: None,
    };
    if let Some(ports) = ports {
        let mut p = PortNat::default();
        port_registers(cx, ports, NFT_REG_1 + 1, out, &mut p)?;
        n.proto_min = p.proto_min;
        n.proto_max = p.proto_max;
        n.flags = p.flags;
    }
    out.push(Expr::Nat(n));
    Ok(())
}
