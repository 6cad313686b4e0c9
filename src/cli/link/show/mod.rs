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

use rawnet::netlink::Request;
use rawnet::route::link::{self as rlink, Link};
use rawnet::route::RTM_NEWLINK;
use rawnet::Error;

use crate::cli::arg_errors::invalid_arg;
use crate::cli::output::{warn_if_interrupted, Out, Stream};
use crate::cli::{CliError, Context};
use json::json_link;
pub use lookups::Lookups;
use text::text_link;

const LINK_SHOW: HeaderStyle = HeaderStyle {
    link_command: true,
    link_line: true,
    queue_length: true,
    details: false,
};

/// Show one link (`dev`) or all of them.
pub fn run(ctx: &Context, dev: Option<&str>) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let Some(d) = dev else {
        // No statistics are printed: the kernel need not gather them.
        return stream_links(ctx, conn, rlink::dump_links_request_with(None, false)?);
    };
    let l = rlink::get_link(&mut conn, d).map_err(|e| match e {
        Error::NotFound(_) => CliError::new(1, format!("Device \"{d}\" does not exist.")),
        e => CliError::from(e),
    })?;
    let mut lookups = Lookups::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    let style = HeaderStyle {
        details: ctx.details,
        ..LINK_SHOW
    };
    header(&mut stream.begin_record(), &mut lookups, &l.view(), style)?;
    stream.end_record()?;
    stream.finish()?;
    Ok(0)
}

/// Show the ports of `master` (`link show master BR`), with the kernel
/// filtering the dump as for iproute2.
pub fn run_master(ctx: &Context, master: &str) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let index = rlink::link_index(&mut conn, master)
        .map_err(|_| invalid_arg(master, "Device does not exist"))?;
    stream_links(
        ctx,
        conn,
        rlink::dump_links_request_with(Some(index), false)?,
    )
}

/// Each link of the dump printed as it arrives.
fn stream_links(
    ctx: &Context,
    mut conn: rawnet::netlink::Connection,
    request: Request,
) -> Result<i32, CliError> {
    let style = HeaderStyle {
        details: ctx.details,
        ..LINK_SHOW
    };
    let mut lookups = Lookups::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    let status = conn.dump_with_lookahead(request, |msg, rest| {
        if msg.message_type() != RTM_NEWLINK {
            return Ok(());
        }
        let l = Link::parse(&msg).map_err(Error::from)?;
        lookups.remember(&l);
        lookups.look_ahead(&l, rest);
        header(&mut stream.begin_record(), &mut lookups, &l, style)?;
        stream.end_record()
    });
    stream.finish()?;
    warn_if_interrupted(status?);
    Ok(0)
}

/// What `ip link show`, `ip addr show` and `ip monitor` print differently
/// about a link.
#[derive(Debug, Clone, Copy)]
pub struct HeaderStyle {
    /// `ip link` rather than `ip addr` (iproute2's `do_link`): `mode`,
    /// `alias`, and with details `addrgenmode`.
    pub link_command: bool,
    /// The `link/TYPE ADDR brd ADDR` part; `ip addr` leaves it out under
    /// `-4`/`-6` unless details are asked for.
    pub link_line: bool,
    /// `qlen N` (iproute2's `filter.showqueue`: set by `show`, not by `monitor`).
    pub queue_length: bool,
    /// `-d`.
    pub details: bool,
}

/// The header of link `l`: in text the flags line, the `link/` line per
/// `style`, and the newline that ends them; in JSON its keys, written into
/// an object the caller has opened.
pub fn header(
    o: &mut Out<'_>,
    lookups: &mut Lookups,
    l: &Link<'_>,
    style: HeaderStyle,
) -> Result<(), CliError> {
    match o {
        Out::Text(s) => {
            let netns = match l.link_netnsid.filter(|&id| id >= 0) {
                Some(id) => lookups.netns_name(id)?,
                None => None,
            };
            let shown = lookups.shown(l, style.details)?;
            text_link(s, &shown, netns.as_deref(), style);
        }
        Out::Json(j) => json_link(j, &lookups.shown(l, style.details)?, style),
    }
    Ok(())
}

/// iproute2 prints the alias for `ip link`, and for `ip addr` only with details.
fn alias_shown(style: HeaderStyle) -> bool {
    style.link_command || style.details
}
