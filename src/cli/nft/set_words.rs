//! nft's grammar for sets and maps: `add|delete set|map [FAMILY] TABLE NAME
//! [{ type T [. T]... [: DATA] ; [flags F,... ;] [elements = { ... } ;] }]`,
//! `add|delete element [FAMILY] TABLE NAME { ... }`, `list set|map [FAMILY]
//! TABLE NAME`, `list sets|maps [FAMILY]`; the `{ A, B . C : V }` element
//! blocks of these and of rules; and element words turned into the bytes
//! of a set's key and data (typed by nft's datatype numbers). Pure: no I/O.

use std::net::IpAddr;

use rawnet::nft::expr::sets::interval_elements;
use rawnet::nft::expr::{Data, DataOrVerdict, Verdict};
use rawnet::nft::set::key::{
    padded, type_by_name, type_len, TYPE_IFNAME, TYPE_INET_PROTOCOL, TYPE_INET_SERVICE,
    TYPE_INTEGER, TYPE_IP6ADDR, TYPE_IPADDR, TYPE_MARK, TYPE_VERDICT,
};
use rawnet::nft::set::ElemSpec;
use rawnet::nft::wire::{NFT_SET_CONSTANT, NFT_SET_INTERVAL, NFT_SET_TIMEOUT};
use rawnet::nft::Family;

use super::values::{address, port, protocol};
use super::words::{syntax, Command};

/// One element as written: the key's fields (`A . B`) and a map's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElemWords {
    pub key: Vec<String>,
    pub data: Option<Vec<String>>,
}

/// A set or map declared by `add set|map`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetDecl {
    pub family: Family,
    pub table: String,
    pub name: String,
    /// nft datatype numbers of the key's fields.
    pub key_types: Vec<u32>,
    /// A map's data type (`TYPE_VERDICT` for verdicts).
    pub data_type: Option<u32>,
    /// Declared `NFT_SET_*` flags.
    pub flags: u32,
    pub elems: Vec<ElemWords>,
}

/// The shape of a set that element words are encoded for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub key_types: Vec<u32>,
    pub data_type: Option<u32>,
    pub flags: u32,
}

/// `{ ... }` at the start of `w`: its elements and how many words it took.
pub fn brace_elements(w: &[&str]) -> Result<(Vec<ElemWords>, usize), String> {
    if w.first() != Some(&"{") {
        return Err(syntax(format!(
            "unexpected {}, expecting '{{'",
            w.first().unwrap_or(&"newline")
        )));
    }
    let end = w
        .iter()
        .position(|x| *x == "}")
        .ok_or_else(|| syntax("unexpected newline, expecting '}'"))?;
    let mut flat = Vec::new();
    for word in &w[1..end] {
        for (i, part) in word.split(',').enumerate() {
            if i > 0 {
                flat.push(",");
            }
            if !part.is_empty() {
                flat.push(part);
            }
        }
    }
    let mut elems = Vec::new();
    for item in flat.split(|x| *x == ",") {
        if item.is_empty() {
            continue;
        }
        let (key, data) = match item.iter().position(|x| *x == ":") {
            Some(c) => (&item[..c], Some(&item[c + 1..])),
            None => (item, None),
        };
        let fields: Vec<String> = key.split(|x| *x == ".").map(|f| f.join(" ")).collect();
        if fields.iter().any(String::is_empty) {
            return Err(syntax("unexpected '.'"));
        }
        let data = match data {
            Some([]) => return Err(syntax("unexpected ','")),
            Some(d) => Some(d.iter().map(|s| s.to_string()).collect()),
            None => None,
        };
        elems.push(ElemWords { key: fields, data });
    }
    Ok((elems, end + 1))
}

/// `add|create|delete|destroy|flush set|map ...`, `list set|map ...`.
pub fn parse_set(verb: &str, object: &str, args: &[&str]) -> Result<Command, String> {
    let brace = args.iter().position(|&a| a == "{").unwrap_or(args.len());
    let (family, names) = match args[..brace] {
        [f, t, n] => (
            Family::parse(f).ok_or_else(|| syntax(format!("unexpected {f}")))?,
            (t, n),
        ),
        [t, n] => (Family::Ip, (t, n)),
        _ => return Err(syntax("unexpected newline")),
    };
    let (table, name) = (names.0.to_string(), names.1.to_string());
    let block = &args[brace..];
    let map = object == "map";
    match verb {
        "add" | "create" if object != "element" => {
            if block.is_empty() {
                return Err(syntax("unexpected newline, expecting '{'"));
            }
            set_block(family, table, name, map, block).map(Command::AddSet)
        }
        "add" | "create" | "delete" | "destroy" if object == "element" => {
            let (elems, used) = brace_elements(block)?;
            if let Some(extra) = block.get(used) {
                return Err(syntax(format!("unexpected {extra}")));
            }
            Ok(Command::Elements {
                delete: matches!(verb, "delete" | "destroy"),
                family,
                table,
                set: name,
                elems,
            })
        }
        _ if !block.is_empty() => Err(syntax("unexpected '{'")),
        "delete" | "destroy" => Ok(Command::DeleteSet {
            family,
            table,
            name,
        }),
        "list" => Ok(Command::ListSet {
            family,
            table,
            name,
            map,
        }),
        v => Err(syntax(format!("unexpected {v}"))),
    }
}

/// `{ type T [. T]... [: D] ; [flags F,... ;] [elements = { ... } ;] }`.
fn set_block(
    family: Family,
    table: String,
    name: String,
    map: bool,
    block: &[&str],
) -> Result<SetDecl, String> {
    if block.last() != Some(&"}") {
        return Err(syntax("unexpected newline, expecting '}'"));
    }
    let inner = &block[1..block.len() - 1];
    let mut d = SetDecl {
        family,
        table,
        name,
        key_types: Vec::new(),
        data_type: None,
        flags: 0,
        elems: Vec::new(),
    };
    let mut i = 0;
    while i < inner.len() {
        match inner[i] {
            ";" => i += 1,
            "type" => {
                i += 1;
                let mut types = Vec::new();
                let mut data = None;
                while let Some(&t) = inner.get(i) {
                    if t == ";" {
                        break;
                    }
                    match t {
                        "." => {}
                        ":" if map => data = Some(Vec::new()),
                        t => {
                            let n = if t == "verdict" && data.is_some() {
                                TYPE_VERDICT
                            } else {
                                type_by_name(t)
                                    .filter(|x| x.0 != TYPE_VERDICT)
                                    .ok_or_else(|| format!("unknown datatype {t}"))?
                                    .0
                            };
                            match &mut data {
                                Some(v) => v.push(n),
                                None => types.push(n),
                            }
                        }
                    }
                    i += 1;
                }
                d.key_types = types;
                if let Some(v) = data {
                    match v.as_slice() {
                        [one] => d.data_type = Some(*one),
                        _ => return Err(syntax("a map's data is one type")),
                    }
                }
            }
            "flags" => {
                i += 1;
                while let Some(&f) = inner.get(i) {
                    if f == ";" {
                        break;
                    }
                    for f in f.split(',').filter(|f| !f.is_empty()) {
                        d.flags |= match f {
                            "constant" => NFT_SET_CONSTANT,
                            "interval" => NFT_SET_INTERVAL,
                            "timeout" => NFT_SET_TIMEOUT,
                            f => return Err(syntax(format!("unexpected {f}"))),
                        };
                    }
                    i += 1;
                }
            }
            "elements" => {
                if inner.get(i + 1) != Some(&"=") {
                    return Err(syntax("unexpected elements, expecting '='"));
                }
                let (elems, used) = brace_elements(&inner[i + 2..])?;
                d.elems = elems;
                i += 2 + used;
            }
            w => return Err(syntax(format!("unexpected {w}"))),
        }
    }
    if d.key_types.is_empty() {
        return Err("set definition does not specify key".into());
    }
    if map && d.data_type.is_none() {
        return Err("map definition does not specify mapping data type".into());
    }
    if !map && d.data_type.is_some() {
        return Err(syntax("unexpected ':'"));
    }
    Ok(d)
}

/// The bytes of one value of type `t`, or the inclusive range it covers
/// (`ADDR/LEN`, `A-B`) as `(first, last)` bytes.
fn value(t: u32, w: &str) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    let range = |a: Vec<u8>, b: Vec<u8>| -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
        if a > b {
            return Err(format!("Range has zero or negative size: {w}"));
        }
        Ok((a, Some(b)))
    };
    match t {
        TYPE_IPADDR | TYPE_IP6ADDR => {
            let v6 = t == TYPE_IP6ADDR;
            if let Some((a, b)) = w.split_once('-') {
                let (a, _) = address(a, v6)?;
                let (b, _) = address(b, v6)?;
                return range(ip_bytes(a), ip_bytes(b));
            }
            let (a, len) = address(w, v6)?;
            let bytes = ip_bytes(a);
            let max = bytes.len() * 8;
            if usize::from(len) == max {
                return Ok((bytes, None));
            }
            let mut first = bytes.clone();
            let mut last = bytes;
            for (i, (f, l)) in first.iter_mut().zip(last.iter_mut()).enumerate() {
                let keep = usize::from(len).saturating_sub(i * 8).min(8);
                let mask = (0xffu16 << (8 - keep)) as u8;
                *f &= mask;
                *l |= !mask;
            }
            Ok((first, Some(last)))
        }
        TYPE_INET_SERVICE => match w.split_once('-') {
            Some((a, b)) => range(
                port(a)?.to_be_bytes().to_vec(),
                port(b)?.to_be_bytes().to_vec(),
            ),
            None => Ok((port(w)?.to_be_bytes().to_vec(), None)),
        },
        TYPE_INET_PROTOCOL => Ok((vec![protocol(w)?], None)),
        TYPE_MARK | TYPE_INTEGER => {
            let n = match w.strip_prefix("0x") {
                Some(h) => u32::from_str_radix(h, 16),
                None => w.parse(),
            }
            .map_err(|_| format!("Could not parse integer: {w}"))?;
            Ok((n.to_ne_bytes().to_vec(), None))
        }
        TYPE_IFNAME => {
            let w = w.trim_matches('"');
            if w.len() >= 16 {
                return Err(format!("interface name {w} is too long"));
            }
            let mut b = vec![0u8; 16];
            b[..w.len()].copy_from_slice(w.as_bytes());
            Ok((b, None))
        }
        t => Err(format!("unknown datatype {t}")),
    }
}

fn ip_bytes(a: IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

fn as_u128(b: &[u8]) -> u128 {
    b.iter().fold(0u128, |acc, x| (acc << 8) | u128::from(*x))
}

/// A verdict written as a map's data (`accept`, `jump CHAIN`, ...).
pub fn verdict(w: &[String]) -> Result<Verdict, String> {
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    Ok(match w.as_slice() {
        ["accept"] => Verdict::Accept,
        ["drop"] => Verdict::Drop,
        ["continue"] => Verdict::Continue,
        ["return"] => Verdict::Return,
        ["jump", c] => Verdict::Jump(c.to_string()),
        ["goto", c] => Verdict::Goto(c.to_string()),
        _ => return Err(syntax(format!("unexpected {}", w.join(" ")))),
    })
}

/// The elements to send for `elems` of a set of `shape`; `creating`: the
/// set is made by the same command (nft then sends the interval end at 0).
pub fn encode(shape: &Shape, elems: &[ElemWords], creating: bool) -> Result<Vec<ElemSpec>, String> {
    let single = shape.key_types.len() == 1;
    let interval = shape.flags & NFT_SET_INTERVAL != 0;
    let mut out = Vec::new();
    let mut ranges = Vec::new();
    for e in elems {
        if e.key.len() != shape.key_types.len() {
            return Err(format!(
                "datatype mismatch, expected {} fields, got {}",
                shape.key_types.len(),
                e.key.len()
            ));
        }
        let data = match (&e.data, shape.data_type) {
            (None, None) => None,
            (Some(d), Some(TYPE_VERDICT)) => Some(DataOrVerdict::Verdict(verdict(d)?)),
            (Some(d), Some(t)) => {
                let (b, r) = value(t, &d.join(" "))?;
                if r.is_some() {
                    return Err(format!("{} is not a single value", d.join(" ")));
                }
                Some(DataOrVerdict::Value(
                    Data::new(&b).ok_or_else(|| "value too long".to_string())?,
                ))
            }
            (None, Some(_)) => return Err(syntax("unexpected ',', expecting ':'")),
            (Some(_), None) => return Err(syntax("unexpected ':'")),
        };
        let mut key = Vec::new();
        let mut last = None;
        for (t, w) in shape.key_types.iter().zip(&e.key) {
            let (mut b, r) = value(*t, w)?;
            if r.is_some() && (!interval || !single) {
                return Err(format!("{w}: ranges need an interval set"));
            }
            last = r;
            if !single {
                b.resize(padded(type_len(*t).unwrap_or(0)) as usize, 0);
            }
            key.extend_from_slice(&b);
        }
        if interval && single && data.is_none() {
            let first = as_u128(&key);
            let end = last.as_deref().map_or(first, as_u128);
            ranges.push((first, end));
            continue;
        }
        let key = Data::new(&key).ok_or_else(|| "key too long".to_string())?;
        out.push(ElemSpec {
            key,
            key_end: None,
            flags: 0,
            data,
        });
    }
    if !ranges.is_empty() {
        let len = type_len(shape.key_types[0]).unwrap_or(4);
        out.extend(interval_elements(len, ranges, creating));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        super::super::words::tokens(s).unwrap()
    }

    #[test]
    fn element_blocks_split_as_nft_reads_them() {
        let w = words("{ 10.96.0.10 . 80 : jump svc1, 1.2.3.4 . 53 : accept }");
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let (e, used) = brace_elements(&w).unwrap();
        assert_eq!(used, w.len());
        assert_eq!(e[0].key, ["10.96.0.10", "80"]);
        assert_eq!(
            e[0].data.as_deref(),
            Some(&["jump".into(), "svc1".into()][..])
        );
        assert_eq!(e[1].key, ["1.2.3.4", "53"]);
        let w = words("{10.0.0.1,10.0.0.2}");
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        assert_eq!(brace_elements(&w).unwrap().0.len(), 2);
    }

    #[test]
    fn elements_encode_for_their_type() {
        let shape = Shape {
            key_types: vec![TYPE_IPADDR],
            data_type: None,
            flags: NFT_SET_INTERVAL,
        };
        let e = |k: &str| ElemWords {
            key: vec![k.into()],
            data: None,
        };
        // nft --debug=netlink: 0 end, 1.1.1.1, 1.1.1.2 end, 10.0.0.0, 11.0.0.0 end
        let got = encode(&shape, &[e("10.0.0.0/8"), e("1.1.1.1")], true).unwrap();
        let keys: Vec<(Vec<u8>, u32)> = got
            .iter()
            .map(|x| (x.key.as_bytes().to_vec(), x.flags))
            .collect();
        assert_eq!(
            keys,
            [
                (vec![0, 0, 0, 0], 1),
                (vec![1, 1, 1, 1], 0),
                (vec![1, 1, 1, 2], 1),
                (vec![10, 0, 0, 0], 0),
                (vec![11, 0, 0, 0], 1)
            ]
        );
        let svc = Shape {
            key_types: vec![TYPE_INET_SERVICE],
            data_type: None,
            flags: 0,
        };
        assert!(encode(&svc, &[e("1.2.3.4")], false)
            .unwrap_err()
            .starts_with("Could not resolve service"));
    }
}
