//! Link-layer (MAC) addresses on the command line: the two grammars iproute2
//! reads them with (`ip`'s `ll_addr_a2n`, `bridge fdb`'s six-byte scan) and
//! the colon-hex text it prints them as.

use super::CliError;

/// An Ethernet-style address as iproute2's `ll_addr_n2a` prints it: lowercase
/// two-digit hex bytes joined by ':'.
pub fn lladdr_text(bytes: &[u8]) -> String {
    LlAddr(bytes).to_string()
}

/// [`lladdr_text`] as a `Display`, written without an intermediate `String`.
#[derive(Debug, Clone, Copy)]
pub struct LlAddr<'a>(pub &'a [u8]);

impl super::output::Render for LlAddr<'_> {
    const PLAIN: bool = true;

    fn render(&self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

impl std::fmt::Display for LlAddr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::with_capacity(self.0.len() * 3);
        super::output::Render::render(self, &mut s);
        f.write_str(&s)
    }
}

/// The most bytes `ll_addr_a2n` is given room for (iproute2's `abuf[32]`).
const LLADDR_MAX: usize = 32;

/// iproute2's `ll_addr_a2n`: a dotted IPv4 address (4 bytes, for tunnels; short forms as `get_addr_1` reads them),
/// or bytes separated by ':', each read as `sscanf("%x")` reads it (leading
/// space, a sign, `0x`, then hex digits, the rest of the part ignored) and
/// at most 255, so `000` is 0 and `1g` is 1. At most 32 bytes (iproute2
/// would write past its buffer there). The message names the part that is
/// wrong, as iproute2's does (exit 1).
#[doc(alias = "ll_addr_a2n")]
pub fn parse_lladdr(word: &str) -> Result<Vec<u8>, CliError> {
    let bad = |part: &str| CliError::new(1, format!("\"{part}\" is invalid lladdr."));
    if word.contains('.') {
        return match rawnet::route::prefix::parse_inet_addr(word, libc::AF_INET as u8) {
            Ok(rawnet::route::prefix::InetPrefix {
                addr: Some(std::net::IpAddr::V4(a)),
                ..
            }) => Ok(a.octets().to_vec()),
            _ => Err(bad(word)),
        };
    }
    let mut out = Vec::new();
    for part in word.split(':') {
        if out.len() == LLADDR_MAX {
            return Err(bad(part));
        }
        match scan_hex(part) {
            Some(v) if (0..=255).contains(&v) => out.push(v as u8),
            _ => return Err(bad(part)),
        }
    }
    Ok(out)
}

/// C's `sscanf(part, "%x", &int)`: `None` when no hex digit is read. Values
/// past `i64` saturate (any of them is refused as over 255 anyway).
fn scan_hex(part: &str) -> Option<i64> {
    let s = part.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let after_0x = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"));
    let s = match after_0x {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_hexdigit()) => rest,
        _ => s,
    };
    let digits = s.bytes().take_while(u8::is_ascii_hexdigit).count();
    if digits == 0 {
        return None;
    }
    let v = s[..digits].bytes().fold(0i64, |acc, d| {
        let d = (d as char).to_digit(16).unwrap_or(0);
        acc.saturating_mul(16).saturating_add(i64::from(d))
    });
    Some(if negative { -v } else { v })
}

/// Six hex bytes separated by ':' (`bridge fdb`'s `%hhx:...` scan, without
/// its leniency), or `Invalid mac address X` (exit 255).
pub fn parse_mac(word: &str) -> Result<[u8; 6], CliError> {
    let bad = || CliError::usage(format!("Invalid mac address {word}"));
    let mut out = [0u8; 6];
    let mut parts = word.split(':');
    for b in out.iter_mut() {
        let p = parts.next().ok_or_else(bad)?;
        if p.is_empty() || p.len() > 2 {
            return Err(bad());
        }
        *b = u8::from_str_radix(p, 16).map_err(|_| bad())?;
    }
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lladdr_parts_are_checked() {
        assert_eq!(
            parse_lladdr("02:00:0a:ff:0:1").unwrap(),
            [2, 0, 10, 255, 0, 1]
        );
        assert_eq!(
            parse_lladdr("zz:00").unwrap_err().message,
            "\"zz\" is invalid lladdr."
        );
        assert!(parse_lladdr("02::01").is_err());
        assert!(parse_lladdr("123").is_err());
        assert!(parse_lladdr(&vec!["01"; 32].join(":")).is_ok());
        assert!(parse_lladdr(&vec!["01"; 33].join(":")).is_err());
        // As iproute2 6.1 read them (checked with `ip link set`).
        assert_eq!(
            parse_lladdr("02:42:ac:11:000:03").unwrap(),
            [2, 0x42, 0xac, 0x11, 0, 3]
        );
        assert_eq!(
            parse_lladdr("02:42:ac:11:0x1f:1g").unwrap(),
            [2, 0x42, 0xac, 0x11, 0x1f, 1]
        );
        assert_eq!(parse_lladdr("10.1.2.3").unwrap(), [10, 1, 2, 3]);
        assert_eq!(parse_lladdr("10.1.2").unwrap(), [10, 1, 2, 0]);
        // `%x` stops at the first non-hex character, as in iproute2.
        assert_eq!(parse_lladdr("02-00-00").unwrap(), [2]);
        assert_eq!(parse_lladdr("0x2:ff").unwrap(), [2, 255]);
        assert_eq!(parse_lladdr(" +a:-0").unwrap(), [10, 0]);
        for (bad, part) in [("", ""), ("02::01", ""), ("-1:00", "-1"), ("0100", "0100")] {
            let e = parse_lladdr(bad).unwrap_err();
            assert_eq!(
                (e.code, e.message),
                (1, format!("\"{part}\" is invalid lladdr."))
            );
        }
        assert_eq!(
            parse_lladdr("1.2.3.x").unwrap_err().message,
            "\"1.2.3.x\" is invalid lladdr."
        );
        assert_eq!(lladdr_text(&[2, 0, 0, 0, 0, 0x0a]), "02:00:00:00:00:0a");
    }

    #[test]
    fn macs_are_six_hex_bytes() {
        assert_eq!(parse_mac("02:00:00:00:00:0a").unwrap(), [2, 0, 0, 0, 0, 10]);
        assert_eq!(parse_mac("2:0:0:0:0:1").unwrap(), [2, 0, 0, 0, 0, 1]);
        for bad in [
            "zz:00:00:00:00:01",
            "02:00:00:00:00",
            "02:00:00:00:00:01:02",
            "",
            "123:0:0:0:0:0",
        ] {
            assert_eq!(
                parse_mac(bad).unwrap_err().message,
                format!("Invalid mac address {bad}")
            );
        }
    }
}
