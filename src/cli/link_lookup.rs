//! Links as `addr show` and `route show` need them: the link list of
//! `ip addr show` fetched the way iproute2 fetches it for a family, and
//! [`LinkNames`], the index-to-name cache behind `dev NAME`, `@PEER`,
//! `master NAME` and `M-DOWN` (iproute2's `ll_index_to_name` /
//! `ll_index_to_flags`).
//!
//! Cost: a few unknown links are asked for with one `RTM_GETLINK` each; more
//! than [`MAX_SINGLE_GETS`] at once are read from one dump instead. The
//! output is the same either way. The header lines themselves are printed by
//! `link/show/`, shared with `link show`.

use std::collections::HashMap;

use rawnet::error::Error;
use rawnet::netlink::{Connection, MessageBuilder, Request};
use rawnet::route::link::{
    IfInfoMsg, Link, LinkFlags, LinkInfo, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
};
use rawnet::route::{RTM_GETLINK, RTM_NEWLINK};

/// More links than this wanted at once are fetched by one dump, not one GET each.
const MAX_SINGLE_GETS: usize = 8;

/// `RTM_GETLINK` of `family`, as `ip addr show` asks under `-4`/`-6`: one
/// link when `index` is not 0, else a dump. An `AF_INET6` dump is answered by
/// IPv6's own handler (no qdisc, group or txqlen), which under strict checking
/// takes no attributes, so it goes without `IFLA_EXT_MASK`.
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

/// The links of `ip addr show`, as the kernel describes them to `family` (0:
/// all): link `index` alone, or all of them in kernel order.
pub fn links_for_addresses(
    conn: &mut Connection,
    family: u8,
    index: Option<u32>,
) -> Result<Vec<LinkInfo>, Error> {
    match index {
        None => dump_links(conn, family),
        Some(index) => Ok(get_link(conn, family, index)?.into_iter().collect()),
    }
}

/// Every link, in kernel order, as the kernel describes them to `family`
/// (without statistics, which nothing here prints).
fn dump_links(conn: &mut Connection, family: u8) -> Result<Vec<LinkInfo>, Error> {
    conn.dump_collect(link_request(family, 0)?, |msg| {
        if msg.message_type() != RTM_NEWLINK {
            return Ok(None);
        }
        Ok(Some(Link::parse(&msg)?.to_info()))
    })
}

/// Link `index` as the kernel describes it to `family`; `None` when there is none.
fn get_link(conn: &mut Connection, family: u8, index: u32) -> Result<Option<LinkInfo>, Error> {
    let mut found = None;
    let result = conn.request(link_request(family, index)?, |msg| {
        if msg.message_type() == RTM_NEWLINK && found.is_none() {
            found = Some(Link::parse(&msg)?.to_info());
        }
        Ok(())
    });
    match result {
        Err(Error::Kernel(k)) if k.errno == libc::ENODEV => Ok(None),
        other => other.map(|()| found),
    }
}

/// Give links without `IFLA_TXQLEN` (IPv6's dump leaves it out) the one of
/// their full description, where iproute2 asks with an ioctl: one GET each
/// when few are missing, else one full dump.
pub fn fill_txqlen(conn: &mut Connection, links: &mut [LinkInfo]) -> Result<(), Error> {
    let missing = links.iter().filter(|l| l.txqlen.is_none()).count();
    if missing > MAX_SINGLE_GETS {
        let full: HashMap<u32, Option<u32>> = dump_links(conn, 0)?
            .into_iter()
            .map(|l| (l.index, l.txqlen))
            .collect();
        for l in links.iter_mut().filter(|l| l.txqlen.is_none()) {
            l.txqlen = full.get(&l.index).copied().flatten();
        }
        return Ok(());
    }
    for l in links.iter_mut().filter(|l| l.txqlen.is_none()) {
        l.txqlen = get_link(conn, 0, l.index)?.and_then(|full| full.txqlen);
    }
    Ok(())
}

/// Index-to-name lookups, cached, as iproute2's `ll_index_to_name` ("if%u"
/// when unknown); also each link's flags, for `M-DOWN`.
#[derive(Default)]
pub struct LinkNames {
    /// `None`: the kernel has no such link.
    links: HashMap<u32, Option<(String, LinkFlags)>>,
}

impl LinkNames {
    /// Remember a link already at hand (saves asking for it again).
    pub fn remember(&mut self, l: &LinkInfo) {
        self.links
            .insert(l.index, Some((l.name_or_empty().to_string(), l.flags)));
    }

    /// Look up every link of `indexes` not known yet; call it first when
    /// many names will be asked for. Many unknown links are read from one
    /// `AF_INET6` link dump: it carries names and flags at about a third of
    /// the kernel's cost of a full dump or of a GET per link (the kernel's
    /// filling of each link, not the round trips, is what costs). Links it
    /// leaves out (no IPv6 on them) are asked for one by one.
    pub fn resolve(
        &mut self,
        conn: &mut Connection,
        indexes: impl IntoIterator<Item = u32>,
    ) -> Result<(), Error> {
        let mut unknown: Vec<u32> = indexes
            .into_iter()
            .filter(|i| !self.links.contains_key(i))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if unknown.len() > MAX_SINGLE_GETS {
            for l in dump_links(conn, libc::AF_INET6 as u8)? {
                if unknown.binary_search(&l.index).is_ok() {
                    self.remember(&l);
                }
            }
            unknown.retain(|i| !self.links.contains_key(i));
        }
        for index in unknown {
            let entry = get_link(conn, 0, index)?.map(|l| (l.name_or_empty().to_string(), l.flags));
            self.links.insert(index, entry);
        }
        Ok(())
    }

    fn lookup(
        &mut self,
        conn: &mut Connection,
        index: u32,
    ) -> Result<Option<&(String, LinkFlags)>, Error> {
        self.resolve(conn, [index])?;
        Ok(self.links.get(&index).and_then(Option::as_ref))
    }

    /// The name of link `index`, or `if<index>` when there is none.
    pub fn name(&mut self, conn: &mut Connection, index: u32) -> Result<String, Error> {
        Ok(match self.lookup(conn, index)? {
            Some((name, _)) => name.clone(),
            None => format!("if{index}"),
        })
    }

    /// The link's flags; `None` when it does not exist.
    pub fn flags(&mut self, conn: &mut Connection, index: u32) -> Result<Option<LinkFlags>, Error> {
        Ok(self.lookup(conn, index)?.map(|(_, flags)| *flags))
    }
}
