//! Number words as iproute2 reads them. Each reader takes the whole word;
//! anything left over makes it `None`, and the caller names the argument in
//! its error.

/// An integer as iproute2's `get_integer`/`get_u32` read it here: decimal, or
/// hexadecimal after `0x`/`0X`.
pub fn decimal_or_hex_u32(word: &str) -> Option<u32> {
    match word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => word.parse().ok(),
    }
}

/// An unsigned number as `strtoul(s, &end, 0)` reads it when it must use the
/// whole word: decimal, `0x` hex or `0` octal.
pub fn strtoul(word: &str) -> Option<u64> {
    // `from_str_radix` takes a sign; after `0x` or `0` strtoul does not.
    if let Some(h) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        h.bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| u64::from_str_radix(h, 16).ok())?
    } else if word.len() > 1 && word.starts_with('0') {
        let o = &word[1..];
        o.bytes()
            .all(|b| (b'0'..=b'7').contains(&b))
            .then(|| u64::from_str_radix(o, 8).ok())?
    } else if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        word.parse().ok()
    } else {
        None
    }
}

/// A signed number as iproute2's `get_integer(&v, word, 0)` reads it
/// (`strtol` base 0 over the whole word, in `int` range): leading blanks, an
/// optional sign, then decimal, `0x` hex or `0` octal.
pub fn get_integer(word: &str) -> Option<i32> {
    let t = word.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = i64::try_from(strtoul(digits)?).ok()?;
    i32::try_from(if negative { -magnitude } else { magnitude }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_iproute2_reads_them() {
        assert_eq!(decimal_or_hex_u32("1400"), Some(1400));
        assert_eq!(decimal_or_hex_u32("0x578"), Some(1400));
        assert_eq!(decimal_or_hex_u32("abc"), None);
        assert_eq!(decimal_or_hex_u32("-1"), None);
    }

    #[test]
    fn numbers_as_strtoul_reads_them() {
        assert_eq!(strtoul("4789"), Some(4789));
        assert_eq!(strtoul("0x2a"), Some(42));
        assert_eq!(strtoul("010"), Some(8));
        assert_eq!(strtoul("0"), Some(0));
        assert_eq!(strtoul("12a"), None);
        // A sign is only read before the number, never after its base.
        assert_eq!(strtoul("0x+5"), None);
        assert_eq!(strtoul("0+7"), None);
        assert_eq!(strtoul("0x"), None);
        assert_eq!(strtoul("09"), None);
    }

    #[test]
    fn integers_as_get_integer_reads_them() {
        assert_eq!(get_integer("5"), Some(5));
        assert_eq!(get_integer("0x10"), Some(16));
        assert_eq!(get_integer("010"), Some(8));
        assert_eq!(get_integer("-3"), Some(-3));
        assert_eq!(get_integer("+7"), Some(7));
        assert_eq!(get_integer(" 7"), Some(7));
        assert_eq!(get_integer("2147483647"), Some(i32::MAX));
        assert_eq!(get_integer("-2147483648"), Some(i32::MIN));
        for bad in ["", "-", "x", "2147483648", "5 ", "--1", "+-1", "1e3", "08"] {
            assert_eq!(get_integer(bad), None, "{bad:?}");
        }
    }
}
