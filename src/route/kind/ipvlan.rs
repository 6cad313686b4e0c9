//! ipvlan: `IFLA_IPVLAN_*` (linux/if_link.h). Made on a parent (`IFLA_LINK`):
//! `ip link add NAME link PARENT type ipvlan [mode l2|l3|l3s] [bridge|private|vepa]`.
//! iproute2 sends `IFLA_IPVLAN_FLAGS` (0 for bridge) whenever any option is
//! given, after the mode; with no option no `IFLA_INFO_DATA` at all.

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::named;

pub const IFLA_IPVLAN_MODE: u16 = 1;
pub const IFLA_IPVLAN_FLAGS: u16 = 2;

/// `enum ipvlan_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum IpvlanMode {
    L2 = 0,
    L3 = 1,
    L3s = 2,
}

impl IpvlanMode {
    pub fn name(self) -> &'static str {
        match self {
            IpvlanMode::L2 => "l2",
            IpvlanMode::L3 => "l3",
            IpvlanMode::L3s => "l3s",
        }
    }

    pub fn from_name(word: &str) -> Option<IpvlanMode> {
        [IpvlanMode::L2, IpvlanMode::L3, IpvlanMode::L3s]
            .into_iter()
            .find(|m| m.name() == word)
    }
}

/// The port mode: `IPVLAN_F_PRIVATE`, `IPVLAN_F_VEPA`, or neither (bridge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum IpvlanFlag {
    Bridge = 0,
    Private = 1,
    Vepa = 2,
}

/// What `ip link add ... type ipvlan` can set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IpvlanParams {
    pub mode: Option<IpvlanMode>,
    pub flag: Option<IpvlanFlag>,
}

impl IpvlanParams {
    pub fn is_empty(&self) -> bool {
        self.mode.is_none() && self.flag.is_none()
    }

    pub fn encode(&self, m: &mut MessageBuilder) {
        if let Some(mode) = self.mode {
            m.put_u16(IFLA_IPVLAN_MODE, mode as u16);
        }
        m.put_u16(IFLA_IPVLAN_FLAGS, self.flag.map_or(0, |f| f as u16));
    }
}

/// An ipvlan device's `IFLA_INFO_DATA`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpvlanInfo {
    /// `IPVLAN_MODE_*` as sent.
    pub mode: Option<u16>,
    /// `IPVLAN_F_*`.
    pub flags: Option<u16>,
}

impl IpvlanInfo {
    pub fn decode(data: &[u8]) -> Result<IpvlanInfo, DecodeError> {
        let mut v = IpvlanInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_DATA")?;
            match a.kind() {
                IFLA_IPVLAN_MODE => v.mode = Some(named(a.u16(), "IFLA_IPVLAN_MODE")?),
                IFLA_IPVLAN_FLAGS => v.flags = Some(named(a.u16(), "IFLA_IPVLAN_FLAGS")?),
                _ => {}
            }
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::super::golden::{add_request_on_veth0, golden, info_data, truncations_fail_cleanly};
    use super::*;
    use crate::route::link::LinkKind;

    fn add(name: &str, mode: Option<IpvlanMode>, flag: Option<IpvlanFlag>) -> Vec<u8> {
        add_request_on_veth0(name, LinkKind::Ipvlan(IpvlanParams { mode, flag }))
    }

    #[test]
    fn requests_match_iproute2() {
        use IpvlanFlag::*;
        use IpvlanMode::*;
        // ip link add ivN link veth0 type ipvlan [mode M [FLAG]]   (veth0 is index 3)
        assert_eq!(add("iv0", None, None), golden!("ipvlan.bin"));
        assert_eq!(add("iv1", Some(L2), None), golden!("ipvlan-l2.bin"));
        assert_eq!(add("iv2", Some(L3), None), golden!("ipvlan-l3.bin"));
        assert_eq!(add("iv3", Some(L3s), None), golden!("ipvlan-l3s.bin"));
        assert_eq!(
            add("iv4", Some(L2), Some(Bridge)),
            golden!("ipvlan-l2-bridge.bin")
        );
        assert_eq!(
            add("iv5", Some(L2), Some(Private)),
            golden!("ipvlan-l2-private.bin")
        );
        assert_eq!(
            add("iv6", Some(L3), Some(Vepa)),
            golden!("ipvlan-l3-vepa.bin")
        );
        assert_eq!(IpvlanMode::from_name("l3s"), Some(L3s));
        assert_eq!(IpvlanMode::from_name("frob"), None);
    }

    /// This kernel has no ipvlan, so there is no captured reply: the request's
    /// `IFLA_INFO_DATA` has the reply's layout and is decoded instead.
    #[test]
    fn decodes_request_data() {
        let v = IpvlanInfo::decode(&info_data(golden!("ipvlan-l3-vepa.bin"))).unwrap();
        assert_eq!((v.mode, v.flags), (Some(1), Some(2)));
        truncations_fail_cleanly(
            &info_data(golden!("ipvlan-l3-vepa.bin")),
            IpvlanInfo::decode,
        );
    }
}
