//! What a link's output refers to, looked up once: [`Lookups`] holds the
//! link names and flags (remembered from the links shown, else asked for on
//! a connection of their own, see [`LinkNames`]) and the namespace names;
//! [`Shown`] is one link with the names of its peer, master and (with `-d`)
//! what its kind data points at.

use rawnet::netlink::{Connection, Messages};
use rawnet::route::kind::{KindData, SlaveData};
use rawnet::route::link::{IfInfoMsg, Link, LinkFlags};
use rawnet::route::RTM_NEWLINK;

use crate::cli::link::details;
use crate::cli::link::nsid;
use crate::cli::link_names::{LinkName, LinkNames};
use crate::cli::os_args::escape;
use crate::cli::{CliError, Context};

/// What a link's `IFLA_LINK` shows as.
pub(super) enum Peer<'s> {
    /// No `IFLA_LINK`.
    Absent,
    /// `IFLA_LINK` 0: `@NONE`, JSON `"link": null`.
    Zero,
    /// A link in this namespace: its name (or `ifN` when it cannot be found).
    Here(LinkName<'s>),
    /// A link in the namespace `IFLA_LINK_NETNSID` names: `@ifN`, JSON `link_index`.
    Elsewhere(u32),
}

/// A link with the names its output refers to, borrowed from the lookups
/// (`'s`): showing a link allocates nothing but what `-d` adds.
pub(super) struct Shown<'a, 's> {
    pub(super) l: &'a Link<'a>,
    pub(super) peer: Peer<'s>,
    /// The linked device (in this namespace) is down or missing: `M-DOWN`.
    pub(super) mdown: bool,
    pub(super) master: Option<LinkName<'s>>,
    /// With details: the kind's and the port's decoded data, and the names
    /// they refer to.
    pub(super) kind_data: Option<KindData>,
    pub(super) slave_data: Option<SlaveData>,
    pub(super) names: details::Names,
}

/// Link names and flags, and namespace names, as they are looked up.
pub struct Lookups {
    names: LinkNames,
    netns_names: Option<Vec<(i32, String)>>,
}

impl Lookups {
    /// Lookups in the namespace of `ctx`, where `conn` is (without one, a
    /// socket is opened when first needed); nothing is asked yet.
    pub fn new(ctx: &Context, conn: Option<&Connection>) -> Lookups {
        Lookups {
            names: LinkNames::new(ctx, conn),
            netns_names: None,
        }
    }

    /// Remember a link being shown, so that links after it name it without asking.
    pub fn remember(&mut self, l: &Link<'_>) {
        self.names
            .remember(l.index, &escape(l.name_or_empty()), l.flags);
    }

    /// Before `l` is shown: the links it names (its peer, its master) that
    /// come later in the same datagram, remembered from there, so that they
    /// need not be asked for. `rest` is what follows `l` in its datagram.
    pub fn look_ahead(&mut self, l: &Link<'_>, rest: Messages<'_>) {
        for index in [l.link, l.master].into_iter().flatten() {
            if index == 0 || self.names.knows(index) || l.link_netnsid.is_some() {
                continue;
            }
            for msg in rest.clone().map_while(Result::ok) {
                if msg.message_type() != RTM_NEWLINK {
                    continue;
                }
                let Ok((ifi, _)) = msg.fixed::<IfInfoMsg>("ifinfomsg") else {
                    continue;
                };
                if ifi.ifi_index as u32 == index {
                    if let Ok(ahead) = Link::parse(&msg) {
                        self.remember(&ahead);
                    }
                    break;
                }
            }
        }
    }

    /// The link names and flags, for printers of other objects (`dev NAME`).
    pub fn names(&mut self) -> &mut LinkNames {
        &mut self.names
    }

    pub(super) fn shown<'a, 's>(
        &'s mut self,
        l: &'a Link<'a>,
        details: bool,
    ) -> Result<Shown<'a, 's>, CliError> {
        let mut mdown = false;
        // Look everything up first; then the names are borrowed from the cache.
        let here = l.link.filter(|&i| i != 0 && l.link_netnsid.is_none());
        if let Some(i) = here {
            // iproute2's ll_index_to_flags gives all bits (-1) for a link it
            // cannot find, so a missing peer is never `M-DOWN`.
            mdown = self
                .names
                .flags(i)?
                .is_some_and(|f| !f.contains(LinkFlags::UP));
        }
        if let Some(m) = l.master {
            self.names.name(m)?;
        }
        let (mut kind_data, mut slave_data) = (None, None);
        let mut names = details::Names::default();
        if details {
            kind_data = l.kind_data().map_err(rawnet::Error::from)?;
            slave_data = l.slave_data().map_err(rawnet::Error::from)?;
            let link = match &kind_data {
                Some(KindData::Vxlan(v)) => v.link,
                Some(KindData::Ipip(t) | KindData::Gre(t)) => t.link,
                _ => None,
            };
            if let Some(i) = link.filter(|&i| i != 0) {
                names.link = Some(self.names.name(i)?.to_string());
            }
            if let Some(SlaveData::Bridge(p)) = &slave_data {
                if let Some(i) = p.backup_port {
                    names.backup_port = Some(self.names.name(i)?.to_string());
                }
            }
        }
        let cache: &'s LinkNames = &self.names;
        let peer = match l.link {
            None => Peer::Absent,
            Some(0) => Peer::Zero,
            Some(i) if l.link_netnsid.is_some() => Peer::Elsewhere(i),
            Some(i) => Peer::Here(cache.known_name(i)),
        };
        let master = l.master.map(|m| cache.known_name(m));
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

    pub(super) fn netns_name(&mut self, id: i32) -> Result<Option<String>, CliError> {
        if self.netns_names.is_none() {
            let ids = nsid::named_ids(self.names.connection()?);
            self.netns_names = Some(ids);
        }
        let names = self.netns_names.as_deref().unwrap_or_default();
        Ok(names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()))
    }
}
