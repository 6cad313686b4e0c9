//! `meta` and `ct`: load packet metadata or conntrack state into a
//! register, or set it from one (`enum nft_meta_attributes`,
//! `enum nft_ct_attributes`). Keys are kept as numbers; the names are
//! libnftnl's.

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::data::{be32, missing};

pub const NFTA_META_DREG: u16 = 1;
pub const NFTA_META_KEY: u16 = 2;
pub const NFTA_META_SREG: u16 = 3;

pub const NFTA_CT_DREG: u16 = 1;
pub const NFTA_CT_KEY: u16 = 2;
pub const NFTA_CT_DIRECTION: u16 = 3;
pub const NFTA_CT_SREG: u16 = 4;

/// `enum nft_meta_keys` that rawnet compiles to.
pub const NFT_META_MARK: u32 = 3;
pub const NFT_META_IIF: u32 = 4;
pub const NFT_META_OIF: u32 = 5;
pub const NFT_META_IIFNAME: u32 = 6;
pub const NFT_META_OIFNAME: u32 = 7;
pub const NFT_META_NFPROTO: u32 = 15;
pub const NFT_META_L4PROTO: u32 = 16;

/// `enum nft_ct_keys` that rawnet compiles to.
pub const NFT_CT_STATE: u32 = 0;
pub const NFT_CT_DIRECTION: u32 = 1;
pub const NFT_CT_STATUS: u32 = 2;
pub const NFT_CT_MARK: u32 = 3;

/// Meta key names, indexed by `enum nft_meta_keys`.
const META_KEYS: [&str; 36] = [
    "len",
    "protocol",
    "priority",
    "mark",
    "iif",
    "oif",
    "iifname",
    "oifname",
    "iiftype",
    "oiftype",
    "skuid",
    "skgid",
    "nftrace",
    "rtclassid",
    "secmark",
    "nfproto",
    "l4proto",
    "bri_iifname",
    "bri_oifname",
    "pkttype",
    "cpu",
    "iifgroup",
    "oifgroup",
    "cgroup",
    "prandom",
    "secpath",
    "iifkind",
    "oifkind",
    "bri_iifpvid",
    "bri_iifvproto",
    "time",
    "day",
    "hour",
    "sdif",
    "sdifname",
    "broute",
];

/// Conntrack key names, indexed by `enum nft_ct_keys`.
const CT_KEYS: [&str; 24] = [
    "state",
    "direction",
    "status",
    "mark",
    "secmark",
    "expiration",
    "helper",
    "l3protocol",
    "src",
    "dst",
    "protocol",
    "proto_src",
    "proto_dst",
    "label",
    "packets",
    "bytes",
    "avgpkt",
    "zone",
    "event",
    "src_ip",
    "dst_ip",
    "src_ip6",
    "dst_ip6",
    "id",
];

/// nft's names of conntrack state bits (`ct state`), in bit order.
pub const CT_STATES: [(u32, &str); 5] = [
    (1, "invalid"),
    (2, "established"),
    (4, "related"),
    (8, "new"),
    (64, "untracked"),
];
/// nft's names of conntrack status bits (`ct status`, `IPS_*`), in bit order.
pub const CT_STATUSES: [(u32, &str); 7] = [
    (1, "expected"),
    (2, "seen-reply"),
    (4, "assured"),
    (8, "confirmed"),
    (16, "snat"),
    (32, "dnat"),
    (512, "dying"),
];

/// libnftnl's name of meta key `key` ("unknown" for a newer one).
pub fn meta_key_name(key: u32) -> &'static str {
    META_KEYS.get(key as usize).copied().unwrap_or("unknown")
}

/// libnftnl's name of conntrack key `key` ("unknown" for a newer one).
pub fn ct_key_name(key: u32) -> &'static str {
    CT_KEYS.get(key as usize).copied().unwrap_or("unknown")
}

/// `meta`: load `key` into `dreg`, or set it from `sreg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub key: u32,
    pub dreg: Option<u32>,
    pub sreg: Option<u32>,
}

impl Meta {
    pub fn load(key: u32, dreg: u32) -> Meta {
        Meta {
            key,
            dreg: Some(dreg),
            sreg: None,
        }
    }

    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_META_KEY, self.key);
        if let Some(r) = self.dreg {
            m.put_u32_be(NFTA_META_DREG, r);
        }
        if let Some(r) = self.sreg {
            m.put_u32_be(NFTA_META_SREG, r);
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Meta, DecodeError> {
        let (mut key, mut dreg, mut sreg) = (None, None, None);
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_META_KEY => key = Some(be32(&a, "NFTA_META_KEY")?),
                NFTA_META_DREG => dreg = Some(be32(&a, "NFTA_META_DREG")?),
                NFTA_META_SREG => sreg = Some(be32(&a, "NFTA_META_SREG")?),
                _ => {}
            }
        }
        Ok(Meta {
            key: key.ok_or(missing("NFTA_META_KEY"))?,
            dreg,
            sreg,
        })
    }

    pub fn debug_text(&self) -> String {
        let key = meta_key_name(self.key);
        match (self.sreg, self.dreg) {
            (Some(s), _) => format!("meta set {key} with reg {s}"),
            (None, d) => format!("meta load {key} => reg {}", d.unwrap_or(0)),
        }
    }
}

/// `ct`: load conntrack `key` into `dreg` (optionally of one direction),
/// or set it from `sreg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ct {
    pub key: u32,
    pub dreg: Option<u32>,
    /// `IP_CT_DIR_ORIGINAL` (0) or `IP_CT_DIR_REPLY` (1).
    pub direction: Option<u8>,
    pub sreg: Option<u32>,
}

impl Ct {
    pub fn load(key: u32, dreg: u32) -> Ct {
        Ct {
            key,
            dreg: Some(dreg),
            direction: None,
            sreg: None,
        }
    }

    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_CT_KEY, self.key);
        if let Some(r) = self.dreg {
            m.put_u32_be(NFTA_CT_DREG, r);
        }
        if let Some(d) = self.direction {
            m.put_u8(NFTA_CT_DIRECTION, d);
        }
        if let Some(r) = self.sreg {
            m.put_u32_be(NFTA_CT_SREG, r);
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Ct, DecodeError> {
        let mut ct = Ct {
            key: 0,
            dreg: None,
            direction: None,
            sreg: None,
        };
        let mut key = None;
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_CT_KEY => key = Some(be32(&a, "NFTA_CT_KEY")?),
                NFTA_CT_DREG => ct.dreg = Some(be32(&a, "NFTA_CT_DREG")?),
                NFTA_CT_SREG => ct.sreg = Some(be32(&a, "NFTA_CT_SREG")?),
                NFTA_CT_DIRECTION => {
                    ct.direction = Some(
                        a.u8()
                            .map_err(|e| super::data::named("NFTA_CT_DIRECTION", e))?,
                    )
                }
                _ => {}
            }
        }
        ct.key = key.ok_or(missing("NFTA_CT_KEY"))?;
        Ok(ct)
    }

    pub fn debug_text(&self) -> String {
        let key = ct_key_name(self.key);
        let mut s = match (self.sreg, self.dreg) {
            (Some(r), _) => format!("ct set {key} with reg {r}"),
            (None, d) => format!("ct load {key} => reg {}", d.unwrap_or(0)),
        };
        if let Some(d) = self.direction {
            s.push_str(if d == 0 {
                " , dir original"
            } else {
                " , dir reply"
            });
        }
        s
    }
}
