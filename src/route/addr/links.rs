//! The link request of `ip address show`: one link, or a dump the kernel
//! filters by master and kind (iproute2 6.1's `ipaddr_link_get` and
//! `iplink_filter_req`). Pure: builds bytes.

use crate::error::Result;
use crate::netlink::{MessageBuilder, Request};
use crate::route::link::{
    IfInfoMsg, IFLA_EXT_MASK, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER, RTEXT_FILTER_SKIP_STATS,
    RTEXT_FILTER_VF,
};
use crate::route::RTM_GETLINK;

/// Which links `address show` asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkSelection<'a> {
    /// `ifi_family`: 0, or `AF_INET`/`AF_INET6` under `-4`/`-6`.
    pub family: u8,
    /// One link; 0 for a dump.
    pub index: u32,
    /// Dump only the ports of this master; `u32::MAX` (the kernel's -1):
    /// only links without a master. Like `kind`, sent only in a dump of
    /// family 0, as iproute2 sends it (the caller checks the links of a
    /// family's dump itself).
    pub master: Option<u32>,
    /// Dump only links of this kind (`IFLA_INFO_KIND`).
    pub kind: Option<&'a str>,
}

/// `RTM_GETLINK` for `sel`. An `AF_INET6` dump is answered by IPv6's own
/// handler (no qdisc, group or txqlen), which under strict checking takes
/// no attributes, so it goes without any.
pub fn links_request(sel: &LinkSelection<'_>) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: sel.family,
        ifi_index: sel.index as i32,
        ..Default::default()
    });
    if sel.index == 0 && sel.family == libc::AF_INET6 as u8 {
        return m.finish();
    }
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    // iproute2 asks the kernel to filter only a dump of every family.
    if sel.index == 0 && sel.family == 0 {
        if let Some(master) = sel.master {
            m.put_u32(IFLA_MASTER, master);
        }
        if let Some(kind) = sel.kind {
            m.nest(IFLA_LINKINFO, |m| {
                m.put(IFLA_INFO_KIND, kind.as_bytes());
            });
        }
    }
    m.finish()
}
