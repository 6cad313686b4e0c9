//! `rawnet nft ...`: nft's command line (tables, chains, rules, sets and
//! maps, elements, listings) over nfnetlink (`rawnet::nft`), no nft binary.
//! This file owns the options, the `-f FILE` reader and the transaction a
//! command's (or a file's) messages go in; the grammar is in `words.rs`,
//! `rule_words.rs` and `set_words.rs` (their values in `values.rs`), the
//! listings in `list.rs`.
//!
//! `rawnet [-n NS] nft [-a] [-j] [-n] [-f FILE] COMMAND...`: every change of
//! a command (or of a whole `-f` file) goes in one transaction, applied all
//! or nothing by the kernel. Errors are printed as nft prints them (`Error:
//! ...`, the command, `^` under it) and exit 1, as nft exits.

mod list;
mod rule_json;
mod rule_words;
mod set_json;
mod set_words;
mod values;
mod words;

use rawnet::netlink::Connection;
use rawnet::nft::chain::{add_chain_request, delete_chain_request, flush_chain_request};
use rawnet::nft::expr::compile::{Match, SetRef, Stmt};
use rawnet::nft::rule::{delete_rule_request, RuleSpec};
use rawnet::nft::set::elem::{add_elements_request, delete_elements_request};
use rawnet::nft::set::key::{concat_parts, TYPE_VERDICT};
use rawnet::nft::set::{delete_set_request, for_each_set, SetSpec};
use rawnet::nft::table::{
    add_table_request, delete_table_request, flush_ruleset_request, flush_table_request,
};
use rawnet::nft::wire::NFT_DATA_VERDICT;
use rawnet::nft::{Transaction, TransactionError};

use super::{CliError, Context};
use words::Command;

const USAGE: &str = "\
Usage: rawnet nft [ -a ] [ -j ] [ -n ] [ -f FILE ] COMMAND
where  COMMAND := { add | create | delete | flush | list } table [ FAMILY ] NAME |
                  { add | create } chain [ FAMILY ] TABLE CHAIN [ { type TYPE hook HOOK [ device DEV ] priority PRIO ; [ policy accept|drop ; ] } ] |
                  { delete | flush | list } chain [ FAMILY ] TABLE CHAIN |
                  { add | insert } rule [ FAMILY ] TABLE CHAIN [ position HANDLE ] STATEMENT... |
                  replace rule [ FAMILY ] TABLE CHAIN handle HANDLE STATEMENT... |
                  delete rule [ FAMILY ] TABLE CHAIN handle HANDLE |
                  add { set | map } [ FAMILY ] TABLE NAME { type TYPE [ . TYPE ]... [ : DATA ] ; [ flags FLAGS ; ] [ elements = { ... } ; ] } |
                  { delete | list } { set | map } [ FAMILY ] TABLE NAME |
                  { add | delete } element [ FAMILY ] TABLE SET { ELEMENT, ... } |
                  list { tables | chains | sets | maps | ruleset } [ FAMILY ] | flush ruleset [ FAMILY ]
       FAMILY := { ip | ip6 | inet | arp | bridge | netdev }
";

/// A failed command as nft reports it: the reason, the command, and `^`
/// under it; exit 1.
fn nft_error(reason: &str, line: &str) -> CliError {
    let marks = "^".repeat(line.chars().count().max(1));
    CliError::new(1, format!("Error: {reason}\n{line}\n{marks}"))
}

/// An nfnetlink connection in the namespace `-n` selected.
fn connection(ctx: &Context) -> Result<Connection, CliError> {
    let conn = match ctx.namespace()? {
        None => Connection::netfilter(),
        Some(ns) => rawnet::ns::netfilter_connection_in(&ns),
    };
    conn.map_err(CliError::from)
}

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut style = list::Style {
        handles: false,
        json: ctx.json,
    };
    let mut file = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-a" | "--handle" => style.handles = true,
            "-j" | "--json" => style.json = true,
            "-n" | "--numeric" | "-s" | "--stateless" => {}
            "-f" | "--file" => {
                i += 1;
                file = Some(
                    args.get(i)
                        .ok_or_else(|| CliError::new(1, "Error: -f needs a file"))?,
                );
            }
            "-h" | "--help" => {
                super::output::print(USAGE)?;
                return Ok(0);
            }
            o if o.starts_with('-') && o.len() > 1 && o.parse::<i64>().is_err() => {
                return Err(CliError::new(1, format!("Error: unknown option '{o}'")));
            }
            _ => break,
        }
        i += 1;
    }
    if let Some(path) = file {
        return run_file(ctx, path, style);
    }
    let line = args[i..].join(" ");
    if line.trim().is_empty() {
        super::output::to_stderr(USAGE);
        return Err(CliError::new(1, ""));
    }
    let command = words::tokens(&line)
        .and_then(|w| words::parse(&w))
        .map_err(|e| nft_error(&e, &line))?;
    if !command.changes() {
        return run_list(ctx, &command, &line, style);
    }
    let mut batch = Batch::default();
    if command.needs_sets() {
        batch.load_sets(ctx)?;
    }
    batch
        .push(&command, &line)
        .map_err(|e| nft_error(&e, &line))?;
    commit(ctx, &batch.t, &batch.lines)
}

/// A set nft would have in its cache: the kernel's (numbered in dump
/// order, from 1) and those the transaction creates.
struct KnownSet {
    family: u8,
    table: String,
    name: String,
    shape: set_words::Shape,
    id: u32,
}

/// A transaction being built: its messages, the command line of each
/// (a refusal of message N is reported with `lines[N]`), and the set ids.
struct Batch {
    t: Transaction,
    lines: Vec<String>,
    sets: Vec<KnownSet>,
    next_id: u32,
}

impl Default for Batch {
    fn default() -> Self {
        Batch {
            t: Transaction::new(),
            lines: Vec::new(),
            sets: Vec::new(),
            next_id: 1,
        }
    }
}

impl Batch {
    /// Read the kernel's sets (all families), as nft fills its cache.
    fn load_sets(&mut self, ctx: &Context) -> Result<(), CliError> {
        let mut conn = connection(ctx)?;
        let mut sets = Vec::new();
        let _status = for_each_set::<rawnet::Error, _>(&mut conn, 0, None, |s| {
            let data_type = s.data_type.map(|t| {
                if t == NFT_DATA_VERDICT {
                    TYPE_VERDICT
                } else {
                    t
                }
            });
            sets.push(KnownSet {
                family: s.family,
                table: s.table.to_string(),
                name: s.name.to_string(),
                shape: set_words::Shape {
                    key_types: concat_parts(s.key_type),
                    data_type,
                    flags: s.flags,
                },
                id: sets.len() as u32 + 1,
            });
            Ok(())
        })?;
        self.next_id = sets.len() as u32 + 1;
        self.sets = sets;
        Ok(())
    }

    fn find(&self, family: u8, table: &str, name: &str) -> Option<&KnownSet> {
        self.sets
            .iter()
            .rev()
            .find(|s| s.family == family && s.table == table && s.name == name)
    }

    fn add(
        &mut self,
        request: rawnet::Result<rawnet::netlink::Request>,
        line: &str,
    ) -> Result<(), String> {
        self.t.push(request.map_err(|e| e.to_string())?);
        self.lines.push(line.to_string());
        Ok(())
    }

    /// The messages of a changing command from `line`; `Err` is the
    /// reason, in nft's words, nothing was added.
    fn push(&mut self, command: &Command, line: &str) -> Result<(), String> {
        let request = match command {
            Command::AddTable {
                family,
                name,
                exclusive,
            } => add_table_request(*family, name, *exclusive),
            Command::DeleteTable { family, name } => delete_table_request(*family, name),
            Command::FlushTable { family, name } => flush_table_request(*family, name),
            Command::AddChain { spec, exclusive } => add_chain_request(spec, *exclusive),
            Command::DeleteChain {
                family,
                table,
                name,
            } => delete_chain_request(*family, table, name),
            Command::FlushChain {
                family,
                table,
                name,
            } => flush_chain_request(*family, table, name),
            Command::FlushRuleset { family } => flush_ruleset_request(*family),
            Command::AddRule(spec, stmts) => return self.push_rule(spec, stmts, line),
            Command::DeleteRule {
                family,
                table,
                chain,
                handle,
            } => delete_rule_request(family.nfproto(), table, chain, *handle),
            Command::AddSet(d) => return self.push_set(d, line),
            Command::DeleteSet {
                family,
                table,
                name,
            } => delete_set_request(family.nfproto(), table, name),
            Command::Elements {
                delete,
                family,
                table,
                set,
                elems,
            } => {
                let fam = family.nfproto();
                let known = self
                    .find(fam, table, set)
                    .ok_or("No such file or directory")?;
                let encoded = set_words::encode(&known.shape, elems, false)?;
                if *delete {
                    delete_elements_request(fam, table, set, &encoded)
                } else {
                    add_elements_request(fam, table, set, Some(known.id), &encoded)
                }
            }
            _ => return Ok(()),
        };
        self.add(request, line)
    }

    fn push_rule(&mut self, spec: &RuleSpec, stmts: &[Stmt], line: &str) -> Result<(), String> {
        let mut stmts = stmts.to_vec();
        for s in &mut stmts {
            let (name, id) = match s {
                Stmt::Match(Match::InSet {
                    set: SetRef::Named { name, id },
                    ..
                }) => (name.clone(), id),
                Stmt::Vmap {
                    map: SetRef::Named { name, id },
                    ..
                } => (name.clone(), id),
                _ => continue,
            };
            let known = self
                .find(spec.family, &spec.table, &name)
                .ok_or("No such file or directory")?;
            *id = Some(known.id);
        }
        let compiled = rawnet::nft::expr::compile::compile_rule(
            spec.family,
            &spec.table,
            &stmts,
            &mut self.next_id,
        )
        .map_err(|e| e.to_string())?;
        for set in &compiled.sets {
            self.add(set.spec.request(), line)?;
            self.add(
                add_elements_request(
                    set.spec.family,
                    &set.spec.table,
                    &set.spec.name,
                    set.spec.id,
                    &set.elems,
                ),
                line,
            )?;
        }
        let rule = RuleSpec {
            exprs: compiled.exprs,
            ..spec.clone()
        };
        self.add(rule.request(), line)
    }

    fn push_set(&mut self, d: &set_words::SetDecl, line: &str) -> Result<(), String> {
        let fam = d.family.nfproto();
        let id = self.next_id;
        let spec = SetSpec::declared(
            fam,
            &d.table,
            &d.name,
            &d.key_types,
            d.data_type,
            d.flags,
            id,
        )
        .ok_or("unknown datatype")?;
        let shape = set_words::Shape {
            key_types: d.key_types.clone(),
            data_type: d.data_type,
            flags: spec.flags,
        };
        let elems = set_words::encode(&shape, &d.elems, true)?;
        self.next_id += 1;
        self.add(spec.request(), line)?;
        if !elems.is_empty() {
            self.add(
                add_elements_request(fam, &d.table, &d.name, Some(id), &elems),
                line,
            )?;
        }
        self.sets.push(KnownSet {
            family: fam,
            table: d.table.clone(),
            name: d.name.clone(),
            shape,
            id,
        });
        Ok(())
    }
}

/// Commit `t`, whose message N came from `lines[N]`; a refusal is printed
/// with the line it came from.
fn commit(ctx: &Context, t: &Transaction, lines: &[String]) -> Result<i32, CliError> {
    let mut conn = connection(ctx)?;
    match t.commit(&mut conn) {
        Ok(()) => Ok(0),
        Err(TransactionError::Refused(refusals)) => {
            let mut text = String::new();
            for r in &refusals {
                let line = lines.get(r.index).map_or("", String::as_str);
                let mut reason = format!("Could not process rule: {}", r.error.errno_text());
                if let Some(m) = r.error.message.as_deref().filter(|m| !m.is_empty()) {
                    reason.push_str(": ");
                    reason.push_str(m);
                }
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&nft_error(&reason, line).message);
            }
            Err(CliError::new(1, text))
        }
        Err(TransactionError::Failed(e)) => Err(CliError::new(1, format!("Error: {e}"))),
    }
}

fn run_list(
    ctx: &Context,
    command: &Command,
    line: &str,
    style: list::Style,
) -> Result<i32, CliError> {
    use list::Scope;
    let sets_scope = match command {
        Command::ListSet {
            family,
            table,
            name,
            map,
        } => Some((Some(*family), Some((table.as_str(), name.as_str())), *map)),
        Command::ListSets { family, maps } => Some((*family, None, *maps)),
        _ => None,
    };
    if let Some((family, only, maps)) = sets_scope {
        let mut conn = connection(ctx)?;
        let mut sets_conn = connection(ctx)?;
        return match list::list_sets(&mut conn, &mut sets_conn, family, only, maps, style)? {
            Ok(()) => Ok(0),
            Err(list::Missing) => Err(nft_error("No such file or directory", line)),
        };
    }
    let (family, scope) = match command {
        Command::ListRuleset { family } => (*family, Scope::Ruleset),
        Command::ListTables { family } => (*family, Scope::Tables),
        Command::ListChains { family } => (*family, Scope::Chains),
        Command::ListTable { family, name } => (Some(*family), Scope::Table(name)),
        Command::ListChain {
            family,
            table,
            name,
        } => (Some(*family), Scope::Chain(table, name)),
        _ => return Ok(0),
    };
    let mut conn = connection(ctx)?;
    let mut rules_conn = match scope {
        Scope::Ruleset | Scope::Table(_) | Scope::Chain(..) => Some(connection(ctx)?),
        _ => None,
    };
    let mut sets_conn = match scope {
        Scope::Ruleset | Scope::Table(_) | Scope::Chain(..) => Some(connection(ctx)?),
        _ => None,
    };
    match list::list(
        &mut conn,
        rules_conn.as_mut(),
        sets_conn.as_mut(),
        family,
        scope,
        style,
    )? {
        Ok(()) => Ok(0),
        Err(list::Missing) => Err(nft_error("No such file or directory", line)),
    }
}

/// `-f FILE`: one command a line (`#` comments, blank lines); every change
/// of the file in one transaction. Listing commands run after it.
fn run_file(ctx: &Context, path: &str, style: list::Style) -> Result<i32, CliError> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| CliError::new(1, format!("Error: Could not read {path}: {e}")))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| {
            CliError::new(
                1,
                format!(
                    "Error: Could not process rule: {}\n{path}",
                    rawnet::error::errno_text(e.raw_os_error().unwrap_or(libc::EIO))
                ),
            )
        })?
    };
    let mut commands = Vec::new();
    let mut lists = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let words = words::tokens(raw).map_err(|e| file_error(path, n, &e, raw))?;
        if words.is_empty() {
            continue;
        }
        let command = words::parse(&words).map_err(|e| file_error(path, n, &e, raw))?;
        if command.changes() {
            commands.push((n, command, raw));
        } else {
            lists.push((command, raw.trim().to_string()));
        }
    }
    let mut batch = Batch::default();
    if commands.iter().any(|(_, c, _)| c.needs_sets()) {
        batch.load_sets(ctx)?;
    }
    for (n, command, raw) in &commands {
        batch
            .push(command, raw.trim())
            .map_err(|e| file_error(path, *n, &e, raw))?;
    }
    commit(ctx, &batch.t, &batch.lines)?;
    for (command, line) in &lists {
        run_list(ctx, command, line, style)?;
    }
    Ok(0)
}

/// The fuzzer's way in (`fuzz/fuzz_targets/nft_command.rs`): any bytes as a
/// `-f` file, each line split and parsed as `rawnet nft` parses it and its
/// messages built into a transaction (without the kernel's sets), and the
/// same bytes read as a rule's listed text for `-j`. Nothing may panic.
#[cfg(fuzzing)]
pub fn parse_for_fuzzing(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut batch = Batch::default();
    for raw in text.lines().take(64) {
        let Ok(words) = words::tokens(raw) else {
            continue;
        };
        if let Ok(command) = words::parse(&words) {
            let _ = command.changes() && batch.push(&command, raw).is_ok();
        }
    }
    let mut json = String::new();
    rule_json::push_exprs(&mut json, &text);
}

fn file_error(path: &str, n: usize, reason: &str, line: &str) -> CliError {
    let e = nft_error(reason, line);
    CliError::new(
        1,
        format!("{path}:{}:1-{}: {}", n + 1, line.len(), e.message),
    )
}
