//! What `ip neigh show` and `flush` select: iproute2's `filter` and the
//! test it puts each dumped entry through.

use rawnet::route::neigh::*;
use rawnet::route::prefix::{family_of, Prefix};

/// What `show` and `flush` select (iproute2's `filter`).
#[derive(Default)]
pub(crate) struct Filter {
    pub(super) family: u8,
    /// 0: every device (and then `dev` is printed).
    pub(super) index: u32,
    pub(super) master: u32,
    /// `NUD_*` bits to keep; 0x100 stands for `NUD_NONE`.
    pub(super) state: u32,
    pub(super) unused_only: bool,
    pub(super) proxy: bool,
    pub(super) protocol: u8,
    pub(super) prefix: Option<Prefix>,
}

impl Filter {
    /// iproute2's `ipneigh_reset_filter(index)`, what `ip monitor` uses:
    /// entries in every state, of link `index` (0: of every link).
    pub(crate) fn every_state(index: u32) -> Filter {
        Filter {
            index,
            state: !0,
            ..Filter::default()
        }
    }

    pub(crate) fn keeps<B>(&self, n: &NeighbourData<B>) -> bool {
        if self.family != 0 && self.family != n.family {
            return false;
        }
        if self.index != 0 && self.index != n.index {
            return false;
        }
        let state = u32::from(n.state);
        if self.state & state == 0
            && n.flags & (NTF_PROXY | NTF_EXT_LEARNED) == 0
            && (state != 0 || self.state & 0x100 == 0)
        {
            return false;
        }
        if let (Some(p), Some(d)) = (&self.prefix, &n.dst) {
            let inside = family_of(d) == p.family()
                && Prefix {
                    addr: *d,
                    len: p.len,
                }
                .network()
                    == p.network();
            if !inside {
                return false;
            }
        }
        if self.protocol != 0 && self.protocol != n.protocol.unwrap_or(0) {
            return false;
        }
        if self.unused_only && n.cacheinfo.is_some_and(|c| c.ndm_refcnt != 0) {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::*;

    fn entry(state: u16, flags: u8, lladdr: Option<Vec<u8>>) -> NeighbourInfo {
        NeighbourInfo {
            family: libc::AF_INET as u8,
            index: 3,
            state,
            flags,
            dst: Some(IpAddr::from([10, 0, 0, 2])),
            lladdr,
            ..NeighbourInfo::default()
        }
    }

    #[test]
    fn show_filter_is_iproute2s() {
        let f = Filter {
            state: 0xff & !u32::from(NUD_NOARP),
            ..Filter::default()
        };
        assert!(f.keeps(&entry(NUD_PERMANENT, 0, None)));
        assert!(f.keeps(&entry(NUD_STALE, NTF_ROUTER, None)));
        assert!(!f.keeps(&entry(NUD_NOARP, 0, None)));
        assert!(!f.keeps(&entry(NUD_NONE, 0, None)));
        assert!(f.keeps(&entry(NUD_NONE, NTF_PROXY, None)));
        let to = Filter {
            state: !0,
            prefix: Some(Prefix::parse("10.0.0.0/30").unwrap()),
            ..Filter::default()
        };
        assert!(to.keeps(&entry(NUD_PERMANENT, 0, None)));
        let other = Filter {
            prefix: Some(Prefix::parse("10.0.1.0/24").unwrap()),
            ..to
        };
        assert!(!other.keeps(&entry(NUD_PERMANENT, 0, None)));
    }
}
