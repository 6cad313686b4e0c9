//! 802.1Q VLANs: `IFLA_VLAN_*` (linux/if_link.h). Made on a parent:
//! `ip link add link PARENT name NAME type vlan id N` sends `IFLA_VLAN_ID` only.

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::{array, named};

pub const IFLA_VLAN_ID: u16 = 1;
pub const IFLA_VLAN_FLAGS: u16 = 2;
pub const IFLA_VLAN_PROTOCOL: u16 = 5;

/// `VLAN_FLAG_*`, in the order iproute2 prints them.
pub const VLAN_FLAGS: [(u32, &str); 5] = [
    (0x1, "REORDER_HDR"),
    (0x2, "GVRP"),
    (0x8, "MVRP"),
    (0x4, "LOOSE_BINDING"),
    (0x10, "BRIDGE_BINDING"),
];

/// What `ip link add ... type vlan` can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VlanParams {
    /// `IFLA_VLAN_ID` (the kernel takes 0..=4094).
    pub id: u16,
}

impl VlanParams {
    pub fn encode(&self, m: &mut MessageBuilder) {
        m.put_u16(IFLA_VLAN_ID, self.id);
    }
}

/// A VLAN device's `IFLA_INFO_DATA`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VlanInfo {
    pub id: Option<u16>,
    /// An ethertype (0x8100 802.1Q, 0x88a8 802.1ad).
    pub protocol: Option<u16>,
    /// `struct ifla_vlan_flags`: (flags, mask).
    pub flags: Option<(u32, u32)>,
}

impl VlanInfo {
    pub fn decode(data: &[u8]) -> Result<VlanInfo, DecodeError> {
        let mut v = VlanInfo::default();
        for a in Attrs::new(data) {
            let a = named(a, "IFLA_INFO_DATA")?;
            match a.kind() {
                IFLA_VLAN_ID => v.id = Some(named(a.u16(), "IFLA_VLAN_ID")?),
                IFLA_VLAN_PROTOCOL => v.protocol = Some(named(a.u16_be(), "IFLA_VLAN_PROTOCOL")?),
                IFLA_VLAN_FLAGS => {
                    let f = array::<8>(&a, "IFLA_VLAN_FLAGS")?;
                    v.flags = Some((
                        u32::from_ne_bytes([f[0], f[1], f[2], f[3]]),
                        u32::from_ne_bytes([f[4], f[5], f[6], f[7]]),
                    ));
                }
                _ => {}
            }
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::super::golden::{add_request_on_veth0, info_data, truncations_fail_cleanly};
    use super::*;
    use crate::route::link::LinkKind;

    const ADD: &[u8] = include_bytes!("../../../tests/golden/kinds/vlan.bin");

    #[test]
    fn request_matches_iproute2() {
        // ip link add link veth0 name v10 type vlan id 10   (veth0 is index 3)
        let kind = LinkKind::Vlan(VlanParams { id: 10 });
        assert_eq!(add_request_on_veth0("v10", kind), ADD);
    }

    /// No vlan in this kernel: the request's data stands in for a reply,
    /// plus the protocol and flags a kernel adds.
    #[test]
    fn decodes_data() {
        let mut data = info_data(ADD);
        data.extend_from_slice(&[6, 0, 5, 0, 0x81, 0, 0, 0]);
        data.extend_from_slice(&[12, 0, 2, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        let v = VlanInfo::decode(&data).unwrap();
        assert_eq!(v.id, Some(10));
        assert_eq!(v.protocol, Some(0x8100));
        assert_eq!(v.flags, Some((1, u32::MAX)));
        truncations_fail_cleanly(&data, VlanInfo::decode);
    }
}
