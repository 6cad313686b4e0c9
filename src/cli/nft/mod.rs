//! `rawnet nft ...`: nft's command line for tables and chains, over
//! nfnetlink (`rawnet::nft`), no nft binary.
//!
//! `rawnet [-n NS] nft [-a] [-j] [-n] [-f FILE] COMMAND...`: every change of
//! a command (or of a whole `-f` file) goes in one transaction, applied all
//! or nothing by the kernel. Errors are printed as nft prints them (`Error:
//! ...`, the command, `^` under it) and exit 1, as nft exits.

mod list;
mod rule_json;
mod rule_words;
mod words;

use rawnet::netlink::Connection;
use rawnet::nft::chain::{add_chain_request, delete_chain_request, flush_chain_request};
use rawnet::nft::rule::delete_rule_request;
use rawnet::nft::table::{
    add_table_request, delete_table_request, flush_ruleset_request, flush_table_request,
};
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
                  list { tables | chains | ruleset } [ FAMILY ] | flush ruleset [ FAMILY ]
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
    let mut t = Transaction::new();
    push(&mut t, &command)?;
    commit(ctx, &t, &[line])
}

/// The messages of a changing command.
fn push(t: &mut Transaction, command: &Command) -> Result<(), CliError> {
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
        Command::AddRule(spec) => spec.request(),
        Command::DeleteRule {
            family,
            table,
            chain,
            handle,
        } => delete_rule_request(family.nfproto(), table, chain, *handle),
        _ => return Ok(()),
    };
    t.push(request?);
    Ok(())
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
    match list::list(&mut conn, rules_conn.as_mut(), family, scope, style)? {
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
    let mut t = Transaction::new();
    let mut lines = Vec::new();
    let mut lists = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let words = words::tokens(raw).map_err(|e| file_error(path, n, &e, raw))?;
        if words.is_empty() {
            continue;
        }
        let command = words::parse(&words).map_err(|e| file_error(path, n, &e, raw))?;
        if command.changes() {
            push(&mut t, &command)?;
            lines.push(raw.trim().to_string());
        } else {
            lists.push((command, raw.trim().to_string()));
        }
    }
    commit(ctx, &t, &lines)?;
    for (command, line) in &lists {
        run_list(ctx, command, line, style)?;
    }
    Ok(0)
}

fn file_error(path: &str, n: usize, reason: &str, line: &str) -> CliError {
    let e = nft_error(reason, line);
    CliError::new(
        1,
        format!("{path}:{}:1-{}: {}", n + 1, line.len(), e.message),
    )
}
