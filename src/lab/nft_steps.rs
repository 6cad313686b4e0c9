//! The nftables steps of the `nat` and `service` labs: each `rawnet -n NS
//! nft ...` command as its words plus the [`Transaction`] that does it
//! (built from the library's typed statements, never by parsing the
//! words), the step that commits one inside a namespace, a chain listed as
//! `nft list chain` prints it with the sum of its counters, and the probe
//! that tells whether the running kernel has nf_tables (with NAT).
//!
//! Every table the labs make is `ip` family and carries a rawnet name
//! (`rawnet-nat`, `rawnet-pod`, ...), never `nat` or `filter`.

use std::fmt::Write as _;

use super::steps::check;
use super::{Expect, Outcome, Workspace};
use crate::error::{errno_text, Error, Result};
use crate::features::Support;
use crate::netlink::Connection;
use crate::nft::chain::{
    add_chain_request, hook_name, parse_hook, policy_name, priority_text, standard_priority,
};
use crate::nft::expr::compile::{compile_rule, Stmt};
use crate::nft::expr::text::rule_text;
use crate::nft::expr::Expr;
use crate::nft::rule::{for_each_rule, Placement, RuleSpec};
use crate::nft::set::elem::add_elements_request;
use crate::nft::table::add_table_request;
use crate::nft::{for_each_chain, ChainSpec, Family, Hook, Transaction};
use crate::ns::{self, NetNs};

/// The family of every lab table.
const FAMILY: Family = Family::Ip;

/// One `nft` command of a lab: the words after `nft` and what they do.
#[derive(Debug, Clone)]
pub(super) struct NftCommand {
    pub(super) words: String,
    pub(super) tx: Transaction,
}

/// `add table ip TABLE`.
pub(super) fn add_table(table: &str) -> Result<NftCommand> {
    let mut tx = Transaction::new();
    tx.push(add_table_request(FAMILY, table, false)?);
    Ok(NftCommand {
        words: format!("add table ip {table}"),
        tx,
    })
}

/// `add chain ip TABLE CHAIN '{ type TYPE hook HOOK priority PRIORITY; }'`
/// (`priority` one of nft's standard names, policy accept).
pub(super) fn add_base_chain(
    table: &str,
    chain: &str,
    chain_type: &str,
    hook: &str,
    priority: &str,
) -> Result<NftCommand> {
    let unknown = |what: &str| Error::Unexpected(format!("{what} is not an nft {FAMILY:?} hook"));
    let hooknum = parse_hook(FAMILY, hook).ok_or_else(|| unknown(hook))?;
    let value = standard_priority(FAMILY, hooknum, priority).ok_or_else(|| unknown(priority))?;
    let spec = ChainSpec {
        family: FAMILY,
        table: table.to_string(),
        name: chain.to_string(),
        hook: Some(Hook {
            chain_type: chain_type.to_string(),
            hooknum,
            priority: value,
            device: None,
            policy: None,
        }),
    };
    let mut tx = Transaction::new();
    tx.push(add_chain_request(&spec, false)?);
    Ok(NftCommand {
        words: format!(
            "add chain ip {table} {chain} '{{ type {chain_type} hook {hook} priority {priority}; }}'"
        ),
        tx,
    })
}

/// `add rule ip TABLE CHAIN RULE`: `rule` is the rule's text as nft prints
/// it, `stmts` its typed statements; anonymous sets and maps go into the
/// same transaction before the rule, as nft sends them.
pub(super) fn add_rule(table: &str, chain: &str, rule: &str, stmts: &[Stmt]) -> Result<NftCommand> {
    let family = FAMILY.nfproto();
    let mut next_id = 1;
    let compiled = compile_rule(family, table, stmts, &mut next_id)
        .map_err(|e| Error::Unexpected(format!("rule {rule:?}: {e}")))?;
    let mut tx = Transaction::new();
    for set in &compiled.sets {
        tx.push(set.spec.request()?);
        tx.push(add_elements_request(
            family,
            table,
            &set.spec.name,
            set.spec.id,
            &set.elems,
        )?);
    }
    tx.push(
        RuleSpec {
            family,
            table: table.to_string(),
            chain: chain.to_string(),
            exprs: compiled.exprs,
            placement: Placement::Append,
            userdata: None,
        }
        .request()?,
    );
    Ok(NftCommand {
        words: format!("add rule ip {table} {chain} {rule}"),
        tx,
    })
}

/// The step `rawnet -n NS nft WORDS`: the command's transaction committed
/// on an nfnetlink connection inside `ns`. A command that could not be
/// built is a failed step.
pub(super) fn nft(ws: &mut Workspace<'_>, ns: &str, command: Result<NftCommand>) -> Option<()> {
    let (words, tx) = match command {
        Ok(c) => (c.words, Some(c.tx)),
        Err(e) => {
            let text = format!("rawnet -n {ns} nft ?");
            return check(ws.step(&text, Expect::Success, |_| Outcome::Failed(e)));
        }
    };
    check(ws.step(
        &format!("rawnet -n {ns} nft {words}"),
        Expect::Success,
        |_| super::steps::done(commit_in(ns, tx.as_ref())),
    ))
}

fn commit_in(ns: &str, tx: Option<&Transaction>) -> Result<()> {
    let mut conn = ns::netfilter_connection_in(&NetNs::open_named(ns)?)?;
    match tx {
        Some(tx) => tx.commit(&mut conn).map_err(|e| e.into_error()),
        None => Ok(()),
    }
}

/// What a counter should show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Packets {
    /// Nothing has reached the chain's counters.
    None,
    /// Something has.
    Some,
}

/// The step `rawnet -n NS nft list chain ip TABLE CHAIN`: the chain as nft
/// lists it; the step fails (showing the listing) when its counters'
/// packets are not what `want` says.
pub(super) fn list_counted_chain(
    ws: &mut Workspace<'_>,
    ns: &str,
    table: &str,
    chain: &str,
    want: Packets,
) -> Option<()> {
    let command = format!("rawnet -n {ns} nft list chain ip {table} {chain}");
    check(ws.step(&command, Expect::Success, |_| {
        let listed = NetNs::open_named(ns)
            .and_then(|n| ns::netfilter_connection_in(&n))
            .and_then(|mut c| list_chain(&mut c, table, chain));
        match listed {
            Err(e) => Outcome::Failed(e),
            Ok((text, packets)) => {
                let text = text.trim_end().replace('\n', "\n  ");
                match (want, packets) {
                    (Packets::None, 0) => Outcome::Seen(text),
                    (Packets::Some, n) if n > 0 => Outcome::Seen(text),
                    (Packets::None, n) => Outcome::Failed(Error::Unexpected(format!(
                        "{text}\n  the counter saw {n} packets, none expected"
                    ))),
                    (Packets::Some, _) => Outcome::Failed(Error::Unexpected(format!(
                        "{text}\n  the counter saw no packets"
                    ))),
                }
            }
        }
    }))
}

/// Chain `chain` of `ip` table `table` as `nft list chain` prints it, and
/// the packets its counters saw. Chains first, then the rules (two dumps,
/// one after the other).
pub(super) fn list_chain(conn: &mut Connection, table: &str, chain: &str) -> Result<(String, u64)> {
    let mut header = None;
    for_each_chain(conn, Some(FAMILY), |c| {
        if c.table == table && c.name == chain {
            let mut h = format!("\tchain {chain} {{\n");
            if let Some(hook) = c.hook {
                let _ = writeln!(
                    h,
                    "\t\ttype {} hook {} priority {}; policy {};",
                    c.chain_type.unwrap_or("filter"),
                    hook_name(c.family, hook.hooknum).unwrap_or("unknown"),
                    priority_text(c.family, hook.hooknum, hook.priority),
                    c.policy.and_then(policy_name).unwrap_or("accept")
                );
            }
            header = Some(h);
        }
        Ok(())
    })?;
    let Some(header) = header else {
        return Err(Error::Unexpected(format!(
            "Error: No such file or directory\nlist chain ip {table} {chain}"
        )));
    };
    let mut text = format!("table ip {table} {{\n{header}");
    let mut packets = 0u64;
    let _ = for_each_rule::<Error, _>(conn, FAMILY.nfproto(), Some(table), Some(chain), |r| {
        let exprs = r
            .exprs()
            .collect::<std::result::Result<Vec<Expr>, _>>()
            .map_err(Error::from)?;
        packets += counted(&exprs);
        let _ = writeln!(text, "\t\t{}", rule_text(r.family, &exprs));
        Ok(())
    })?;
    text.push_str("\t}\n}\n");
    Ok((text, packets))
}

/// The packets the counters among `exprs` saw.
pub(super) fn counted(exprs: &[Expr]) -> u64 {
    exprs
        .iter()
        .map(|e| match e {
            Expr::Counter(c) => c.packets.unwrap_or(0),
            _ => 0,
        })
        .sum()
}

/// Whether the running kernel has nf_tables with NAT: a table and a NAT
/// base chain made in a throw-away anonymous namespace.
pub(super) fn probe_nftables() -> Support {
    let attempt = || -> Result<()> {
        let netns = NetNs::new_anonymous()?;
        ns::run_in(&netns, || -> Result<()> {
            let mut conn = Connection::netfilter()?;
            let mut tx = add_table("rawnet-probe")?.tx;
            for m in add_base_chain("rawnet-probe", "p", "nat", "postrouting", "srcnat")?
                .tx
                .messages()
            {
                tx.push(m.clone());
            }
            tx.commit(&mut conn).map_err(|e| e.into_error())
        })?
    };
    nftables_support(attempt())
}

/// What the probe's outcome says: no `NETLINK_NETFILTER` protocol
/// (`socket` fails with `EPROTONOSUPPORT`) or no nf_tables or NAT in the
/// kernel (`EOPNOTSUPP`, `ENOENT` for the chain type) mean "not there";
/// any other failure says nothing about nf_tables.
pub(super) fn nftables_support(outcome: Result<()>) -> Support {
    let e = match outcome {
        Ok(()) => return Support::Supported,
        Err(e) => e,
    };
    let text = match &e {
        Error::Kernel(k) => k.message.clone().unwrap_or_else(|| k.errno_text()),
        Error::Io { op, .. } => match e.errno() {
            Some(errno) => format!("{op}: {}", errno_text(errno)),
            None => e.to_string(),
        },
        other => other.to_string(),
    };
    let missing = match &e {
        Error::Kernel(k) => matches!(k.errno, libc::EOPNOTSUPP | libc::ENOENT),
        other => matches!(
            other.errno(),
            Some(libc::EPROTONOSUPPORT) | Some(libc::EAFNOSUPPORT)
        ),
    };
    if missing {
        Support::Unsupported(text)
    } else {
        Support::Unknown(text)
    }
}

#[cfg(test)]
mod tests;
