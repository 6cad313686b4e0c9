//! Link headers as iproute2 6.1 prints them (`print_linkinfo`,
//! `print_name_and_link`, `print_link_flags`), text and JSON, keys and order
//! included: all of `rawnet link show`, and the per-link part of `rawnet addr
//! show` ([`HeaderStyle`] says which). With `-d`: promiscuity, allmulti,
//! min/max MTU, the link kind and its parameters (`details/`), a
//! port's master kind and its parameters, addrgenmode, queues and GSO/TSO/GRO
//! limits.
//!
//! One file per concern: `lookups.rs` (names a link refers to), `names.rs`
//! (iproute2's words for numbers), `text.rs` and `json.rs` (the two printers).

mod json;
mod lookups;
mod names;
#[cfg(test)]
mod tests;
mod text;

use rawnet::netlink::Connection;
use rawnet::route::link::{self as rlink, LinkInfo};
use rawnet::Error;

use crate::cli::arg_errors::invalid_arg;
use crate::cli::output::Json;
use crate::cli::{CliError, Context};
use json::json_link;
pub use lookups::Lookups;
use text::text_link;

/// Show one link (`dev`) or all of them.
pub fn run(ctx: &Context, dev: Option<&str>) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let links = match dev {
        None => rlink::dump_links(&mut conn).map_err(CliError::from)?,
        Some(d) => vec![rlink::get_link(&mut conn, d).map_err(|e| match e {
            Error::NotFound(_) => CliError::new(1, format!("Device \"{d}\" does not exist.")),
            e => CliError::from(e),
        })?],
    };
    print_links(ctx, conn, &links)
}

/// Show the ports of `master` (`link show master BR`), with the kernel
/// filtering the dump as for iproute2.
pub fn run_master(ctx: &Context, master: &str) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let index = rlink::link_index(&mut conn, master)
        .map_err(|_| invalid_arg(master, "Device does not exist"))?;
    let links = rlink::dump_ports(&mut conn, index).map_err(CliError::from)?;
    print_links(ctx, conn, &links)
}

fn print_links(ctx: &Context, conn: Connection, links: &[LinkInfo]) -> Result<i32, CliError> {
    let style = HeaderStyle {
        link_command: true,
        link_line: true,
        details: ctx.details,
    };
    let mut lookups = Lookups::new(conn, links);
    let out = if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for l in links {
            j.begin_object();
            header_json(&mut j, &mut lookups, l, style)?;
            j.end_object();
        }
        j.end_array();
        j.finish()
    } else {
        let mut s = String::new();
        for l in links {
            header_text(&mut s, &mut lookups, l, style)?;
        }
        s
    };
    print!("{out}");
    Ok(0)
}

/// What `ip link show` and `ip addr show` print differently about a link.
#[derive(Debug, Clone, Copy)]
pub struct HeaderStyle {
    /// `ip link` rather than `ip addr` (iproute2's `do_link`): `mode`,
    /// `alias`, and with details `addrgenmode`.
    pub link_command: bool,
    /// The `link/TYPE ADDR brd ADDR` part; `ip addr` leaves it out under
    /// `-4`/`-6` unless details are asked for.
    pub link_line: bool,
    /// `-d`.
    pub details: bool,
}

/// The header of link `l` (text): the flags line, the `link/` line per
/// `style`, and the newline that ends them.
pub fn header_text(
    s: &mut String,
    lookups: &mut Lookups,
    l: &LinkInfo,
    style: HeaderStyle,
) -> Result<(), CliError> {
    let shown = lookups.shown(l, style.details).map_err(CliError::from)?;
    let netns = l
        .link_netnsid
        .filter(|&id| id >= 0)
        .and_then(|id| lookups.netns_name(id));
    text_link(s, &shown, netns.as_deref(), style);
    Ok(())
}

/// The keys of link `l` (JSON), written into an object the caller has opened.
pub fn header_json(
    j: &mut Json,
    lookups: &mut Lookups,
    l: &LinkInfo,
    style: HeaderStyle,
) -> Result<(), CliError> {
    let shown = lookups.shown(l, style.details).map_err(CliError::from)?;
    json_link(j, &shown, style);
    Ok(())
}

/// iproute2 prints the alias for `ip link`, and for `ip addr` only with details.
fn alias_shown(style: HeaderStyle) -> bool {
    style.link_command || style.details
}
