//! `tc` (iproute2 6.1) for what a container host needs to run eBPF at tc:
//! `tc qdisc` (clsact and ingress; every qdisc shown) and `tc filter` (the
//! bpf classifier on the clsact hooks). Reached as `rawnet tc ...` or as
//! rawnet invoked under the name `tc` ([`tool::run`], tc's own options).
//!
//! - `qdisc.rs` — `tc qdisc add|replace|change|del|show`
//! - `filter.rs` — `tc filter add|replace|change|del|show` with `bpf`
//! - `programs.rs` — the programs filters name, opened once each
//! - `print.rs` — tc's text and `-j` for qdiscs and filters
//! - `tool.rs` — the `tc` program: global options (`-batch`), objects
//!
//! The changes (`qdisc|filter add|change|replace|del`) are parsed into
//! their requests by [`prepare`], for the command line and for a batch
//! (`batch/`, which pipelines them) alike.

mod filter;
mod print;
mod programs;
mod qdisc;
pub mod tool;

use super::change::{Change, Devices};
use super::{matches, CliError, Context};
pub(crate) use programs::Programs;

/// The change `OBJECT COMMAND ARGS...` (tc's words, after `tc` and its
/// options) asks for, if it is one: its request, the device looked up in
/// `devices`, the program opened or found open in `programs` (which must
/// stay open until the request is answered). `None` for every other
/// command (shows, help, unknown words: they run as commands).
pub(crate) fn prepare(
    words: &[String],
    devices: &mut dyn Devices,
    programs: &mut Programs,
) -> Option<Result<Change, CliError>> {
    let (object, rest) = words.split_first()?;
    let (cmd, args) = rest.split_first()?;
    if matches(object, "qdisc") {
        let (kind, mode) = qdisc::change_op(cmd)?;
        Some(qdisc::prepare(kind, mode, args, devices))
    } else if matches(object, "filter") {
        let mode = filter::change_op(cmd)?;
        Some(filter::prepare(mode, args, devices, programs))
    } else {
        None
    }
}

/// `rawnet tc OBJECT ...` (after rawnet's global options).
pub fn run(ctx: &Context, rest: &[String]) -> Result<i32, CliError> {
    // `rawnet tc -j filter show ...`: tc's options after `tc` too.
    if rest.first().is_some_and(|w| w.starts_with('-')) {
        let mut own = ctx.clone();
        let Some(after) = tool::options(&mut own, rest)? else {
            return Ok(0);
        };
        if let Some(file) = &after.batch {
            return super::batch::run_tc(&own, file, after.force);
        }
        return run(&own, after.rest);
    }
    let Some((object, args)) = rest.split_first() else {
        tool::print_usage()?;
        return Ok(0);
    };
    if matches(object, "qdisc") {
        qdisc::run(ctx, args)
    } else if matches(object, "filter") {
        filter::run(ctx, args)
    } else if matches(object, "help") {
        tool::print_usage()?;
        Ok(0)
    } else {
        Err(CliError::usage(format!(
            "Object \"{object}\" is unknown, try \"tc help\"."
        )))
    }
}

/// Whether `word` names an object `tc` knows (`qdisc`, `filter`, `help`).
pub(crate) fn is_object(word: &str) -> bool {
    matches(word, "qdisc") || matches(word, "filter") || matches(word, "help")
}

/// tc's `get_u32(&v, word, 0)`: decimal, `0x` hex or `0` octal.
fn parse_u32(word: &str) -> Option<u32> {
    super::numbers::strtoul(word).and_then(|v| u32::try_from(v).ok())
}

/// The `ETH_P_*` names tc knows best (lib/ll_proto.c), host order.
const PROTOCOLS: &[(&str, u16)] = &[
    ("ip", 0x0800),
    ("arp", 0x0806),
    ("ipv6", 0x86DD),
    ("all", 0x0003),
    ("802.1Q", 0x8100),
    ("802.1ad", 0x88A8),
];

/// `ll_proto_a2n`: a name or a number, host order.
fn protocol_number(word: &str) -> Option<u16> {
    PROTOCOLS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(word))
        .map(|&(_, v)| v)
        .or_else(|| parse_u32(word).and_then(|v| u16::try_from(v).ok()))
}

/// `ll_proto_n2a`: the name, or `0x` and hex digits.
fn protocol_name(v: u16) -> std::borrow::Cow<'static, str> {
    match PROTOCOLS.iter().find(|&&(_, p)| p == v) {
        Some((n, _)) => std::borrow::Cow::Borrowed(n),
        None => std::borrow::Cow::Owned(format!("0x{v:x}")),
    }
}

/// `print_tc_classid`.
fn classid(h: u32) -> String {
    use rawnet::route::tc::{TC_H_ROOT, TC_H_UNSPEC};
    let (maj, min) = (h >> 16, h & 0xFFFF);
    match h {
        TC_H_ROOT => "root".into(),
        TC_H_UNSPEC => "none".into(),
        _ if maj == 0 => format!(":{min:x}"),
        _ if min == 0 => format!("{maj:x}:"),
        _ => format!("{maj:x}:{min:x}"),
    }
}

#[cfg(fuzzing)]
pub use print::print_for_fuzzing;

#[cfg(test)]
mod tests {
    use super::*;
    use rawnet::route::tc::{self as rtc, Direction, FilterSelector, HookQdisc, Mode};

    /// Every device is index 7; names asked for are noted.
    struct Seven(Vec<String>);

    impl Devices for Seven {
        fn index(&mut self, name: &str) -> Result<u32, CliError> {
            self.0.push(name.to_string());
            Ok(7)
        }
    }

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    fn prepared(line: &str) -> Option<Result<Change, CliError>> {
        prepare(
            &words(line),
            &mut Seven(Vec::new()),
            &mut Programs::default(),
        )
    }

    #[test]
    fn changes_are_the_library_requests() {
        let c = prepared("qdisc add dev v0 clsact").unwrap().unwrap();
        let want =
            rtc::hook_qdisc_request(rtc::RTM_NEWQDISC, Mode::Add, 7, HookQdisc::Clsact).unwrap();
        assert_eq!(c.request.as_bytes(), want.as_bytes());
        assert_eq!(c.refusal_note, None);
        let c = prepared("q del dev v0 ingress").unwrap().unwrap();
        let want =
            rtc::hook_qdisc_request(rtc::RTM_DELQDISC, Mode::Add, 7, HookQdisc::Ingress).unwrap();
        assert_eq!(c.request.as_bytes(), want.as_bytes());
        let c = prepared("filter del dev v0 egress pref 3 protocol ip")
            .unwrap()
            .unwrap();
        let selector = FilterSelector {
            priority: 3,
            protocol: 0x0800,
            ..FilterSelector::default()
        };
        let want = rtc::delete_filters_request(7, Direction::Egress, &selector).unwrap();
        assert_eq!(c.request.as_bytes(), want.as_bytes());
        assert_eq!(
            c.refusal_note,
            Some("We have an error talking to the kernel")
        );
    }

    #[test]
    fn shows_help_and_unknown_words_are_commands() {
        for line in [
            "filter show dev v0 ingress",
            "qdisc",
            "qdisc show",
            "filter",
            "help",
            "bogus add",
            "filter frob dev v0",
        ] {
            assert!(prepared(line).is_none(), "{line}");
        }
    }

    #[test]
    fn bad_words_fail_before_any_lookup() {
        let mut devices = Seven(Vec::new());
        let mut programs = Programs::default();
        for (line, code) in [
            ("filter add dev v0 ingress pref x bpf da pinned /p", 255),
            ("filter add dev v0 bpf da pinned /p", 255),
            ("filter add dev v0 ingress handle zz bpf da pinned /p", 1),
            ("qdisc add dev v0 htb", 255),
            ("qdisc add dev v0", 255),
        ] {
            let e = match prepare(&words(line), &mut devices, &mut programs) {
                Some(Err(e)) => e,
                _ => panic!("{line}: not refused"),
            };
            assert_eq!(e.code, code, "{line}: {}", e.message);
        }
        assert!(devices.0.is_empty(), "{:?}", devices.0);
        assert_eq!(programs.len(), 0);
    }
}
