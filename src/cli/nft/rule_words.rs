//! nft's grammar for rules: `add|insert rule [FAMILY] TABLE CHAIN
//! [position|handle|index N] STATEMENT...`, `replace rule ... handle N
//! STATEMENT...`, `delete rule [FAMILY] TABLE CHAIN handle N`. Statements
//! are read into the compiler's [`Stmt`]s and compiled here, so a bad value
//! (prefix /33, port 70000) is an error before anything is sent, worded as
//! nft words it. Pure: no I/O.

use std::net::IpAddr;

use rawnet::nft::expr::compile::{compile, Match, Ports, Side, Stmt};
use rawnet::nft::expr::Verdict;
use rawnet::nft::rule::{Placement, RuleSpec};
use rawnet::nft::Family;

use super::words::Command;

fn syntax(what: impl std::fmt::Display) -> String {
    format!("syntax error, {what}")
}

fn unexpected(w: Option<&str>) -> String {
    match w {
        Some(w) => syntax(format!("unexpected {w}")),
        None => syntax("unexpected newline"),
    }
}

/// Parse `VERB rule ARGS...` (`verb` is add, insert, replace, create or
/// delete; `args` the words after `rule`).
pub fn parse_rule(verb: &str, args: &[&str]) -> Result<Command, String> {
    let (family, rest) = match args.first().and_then(|w| Family::parse(w)) {
        Some(f) => (f, &args[1..]),
        None => (Family::Ip, args),
    };
    let [table, chain, rest @ ..] = rest else {
        return Err(syntax("unexpected newline"));
    };
    let (table, chain) = (table.to_string(), chain.to_string());
    let handle_arg = |rest: &[&str], word: &str| -> Result<Option<u64>, String> {
        match rest {
            [w, n, ..] if *w == word => n
                .parse::<u64>()
                .map(Some)
                .map_err(|_| syntax(format!("unexpected {n}, expecting number"))),
            _ => Ok(None),
        }
    };
    match verb {
        "delete" | "destroy" => {
            let handle =
                handle_arg(rest, "handle")?.ok_or_else(|| unexpected(rest.first().copied()))?;
            if let Some(extra) = rest.get(2) {
                return Err(unexpected(Some(extra)));
            }
            Ok(Command::DeleteRule {
                family,
                table,
                chain,
                handle,
            })
        }
        "add" | "insert" | "create" | "replace" => {
            let mut rest = rest;
            let mut placement = if verb == "insert" {
                Placement::Prepend
            } else {
                Placement::Append
            };
            if verb == "replace" {
                let h =
                    handle_arg(rest, "handle")?.ok_or_else(|| unexpected(rest.first().copied()))?;
                placement = Placement::Replace(h);
                rest = &rest[2..];
            } else {
                for word in ["position", "handle"] {
                    if let Some(h) = handle_arg(rest, word)? {
                        placement = if verb == "insert" {
                            Placement::Before(h)
                        } else {
                            Placement::After(h)
                        };
                        rest = &rest[2..];
                    }
                }
            }
            if rest.is_empty() {
                return Err(syntax("unexpected newline"));
            }
            let stmts = statements(rest)?;
            conflicting_protocols(family, rest)?;
            let exprs = compile(family.nfproto(), &stmts).map_err(|e| {
                let s = e.to_string();
                let mut c = s.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => s,
                }
            })?;
            Ok(Command::AddRule(RuleSpec {
                family: family.nfproto(),
                table,
                chain,
                exprs,
                placement,
                userdata: None,
            }))
        }
        v => Err(syntax(format!("unexpected {v}"))),
    }
}

/// An `ip6` match in an ip table or an `ip` match in an ip6 table, in
/// nft's words.
fn conflicting_protocols(family: Family, words: &[&str]) -> Result<(), String> {
    let other = match family {
        Family::Ip => "ip6",
        Family::Ip6 => "ip",
        _ => return Ok(()),
    };
    if words
        .windows(2)
        .any(|p| p[0] == other && matches!(p[1], "saddr" | "daddr" | "protocol" | "nexthdr"))
    {
        return Err(format!(
            "conflicting protocols specified: {} vs. {other}",
            family.name()
        ));
    }
    Ok(())
}

/// A cursor over a rule's words.
struct Words<'a> {
    w: &'a [&'a str],
    i: usize,
}

impl<'a> Words<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.w.get(self.i).copied()
    }
    fn next(&mut self) -> Option<&'a str> {
        let w = self.peek();
        self.i += usize::from(w.is_some());
        w
    }
    fn value(&mut self) -> Result<&'a str, String> {
        self.next().ok_or_else(|| unexpected(None))
    }
    /// An optional `!=` (also `ne`); `==`/`eq` are accepted and mean nothing.
    fn not(&mut self) -> bool {
        match self.peek() {
            Some("!=") | Some("ne") => {
                self.i += 1;
                true
            }
            Some("==") | Some("eq") => {
                self.i += 1;
                false
            }
            _ => false,
        }
    }
}

/// The statements of a rule.
pub fn statements(words: &[&str]) -> Result<Vec<Stmt>, String> {
    let mut w = Words { w: words, i: 0 };
    let mut out = Vec::new();
    while let Some(word) = w.next() {
        if let Some(m) = a_match(word, &mut w)? {
            out.push(Stmt::Match(m));
            continue;
        }
        let stmt = match word {
            "counter" => Stmt::Counter,
            "accept" => Stmt::Verdict(Verdict::Accept),
            "drop" => Stmt::Verdict(Verdict::Drop),
            "continue" => Stmt::Verdict(Verdict::Continue),
            "return" => Stmt::Verdict(Verdict::Return),
            "jump" => Stmt::Verdict(Verdict::Jump(w.value()?.to_string())),
            "goto" => Stmt::Verdict(Verdict::Goto(w.value()?.to_string())),
            "masquerade" | "redirect" => {
                let mut port_range = None;
                if w.peek() == Some("to") {
                    w.next();
                    let p = w.value()?;
                    let p = p.strip_prefix(':').ok_or_else(|| unexpected(Some(p)))?;
                    port_range = Some(port_pair(p)?);
                }
                let mut flags = 0;
                while let Some(f) = w.peek().and_then(nat_flag) {
                    flags |= f;
                    w.next();
                }
                if word == "masquerade" {
                    Stmt::Masquerade {
                        ports: port_range,
                        flags,
                    }
                } else {
                    Stmt::Redirect { ports: port_range }
                }
            }
            "snat" | "dnat" => {
                let mut fam = None;
                if let Some(f @ ("ip" | "ip6")) = w.peek() {
                    fam = Some(f == "ip6");
                    w.next();
                }
                match w.value()? {
                    "to" => {}
                    x => return Err(unexpected(Some(x))),
                }
                let (addr, ports) = nat_target(w.value()?, fam)?;
                if word == "snat" {
                    Stmt::Snat { addr, ports }
                } else {
                    Stmt::Dnat { addr, ports }
                }
            }
            w => return Err(unexpected(Some(w))),
        };
        out.push(stmt);
    }
    Ok(out)
}

/// The match `word` starts, or `None` when `word` starts no match.
fn a_match(word: &str, w: &mut Words<'_>) -> Result<Option<Match>, String> {
    let m = match word {
        "ip" | "ip6" => {
            let v6 = word == "ip6";
            match w.value()? {
                f @ ("saddr" | "daddr") => {
                    let side = if f == "saddr" {
                        Side::Source
                    } else {
                        Side::Destination
                    };
                    let not = w.not();
                    let (addr, len) = address(w.value()?, v6)?;
                    Match::Addr {
                        side,
                        not,
                        addr,
                        len,
                    }
                }
                "protocol" if !v6 => {
                    let not = w.not();
                    Match::IpProtocol {
                        not,
                        proto: protocol(w.value()?)?,
                    }
                }
                f => return Err(unexpected(Some(f))),
            }
        }
        "iifname" | "oifname" => {
            let not = w.not();
            let name = w.value()?.to_string();
            Match::IfName {
                output: word == "oifname",
                not,
                name,
            }
        }
        "meta" => match w.value()? {
            "l4proto" => {
                let not = w.not();
                Match::L4Proto {
                    not,
                    proto: protocol(w.value()?)?,
                }
            }
            "mark" => {
                let not = w.not();
                Match::Mark {
                    not,
                    value: number(w.value()?)?,
                }
            }
            "iifname" | "oifname" => {
                let output = w.w[w.i - 1] == "oifname";
                let not = w.not();
                Match::IfName {
                    output,
                    not,
                    name: w.value()?.to_string(),
                }
            }
            f => return Err(unexpected(Some(f))),
        },
        "mark" => {
            let not = w.not();
            Match::Mark {
                not,
                value: number(w.value()?)?,
            }
        }
        "tcp" | "udp" => {
            let proto = if word == "tcp" { 6 } else { 17 };
            let side = match w.value()? {
                "sport" => Side::Source,
                "dport" => Side::Destination,
                f => return Err(unexpected(Some(f))),
            };
            let not = w.not();
            Match::Port {
                proto,
                side,
                not,
                ports: ports(w.value()?)?,
            }
        }
        "ct" => {
            let key = w.value()?;
            let names: &[(u32, &str)] = match key {
                "state" => &CT_STATES,
                "status" => &CT_STATUSES,
                f => return Err(unexpected(Some(f))),
            };
            let not = w.not();
            let mut bits = 0;
            for name in w.value()?.split(',').filter(|s| !s.is_empty()) {
                bits |= names
                    .iter()
                    .find(|(_, n)| *n == name)
                    .map(|(b, _)| *b)
                    .ok_or_else(|| format!("Could not parse ct {key}"))?;
            }
            if key == "state" {
                Match::CtState { not, bits }
            } else {
                Match::CtStatus { not, bits }
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(m))
}

/// Conntrack state bits by name.
const CT_STATES: [(u32, &str); 5] = [
    (1, "invalid"),
    (2, "established"),
    (4, "related"),
    (8, "new"),
    (64, "untracked"),
];
/// Conntrack status bits (`IPS_*`) by name.
const CT_STATUSES: [(u32, &str); 7] = [
    (1, "expected"),
    (2, "seen-reply"),
    (4, "assured"),
    (8, "confirmed"),
    (16, "snat"),
    (32, "dnat"),
    (512, "dying"),
];

fn nat_flag(w: &str) -> Option<u32> {
    use rawnet::nft::expr::nat::{
        NF_NAT_RANGE_PERSISTENT, NF_NAT_RANGE_PROTO_RANDOM, NF_NAT_RANGE_PROTO_RANDOM_FULLY,
    };
    match w {
        "random" => Some(NF_NAT_RANGE_PROTO_RANDOM),
        "fully-random" => Some(NF_NAT_RANGE_PROTO_RANDOM_FULLY),
        "persistent" => Some(NF_NAT_RANGE_PERSISTENT),
        _ => None,
    }
}

/// `ADDR[/LEN]` of the family the keyword says.
fn address(text: &str, v6: bool) -> Result<(IpAddr, u8), String> {
    let (a, len) = match text.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (text, None),
    };
    let addr: IpAddr = a
        .parse()
        .map_err(|_| format!("Could not resolve hostname: Name or service not known: {a}"))?;
    if addr.is_ipv6() != v6 {
        return Err(format!(
            "Could not resolve hostname: Address family for hostname not supported: {a}"
        ));
    }
    let max: u32 = if v6 { 128 } else { 32 };
    let len = match len {
        None => max,
        Some(l) => l.parse::<u32>().map_err(|_| unexpected(Some(l)))?,
    };
    if len > max {
        return Err(format!(
            "Prefix length {len} is invalid for type of {max} bits width"
        ));
    }
    Ok((addr, len as u8))
}

/// An IP protocol by nft's name or number.
fn protocol(w: &str) -> Result<u8, String> {
    Ok(match w {
        "icmp" => 1,
        "igmp" => 2,
        "tcp" => 6,
        "udp" => 17,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "icmpv6" | "ipv6-icmp" => 58,
        "sctp" => 132,
        "udplite" => 136,
        n => n
            .parse::<u8>()
            .map_err(|_| format!("Could not resolve protocol name: {n}"))?,
    })
}

fn number(w: &str) -> Result<u32, String> {
    let v = match w.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16),
        None => w.parse(),
    };
    v.map_err(|_| unexpected(Some(w)))
}

/// A port by number or a few common service names.
fn port(w: &str) -> Result<u16, String> {
    if let Ok(n) = w.parse::<u64>() {
        return u16::try_from(n).map_err(|_| "Service out of range".to_string());
    }
    Ok(match w {
        "ssh" => 22,
        "domain" => 53,
        "http" => 80,
        "https" => 443,
        _ => {
            return Err(format!(
                "Could not resolve service: Servname not supported for ai_socktype: {w}"
            ))
        }
    })
}

fn port_pair(w: &str) -> Result<(u16, u16), String> {
    match w.split_once('-') {
        Some((a, b)) => Ok((port(a)?, port(b)?)),
        None => {
            let p = port(w)?;
            Ok((p, p))
        }
    }
}

fn ports(w: &str) -> Result<Ports, String> {
    Ok(match port_pair(w)? {
        (a, b) if a == b && !w.contains('-') => Ports::One(a),
        (a, b) if a > b => return Err(format!("Range has zero or negative size: {a}-{b}")),
        (a, b) => Ports::Range(a, b),
    })
}

/// `ADDR`, `ADDR:PORT[-PORT]`, `[V6]:PORT`.
fn nat_target(w: &str, fam: Option<bool>) -> Result<(IpAddr, Option<(u16, u16)>), String> {
    let (a, p) = if let Some(rest) = w.strip_prefix('[') {
        let (a, after) = rest.split_once(']').ok_or_else(|| unexpected(Some(w)))?;
        match after {
            "" => (a, None),
            p => (
                a,
                Some(p.strip_prefix(':').ok_or_else(|| unexpected(Some(w)))?),
            ),
        }
    } else if w.matches(':').count() == 1 {
        let (a, p) = w.split_once(':').unwrap_or((w, ""));
        (a, Some(p))
    } else {
        (w, None)
    };
    let v6 = fam.unwrap_or(a.contains(':'));
    let (addr, _) = address(a, v6)?;
    let ports = p.map(port_pair).transpose()?;
    Ok((addr, ports))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Command, String> {
        let words = super::super::words::tokens(line)?;
        super::super::words::parse(&words)
    }

    fn debug(line: &str) -> Vec<String> {
        match p(line).unwrap() {
            Command::AddRule(r) => r.exprs.iter().map(|e| e.debug_text()).collect(),
            c => panic!("{c:?}"),
        }
    }

    #[test]
    fn rules_compile_as_nft_compiles_them() {
        // nft --debug=netlink add rule ip t c ip saddr 10.0.0.0/8 tcp dport 80 counter accept
        assert_eq!(
            debug("add rule ip t c ip saddr 10.0.0.0/8 tcp dport 80 counter accept"),
            [
                "[ payload load 1b @ network header + 12 => reg 1 ]",
                "[ cmp eq reg 1 0x0000000a ]",
                "[ meta load l4proto => reg 1 ]",
                "[ cmp eq reg 1 0x00000006 ]",
                "[ payload load 2b @ transport header + 2 => reg 1 ]",
                "[ cmp eq reg 1 0x00005000 ]",
                "[ counter pkts 0 bytes 0 ]",
                "[ immediate reg 0 accept ]",
            ]
        );
        let Command::AddRule(r) =
            p("insert rule inet f c position 7 iifname \"lo\" accept").unwrap()
        else {
            panic!()
        };
        assert_eq!((r.family, r.placement), (1, Placement::Before(7)));
        let Command::AddRule(r) = p("add rule t c handle 3 drop").unwrap() else {
            panic!()
        };
        assert_eq!(r.placement, Placement::After(3));
        let Command::AddRule(r) = p("replace rule t c handle 3 drop").unwrap() else {
            panic!()
        };
        assert_eq!(r.placement, Placement::Replace(3));
        assert_eq!(
            p("delete rule ip6 t c handle 9").unwrap(),
            Command::DeleteRule {
                family: Family::Ip6,
                table: "t".into(),
                chain: "c".into(),
                handle: 9
            }
        );
        assert!(p("add rule inet t c ct state established,related tcp dport 1-5 udp sport != 7 ip6 daddr ::1 snat ip to 1.2.3.4:5 masquerade to :1-2 random").is_ok());
    }

    #[test]
    fn bad_values_are_worded_as_nft_words_them() {
        let e = |l: &str| p(l).unwrap_err();
        assert_eq!(
            e("add rule t c ip saddr 10.0.0.0/33 accept"),
            "Prefix length 33 is invalid for type of 32 bits width"
        );
        assert_eq!(
            e("add rule t c tcp dport 70000 accept"),
            "Service out of range"
        );
        assert!(e("add rule t c bogus").starts_with("syntax error"));
        assert!(e("add rule t c").starts_with("syntax error"));
        assert!(e("delete rule t c").starts_with("syntax error"));
        assert!(e("delete rule t c handle x").starts_with("syntax error"));
        assert!(e("add rule t c ip saddr ::1").starts_with("Could not resolve"));
        assert!(e("add rule t c ip6 saddr ::1")
            .starts_with("conflicting protocols specified: ip vs. ip6"));
    }
}
