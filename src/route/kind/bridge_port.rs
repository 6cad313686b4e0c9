//! Bridge ports: `IFLA_BRPORT_*` (linux/if_link.h), the
//! `IFLA_INFO_SLAVE_DATA` of a link enslaved to a bridge (`ip -d link show`
//! prints it as `bridge_slave ...`), decoded into [`BridgePortInfo`]; and
//! [`BridgePortParams`], what `ip link set DEV type bridge_slave ARGS`
//! changes (ports are made with `link set DEV master BR`).

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::bridge::BridgeId;
use super::named;

pub const IFLA_BRPORT_STATE: u16 = 1;
pub const IFLA_BRPORT_PRIORITY: u16 = 2;
pub const IFLA_BRPORT_COST: u16 = 3;
pub const IFLA_BRPORT_MODE: u16 = 4;
pub const IFLA_BRPORT_GUARD: u16 = 5;
pub const IFLA_BRPORT_PROTECT: u16 = 6;
pub const IFLA_BRPORT_FAST_LEAVE: u16 = 7;
pub const IFLA_BRPORT_LEARNING: u16 = 8;
pub const IFLA_BRPORT_UNICAST_FLOOD: u16 = 9;
pub const IFLA_BRPORT_PROXYARP: u16 = 10;
pub const IFLA_BRPORT_PROXYARP_WIFI: u16 = 12;
pub const IFLA_BRPORT_ROOT_ID: u16 = 13;
pub const IFLA_BRPORT_BRIDGE_ID: u16 = 14;
pub const IFLA_BRPORT_DESIGNATED_PORT: u16 = 15;
pub const IFLA_BRPORT_DESIGNATED_COST: u16 = 16;
pub const IFLA_BRPORT_ID: u16 = 17;
pub const IFLA_BRPORT_NO: u16 = 18;
pub const IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: u16 = 19;
pub const IFLA_BRPORT_CONFIG_PENDING: u16 = 20;
pub const IFLA_BRPORT_MESSAGE_AGE_TIMER: u16 = 21;
pub const IFLA_BRPORT_FORWARD_DELAY_TIMER: u16 = 22;
pub const IFLA_BRPORT_HOLD_TIMER: u16 = 23;
pub const IFLA_BRPORT_MULTICAST_ROUTER: u16 = 25;
pub const IFLA_BRPORT_MCAST_FLOOD: u16 = 27;
pub const IFLA_BRPORT_MCAST_TO_UCAST: u16 = 28;
pub const IFLA_BRPORT_VLAN_TUNNEL: u16 = 29;
pub const IFLA_BRPORT_BCAST_FLOOD: u16 = 30;
pub const IFLA_BRPORT_GROUP_FWD_MASK: u16 = 31;
pub const IFLA_BRPORT_NEIGH_SUPPRESS: u16 = 32;
pub const IFLA_BRPORT_ISOLATED: u16 = 33;
pub const IFLA_BRPORT_BACKUP_PORT: u16 = 34;
pub const IFLA_BRPORT_LOCKED: u16 = 39;

/// What `ip link set DEV type bridge_slave ...` changes; `None` leaves a
/// setting alone. Encoded in iproute2's keyword order: state, priority, cost,
/// hairpin, guard, root_block, fastleave, learning, flood, mcast_flood,
/// bcast_flood, mcast_to_unicast, proxy_arp, proxy_arp_wifi, mcast_router,
/// neigh_suppress, group_fwd_mask, vlan_tunnel, isolated, locked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BridgePortParams {
    /// `IFLA_BRPORT_STATE`: `BR_STATE_*` (0 disabled .. 4 blocking).
    pub state: Option<u8>,
    pub priority: Option<u16>,
    pub cost: Option<u32>,
    /// `IFLA_BRPORT_MODE`.
    pub hairpin: Option<bool>,
    pub guard: Option<bool>,
    /// `IFLA_BRPORT_PROTECT`.
    pub root_block: Option<bool>,
    pub fast_leave: Option<bool>,
    pub learning: Option<bool>,
    /// `IFLA_BRPORT_UNICAST_FLOOD` (`flood`).
    pub flood: Option<bool>,
    pub mcast_flood: Option<bool>,
    pub bcast_flood: Option<bool>,
    pub mcast_to_unicast: Option<bool>,
    pub proxy_arp: Option<bool>,
    pub proxy_arp_wifi: Option<bool>,
    /// `IFLA_BRPORT_MULTICAST_ROUTER`: 0 disabled, 1 temporary, 2 permanent.
    pub mcast_router: Option<u8>,
    pub neigh_suppress: Option<bool>,
    pub group_fwd_mask: Option<u16>,
    pub vlan_tunnel: Option<bool>,
    pub isolated: Option<bool>,
    pub locked: Option<bool>,
}

impl BridgePortParams {
    pub fn is_empty(&self) -> bool {
        *self == BridgePortParams::default()
    }

    /// The attributes (inside `IFLA_INFO_SLAVE_DATA`), on/off as u8 0/1.
    pub fn encode(&self, m: &mut MessageBuilder) {
        let flag = |m: &mut MessageBuilder, kind: u16, v: Option<bool>| {
            if let Some(v) = v {
                m.put_u8(kind, u8::from(v));
            }
        };
        if let Some(v) = self.state {
            m.put_u8(IFLA_BRPORT_STATE, v);
        }
        if let Some(v) = self.priority {
            m.put_u16(IFLA_BRPORT_PRIORITY, v);
        }
        if let Some(v) = self.cost {
            m.put_u32(IFLA_BRPORT_COST, v);
        }
        flag(m, IFLA_BRPORT_MODE, self.hairpin);
        flag(m, IFLA_BRPORT_GUARD, self.guard);
        flag(m, IFLA_BRPORT_PROTECT, self.root_block);
        flag(m, IFLA_BRPORT_FAST_LEAVE, self.fast_leave);
        flag(m, IFLA_BRPORT_LEARNING, self.learning);
        flag(m, IFLA_BRPORT_UNICAST_FLOOD, self.flood);
        flag(m, IFLA_BRPORT_MCAST_FLOOD, self.mcast_flood);
        flag(m, IFLA_BRPORT_BCAST_FLOOD, self.bcast_flood);
        flag(m, IFLA_BRPORT_MCAST_TO_UCAST, self.mcast_to_unicast);
        flag(m, IFLA_BRPORT_PROXYARP, self.proxy_arp);
        flag(m, IFLA_BRPORT_PROXYARP_WIFI, self.proxy_arp_wifi);
        if let Some(v) = self.mcast_router {
            m.put_u8(IFLA_BRPORT_MULTICAST_ROUTER, v);
        }
        flag(m, IFLA_BRPORT_NEIGH_SUPPRESS, self.neigh_suppress);
        if let Some(v) = self.group_fwd_mask {
            m.put_u16(IFLA_BRPORT_GROUP_FWD_MASK, v);
        }
        flag(m, IFLA_BRPORT_VLAN_TUNNEL, self.vlan_tunnel);
        flag(m, IFLA_BRPORT_ISOLATED, self.isolated);
        flag(m, IFLA_BRPORT_LOCKED, self.locked);
    }
}

/// A bridge port's `IFLA_INFO_SLAVE_DATA`. On/off attributes are `u8` 0/1;
/// timers are centiseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BridgePortInfo {
    /// `BR_STATE_*`: 0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking.
    pub state: Option<u8>,
    pub priority: Option<u16>,
    pub cost: Option<u32>,
    /// `IFLA_BRPORT_MODE`: hairpin.
    pub hairpin: Option<u8>,
    pub guard: Option<u8>,
    /// `IFLA_BRPORT_PROTECT`: root_block.
    pub root_block: Option<u8>,
    pub fast_leave: Option<u8>,
    pub learning: Option<u8>,
    pub unicast_flood: Option<u8>,
    pub proxyarp: Option<u8>,
    pub proxyarp_wifi: Option<u8>,
    pub root_id: Option<BridgeId>,
    pub bridge_id: Option<BridgeId>,
    pub designated_port: Option<u16>,
    pub designated_cost: Option<u16>,
    pub id: Option<u16>,
    pub no: Option<u16>,
    pub topology_change_ack: Option<u8>,
    pub config_pending: Option<u8>,
    pub message_age_timer: Option<u64>,
    pub forward_delay_timer: Option<u64>,
    pub hold_timer: Option<u64>,
    pub multicast_router: Option<u8>,
    pub mcast_flood: Option<u8>,
    pub mcast_to_ucast: Option<u8>,
    pub vlan_tunnel: Option<u8>,
    pub bcast_flood: Option<u8>,
    pub group_fwd_mask: Option<u16>,
    pub neigh_suppress: Option<u8>,
    pub isolated: Option<u8>,
    /// Index of the backup port.
    pub backup_port: Option<u32>,
    pub locked: Option<u8>,
}

impl BridgePortInfo {
    /// Decode a bridge port's `IFLA_INFO_SLAVE_DATA`.
    pub fn decode(data: &[u8]) -> Result<BridgePortInfo, DecodeError> {
        let mut p = BridgePortInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_SLAVE_DATA")?;
            let u8_ = |what| named(a.u8(), what).map(Some);
            let u16_ = |what| named(a.u16(), what).map(Some);
            let u32_ = |what| named(a.u32(), what).map(Some);
            let u64_ = |what| named(a.u64(), what).map(Some);
            match a.kind() {
                IFLA_BRPORT_STATE => p.state = u8_("IFLA_BRPORT_STATE")?,
                IFLA_BRPORT_PRIORITY => p.priority = u16_("IFLA_BRPORT_PRIORITY")?,
                IFLA_BRPORT_COST => p.cost = u32_("IFLA_BRPORT_COST")?,
                IFLA_BRPORT_MODE => p.hairpin = u8_("IFLA_BRPORT_MODE")?,
                IFLA_BRPORT_GUARD => p.guard = u8_("IFLA_BRPORT_GUARD")?,
                IFLA_BRPORT_PROTECT => p.root_block = u8_("IFLA_BRPORT_PROTECT")?,
                IFLA_BRPORT_FAST_LEAVE => p.fast_leave = u8_("IFLA_BRPORT_FAST_LEAVE")?,
                IFLA_BRPORT_LEARNING => p.learning = u8_("IFLA_BRPORT_LEARNING")?,
                IFLA_BRPORT_UNICAST_FLOOD => p.unicast_flood = u8_("IFLA_BRPORT_UNICAST_FLOOD")?,
                IFLA_BRPORT_PROXYARP => p.proxyarp = u8_("IFLA_BRPORT_PROXYARP")?,
                IFLA_BRPORT_PROXYARP_WIFI => p.proxyarp_wifi = u8_("IFLA_BRPORT_PROXYARP_WIFI")?,
                IFLA_BRPORT_ROOT_ID => {
                    p.root_id = Some(BridgeId::decode(&a, "IFLA_BRPORT_ROOT_ID")?)
                }
                IFLA_BRPORT_BRIDGE_ID => {
                    p.bridge_id = Some(BridgeId::decode(&a, "IFLA_BRPORT_BRIDGE_ID")?)
                }
                IFLA_BRPORT_DESIGNATED_PORT => {
                    p.designated_port = u16_("IFLA_BRPORT_DESIGNATED_PORT")?
                }
                IFLA_BRPORT_DESIGNATED_COST => {
                    p.designated_cost = u16_("IFLA_BRPORT_DESIGNATED_COST")?
                }
                IFLA_BRPORT_ID => p.id = u16_("IFLA_BRPORT_ID")?,
                IFLA_BRPORT_NO => p.no = u16_("IFLA_BRPORT_NO")?,
                IFLA_BRPORT_TOPOLOGY_CHANGE_ACK => {
                    p.topology_change_ack = u8_("IFLA_BRPORT_TOPOLOGY_CHANGE_ACK")?
                }
                IFLA_BRPORT_CONFIG_PENDING => p.config_pending = u8_("IFLA_BRPORT_CONFIG_PENDING")?,
                IFLA_BRPORT_MESSAGE_AGE_TIMER => {
                    p.message_age_timer = u64_("IFLA_BRPORT_MESSAGE_AGE_TIMER")?
                }
                IFLA_BRPORT_FORWARD_DELAY_TIMER => {
                    p.forward_delay_timer = u64_("IFLA_BRPORT_FORWARD_DELAY_TIMER")?
                }
                IFLA_BRPORT_HOLD_TIMER => p.hold_timer = u64_("IFLA_BRPORT_HOLD_TIMER")?,
                IFLA_BRPORT_MULTICAST_ROUTER => {
                    p.multicast_router = u8_("IFLA_BRPORT_MULTICAST_ROUTER")?
                }
                IFLA_BRPORT_MCAST_FLOOD => p.mcast_flood = u8_("IFLA_BRPORT_MCAST_FLOOD")?,
                IFLA_BRPORT_MCAST_TO_UCAST => p.mcast_to_ucast = u8_("IFLA_BRPORT_MCAST_TO_UCAST")?,
                IFLA_BRPORT_VLAN_TUNNEL => p.vlan_tunnel = u8_("IFLA_BRPORT_VLAN_TUNNEL")?,
                IFLA_BRPORT_BCAST_FLOOD => p.bcast_flood = u8_("IFLA_BRPORT_BCAST_FLOOD")?,
                IFLA_BRPORT_GROUP_FWD_MASK => {
                    p.group_fwd_mask = u16_("IFLA_BRPORT_GROUP_FWD_MASK")?
                }
                IFLA_BRPORT_NEIGH_SUPPRESS => p.neigh_suppress = u8_("IFLA_BRPORT_NEIGH_SUPPRESS")?,
                IFLA_BRPORT_ISOLATED => p.isolated = u8_("IFLA_BRPORT_ISOLATED")?,
                IFLA_BRPORT_BACKUP_PORT => p.backup_port = u32_("IFLA_BRPORT_BACKUP_PORT")?,
                IFLA_BRPORT_LOCKED => p.locked = u8_("IFLA_BRPORT_LOCKED")?,
                _ => {}
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::golden::{slave_data, truncations_fail_cleanly};
    use super::*;

    const REPLY: &[u8] = include_bytes!("../../../tests/golden/kinds/reply-bridge-port.bin");

    #[test]
    fn decodes_captured_reply() {
        let p = BridgePortInfo::decode(&slave_data(REPLY)).unwrap();
        assert_eq!(p.state, Some(0));
        assert_eq!((p.priority, p.cost), (Some(32), Some(2)));
        assert_eq!((p.id, p.no), (Some(0x8001), Some(1)));
        assert_eq!((p.learning, p.unicast_flood), (Some(1), Some(1)));
        assert_eq!(p.designated_port, Some(32769));
        assert_eq!(p.group_fwd_mask, Some(0));
        assert_eq!(p.hold_timer, Some(0));
    }

    #[test]
    fn truncated_data_fails_cleanly() {
        truncations_fail_cleanly(&slave_data(REPLY), BridgePortInfo::decode);
    }
}
