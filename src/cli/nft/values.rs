//! The values inside nft's rule and set words: addresses and prefixes
//! (`ADDR[/LEN]`), ports and port ranges (numbers or service names), IP
//! protocols, numbers, set element keys by their key fields, NAT targets
//! (`ADDR[:PORT[-PORT]]`, `[V6]:PORT`) and flags, and conntrack state/status
//! word lists. Each parser returns nft's error words for a bad value. The
//! statement grammar around them is in `rule_words.rs`. Pure: no I/O.

use std::net::IpAddr;

use rawnet::nft::expr::compile::{KeyField, Ports, SetValue};

use super::words::syntax;

/// nft's `syntax error, unexpected WORD` (or `newline` at the end).
pub(super) fn unexpected(w: Option<&str>) -> String {
    match w {
        Some(w) => syntax(format!("unexpected {w}")),
        None => syntax("unexpected newline"),
    }
}

/// A comma-separated list of conntrack `state` or `status` words (`key`)
/// from `names`, as their bits.
pub(super) fn ct_bits(key: &str, names: &[(u32, &str)], w: &str) -> Result<u32, String> {
    let mut bits = 0;
    for name in w.split(',').filter(|s| !s.is_empty()) {
        bits |= names
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(b, _)| *b)
            .ok_or_else(|| format!("Could not parse ct {key}"))?;
    }
    Ok(bits)
}

/// A NAT flag word (`random`, `fully-random`, `persistent`) as its bit.
pub(super) fn nat_flag(w: &str) -> Option<u32> {
    use rawnet::nft::expr::nat::{
        NF_NAT_RANGE_PERSISTENT, NF_NAT_RANGE_PROTO_RANDOM, NF_NAT_RANGE_PROTO_RANDOM_FULLY,
    };
    match w {
        "random" => Some(NF_NAT_RANGE_PROTO_RANDOM),
        "fully-random" => Some(NF_NAT_RANGE_PROTO_RANDOM_FULLY),
        "persistent" => Some(NF_NAT_RANGE_PERSISTENT),
        _ => None,
    }
}

/// `ADDR[/LEN]` of the family the keyword says.
pub(super) fn address(text: &str, v6: bool) -> Result<(IpAddr, u8), String> {
    let (a, len) = match text.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (text, None),
    };
    let addr: IpAddr = a
        .parse()
        .map_err(|_| format!("Could not resolve hostname: Name or service not known: {a}"))?;
    if addr.is_ipv6() != v6 {
        return Err(format!(
            "Could not resolve hostname: Address family for hostname not supported: {a}"
        ));
    }
    let max: u32 = if v6 { 128 } else { 32 };
    let len = match len {
        None => max,
        Some(l) => l.parse::<u32>().map_err(|_| unexpected(Some(l)))?,
    };
    if len > max {
        return Err(format!(
            "Prefix length {len} is invalid for type of {max} bits width"
        ));
    }
    Ok((addr, len as u8))
}

/// An IP protocol by nft's name or number.
pub(super) fn protocol(w: &str) -> Result<u8, String> {
    Ok(match w {
        "icmp" => 1,
        "igmp" => 2,
        "tcp" => 6,
        "udp" => 17,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "icmpv6" | "ipv6-icmp" => 58,
        "sctp" => 132,
        "udplite" => 136,
        n => n
            .parse::<u8>()
            .map_err(|_| format!("Could not resolve protocol name: {n}"))?,
    })
}

/// A number, decimal or `0x` hex.
pub(super) fn number(w: &str) -> Result<u32, String> {
    let v = match w.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16),
        None => w.parse(),
    };
    v.map_err(|_| unexpected(Some(w)))
}

/// A port by number or a few common service names.
pub(super) fn port(w: &str) -> Result<u16, String> {
    if let Ok(n) = w.parse::<u64>() {
        return u16::try_from(n).map_err(|_| "Service out of range".to_string());
    }
    Ok(match w {
        "ssh" => 22,
        "domain" => 53,
        "http" => 80,
        "https" => 443,
        _ => {
            return Err(format!(
                "Could not resolve service: Servname not supported for ai_socktype: {w}"
            ))
        }
    })
}

/// `PORT` or `PORT-PORT` as a (first, last) pair.
pub(super) fn port_pair(w: &str) -> Result<(u16, u16), String> {
    match w.split_once('-') {
        Some((a, b)) => Ok((port(a)?, port(b)?)),
        None => {
            let p = port(w)?;
            Ok((p, p))
        }
    }
}

/// A port or a port range of a match; an empty range is an error.
pub(super) fn ports(w: &str) -> Result<Ports, String> {
    Ok(match port_pair(w)? {
        (a, b) if a == b && !w.contains('-') => Ports::One(a),
        (a, b) if a > b => return Err(format!("Range has zero or negative size: {a}-{b}")),
        (a, b) => Ports::Range(a, b),
    })
}

/// `ADDR`, `ADDR:PORT[-PORT]`, `[V6]:PORT`.
pub(super) fn nat_target(
    w: &str,
    fam: Option<bool>,
) -> Result<(IpAddr, Option<(u16, u16)>), String> {
    let (a, p) = if let Some(rest) = w.strip_prefix('[') {
        let (a, after) = rest.split_once(']').ok_or_else(|| unexpected(Some(w)))?;
        match after {
            "" => (a, None),
            p => (
                a,
                Some(p.strip_prefix(':').ok_or_else(|| unexpected(Some(w)))?),
            ),
        }
    } else if w.matches(':').count() == 1 {
        let (a, p) = w.split_once(':').unwrap_or((w, ""));
        (a, Some(p))
    } else {
        (w, None)
    };
    let v6 = fam.unwrap_or(a.contains(':'));
    let (addr, _) = address(a, v6)?;
    let ports = p.map(port_pair).transpose()?;
    Ok((addr, ports))
}

/// A value of a key field inside a set.
fn set_value(f: &KeyField, w: &str) -> Result<SetValue, String> {
    Ok(match f {
        KeyField::Addr { v6, .. } => {
            let (a, len) = address(w, *v6)?;
            let max = if *v6 { 128 } else { 32 };
            if len == max {
                SetValue::Addr(a)
            } else {
                SetValue::Prefix(a, len)
            }
        }
        KeyField::Port { .. } => match ports(w)? {
            Ports::One(p) => SetValue::Port(p),
            Ports::Range(a, b) => SetValue::PortRange(a, b),
        },
    })
}

/// A set element's key: one value per key field, in order.
pub(super) fn set_key(key: &[KeyField], fields: &[String]) -> Result<Vec<SetValue>, String> {
    if fields.len() != key.len() {
        return Err(format!(
            "datatype mismatch, expected {} fields, got {}",
            key.len(),
            fields.len()
        ));
    }
    key.iter()
        .zip(fields)
        .map(|(f, w)| set_value(f, w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawnet::nft::expr::meta::CT_STATES;

    #[test]
    fn values_parse_as_nft_reads_them() {
        let v4 = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(address("10.0.0.0/8", false), Ok((v4("10.0.0.0"), 8)));
        assert_eq!(address("::1", true), Ok((v4("::1"), 128)));
        assert_eq!(protocol("icmpv6"), Ok(58));
        assert_eq!(number("0x10"), Ok(16));
        assert_eq!(port("https"), Ok(443));
        assert_eq!(ports("22"), Ok(Ports::One(22)));
        assert_eq!(ports("1-5"), Ok(Ports::Range(1, 5)));
        assert_eq!(
            ports("5-1"),
            Err("Range has zero or negative size: 5-1".to_string())
        );
        assert_eq!(
            nat_target("1.2.3.4:80-90", None),
            Ok((v4("1.2.3.4"), Some((80, 90))))
        );
        assert_eq!(
            nat_target("[::1]:53", None),
            Ok((v4("::1"), Some((53, 53))))
        );
        assert_eq!(nat_target("::1", None), Ok((v4("::1"), None)));
        let est = CT_STATES
            .iter()
            .find(|(_, n)| *n == "established")
            .unwrap()
            .0;
        assert_eq!(ct_bits("state", &CT_STATES, "established,"), Ok(est));
        assert_eq!(
            ct_bits("state", &CT_STATES, "bogus"),
            Err("Could not parse ct state".to_string())
        );
        assert!(nat_flag("persistent").is_some());
    }
}
