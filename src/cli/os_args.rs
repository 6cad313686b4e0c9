//! The command line as the kernel handed it over (bytes), held as `String`s
//! with a reversible escape, so that an argument that is not UTF-8 can be
//! parsed, looked up and printed back as the very bytes given, never panic.
//!
//! The escape: valid UTF-8 stays as it is; each byte that is not part of
//! valid UTF-8 becomes the char `U+10FF00 + byte` (plane 16, private use).
//! So that the mapping is a bijection, a genuine char in
//! `U+10FF00..=U+10FFFF` is escaped too, byte by byte (its four UTF-8 bytes
//! become four escape chars). [`unescape`] turns any such string back into
//! the bytes; for every byte string `b`, `unescape(&escape(b)) == b`.
//!
//! In UTF-8 an escape char is `F4 8F (BC|b>>6) (80|b&3F)`; text with no `F4`
//! byte has none, which keeps both directions cheap on ordinary input.

use std::borrow::Cow;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};

/// The first escape char: byte `b` is `ESCAPE_BASE + b`.
const ESCAPE_BASE: u32 = 0x10_FF00;

/// Set once [`escape`] has made an escape char: until then no output can
/// hold one, and [`for_output`] need not look.
static ESCAPED: AtomicBool = AtomicBool::new(false);

/// The command line's arguments after the program name, escaped.
pub fn args() -> Vec<String> {
    std::env::args_os().skip(1).map(|a| from_os(&a)).collect()
}

/// The name rawnet was invoked under, when it is one whose tool rawnet
/// stands in for: `ip`, `bridge` or `tc` (argv[0]'s last component, as a symlink
/// installs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    Rawnet,
    Ip,
    Bridge,
    Tc,
}

/// The [`Program`] of this process, read once.
pub fn program() -> Program {
    static PROGRAM: std::sync::OnceLock<Program> = std::sync::OnceLock::new();
    *PROGRAM.get_or_init(|| {
        let arg0 = std::env::args_os().next().unwrap_or_default();
        program_of(arg0.as_bytes())
    })
}

/// The [`Program`] for an argv[0].
fn program_of(arg0: &[u8]) -> Program {
    match arg0.rsplit(|&b| b == b'/').next() {
        Some(b"ip") => Program::Ip,
        Some(b"bridge") => Program::Bridge,
        Some(b"tc") => Program::Tc,
        _ => Program::Rawnet,
    }
}

/// `text` (a message for standard error) with rawnet's name for itself
/// replaced by the name it was invoked under, so that `ip` says
/// `try "ip help"` and `bridge` says `Usage: bridge fdb ...`.
pub fn as_invoked(text: &str) -> Cow<'_, str> {
    as_invoked_by(program(), text)
}

fn as_invoked_by(program: Program, text: &str) -> Cow<'_, str> {
    if program == Program::Rawnet || !text.contains("rawnet ") {
        return Cow::Borrowed(text);
    }
    Cow::Owned(match program {
        Program::Bridge => text
            .replace("rawnet bridge ", "bridge ")
            .replace("rawnet ", "bridge "),
        Program::Tc => text.replace("rawnet tc ", "tc ").replace("rawnet ", "tc "),
        _ => text.replace("rawnet ", "ip "),
    })
}

/// One OS string, escaped.
pub fn from_os(arg: &OsString) -> String {
    escape(arg.as_bytes()).into_owned()
}

/// Whether `c` is one of the 256 escape chars.
fn is_escape_char(c: char) -> bool {
    (c as u32) >= ESCAPE_BASE
}

/// The escape char for byte `b`.
fn escape_char(b: u8) -> char {
    // Every value in U+10FF00..=U+10FFFF is a valid scalar value.
    char::from_u32(ESCAPE_BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// `bytes` as a string: valid UTF-8 unchanged (borrowed when nothing needs
/// an escape), every other byte as its escape char.
pub fn escape(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        // An escape char's UTF-8 starts with F4 (so does U+100000..).
        if !bytes.contains(&0xF4) || !s.chars().any(is_escape_char) {
            return Cow::Borrowed(s);
        }
    }
    ESCAPED.store(true, Ordering::Relaxed);
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_escape_char(c) {
                let mut buf = [0u8; 4];
                out.extend(c.encode_utf8(&mut buf).bytes().map(escape_char));
            } else {
                out.push(c);
            }
        }
        out.extend(chunk.invalid().iter().copied().map(escape_char));
    }
    Cow::Owned(out)
}

/// The bytes `text` stands for: escape chars back to their byte, all else as
/// its UTF-8 (borrowed when `text` holds no escape char).
pub fn unescape(text: &str) -> Cow<'_, [u8]> {
    unescape_bytes(text.as_bytes())
}

/// What the output sink writes for `bytes`: [`unescape_bytes`], once any
/// escape char has been made (before that, `bytes` as they are, unscanned).
pub fn for_output(bytes: &[u8]) -> Cow<'_, [u8]> {
    if ESCAPED.load(Ordering::Relaxed) {
        unescape_bytes(bytes)
    } else {
        Cow::Borrowed(bytes)
    }
}

/// [`unescape`] over bytes that may hold escape chars among other bytes
/// (what the output sink writes): each `F4 8F BC..=BF 80..=BF` becomes its
/// byte, everything else passes through.
pub fn unescape_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some(first) = find_escape(bytes, 0) else {
        return Cow::Borrowed(bytes);
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    let mut next = Some(first);
    while let Some(pos) = next {
        out.extend_from_slice(&bytes[at..pos]);
        out.push(((bytes[pos + 2] & 0x03) << 6) | (bytes[pos + 3] & 0x3F));
        at = pos + 4;
        next = find_escape(bytes, at);
    }
    out.extend_from_slice(&bytes[at..]);
    Cow::Owned(out)
}

/// The position of the next escape char's first byte at or after `from`.
fn find_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(off) = bytes.get(i..)?.iter().position(|&b| b == 0xF4) {
        let pos = i + off;
        if let [0xF4, 0x8F, 0xBC..=0xBF, 0x80..=0xBF, ..] = bytes.get(pos..)? {
            return Some(pos);
        }
        i = pos + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(bytes: &[u8]) {
        let escaped = escape(bytes);
        assert_eq!(&*unescape(&escaped), bytes, "escaped as {escaped:?}");
        assert_eq!(&*unescape_bytes(escaped.as_bytes()), bytes);
    }

    #[test]
    fn program_is_argv0s_last_component() {
        assert_eq!(program_of(b"/usr/local/sbin/ip"), Program::Ip);
        assert_eq!(program_of(b"ip"), Program::Ip);
        assert_eq!(program_of(b"./bridge"), Program::Bridge);
        assert_eq!(program_of(b"/usr/bin/rawnet"), Program::Rawnet);
        assert_eq!(program_of(b"ip6"), Program::Rawnet);
        assert_eq!(program_of(b""), Program::Rawnet);
    }

    #[test]
    fn messages_name_the_program_as_invoked() {
        let unknown = "Command \"foo\" is unknown, try \"rawnet netns help\".\n";
        assert_eq!(
            as_invoked_by(Program::Ip, unknown),
            "Command \"foo\" is unknown, try \"ip netns help\".\n"
        );
        assert_eq!(as_invoked_by(Program::Rawnet, unknown), unknown);
        assert_eq!(
            as_invoked_by(
                Program::Bridge,
                "Usage: rawnet fdb { add }\ntry \"rawnet bridge help\""
            ),
            "Usage: bridge fdb { add }\ntry \"bridge help\""
        );
    }

    #[test]
    fn plain_text_is_borrowed_both_ways() {
        assert!(matches!(escape(b"eth0"), Cow::Borrowed("eth0")));
        assert!(matches!(escape("grün".as_bytes()), Cow::Borrowed("grün")));
        assert!(matches!(unescape("veth-ä"), Cow::Borrowed(b) if b == "veth-ä".as_bytes()));
        assert!(matches!(escape(b""), Cow::Borrowed("")));
    }

    #[test]
    fn invalid_bytes_become_escape_chars() {
        assert_eq!(escape(b"\xff"), "\u{10FFFF}");
        assert_eq!(escape(b"a\x80b"), "a\u{10FF80}b");
        // A truncated sequence: each of its bytes is escaped.
        assert_eq!(escape(b"\xe2\x82"), "\u{10FFE2}\u{10FF82}");
        assert_eq!(escape(b"x\xc3"), "x\u{10FFC3}");
    }

    #[test]
    fn genuine_escape_range_chars_are_escaped_bytewise() {
        let genuine = "\u{10FF41}";
        assert_eq!(genuine.as_bytes(), b"\xf4\x8f\xbd\x81");
        assert_eq!(
            escape(genuine.as_bytes()),
            "\u{10FFF4}\u{10FF8F}\u{10FFBD}\u{10FF81}"
        );
        round_trip(genuine.as_bytes());
        // Just below the range stays as it is.
        let below = "\u{10FEFF}";
        assert!(matches!(escape(below.as_bytes()), Cow::Borrowed(_)));
        round_trip(below.as_bytes());
    }

    #[test]
    fn every_single_byte_and_pair_round_trips() {
        for a in 0..=255u8 {
            round_trip(&[a]);
            for b in 0..=255u8 {
                round_trip(&[a, b]);
            }
        }
    }

    #[test]
    fn pseudo_random_byte_strings_round_trip() {
        // A fixed xorshift sequence: reproducible, with many F4/8F/BC bytes.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = [0xF4, 0x8F, 0xBC, 0xBF, 0x80, 0xFF, b'a', 0xC3, 0xA4, 0xE2];
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 3 == 0 {
                        (r >> 8) as u8
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            round_trip(&bytes);
        }
    }

    #[test]
    fn escaping_is_injective_on_samples() {
        let samples: [&[u8]; 6] = [
            b"\xff",
            "\u{10FFFF}".as_bytes(),
            b"\xf4\x8f\xbf\xbf",
            b"\xf4\x8f\xbf",
            b"\xf4",
            b"",
        ];
        for (i, a) in samples.iter().enumerate() {
            for b in &samples[i + 1..] {
                if a != b {
                    assert_ne!(escape(a), escape(b));
                }
            }
        }
    }

    #[test]
    fn unescape_bytes_leaves_lookalikes_alone() {
        // F4 not followed by the escape pattern passes through.
        assert_eq!(&*unescape_bytes(b"\xf4\x90\x80\x80"), b"\xf4\x90\x80\x80");
        assert_eq!(&*unescape_bytes(b"\xf4\x8f\xbc"), b"\xf4\x8f\xbc");
        assert_eq!(&*unescape_bytes(b"ab\xf4"), b"ab\xf4");
        assert_eq!(
            &*unescape_bytes("Device \"\u{10FFFF}\"\n".as_bytes()),
            b"Device \"\xff\"\n"
        );
    }
}
