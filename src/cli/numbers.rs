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
    if let Some(h) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if word.len() > 1 && word.starts_with('0') {
        u64::from_str_radix(&word[1..], 8).ok()
    } else if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        word.parse().ok()
    } else {
        None
    }
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
    }
}
