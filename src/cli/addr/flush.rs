//! `address flush SELECTORS`: iproute2 6.1's `ipaddr_flush`. The addresses
//! the selectors pick (family, scope, flags, label, `to`, device) are
//! deleted in rounds until none is left (`primary`: one round). Silent on
//! success; `-s` prints the rounds as iproute2 does.

use std::fmt::Write;

use rawnet::netlink::Connection;
use rawnet::route::addr::flush_addresses_where;

use super::filter::AddrFilter;
use crate::cli::link_names::LinkNames;
use crate::cli::output;
use crate::cli::{CliError, Context};

pub(super) fn flush(
    ctx: &Context,
    filter: &AddrFilter<'_>,
    index: Option<u32>,
    mut conn: Connection,
) -> Result<i32, CliError> {
    // The label of an address without one is its device's name.
    let mut names = LinkNames::new(ctx, Some(&conn));
    if filter.label.is_some() {
        names.remember_every_link()?;
    }
    let rounds = flush_addresses_where(
        &mut conn,
        filter.family,
        index,
        filter.primary_only(),
        |a| filter.address_matches(a, &names.known_name(a.index).to_string()),
    )
    .map_err(CliError::from)?;
    if ctx.stats > 0 {
        let mut s = String::new();
        for (i, n) in rounds.iter().enumerate() {
            let _ = write!(s, "\n*** Round {}, deleting {n} addresses ***\n", i + 1);
        }
        match rounds.len() {
            0 => s.push_str("Nothing to flush.\n"),
            r => {
                let _ = writeln!(
                    s,
                    "*** Flush is complete after {r} round{} ***",
                    if r > 1 { "s" } else { "" }
                );
            }
        }
        output::print(&s)?;
    }
    Ok(0)
}
