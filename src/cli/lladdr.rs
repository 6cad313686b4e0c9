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

/// `sscanf(part, "%x")`: leading blanks, a sign, `0x`, then hex digits up
/// to the first other character (which is ignored). `None` when no digit
/// was read; a value that is negative or does not fit is `Some(u32::MAX)`.
fn scan_hex(part: &str) -> Option<u32> {
    let t = part.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let t = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_hexdigit()) => rest,
        _ => t,
    };
    let digits = t.bytes().take_while(u8::is_ascii_hexdigit).count();
    if digits == 0 {
        return None;
    }
    let v = u32::from_str_radix(&t[..digits], 16).unwrap_or(u32::MAX);
    Some(if negative && v != 0 { u32::MAX } else { v })
}

/// iproute2's `ll_addr_a2n`: with a dot, an IPv4 address (4 bytes, short
/// forms included); else bytes separated by ':', each read as `%x` reads
/// it (so `2`, `0x2` and `02-00` are all byte 2: what follows the number
/// is ignored), at most 20 of them. The message names the part that is
/// wrong, as iproute2's does (exit 1).
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
        match scan_hex(part).and_then(|v| u8::try_from(v).ok()) {
            Some(b) if out.len() < 20 => out.push(b),
            _ => return Err(bad(part)),
        }
    }
    Ok(out)
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
        // `%x` stops at the first non-hex character, as in iproute2.
        assert_eq!(parse_lladdr("02-00-00").unwrap(), [2]);
        assert_eq!(parse_lladdr("0x2:ff").unwrap(), [2, 255]);
        assert!(parse_lladdr("-1").is_err());
        assert_eq!(parse_lladdr("10.1.2").unwrap(), [10, 1, 2, 0]);
        assert_eq!(
            parse_lladdr("0200.0000.aa18").unwrap_err().message,
            "\"0200.0000.aa18\" is invalid lladdr."
        );
        assert!(parse_lladdr(&vec!["01"; 21].join(":")).is_err());
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
