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

use rawnet::netlink::connection::DumpCursor;
use rawnet::netlink::socket::NetlinkSocket;
use rawnet::netlink::Connection;
use rawnet::nft::chain::{hook_name, policy_name, priority_text};
use rawnet::nft::expr::text::rule_text;
use rawnet::nft::family::family_name;
use rawnet::nft::rule::{dump_rules_request, Rule};
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

struct TableInfo {
    family: u8,
    name: String,
    handle: Option<u64>,
    flags: u32,
}

/// Output written in large pieces.
struct Sink {
    buf: String,
}

impl Sink {
    fn flush_if_full(&mut self) -> Result<(), CliError> {
        if self.buf.len() >= 64 << 10 {
            print(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
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
    let mut out = Sink {
        buf: String::with_capacity(4096),
    };
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
    for_each_chain(conn, family, |c| {
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
                table_rules(&mut out.buf, &mut rules, &tables[o], style)?;
                close_table(&mut out.buf, &tables[o], style);
            }
            while next < at {
                if !matches!(scope, Scope::Chain(..)) {
                    open_table(&mut out.buf, &tables[next], table_style, chains_only);
                    close_table(&mut out.buf, &tables[next], style);
                }
                next += 1;
            }
            open_table(&mut out.buf, &tables[at], table_style, chains_only);
            open = Some(at);
            next = at + 1;
            chains_in_open = 0;
        }
        if chains_in_open > 0 && blank_between && !style.json {
            out.buf.push('\n');
        }
        chains_in_open += 1;
        chain(&mut out.buf, c, style, &mut rules)?;
        out.flush_if_full()
            .map_err(|e| rawnet::Error::Unexpected(e.message))
    })?;
    if let Scope::Chain(..) = scope {
        if !found_chain {
            return Ok(Err(Missing));
        }
    }
    if let Some(o) = open {
        table_rules(&mut out.buf, &mut rules, &tables[o], style)?;
        close_table(&mut out.buf, &tables[o], style);
    }
    if !matches!(scope, Scope::Chain(..)) {
        for t in &tables[next.min(tables.len())..] {
            open_table(&mut out.buf, t, table_style, chains_only);
            close_table(&mut out.buf, t, style);
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
    buf: &mut String,
    c: &Chain<'_>,
    style: Style,
    rules: &mut Rules<'_>,
) -> Result<(), rawnet::Error> {
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
    print_rules(buf, rules, c.family, c.table, Some(c.name), style)?;
    buf.push_str("\t}\n");
    Ok(())
}

/// In JSON, a table's rules after its chains.
fn table_rules(
    buf: &mut String,
    rules: &mut Rules<'_>,
    t: &TableInfo,
    style: Style,
) -> Result<(), rawnet::Error> {
    if style.json {
        print_rules(buf, rules, t.family, &t.name, None, style)?;
    }
    Ok(())
}

/// The rules the cursor is on while they belong to `table` (and `chain`,
/// when given), each as nft prints it (`\t\tMATCHES VERDICT`, with `-a`
/// ` # handle N`; in JSON `, {"rule": {...}}`).
fn print_rules(
    buf: &mut String,
    rules: &mut Rules<'_>,
    family: u8,
    table: &str,
    chain: Option<&str>,
    style: Style,
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
        rule(buf, &r, style);
        cursor.advance()?;
    }
}

fn rule(buf: &mut String, r: &Rule<'_>, style: Style) {
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
    let mut text = rule_text(r.family, &exprs);
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
