//! Link headers as iproute2 6.1 prints them (`print_linkinfo`,
//! `print_name_and_link`, `print_link_flags`), text and JSON, keys and order
//! included: all of `rawnet link show`, and the per-link part of `rawnet addr
//! show` ([`HeaderStyle`] says which). With `-d`: promiscuity, allmulti,
//! min/max MTU, the link kind and its parameters (`details/`), a
//! port's master kind and its parameters, addrgenmode, queues and GSO/TSO/GRO
//! limits.
//!
//! `link show` also has iproute2's selectors (`args.rs`), `-s` counters
//! (`stats.rs`, also after `ip -s addr`'s addresses: [`counters`]), `-br`
//! rows (`brief.rs`, also `ip -0 -br addr`'s: [`brief_row`]) and `-o`
//! (inner line breaks as `\\`).
//!
//! One file per concern: `args.rs` (the words of `link show`), `lookups.rs`
//! (names a link refers to), `names.rs` (iproute2's words for numbers),
//! `text.rs` and `json.rs` (the two printers), `stats.rs`, `brief.rs`.

mod args;
mod brief;
mod json;
mod lookups;
mod names;
mod stats;
#[cfg(test)]
mod tests;
mod text;
mod xdp;

use rawnet::netlink::Request;
use rawnet::route::link::{self as rlink, Link, LinkDumpFilter, MasterFilter};
use rawnet::route::RTM_NEWLINK;
use rawnet::Error;

use crate::cli::arg_errors::usage_error;
use crate::cli::os_args::unescape;
use crate::cli::output::{warn_if_interrupted, Out, Stream};
use crate::cli::{CliError, Context};
use args::{Found, MasterSel, ShowArgs};
use brief::{json_brief, text_brief};
use json::json_link;
pub use lookups::Lookups;
pub(crate) use names::OPER_STATES;
pub use stats::StatsStyle;
use stats::{json_stats, text_stats};
use text::text_link;

const LINK_SHOW: HeaderStyle = HeaderStyle {
    link_command: true,
    link_line: true,
    queue_length: true,
    details: false,
};

/// `link show [SELECTORS]` (see `args.rs`): one link by name, or the links
/// of a dump, each printed as it arrives.
pub fn run(ctx: &Context, words: &[String]) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let mut lookup = |name: &str| -> Result<Option<Found>, CliError> {
        Ok(
            rlink::get_link_by_any_name(&mut conn, unescape(name), false)?.map(|l| Found {
                index: l.index,
                is_vrf: l.kind.as_deref() == Some("vrf"),
            }),
        )
    };
    let Some(sel) = args::parse(words, &mut lookup)? else {
        return Err(usage_error(super::USAGE));
    };
    let stats = ctx.stats > 0;
    let Some(dev) = sel.dev else {
        let filter = LinkDumpFilter {
            master: sel.master.map(|m| match m {
                MasterSel::Index(i) => MasterFilter::Index(i),
                MasterSel::None => MasterFilter::None,
            }),
            kind: sel.kind,
            stats,
        };
        let request = rlink::dump_links_matching_request(&filter)?;
        return stream_links(ctx, conn, request, &sel);
    };
    let l = rlink::get_link_by_any_name(&mut conn, unescape(dev), stats)?
        .ok_or_else(|| CliError::new(1, format!("Device \"{dev}\" does not exist.")))?;
    let mut lookups = Lookups::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    record(ctx, &mut stream, &mut lookups, &l.view(), &sel)?;
    stream.finish()?;
    Ok(0)
}

/// Each link of the dump printed as it arrives.
fn stream_links(
    ctx: &Context,
    mut conn: rawnet::netlink::Connection,
    request: Request,
    sel: &ShowArgs<'_>,
) -> Result<i32, CliError> {
    let mut lookups = Lookups::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    let status = conn.dump_with_lookahead(request, |msg, rest| {
        if msg.message_type() != RTM_NEWLINK {
            return Ok(());
        }
        let l = Link::parse(&msg).map_err(Error::from)?;
        lookups.remember(&l);
        lookups.look_ahead(&l, rest);
        record(ctx, &mut stream, &mut lookups, &l, sel)
    });
    stream.finish()?;
    warn_if_interrupted(status?);
    Ok(0)
}

/// One link of `link show`: the header (or the `-br` row) with, under `-s`,
/// its counters. A link the selectors leave out is nothing in text and an
/// empty object in JSON, as iproute2 prints it.
fn record(
    ctx: &Context,
    stream: &mut Stream,
    lookups: &mut Lookups,
    l: &Link<'_>,
    sel: &ShowArgs<'_>,
) -> Result<(), CliError> {
    let style = HeaderStyle {
        details: ctx.details,
        ..LINK_SHOW
    };
    let mut o = stream.begin_record();
    if sel.admits(l) {
        match (&mut o, ctx.brief) {
            (_, true) => brief_row(&mut o, lookups, l)?,
            (Out::Text(s), false) => {
                let netns = match l.link_netnsid.filter(|&id| id >= 0) {
                    Some(id) => lookups.netns_name(id)?,
                    None => None,
                };
                let shown = lookups.shown(l, style.details)?;
                text_link(s, &shown, netns.as_deref(), style, StatsStyle::of(ctx));
            }
            (Out::Json(j), false) => {
                json_link(j, &lookups.shown(l, style.details)?, style, ctx.stats)
            }
        }
    }
    stream.end_record()
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
            text_link(s, &shown, netns.as_deref(), style, StatsStyle::OFF);
        }
        Out::Json(j) => json_link(j, &lookups.shown(l, style.details)?, style, 0),
    }
    Ok(())
}

/// The `-br` row of link `l` as `ip -br link` prints it (iproute2's
/// `print_linkinfo_brief` for `AF_PACKET`): also what `ip -0 -br addr`
/// prints of a link. Text ends with its newline; JSON keys go into an
/// object the caller has opened.
pub fn brief_row(o: &mut Out<'_>, lookups: &mut Lookups, l: &Link<'_>) -> Result<(), CliError> {
    match o {
        Out::Text(s) => text_brief(s, &lookups.shown(l, false)?),
        Out::Json(j) => json_brief(j, &lookups.shown(l, false)?),
    }
    Ok(())
}

/// The counters `ip -s addr` prints after a link's addresses (iproute2's
/// `print_link_stats`): in text from the start of a line, ended by `_SL_`;
/// in JSON `stats64`, into the link's object.
pub fn counters(o: &mut Out<'_>, l: &Link<'_>, style: StatsStyle) {
    match o {
        Out::Text(s) => {
            if let Some(st) = l.counters() {
                text_stats(s, &st, l.carrier_changes, style, text::line_break());
            }
        }
        Out::Json(j) => {
            if let Some(st) = l.counters() {
                json_stats(j, &st, l.carrier_changes, style.level);
            }
        }
    }
    o.line_break();
}

/// iproute2 prints the alias for `ip link`, and for `ip addr` only with details.
fn alias_shown(style: HeaderStyle) -> bool {
    style.link_command || style.details
}
