//! The words of `rawnet bench`: which suites, `count N`, `batch N` (also
//! `--count N`, `--count=N`, ...), `help`. A pure function of the words, so
//! every complaint is tested without running anything.

use rawnet::bench::{Batch, Suite, MAX_COUNT};
use rawnet::netlink::Pipeline;

use crate::cli::arg_errors::{duplicate, invalid_arg, unknown_command};
use crate::cli::{matches, CliError};

/// What the words ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Run(Plan),
}

/// The suites to run and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub suites: Vec<Suite>,
    /// `None`: each suite's own default.
    pub count: Option<usize>,
    pub batch: Batch,
}

impl Plan {
    /// How many objects `suite` handles in this plan.
    pub fn count_for(&self, suite: Suite) -> usize {
        self.count.unwrap_or_else(|| suite.default_count())
    }
}

/// Which option a word names, if any: `count`, `--count`, `-c` (and
/// `batch`, `--batch`, `-b`), with its value when written `--count=N`.
fn option_of(word: &str) -> Option<(&'static str, Option<&str>)> {
    let (name, value) = match word.split_once('=') {
        Some((n, v)) if n.starts_with("--") => (n, Some(v)),
        _ => (word, None),
    };
    let bare = name.trim_start_matches('-');
    let dashes = name.len() - bare.len();
    let option = match (dashes, bare) {
        (0 | 2, "count") | (1, "c") => "count",
        (0 | 2, "batch") | (1, "b") => "batch",
        _ => return None,
    };
    Some((option, value))
}

/// A whole decimal number in `1..=max`.
fn number(word: &str, max: usize) -> Option<usize> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse().ok().filter(|n| (1..=max).contains(n))
}

/// Read the words after `bench`.
pub fn parse(words: &[String]) -> Result<Command, CliError> {
    let mut suite_word: Option<&str> = None;
    let mut count: Option<usize> = None;
    let mut batch: Option<usize> = None;
    let mut rest = words.iter().map(String::as_str);
    while let Some(word) = rest.next() {
        if matches!(word, "help" | "-h" | "--help") {
            return Ok(Command::Help);
        }
        if let Some((option, inline)) = option_of(word) {
            let value = match inline {
                Some(v) => v,
                None => rest.next().ok_or_else(|| {
                    CliError::usage(format!(
                        "Command line is not complete. Try option \"help\" (after \"{word}\")"
                    ))
                })?,
            };
            let (slot, max) = match option {
                "count" => (&mut count, MAX_COUNT),
                _ => (&mut batch, Pipeline::MAX_WINDOW),
            };
            if slot.is_some() {
                return Err(duplicate(option, value));
            }
            let n = number(value, max).ok_or_else(|| {
                invalid_arg(
                    value,
                    &format!("\"{option}\" value is invalid (want 1 to {max})"),
                )
            })?;
            *slot = Some(n);
            continue;
        }
        if word.starts_with('-') || suite_of(word).is_none() {
            return Err(unknown_command("bench", word));
        }
        if suite_word.is_some() {
            return Err(duplicate("bench", word));
        }
        suite_word = Some(word);
    }
    let suites = match suite_word.and_then(suite_of) {
        None | Some(None) => Suite::ALL.to_vec(),
        Some(Some(one)) => vec![one],
    };
    Ok(Command::Run(Plan {
        suites,
        count,
        batch: batch.map_or_else(Batch::default, Batch::of_size),
    }))
}

/// The suite a word names by unique prefix, in this order (`a` is
/// `address`, as in `ip`); `Some(None)` is `all`.
fn suite_of(word: &str) -> Option<Option<Suite>> {
    if matches(word, "route") {
        Some(Some(Suite::Route))
    } else if matches(word, "address") {
        Some(Some(Suite::Address))
    } else if matches(word, "link") {
        Some(Some(Suite::Link))
    } else if matches(word, "all") {
        Some(None)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn plan(line: &str) -> Plan {
        match parse(&words(line)) {
            Ok(Command::Run(p)) => p,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn refusal(line: &str) -> (i32, String) {
        match parse(&words(line)) {
            Err(e) => (e.code, e.message),
            Ok(c) => panic!("{line}: accepted as {c:?}"),
        }
    }

    #[test]
    fn defaults_are_every_suite_with_its_own_count_and_the_pipeline_window() {
        let p = plan("");
        assert_eq!(p.suites, Suite::ALL);
        assert_eq!(p.count, None);
        assert_eq!(p.batch, Batch::Pipelined(Pipeline::MAX_WINDOW));
        assert_eq!(p.count_for(Suite::Route), 10_000);
        assert_eq!(p.count_for(Suite::Link), 1_000);
        assert_eq!(plan("all").suites, Suite::ALL);
    }

    #[test]
    fn suites_by_prefix() {
        assert_eq!(plan("r").suites, [Suite::Route]);
        assert_eq!(plan("a").suites, [Suite::Address]);
        assert_eq!(plan("addr").suites, [Suite::Address]);
        assert_eq!(plan("l").suites, [Suite::Link]);
        assert_eq!(plan("al").suites, Suite::ALL);
    }

    #[test]
    fn count_and_batch_in_every_spelling() {
        for line in [
            "route count 500 batch 1",
            "route --count 500 --batch 1",
            "--count=500 route --batch=1",
            "-c 500 -b 1 route",
        ] {
            let p = plan(line);
            assert_eq!(p.suites, [Suite::Route], "{line}");
            assert_eq!(p.count, Some(500), "{line}");
            assert_eq!(p.batch, Batch::OneAtATime, "{line}");
            assert_eq!(p.count_for(Suite::Link), 500);
        }
        assert_eq!(plan("batch 64").batch, Batch::Pipelined(64));
        assert_eq!(plan("batch 1024").batch, Batch::Pipelined(1024));
        assert_eq!(parse(&words("link help")).unwrap(), Command::Help);
        assert_eq!(parse(&words("--help")).unwrap(), Command::Help);
    }

    #[test]
    fn bad_words_are_one_line_and_exit_255() {
        assert_eq!(
            refusal("count x"),
            (
                255,
                "Error: argument \"x\" is wrong: \"count\" value is invalid (want 1 to 4194304)"
                    .into()
            )
        );
        assert_eq!(
            refusal("route batch 0"),
            (
                255,
                "Error: argument \"0\" is wrong: \"batch\" value is invalid (want 1 to 1024)"
                    .into()
            )
        );
        assert_eq!(refusal("batch 1025").0, 255);
        assert_eq!(refusal("count -5").0, 255);
        assert_eq!(refusal("count 4194305").0, 255);
        assert_eq!(
            refusal("count 5 count 6"),
            (
                255,
                "Error: duplicate \"count\": \"6\" is the second value.".into()
            )
        );
        assert_eq!(
            refusal("route link"),
            (
                255,
                "Error: duplicate \"bench\": \"link\" is the second value.".into()
            )
        );
        assert_eq!(
            refusal("neigh"),
            (
                255,
                "Command \"neigh\" is unknown, try \"rawnet bench help\".".into()
            )
        );
        assert_eq!(refusal("--fast").0, 255);
        assert_eq!(
            refusal("route count"),
            (
                255,
                "Command line is not complete. Try option \"help\" (after \"count\")".into()
            )
        );
    }
}
