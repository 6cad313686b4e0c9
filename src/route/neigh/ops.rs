//! Neighbour operations: [`NeighbourSpec`], the request builders (pure: they
//! encode like iproute2 6.1, checked against captured bytes in `tests.rs`) and
//! the operations that send them (I/O).
//!
//! Attributes go in the order `NDA_PROTOCOL`, `NDA_DST`, `NDA_FLAGS_EXT`,
//! `NDA_LLADDR`; a delete carries the state `ip neigh` defaults to
//! (`NUD_PERMANENT`).

use std::net::IpAddr;

use super::consts::*;
use super::view::{NdMsg, Neighbour, NeighbourData, NeighbourInfo};
use crate::error::{Error, Invalid, Missing, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Connection, DumpStatus, MessageBuilder, Request};
use crate::route::prefix::{addr_bytes, family_of};

/// A neighbour to add, replace, change or delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighbourSpec {
    /// The interface; 0 only for a proxy entry on no device.
    pub index: u32,
    /// The network address; its family is the message's.
    pub dst: IpAddr,
    /// `NDA_LLADDR`; `None` sends none (`lladdr null`, or a proxy entry).
    pub lladdr: Option<Vec<u8>>,
    /// `NUD_*`; iproute2 defaults to `NUD_PERMANENT`, deletes included.
    pub state: u16,
    /// `NTF_*`: `NTF_PROXY` for a proxy entry, `NTF_ROUTER`, `NTF_USE`, ...
    pub flags: u8,
    /// `NTF_EXT_*`, sent as `NDA_FLAGS_EXT` when not 0.
    pub flags_ext: u32,
    /// `NDA_PROTOCOL`.
    pub protocol: Option<u8>,
}

impl NeighbourSpec {
    /// A permanent entry `dst` -> `lladdr` on link `index` (iproute2's default state).
    pub fn new(index: u32, dst: IpAddr, lladdr: Option<Vec<u8>>) -> Self {
        NeighbourSpec {
            index,
            dst,
            lladdr,
            state: NUD_PERMANENT,
            flags: 0,
            flags_ext: 0,
            protocol: None,
        }
    }

    /// A proxy entry for `dst` on link `index` (0: on every device).
    pub fn proxy(index: u32, dst: IpAddr) -> Self {
        NeighbourSpec {
            flags: NTF_PROXY,
            ..NeighbourSpec::new(index, dst, None)
        }
    }
}

fn neighbour_request(kind: u16, flags: u16, spec: &NeighbourSpec) -> Result<Request> {
    let mut m = MessageBuilder::new(kind, flags);
    m.header(&NdMsg {
        ndm_family: family_of(&spec.dst),
        ndm_ifindex: spec.index as i32,
        ndm_state: spec.state,
        ndm_flags: spec.flags,
        ..Default::default()
    });
    if let Some(p) = spec.protocol {
        m.put_u8(NDA_PROTOCOL, p);
    }
    m.put(NDA_DST, &addr_bytes(&spec.dst));
    if spec.flags_ext != 0 {
        m.put_u32(NDA_FLAGS_EXT, spec.flags_ext);
    }
    if let Some(l) = &spec.lladdr {
        m.put(NDA_LLADDR, l);
    }
    m.finish()
}

/// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_EXCL` (`ip neigh add`).
pub fn add_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, spec)
}

/// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_REPLACE` (`ip neigh replace`).
pub fn replace_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, spec)
}

/// `RTM_NEWNEIGH` with `NLM_F_REPLACE` alone (`ip neigh change`): the entry must exist.
pub fn change_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_NEWNEIGH, NLM_F_REPLACE, spec)
}

/// `RTM_DELNEIGH` (`ip neigh del`).
pub fn delete_neighbour_request(spec: &NeighbourSpec) -> Result<Request> {
    neighbour_request(RTM_DELNEIGH, 0, spec)
}

/// `RTM_DELNEIGH` for an entry read from the kernel (what a flush sends):
/// a borrowed [`Neighbour`] straight from a dump, or an owned one.
pub fn delete_existing_neighbour_request<B>(n: &NeighbourData<B>) -> Result<Request> {
    let Some(dst) = n.dst else {
        return Err(Error::Invalid(Invalid::Missing(
            Missing::NeighbourDestination,
        )));
    };
    let mut m = MessageBuilder::new(RTM_DELNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: n.family,
        ndm_ifindex: n.index as i32,
        ndm_state: n.state,
        ndm_flags: n.flags,
        ndm_type: n.kind,
        ..Default::default()
    });
    m.put(NDA_DST, &addr_bytes(&dst));
    m.finish()
}

/// `RTM_GETNEIGH` dump request as `ip neigh show` sends it: `family` (0 for
/// all), `ndm_flags` `NTF_PROXY` for the proxy table, and under strict
/// checking the kernel filters by `NDA_IFINDEX` (`index`, 0 for all) and
/// `NDA_MASTER` (`master`, 0 for none).
pub fn dump_neighbours_request(
    family: u8,
    index: u32,
    master: u32,
    proxy: bool,
) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: family,
        ndm_flags: if proxy { NTF_PROXY } else { 0 },
        ..Default::default()
    });
    if index != 0 {
        m.put_u32(NDA_IFINDEX, index);
    }
    if master != 0 {
        m.put_u32(NDA_MASTER, master);
    }
    m.finish()
}

/// `RTM_GETNEIGH` for one entry (`ip neigh get`); `proxy` asks the proxy table.
pub fn get_neighbour_request(index: u32, dst: &IpAddr, proxy: bool) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: family_of(dst),
        ndm_ifindex: index as i32,
        ndm_flags: if proxy { NTF_PROXY } else { 0 },
        ..Default::default()
    });
    m.put(NDA_DST, &addr_bytes(dst));
    m.finish()
}

/// Add a neighbour; fails with `EEXIST` when there is one.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn add_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(add_neighbour_request(spec)?)
}

/// Add or overwrite a neighbour.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn replace_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(replace_neighbour_request(spec)?)
}

/// Change an existing neighbour; fails with `ENOENT` when there is none.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn change_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(change_neighbour_request(spec)?)
}

/// Delete a neighbour; fails with `ENOENT` when there is none.
#[doc(alias = "RTM_DELNEIGH")]
pub fn delete_neighbour(conn: &mut Connection, spec: &NeighbourSpec) -> Result<()> {
    conn.execute(delete_neighbour_request(spec)?)
}

/// One neighbour (`ip neigh get`). A missing entry is the kernel's refusal
/// (`ENOENT`, "Neighbour entry not found").
#[doc(alias = "RTM_GETNEIGH")]
pub fn get_neighbour(
    conn: &mut Connection,
    index: u32,
    dst: &IpAddr,
    proxy: bool,
) -> Result<NeighbourInfo> {
    let mut found = None;
    conn.request(get_neighbour_request(index, dst, proxy)?, |msg| {
        if msg.message_type() == RTM_NEWNEIGH && found.is_none() {
            found = Some(Neighbour::parse(&msg)?.to_owned());
        }
        Ok(())
    })?;
    found.ok_or(Error::Truncated {
        what: "RTM_GETNEIGH answer without a neighbour",
    })
}

fn collect(
    conn: &mut Connection,
    request: Request,
    keep: impl Fn(&Neighbour<'_>) -> bool,
) -> Result<Vec<NeighbourInfo>> {
    conn.dump_collect(request, |msg| {
        if msg.message_type() != RTM_NEWNEIGH {
            return Ok(None);
        }
        let n = Neighbour::parse(&msg)?;
        Ok(keep(&n).then(|| n.to_owned()))
    })
}

/// Each entry of a neighbour dump of `family` (0: all), link `index` (0:
/// all), bridge `master` (0: any) and the proxy table or not, as
/// [`dump_neighbours_request`] asks for it, handed to `f` as a view borrowed
/// from the receive buffer: nothing is kept. Says whether the table changed
/// while it was read.
pub fn for_each_neighbour<E, F>(
    conn: &mut Connection,
    request: Request,
    f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Neighbour<'_>) -> std::result::Result<(), E>,
{
    conn.for_each_view::<Neighbour<'_>, _, _>(request, f)
}

/// Every neighbour of `family` (0: IPv4 and IPv6) and of link `index`
/// (`None`: all), in the kernel's order, whatever their state.
#[doc(alias = "RTM_GETNEIGH")]
pub fn dump_neighbours(
    conn: &mut Connection,
    family: u8,
    index: Option<u32>,
) -> Result<Vec<NeighbourInfo>> {
    let request = dump_neighbours_request(family, index.unwrap_or(0), 0, false)?;
    collect(conn, request, |n| {
        (family == 0 || n.family == family)
            && index.map_or(true, |i| i == n.index)
            && n.flags & NTF_PROXY == 0
    })
}

/// Every proxy entry of `family` (0: both) and of link `index` (`None`: all).
#[doc(alias = "RTM_GETNEIGH")]
pub fn dump_proxy_neighbours(
    conn: &mut Connection,
    family: u8,
    index: Option<u32>,
) -> Result<Vec<NeighbourInfo>> {
    let request = dump_neighbours_request(family, index.unwrap_or(0), 0, true)?;
    collect(conn, request, |n| {
        (family == 0 || n.family == family) && index.map_or(true, |i| i == n.index)
    })
}
