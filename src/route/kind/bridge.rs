//! Bridge: `IFLA_BR_*` (linux/if_link.h). [`BridgeParams`] is what `ip link
//! add NAME type bridge [stp_state 0|1] [forward_delay N] [hello_time N]
//! [priority N] [mcast_snooping 0|1] ...` sets (the scalar settings); [`BridgeInfo`] is the kernel's `IFLA_INFO_DATA` of a bridge, every
//! attribute iproute2 6.1 prints.
//!
//! Units are the kernel's: times (`forward_delay`, `hello_time`, `max_age`,
//! `ageing_time`, the timers and multicast intervals) are in centiseconds
//! (USER_HZ clock ticks).

use crate::error::DecodeError;
use crate::netlink::{Attr, Attrs, MessageBuilder};

use super::{array, named};

pub const IFLA_BR_FORWARD_DELAY: u16 = 1;
pub const IFLA_BR_HELLO_TIME: u16 = 2;
pub const IFLA_BR_MAX_AGE: u16 = 3;
pub const IFLA_BR_AGEING_TIME: u16 = 4;
pub const IFLA_BR_STP_STATE: u16 = 5;
pub const IFLA_BR_PRIORITY: u16 = 6;
pub const IFLA_BR_VLAN_FILTERING: u16 = 7;
pub const IFLA_BR_VLAN_PROTOCOL: u16 = 8;
pub const IFLA_BR_GROUP_FWD_MASK: u16 = 9;
pub const IFLA_BR_ROOT_ID: u16 = 10;
pub const IFLA_BR_BRIDGE_ID: u16 = 11;
pub const IFLA_BR_ROOT_PORT: u16 = 12;
pub const IFLA_BR_ROOT_PATH_COST: u16 = 13;
pub const IFLA_BR_TOPOLOGY_CHANGE: u16 = 14;
pub const IFLA_BR_TOPOLOGY_CHANGE_DETECTED: u16 = 15;
pub const IFLA_BR_HELLO_TIMER: u16 = 16;
pub const IFLA_BR_TCN_TIMER: u16 = 17;
pub const IFLA_BR_TOPOLOGY_CHANGE_TIMER: u16 = 18;
pub const IFLA_BR_GC_TIMER: u16 = 19;
pub const IFLA_BR_GROUP_ADDR: u16 = 20;
pub const IFLA_BR_MCAST_ROUTER: u16 = 22;
pub const IFLA_BR_MCAST_SNOOPING: u16 = 23;
pub const IFLA_BR_MCAST_QUERY_USE_IFADDR: u16 = 24;
pub const IFLA_BR_MCAST_QUERIER: u16 = 25;
pub const IFLA_BR_MCAST_HASH_ELASTICITY: u16 = 26;
pub const IFLA_BR_MCAST_HASH_MAX: u16 = 27;
pub const IFLA_BR_MCAST_LAST_MEMBER_CNT: u16 = 28;
pub const IFLA_BR_MCAST_STARTUP_QUERY_CNT: u16 = 29;
pub const IFLA_BR_MCAST_LAST_MEMBER_INTVL: u16 = 30;
pub const IFLA_BR_MCAST_MEMBERSHIP_INTVL: u16 = 31;
pub const IFLA_BR_MCAST_QUERIER_INTVL: u16 = 32;
pub const IFLA_BR_MCAST_QUERY_INTVL: u16 = 33;
pub const IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: u16 = 34;
pub const IFLA_BR_MCAST_STARTUP_QUERY_INTVL: u16 = 35;
pub const IFLA_BR_NF_CALL_IPTABLES: u16 = 36;
pub const IFLA_BR_NF_CALL_IP6TABLES: u16 = 37;
pub const IFLA_BR_NF_CALL_ARPTABLES: u16 = 38;
pub const IFLA_BR_VLAN_DEFAULT_PVID: u16 = 39;
pub const IFLA_BR_VLAN_STATS_ENABLED: u16 = 41;
pub const IFLA_BR_MCAST_STATS_ENABLED: u16 = 42;
pub const IFLA_BR_MCAST_IGMP_VERSION: u16 = 43;
pub const IFLA_BR_MCAST_MLD_VERSION: u16 = 44;
pub const IFLA_BR_VLAN_STATS_PER_PORT: u16 = 45;
pub const IFLA_BR_MULTI_BOOLOPT: u16 = 46;

/// `BR_BOOLOPT_NO_LL_LEARN`, `BR_BOOLOPT_MCAST_VLAN_SNOOPING`: bit numbers in
/// `struct br_boolopt_multi`.
pub const BR_BOOLOPT_NO_LL_LEARN: u32 = 0;
pub const BR_BOOLOPT_MCAST_VLAN_SNOOPING: u32 = 1;

/// What `ip link add ... type bridge` can set; `None` leaves the kernel's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BridgeParams {
    /// `IFLA_BR_STP_STATE`: 0 off, 1 on.
    pub stp_state: Option<u32>,
    /// `IFLA_BR_FORWARD_DELAY`, centiseconds.
    pub forward_delay: Option<u32>,
    /// `IFLA_BR_VLAN_FILTERING`: 0 or 1 (needs CONFIG_BRIDGE_VLAN_FILTERING).
    pub vlan_filtering: Option<u8>,
    /// `IFLA_BR_HELLO_TIME`, centiseconds.
    pub hello_time: Option<u32>,
    /// `IFLA_BR_MAX_AGE`, centiseconds.
    pub max_age: Option<u32>,
    /// `IFLA_BR_AGEING_TIME`, centiseconds.
    pub ageing_time: Option<u32>,
    /// `IFLA_BR_PRIORITY`: the bridge priority (STP).
    pub priority: Option<u16>,
    /// `IFLA_BR_GROUP_FWD_MASK`.
    pub group_fwd_mask: Option<u16>,
    /// `IFLA_BR_VLAN_DEFAULT_PVID`.
    pub vlan_default_pvid: Option<u16>,
    /// `IFLA_BR_MCAST_ROUTER`.
    pub mcast_router: Option<u8>,
    /// `IFLA_BR_MCAST_SNOOPING`: 0 or 1.
    pub mcast_snooping: Option<u8>,
    /// `IFLA_BR_MCAST_QUERIER`: 0 or 1.
    pub mcast_querier: Option<u8>,
    /// `IFLA_BR_MCAST_QUERY_USE_IFADDR`: 0 or 1.
    pub mcast_query_use_ifaddr: Option<u8>,
    /// `IFLA_BR_VLAN_STATS_PER_PORT`: 0 or 1.
    pub vlan_stats_per_port: Option<u8>,
    /// `IFLA_BR_NF_CALL_IPTABLES`: 0 or 1.
    pub nf_call_iptables: Option<u8>,
    /// `IFLA_BR_NF_CALL_IP6TABLES`: 0 or 1.
    pub nf_call_ip6tables: Option<u8>,
    /// `IFLA_BR_NF_CALL_ARPTABLES`: 0 or 1.
    pub nf_call_arptables: Option<u8>,
    /// `IFLA_BR_VLAN_STATS_ENABLED`: 0 or 1.
    pub vlan_stats_enabled: Option<u8>,
    /// `IFLA_BR_MCAST_STATS_ENABLED`: 0 or 1.
    pub mcast_stats_enabled: Option<u8>,
    /// `IFLA_BR_MCAST_IGMP_VERSION`: 2 or 3.
    pub mcast_igmp_version: Option<u8>,
    /// `IFLA_BR_MCAST_MLD_VERSION`: 1 or 2.
    pub mcast_mld_version: Option<u8>,
}

impl BridgeParams {
    pub fn is_empty(&self) -> bool {
        *self == BridgeParams::default()
    }

    /// The attributes, in this order: stp_state, forward_delay, vlan_filtering,
    /// then the others in the order of their fields (iproute2 sends them in
    /// the order of the command line; the kernel applies them in its own).
    pub fn encode(&self, m: &mut MessageBuilder) {
        if let Some(v) = self.stp_state {
            m.put_u32(IFLA_BR_STP_STATE, v);
        }
        if let Some(v) = self.forward_delay {
            m.put_u32(IFLA_BR_FORWARD_DELAY, v);
        }
        if let Some(v) = self.vlan_filtering {
            m.put_u8(IFLA_BR_VLAN_FILTERING, v);
        }
        for (kind, v) in [
            (IFLA_BR_HELLO_TIME, self.hello_time),
            (IFLA_BR_MAX_AGE, self.max_age),
            (IFLA_BR_AGEING_TIME, self.ageing_time),
        ] {
            if let Some(v) = v {
                m.put_u32(kind, v);
            }
        }
        for (kind, v) in [
            (IFLA_BR_PRIORITY, self.priority),
            (IFLA_BR_GROUP_FWD_MASK, self.group_fwd_mask),
            (IFLA_BR_VLAN_DEFAULT_PVID, self.vlan_default_pvid),
        ] {
            if let Some(v) = v {
                m.put_u16(kind, v);
            }
        }
        for (kind, v) in [
            (IFLA_BR_MCAST_ROUTER, self.mcast_router),
            (IFLA_BR_MCAST_SNOOPING, self.mcast_snooping),
            (IFLA_BR_MCAST_QUERIER, self.mcast_querier),
            (IFLA_BR_MCAST_QUERY_USE_IFADDR, self.mcast_query_use_ifaddr),
            (IFLA_BR_VLAN_STATS_PER_PORT, self.vlan_stats_per_port),
            (IFLA_BR_NF_CALL_IPTABLES, self.nf_call_iptables),
            (IFLA_BR_NF_CALL_IP6TABLES, self.nf_call_ip6tables),
            (IFLA_BR_NF_CALL_ARPTABLES, self.nf_call_arptables),
            (IFLA_BR_VLAN_STATS_ENABLED, self.vlan_stats_enabled),
            (IFLA_BR_MCAST_STATS_ENABLED, self.mcast_stats_enabled),
            (IFLA_BR_MCAST_IGMP_VERSION, self.mcast_igmp_version),
            (IFLA_BR_MCAST_MLD_VERSION, self.mcast_mld_version),
        ] {
            if let Some(v) = v {
                m.put_u8(kind, v);
            }
        }
    }
}

/// `struct ifla_bridge_id`: two priority bytes and a MAC address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BridgeId {
    pub prio: [u8; 2],
    pub addr: [u8; 6],
}

impl BridgeId {
    pub(crate) fn decode(a: &Attr<'_>, what: &'static str) -> Result<BridgeId, DecodeError> {
        let b = array::<8>(a, what)?;
        Ok(BridgeId {
            prio: [b[0], b[1]],
            addr: [b[2], b[3], b[4], b[5], b[6], b[7]],
        })
    }
}

/// A bridge's `IFLA_INFO_DATA`. `None`: the kernel did not send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BridgeInfo {
    pub forward_delay: Option<u32>,
    pub hello_time: Option<u32>,
    pub max_age: Option<u32>,
    pub ageing_time: Option<u32>,
    pub stp_state: Option<u32>,
    pub priority: Option<u16>,
    pub vlan_filtering: Option<u8>,
    /// An ethertype (0x8100 is 802.1Q).
    pub vlan_protocol: Option<u16>,
    pub group_fwd_mask: Option<u16>,
    pub root_id: Option<BridgeId>,
    pub bridge_id: Option<BridgeId>,
    pub root_port: Option<u16>,
    pub root_path_cost: Option<u32>,
    pub topology_change: Option<u8>,
    pub topology_change_detected: Option<u8>,
    pub hello_timer: Option<u64>,
    pub tcn_timer: Option<u64>,
    pub topology_change_timer: Option<u64>,
    pub gc_timer: Option<u64>,
    pub group_addr: Option<[u8; 6]>,
    pub mcast_router: Option<u8>,
    pub mcast_snooping: Option<u8>,
    pub mcast_query_use_ifaddr: Option<u8>,
    pub mcast_querier: Option<u8>,
    pub mcast_hash_elasticity: Option<u32>,
    pub mcast_hash_max: Option<u32>,
    pub mcast_last_member_cnt: Option<u32>,
    pub mcast_startup_query_cnt: Option<u32>,
    pub mcast_last_member_intvl: Option<u64>,
    pub mcast_membership_intvl: Option<u64>,
    pub mcast_querier_intvl: Option<u64>,
    pub mcast_query_intvl: Option<u64>,
    pub mcast_query_response_intvl: Option<u64>,
    pub mcast_startup_query_intvl: Option<u64>,
    pub nf_call_iptables: Option<u8>,
    pub nf_call_ip6tables: Option<u8>,
    pub nf_call_arptables: Option<u8>,
    pub vlan_default_pvid: Option<u16>,
    pub vlan_stats_enabled: Option<u8>,
    pub mcast_stats_enabled: Option<u8>,
    pub mcast_igmp_version: Option<u8>,
    pub mcast_mld_version: Option<u8>,
    pub vlan_stats_per_port: Option<u8>,
    /// `struct br_boolopt_multi`: (optval, optmask), bits `BR_BOOLOPT_*`.
    pub multi_boolopt: Option<(u32, u32)>,
}

impl BridgeInfo {
    /// Decode a bridge's `IFLA_INFO_DATA`.
    pub fn decode(data: &[u8]) -> Result<BridgeInfo, DecodeError> {
        let mut b = BridgeInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_DATA")?;
            let u8_ = |what| named(a.u8(), what).map(Some);
            let u16_ = |what| named(a.u16(), what).map(Some);
            let u32_ = |what| named(a.u32(), what).map(Some);
            let u64_ = |what| named(a.u64(), what).map(Some);
            match a.kind() {
                IFLA_BR_FORWARD_DELAY => b.forward_delay = u32_("IFLA_BR_FORWARD_DELAY")?,
                IFLA_BR_HELLO_TIME => b.hello_time = u32_("IFLA_BR_HELLO_TIME")?,
                IFLA_BR_MAX_AGE => b.max_age = u32_("IFLA_BR_MAX_AGE")?,
                IFLA_BR_AGEING_TIME => b.ageing_time = u32_("IFLA_BR_AGEING_TIME")?,
                IFLA_BR_STP_STATE => b.stp_state = u32_("IFLA_BR_STP_STATE")?,
                IFLA_BR_PRIORITY => b.priority = u16_("IFLA_BR_PRIORITY")?,
                IFLA_BR_VLAN_FILTERING => b.vlan_filtering = u8_("IFLA_BR_VLAN_FILTERING")?,
                IFLA_BR_VLAN_PROTOCOL => {
                    b.vlan_protocol = Some(named(a.u16_be(), "IFLA_BR_VLAN_PROTOCOL")?)
                }
                IFLA_BR_GROUP_FWD_MASK => b.group_fwd_mask = u16_("IFLA_BR_GROUP_FWD_MASK")?,
                IFLA_BR_ROOT_ID => b.root_id = Some(BridgeId::decode(&a, "IFLA_BR_ROOT_ID")?),
                IFLA_BR_BRIDGE_ID => b.bridge_id = Some(BridgeId::decode(&a, "IFLA_BR_BRIDGE_ID")?),
                IFLA_BR_ROOT_PORT => b.root_port = u16_("IFLA_BR_ROOT_PORT")?,
                IFLA_BR_ROOT_PATH_COST => b.root_path_cost = u32_("IFLA_BR_ROOT_PATH_COST")?,
                IFLA_BR_TOPOLOGY_CHANGE => b.topology_change = u8_("IFLA_BR_TOPOLOGY_CHANGE")?,
                IFLA_BR_TOPOLOGY_CHANGE_DETECTED => {
                    b.topology_change_detected = u8_("IFLA_BR_TOPOLOGY_CHANGE_DETECTED")?
                }
                IFLA_BR_HELLO_TIMER => b.hello_timer = u64_("IFLA_BR_HELLO_TIMER")?,
                IFLA_BR_TCN_TIMER => b.tcn_timer = u64_("IFLA_BR_TCN_TIMER")?,
                IFLA_BR_TOPOLOGY_CHANGE_TIMER => {
                    b.topology_change_timer = u64_("IFLA_BR_TOPOLOGY_CHANGE_TIMER")?
                }
                IFLA_BR_GC_TIMER => b.gc_timer = u64_("IFLA_BR_GC_TIMER")?,
                IFLA_BR_GROUP_ADDR => b.group_addr = Some(array(&a, "IFLA_BR_GROUP_ADDR")?),
                IFLA_BR_MCAST_ROUTER => b.mcast_router = u8_("IFLA_BR_MCAST_ROUTER")?,
                IFLA_BR_MCAST_SNOOPING => b.mcast_snooping = u8_("IFLA_BR_MCAST_SNOOPING")?,
                IFLA_BR_MCAST_QUERY_USE_IFADDR => {
                    b.mcast_query_use_ifaddr = u8_("IFLA_BR_MCAST_QUERY_USE_IFADDR")?
                }
                IFLA_BR_MCAST_QUERIER => b.mcast_querier = u8_("IFLA_BR_MCAST_QUERIER")?,
                IFLA_BR_MCAST_HASH_ELASTICITY => {
                    b.mcast_hash_elasticity = u32_("IFLA_BR_MCAST_HASH_ELASTICITY")?
                }
                IFLA_BR_MCAST_HASH_MAX => b.mcast_hash_max = u32_("IFLA_BR_MCAST_HASH_MAX")?,
                IFLA_BR_MCAST_LAST_MEMBER_CNT => {
                    b.mcast_last_member_cnt = u32_("IFLA_BR_MCAST_LAST_MEMBER_CNT")?
                }
                IFLA_BR_MCAST_STARTUP_QUERY_CNT => {
                    b.mcast_startup_query_cnt = u32_("IFLA_BR_MCAST_STARTUP_QUERY_CNT")?
                }
                IFLA_BR_MCAST_LAST_MEMBER_INTVL => {
                    b.mcast_last_member_intvl = u64_("IFLA_BR_MCAST_LAST_MEMBER_INTVL")?
                }
                IFLA_BR_MCAST_MEMBERSHIP_INTVL => {
                    b.mcast_membership_intvl = u64_("IFLA_BR_MCAST_MEMBERSHIP_INTVL")?
                }
                IFLA_BR_MCAST_QUERIER_INTVL => {
                    b.mcast_querier_intvl = u64_("IFLA_BR_MCAST_QUERIER_INTVL")?
                }
                IFLA_BR_MCAST_QUERY_INTVL => {
                    b.mcast_query_intvl = u64_("IFLA_BR_MCAST_QUERY_INTVL")?
                }
                IFLA_BR_MCAST_QUERY_RESPONSE_INTVL => {
                    b.mcast_query_response_intvl = u64_("IFLA_BR_MCAST_QUERY_RESPONSE_INTVL")?
                }
                IFLA_BR_MCAST_STARTUP_QUERY_INTVL => {
                    b.mcast_startup_query_intvl = u64_("IFLA_BR_MCAST_STARTUP_QUERY_INTVL")?
                }
                IFLA_BR_NF_CALL_IPTABLES => b.nf_call_iptables = u8_("IFLA_BR_NF_CALL_IPTABLES")?,
                IFLA_BR_NF_CALL_IP6TABLES => {
                    b.nf_call_ip6tables = u8_("IFLA_BR_NF_CALL_IP6TABLES")?
                }
                IFLA_BR_NF_CALL_ARPTABLES => {
                    b.nf_call_arptables = u8_("IFLA_BR_NF_CALL_ARPTABLES")?
                }
                IFLA_BR_VLAN_DEFAULT_PVID => {
                    b.vlan_default_pvid = u16_("IFLA_BR_VLAN_DEFAULT_PVID")?
                }
                IFLA_BR_VLAN_STATS_ENABLED => {
                    b.vlan_stats_enabled = u8_("IFLA_BR_VLAN_STATS_ENABLED")?
                }
                IFLA_BR_MCAST_STATS_ENABLED => {
                    b.mcast_stats_enabled = u8_("IFLA_BR_MCAST_STATS_ENABLED")?
                }
                IFLA_BR_MCAST_IGMP_VERSION => {
                    b.mcast_igmp_version = u8_("IFLA_BR_MCAST_IGMP_VERSION")?
                }
                IFLA_BR_MCAST_MLD_VERSION => {
                    b.mcast_mld_version = u8_("IFLA_BR_MCAST_MLD_VERSION")?
                }
                IFLA_BR_VLAN_STATS_PER_PORT => {
                    b.vlan_stats_per_port = u8_("IFLA_BR_VLAN_STATS_PER_PORT")?
                }
                IFLA_BR_MULTI_BOOLOPT => {
                    let v = array::<8>(&a, "IFLA_BR_MULTI_BOOLOPT")?;
                    b.multi_boolopt = Some((
                        u32::from_ne_bytes([v[0], v[1], v[2], v[3]]),
                        u32::from_ne_bytes([v[4], v[5], v[6], v[7]]),
                    ));
                }
                _ => {}
            }
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::golden::{add_request, info_data, truncations_fail_cleanly};
    use super::*;
    use crate::route::link::LinkKind;

    const ADD: &[u8] = include_bytes!("../../../tests/golden/kinds/bridge.bin");
    const ADD_OPTIONS: &[u8] = include_bytes!("../../../tests/golden/kinds/bridge-options.bin");
    const ADD_STP0: &[u8] = include_bytes!("../../../tests/golden/kinds/bridge-stp0.bin");
    const REPLY: &[u8] = include_bytes!("../../../tests/golden/kinds/reply-bridge.bin");
    const REPLY_STP: &[u8] = include_bytes!("../../../tests/golden/kinds/reply-bridge-stp.bin");

    fn add(name: &str, p: BridgeParams) -> Vec<u8> {
        add_request(name, LinkKind::Bridge(p))
    }

    #[test]
    fn requests_match_iproute2() {
        assert_eq!(add("br0", BridgeParams::default()), ADD);
        let all = BridgeParams {
            stp_state: Some(1),
            forward_delay: Some(400),
            vlan_filtering: Some(1),
            ..Default::default()
        };
        assert_eq!(add("br1", all), ADD_OPTIONS);
        let stp0 = BridgeParams {
            stp_state: Some(0),
            ..Default::default()
        };
        assert_eq!(add("br2", stp0), ADD_STP0);
    }

    #[test]
    fn decodes_captured_replies() {
        let b = BridgeInfo::decode(&info_data(REPLY)).unwrap();
        assert_eq!(b.forward_delay, Some(1500));
        assert_eq!((b.hello_time, b.max_age), (Some(200), Some(2000)));
        assert_eq!(b.ageing_time, Some(30000));
        assert_eq!((b.stp_state, b.priority), (Some(0), Some(32768)));
        assert_eq!(b.vlan_filtering, Some(0));
        assert_eq!(b.group_addr, Some([0x01, 0x80, 0xc2, 0, 0, 0]));
        assert_eq!(b.bridge_id.unwrap().prio, [0x80, 0]);
        assert_eq!(b.mcast_hash_max, Some(4096));
        assert_eq!(b.mcast_startup_query_intvl, Some(3124));
        assert_eq!(
            (b.mcast_igmp_version, b.mcast_mld_version),
            (Some(2), Some(1))
        );
        assert!(b.multi_boolopt.is_some());
        let s = BridgeInfo::decode(&info_data(REPLY_STP)).unwrap();
        assert_eq!((s.stp_state, s.forward_delay), (Some(1), Some(400)));
        // The request's data decodes too.
        let r = BridgeInfo::decode(&info_data(ADD_OPTIONS)).unwrap();
        assert_eq!(
            (r.stp_state, r.forward_delay, r.vlan_filtering),
            (Some(1), Some(400), Some(1))
        );
    }

    #[test]
    fn truncated_data_fails_cleanly() {
        truncations_fail_cleanly(&info_data(REPLY), BridgeInfo::decode);
    }

    #[test]
    fn malformed_attribute_is_named() {
        let bad = [6, 0, IFLA_BR_STP_STATE as u8, 0, 1, 0, 0, 0];
        assert_eq!(
            BridgeInfo::decode(&bad).unwrap_err().to_string(),
            "IFLA_BR_STP_STATE: want 4 bytes, got 2"
        );
    }
}
