//! Neighbour constants (linux/neighbour.h, linux/rtnetlink.h): `RTM_*NEIGH`,
//! `AF_BRIDGE`, `NDA_*` attributes, `NUD_*` states, `NTF_*` and `NTF_EXT_*`
//! flags. Kernel names and values, nothing else.

pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_DELNEIGH: u16 = 29;
pub const RTM_GETNEIGH: u16 = 30;

/// `AF_BRIDGE` (`PF_BRIDGE`): the family of forwarding-database entries.
pub const AF_BRIDGE: u8 = 7;

// NDA_* attributes.
pub const NDA_UNSPEC: u16 = 0;
/// The neighbour's network address (4 or 16 bytes); a vxlan fdb entry's remote.
pub const NDA_DST: u16 = 1;
/// The link-layer address.
pub const NDA_LLADDR: u16 = 2;
/// `struct nda_cacheinfo`.
pub const NDA_CACHEINFO: u16 = 3;
/// u32: probes sent.
pub const NDA_PROBES: u16 = 4;
/// u16 VLAN id of a bridge fdb entry.
pub const NDA_VLAN: u16 = 5;
/// Big-endian u16 UDP port of a vxlan fdb entry.
pub const NDA_PORT: u16 = 6;
/// u32 VNI of a vxlan fdb entry.
pub const NDA_VNI: u16 = 7;
/// u32 interface index (vxlan: the device to reach the remote through; dump filter).
pub const NDA_IFINDEX: u16 = 8;
/// u32 index of the master device (bridge); also a dump filter.
pub const NDA_MASTER: u16 = 9;
pub const NDA_LINK_NETNSID: u16 = 10;
/// u32 source VNI (vxlan collect-metadata devices).
pub const NDA_SRC_VNI: u16 = 11;
/// u8 `RTPROT_*`: who installed the entry.
pub const NDA_PROTOCOL: u16 = 12;
/// u32 nexthop group id.
pub const NDA_NH_ID: u16 = 13;
pub const NDA_FDB_EXT_ATTRS: u16 = 14;
/// u32 `NTF_EXT_*` flags.
pub const NDA_FLAGS_EXT: u16 = 15;
pub const NDA_NDM_STATE_MASK: u16 = 16;
pub const NDA_NDM_FLAGS_MASK: u16 = 17;

// NUD_* states (ndm_state).
pub const NUD_NONE: u16 = 0x00;
pub const NUD_INCOMPLETE: u16 = 0x01;
pub const NUD_REACHABLE: u16 = 0x02;
pub const NUD_STALE: u16 = 0x04;
pub const NUD_DELAY: u16 = 0x08;
pub const NUD_PROBE: u16 = 0x10;
pub const NUD_FAILED: u16 = 0x20;
/// Pseudo-state: no address resolution.
pub const NUD_NOARP: u16 = 0x40;
/// Pseudo-state: static, never garbage-collected.
pub const NUD_PERMANENT: u16 = 0x80;

// NTF_* flags (ndm_flags).
pub const NTF_USE: u8 = 1 << 0;
/// An fdb entry of the device itself (vxlan's remote table, a port's own list).
pub const NTF_SELF: u8 = 1 << 1;
/// An fdb entry of the device's master (the bridge).
pub const NTF_MASTER: u8 = 1 << 2;
/// A proxy entry (proxy ARP / NDP), `ATF_PUBL`.
pub const NTF_PROXY: u8 = 1 << 3;
pub const NTF_EXT_LEARNED: u8 = 1 << 4;
pub const NTF_OFFLOADED: u8 = 1 << 5;
pub const NTF_STICKY: u8 = 1 << 6;
pub const NTF_ROUTER: u8 = 1 << 7;

// NTF_EXT_* flags (NDA_FLAGS_EXT).
pub const NTF_EXT_MANAGED: u32 = 1 << 0;
pub const NTF_EXT_LOCKED: u32 = 1 << 1;
