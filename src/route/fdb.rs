//! The bridge forwarding database (what `bridge fdb` manages): `RTM_*NEIGH`
//! messages of family `AF_BRIDGE`, addressed to a device itself
//! (`NTF_SELF`: a vxlan device's remote table, a port's own address list) or
//! to its master (`NTF_MASTER`: the bridge it is enslaved to).
//!
//! [`FdbSpec`] describes an entry; the builders turn it into the bytes
//! `bridge fdb` (iproute2 6.1) sends, checked against captures in the tests
//! below: `NDA_LLADDR`, then `NDA_DST`, `NDA_VLAN`, `NDA_NH_ID`, `NDA_PORT`,
//! `NDA_VNI`, `NDA_SRC_VNI`, `NDA_IFINDEX`. Entries read back are
//! [`NeighbourInfo`]s, parsed by [`Neighbour::parse`].
//!
//! The vxlan overlay entries look like this: `00:00:00:00:00:00 dst REMOTE
//! self permanent` (appended once per remote: flooding) and `MAC dst REMOTE
//! self permanent` per known MAC.

use std::net::IpAddr;

use super::neigh::{
    NdMsg, Neighbour, NeighbourInfo, AF_BRIDGE, NDA_DST, NDA_IFINDEX, NDA_LLADDR, NDA_MASTER,
    NDA_NH_ID, NDA_PORT, NDA_SRC_VNI, NDA_VLAN, NDA_VNI, NTF_SELF, NUD_NOARP, NUD_PERMANENT,
    RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH,
};
use super::prefix::addr_bytes;
use crate::error::Result;
use crate::netlink::header::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Connection, MessageBuilder, Request};

/// An Ethernet address.
pub type Mac = [u8; 6];

/// One fdb entry to add, append, replace or delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdbSpec {
    /// The device (vxlan device, bridge port or bridge).
    pub index: u32,
    /// `NDA_LLADDR`; all zeros is a vxlan device's default (flood) entry.
    pub mac: Mac,
    /// `NTF_*`: `NTF_SELF` and/or `NTF_MASTER`, plus `NTF_ROUTER`, `NTF_USE`,
    /// `NTF_EXT_LEARNED`, `NTF_STICKY`.
    pub flags: u8,
    /// `NUD_*`: `NUD_NOARP | NUD_PERMANENT` (permanent, `bridge fdb`'s
    /// default), `NUD_NOARP | NUD_REACHABLE` (static), `NUD_REACHABLE` (dynamic).
    pub state: u16,
    /// `NDA_DST`: the vxlan remote.
    pub dst: Option<IpAddr>,
    /// `NDA_VLAN`.
    pub vlan: Option<u16>,
    /// `NDA_NH_ID` (exclusive with `dst`, `port`, `vni`).
    pub nh_id: Option<u32>,
    /// `NDA_PORT`: the remote's UDP port, host order (sent big-endian).
    pub port: Option<u16>,
    /// `NDA_VNI`.
    pub vni: Option<u32>,
    /// `NDA_SRC_VNI`.
    pub src_vni: Option<u32>,
    /// `NDA_IFINDEX`: the device to reach the remote through.
    pub via: Option<u32>,
}

impl FdbSpec {
    /// A permanent entry of the device itself (`bridge fdb add MAC dev DEV`'s defaults).
    pub fn new(index: u32, mac: Mac) -> Self {
        FdbSpec {
            index,
            mac,
            flags: NTF_SELF,
            state: NUD_NOARP | NUD_PERMANENT,
            dst: None,
            vlan: None,
            nh_id: None,
            port: None,
            vni: None,
            src_vni: None,
            via: None,
        }
    }
}

fn fdb_request(kind: u16, flags: u16, spec: &FdbSpec) -> Result<Request> {
    let mut m = MessageBuilder::new(kind, flags);
    m.header(&NdMsg {
        ndm_family: AF_BRIDGE,
        ndm_ifindex: spec.index as i32,
        ndm_state: spec.state,
        ndm_flags: spec.flags,
        ..Default::default()
    });
    m.put(NDA_LLADDR, &spec.mac);
    if let Some(d) = &spec.dst {
        m.put(NDA_DST, &addr_bytes(d));
    }
    if let Some(v) = spec.vlan {
        m.put_u16(NDA_VLAN, v);
    }
    if let Some(n) = spec.nh_id {
        m.put_u32(NDA_NH_ID, n);
    }
    if let Some(p) = spec.port {
        m.put_u16_be(NDA_PORT, p);
    }
    if let Some(v) = spec.vni {
        m.put_u32(NDA_VNI, v);
    }
    if let Some(v) = spec.src_vni {
        m.put_u32(NDA_SRC_VNI, v);
    }
    if let Some(v) = spec.via {
        m.put_u32(NDA_IFINDEX, v);
    }
    m.finish()
}

/// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_EXCL` (`bridge fdb add`).
pub fn add_fdb_request(spec: &FdbSpec) -> Result<Request> {
    fdb_request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, spec)
}

/// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_APPEND` (`bridge fdb append`):
/// vxlan keeps every remote of one MAC (how the all-zeros flood entry lists
/// several remotes).
pub fn append_fdb_request(spec: &FdbSpec) -> Result<Request> {
    fdb_request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, spec)
}

/// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_REPLACE` (`bridge fdb replace`).
pub fn replace_fdb_request(spec: &FdbSpec) -> Result<Request> {
    fdb_request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, spec)
}

/// `RTM_DELNEIGH` (`bridge fdb del`); with `dst` set, vxlan removes only that remote.
pub fn delete_fdb_request(spec: &FdbSpec) -> Result<Request> {
    fdb_request(RTM_DELNEIGH, 0, spec)
}

/// `RTM_GETNEIGH` dump of family `AF_BRIDGE`, as `bridge fdb show` sends it
/// under strict checking: `index` (0: all) in `ndm_ifindex`, the bridge
/// `master` (0: any) as `NDA_MASTER`.
pub fn dump_fdb_request(index: u32, master: u32) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: AF_BRIDGE,
        ndm_ifindex: index as i32,
        ..Default::default()
    });
    if master != 0 {
        m.put_u32(NDA_MASTER, master);
    }
    m.finish()
}

/// Add an entry; fails with `EEXIST` when there is one.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn add_fdb(conn: &mut Connection, spec: &FdbSpec) -> Result<()> {
    conn.execute(add_fdb_request(spec)?)
}

/// Add an entry, or another remote to an existing vxlan entry.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn append_fdb(conn: &mut Connection, spec: &FdbSpec) -> Result<()> {
    conn.execute(append_fdb_request(spec)?)
}

/// Add or overwrite an entry.
#[doc(alias = "RTM_NEWNEIGH")]
pub fn replace_fdb(conn: &mut Connection, spec: &FdbSpec) -> Result<()> {
    conn.execute(replace_fdb_request(spec)?)
}

/// Delete an entry; fails with `ENOENT` when there is none.
#[doc(alias = "RTM_DELNEIGH")]
pub fn delete_fdb(conn: &mut Connection, spec: &FdbSpec) -> Result<()> {
    conn.execute(delete_fdb_request(spec)?)
}

/// The fdb entries of device `index` (`None`: all) and of bridge `master`
/// (`None`: any), in the kernel's order.
#[doc(alias = "RTM_GETNEIGH")]
pub fn dump_fdb(
    conn: &mut Connection,
    index: Option<u32>,
    master: Option<u32>,
) -> Result<Vec<NeighbourInfo>> {
    let request = dump_fdb_request(index.unwrap_or(0), master.unwrap_or(0))?;
    conn.dump_collect(request, |msg| {
        if msg.message_type() != RTM_NEWNEIGH {
            return Ok(None);
        }
        let n = Neighbour::parse(&msg)?;
        let keep = n.family == AF_BRIDGE && index.map_or(true, |i| i == n.index);
        Ok(keep.then(|| n.to_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::header::NLM_F_DUMP;
    use crate::netlink::Messages;
    use crate::route::neigh::tests::{golden, sent};
    use crate::route::neigh::{NTF_MASTER, NUD_REACHABLE};

    // Interface indexes in the captures (tests/golden/neigh/PROVENANCE.md).
    const VETH0: u32 = 3;
    const VX0: u32 = 4;
    const BR0: u32 = 5;

    const MAC9: Mac = [2, 0, 0, 0, 0, 9];
    const MACA: Mac = [2, 0, 0, 0, 0, 0x0a];

    fn remote(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 168, 50, last]))
    }

    #[test]
    fn vxlan_entries_match_bridge_fdb() {
        let add = FdbSpec {
            dst: remote(2),
            ..FdbSpec::new(VX0, MAC9)
        };
        assert_eq!(
            sent(&add_fdb_request(&add).unwrap()),
            golden("fdb-add-vxlan")
        );
        let flood = FdbSpec {
            dst: remote(3),
            ..FdbSpec::new(VX0, [0; 6])
        };
        assert_eq!(
            sent(&append_fdb_request(&flood).unwrap()),
            golden("fdb-append-zero")
        );
        let full = FdbSpec {
            dst: remote(2),
            vni: Some(43),
            port: Some(4790),
            ..FdbSpec::new(VX0, MACA)
        };
        assert_eq!(
            sent(&add_fdb_request(&full).unwrap()),
            golden("fdb-add-vni-port")
        );
        assert_eq!(
            sent(&delete_fdb_request(&full).unwrap()),
            golden("fdb-del-vni-port")
        );
        assert_eq!(
            sent(&delete_fdb_request(&FdbSpec::new(VX0, MACA)).unwrap()),
            golden("fdb-del-missing")
        );
    }

    #[test]
    fn bridge_port_entries_match_bridge_fdb() {
        let add = FdbSpec {
            flags: NTF_MASTER,
            ..FdbSpec::new(VETH0, [2, 0, 0, 0, 0, 0x0b])
        };
        assert_eq!(
            sent(&add_fdb_request(&add).unwrap()),
            golden("fdb-add-master")
        );
        let stat = FdbSpec {
            flags: NTF_MASTER,
            state: NUD_NOARP | NUD_REACHABLE,
            ..FdbSpec::new(VETH0, [2, 0, 0, 0, 0, 0x0c])
        };
        assert_eq!(
            sent(&replace_fdb_request(&stat).unwrap()),
            golden("fdb-replace-master-static")
        );
    }

    #[test]
    fn dump_requests_match_bridge_fdb() {
        for (index, file) in [(0, "fdb-dump-req"), (VX0, "fdb-dump-dev-req")] {
            let mut r = dump_fdb_request(index, 0).unwrap();
            r.add_flags(NLM_F_DUMP);
            assert_eq!(r.as_bytes(), &golden(file)[..], "{file}");
        }
        let r = dump_fdb_request(0, BR0).unwrap();
        let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
        let (_, attrs) = msg.fixed::<NdMsg>("ndmsg").unwrap();
        assert_eq!(attrs.find(NDA_MASTER).unwrap().u32().unwrap(), BR0);
    }
}
