//! What a link's output refers to, looked up once: [`Lookups`] holds the
//! connection, the link names and flags already seen (from the links shown,
//! then GETs or one dump) and the namespace names; [`Shown`] is one link with
//! the names of its peer, master and (with `-d`) what its kind data points at.

use rawnet::netlink::Connection;
use rawnet::route::kind::{KindData, SlaveData};
use rawnet::route::link::{LinkFlags, LinkInfo};
use rawnet::Error;

use crate::cli::link::details;
use crate::cli::link::nsid;
use crate::cli::link_lookup::LinkNames;

/// What a link's `IFLA_LINK` shows as.
pub(super) enum Peer {
    /// No `IFLA_LINK`.
    Absent,
    /// `IFLA_LINK` 0: `@NONE`, JSON `"link": null`.
    Zero,
    /// A link in this namespace: its name (or `ifN` when it cannot be found).
    Here(String),
    /// A link in the namespace `IFLA_LINK_NETNSID` names: `@ifN`, JSON `link_index`.
    Elsewhere(u32),
}

/// A link with the names its output refers to.
pub(super) struct Shown<'a> {
    pub(super) l: &'a LinkInfo,
    pub(super) peer: Peer,
    /// The linked device (in this namespace) is down or missing: `M-DOWN`.
    pub(super) mdown: bool,
    pub(super) master: Option<String>,
    /// With details: the kind's and the port's decoded data, and the names
    /// they refer to.
    pub(super) kind_data: Option<KindData>,
    pub(super) slave_data: Option<SlaveData>,
    pub(super) names: details::Names,
}

/// The connection and what has been looked up with it: link names and
/// flags (from the links shown, then GETs or one dump), namespace names.
pub struct Lookups {
    conn: Connection,
    names: LinkNames,
    netns_names: Option<Vec<(i32, String)>>,
}

impl Lookups {
    /// Lookups over `conn`, knowing `links` already.
    pub fn new(conn: Connection, links: &[LinkInfo]) -> Lookups {
        let mut names = LinkNames::default();
        for l in links {
            names.remember(l);
        }
        Lookups {
            conn,
            names,
            netns_names: None,
        }
    }

    pub(super) fn shown<'a>(&mut self, l: &'a LinkInfo, details: bool) -> Result<Shown<'a>, Error> {
        let conn = &mut self.conn;
        let mut mdown = false;
        let peer = match l.link {
            None => Peer::Absent,
            Some(0) => Peer::Zero,
            Some(i) if l.link_netnsid.is_some() => Peer::Elsewhere(i),
            Some(i) => {
                // iproute2's ll_index_to_flags gives all bits (-1) for a link it
                // cannot find, so a missing peer is never `M-DOWN`.
                mdown = self
                    .names
                    .flags(conn, i)?
                    .is_some_and(|f| !f.contains(LinkFlags::UP));
                Peer::Here(self.names.name(conn, i)?)
            }
        };
        let master = match l.master {
            Some(m) => Some(self.names.name(conn, m)?),
            None => None,
        };
        let (mut kind_data, mut slave_data) = (None, None);
        let mut names = details::Names::default();
        if details {
            kind_data = l.kind_data()?;
            slave_data = l.slave_data()?;
            let link = match &kind_data {
                Some(KindData::Vxlan(v)) => v.link,
                Some(KindData::Ipip(t) | KindData::Gre(t)) => t.link,
                _ => None,
            };
            if let Some(i) = link.filter(|&i| i != 0) {
                names.link = Some(self.names.name(conn, i)?);
            }
            if let Some(SlaveData::Bridge(p)) = &slave_data {
                if let Some(i) = p.backup_port {
                    names.backup_port = Some(self.names.name(conn, i)?);
                }
            }
        }
        Ok(Shown {
            l,
            peer,
            mdown,
            master,
            kind_data,
            slave_data,
            names,
        })
    }

    pub(super) fn netns_name(&mut self, id: i32) -> Option<String> {
        let conn = &mut self.conn;
        let names = self
            .netns_names
            .get_or_insert_with(|| nsid::named_ids(conn));
        names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone())
    }
}
