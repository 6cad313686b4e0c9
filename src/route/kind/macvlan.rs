//! macvlan and macvtap: `IFLA_MACVLAN_*` (linux/if_link.h). Both are made on a
//! parent (`IFLA_LINK`): `ip link add NAME link PARENT type macvlan|macvtap
//! [mode private|vepa|bridge|passthru|source]`. Without a mode no
//! `IFLA_INFO_DATA` is sent and the kernel picks vepa.

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::{array, named};

pub const IFLA_MACVLAN_MODE: u16 = 1;
pub const IFLA_MACVLAN_FLAGS: u16 = 2;
pub const IFLA_MACVLAN_MACADDR: u16 = 4;
pub const IFLA_MACVLAN_MACADDR_DATA: u16 = 5;
pub const IFLA_MACVLAN_MACADDR_COUNT: u16 = 6;
pub const IFLA_MACVLAN_BC_QUEUE_LEN: u16 = 7;
pub const IFLA_MACVLAN_BC_QUEUE_LEN_USED: u16 = 8;

/// `MACVLAN_FLAG_NOPROMISC`, `MACVLAN_FLAG_NODST`.
pub const MACVLAN_FLAG_NOPROMISC: u16 = 1;
pub const MACVLAN_FLAG_NODST: u16 = 2;

/// `enum macvlan_mode`: one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum MacvlanMode {
    Private = 1,
    Vepa = 2,
    Bridge = 4,
    Passthru = 8,
    Source = 16,
}

impl MacvlanMode {
    pub const ALL: [MacvlanMode; 5] = [
        MacvlanMode::Private,
        MacvlanMode::Vepa,
        MacvlanMode::Bridge,
        MacvlanMode::Passthru,
        MacvlanMode::Source,
    ];

    /// iproute2's word for the mode.
    pub fn name(self) -> &'static str {
        match self {
            MacvlanMode::Private => "private",
            MacvlanMode::Vepa => "vepa",
            MacvlanMode::Bridge => "bridge",
            MacvlanMode::Passthru => "passthru",
            MacvlanMode::Source => "source",
        }
    }

    pub fn from_name(word: &str) -> Option<MacvlanMode> {
        MacvlanMode::ALL.into_iter().find(|m| m.name() == word)
    }

    pub fn from_value(v: u32) -> Option<MacvlanMode> {
        MacvlanMode::ALL.into_iter().find(|&m| m as u32 == v)
    }
}

/// What `ip link add ... type macvlan|macvtap` can set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MacvlanParams {
    /// `IFLA_MACVLAN_MODE`.
    pub mode: Option<MacvlanMode>,
}

impl MacvlanParams {
    pub fn is_empty(&self) -> bool {
        self.mode.is_none()
    }

    pub fn encode(&self, m: &mut MessageBuilder) {
        if let Some(mode) = self.mode {
            m.put_u32(IFLA_MACVLAN_MODE, mode as u32);
        }
    }
}

/// A macvlan or macvtap device's `IFLA_INFO_DATA`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MacvlanInfo {
    /// `MACVLAN_MODE_*` as sent (see [`MacvlanMode::from_value`]).
    pub mode: Option<u32>,
    /// `MACVLAN_FLAG_*`.
    pub flags: Option<u16>,
    /// Source mode: how many source MAC addresses are allowed, and which.
    pub macaddr_count: Option<u32>,
    pub macaddrs: Vec<[u8; 6]>,
    /// Broadcast queue length asked for, and in use.
    pub bc_queue_len: Option<u32>,
    pub bc_queue_len_used: Option<u32>,
}

impl MacvlanInfo {
    /// Decode a macvlan/macvtap device's `IFLA_INFO_DATA`.
    pub fn decode(data: &[u8]) -> Result<MacvlanInfo, DecodeError> {
        let mut v = MacvlanInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_DATA")?;
            match a.kind() {
                IFLA_MACVLAN_MODE => v.mode = Some(named(a.u32(), "IFLA_MACVLAN_MODE")?),
                IFLA_MACVLAN_FLAGS => v.flags = Some(named(a.u16(), "IFLA_MACVLAN_FLAGS")?),
                IFLA_MACVLAN_MACADDR_COUNT => {
                    v.macaddr_count = Some(named(a.u32(), "IFLA_MACVLAN_MACADDR_COUNT")?)
                }
                IFLA_MACVLAN_MACADDR_DATA => {
                    for mac in a.nested() {
                        let mac = named(mac, "IFLA_MACVLAN_MACADDR_DATA")?;
                        if mac.kind() == IFLA_MACVLAN_MACADDR {
                            v.macaddrs.push(array(&mac, "IFLA_MACVLAN_MACADDR")?);
                        }
                    }
                }
                IFLA_MACVLAN_BC_QUEUE_LEN => {
                    v.bc_queue_len = Some(named(a.u32(), "IFLA_MACVLAN_BC_QUEUE_LEN")?)
                }
                IFLA_MACVLAN_BC_QUEUE_LEN_USED => {
                    v.bc_queue_len_used = Some(named(a.u32(), "IFLA_MACVLAN_BC_QUEUE_LEN_USED")?)
                }
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

    #[test]
    fn requests_match_iproute2() {
        // ip link add mvN link veth0 type macvlan [mode M]   (veth0 is index 3)
        let none = MacvlanParams::default();
        assert_eq!(
            add_request_on_veth0("mv0", LinkKind::Macvlan(none)),
            golden!("macvlan.bin")
        );
        let cases: [(&str, MacvlanMode, &[u8]); 5] = [
            ("mv1", MacvlanMode::Private, golden!("macvlan-private.bin")),
            ("mv2", MacvlanMode::Vepa, golden!("macvlan-vepa.bin")),
            ("mv3", MacvlanMode::Bridge, golden!("macvlan-bridge.bin")),
            (
                "mv4",
                MacvlanMode::Passthru,
                golden!("macvlan-passthru.bin"),
            ),
            ("mv5", MacvlanMode::Source, golden!("macvlan-source.bin")),
        ];
        for (name, mode, want) in cases {
            let p = MacvlanParams { mode: Some(mode) };
            assert_eq!(
                add_request_on_veth0(name, LinkKind::Macvlan(p)),
                want,
                "{name}"
            );
            assert_eq!(MacvlanMode::from_name(mode.name()), Some(mode));
        }
        assert_eq!(
            add_request_on_veth0("mt0", LinkKind::Macvtap(none)),
            golden!("macvtap.bin")
        );
        let bridge = MacvlanParams {
            mode: Some(MacvlanMode::Bridge),
        };
        assert_eq!(
            add_request_on_veth0("mt1", LinkKind::Macvtap(bridge)),
            golden!("macvtap-bridge.bin")
        );
        assert_eq!(MacvlanMode::from_name("frob"), None);
    }

    #[test]
    fn decodes_captured_replies() {
        let s = MacvlanInfo::decode(&info_data(golden!("reply-macvlan-source.bin"))).unwrap();
        assert_eq!(s.mode, Some(MacvlanMode::Source as u32));
        assert_eq!(s.macaddr_count, Some(0));
        assert_eq!(
            (s.bc_queue_len, s.bc_queue_len_used),
            (Some(1000), Some(1000))
        );
        let t = MacvlanInfo::decode(&info_data(golden!("reply-macvtap.bin"))).unwrap();
        assert_eq!(t.mode, Some(MacvlanMode::Bridge as u32));
    }

    #[test]
    fn truncated_data_fails_cleanly() {
        truncations_fail_cleanly(
            &info_data(golden!("reply-macvlan-source.bin")),
            MacvlanInfo::decode,
        );
        // A source-mode address list, as `macaddr set` would make it.
        let mut data = vec![
            16,
            0,
            IFLA_MACVLAN_MACADDR_DATA as u8,
            0,
            10,
            0,
            4,
            0,
            2,
            0,
            0,
            0,
            0,
            1,
            0,
            0,
        ];
        data.extend_from_slice(&[4, 0, 9, 0]);
        let v = MacvlanInfo::decode(&data).unwrap();
        assert_eq!(v.macaddrs, vec![[2, 0, 0, 0, 0, 1]]);
        truncations_fail_cleanly(&data, MacvlanInfo::decode);
    }
}
