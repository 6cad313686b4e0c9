//! A rule's statements as nft's `-j` JSON (`[{"match": {"op": "==",
//! "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right":
//! "10.0.0.1"}}, {"accept": null}]`), made from the rule's nft text (what
//! `rule_text` prints), for the forms rawnet compiles. A statement it does
//! not know (a raw expression, a set) ends the list with a placeholder,
//! `{"unknown": "TEXT OF THE REST"}`. Pure: never fails.

use crate::cli::output::push_string;

/// The text's words: `"..."` and `[ ... ]` are one word each.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        let end = match b[i] {
            b'"' => text[i + 1..].find('"').map_or(b.len(), |e| i + 2 + e),
            b'[' if b.get(i + 1) == Some(&b' ') => {
                text[i..].find(" ]").map_or(b.len(), |e| i + e + 2)
            }
            _ => text[i..].find(' ').map_or(b.len(), |e| i + e),
        };
        out.push(&text[start..end.min(b.len())]);
        i = end;
    }
    out
}

/// A JSON value for a word: a number when it is one, else a string.
fn scalar(buf: &mut String, w: &str) {
    if !w.is_empty() && w.len() < 20 && w.bytes().all(|c| c.is_ascii_digit()) {
        buf.push_str(w);
    } else {
        push_string(buf, w);
    }
}

/// `ADDR/LEN` as nft's prefix object, else the scalar.
fn value(buf: &mut String, w: &str) {
    if let Some((a, l)) = w.split_once('/') {
        if l.parse::<u8>().is_ok() {
            buf.push_str("{\"prefix\": {\"addr\": ");
            push_string(buf, a);
            buf.push_str(&format!(", \"len\": {l}}}}}"));
            return;
        }
    }
    if let Some((a, b)) = w.split_once('-') {
        if a.parse::<u16>().is_ok() && b.parse::<u16>().is_ok() {
            buf.push_str(&format!("{{\"range\": [{a}, {b}]}}"));
            return;
        }
    }
    scalar(buf, w);
}

fn unquote(w: &str) -> &str {
    w.strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .unwrap_or(w)
}

/// `, "port": N` or a range, from `P` or `P-Q`.
fn port_field(buf: &mut String, p: &str) {
    buf.push_str(", \"port\": ");
    value(buf, p);
}

/// Append the JSON array of `text`'s statements to `buf`.
pub fn push_exprs(buf: &mut String, text: &str) {
    let w = words(text);
    buf.push('[');
    let mut i = 0;
    let mut first = true;
    while i < w.len() {
        let mut s = String::new();
        match statement(&mut s, &w[i..]) {
            Some(n) => {
                if !first {
                    buf.push_str(", ");
                }
                buf.push_str(&s);
                i += n;
            }
            None => {
                if !first {
                    buf.push_str(", ");
                }
                buf.push_str("{\"unknown\": ");
                push_string(buf, &w[i..].join(" "));
                buf.push('}');
                break;
            }
        }
        first = false;
    }
    buf.push(']');
}

fn match_head(s: &mut String, not: bool, op_in: bool) {
    let op = if not {
        "!="
    } else if op_in {
        "in"
    } else {
        "=="
    };
    s.push_str(&format!("{{\"match\": {{\"op\": \"{op}\", \"left\": "));
}

/// `{ ... }` (its words from `{`) as `{"set": [...]}`, or `@NAME` as
/// `"@NAME"`; how many words it took.
fn set_value(s: &mut String, w: &[&str]) -> Option<usize> {
    let first = *w.first()?;
    if first.starts_with('@') {
        push_string(s, first);
        return Some(1);
    }
    if first != "{" {
        return None;
    }
    let end = w.iter().position(|x| *x == "}")?;
    let inner = w[1..end].join(" ");
    let items: Vec<&str> = inner.split(", ").filter(|x| !x.is_empty()).collect();
    s.push_str("{\"set\": ");
    super::set_json::elements(s, &items);
    s.push('}');
    Some(end + 1)
}

fn payload(s: &mut String, proto: &str, field: &str) -> Option<()> {
    if !matches!(
        (proto, field),
        ("ip" | "ip6", "saddr" | "daddr") | ("tcp" | "udp", "sport" | "dport")
    ) {
        return None;
    }
    s.push_str("{\"payload\": {\"protocol\": ");
    push_string(s, proto);
    s.push_str(", \"field\": ");
    push_string(s, field);
    s.push_str("}}");
    Some(())
}

/// `KEY [!=] { ... }|@NAME`, `KEY vmap { ... }|@NAME` (KEY: payload
/// fields joined by `.`), `dnat [ip] to numgen inc mod N map { ... }`.
fn set_statement(s: &mut String, w: &[&str]) -> Option<usize> {
    if w.first() == Some(&"dnat") {
        let at = if matches!(w.get(1), Some(&"ip") | Some(&"ip6")) {
            2
        } else {
            1
        };
        if w.get(at) != Some(&"to") || w.get(at + 1) != Some(&"numgen") {
            return None;
        }
        let mode = *w.get(at + 2)?;
        let modulus: u32 = w.get(at + 4)?.parse().ok()?;
        if w.get(at + 3) != Some(&"mod") || w.get(at + 5) != Some(&"map") {
            return None;
        }
        let mut data = String::new();
        let used = set_value(&mut data, &w[at + 6..])?;
        s.push_str("{\"dnat\": {");
        if at == 2 {
            s.push_str("\"family\": ");
            push_string(s, w[1]);
            s.push_str(", ");
        }
        s.push_str("\"addr\": {\"map\": {\"key\": {\"numgen\": {\"mode\": ");
        push_string(s, mode);
        s.push_str(&format!(
            ", \"mod\": {modulus}, \"offset\": 0}}}}, \"data\": {data}}}}}}}}}"
        ));
        return Some(at + 6 + used);
    }
    let mut keys = Vec::new();
    let mut i = 0;
    loop {
        let mut k = String::new();
        payload(&mut k, w.get(i)?, w.get(i + 1)?)?;
        keys.push(k);
        i += 2;
        if w.get(i) != Some(&".") {
            break;
        }
        i += 1;
    }
    let key = if keys.len() == 1 {
        keys.remove(0)
    } else {
        format!("{{\"concat\": [{}]}}", keys.join(", "))
    };
    if w.get(i) == Some(&"vmap") {
        let mut data = String::new();
        let used = set_value(&mut data, &w[i + 1..])?;
        s.push_str(&format!(
            "{{\"vmap\": {{\"key\": {key}, \"data\": {data}}}}}"
        ));
        return Some(i + 1 + used);
    }
    let not = w.get(i) == Some(&"!=");
    let at = if not { i + 1 } else { i };
    let mut right = String::new();
    let used = set_value(&mut right, &w[at.min(w.len())..])?;
    match_head(s, not, false);
    s.push_str(&format!("{key}, \"right\": {right}}}}}"));
    Some(at + used)
}

/// One statement into `s`; how many words it took.
fn statement(s: &mut String, w: &[&str]) -> Option<usize> {
    if let Some(n) = set_statement(s, w) {
        return Some(n);
    }
    let not = w.get(2) == Some(&"!=");
    let v = if not { 3 } else { 2 };
    match w[0] {
        "ip" | "ip6" | "tcp" | "udp" => {
            let field = *w.get(1)?;
            if !matches!(
                field,
                "saddr" | "daddr" | "protocol" | "nexthdr" | "sport" | "dport"
            ) {
                return None;
            }
            let val = *w.get(v)?;
            if val.starts_with('{') || val.starts_with('@') {
                return None;
            }
            match_head(s, not, false);
            s.push_str("{\"payload\": {\"protocol\": ");
            push_string(s, w[0]);
            s.push_str(", \"field\": ");
            push_string(s, field);
            s.push_str("}}, \"right\": ");
            value(s, val);
            s.push_str("}}");
            Some(v + 1)
        }
        "iifname" | "oifname" | "meta" => {
            let (key, not, at) = if w[0] == "meta" {
                let not = w.get(2) == Some(&"!=");
                (*w.get(1)?, not, if not { 3 } else { 2 })
            } else {
                let not = w.get(1) == Some(&"!=");
                (w[0], not, if not { 2 } else { 1 })
            };
            let val = *w.get(at)?;
            if val.starts_with('{') || val.starts_with('@') {
                return None;
            }
            match_head(s, not, false);
            s.push_str("{\"meta\": {\"key\": ");
            push_string(s, key);
            s.push_str("}}, \"right\": ");
            match val.strip_prefix("0x").map(|h| u32::from_str_radix(h, 16)) {
                Some(Ok(n)) => s.push_str(&n.to_string()),
                _ => value(s, unquote(val)),
            }
            s.push_str("}}");
            Some(at + 1)
        }
        "ct" => {
            let key = *w.get(1)?;
            let mut vals = vec![*w.get(v)?];
            let mut used = v + 1;
            while w.get(used) == Some(&"|") {
                vals.push(w.get(used + 1)?);
                used += 2;
            }
            if vals[0].starts_with('{') || vals[0].starts_with('@') {
                return None;
            }
            match_head(s, not, true);
            s.push_str("{\"ct\": {\"key\": ");
            push_string(s, key);
            s.push_str("}}, \"right\": ");
            let names: Vec<&str> = if vals.len() > 1 {
                vals
            } else {
                vals[0].split(',').collect()
            };
            let list = |s: &mut String| {
                s.push('[');
                for (k, n) in names.iter().enumerate() {
                    if k > 0 {
                        s.push_str(", ");
                    }
                    push_string(s, n);
                }
                s.push(']');
            };
            if names.len() == 1 {
                push_string(s, names[0]);
            } else if not {
                s.push_str("{\"|\": ");
                list(s);
                s.push('}');
            } else {
                list(s);
            }
            s.push_str("}}");
            Some(used)
        }
        "counter" => {
            if w.get(1) != Some(&"packets") || w.get(3) != Some(&"bytes") {
                s.push_str("{\"counter\": null}");
                return Some(1);
            }
            let (p, b) = (
                w.get(2)?.parse::<u64>().ok()?,
                w.get(4)?.parse::<u64>().ok()?,
            );
            s.push_str(&format!(
                "{{\"counter\": {{\"packets\": {p}, \"bytes\": {b}}}}}"
            ));
            Some(5)
        }
        v @ ("accept" | "drop" | "continue" | "return" | "break") => {
            s.push_str(&format!("{{\"{v}\": null}}"));
            Some(1)
        }
        v @ ("jump" | "goto") => {
            s.push_str(&format!("{{\"{v}\": {{\"target\": "));
            push_string(s, w.get(1)?);
            s.push_str("}}");
            Some(2)
        }
        v @ ("masquerade" | "redirect") => {
            let mut fields = String::new();
            let mut used = 1;
            if w.get(1) == Some(&"to") {
                let p = w.get(2)?.strip_prefix(':')?;
                port_field(&mut fields, p);
                used = 3;
            }
            if let Some(f) = w.get(used).filter(|f| {
                f.split(',')
                    .all(|x| matches!(x, "random" | "fully-random" | "persistent"))
            }) {
                let flags: Vec<&str> = f.split(',').collect();
                fields.push_str(", \"flags\": ");
                if flags.len() == 1 {
                    push_string(&mut fields, flags[0]);
                } else {
                    fields.push('[');
                    for (k, x) in flags.iter().enumerate() {
                        if k > 0 {
                            fields.push_str(", ");
                        }
                        push_string(&mut fields, x);
                    }
                    fields.push(']');
                }
                used += 1;
            }
            match fields.strip_prefix(", ") {
                Some(f) => s.push_str(&format!("{{\"{v}\": {{{f}}}}}")),
                None => s.push_str(&format!("{{\"{v}\": null}}")),
            }
            Some(used)
        }
        v @ ("snat" | "dnat") => {
            let mut at = 1;
            let mut fields = String::new();
            if let Some(f @ ("ip" | "ip6")) = w.get(1).copied() {
                fields.push_str(", \"family\": ");
                push_string(&mut fields, f);
                at = 2;
            }
            if w.get(at) != Some(&"to") {
                return None;
            }
            let target = *w.get(at + 1)?;
            let (addr, port) = if let Some(rest) = target.strip_prefix('[') {
                let (a, after) = rest.split_once(']')?;
                (a, after.strip_prefix(':'))
            } else {
                match target.split_once(':') {
                    Some((a, p)) => (a, Some(p)),
                    None => (target, None),
                }
            };
            fields.push_str(", \"addr\": ");
            push_string(&mut fields, addr);
            if let Some(p) = port {
                port_field(&mut fields, p);
            }
            let mut used = at + 2;
            if let Some(f) = w.get(used).filter(|f| {
                f.split(',')
                    .all(|x| matches!(x, "random" | "fully-random" | "persistent"))
            }) {
                fields.push_str(", \"flags\": ");
                push_string(&mut fields, f);
                used += 1;
            }
            s.push_str(&format!("{{\"{v}\": {{{}}}}}", &fields[2..]));
            Some(used)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> String {
        let mut s = String::new();
        push_exprs(&mut s, text);
        s
    }

    #[test]
    fn statements_as_nft_prints_them_in_json() {
        // From `nft -j list ruleset` (nftables 1.0.6) of the same rules.
        assert_eq!(
            json("ip saddr 10.0.0.0/8 tcp dport 80 counter packets 0 bytes 0 accept"),
            r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": 8}}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 80}}, {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]"#
        );
        assert_eq!(
            json("iifname \"lo\" ct state established,related accept"),
            r#"[{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lo"}}, {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]"#
        );
        assert_eq!(
            json("ip daddr 1.2.3.4 udp sport 1000-2000 jump d"),
            r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "1.2.3.4"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "sport"}}, "right": {"range": [1000, 2000]}}}, {"jump": {"target": "d"}}]"#
        );
        assert_eq!(
            json("ct state != established | related accept"),
            r#"[{"match": {"op": "!=", "left": {"ct": {"key": "state"}}, "right": {"|": ["established", "related"]}}}, {"accept": null}]"#
        );
        assert_eq!(
            json("ip6 daddr ::1 tcp dport 80 dnat ip6 to [::2]:8080"),
            r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "daddr"}}, "right": "::1"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 80}}, {"dnat": {"family": "ip6", "addr": "::2", "port": 8080}}]"#
        );
        assert_eq!(
            json("oifname != \"eth*\" masquerade"),
            r#"[{"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "eth*"}}, {"masquerade": null}]"#
        );
        assert_eq!(
            json("tcp dport 80 redirect to :8080"),
            r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 80}}, {"redirect": {"port": 8080}}]"#
        );
        assert_eq!(
            json("meta l4proto gre [ payload load 4b @ network header + 12 => reg 1 ] drop"),
            r#"[{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "gre"}}, {"unknown": "[ payload load 4b @ network header + 12 => reg 1 ] drop"}]"#
        );
    }
}
