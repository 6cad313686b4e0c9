//! The data that describes a netlink family to the trace, in the spirit of the
//! kernel's YNL specs: names of numbers ([`Names`]), fixed structs
//! ([`Struct`]), attribute tables ([`Table`]) whose entries say how to show a
//! value ([`Value`]), and message types ([`MessageSpec`], [`Protocol`]).
//!
//! Tables are statics that refer to each other by address, so a nest can hold
//! its parent's table again (a veth peer carries `IFLA_*` attributes). Adding a
//! family means adding tables and one [`Protocol`]; the walker in `render.rs`
//! and `message.rs` does not change. Every name is a kernel constant's name,
//! made from the constant itself by the macros below, so a name cannot drift
//! from its value.

/// A kernel constant: its value and its name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Name {
    pub value: u64,
    pub name: &'static str,
}

/// The names of one field's values: an enumeration or flag bits.
#[derive(Debug)]
pub(crate) struct Names {
    /// Prefixes left out when the names are shown as flag bits (`UP` for `IFF_UP`).
    pub strip: &'static [&'static str],
    pub list: &'static [Name],
}

impl Names {
    pub fn name_of(&self, value: u64) -> Option<&'static str> {
        self.list.iter().find(|n| n.value == value).map(|n| n.name)
    }

    /// `name` without the first of [`Names::strip`] it starts with.
    pub fn short(&self, name: &'static str) -> &'static str {
        self.strip
            .iter()
            .find_map(|p| name.strip_prefix(p))
            .unwrap_or(name)
    }
}

/// `[Name { value: X as u64, name: "X" }, ...]` from constants.
macro_rules! names {
    ($($id:ident),* $(,)?) => {
        &[$($crate::trace::spec::Name { value: $id as u64, name: stringify!($id) }),*]
    };
}

/// `Table { attrs: &[AttrSpec { number: X, name: "X", value: V }, ...] }`.
macro_rules! table {
    ($($id:ident => $value:expr),* $(,)?) => {
        $crate::trace::spec::Table {
            attrs: &[$($crate::trace::spec::AttrSpec {
                number: $id as u16,
                name: stringify!($id),
                value: $value,
            }),*],
        }
    };
}

pub(crate) use {names, table};

/// An integer on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Int {
    U8,
    U16,
    U32,
    U64,
    S32,
    S64,
    /// Big-endian (network byte order): ports, protocols, keys.
    Be16,
    Be32,
}

impl Int {
    pub const fn size(self) -> usize {
        match self {
            Int::U8 => 1,
            Int::U16 | Int::Be16 => 2,
            Int::U32 | Int::S32 | Int::Be32 => 4,
            Int::U64 | Int::S64 => 8,
        }
    }

    /// The value of `bytes`, which must be exactly [`Int::size`] long.
    pub fn read(self, bytes: &[u8]) -> Option<i128> {
        Some(match self {
            Int::U8 => i128::from(*bytes.first().filter(|_| bytes.len() == 1)?),
            Int::U16 => i128::from(u16::from_ne_bytes(bytes.try_into().ok()?)),
            Int::Be16 => i128::from(u16::from_be_bytes(bytes.try_into().ok()?)),
            Int::U32 => i128::from(u32::from_ne_bytes(bytes.try_into().ok()?)),
            Int::Be32 => i128::from(u32::from_be_bytes(bytes.try_into().ok()?)),
            Int::S32 => i128::from(i32::from_ne_bytes(bytes.try_into().ok()?)),
            Int::U64 => i128::from(u64::from_ne_bytes(bytes.try_into().ok()?)),
            Int::S64 => i128::from(i64::from_ne_bytes(bytes.try_into().ok()?)),
        })
    }
}

/// How to show an attribute's payload or a struct field.
#[derive(Debug)]
pub(crate) enum Value {
    /// Decimal.
    Num(Int),
    /// Hexadecimal (masks, protocol numbers).
    Hex(Int),
    /// One of the named values, else the number.
    Enum(Int, &'static Names),
    /// Named bits joined with `|`, unknown bits as hex, `0` for none.
    Flags(Int, &'static Names),
    /// A u8 address family (`AF_INET`); it also says how addresses after it
    /// in the same message are shown.
    Family,
    /// A string, NUL-terminated or not, shown quoted.
    Str,
    /// Bytes in hex.
    Binary,
    /// `NLA_FLAG`: present or not, no payload.
    Flag,
    /// An IP address of the message's family (by length when the family is
    /// not `AF_INET`/`AF_INET6`).
    Addr,
    Ipv4,
    Ipv6,
    /// A link-layer address, `aa:bb:cc:dd:ee:ff` (any length).
    Lladdr,
    /// Integers back to back.
    Array(Int),
    /// A fixed struct.
    Fields(&'static Struct),
    /// Attributes of the table.
    Nest(&'static Table),
    /// Attributes whose table depends on a string sibling in the same nest
    /// (`IFLA_INFO_DATA` on `IFLA_INFO_KIND`).
    ByKind(u16, &'static [Kind]),
    /// A value that depends on the message's address family; the second is
    /// for every other family.
    ByFamily(&'static [(u8, Value)], &'static Value),
    /// A family header followed by attributes (`VETH_INFO_PEER`: an
    /// `ifinfomsg` and `IFLA_*`).
    Header(&'static Struct, &'static Table),
    /// Records that each start with a u16 length covering the struct and the
    /// attributes after it (`RTA_MULTIPATH`: `struct rtnexthop` + `RTA_*`).
    Records(&'static Struct, &'static Table),
    /// `struct rtvia`: a u16 address family, then an address of it.
    Via,
}

/// A choice of [`Value::ByKind`]: the sibling's string and what it selects.
#[derive(Debug)]
pub(crate) struct Kind {
    pub kind: &'static str,
    pub value: Value,
}

/// One field of a struct; an empty name is padding, not shown.
#[derive(Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub size: usize,
    pub value: Value,
}

pub(crate) const fn field(name: &'static str, size: usize, value: Value) -> Field {
    Field { name, size, value }
}

pub(crate) const fn pad(size: usize) -> Field {
    Field {
        name: "",
        size,
        value: Value::Binary,
    }
}

/// A C struct, by its kernel name (`ifinfomsg`), field by field.
#[derive(Debug)]
pub(crate) struct Struct {
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Struct {
    pub fn size(&self) -> usize {
        self.fields.iter().map(|f| f.size).sum()
    }
}

/// One attribute type of a table.
#[derive(Debug)]
pub(crate) struct AttrSpec {
    pub number: u16,
    pub name: &'static str,
    pub value: Value,
}

/// The attribute types of one attribute space (`IFLA_*`, `IFLA_INFO_*`, ...).
#[derive(Debug)]
pub(crate) struct Table {
    pub attrs: &'static [AttrSpec],
}

impl Table {
    pub fn find(&self, number: u16) -> Option<&'static AttrSpec> {
        self.attrs.iter().find(|a| a.number == number)
    }
}

/// A table that knows no attribute: a nest shown with numbers and hex.
pub(crate) static UNKNOWN: Table = Table { attrs: &[] };

/// What a request does, which decides the meaning of its upper flag bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    New,
    Del,
    Get,
    Set,
}

/// One message type of a protocol: its family header and attributes.
#[derive(Debug)]
pub(crate) struct MessageSpec {
    pub number: u16,
    pub name: &'static str,
    pub op: Op,
    pub header: &'static Struct,
    pub attrs: &'static Table,
}

/// A netlink protocol (`NETLINK_ROUTE`, ...) and its message types.
#[derive(Debug)]
pub(crate) struct Protocol {
    pub number: i32,
    pub messages: &'static [MessageSpec],
}

impl Protocol {
    pub fn message(&self, number: u16) -> Option<&'static MessageSpec> {
        self.messages.iter().find(|m| m.number == number)
    }
}

/// `MessageSpec { number: X, name: "X", op, header, attrs }`.
macro_rules! message {
    ($id:ident, $op:ident, $header:expr, $attrs:expr) => {
        $crate::trace::spec::MessageSpec {
            number: $id,
            name: stringify!($id),
            op: $crate::trace::spec::Op::$op,
            header: $header,
            attrs: $attrs,
        }
    };
}

pub(crate) use message;
