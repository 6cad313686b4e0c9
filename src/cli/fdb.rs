//! `rawnet fdb`: iproute2's `bridge fdb` for add, append, del, replace and
//! show/list.
//!
//! ```text
//! fdb {add|append|del|replace} MAC dev DEV [self] [master] [use] [router]
//!     [extern_learn] [sticky] [local|permanent|static|dynamic] [vlan VID]
//!     {[dst IPADDR] [port PORT] [vni VNI] | [nhid NHID]} [via DEV] [src_vni VNI]
//! fdb [show [br BRDEV] [brport|dev DEV] [vlan VID] [state STATE] [dynamic]]
//! ```
//!
//! Defaults are `bridge fdb`'s: `self` when neither `self` nor `master` is
//! given, `permanent` unless `static` or `dynamic` is. Output (text and `-j`)
//! is that of `bridge fdb show`. `bridge` exits 255 on every failure, the
//! kernel's refusals included, except for a malformed `dst` address (1).

use rawnet::netlink::Connection;
use rawnet::route::fdb::*;
use rawnet::route::link::link_index;
use rawnet::route::neigh::*;
use rawnet::route::prefix::family_of;
use rawnet::Error;

use super::addr::addr_link::LinkNames;
use super::json::Json;
use super::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       rawnet fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
";

/// `bridge` turns every failure into `exit(-1)`.
const EXIT: i32 = 255;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return show(ctx, a);
    };
    if matches(cmd, "add") {
        modify(ctx, a, Op::Add)
    } else if matches(cmd, "append") {
        modify(ctx, a, Op::Append)
    } else if matches(cmd, "replace") {
        modify(ctx, a, Op::Replace)
    } else if matches(cmd, "delete") {
        modify(ctx, a, Op::Delete)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show(ctx, a)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(CliError::usage(format!(
            "Command \"{cmd}\" is unknown, try \"rawnet fdb help\"."
        )))
    }
}

fn usage() -> CliError {
    eprint!("{USAGE}");
    CliError::usage("")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Append,
    Replace,
    Delete,
}

fn invalid_arg(value: &str, what: &str) -> CliError {
    CliError::usage(format!("Error: argument \"{value}\" is wrong: {what}"))
}

fn garbage(key: &str, value: &str) -> CliError {
    CliError::usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{value}\" is a garbage."
    ))
}

/// A library error, printed as iproute2 prints it, with `bridge`'s exit code.
fn failed(e: Error) -> CliError {
    CliError {
        code: EXIT,
        ..CliError::from(e)
    }
}

/// An unsigned number as `strtoul(s, &end, 0)` reads it when it must use the
/// whole word: decimal, `0x` hex or `0` octal.
fn c_number(word: &str) -> Option<u64> {
    if let Some(h) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if word.len() > 1 && word.starts_with('0') {
        u64::from_str_radix(&word[1..], 8).ok()
    } else if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        word.parse().ok()
    } else {
        None
    }
}

/// A 24-bit VNI, or iproute2's message.
fn vni(word: &str, what: &str) -> Result<u32, CliError> {
    c_number(word)
        .filter(|&v| v < 1 << 24)
        .map(|v| v as u32)
        .ok_or_else(|| invalid_arg(word, what))
}

/// Six hex bytes separated by ':' (`bridge fdb`'s `%hhx:...` scan, without
/// its leniency), or `Invalid mac address X`.
fn mac(word: &str) -> Result<Mac, CliError> {
    let bad = || CliError::usage(format!("Invalid mac address {word}"));
    let mut out = [0u8; 6];
    let mut parts = word.split(':');
    for b in out.iter_mut() {
        let p = parts.next().ok_or_else(bad)?;
        if p.is_empty() || p.len() > 2 {
            return Err(bad());
        }
        *b = u8::from_str_radix(p, 16).map_err(|_| bad())?;
    }
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok(out)
}

fn device(conn: &mut Connection, name: &str) -> Result<u32, CliError> {
    link_index(conn, name).map_err(failed)
}

fn modify(ctx: &Context, mut a: Args<'_>, op: Op) -> Result<i32, CliError> {
    let mut flags = 0u8;
    let mut state = NUD_NOARP;
    let mut addr = None;
    let mut dev = None;
    let mut via = None;
    let mut spec = FdbSpec::new(0, [0; 6]);
    while let Some(w) = a.next() {
        if w == "dev" {
            dev = Some(a.value(w)?);
        } else if w == "dst" {
            let v = a.value(w)?;
            if spec.dst.is_some() {
                return Err(garbage("dst", v));
            }
            let family = ctx.family;
            let d = v
                .parse()
                .ok()
                .filter(|d| family.map_or(true, |f| f == family_of(d)));
            let Some(d) = d else {
                return Err(CliError::new(
                    1,
                    format!(
                        "Error: {} address is expected rather than \"{v}\".",
                        match family.map(i32::from) {
                            Some(libc::AF_INET) => "inet",
                            Some(libc::AF_INET6) => "inet6",
                            _ => "any valid",
                        }
                    ),
                ));
            };
            spec.dst = Some(d);
        } else if w == "nhid" {
            let v = a.value(w)?;
            let n = c_number(v)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| invalid_arg(v, "\"id\" value is invalid"))?;
            spec.nh_id = Some(n).filter(|&n| n != 0);
        } else if w == "port" {
            let v = a.value(w)?;
            let p = c_number(v)
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| invalid_arg(v, "invalid port"))?;
            spec.port = Some(p).filter(|&p| p != 0);
        } else if w == "vni" {
            spec.vni = Some(vni(a.value(w)?, "invalid VNI")?);
        } else if w == "src_vni" {
            spec.src_vni = Some(vni(a.value(w)?, "invalid src VNI")?);
        } else if w == "via" {
            via = Some(a.value(w)?);
        } else if w == "self" {
            flags |= NTF_SELF;
        } else if matches(w, "master") {
            flags |= NTF_MASTER;
        } else if matches(w, "router") {
            flags |= NTF_ROUTER;
        } else if matches(w, "local") || matches(w, "permanent") {
            state |= NUD_PERMANENT;
        } else if matches(w, "temp") || matches(w, "static") {
            state |= NUD_REACHABLE;
        } else if matches(w, "dynamic") {
            state |= NUD_REACHABLE;
            state &= !NUD_NOARP;
        } else if matches(w, "vlan") {
            if spec.vlan.is_some() {
                return Err(garbage("vlan", w));
            }
            let v = a.value(w)?;
            let id = c_number(v)
                .and_then(|id| u16::try_from(id).ok())
                .ok_or_else(|| invalid_arg(v, "invalid VLAN id"))?;
            spec.vlan = Some(id);
        } else if matches(w, "use") {
            flags |= NTF_USE;
        } else if matches(w, "extern_learn") {
            flags |= NTF_EXT_LEARNED;
        } else if matches(w, "sticky") {
            flags |= NTF_STICKY;
        } else {
            let w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage());
            }
            if addr.is_some() {
                return Err(garbage("to", w));
            }
            addr = Some(w);
        }
    }
    let (Some(dev), Some(addr)) = (dev, addr) else {
        return Err(CliError::usage(
            "Device and address are required arguments.",
        ));
    };
    if spec.nh_id.is_some() && (spec.dst.is_some() || spec.port.is_some() || spec.vni.is_some()) {
        return Err(CliError::usage(
            "dst, port, vni are mutually exclusive with nhid",
        ));
    }
    if flags & (NTF_SELF | NTF_MASTER) == 0 {
        flags |= NTF_SELF;
    }
    if state & (NUD_PERMANENT | NUD_REACHABLE) == 0 {
        state |= NUD_PERMANENT;
    }
    spec.mac = mac(addr)?;
    spec.flags = flags;
    spec.state = state;
    let mut conn = ctx.rtnl().map_err(|e| CliError { code: EXIT, ..e })?;
    if let Some(v) = via {
        spec.via = Some(device(&mut conn, v)?);
    }
    spec.index = device(&mut conn, dev)?;
    let result = match op {
        Op::Add => add_fdb(&mut conn, &spec),
        Op::Append => append_fdb(&mut conn, &spec),
        Op::Replace => replace_fdb(&mut conn, &spec),
        Op::Delete => delete_fdb(&mut conn, &spec),
    };
    result.map_err(failed)?;
    Ok(0)
}

/// iproute2's `state_a2n` for `show state STATE`.
fn state_filter(word: &str) -> Option<u32> {
    Some(if matches(word, "permanent") {
        u32::from(NUD_PERMANENT)
    } else if matches(word, "static") || matches(word, "temp") {
        u32::from(NUD_NOARP)
    } else if matches(word, "stale") {
        u32::from(NUD_STALE)
    } else if matches(word, "reachable") || matches(word, "dynamic") {
        u32::from(NUD_REACHABLE)
    } else if word == "all" {
        !0
    } else {
        u32::try_from(c_number(word)?).ok()?
    })
}

/// What `show` selects.
#[derive(Default)]
struct Filter {
    /// 0: every device (and then `dev` is printed).
    index: u32,
    state: u32,
    vlan: u16,
    dynamic: bool,
}

impl Filter {
    fn keeps(&self, n: &NeighbourInfo) -> bool {
        n.family == AF_BRIDGE
            && (self.index == 0 || self.index == n.index)
            && (self.state == 0 || u32::from(n.state) & self.state != 0)
            && (self.vlan == 0 || self.vlan == n.vlan.unwrap_or(0))
            && !(self.dynamic && n.state & NUD_PERMANENT != 0)
    }
}

fn show(ctx: &Context, mut a: Args<'_>) -> Result<i32, CliError> {
    let mut f = Filter::default();
    let mut dev = None;
    let mut br = None;
    while let Some(w) = a.next() {
        if w == "brport" || w == "dev" {
            dev = Some(a.value(w)?);
        } else if w == "br" {
            br = Some(a.value(w)?);
        } else if w == "vlan" {
            let v = a.value(w)?;
            if f.vlan != 0 {
                return Err(CliError::usage(format!(
                    "Error: duplicate \"vlan\": \"{v}\" is the second value."
                )));
            }
            f.vlan = c_number(v)
                .and_then(|id| u16::try_from(id).ok())
                .ok_or_else(|| invalid_arg(v, "invalid VLAN id"))?;
        } else if w == "state" {
            let v = a.value(w)?;
            f.state |= state_filter(v).ok_or_else(|| invalid_arg(v, "invalid state"))?;
        } else if w == "dynamic" {
            f.dynamic = true;
        } else if matches(w, "help") {
            return Err(usage());
        }
        // Other words are ignored, as `bridge fdb show` ignores them.
    }
    let mut conn = ctx.rtnl().map_err(|e| CliError { code: EXIT, ..e })?;
    let master = match br {
        Some(b) => Some(
            link_index(&mut conn, b)
                .map_err(|_| CliError::usage(format!("Cannot find bridge device \"{b}\"")))?,
        ),
        None => None,
    };
    if let Some(d) = dev {
        f.index = device(&mut conn, d)?;
    }
    let index = Some(f.index).filter(|&i| i != 0);
    let entries = dump_fdb(&mut conn, index, master).map_err(failed)?;
    let entries: Vec<_> = entries.into_iter().filter(|n| f.keeps(n)).collect();
    let out = render(ctx, &mut conn, &f, &entries).map_err(failed)?;
    print!("{out}");
    Ok(0)
}

/// One printable element of an entry.
enum Item {
    /// JSON key, text (with its spacing), value.
    Str(&'static str, String, String),
    Num(&'static str, String, u64),
    Flags(Vec<&'static str>),
    /// `state`: text is the word and the newline, JSON the word (may be "").
    State(String, String),
}

const FLAG_WORDS: &[(u8, &str)] = &[
    (NTF_SELF, "self"),
    (NTF_ROUTER, "router"),
    (NTF_EXT_LEARNED, "extern_learn"),
    (NTF_OFFLOADED, "offload"),
    (NTF_MASTER, "master"),
    (NTF_STICKY, "sticky"),
];

/// iproute2's `state_n2a`: the text and the JSON word.
fn state_words(s: u16) -> (String, String) {
    let word = if s & NUD_PERMANENT != 0 {
        "permanent"
    } else if s & NUD_NOARP != 0 {
        "static"
    } else if s & NUD_STALE != 0 {
        "stale"
    } else if s & NUD_REACHABLE != 0 {
        ""
    } else {
        // C's "%#x" prints 0 without the 0x.
        let hex = if s == 0 {
            "0".into()
        } else {
            format!("{s:#x}")
        };
        return (format!("state={hex}"), hex);
    };
    (word.into(), word.into())
}

fn entry_items(
    conn: &mut Connection,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourInfo,
) -> Result<Vec<Item>, Error> {
    let mut v = Vec::new();
    if let Some(l) = &n.lladdr {
        let t = super::neigh::lladdr_text(l);
        v.push(Item::Str("mac", format!("{t} "), t));
    }
    if f.index == 0 && n.index != 0 {
        let name = names.name(conn, n.index)?;
        v.push(Item::Str("ifname", format!("dev {name} "), name));
    }
    if let Some(d) = n.dst {
        v.push(Item::Str("dst", format!("dst {d} "), d.to_string()));
    }
    if let Some(id) = n.vlan.filter(|&id| id != 0) {
        v.push(Item::Num("vlan", format!("vlan {id} "), u64::from(id)));
    }
    if let Some(p) = n.port {
        v.push(Item::Num("port", format!("port {p} "), u64::from(p)));
    }
    if let Some(x) = n.vni {
        v.push(Item::Num("vni", format!("vni {x} "), u64::from(x)));
    }
    if let Some(x) = n.src_vni {
        v.push(Item::Num("src_vni", format!("src_vni {x} "), u64::from(x)));
    }
    if let Some(i) = n.via_index {
        if n.link_netnsid.is_some() {
            v.push(Item::Num(
                "viaIfIndex",
                format!("via ifindex {i} "),
                u64::from(i),
            ));
        } else {
            let name = names.name(conn, i)?;
            v.push(Item::Str("viaIf", format!("via {name} "), name));
        }
    }
    if let Some(x) = n.nh_id {
        v.push(Item::Num("nhid", format!("nhid {x} "), u64::from(x)));
    }
    if let Some(x) = n.link_netnsid {
        // Text `%d`, JSON the u32 the attribute holds.
        v.push(Item::Num(
            "linkNetNsId",
            format!("link-netnsid {x} "),
            u64::from(x as u32),
        ));
    }
    v.push(Item::Flags(
        FLAG_WORDS
            .iter()
            .filter(|(b, _)| n.flags & b != 0)
            .map(|(_, w)| *w)
            .collect(),
    ));
    if let Some(m) = n.master {
        let name = names.name(conn, m)?;
        v.push(Item::Str("master", format!("master {name} "), name));
    }
    let (text, json) = state_words(n.state);
    v.push(Item::State(text, json));
    Ok(v)
}

fn text_line(items: &[Item]) -> String {
    let mut s = String::new();
    for i in items {
        match i {
            Item::Str(_, t, _) | Item::Num(_, t, _) => s.push_str(t),
            Item::Flags(words) => {
                for w in words {
                    s.push_str(w);
                    s.push(' ');
                }
            }
            Item::State(t, _) => {
                s.push_str(t);
                s.push('\n');
            }
        }
    }
    s
}

fn json_object(j: &mut Json, items: &[Item]) {
    j.begin_object();
    for i in items {
        match i {
            Item::Str(k, _, v) => j.str(k, v),
            Item::Num(k, _, v) => j.num(k, v),
            Item::Flags(words) => {
                j.key_array("flags");
                for w in words {
                    j.elem_str(w);
                }
                j.end_array();
            }
            Item::State(_, v) => j.str("state", v),
        }
    }
    j.end_object();
}

fn render(
    ctx: &Context,
    conn: &mut Connection,
    f: &Filter,
    entries: &[NeighbourInfo],
) -> Result<String, Error> {
    let mut names = LinkNames::default();
    names.resolve(
        conn,
        entries
            .iter()
            .flat_map(|n| [Some(n.index), n.master, n.via_index])
            .flatten()
            .filter(|&i| i != 0),
    )?;
    let mut all = Vec::with_capacity(entries.len());
    for n in entries {
        all.push(entry_items(conn, &mut names, f, n)?);
    }
    if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for i in &all {
            json_object(&mut j, i);
        }
        j.end_array();
        Ok(j.finish())
    } else {
        Ok(all.iter().map(|i| text_line(i)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_are_six_hex_bytes() {
        assert_eq!(mac("02:00:00:00:00:0a").unwrap(), [2, 0, 0, 0, 0, 10]);
        assert_eq!(mac("2:0:0:0:0:1").unwrap(), [2, 0, 0, 0, 0, 1]);
        for bad in [
            "zz:00:00:00:00:01",
            "02:00:00:00:00",
            "02:00:00:00:00:01:02",
            "",
            "123:0:0:0:0:0",
        ] {
            assert_eq!(
                mac(bad).unwrap_err().message,
                format!("Invalid mac address {bad}")
            );
        }
    }

    #[test]
    fn numbers_as_strtoul_reads_them() {
        assert_eq!(c_number("4789"), Some(4789));
        assert_eq!(c_number("0x2a"), Some(42));
        assert_eq!(c_number("010"), Some(8));
        assert_eq!(c_number("0"), Some(0));
        assert_eq!(c_number("12a"), None);
        assert!(vni("16777216", "invalid VNI").is_err());
        assert_eq!(vni("16777215", "invalid VNI").unwrap(), 0xff_ffff);
    }

    #[test]
    fn states_print_as_bridge_prints_them() {
        assert_eq!(state_words(NUD_NOARP | NUD_PERMANENT).0, "permanent");
        assert_eq!(state_words(NUD_NOARP).0, "static");
        assert_eq!(state_words(NUD_REACHABLE).0, "");
        assert_eq!(state_words(0), ("state=0".into(), "0".into()));
        assert_eq!(state_words(0x20), ("state=0x20".into(), "0x20".into()));
    }

    #[test]
    fn text_line_layout() {
        let items = vec![
            Item::Str("mac", "02:00:00:00:00:0c ".into(), "".into()),
            Item::Str("ifname", "dev veth2 ".into(), "".into()),
            Item::Flags(vec![]),
            Item::Str("master", "master br0 ".into(), "".into()),
            Item::State("static".into(), "static".into()),
        ];
        assert_eq!(
            text_line(&items),
            "02:00:00:00:00:0c dev veth2 master br0 static\n"
        );
    }
}
