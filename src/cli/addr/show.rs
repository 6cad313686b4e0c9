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
//! Under `-4`/`-6` a link is shown only when it has an address of that
//! family, and the links are described as the kernel describes them to that
//! family (`AF_INET6` leaves out the queue length, which is then asked with
//! an ioctl, as iproute2 does).

use std::os::fd::AsFd;

use rawnet::netlink::{Connection, DumpCursor, MessageBuilder, Messages, NetlinkSocket, Request};
use rawnet::route::addr::{dump_addresses_request, Address, IfAddrMsg};
use rawnet::route::link::{
    self as rlink, IfInfoMsg, Link, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
};
use rawnet::route::{RTM_GETLINK, RTM_NEWADDR, RTM_NEWLINK};
use rawnet::Error;

use super::print::address;
use crate::cli::link::show::{header, HeaderStyle, Lookups};
use crate::cli::output::{warn_if_interrupted, Out, Stream};
use crate::cli::{CliError, Context};

/// `RTM_GETLINK` of `family`, as `ip addr show` asks under `-4`/`-6`: one
/// link when `index` is not 0, else a dump. An `AF_INET6` dump is answered by
/// IPv6's own handler (no qdisc, group or txqlen), which under strict
/// checking takes no attributes, so it goes without `IFLA_EXT_MASK`.
fn link_request(family: u8, index: u32) -> Result<Request, Error> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: family,
        ifi_index: index as i32,
        ..Default::default()
    });
    if !(index == 0 && family == libc::AF_INET6 as u8) {
        m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    }
    m.finish()
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

    /// Print the addresses of link `index` the feed is on, moving past them.
    fn print(&mut self, o: &mut Out<'_>, index: u32) -> Result<(), CliError> {
        loop {
            let Some(m) = self.cursor.current() else {
                return Ok(());
            };
            if m.message_type() == RTM_NEWADDR {
                let a = Address::parse(&m).map_err(Error::from)?;
                if a.index != index {
                    return Ok(());
                }
                if let Out::Json(j) = o {
                    j.begin_object();
                }
                address(o, &a);
                if let Out::Json(j) = o {
                    j.end_object();
                }
            }
            self.cursor.advance()?;
        }
    }
}

/// `addr show [dev DEV]`, with `-4`/`-6` from `ctx`.
pub(super) fn show(
    ctx: &Context,
    index: Option<u32>,
    mut conn: Connection,
) -> Result<i32, CliError> {
    let family = ctx.family;
    let v4 = family != Some(libc::AF_INET6 as u8);
    let v6 = family != Some(libc::AF_INET as u8);
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
                cursor: c.dump_cursor(dump_addresses_request(fam, index.unwrap_or(0))?)?,
                last: 0,
                per_link: false,
            });
        }
    }
    let style = HeaderStyle {
        link_command: false,
        link_line: family.is_none() || ctx.details,
        queue_length: true,
        details: ctx.details,
    };
    let link_family = family.unwrap_or(0);
    let mut lookups = Lookups::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
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
        if family.is_some() && !any {
            return Ok(());
        }
        let with_txqlen;
        let l = match (l.txqlen, l.name.as_deref()) {
            (None, Some(name)) => {
                with_txqlen = Link {
                    txqlen: rlink::tx_queue_length(&ioctl_socket, name).ok(),
                    ..l.clone()
                };
                &with_txqlen
            }
            _ => l,
        };
        let mut o = stream.begin_record();
        header(&mut o, &mut lookups, l, style)?;
        if let Out::Json(j) = &mut o {
            j.key_array("addr_info");
        }
        for f in feeds.iter_mut() {
            f.print(&mut o, l.index)?;
        }
        if let Out::Json(j) = &mut o {
            j.end_array();
        }
        stream.end_record()
    };
    let result = match index {
        Some(i) => {
            let mut found = None;
            conn.request(link_request(link_family, i)?, |msg| {
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
        None => {
            let request = link_request(link_family, 0)?;
            conn.dump_with_lookahead(request, |msg, rest| {
                if msg.message_type() != RTM_NEWLINK {
                    return Ok(());
                }
                each_link(&Link::parse(&msg).map_err(Error::from)?, rest)
            })
            .map(warn_if_interrupted)
        }
    };
    stream.finish()?;
    result?;
    Ok(0)
}
