//! `rawnet rule`: iproute2's `ip rule` (policy routing) for add, del,
//! show/list and flush.
//!
//! ```text
//! rule { add | del } SELECTOR ACTION
//! rule flush [ SELECTOR ]
//! rule [ list | show [ SELECTOR ] ]
//! SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ] [ fwmark M[/MASK] ]
//!             [ iif DEV ] [ oif DEV ] [ pref N ] [ l3mdev ] [ uidrange A-B ]
//!             [ ipproto P ] [ sport N[-M] ] [ dport N[-M] ]
//! ACTION := [ table T ] [ protocol P ] [ realms [S/]D ] [ goto N ] [ TYPE ]
//!           [ suppress_prefixlength N ] [ suppress_ifgroup G ]
//! ```
//!
//! Words are matched as iproute2 6.1 matches them (ip/iprule.c: some by
//! unique prefix in its order, some exactly), with its messages and exit
//! codes. Without `-4`/`-6` the family is IPv4, as in iproute2. `show`
//! streams the dump through the selector; `flush` deletes every rule the
//! selector picks that has a priority (so not those at 0), sending each
//! dumped rule back as it came, as iproute2 does. Output: `print.rs`.

use rawnet::netlink::Pipeline;
use rawnet::route::prefix::{family_of, parse_inet_prefix};
use rawnet::route::rule::*;

mod names;
pub(super) mod print;

use std::net::IpAddr;

use super::arg_errors::{invalid_arg, prefix_expected, unknown_command, usage_error};
use super::change::{apply, Change};
use super::numbers::strtoul;
use super::output::{warn_if_interrupted, Stream};
use super::route::names as rt_names;
use super::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet rule { add | del } SELECTOR ACTION
       rawnet rule flush [ SELECTOR ]
       rawnet rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
";

/// What a change line of `rule` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOp {
    Add,
    Delete,
}

/// The change a command word asks for, in iproute2's order (`a` add, `d`
/// delete; `list`, `lst`, `show`, `save`, `restore` come first).
pub fn change_op(cmd: &str) -> Option<RuleOp> {
    if ["list", "lst", "show", "save", "restore"]
        .iter()
        .any(|k| matches(cmd, k))
    {
        None
    } else if matches(cmd, "add") {
        Some(RuleOp::Add)
    } else if matches(cmd, "delete") {
        Some(RuleOp::Delete)
    } else {
        None
    }
}

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return list(ctx, a, false);
    };
    if matches(cmd, "list") || matches(cmd, "lst") || matches(cmd, "show") {
        list(ctx, a, false)
    } else if matches(cmd, "save") || matches(cmd, "restore") {
        Err(CliError::usage(format!(
            "Error: \"rule {cmd}\" is not supported by rawnet, try \"rawnet rule help\"."
        )))
    } else if let Some(op) = change_op(cmd) {
        apply(ctx, |_| prepare(ctx, a, op))
    } else if matches(cmd, "flush") {
        list(ctx, a, true)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else {
        Err(unknown_command("rule", cmd))
    }
}

/// iproute2's `get_u32(.., 0)`: the whole word, decimal, `0x` hex or `0` octal.
fn u32_word(word: &str) -> Option<u32> {
    strtoul(word).and_then(|n| u32::try_from(n).ok())
}

/// `FWMARK[/MASK]`, with iproute2's two messages.
fn fwmark(word: &str) -> Result<(u32, Option<u32>), CliError> {
    let (mark, mask) = match word.split_once('/') {
        Some((m, k)) => (m, Some(k)),
        None => (word, None),
    };
    let mark = u32_word(mark).ok_or_else(|| invalid_arg(mark, "fwmark value is invalid\n"))?;
    let mask = match mask {
        Some(k) => Some(u32_word(k).ok_or_else(|| invalid_arg(k, "fwmask value is invalid\n"))?),
        None => None,
    };
    Ok((mark, mask))
}

/// The number `sscanf("%u")` reads at the start of `s`, and the rest: blanks,
/// an optional sign, decimal digits, as glibc's `strtoul` (saturating at
/// `u64::MAX`, a `-` negating modulo 2^64); the caller cuts it to its
/// `unsigned`/`unsigned short` as `sscanf` stores it.
fn scan_number(s: &str) -> Option<(u64, &str)> {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let n = s[..end].parse().unwrap_or(u64::MAX);
    Some((if negative { n.wrapping_neg() } else { n }, &s[end..]))
}

/// `A-B` as `sscanf("%u-%u")` reads it (what follows B is ignored).
fn uid_range(word: &str) -> Option<FibRuleUidRange> {
    let (start, rest) = scan_number(word)?;
    let (end, _) = scan_number(rest.strip_prefix('-')?)?;
    Some(FibRuleUidRange {
        start: start as u32,
        end: end as u32,
    })
}

/// `N[-M]` as `sscanf("%hu-%hu")` reads it: `N` alone is `N-N`.
fn port_range(word: &str) -> Option<FibRulePortRange> {
    let (start, rest) = scan_number(word)?;
    let start = start as u16;
    let end = match rest.strip_prefix('-').and_then(scan_number) {
        Some((end, _)) => end as u16,
        None => start,
    };
    Some(FibRulePortRange { start, end })
}

/// An interface name as iproute2's `check_ifname` accepts it.
fn ifname(word: &str, what: &str) -> Result<Vec<u8>, CliError> {
    let name = crate::cli::os_args::unescape(word);
    rawnet::route::link::validate_ifname(&name).map_err(|_| invalid_arg(word, what))?;
    Ok(name.into_owned())
}

/// A `from`/`to` prefix as iproute2's `get_prefix` reads it for `family`
/// (`None`: any), with the shared parser: `all`/`any` (no address),
/// `default` (zeros of the family), `ADDR[/LEN]` with the short IPv4 forms
/// (`10/8`, `10.1/16`) and netmasks; anything else exits 1 with its message.
fn rule_prefix(word: &str, family: Option<u8>) -> Result<RuleAddr, CliError> {
    let p = match family {
        Some(f) if i32::from(f) == libc::AF_PACKET => None,
        _ => parse_inet_prefix(word, family.unwrap_or(0)).ok(),
    };
    match p {
        Some(p) => Ok(RuleAddr {
            addr: p.addr,
            len: p.len,
        }),
        None => Err(prefix_expected(family, word)),
    }
}

/// `rule add|del SELECTOR ACTION` as one request (iprule_modify).
pub(super) fn prepare(ctx: &Context, mut a: Args<'_>, op: RuleOp) -> Result<Change, CliError> {
    if a.is_empty() {
        let verb = if op == RuleOp::Add { "add" } else { "del" };
        return Err(CliError::new(
            1,
            format!("\"rawnet rule {verb}\" requires arguments."),
        ));
    }
    let family = ctx.family;
    let mut spec = RuleSpec {
        family: family.unwrap_or(0),
        ..Default::default()
    };
    while let Some(w) = a.next() {
        if w == "not" {
            spec.invert = true;
        } else if w == "from" {
            spec.src = Some(rule_prefix(a.value(w)?, family)?);
        } else if w == "to" {
            spec.dst = Some(rule_prefix(a.value(w)?, family)?);
        } else if matches(w, "preference") || matches(w, "order") || matches(w, "priority") {
            let v = a.value(w)?;
            spec.priority =
                Some(u32_word(v).ok_or_else(|| invalid_arg(v, "preference value is invalid\n"))?);
        } else if w == "tos" || matches(w, "dsfield") {
            let v = a.value(w)?;
            spec.tos =
                names::dsfield_number(v).ok_or_else(|| invalid_arg(v, "TOS value is invalid\n"))?;
        } else if w == "fwmark" {
            let (mark, mask) = fwmark(a.value(w)?)?;
            spec.fwmark = Some(mark);
            spec.fwmask = mask;
        } else if matches(w, "realms") {
            let v = a.value(w)?;
            spec.flow =
                Some(names::realms_number(v).ok_or_else(|| invalid_arg(v, "invalid realms\n"))?);
        } else if matches(w, "protocol") {
            let v = a.value(w)?;
            spec.protocol = Some(
                rt_names::protocol_number(v)
                    .ok_or_else(|| invalid_arg(v, "\"protocol\" value is invalid\n"))?,
            );
        } else if matches(w, "tun_id") {
            let v = a.value(w)?;
            spec.tun_id =
                Some(strtoul(v).ok_or_else(|| invalid_arg(v, "\"tun_id\" value is invalid\n"))?);
        } else if matches(w, "table") || w == "lookup" {
            let v = a.value(w)?;
            spec.table = Some(
                rt_names::table_number(v).ok_or_else(|| invalid_arg(v, "invalid table ID\n"))?,
            );
        } else if matches(w, "suppress_prefixlength") || w == "sup_pl" {
            let v = a.value(w)?;
            let pl = strtoul(v)
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| invalid_arg(v, "suppress_prefixlength value is invalid\n"))?;
            spec.suppress_prefixlen = Some(pl as u32);
        } else if matches(w, "suppress_ifgroup") || w == "sup_group" {
            let v = a.value(w)?;
            spec.suppress_ifgroup = Some(
                crate::cli::route::names::group_number(v)
                    .ok_or_else(|| invalid_arg(v, "Invalid \"suppress_ifgroup\" value\n"))?,
            );
        } else if w == "dev" || w == "iif" {
            spec.iif = Some(ifname(a.value(w)?, "\"iif\"/\"dev\" not a valid ifname")?);
        } else if w == "oif" {
            spec.oif = Some(ifname(a.value(w)?, "\"oif\" not a valid ifname")?);
        } else if w == "l3mdev" {
            spec.l3mdev = true;
        } else if w == "uidrange" {
            let v = a.value(w)?;
            spec.uid_range =
                Some(uid_range(v).ok_or_else(|| invalid_arg(v, "invalid UID range\n"))?);
        } else if w == "ipproto" {
            let v = a.value(w)?;
            spec.ip_proto = Some(
                names::ip_proto_number(v)
                    .ok_or_else(|| invalid_arg(v, "Invalid \"ipproto\" value\n"))?,
            );
        } else if w == "sport" {
            let v = a.value(w)?;
            spec.sport = Some(port_range(v).ok_or_else(|| invalid_arg(v, "invalid port range\n"))?);
        } else if w == "dport" {
            let v = a.value(w)?;
            spec.dport =
                Some(port_range(v).ok_or_else(|| invalid_arg(v, "invalid dport range\n"))?);
        } else {
            let w = if w == "type" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage_error(USAGE));
            } else if matches(w, "goto") {
                let v = a.value(w)?;
                spec.goto = Some(u32_word(v).ok_or_else(|| invalid_arg(v, "invalid target\n"))?);
                spec.action = Some(FR_ACT_GOTO);
            } else if matches(w, "nop") {
                spec.action = Some(FR_ACT_NOP);
            } else {
                spec.action =
                    Some(rule_type(w).ok_or_else(|| invalid_arg(w, "Failed to parse rule type"))?);
            }
        }
    }
    if spec.l3mdev && spec.table.is_some_and(|t| t != 0) {
        // iproute2 returns -EINVAL here: exit 22.
        return Err(CliError::new(
            22,
            "table can not be specified for l3mdev rules",
        ));
    }
    // A table of 0 is as good as none when adding: iproute2's table_ok.
    if spec.table == Some(0) && spec.action.is_none() && op == RuleOp::Add {
        spec.action = Some(FR_ACT_TO_TBL);
    }
    let request = match op {
        RuleOp::Add => add_rule_request(&spec),
        RuleOp::Delete => delete_rule_request(&spec),
    };
    Ok(Change::new(request.map_err(CliError::from)?))
}

/// A rule type word as `rtnl_rtntype_a2n` reads it.
fn rule_type(w: &str) -> Option<u8> {
    use rawnet::route::route::*;
    let t = if w == "local" {
        RTN_LOCAL
    } else if w == "nat" {
        RTN_NAT
    } else if matches(w, "broadcast") || w == "brd" {
        RTN_BROADCAST
    } else if matches(w, "anycast") {
        RTN_ANYCAST
    } else if matches(w, "multicast") {
        RTN_MULTICAST
    } else if matches(w, "prohibit") {
        RTN_PROHIBIT
    } else if matches(w, "unreachable") {
        RTN_UNREACHABLE
    } else if matches(w, "blackhole") {
        RTN_BLACKHOLE
    } else if matches(w, "xresolve") {
        RTN_XRESOLVE
    } else if matches(w, "unicast") {
        RTN_UNICAST
    } else if w == "throw" {
        RTN_THROW
    } else {
        return u32_word(w).and_then(|n| u8::try_from(n).ok());
    };
    Some(t)
}

/// A `from`/`to` selector of show and flush: family, address, length.
#[derive(Debug, Clone, Copy)]
struct PrefixFilter {
    family: u8,
    addr: Option<IpAddr>,
    len: u8,
}

impl PrefixFilter {
    /// iproute2's test: same family, the rule's prefix at least as long,
    /// and the first `len` bits equal.
    fn admits(&self, family: u8, addr: Option<IpAddr>, len: u8) -> bool {
        if self.family != family || self.len > len {
            return false;
        }
        match (self.addr, addr) {
            (_, None) | (None, _) => true,
            _ if self.len == 0 => true,
            (Some(IpAddr::V4(f)), Some(IpAddr::V4(r))) => {
                let shift = 32 - u32::from(self.len);
                (u32::from(f) ^ u32::from(r))
                    .checked_shr(shift)
                    .unwrap_or(0)
                    == 0
            }
            (Some(IpAddr::V6(f)), Some(IpAddr::V6(r))) => {
                let shift = 128 - u32::from(self.len);
                (u128::from(f) ^ u128::from(r))
                    .checked_shr(shift)
                    .unwrap_or(0)
                    == 0
            }
            _ => false,
        }
    }
}

/// The selector of show and flush (iproute2's `filter`).
#[derive(Debug, Default)]
struct Filter {
    pref: Option<u32>,
    not: bool,
    tos: Option<u8>,
    fwmark: u32,
    fwmask: u32,
    iif: Option<Vec<u8>>,
    oif: Option<Vec<u8>>,
    l3mdev: bool,
    uid_range: Option<FibRuleUidRange>,
    tun_id: u64,
    table: u32,
    src: Option<PrefixFilter>,
    dst: Option<PrefixFilter>,
    /// `protocol P` (flush only); `None` also for `protocol all`.
    protocol: Option<u8>,
    ip_proto: u8,
    sport: Option<FibRulePortRange>,
    dport: Option<FibRulePortRange>,
}

fn prefix_filter(word: &str, family: u8) -> Result<PrefixFilter, CliError> {
    let p = rule_prefix(word, Some(family))?;
    Ok(PrefixFilter {
        family,
        addr: p.addr.filter(|a| family_of(a) == family),
        len: p.len,
    })
}

fn filter(mut a: Args<'_>, family: u8) -> Result<Filter, CliError> {
    let mut f = Filter::default();
    while let Some(w) = a.next() {
        if matches(w, "preference") || matches(w, "order") || matches(w, "priority") {
            let v = a.value(w)?;
            f.pref =
                Some(u32_word(v).ok_or_else(|| invalid_arg(v, "preference value is invalid\n"))?);
        } else if w == "not" {
            f.not = true;
        } else if w == "tos" || w == "dsfield" {
            let v = a.value(w)?;
            f.tos = Some(
                names::dsfield_number(v).ok_or_else(|| invalid_arg(v, "TOS value is invalid\n"))?,
            );
        } else if w == "fwmark" {
            let (mark, mask) = fwmark(a.value(w)?)?;
            f.fwmark = mark;
            if let Some(m) = mask {
                f.fwmask = m;
            }
        } else if w == "dev" || w == "iif" {
            f.iif = Some(ifname(a.value(w)?, "\"iif\"/\"dev\" not a valid ifname")?);
        } else if w == "oif" {
            f.oif = Some(ifname(a.value(w)?, "\"oif\" not a valid ifname")?);
        } else if w == "l3mdev" {
            f.l3mdev = true;
        } else if w == "uidrange" {
            let v = a.value(w)?;
            f.uid_range = Some(uid_range(v).ok_or_else(|| invalid_arg(v, "invalid UID range\n"))?);
        } else if matches(w, "tun_id") {
            let v = a.value(w)?;
            f.tun_id = strtoul(v).ok_or_else(|| invalid_arg(v, "\"tun_id\" value is invalid\n"))?;
        } else if matches(w, "lookup") || matches(w, "table") {
            let v = a.value(w)?;
            f.table = rt_names::table_number(v)
                .ok_or_else(|| invalid_arg(v, "table id value is invalid\n"))?;
        } else if matches(w, "from") || matches(w, "src") {
            f.src = Some(prefix_filter(a.value(w)?, family)?);
        } else if matches(w, "protocol") {
            let v = a.value(w)?;
            f.protocol = match rt_names::protocol_number(v) {
                Some(p) => Some(p),
                None if v == "all" => None,
                None => return Err(invalid_arg(v, "invalid \"protocol\"\n")),
            };
        } else if w == "ipproto" {
            let v = a.value(w)?;
            f.ip_proto = names::ip_proto_number(v)
                .ok_or_else(|| invalid_arg(v, "Invalid \"ipproto\" value\n"))?;
        } else if w == "sport" {
            let v = a.value(w)?;
            f.sport = Some(port_range(v).ok_or_else(|| invalid_arg(v, "invalid port range\n"))?);
        } else if w == "dport" {
            let v = a.value(w)?;
            f.dport = Some(port_range(v).ok_or_else(|| invalid_arg(v, "invalid dport range\n"))?);
        } else {
            let v = if matches(w, "dst") || matches(w, "to") {
                a.value(w)?
            } else {
                w
            };
            f.dst = Some(prefix_filter(v, family)?);
        }
    }
    Ok(f)
}

impl Filter {
    /// iproute2's `filter_nlmsg`.
    fn admits(&self, r: &Rule<'_>) -> bool {
        let h = &r.header;
        let range_is = |want: Option<FibRulePortRange>, got: Option<FibRulePortRange>| {
            want.filter(|w| w.start != 0)
                .map_or(true, |w| got == Some(w))
        };
        self.pref.map_or(true, |p| p == r.preference())
            && (!self.not || r.inverted())
            && self
                .src
                .map_or(true, |s| s.admits(h.family, r.src, h.src_len))
            && self
                .dst
                .map_or(true, |d| d.admits(h.family, r.dst, h.dst_len))
            && self.tos.map_or(true, |t| t == h.tos)
            && (self.fwmark == 0 || self.fwmark == r.fwmark.unwrap_or(0))
            && (self.fwmask == 0 || self.fwmask == r.fwmask.unwrap_or(0))
            && self.iif.as_deref().map_or(true, |i| r.iif == Some(i))
            && self.oif.as_deref().map_or(true, |o| r.oif == Some(o))
            && (!self.l3mdev || r.l3mdev.is_some_and(|m| m != 0))
            && self.uid_range.map_or(true, |u| r.uid_range == Some(u))
            && (self.ip_proto == 0 || r.ip_proto.unwrap_or(0) == self.ip_proto)
            && range_is(self.sport, r.sport)
            && range_is(self.dport, r.dport)
            && (self.tun_id == 0 || r.tun_id == Some(self.tun_id))
            && (self.table == 0 || self.table == r.table)
    }
}

/// `rule show [SELECTOR]` (each rule printed as it arrives) or `rule flush
/// [SELECTOR]` (iprule_list_flush_or_save).
fn list(ctx: &Context, a: Args<'_>, flush: bool) -> Result<i32, CliError> {
    let family = ctx.family.unwrap_or(libc::AF_INET as u8);
    let f = filter(a, family)?;
    let mut conn = ctx.rtnl()?;
    if flush {
        return flush_rules(ctx, &mut conn, family, &f);
    }
    let mut stream = Stream::new(ctx);
    let status = for_each_rule(&mut conn, family, |r| {
        if f.admits(r) {
            print::rule(&mut stream.begin_record(), r, ctx.details);
            stream.end_record()?;
        }
        Ok::<(), CliError>(())
    });
    stream.finish()?;
    warn_if_interrupted(status?);
    Ok(0)
}

/// Delete what the selector picks, each dumped rule sent back on a second
/// connection while the dump is read, pipelined: nothing is kept.
fn flush_rules(
    ctx: &Context,
    conn: &mut rawnet::netlink::Connection,
    family: u8,
    f: &Filter,
) -> Result<i32, CliError> {
    let mut side = ctx.rtnl()?;
    let mut pipeline = Pipeline::new();
    let mut n = 0usize;
    let _status = for_each_rule(conn, family, |r| {
        if !f.admits(r) || r.priority.is_none() {
            return Ok(());
        }
        if let (Some(want), Some(got)) = (f.protocol, r.protocol) {
            if want != got {
                return Ok(());
            }
        }
        n += 1;
        pipeline.push(&mut side, delete_dumped_rule_request(r)?, n)
    })
    .map_err(CliError::from)?;
    pipeline.flush(&mut side).map_err(CliError::from)?;
    if let Some(failure) = pipeline.take_failures().into_iter().next() {
        return Err(CliError::from(failure.error));
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_sscanf_cuts_them() {
        // `%hu` and `%u` store the low bits of what strtoul read.
        let p = port_range("70000-70001").expect("read");
        assert_eq!((p.start, p.end), (4464, 4465));
        let p = port_range("99999999999999999999").expect("saturates");
        assert_eq!((p.start, p.end), (0xffff, 0xffff));
        let p = port_range("5-x").expect("the end is optional");
        assert_eq!((p.start, p.end), (5, 5));
        assert!(port_range("x").is_none());
        assert!(port_range("").is_none());
        let u = uid_range("5-4294967296").expect("read");
        assert_eq!((u.start, u.end), (5, 0));
        let u = uid_range(" -1-+7").expect("signs");
        assert_eq!((u.start, u.end), (u32::MAX, 7));
        assert!(uid_range("5-").is_none());
        assert!(uid_range("5").is_none());
    }
}
