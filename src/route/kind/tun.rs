//! tun and tap devices as the kernel shows them: the `IFLA_TUN_*` attributes
//! of a tun link's `IFLA_INFO_DATA` (linux/if_link.h). rawnet creates tun
//! devices with the `TUNSETIFF` ioctl (`sys`), not with netlink, so there is
//! no encoder here.

use crate::error::DecodeError;
use crate::netlink::Attrs;

use super::named;

pub const IFLA_TUN_OWNER: u16 = 1;
pub const IFLA_TUN_GROUP: u16 = 2;
pub const IFLA_TUN_TYPE: u16 = 3;
pub const IFLA_TUN_PI: u16 = 4;
pub const IFLA_TUN_VNET_HDR: u16 = 5;
pub const IFLA_TUN_PERSIST: u16 = 6;
pub const IFLA_TUN_MULTI_QUEUE: u16 = 7;
pub const IFLA_TUN_NUM_QUEUES: u16 = 8;
pub const IFLA_TUN_NUM_DISABLED_QUEUES: u16 = 9;

/// `IFF_TUN`, `IFF_TAP`: the values of `IFLA_TUN_TYPE`.
pub const TUN_TYPE_TUN: u8 = 1;
pub const TUN_TYPE_TAP: u8 = 2;

/// A tun link's `IFLA_INFO_DATA`; `None` where the kernel sent nothing (it
/// sends the owner and group only when they are set).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TunInfo {
    /// `IFLA_TUN_TYPE`: [`TUN_TYPE_TUN`] or [`TUN_TYPE_TAP`].
    pub tun_type: Option<u8>,
    /// `IFLA_TUN_PI`, `IFLA_TUN_VNET_HDR`, `IFLA_TUN_PERSIST`,
    /// `IFLA_TUN_MULTI_QUEUE`: 0 or 1.
    pub pi: Option<u8>,
    pub vnet_hdr: Option<u8>,
    pub persist: Option<u8>,
    pub multi_queue: Option<u8>,
    /// `IFLA_TUN_NUM_QUEUES`, `IFLA_TUN_NUM_DISABLED_QUEUES` (multi-queue devices).
    pub num_queues: Option<u32>,
    pub num_disabled_queues: Option<u32>,
    /// `IFLA_TUN_OWNER`, `IFLA_TUN_GROUP`: the user and group id allowed to attach.
    pub owner: Option<u32>,
    pub group: Option<u32>,
}

impl TunInfo {
    pub fn decode(data: &[u8]) -> Result<TunInfo, DecodeError> {
        let mut t = TunInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_DATA")?;
            match a.kind() {
                IFLA_TUN_OWNER => t.owner = Some(named(a.u32(), "IFLA_TUN_OWNER")?),
                IFLA_TUN_GROUP => t.group = Some(named(a.u32(), "IFLA_TUN_GROUP")?),
                IFLA_TUN_TYPE => t.tun_type = Some(named(a.u8(), "IFLA_TUN_TYPE")?),
                IFLA_TUN_PI => t.pi = Some(named(a.u8(), "IFLA_TUN_PI")?),
                IFLA_TUN_VNET_HDR => t.vnet_hdr = Some(named(a.u8(), "IFLA_TUN_VNET_HDR")?),
                IFLA_TUN_PERSIST => t.persist = Some(named(a.u8(), "IFLA_TUN_PERSIST")?),
                IFLA_TUN_MULTI_QUEUE => {
                    t.multi_queue = Some(named(a.u8(), "IFLA_TUN_MULTI_QUEUE")?)
                }
                IFLA_TUN_NUM_QUEUES => t.num_queues = Some(named(a.u32(), "IFLA_TUN_NUM_QUEUES")?),
                IFLA_TUN_NUM_DISABLED_QUEUES => {
                    t.num_disabled_queues = Some(named(a.u32(), "IFLA_TUN_NUM_DISABLED_QUEUES")?)
                }
                _ => {}
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `IFLA_INFO_DATA` of a persistent tap (`ip tuntap add tap0 mode tap
    /// user 0`) as kernel 6.18 sent it.
    const TAP: &[u8] = &[
        8, 0, 1, 0, 0, 0, 0, 0, // OWNER 0
        5, 0, 3, 0, 2, 0, 0, 0, // TYPE tap
        5, 0, 4, 0, 0, 0, 0, 0, // PI 0
        5, 0, 5, 0, 0, 0, 0, 0, // VNET_HDR 0
        5, 0, 6, 0, 1, 0, 0, 0, // PERSIST 1
        5, 0, 7, 0, 0, 0, 0, 0, // MULTI_QUEUE 0
    ];

    #[test]
    fn decodes_a_tap() {
        let t = TunInfo::decode(TAP).unwrap();
        assert_eq!(t.tun_type, Some(TUN_TYPE_TAP));
        assert_eq!((t.pi, t.vnet_hdr, t.persist), (Some(0), Some(0), Some(1)));
        assert_eq!((t.owner, t.group), (Some(0), None));
        assert_eq!(t.multi_queue, Some(0));
        for cut in 0..TAP.len() {
            // Cut inside an attribute: an error, never a panic.
            let _ = TunInfo::decode(&TAP[..cut]);
        }
        let mut bad = TAP.to_vec();
        bad[0] = 6; // OWNER with 2 bytes
        assert_eq!(
            TunInfo::decode(&bad).unwrap_err().to_string(),
            "IFLA_TUN_OWNER: want 4 bytes, got 2"
        );
    }
}
