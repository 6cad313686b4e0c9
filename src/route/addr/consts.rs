//! Address constants (linux/if_addr.h): `IFA_*` attributes, `IFA_F_*` flags
//! and the lifetime that means forever. Kernel names and values, nothing else.

/// A lifetime of `0xffffffff` means forever.
pub const INFINITY_LIFE_TIME: u32 = u32::MAX;

// IFA_* attributes.
pub const IFA_UNSPEC: u16 = 0;
/// The prefix address; for point-to-point links the peer.
pub const IFA_ADDRESS: u16 = 1;
/// The local address.
pub const IFA_LOCAL: u16 = 2;
pub const IFA_LABEL: u16 = 3;
pub const IFA_BROADCAST: u16 = 4;
pub const IFA_ANYCAST: u16 = 5;
pub const IFA_CACHEINFO: u16 = 6;
pub const IFA_MULTICAST: u16 = 7;
/// u32 extension of `ifa_flags`.
pub const IFA_FLAGS: u16 = 8;
/// u32 metric of the prefix route.
pub const IFA_RT_PRIORITY: u16 = 9;
pub const IFA_TARGET_NETNSID: u16 = 10;
pub const IFA_PROTO: u16 = 11;

// IFA_F_* flags.
pub const IFA_F_SECONDARY: u32 = 0x01;
pub const IFA_F_TEMPORARY: u32 = IFA_F_SECONDARY;
pub const IFA_F_NODAD: u32 = 0x02;
pub const IFA_F_OPTIMISTIC: u32 = 0x04;
pub const IFA_F_DADFAILED: u32 = 0x08;
pub const IFA_F_HOMEADDRESS: u32 = 0x10;
pub const IFA_F_DEPRECATED: u32 = 0x20;
pub const IFA_F_TENTATIVE: u32 = 0x40;
pub const IFA_F_PERMANENT: u32 = 0x80;
pub const IFA_F_MANAGETEMPADDR: u32 = 0x100;
pub const IFA_F_NOPREFIXROUTE: u32 = 0x200;
pub const IFA_F_MCAUTOJOIN: u32 = 0x400;
pub const IFA_F_STABLE_PRIVACY: u32 = 0x800;
