//! The requests of `ip link show`: the link dump with the selectors the
//! kernel applies (`master`, `nomaster`, `type`), and the lookup of one link
//! by any of its names (an alternative name longer than an interface name
//! goes as `IFLA_ALT_IFNAME`). Both match what iproute2 6.1 sends.

use crate::error::Result;
use crate::netlink::{Connection, MessageBuilder, Request};
use crate::route::RTM_GETLINK;

use super::ops::get_one;
use super::{
    validate_ifname, IfInfoMsg, LinkInfo, IFLA_ALT_IFNAME, IFLA_EXT_MASK, IFLA_IFNAME,
    IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
};

/// Which links a dump asks the kernel for (`ip link show`'s selectors that
/// the kernel filters on). The kernel ignores a kind it does not have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkDumpFilter<'a> {
    /// The ports of this master only.
    pub master: Option<MasterFilter>,
    /// Links of this `IFLA_INFO_KIND` only ("veth", "bridge", ...).
    pub kind: Option<&'a str>,
    /// Ask for the counters (`IFLA_STATS64`); without them the kernel skips
    /// summing every link's per-CPU counters.
    pub stats: bool,
}

/// The master selector of a link dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MasterFilter {
    /// Ports of the master with this index.
    Index(u32),
    /// Links without a master (`IFLA_MASTER` -1 in the request).
    None,
}

/// The link dump request of `ip link show [master M | nomaster] [type K]`:
/// `IFLA_EXT_MASK`, then `IFLA_MASTER`, then `IFLA_LINKINFO` /
/// `IFLA_INFO_KIND` (without a NUL, as iproute2 sends it).
pub fn dump_links_matching_request(filter: &LinkDumpFilter<'_>) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: libc::AF_PACKET as u8,
        ..IfInfoMsg::default()
    });
    let skip = if filter.stats {
        0
    } else {
        RTEXT_FILTER_SKIP_STATS
    };
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | skip);
    match filter.master {
        Some(MasterFilter::Index(i)) => {
            m.put_u32(IFLA_MASTER, i);
        }
        Some(MasterFilter::None) => {
            m.put_u32(IFLA_MASTER, u32::MAX);
        }
        None => {}
    }
    if let Some(kind) = filter.kind {
        m.nest(IFLA_LINKINFO, |m| {
            m.put(IFLA_INFO_KIND, kind.as_bytes());
        });
    }
    m.finish()
}

/// A `RTM_GETLINK` request for one link by any of its names: `IFLA_IFNAME`
/// for a valid interface name, `IFLA_ALT_IFNAME` for a longer alternative
/// name (as iproute2's `iplink_get`), with or without the counters.
pub fn get_link_by_any_name_request(name: impl AsRef<[u8]>, stats: bool) -> Result<Request> {
    let name = name.as_ref();
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: libc::AF_PACKET as u8,
        ..IfInfoMsg::default()
    });
    let attr = if validate_ifname(name).is_ok() {
        IFLA_IFNAME
    } else {
        IFLA_ALT_IFNAME
    };
    m.put_c_bytes(attr, name);
    let skip = if stats { 0 } else { RTEXT_FILTER_SKIP_STATS };
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | skip);
    m.finish()
}

/// One link by any of its names (see [`get_link_by_any_name_request`]);
/// `Ok(None)` when there is no such link.
pub fn get_link_by_any_name(
    conn: &mut Connection,
    name: impl AsRef<[u8]>,
    stats: bool,
) -> Result<Option<LinkInfo>> {
    let name = name.as_ref();
    if name.is_empty() || name.len() >= 128 {
        return Ok(None);
    }
    get_one(conn, get_link_by_any_name_request(name, stats)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::header::NLM_F_DUMP;

    fn bytes(mut r: Request, flags: u16) -> Vec<u8> {
        r.add_flags(flags);
        let mut b = r.as_bytes().to_vec();
        b[8..12].fill(0); // seq
        b
    }

    fn header(len: u32, flags: u16) -> Vec<u8> {
        let mut b = len.to_ne_bytes().to_vec();
        b.extend_from_slice(&RTM_GETLINK.to_ne_bytes());
        b.extend_from_slice(&flags.to_ne_bytes());
        b.extend_from_slice(&[0; 8]);
        // ifinfomsg, family AF_PACKET
        b.extend_from_slice(&[17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    /// `ip link show nomaster type veth` (strace'd): 60 bytes, IFLA_EXT_MASK
    /// RTEXT_FILTER_VF, IFLA_MASTER -1, IFLA_LINKINFO { IFLA_INFO_KIND "veth" }.
    #[test]
    fn dump_request_as_iproute2() {
        let filter = LinkDumpFilter {
            master: Some(MasterFilter::None),
            kind: Some("veth"),
            stats: true,
        };
        let mut want = header(60, 0x301);
        want.extend_from_slice(&[8, 0, 29, 0, 1, 0, 0, 0]);
        want.extend_from_slice(&[8, 0, 10, 0, 0xff, 0xff, 0xff, 0xff]);
        want.extend_from_slice(&[12, 0, 18, 0, 8, 0, 1, 0, b'v', b'e', b't', b'h']);
        let got = bytes(dump_links_matching_request(&filter).unwrap(), NLM_F_DUMP);
        assert_eq!(got, want);
        // Without counters the kernel is told to skip them; no selectors, no attributes.
        let got = bytes(
            dump_links_matching_request(&LinkDumpFilter::default()).unwrap(),
            NLM_F_DUMP,
        );
        let mut want = header(40, 0x301);
        want.extend_from_slice(&[8, 0, 29, 0, 9, 0, 0, 0]);
        assert_eq!(got, want);
    }

    /// `ip link show veth0` (strace'd: 52 bytes, IFLA_IFNAME then
    /// IFLA_EXT_MASK); a long alternative name goes as IFLA_ALT_IFNAME.
    #[test]
    fn get_request_as_iproute2() {
        let got = bytes(get_link_by_any_name_request("veth0", true).unwrap(), 0);
        let mut want = header(52, 1);
        want.extend_from_slice(&[10, 0, 3, 0, b'v', b'e', b't', b'h', b'0', 0, 0, 0]);
        want.extend_from_slice(&[8, 0, 29, 0, 1, 0, 0, 0]);
        assert_eq!(got, want);
        let long = "a-name-longer-than-15";
        let got = bytes(get_link_by_any_name_request(long, false).unwrap(), 0);
        assert_eq!(&got[34..36], &IFLA_ALT_IFNAME.to_ne_bytes());
        assert_eq!(&got[36..36 + long.len()], long.as_bytes());
    }
}
