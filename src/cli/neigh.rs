//! `rawnet neighbour`: iproute2's `ip neigh` for add, change, replace, del,
//! get, show/list and flush.
//!
//! ```text
//! neigh {add|change|replace|del} {ADDR [lladdr LLADDR] [nud STATE] | proxy ADDR}
//!       [dev DEV] [router] [use] [managed] [extern_learn] [protocol PROTO]
//! neigh {show|flush} [proxy] [to PREFIX] [dev DEV] [nud STATE] [master DEV]
//!       [nomaster] [unused] [protocol PROTO]
//! neigh get {ADDR | proxy ADDR} dev DEV
//! ```
//!
//! Words are matched as iproute2 6.1 matches them (`a` add, `c` change, `r`
//! replace, `d` delete, `g` get, `s`/`l` show, `f` flush), with its defaults:
//! a new entry is `permanent` unless `nud` says otherwise; `show` leaves out
//! `noarp` and `none` entries, `flush` spares `permanent` and `noarp` ones.
//! Output (text and `-j`) is that of `ip neigh show`; exit codes are ip's: 255
//! for bad syntax, 1 for bad values and missing devices, 2 for the kernel's refusals.

use std::net::IpAddr;

use rawnet::netlink::Connection;
use rawnet::route::link::link_index;
use rawnet::route::neigh::*;
use rawnet::route::prefix::{family_of, Prefix};
use rawnet::Error;

use super::addr::addr_link::LinkNames;
use super::json::Json;
use super::route::names;
use super::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

	rawnet neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
				  [ master DEV ] [ nomaster ] [ unused ]
	rawnet neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }
";

/// Flush gives up after this many dump-and-delete rounds, as iproute2 does.
const MAX_ROUNDS: usize = 10;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return show_or_flush(ctx, a, false);
    };
    if matches(cmd, "add") {
        modify(ctx, a, Op::Add)
    } else if matches(cmd, "change") || cmd == "chg" {
        modify(ctx, a, Op::Change)
    } else if matches(cmd, "replace") {
        modify(ctx, a, Op::Replace)
    } else if matches(cmd, "delete") {
        modify(ctx, a, Op::Delete)
    } else if matches(cmd, "get") {
        get(ctx, a)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show_or_flush(ctx, a, false)
    } else if matches(cmd, "flush") {
        show_or_flush(ctx, a, true)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(CliError::usage(format!(
            "Command \"{cmd}\" is unknown, try \"rawnet neigh help\"."
        )))
    }
}

/// The usage text on stderr and exit 255, as iproute2's `usage()`.
fn usage() -> CliError {
    eprint!("{USAGE}");
    CliError::usage("")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Change,
    Replace,
    Delete,
}

fn invalid_arg(value: &str, what: &str) -> CliError {
    CliError::usage(format!("Error: argument \"{value}\" is wrong: {what}"))
}

fn duplicate(key: &str, value: &str) -> CliError {
    CliError::usage(format!(
        "Error: duplicate \"{key}\": \"{value}\" is the second value."
    ))
}

fn garbage(key: &str, value: &str) -> CliError {
    CliError::usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{value}\" is a garbage."
    ))
}

fn family_word(family: Option<u8>) -> &'static str {
    match family.map(i32::from) {
        Some(libc::AF_INET) => "inet",
        Some(libc::AF_INET6) => "inet6",
        _ => "any valid",
    }
}

/// An address of `family` (any when `None`), with iproute2's message (exit 1).
fn address(word: &str, family: Option<u8>) -> Result<IpAddr, CliError> {
    match word.parse::<IpAddr>() {
        Ok(a) if family.map_or(true, |f| f == family_of(&a)) => Ok(a),
        _ => Err(CliError::new(
            1,
            format!(
                "Error: {} address is expected rather than \"{word}\".",
                family_word(family)
            ),
        )),
    }
}

/// iproute2's `nud_state_a2n`: a state name, or a number that is 0 or one bit below 0x100.
fn nud_state(word: &str) -> Option<u16> {
    Some(if matches(word, "permanent") {
        NUD_PERMANENT
    } else if matches(word, "reachable") {
        NUD_REACHABLE
    } else if word == "noarp" {
        NUD_NOARP
    } else if word == "none" {
        NUD_NONE
    } else if word == "stale" {
        NUD_STALE
    } else if word == "incomplete" {
        NUD_INCOMPLETE
    } else if word == "delay" {
        NUD_DELAY
    } else if word == "probe" {
        NUD_PROBE
    } else if matches(word, "failed") {
        NUD_FAILED
    } else {
        let n = match word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
            Some(h) => u32::from_str_radix(h, 16).ok()?,
            None => word.parse::<u32>().ok()?,
        };
        if n >= 0x100 || n & n.wrapping_sub(1) != 0 {
            return None;
        }
        n as u16
    })
}

/// iproute2's `ll_addr_a2n`: hex bytes separated by ':', at most 20 of them.
/// The message names the part that is wrong, as iproute2's does.
fn lladdr(word: &str) -> Result<Vec<u8>, CliError> {
    let mut out = Vec::new();
    for part in word.split(':') {
        let ok = !part.is_empty() && part.len() <= 2 && out.len() < 20;
        match u8::from_str_radix(part, 16) {
            Ok(b) if ok => out.push(b),
            _ => return Err(CliError::new(1, format!("\"{part}\" is invalid lladdr."))),
        }
    }
    Ok(out)
}

/// A device name to its index; `Cannot find device "X"` (exit 1) when there is none.
fn device(conn: &mut Connection, name: &str) -> Result<u32, CliError> {
    link_index(conn, name).map_err(CliError::from)
}

fn modify(ctx: &Context, mut a: Args<'_>, op: Op) -> Result<i32, CliError> {
    let mut state = NUD_PERMANENT;
    let mut flags = 0u8;
    let mut flags_ext = 0u32;
    let mut protocol = None;
    let mut lla: Option<&str> = None;
    let mut dst: Option<IpAddr> = None;
    let mut dev: Option<&str> = None;
    let mut dev_ok = false;
    while let Some(w) = a.next() {
        if matches(w, "lladdr") {
            let v = a.value(w)?;
            if lla.is_some() {
                return Err(duplicate("lladdr", v));
            }
            lla = Some(v);
        } else if w == "nud" {
            let v = a.value(w)?;
            state = nud_state(v).ok_or_else(|| invalid_arg(v, "nud state is bad"))?;
        } else if matches(w, "proxy") {
            let v = a.value(w)?;
            if matches(v, "help") {
                return Err(usage());
            }
            if dst.is_some() {
                return Err(duplicate("address", v));
            }
            dst = Some(address(v, ctx.family)?);
            dev_ok = true;
            flags |= NTF_PROXY;
        } else if w == "router" {
            flags |= NTF_ROUTER;
        } else if w == "use" {
            flags |= NTF_USE;
        } else if w == "managed" {
            flags_ext |= NTF_EXT_MANAGED;
            state = NUD_NONE;
        } else if matches(w, "extern_learn") {
            flags |= NTF_EXT_LEARNED;
        } else if w == "dev" {
            dev = Some(a.value(w)?);
            dev_ok = true;
        } else if matches(w, "protocol") {
            let v = a.value(w)?;
            protocol = Some(
                names::protocol_number(v)
                    .ok_or_else(|| invalid_arg(v, "\"protocol\" value is invalid"))?,
            );
        } else {
            let mut w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                // iproute2 skips the word and reads the next one as the address.
                w = a.value(w)?;
            }
            if dst.is_some() {
                return Err(garbage("to", w));
            }
            dst = Some(address(w, ctx.family)?);
        }
    }
    let (Some(dst), true) = (dst, dev_ok) else {
        return Err(CliError::usage(
            "Device and destination are required arguments.",
        ));
    };
    let lladdr = match lla {
        Some(l) if l != "null" => Some(lladdr(l)?),
        _ => None,
    };
    let mut conn = ctx.rtnl()?;
    let index = match dev {
        Some(d) => device(&mut conn, d)?,
        None => 0,
    };
    let spec = NeighbourSpec {
        index,
        dst,
        lladdr,
        state,
        flags,
        flags_ext,
        protocol,
    };
    let result = match op {
        Op::Add => add_neighbour(&mut conn, &spec),
        Op::Change => change_neighbour(&mut conn, &spec),
        Op::Replace => replace_neighbour(&mut conn, &spec),
        Op::Delete => delete_neighbour(&mut conn, &spec),
    };
    result.map_err(CliError::from)?;
    Ok(0)
}

fn get(ctx: &Context, mut a: Args<'_>) -> Result<i32, CliError> {
    let mut dst = None;
    let mut dev = None;
    let mut proxy = false;
    while let Some(w) = a.next() {
        if w == "dev" {
            dev = Some(a.value(w)?);
        } else if matches(w, "proxy") {
            let v = a.value(w)?;
            if matches(v, "help") {
                return Err(usage());
            }
            if dst.is_some() {
                return Err(duplicate("address", v));
            }
            dst = Some(address(v, ctx.family)?);
            proxy = true;
        } else {
            let w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage());
            }
            if dst.is_some() {
                return Err(garbage("to", w));
            }
            dst = Some(address(w, ctx.family)?);
        }
    }
    let (Some(dst), true) = (dst, dev.is_some() || proxy) else {
        return Err(CliError::new(
            1,
            "Device and address are required arguments.",
        ));
    };
    let mut conn = ctx.rtnl()?;
    let index = match dev {
        Some(d) => device(&mut conn, d)?,
        None => 0,
    };
    let n = get_neighbour(&mut conn, index, &dst, proxy).map_err(CliError::from)?;
    // iproute2 6.1 prints `get` as text even under -j.
    let mut names = LinkNames::default();
    let filter = Filter::default();
    let out = entry_items(&mut conn, &mut names, &filter, &n).map_err(CliError::from)?;
    print!("{}", text_line(&out));
    Ok(0)
}

/// What `show` and `flush` select (iproute2's `filter`).
#[derive(Default)]
struct Filter {
    family: u8,
    /// 0: every device (and then `dev` is printed).
    index: u32,
    master: u32,
    /// `NUD_*` bits to keep; 0x100 stands for `NUD_NONE`.
    state: u32,
    unused_only: bool,
    proxy: bool,
    protocol: u8,
    prefix: Option<Prefix>,
}

impl Filter {
    fn keeps(&self, n: &NeighbourInfo) -> bool {
        if self.family != 0 && self.family != n.family {
            return false;
        }
        if self.index != 0 && self.index != n.index {
            return false;
        }
        let state = u32::from(n.state);
        if self.state & state == 0
            && n.flags & (NTF_PROXY | NTF_EXT_LEARNED) == 0
            && (state != 0 || self.state & 0x100 == 0)
        {
            return false;
        }
        if let (Some(p), Some(d)) = (&self.prefix, &n.dst) {
            let inside = family_of(d) == p.family()
                && Prefix {
                    addr: *d,
                    len: p.len,
                }
                .network()
                    == p.network();
            if !inside {
                return false;
            }
        }
        if self.protocol != 0 && self.protocol != n.protocol.unwrap_or(0) {
            return false;
        }
        if self.unused_only && n.cacheinfo.is_some_and(|c| c.ndm_refcnt != 0) {
            return false;
        }
        true
    }
}

fn show_or_flush(ctx: &Context, mut a: Args<'_>, flush: bool) -> Result<i32, CliError> {
    let mut f = Filter {
        family: ctx.family.unwrap_or(0),
        ..Filter::default()
    };
    if flush {
        if a.is_empty() {
            return Err(CliError::new(1, "Flush requires arguments."));
        }
        f.state = !u32::from(NUD_PERMANENT | NUD_NOARP);
    } else {
        f.state = 0xff & !u32::from(NUD_NOARP);
    }
    let mut dev = None;
    let mut master = None;
    let mut state_given = false;
    while let Some(w) = a.next() {
        if w == "dev" {
            let v = a.value(w)?;
            if dev.is_some() {
                return Err(duplicate("dev", v));
            }
            dev = Some(v);
        } else if w == "master" {
            master = Some(a.value(w)?);
        } else if w == "nomaster" {
            f.master = u32::MAX; // the kernel's "no master" (-1)
        } else if w == "unused" {
            f.unused_only = true;
        } else if w == "nud" {
            let v = a.value(w)?;
            if !state_given {
                state_given = true;
                f.state = 0;
            }
            let mut s = match nud_state(v) {
                Some(s) => u32::from(s),
                None if v == "all" => {
                    if flush {
                        !u32::from(NUD_NOARP)
                    } else {
                        !0
                    }
                }
                None => return Err(invalid_arg(v, "nud state is bad")),
            };
            if s == 0 {
                s = 0x100;
            }
            f.state |= s;
        } else if w == "proxy" {
            f.proxy = true;
        } else if matches(w, "protocol") {
            let v = a.value(w)?;
            f.protocol = match names::protocol_number(v) {
                Some(p) => p,
                None if v == "all" => 0,
                None => return Err(invalid_arg(v, "invalid \"protocol\"")),
            };
        } else {
            let w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage());
            }
            let p = Prefix::parse(w)
                .ok()
                .filter(|p| f.family == 0 || p.family() == f.family);
            let Some(p) = p else {
                return Err(CliError::new(
                    1,
                    format!(
                        "Error: {} prefix is expected rather than \"{w}\".",
                        family_word(Some(f.family).filter(|&f| f != 0))
                    ),
                ));
            };
            if f.family == 0 {
                f.family = p.family();
            }
            f.prefix = Some(p);
        }
    }
    let mut conn = ctx.rtnl()?;
    if let Some(m) = master {
        f.master = link_index(&mut conn, m).map_err(|_| invalid_arg(m, "Device does not exist"))?;
    }
    if let Some(d) = dev {
        f.index = device(&mut conn, d)?;
    }
    if flush {
        return flush_rounds(&mut conn, &mut f);
    }
    let entries = dump(&mut conn, &f).map_err(CliError::from)?;
    let out = render(ctx, &mut conn, &f, &entries).map_err(CliError::from)?;
    print!("{out}");
    Ok(0)
}

fn dump(conn: &mut Connection, f: &Filter) -> Result<Vec<NeighbourInfo>, Error> {
    let request = dump_neighbours_request(f.family, f.index, f.master, f.proxy)?;
    let all = conn.dump_collect(request, |msg| {
        if msg.message_type() != RTM_NEWNEIGH {
            return Ok(None);
        }
        Ok(Some(Neighbour::parse(&msg)?.to_owned()))
    })?;
    Ok(all.into_iter().filter(|n| f.keeps(n)).collect())
}

/// iproute2's flush: dump, delete what the filter keeps, again until nothing
/// is left (at most [`MAX_ROUNDS`]); after the first round failed entries are spared.
fn flush_rounds(conn: &mut Connection, f: &mut Filter) -> Result<i32, CliError> {
    for _ in 0..MAX_ROUNDS {
        let entries = dump(conn, f).map_err(CliError::from)?;
        if entries.is_empty() {
            return Ok(0);
        }
        let requests = entries
            .iter()
            .map(delete_existing_neighbour_request)
            .collect::<Result<Vec<_>, _>>()
            .map_err(CliError::from)?;
        for outcome in conn.execute_batch(requests).map_err(CliError::from)? {
            match outcome {
                Ok(()) => {}
                Err(Error::Kernel(k)) if k.errno == libc::ENOENT => {}
                Err(e) => return Err(CliError::from(e)),
            }
        }
        f.state &= !u32::from(NUD_FAILED);
    }
    println!("*** Flush not complete bailing out after {MAX_ROUNDS} rounds");
    Ok(1)
}

/// One printable element of an entry.
enum Item {
    /// JSON key, text (with its spacing), value.
    Str(&'static str, String, String),
    /// A flag: JSON `"key": null`, text `key `.
    Flag(&'static str),
    State(Vec<&'static str>),
}

const NUD_NAMES: &[(u16, &str)] = &[
    (NUD_INCOMPLETE, "INCOMPLETE"),
    (NUD_REACHABLE, "REACHABLE"),
    (NUD_STALE, "STALE"),
    (NUD_DELAY, "DELAY"),
    (NUD_PROBE, "PROBE"),
    (NUD_FAILED, "FAILED"),
    (NUD_NOARP, "NOARP"),
    (NUD_PERMANENT, "PERMANENT"),
];

/// A link-layer address as iproute2's `ll_addr_n2a` prints an Ethernet one.
pub(super) fn lladdr_text(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn entry_items(
    conn: &mut Connection,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourInfo,
) -> Result<Vec<Item>, Error> {
    let mut v = Vec::new();
    if let Some(d) = n.dst {
        v.push(Item::Str("dst", format!("{d} "), d.to_string()));
    }
    if f.index == 0 && n.index != 0 {
        let name = names.name(conn, n.index)?;
        v.push(Item::Str("dev", format!("dev {name} "), name));
    }
    if let Some(l) = &n.lladdr {
        let t = lladdr_text(l);
        v.push(Item::Str("lladdr", format!("lladdr {t} "), t));
    }
    if n.flags & NTF_ROUTER != 0 {
        v.push(Item::Flag("router"));
    }
    if n.flags & NTF_PROXY != 0 {
        v.push(Item::Flag("proxy"));
    }
    if n.flags_ext.unwrap_or(0) & NTF_EXT_MANAGED != 0 {
        v.push(Item::Flag("managed"));
    }
    if n.flags & NTF_EXT_LEARNED != 0 {
        v.push(Item::Flag("extern_learn"));
    }
    if n.flags & NTF_OFFLOADED != 0 {
        v.push(Item::Flag("offload"));
    }
    if n.state != 0 {
        v.push(Item::State(
            NUD_NAMES
                .iter()
                .filter(|(b, _)| n.state & b != 0)
                .map(|(_, s)| *s)
                .collect(),
        ));
    }
    if let Some(p) = n.protocol.filter(|&p| p != 0) {
        let name = names::protocol_name(p);
        v.push(Item::Str("protocol", format!("proto {name} "), name));
    }
    Ok(v)
}

fn text_line(items: &[Item]) -> String {
    let mut s = String::new();
    for i in items {
        match i {
            Item::Str(_, t, _) => s.push_str(t),
            Item::Flag(k) => {
                s.push_str(k);
                s.push(' ');
            }
            Item::State(states) => {
                for st in states {
                    s.push_str(st);
                    s.push(' ');
                }
            }
        }
    }
    s.push('\n');
    s
}

fn json_object(j: &mut Json, items: &[Item]) {
    j.begin_object();
    for i in items {
        match i {
            Item::Str(k, _, v) => j.str(k, v),
            // `num` writes its value as is: iproute2's print_null gives `"key":null`.
            Item::Flag(k) => j.num(k, "null"),
            Item::State(states) => {
                j.key_array("state");
                for st in states {
                    j.elem_str(st);
                }
                j.end_array();
            }
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
    if f.index == 0 {
        names.resolve(conn, entries.iter().map(|n| n.index).filter(|&i| i != 0))?;
    }
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

    fn entry(state: u16, flags: u8, lladdr: Option<Vec<u8>>) -> NeighbourInfo {
        NeighbourInfo {
            family: libc::AF_INET as u8,
            index: 3,
            state,
            flags,
            dst: Some(IpAddr::from([10, 0, 0, 2])),
            lladdr,
            ..NeighbourInfo::default()
        }
    }

    #[test]
    fn nud_words_and_numbers() {
        assert_eq!(nud_state("perm"), Some(NUD_PERMANENT));
        assert_eq!(nud_state("reach"), Some(NUD_REACHABLE));
        assert_eq!(nud_state("noarp"), Some(NUD_NOARP));
        assert_eq!(nud_state("noar"), None);
        assert_eq!(nud_state("none"), Some(NUD_NONE));
        assert_eq!(nud_state("0x40"), Some(NUD_NOARP));
        assert_eq!(nud_state("3"), None);
        assert_eq!(nud_state("256"), None);
        assert_eq!(nud_state("bogus"), None);
    }

    #[test]
    fn lladdr_parts_are_checked() {
        assert_eq!(lladdr("02:00:0a:ff:0:1").unwrap(), [2, 0, 10, 255, 0, 1]);
        assert_eq!(
            lladdr("zz:00").unwrap_err().message,
            "\"zz\" is invalid lladdr."
        );
        assert!(lladdr("02::01").is_err());
        assert!(lladdr("123").is_err());
        assert!(lladdr(&vec!["01"; 21].join(":")).is_err());
        assert_eq!(lladdr_text(&[2, 0, 0, 0, 0, 0x0a]), "02:00:00:00:00:0a");
    }

    #[test]
    fn show_filter_is_iproute2s() {
        let f = Filter {
            state: 0xff & !u32::from(NUD_NOARP),
            ..Filter::default()
        };
        assert!(f.keeps(&entry(NUD_PERMANENT, 0, None)));
        assert!(f.keeps(&entry(NUD_STALE, NTF_ROUTER, None)));
        assert!(!f.keeps(&entry(NUD_NOARP, 0, None)));
        assert!(!f.keeps(&entry(NUD_NONE, 0, None)));
        assert!(f.keeps(&entry(NUD_NONE, NTF_PROXY, None)));
        let to = Filter {
            state: !0,
            prefix: Some(Prefix::parse("10.0.0.0/30").unwrap()),
            ..Filter::default()
        };
        assert!(to.keeps(&entry(NUD_PERMANENT, 0, None)));
        let other = Filter {
            prefix: Some(Prefix::parse("10.0.1.0/24").unwrap()),
            ..to
        };
        assert!(!other.keeps(&entry(NUD_PERMANENT, 0, None)));
    }

    #[test]
    fn text_and_json_layout() {
        let items = vec![
            Item::Str("dst", "10.0.0.3 ".into(), "10.0.0.3".into()),
            Item::Str("dev", "dev veth0 ".into(), "veth0".into()),
            Item::Str(
                "lladdr",
                "lladdr 02:00:00:00:00:03 ".into(),
                "02:00:00:00:00:03".into(),
            ),
            Item::Flag("router"),
            Item::State(vec!["STALE"]),
        ];
        assert_eq!(
            text_line(&items),
            "10.0.0.3 dev veth0 lladdr 02:00:00:00:00:03 router STALE \n"
        );
        let mut j = Json::new(false);
        j.begin_array();
        json_object(&mut j, &items);
        j.end_array();
        assert_eq!(
            j.finish(),
            "[{\"dst\":\"10.0.0.3\",\"dev\":\"veth0\",\"lladdr\":\"02:00:00:00:00:03\",\
             \"router\":null,\"state\":[\"STALE\"]}]\n"
        );
    }
}
