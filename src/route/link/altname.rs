//! Alternative names of a link (`ip link property add|del dev DEV altname
//! NAME`): `RTM_NEWLINKPROP` / `RTM_DELLINKPROP` with `IFLA_PROP_LIST {
//! IFLA_ALT_IFNAME... }`, built as iproute2 6.1 builds them (the list nest
//! carries `NLA_F_NESTED`; an add also carries `NLM_F_CREATE | NLM_F_EXCL |
//! NLM_F_APPEND`). A link is found by any of its names, alternative ones
//! included: [`super::link_index`] sends a long one as `IFLA_ALT_IFNAME`.

use super::{validate_altname, IfInfoMsg, IFLA_ALT_IFNAME};
use crate::error::{Error, Invalid, Missing, Result};
use crate::netlink::header::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL};
use crate::netlink::{Connection, MessageBuilder, Request};

/// `RTM_NEWLINKPROP`, `RTM_DELLINKPROP` (linux/rtnetlink.h).
pub const RTM_NEWLINKPROP: u16 = 108;
pub const RTM_DELLINKPROP: u16 = 109;
use super::IFLA_PROP_LIST;
use crate::netlink::header::NLA_F_NESTED;

/// Add (`true`) or remove alternative names of link `index`.
/// Each name is checked first (`Invalid::AltName`).
#[doc(alias = "ip link property add")]
pub fn altnames_request(index: u32, add: bool, names: &[&[u8]]) -> Result<Request> {
    if names.is_empty() {
        return Err(Error::Invalid(Invalid::Missing(Missing::AltName)));
    }
    for name in names {
        validate_altname(name)?;
    }
    let (kind, flags) = if add {
        (RTM_NEWLINKPROP, NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND)
    } else {
        (RTM_DELLINKPROP, 0)
    };
    let mut m = MessageBuilder::new(kind, flags);
    m.header(&IfInfoMsg {
        ifi_index: index as i32,
        ..IfInfoMsg::default()
    });
    m.nest(IFLA_PROP_LIST | NLA_F_NESTED, |m| {
        for name in names {
            m.put_c_bytes(IFLA_ALT_IFNAME, name);
        }
    });
    m.finish()
}

/// Give link `index` the alternative name `name`. A name any link already
/// has is `Error::Kernel` with `EEXIST`.
pub fn add_altname(conn: &mut Connection, index: u32, name: impl AsRef<[u8]>) -> Result<()> {
    conn.execute(altnames_request(index, true, &[name.as_ref()])?)
}

/// Take the alternative name `name` from link `index`.
pub fn delete_altname(conn: &mut Connection, index: u32, name: impl AsRef<[u8]>) -> Result<()> {
    conn.execute(altnames_request(index, false, &[name.as_ref()])?)
}

#[cfg(test)]
mod tests {
    //! Golden bytes: iproute2 6.1, strace'd (tests/golden/link/PROVENANCE.md),
    //! veth0 index 3, seq and pid zeroed.

    use super::*;
    use crate::netlink::header::NLM_F_ACK;

    fn sent(mut r: Request) -> Vec<u8> {
        r.add_flags(NLM_F_ACK);
        r.as_bytes().to_vec()
    }

    use crate::netlink::golden::hex;

    #[test]
    fn altname_requests_match_iproute2() {
        // ip link property add dev veth0 altname averyveryverylongaltname
        let long = hex(
            "440000006c00050e000000000000000000000000030000000000000000000000\
             240034801d003500617665727976657279766572796c6f6e67616c746e616d6500000000",
        );
        assert_eq!(
            sent(altnames_request(3, true, &[b"averyveryverylongaltname"]).unwrap()),
            long
        );
        // ip link property add dev veth0 altname short0
        let add = hex(
            "300000006c00050e000000000000000000000000030000000000000000000000\
             100034800b00350073686f7274300000",
        );
        assert_eq!(sent(altnames_request(3, true, &[b"short0"]).unwrap()), add);
        // ip link property del dev veth0 altname short0
        let del = hex(
            "300000006d000500000000000000000000000000030000000000000000000000\
             100034800b00350073686f7274300000",
        );
        assert_eq!(sent(altnames_request(3, false, &[b"short0"]).unwrap()), del);
        assert!(altnames_request(3, true, &[b"a b"]).is_err());
        assert!(altnames_request(3, true, &["x".repeat(128).as_bytes()]).is_err());
        assert!(altnames_request(3, true, &[]).is_err());
    }
}
