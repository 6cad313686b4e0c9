//! nft's grammar for rules: `add|insert rule [FAMILY] TABLE CHAIN
//! [position|handle|index N] STATEMENT...`, `replace rule ... handle N
//! STATEMENT...`, `delete rule [FAMILY] TABLE CHAIN handle N`. Statements
//! are read into the compiler's [`Stmt`]s and compiled here, so a bad value
//! (prefix /33, port 70000) is an error before anything is sent, worded as
//! nft words it. The values inside the statements (addresses, ports,
//! protocols, NAT targets, ct states) are parsed in `values.rs`. Pure: no
//! I/O.

use rawnet::nft::expr::compile::{compile_rule, KeyField, Match, SetRef, Side, Stmt};
use rawnet::nft::expr::meta::{CT_STATES, CT_STATUSES};
use rawnet::nft::expr::Verdict;
use rawnet::nft::rule::{Placement, RuleSpec};
use rawnet::nft::Family;

use super::values::{
    address, ct_bits, nat_flag, nat_target, number, port_pair, ports, protocol, set_key, unexpected,
};
use super::words::{syntax, Command};

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
            let mut scratch_id = 1;
            let exprs = compile_rule(family.nfproto(), &table, &stmts, &mut scratch_id)
                .map(|c| c.exprs)
                .map_err(|e| {
                    let s = e.to_string();
                    let mut c = s.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().chain(c).collect(),
                        None => s,
                    }
                })?;
            Ok(Command::AddRule(
                RuleSpec {
                    family: family.nfproto(),
                    table,
                    chain,
                    exprs,
                    placement,
                    userdata: None,
                },
                stmts,
            ))
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
        if let Some(stmt) = set_statement(word, &mut w)? {
            out.push(stmt);
            continue;
        }
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

/// A key field: `ip|ip6 saddr|daddr`, `tcp|udp sport|dport`.
fn key_field(proto: &str, field: Option<&str>) -> Option<KeyField> {
    let side = match field? {
        "saddr" | "sport" => Side::Source,
        "daddr" | "dport" => Side::Destination,
        _ => return None,
    };
    match (proto, field?) {
        ("ip" | "ip6", "saddr" | "daddr") => Some(KeyField::Addr {
            v6: proto == "ip6",
            side,
        }),
        ("tcp" | "udp", "sport" | "dport") => Some(KeyField::Port {
            proto: if proto == "tcp" { 6 } else { 17 },
            side,
        }),
        _ => None,
    }
}

/// The rest of the words from the cursor.
fn rest<'a>(w: &Words<'a>) -> &'a [&'a str] {
    &w.w[w.i.min(w.w.len())..]
}

/// A statement with a set or map: `KEY [!=] { ... }`, `KEY [!=] @NAME`,
/// `KEY vmap { ... }|@NAME` (KEY: fields joined by `.`), `numgen inc|random
/// mod N vmap { ... }`, `dnat [ip] to numgen ... map { ... }`. `None` (the
/// cursor unmoved) when `word` starts none of these.
fn set_statement(word: &str, w: &mut Words<'_>) -> Result<Option<Stmt>, String> {
    let start = w.i;
    if word == "numgen" {
        let (random, modulus) = numgen_words(w)?;
        if w.next() != Some("vmap") {
            return Err(unexpected(w.w.get(w.i - 1).copied()));
        }
        let (elems, used) = super::set_words::brace_elements(rest(w))?;
        w.i += used;
        let mut map = Vec::new();
        for e in elems {
            let k = numgen_key(&e.key)?;
            let d = e
                .data
                .ok_or_else(|| syntax("unexpected ',', expecting ':'"))?;
            map.push((k, super::set_words::verdict(&d)?));
        }
        return Ok(Some(Stmt::NumgenVmap {
            random,
            modulus,
            map,
        }));
    }
    if word == "dnat" {
        let mut look = Words { w: w.w, i: w.i };
        if matches!(look.peek(), Some("ip" | "ip6")) {
            look.next();
        }
        if look.next() != Some("to") || look.peek() != Some("numgen") {
            return Ok(None);
        }
        look.next();
        let (random, modulus) = numgen_words(&mut look)?;
        if look.next() != Some("map") {
            return Err(unexpected(look.w.get(look.i - 1).copied()));
        }
        let (elems, used) = super::set_words::brace_elements(rest(&look))?;
        look.i += used;
        let mut map = Vec::new();
        for e in elems {
            let k = numgen_key(&e.key)?;
            let d = e
                .data
                .ok_or_else(|| syntax("unexpected ',', expecting ':'"))?;
            let (a, _) = address(&d.join(" "), d.join(" ").contains(':'))?;
            map.push((k, a));
        }
        w.i = look.i;
        return Ok(Some(Stmt::DnatNumgenMap {
            random,
            modulus,
            map,
        }));
    }
    let Some(first) = key_field(word, w.peek()) else {
        return Ok(None);
    };
    w.next();
    let mut key = vec![first];
    while w.peek() == Some(".") {
        w.next();
        let proto = w.value()?;
        let f = key_field(proto, w.peek()).ok_or_else(|| unexpected(w.peek()))?;
        w.next();
        key.push(f);
    }
    if w.peek() == Some("vmap") {
        w.next();
        let map = match w.peek() {
            Some(n) if n.starts_with('@') => {
                w.next();
                SetRef::Named {
                    name: n[1..].to_string(),
                    id: None,
                }
            }
            _ => {
                let (elems, used) = super::set_words::brace_elements(rest(w))?;
                w.i += used;
                let mut entries = Vec::new();
                for e in elems {
                    let d = e
                        .data
                        .ok_or_else(|| syntax("unexpected ',', expecting ':'"))?;
                    entries.push((set_key(&key, &e.key)?, super::set_words::verdict(&d)?));
                }
                SetRef::Anonymous(entries)
            }
        };
        return Ok(Some(Stmt::Vmap { key, map }));
    }
    let not = w.not();
    let set = match w.peek() {
        Some(n) if n.starts_with('@') => {
            w.next();
            SetRef::Named {
                name: n[1..].to_string(),
                id: None,
            }
        }
        Some("{") => {
            let (elems, used) = super::set_words::brace_elements(rest(w))?;
            w.i += used;
            let mut values = Vec::new();
            for e in elems {
                if e.data.is_some() {
                    return Err(syntax("unexpected ':'"));
                }
                values.push(set_key(&key, &e.key)?);
            }
            SetRef::Anonymous(values)
        }
        _ if key.len() == 1 => {
            w.i = start;
            return Ok(None);
        }
        other => return Err(unexpected(other)),
    };
    Ok(Some(Stmt::Match(Match::InSet { key, not, set })))
}

/// `inc|random mod N [offset 0]` after `numgen`.
fn numgen_words(w: &mut Words<'_>) -> Result<(bool, u32), String> {
    let random = match w.value()? {
        "inc" => false,
        "random" => true,
        x => return Err(unexpected(Some(x))),
    };
    if w.value()? != "mod" {
        return Err(unexpected(w.w.get(w.i - 1).copied()));
    }
    let modulus = number(w.value()?)?;
    if w.peek() == Some("offset") {
        w.next();
        if number(w.value()?)? != 0 {
            return Err("numgen offset is not supported".into());
        }
    }
    Ok((random, modulus))
}

fn numgen_key(k: &[String]) -> Result<u32, String> {
    match k {
        [one] => number(one),
        _ => Err(syntax("unexpected '.'")),
    }
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
            // `meta mark` and `mark` are the same match.
            "mark" => return a_match("mark", w),
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
            let bits = ct_bits(key, names, w.value()?)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Command, String> {
        let words = super::super::words::tokens(line)?;
        super::super::words::parse(&words)
    }

    fn debug(line: &str) -> Vec<String> {
        match p(line).unwrap() {
            Command::AddRule(r, _) => r.exprs.iter().map(|e| e.debug_text()).collect(),
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
        let Command::AddRule(r, _) =
            p("insert rule inet f c position 7 iifname \"lo\" accept").unwrap()
        else {
            panic!()
        };
        assert_eq!((r.family, r.placement), (1, Placement::Before(7)));
        let Command::AddRule(r, _) = p("add rule t c handle 3 drop").unwrap() else {
            panic!()
        };
        assert_eq!(r.placement, Placement::After(3));
        let Command::AddRule(r, _) = p("replace rule t c handle 3 drop").unwrap() else {
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
