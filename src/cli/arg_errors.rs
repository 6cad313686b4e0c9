//! iproute2's complaints about the command line, word for word: `usage()`,
//! `invarg`, `duparg`, `duparg2`, the unknown-command line and the "X
//! address/prefix is expected" lines of `get_addr`/`get_prefix`.
//!
//! Every object builds its syntax errors here, so a message reads the same in
//! every object. Exit codes are iproute2's: 255 for bad syntax (its `exit(-1)`),
//! 1 for a value of the wrong address family.

use std::net::IpAddr;

use rawnet::route::prefix::{family_of, parse_inet_addr, InetPrefix};

use super::CliError;

/// Print `usage` on stderr; the error to return (exit 255, no more text), as
/// iproute2's `usage()` functions do.
pub fn usage_error(usage: &str) -> CliError {
    super::output::to_stderr(usage);
    CliError::usage("")
}

/// `Command "CMD" is unknown, try "rawnet OBJECT help".` (exit 255).
pub fn unknown_command(object: &str, cmd: &str) -> CliError {
    CliError::usage(format!(
        "Command \"{cmd}\" is unknown, try \"rawnet {object} help\"."
    ))
}

/// iproute2's `invarg`: `Error: argument "VALUE" is wrong: WHAT` (exit 255).
pub fn invalid_arg(value: &str, what: &str) -> CliError {
    CliError::usage(format!("Error: argument \"{value}\" is wrong: {what}"))
}

/// iproute2's `duparg2`: `Error: either "KEY" is duplicate, or "VALUE" is a
/// garbage.` (exit 255).
pub fn garbage(key: &str, value: &str) -> CliError {
    CliError::usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{value}\" is a garbage."
    ))
}

/// iproute2's `duparg`: `Error: duplicate "KEY": "VALUE" is the second value.`
/// (exit 255).
pub fn duplicate(key: &str, value: &str) -> CliError {
    CliError::usage(format!(
        "Error: duplicate \"{key}\": \"{value}\" is the second value."
    ))
}

/// The family word of iproute2's address errors: `inet`, `inet6`, or `any
/// valid` when no family is asked for.
pub fn family_word(family: Option<u8>) -> &'static str {
    match family.map(i32::from) {
        Some(libc::AF_INET) => "inet",
        Some(libc::AF_INET6) => "inet6",
        _ => "any valid",
    }
}

/// `Error: FAMILY address is expected rather than "WORD".` (exit 1).
pub fn address_expected(family: Option<u8>, word: &str) -> CliError {
    CliError::new(
        1,
        format!(
            "Error: {} address is expected rather than \"{word}\".",
            family_word(family)
        ),
    )
}

/// `Error: FAMILY prefix is expected rather than "WORD".` (exit 1); under
/// `-0` (`AF_PACKET`) iproute2's `get_prefix` refuses every word, with its
/// own line.
pub fn prefix_expected(family: Option<u8>, word: &str) -> CliError {
    if family == Some(libc::AF_PACKET as u8) {
        return CliError::new(
            1,
            format!("Error: \"{word}\" may be inet prefix, but it is not allowed in this context."),
        );
    }
    CliError::new(
        1,
        format!(
            "Error: {} prefix is expected rather than \"{word}\".",
            family_word(family)
        ),
    )
}

/// An address of `family` (any when `None`) as iproute2's `get_addr` reads
/// it (short IPv4 forms: `10.1.9` is 10.1.9.0), or [`address_expected`].
pub fn address_of_family(word: &str, family: Option<u8>) -> Result<IpAddr, CliError> {
    match parse_inet_addr(word, family.unwrap_or(0)) {
        Ok(InetPrefix { addr: Some(a), .. }) if family.map_or(true, |f| f == family_of(&a)) => {
            Ok(a)
        }
        _ => Err(address_expected(family, word)),
    }
}
