//! `list ruleset|tables|table|chains|chain` printed as nft 1.0.6 prints them:
//! text (with `-a`, `# handle N`) and `-j` (nft's JSON, with its `metainfo`).
//!
//! Tables are dumped first (names only, owned: they are few), then the chain
//! dump is streamed: each chain is printed as it arrives, under its table,
//! and the tables without chains in between are printed empty. Rules come
//! from a rule dump on a second connection, walked in step with the chain
//! dump (a cursor; the kernel dumps rules in the chain dump's order, table
//! by table, chain by chain): in text each chain's rules under it, in JSON
//! (as nft does) all rules of a table after its chains.
//!
//! Memory does not grow with the number of chains or rules: output is
//! written out whenever 64 KiB are pending (also between the rules of one
//! chain), and a rule's text is built and dropped. What is held: the
//! tables' names, and the sets (with their elements) of the one table being
//! printed, which its rules need to show anonymous sets inline.

use rawnet::netlink::connection::DumpCursor;
use rawnet::netlink::socket::NetlinkSocket;
use rawnet::netlink::Connection;
use rawnet::nft::chain::{hook_name, policy_name, priority_text};
use rawnet::nft::expr::text::{rule_text_with_sets, SetContents};
use rawnet::nft::family::family_name;
use rawnet::nft::rule::{dump_rules_request, Rule};
use rawnet::nft::set::elem::for_each_element;
use rawnet::nft::set::text::set_text;
use rawnet::nft::set::{for_each_set, Set, SetElem};
use rawnet::nft::{for_each_chain, for_each_table, Chain, Family};

use crate::cli::output::{print, push_string};
use crate::cli::CliError;

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Ruleset,
    Tables,
    Chains,
    Table(&'a str),
    Chain(&'a str, &'a str),
}

/// How to print.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub handles: bool,
    pub json: bool,
}

pub struct TableInfo {
    family: u8,
    name: String,
    handle: Option<u64>,
    flags: u32,
}

/// Output written in large pieces. A write that fails inside a dump's
/// callback is kept in `failed` (the callback can only return a library
/// error) and becomes the command's error, so a closed pipe stays quiet.
struct Sink {
    buf: String,
    failed: Option<CliError>,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            buf: String::with_capacity(4096),
            failed: None,
        }
    }

    /// Write out what is pending once it reaches 64 KiB.
    fn flush_if_full(&mut self) -> Result<(), rawnet::Error> {
        if self.buf.len() < 64 << 10 {
            return Ok(());
        }
        if let Err(e) = print(&self.buf) {
            let text = e.message.clone();
            self.failed = Some(e);
            return Err(rawnet::Error::Unexpected(text));
        }
        self.buf.clear();
        Ok(())
    }

    /// The command's error for `e`: the failed write, if that was it.
    fn error(&mut self, e: rawnet::Error) -> CliError {
        self.failed.take().unwrap_or_else(|| CliError::from(e))
    }
}

/// A missing table or chain, in nft's words.
pub struct Missing;

/// The rule dump in progress, read as the chains are printed.
type Rules<'c> = Option<DumpCursor<'c, NetlinkSocket>>;

/// List `scope` of `family` (all: `None`). `Err(Ok(Missing))` when the
/// table or chain named does not exist. `rules_conn` (a second connection
/// of the same namespace) carries the rule dump; without it no rules show.
pub fn list(
    conn: &mut Connection,
    rules_conn: Option<&mut Connection>,
    mut sets_conn: Option<&mut Connection>,
    family: Option<Family>,
    scope: Scope<'_>,
    style: Style,
) -> Result<Result<(), Missing>, CliError> {
    let mut tables = Vec::new();
    for_each_table(conn, family, |t| {
        let keep = match scope {
            Scope::Table(n) | Scope::Chain(n, _) => t.name == n,
            _ => true,
        };
        if keep {
            tables.push(TableInfo {
                family: t.family,
                name: t.name.to_string(),
                handle: t.handle,
                flags: t.flags,
            });
        }
        Ok(())
    })?;
    if matches!(scope, Scope::Table(_) | Scope::Chain(..)) && tables.is_empty() {
        return Ok(Err(Missing));
    }
    // nft shows table handles and JSON table objects only where tables are listed.
    let chains_only = matches!(scope, Scope::Chains | Scope::Chain(..));
    let table_style = Style {
        handles: style.handles && matches!(scope, Scope::Ruleset | Scope::Table(_)),
        json: style.json,
    };
    let mut out = Sink::new();
    if style.json {
        out.buf.push_str("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"release_name\": \"Lester Gooch #5\", \"json_schema_version\": 1}}");
    }
    if scope == Scope::Tables {
        for t in &tables {
            table_line(&mut out.buf, t, table_style);
        }
        finish(&mut out, style)?;
        return Ok(Ok(()));
    }
    let mut rules: Rules<'_> = match (rules_conn, scope) {
        (Some(rc), Scope::Ruleset | Scope::Table(_) | Scope::Chain(..)) => {
            let (table, chain) = match scope {
                Scope::Table(t) => (Some(t), None),
                Scope::Chain(t, c) => (Some(t), Some(c)),
                _ => (None, None),
            };
            let fam = family.map_or(0, Family::nfproto);
            Some(rc.dump_cursor(dump_rules_request(fam, table, chain)?)?)
        }
        _ => None,
    };
    // Walk the chain dump; `next` is the first table not yet opened.
    let mut next = 0;
    let mut open: Option<usize> = None;
    let mut chains_in_open = 0;
    let mut found_chain = false;
    let blank_between = !matches!(scope, Scope::Chains);
    let show_sets = matches!(scope, Scope::Ruleset | Scope::Table(_));
    let mut cur_sets: Vec<OwnedSet> = Vec::new();
    // A table without chains: its header, its sets, its end.
    let empty_table = |buf: &mut String,
                       t: &TableInfo,
                       sets_conn: &mut Option<&mut Connection>|
     -> Result<(), rawnet::Error> {
        open_table(buf, t, table_style, chains_only);
        if show_sets {
            if let Some(sc) = sets_conn.as_deref_mut() {
                let sets = table_sets(sc, t)?;
                named_sets(buf, &sets, style);
            }
        }
        close_table(buf, t, style);
        Ok(())
    };
    let walked = for_each_chain(conn, family, |c| {
        let Some(at) = tables[next.min(tables.len())..]
            .iter()
            .position(|t| t.family == c.family && t.name == c.table)
            .map(|p| p + next)
            .or_else(|| {
                open.filter(|&o| tables[o].family == c.family && tables[o].name == c.table)
            })
        else {
            return Ok(());
        };
        if let Scope::Chain(_, name) = scope {
            if c.name != name {
                return Ok(());
            }
            found_chain = true;
        }
        if open != Some(at) {
            if let Some(o) = open {
                table_rules(&mut out, &mut rules, &tables[o], style, &cur_sets)?;
                close_table(&mut out.buf, &tables[o], style);
            }
            while next < at {
                if !matches!(scope, Scope::Chain(..)) {
                    empty_table(&mut out.buf, &tables[next], &mut sets_conn)?;
                }
                next += 1;
            }
            open_table(&mut out.buf, &tables[at], table_style, chains_only);
            open = Some(at);
            next = at + 1;
            chains_in_open = 0;
            cur_sets = match sets_conn.as_deref_mut() {
                Some(sc) if !matches!(scope, Scope::Chains) => table_sets(sc, &tables[at])?,
                _ => Vec::new(),
            };
            if show_sets {
                chains_in_open = named_sets(&mut out.buf, &cur_sets, style);
            }
        }
        if chains_in_open > 0 && blank_between && !style.json {
            out.buf.push('\n');
        }
        chains_in_open += 1;
        chain(&mut out, c, style, &mut rules, &cur_sets)?;
        out.flush_if_full()
    });
    if let Err(e) = walked {
        return Err(out.error(e));
    }
    if let Scope::Chain(..) = scope {
        if !found_chain {
            return Ok(Err(Missing));
        }
    }
    if let Some(o) = open {
        table_rules(&mut out, &mut rules, &tables[o], style, &cur_sets)
            .map_err(|e| out.error(e))?;
        close_table(&mut out.buf, &tables[o], style);
    }
    if !matches!(scope, Scope::Chain(..)) {
        for t in &tables[next.min(tables.len())..] {
            empty_table(&mut out.buf, t, &mut sets_conn)?;
        }
    }
    finish(&mut out, style)?;
    Ok(Ok(()))
}

fn finish(out: &mut Sink, style: Style) -> Result<(), CliError> {
    if style.json {
        out.buf.push_str("]}\n");
    }
    print(&out.buf)?;
    out.buf.clear();
    Ok(())
}

fn table_line(buf: &mut String, t: &TableInfo, style: Style) {
    if style.json {
        table_json(buf, t);
        return;
    }
    buf.push_str(&format!("table {} {}", family_name(t.family), t.name));
    if style.handles {
        if let Some(h) = t.handle {
            buf.push_str(&format!(" # handle {h}"));
        }
    }
    buf.push('\n');
}

fn table_json(buf: &mut String, t: &TableInfo) {
    buf.push_str(", {\"table\": {\"family\": ");
    push_string(buf, family_name(t.family));
    buf.push_str(", \"name\": ");
    push_string(buf, &t.name);
    buf.push_str(&format!(", \"handle\": {}", t.handle.unwrap_or(0)));
    if t.flags & rawnet::nft::wire::NFT_TABLE_F_DORMANT != 0 {
        buf.push_str(", \"flags\": \"dormant\"");
    }
    buf.push_str("}}");
}

fn open_table(buf: &mut String, t: &TableInfo, style: Style, chains_only: bool) {
    if style.json {
        if !chains_only {
            table_json(buf, t);
        }
        return;
    }
    buf.push_str(&format!("table {} {} {{", family_name(t.family), t.name));
    if style.handles {
        if let Some(h) = t.handle {
            buf.push_str(&format!(" # handle {h}"));
        }
    }
    buf.push('\n');
    if t.flags & rawnet::nft::wire::NFT_TABLE_F_DORMANT != 0 {
        buf.push_str("\tflags dormant\n");
    }
}

fn close_table(buf: &mut String, _t: &TableInfo, style: Style) {
    if !style.json {
        buf.push_str("}\n");
    }
}

fn chain(
    out: &mut Sink,
    c: &Chain<'_>,
    style: Style,
    rules: &mut Rules<'_>,
    sets: &[OwnedSet],
) -> Result<(), rawnet::Error> {
    let buf = &mut out.buf;
    if style.json {
        buf.push_str(", {\"chain\": {\"family\": ");
        push_string(buf, family_name(c.family));
        buf.push_str(", \"table\": ");
        push_string(buf, c.table);
        buf.push_str(", \"name\": ");
        push_string(buf, c.name);
        buf.push_str(&format!(", \"handle\": {}", c.handle.unwrap_or(0)));
        if let Some(h) = c.hook {
            buf.push_str(", \"type\": ");
            push_string(buf, c.chain_type.unwrap_or("filter"));
            buf.push_str(", \"hook\": ");
            push_string(buf, hook_name(c.family, h.hooknum).unwrap_or("unknown"));
            buf.push_str(&format!(", \"prio\": {}, \"policy\": ", h.priority));
            push_string(buf, c.policy.and_then(policy_name).unwrap_or("accept"));
        }
        buf.push_str("}}");
        return Ok(());
    }
    buf.push_str(&format!("\tchain {} {{", c.name));
    if style.handles {
        if let Some(h) = c.handle {
            buf.push_str(&format!(" # handle {h}"));
        }
    }
    buf.push('\n');
    if let Some(h) = c.hook {
        buf.push_str(&format!(
            "\t\ttype {} hook {}",
            c.chain_type.unwrap_or("filter"),
            hook_name(c.family, h.hooknum).unwrap_or("unknown")
        ));
        if let Some(d) = h.device {
            buf.push_str(&format!(" device \"{d}\""));
        }
        buf.push_str(&format!(
            " priority {}; policy {};\n",
            priority_text(c.family, h.hooknum, h.priority),
            c.policy.and_then(policy_name).unwrap_or("accept")
        ));
    }
    print_rules(out, rules, c.family, c.table, Some(c.name), style, sets)?;
    out.buf.push_str("\t}\n");
    Ok(())
}

/// In JSON, a table's rules after its chains.
fn table_rules(
    out: &mut Sink,
    rules: &mut Rules<'_>,
    t: &TableInfo,
    style: Style,
    sets: &[OwnedSet],
) -> Result<(), rawnet::Error> {
    if style.json {
        print_rules(out, rules, t.family, &t.name, None, style, sets)?;
    }
    Ok(())
}

/// The rules the cursor is on while they belong to `table` (and `chain`,
/// when given), each as nft prints it (`\t\tMATCHES VERDICT`, with `-a`
/// ` # handle N`; in JSON `, {"rule": {...}}`).
fn print_rules(
    out: &mut Sink,
    rules: &mut Rules<'_>,
    family: u8,
    table: &str,
    chain: Option<&str>,
    style: Style,
    sets: &[OwnedSet],
) -> Result<(), rawnet::Error> {
    let Some(cursor) = rules else {
        return Ok(());
    };
    loop {
        let Some(msg) = cursor.current() else {
            return Ok(());
        };
        let Ok(r) = Rule::parse(&msg) else {
            cursor.advance()?;
            continue;
        };
        if r.family != family || r.table != table || chain.is_some_and(|c| c != r.chain) {
            return Ok(());
        }
        rule(&mut out.buf, &r, style, sets);
        cursor.advance()?;
        // A chain of a million rules is written out as it is read.
        out.flush_if_full()?;
    }
}

fn rule(buf: &mut String, r: &Rule<'_>, style: Style, sets: &[OwnedSet]) {
    let mut exprs = Vec::new();
    let mut bad = None;
    for e in r.exprs() {
        match e {
            Ok(e) => exprs.push(e),
            Err(e) => {
                bad = Some(e);
                break;
            }
        }
    }
    // The printer shows only anonymous sets' elements: a named set's are
    // not copied for every rule that refers to it.
    let lookup = |name: &str| {
        sets.iter().find(|s| s.name == name).map(|s| SetContents {
            flags: s.flags,
            elems: if s.view().is_anonymous() {
                s.elems.clone()
            } else {
                Vec::new()
            },
        })
    };
    let mut text = rule_text_with_sets(r.family, &exprs, &lookup);
    if let Some(e) = bad {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&format!("[ undecodable: {e} ]"));
    }
    if style.json {
        buf.push_str(", {\"rule\": {\"family\": ");
        push_string(buf, family_name(r.family));
        buf.push_str(", \"table\": ");
        push_string(buf, r.table);
        buf.push_str(", \"chain\": ");
        push_string(buf, r.chain);
        buf.push_str(&format!(", \"handle\": {}, \"expr\": ", r.handle));
        super::rule_json::push_exprs(buf, &text);
        buf.push_str("}}");
        return;
    }
    buf.push_str("\t\t");
    buf.push_str(&text);
    if style.handles {
        buf.push_str(&format!(" # handle {}", r.handle));
    }
    buf.push('\n');
}

/// A set of the table being listed, with its elements (kept while the
/// table is printed: its rules show anonymous sets inline).
pub struct OwnedSet {
    pub family: u8,
    pub table: String,
    pub name: String,
    pub handle: u64,
    pub flags: u32,
    pub key_type: u32,
    pub key_len: u32,
    pub data_type: Option<u32>,
    pub data_len: Option<u32>,
    pub elems: Vec<SetElem>,
}

impl OwnedSet {
    pub fn view(&self) -> Set<'_> {
        Set {
            family: self.family,
            table: &self.table,
            name: &self.name,
            handle: self.handle,
            flags: self.flags,
            key_type: self.key_type,
            key_len: self.key_len,
            data_type: self.data_type,
            data_len: self.data_len,
            id: None,
            size: None,
            userdata: None,
        }
    }
}

/// The sets of table `t` and their elements: a set dump, then an element
/// dump per set (one request at a time on `conn`).
pub fn table_sets(conn: &mut Connection, t: &TableInfo) -> Result<Vec<OwnedSet>, rawnet::Error> {
    let mut sets = Vec::new();
    let _status = for_each_set::<rawnet::Error, _>(conn, t.family, Some(&t.name), |s| {
        if s.table == t.name && s.family == t.family {
            sets.push(OwnedSet {
                family: s.family,
                table: s.table.to_string(),
                name: s.name.to_string(),
                handle: s.handle,
                flags: s.flags,
                key_type: s.key_type,
                key_len: s.key_len,
                data_type: s.data_type,
                data_len: s.data_len,
                elems: Vec::new(),
            });
        }
        Ok(())
    })?;
    for s in &mut sets {
        let mut elems = Vec::new();
        let _status =
            for_each_element::<rawnet::Error, _>(conn, s.family, &s.table, &s.name, |e| {
                for x in e.elems() {
                    elems.push(x?);
                }
                Ok(())
            })?;
        s.elems = elems;
    }
    Ok(sets)
}

/// The named sets of a table as nft prints them before its chains (a blank
/// line after each); how many were printed.
fn named_sets(buf: &mut String, sets: &[OwnedSet], style: Style) -> usize {
    let mut n = 0;
    for s in sets.iter().filter(|s| !s.view().is_anonymous()) {
        if style.json {
            super::set_json::push_set(buf, s);
        } else {
            if n > 0 {
                buf.push('\n');
            }
            buf.push_str(&set_text(&s.view(), &s.elems, style.handles));
            buf.push('\n');
        }
        n += 1;
    }
    n
}

/// `list set|map TABLE NAME` and `list sets|maps`: the tables with the
/// sets asked for, nothing else.
pub fn list_sets(
    conn: &mut Connection,
    sets_conn: &mut Connection,
    family: Option<Family>,
    only: Option<(&str, &str)>,
    maps: bool,
    style: Style,
) -> Result<Result<(), Missing>, CliError> {
    let mut tables = Vec::new();
    for_each_table(conn, family, |t| {
        if only.map_or(true, |(n, _)| t.name == n) {
            tables.push(TableInfo {
                family: t.family,
                name: t.name.to_string(),
                handle: t.handle,
                flags: t.flags,
            });
        }
        Ok(())
    })?;
    let mut out = String::new();
    let mut found = false;
    if style.json {
        out.push_str("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"release_name\": \"Lester Gooch #5\", \"json_schema_version\": 1}}");
    }
    for t in &tables {
        let sets: Vec<OwnedSet> = table_sets(sets_conn, t)?
            .into_iter()
            .filter(|s| {
                !s.view().is_anonymous()
                    && s.view().is_map() == maps
                    && only.map_or(true, |(_, n)| s.name == n)
            })
            .collect();
        if sets.is_empty() && only.is_some() {
            continue;
        }
        found |= !sets.is_empty();
        if style.json {
            for s in &sets {
                super::set_json::push_set(&mut out, s);
            }
        } else {
            out.push_str(&format!("table {} {} {{\n", family_name(t.family), t.name));
            for s in &sets {
                out.push_str(&set_text(&s.view(), &s.elems, false));
                out.push('\n');
            }
            out.push_str("}\n");
        }
        // One table's sets are held at a time; what is printed is not kept.
        if out.len() >= 64 << 10 {
            print(&out)?;
            out.clear();
        }
    }
    if only.is_some() && !found {
        return Ok(Err(Missing));
    }
    if style.json {
        out.push_str("]}\n");
    }
    print(&out)?;
    Ok(Ok(()))
}
