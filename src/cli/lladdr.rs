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

/// iproute2's `ll_addr_a2n`: hex bytes separated by ':', at most 20 of them.
/// The message names the part that is wrong, as iproute2's does (exit 1).
pub fn parse_lladdr(word: &str) -> Result<Vec<u8>, CliError> {
    let mut out = Vec::new();
    for part in word.split(':') {
        let ok = !part.is_empty() && part.len() <= 2 && out.len() < 20;
        match u8::from_str_radix(part, 16) {
            Ok(b) if ok => out.push(b),
            _ => return Err(CliError::new(1, format!("\"{part}\" is invalid lladdr."))),
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
