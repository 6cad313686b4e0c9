//! The nf_tables families by nft's names (`ip`, `ip6`, `inet`, `arp`,
//! `bridge`, `netdev`) and their `NFPROTO_*` numbers (`nfgen_family`).

use super::wire::{
    NFPROTO_ARP, NFPROTO_BRIDGE, NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_NETDEV,
};

/// An nf_tables family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Family {
    /// `ip`: IPv4, nft's default.
    #[default]
    Ip,
    Ip6,
    Inet,
    Arp,
    Bridge,
    Netdev,
}

impl Family {
    pub const ALL: [Family; 6] = [
        Family::Ip,
        Family::Ip6,
        Family::Inet,
        Family::Arp,
        Family::Bridge,
        Family::Netdev,
    ];

    /// nft's word for the family.
    pub fn parse(word: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == word)
    }

    /// The family of an `nfgen_family` value.
    pub fn from_nfproto(value: u8) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.nfproto() == value)
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Ip => "ip",
            Family::Ip6 => "ip6",
            Family::Inet => "inet",
            Family::Arp => "arp",
            Family::Bridge => "bridge",
            Family::Netdev => "netdev",
        }
    }

    /// `NFPROTO_*`.
    pub fn nfproto(self) -> u8 {
        match self {
            Family::Ip => NFPROTO_IPV4,
            Family::Ip6 => NFPROTO_IPV6,
            Family::Inet => NFPROTO_INET,
            Family::Arp => NFPROTO_ARP,
            Family::Bridge => NFPROTO_BRIDGE,
            Family::Netdev => NFPROTO_NETDEV,
        }
    }
}

/// nft's name of an `nfgen_family` value; `unknown` for one it has none for.
pub fn family_name(nfproto: u8) -> &'static str {
    Family::from_nfproto(nfproto).map_or("unknown", Family::name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for f in Family::ALL {
            assert_eq!(Family::parse(f.name()), Some(f));
            assert_eq!(Family::from_nfproto(f.nfproto()), Some(f));
        }
        assert_eq!(Family::parse("ipv4"), None);
        assert_eq!(Family::Inet.nfproto(), 1);
        assert_eq!(family_name(99), "unknown");
    }
}
