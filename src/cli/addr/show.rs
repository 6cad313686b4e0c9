//! `ip address show` as a stream: each link's header, then its addresses,
//! written as the link arrives, without keeping the link or address dumps.
//!
//! The link dump runs on the command's connection; the IPv4 and IPv6
//! address dumps run alongside it on connections of their own, read with
//! [`DumpCursor`]s and merged by interface index: the kernel walks devices
//! in index order for every one of these dumps (Linux 6.10 and later), so
//! each link's addresses are at the front of each address dump when the link
//! arrives. Addresses of links the link dump did not show (created while it
//! ran) are passed over. Should a dump ever arrive out of index order (older
//! kernels walk a hash table), the links from there on get their addresses
//! from a dump filtered by their index instead: the same output, one
//! request per link.
//!
//! The selectors ([`AddrFilter`]) are applied as the records stream: a
//! link's addresses are read (into slots reused from link to link) before its
//! header is written, since iproute2 leaves out a link none of whose
//! addresses pass, yet keeps a link without any address (unless a family was
//! asked for). As iproute2 prints them, an address that fails the selectors
//! is an empty JSON object of `addr_info`, and a link that fails the link
//! selectors (`up`, `group`, `master`, `type`) an empty JSON record. `-o`
//! prints the addresses alone, each after `INDEX: DEV`; `-br` the brief head
//! and `LOCAL/LEN` of each address on one line. `-s` adds the link's
//! counters after its addresses (not under `-o` or `-br`, where iproute2
//! prints no link header).
//!
//! Under `-0` every link is shown, with no address (`-br`: the row of `ip
//! -br link`, MAC and flags). Under `-4`/`-6` a link is shown only when it has an address of that
//! family, and the links are described as the kernel describes them to that
//! family (`AF_INET6` leaves out the queue length, which is then asked with
//! an ioctl, as iproute2 does).

use std::os::fd::AsFd;

use rawnet::netlink::{Connection, DumpCursor, Messages, NetlinkSocket};
use rawnet::route::addr::{
    dump_addresses_request, links_request, Address, AddressInfo, IfAddrMsg, LinkSelection,
};
use rawnet::route::link::{self as rlink, Link, LinkFlags};
use rawnet::route::{RTM_NEWADDR, RTM_NEWLINK};
use rawnet::Error;

use super::brief::brief_link;
use super::filter::{AddrFilter, Master};
use super::print::{address_as, AddressStyle};
use crate::cli::link::show::{brief_row, counters, header, HeaderStyle, Lookups, StatsStyle};
use crate::cli::output::{warn_if_interrupted, Out, Stream};
use crate::cli::{CliError, Context};

/// The addresses of one link, kept until its header is written: slots
/// reused from link to link, each with whether it passed the selectors.
#[derive(Default)]
struct Pending {
    slots: Vec<(bool, AddressInfo)>,
    len: usize,
}

impl Pending {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn push(&mut self, passed: bool, a: &Address<'_>) {
        match self.slots.get_mut(self.len) {
            Some((p, slot)) => {
                *p = passed;
                let mut label = slot.label.take().unwrap_or_default();
                label.clear();
                let labelled = a.label.map(|l| label.extend_from_slice(l)).is_some();
                *slot = AddressInfo {
                    family: a.family,
                    prefix_len: a.prefix_len,
                    scope: a.scope,
                    index: a.index,
                    flags: a.flags,
                    address: a.address,
                    local: a.local,
                    label: labelled.then_some(label),
                    broadcast: a.broadcast,
                    anycast: a.anycast,
                    cacheinfo: a.cacheinfo,
                    rt_priority: a.rt_priority,
                };
            }
            None => self.slots.push((passed, a.to_owned())),
        }
        self.len += 1;
    }

    fn iter(&self) -> impl Iterator<Item = &(bool, AddressInfo)> {
        self.slots[..self.len].iter()
    }
}

/// The addresses of one family, read alongside the link dump.
struct AddressFeed<'c> {
    family: u8,
    cursor: DumpCursor<'c, NetlinkSocket>,
    /// Index of the address the cursor was last on (order check).
    last: u32,
    /// The dump left index order: each link's addresses are asked for alone.
    per_link: bool,
}

impl AddressFeed<'_> {
    /// The interface index of the message the cursor is on, from its
    /// `ifaddrmsg` alone (the address is parsed once, when printed).
    fn current_index(&self) -> Result<Option<u32>, CliError> {
        let Some(m) = self.cursor.current() else {
            return Ok(None);
        };
        if m.message_type() != RTM_NEWADDR {
            return Ok(Some(0));
        }
        let (ifa, _) = m.fixed::<IfAddrMsg>("ifaddrmsg").map_err(Error::from)?;
        Ok(Some(ifa.ifa_index))
    }

    /// Position the feed on the addresses of link `index` (passing over
    /// those of lower indexes); whether it has any.
    fn seek(&mut self, index: u32, links_in_order: bool) -> Result<bool, CliError> {
        if !links_in_order && !self.per_link {
            self.per_link = true;
        }
        if self.per_link {
            self.cursor
                .restart(dump_addresses_request(self.family, index)?)?;
            self.last = 0;
        }
        while let Some(i) = self.current_index()? {
            if i < self.last {
                // Out of index order from here on: ask for this link's own.
                self.per_link = true;
                self.cursor
                    .restart(dump_addresses_request(self.family, index)?)?;
                self.last = 0;
                continue;
            }
            self.last = i;
            if i >= index {
                return Ok(i == index);
            }
            self.cursor.advance()?;
        }
        Ok(false)
    }

    /// Read the addresses of link `index` the feed is on into `pending`,
    /// moving past them; `dev` is the link's name (the label of an address
    /// without one).
    fn collect(
        &mut self,
        pending: &mut Pending,
        index: u32,
        filter: &AddrFilter<'_>,
        dev: &str,
    ) -> Result<(), CliError> {
        loop {
            let Some(m) = self.cursor.current() else {
                return Ok(());
            };
            if m.message_type() == RTM_NEWADDR {
                let a = Address::parse(&m).map_err(Error::from)?;
                if a.index != index {
                    return Ok(());
                }
                pending.push(filter.address_matches(&a, dev), &a);
            }
            self.cursor.advance()?;
        }
    }
}

/// What `addr show` was asked: the selectors, the device (index) and master
/// they name, looked up.
pub(super) struct Selection<'f> {
    pub filter: &'f AddrFilter<'f>,
    pub index: Option<u32>,
    pub master: Option<Master>,
}

/// `addr show` with the selectors of `sel` and the global options of `ctx`.
pub(super) fn show(
    ctx: &Context,
    sel: &Selection<'_>,
    mut conn: Connection,
) -> Result<i32, CliError> {
    let filter = sel.filter;
    let family = filter.family;
    // `-0`: links alone, every one, each with its link line (iproute2 asks
    // for no addresses at all).
    let links_only = family == Some(libc::AF_PACKET as u8);
    let v4 = !links_only && family != Some(libc::AF_INET6 as u8);
    let v6 = !links_only && family != Some(libc::AF_INET as u8);
    let mut conn4 = if v4 { Some(ctx.rtnl()?) } else { None };
    let mut conn6 = if v6 { Some(ctx.rtnl()?) } else { None };
    let mut feeds = Vec::with_capacity(2);
    for (conn, fam) in [
        (conn4.as_mut(), libc::AF_INET as u8),
        (conn6.as_mut(), libc::AF_INET6 as u8),
    ] {
        if let Some(c) = conn {
            feeds.push(AddressFeed {
                family: fam,
                cursor: c.dump_cursor(dump_addresses_request(fam, sel.index.unwrap_or(0))?)?,
                last: 0,
                per_link: false,
            });
        }
    }
    let style = HeaderStyle {
        link_command: false,
        link_line: family.is_none() || links_only || ctx.details,
        queue_length: true,
        details: ctx.details,
    };
    let stats = StatsStyle::of(ctx);
    // iproute2 prints no link under -o (but with -br it does).
    let with_link = ctx.brief || !ctx.oneline || links_only;
    let mut lookups = Lookups::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    let mut pending = Pending::default();
    let mut last_link = 0;
    // The ioctl that supplies a missing queue length goes over a socket of
    // the namespace that is not busy with the link dump.
    let ioctl_socket = conn
        .socket()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| CliError::from(Error::io("dup", e)))?;
    let mut each_link = |l: &Link<'_>, rest: Messages<'_>| -> Result<(), CliError> {
        lookups.remember(l);
        lookups.look_ahead(l, rest);
        let in_order = l.index > last_link;
        last_link = last_link.max(l.index);
        let mut any = false;
        for f in feeds.iter_mut() {
            any |= f.seek(l.index, in_order)?;
        }
        let name = crate::cli::os_args::escape(l.name_or_empty());
        let name = &*name;
        pending.clear();
        for f in feeds.iter_mut() {
            f.collect(&mut pending, l.index, filter, name)?;
        }
        // iproute2's ipaddr_filter: a link with an address that passes, or
        // with no address at all when no family is asked for.
        let passes = links_only || pending.iter().any(|(p, _)| *p) || (!any && family.is_none());
        if !passes {
            return Ok(());
        }
        let mut o = stream.begin_record();
        if with_link && !filter.link_matches(l, sel.master) {
            // print_linkinfo refused it: an empty record.
            return stream.end_record();
        }
        // iproute2's print_linkinfo printed the link's header (under -s
        // its counters follow the addresses).
        let header_shown = with_link && filter.label.is_none() && !ctx.brief;
        if with_link && filter.label.is_none() {
            if ctx.brief && links_only {
                brief_row(&mut o, &mut lookups, l)?;
            } else if ctx.brief {
                brief_link(&mut o, &mut lookups, l)?;
            } else {
                let with_txqlen;
                let l = match (l.txqlen, l.name) {
                    (None, Some(name)) => {
                        with_txqlen = Link {
                            txqlen: rlink::tx_queue_length(&ioctl_socket, name).ok(),
                            ..l.clone()
                        };
                        &with_txqlen
                    }
                    _ => l,
                };
                header(&mut o, &mut lookups, l, style)?;
            }
        }
        if links_only {
            if header_shown && stats.level > 0 {
                counters(&mut o, l, stats);
            }
            return stream.end_record();
        }
        if let Out::Json(j) = &mut o {
            j.key_array("addr_info");
        }
        let address_style = if ctx.brief {
            AddressStyle::Brief
        } else if ctx.oneline {
            AddressStyle::OneLine(l.index, name)
        } else {
            AddressStyle::UnderLink
        };
        let up = l.flags.contains(LinkFlags::UP);
        for (passed, a) in pending.iter() {
            if filter.up && !up {
                continue;
            }
            if let Out::Json(j) = &mut o {
                j.begin_object();
            }
            if *passed {
                address_as(&mut o, a, address_style);
            }
            if let Out::Json(j) = &mut o {
                j.end_object();
            }
        }
        match &mut o {
            Out::Json(j) => j.end_array(),
            Out::Text(s) if ctx.brief => s.push('\n'),
            Out::Text(_) => {}
        }
        if header_shown && stats.level > 0 {
            counters(&mut o, l, stats);
        }
        stream.end_record()
    };
    let link_sel = LinkSelection {
        // iproute2 asks for one link with the filter's family, dumps with -4/-6's.
        family: if sel.index.is_some() {
            family.unwrap_or(0)
        } else {
            ctx.family.unwrap_or(0)
        },
        index: sel.index.unwrap_or(0),
        master: match sel.master {
            Some(Master::Index(i)) => Some(i),
            Some(Master::None) => Some(u32::MAX),
            None => None,
        },
        kind: filter.kind,
    };
    let result = match sel.index {
        Some(_) => {
            let mut found = None;
            conn.request(links_request(&link_sel)?, |msg| {
                if msg.message_type() == RTM_NEWLINK && found.is_none() {
                    found = Some(Link::parse(&msg)?.to_info());
                }
                Ok(())
            })
            .map_err(CliError::from)?;
            match found {
                Some(l) => each_link(&l.view(), Messages::new(&[])),
                None => Ok(()),
            }
        }
        None => conn
            .dump_with_lookahead(links_request(&link_sel)?, |msg, rest| {
                if msg.message_type() != RTM_NEWLINK {
                    return Ok(());
                }
                each_link(&Link::parse(&msg).map_err(Error::from)?, rest)
            })
            .map(warn_if_interrupted),
    };
    stream.finish()?;
    result?;
    Ok(0)
}
