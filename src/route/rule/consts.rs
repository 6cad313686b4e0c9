//! Rule constants (linux/fib_rules.h, linux/rtnetlink.h): the `RTM_*RULE`
//! message types, `FRA_*` attributes, `FR_ACT_*` actions and `FIB_RULE_*`
//! flags. Kernel names and values, nothing else.

pub const RTM_NEWRULE: u16 = 32;
pub const RTM_DELRULE: u16 = 33;
pub const RTM_GETRULE: u16 = 34;

// FRA_* attributes.
pub const FRA_UNSPEC: u16 = 0;
/// Destination address (`to`), as many bytes as the family's address.
pub const FRA_DST: u16 = 1;
/// Source address (`from`).
pub const FRA_SRC: u16 = 2;
/// Input interface name (`iif`), NUL-terminated.
pub const FRA_IIFNAME: u16 = 3;
/// u32 priority of the rule to jump to (`FR_ACT_GOTO`).
pub const FRA_GOTO: u16 = 4;
pub const FRA_PRIORITY: u16 = 6;
pub const FRA_FWMARK: u16 = 10;
/// u32 realms: source in the high 16 bits, destination in the low.
pub const FRA_FLOW: u16 = 11;
/// u64, big-endian.
pub const FRA_TUN_ID: u16 = 12;
pub const FRA_SUPPRESS_IFGROUP: u16 = 13;
pub const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
/// u32 table, for tables above 255 (the header's `table` is then 0 or 252).
pub const FRA_TABLE: u16 = 15;
pub const FRA_FWMASK: u16 = 16;
pub const FRA_OIFNAME: u16 = 17;
pub const FRA_PAD: u16 = 18;
/// u8: 1 looks the table up from the l3mdev (VRF) device.
pub const FRA_L3MDEV: u16 = 19;
/// `struct fib_rule_uid_range`.
pub const FRA_UID_RANGE: u16 = 20;
/// u8 `RTPROT_*`: who made the rule.
pub const FRA_PROTOCOL: u16 = 21;
/// u8 IP protocol number.
pub const FRA_IP_PROTO: u16 = 22;
/// `struct fib_rule_port_range`.
pub const FRA_SPORT_RANGE: u16 = 23;
pub const FRA_DPORT_RANGE: u16 = 24;

// FR_ACT_* actions (fib_rule_hdr.action).
pub const FR_ACT_UNSPEC: u8 = 0;
/// Look the route up in the rule's table.
pub const FR_ACT_TO_TBL: u8 = 1;
pub const FR_ACT_GOTO: u8 = 2;
pub const FR_ACT_NOP: u8 = 3;
pub const FR_ACT_RES3: u8 = 4;
pub const FR_ACT_RES4: u8 = 5;
/// Drop without notification.
pub const FR_ACT_BLACKHOLE: u8 = 6;
/// Drop with `ENETUNREACH`.
pub const FR_ACT_UNREACHABLE: u8 = 7;
/// Drop with `EACCES`.
pub const FR_ACT_PROHIBIT: u8 = 8;

// FIB_RULE_* flags (fib_rule_hdr.flags).
pub const FIB_RULE_PERMANENT: u32 = 0x1;
/// `not`: the selector is inverted.
pub const FIB_RULE_INVERT: u32 = 0x2;
/// A `goto` whose target rule does not exist (yet).
pub const FIB_RULE_UNRESOLVED: u32 = 0x4;
/// The `iif` device does not exist (now).
pub const FIB_RULE_IIF_DETACHED: u32 = 0x8;
pub const FIB_RULE_OIF_DETACHED: u32 = 0x10;
pub const FIB_RULE_FIND_SADDR: u32 = 0x0001_0000;
