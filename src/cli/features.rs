//! `rawnet features`: which device kinds the running kernel supports, each
//! tried in a throw-away namespace (see `rawnet::features`).
//!
//! Text: one line per kind, `KIND  yes|no|unknown  (reason)`. JSON (`-j`):
//! `[{"kind":"veth","supported":true},{"kind":"dummy","supported":false,
//! "reason":"Unknown device type"}, ...]`; a probe that could not tell has
//! `"supported":null` and its `"reason"`. Without root the probes run in a
//! private user namespace, as the lab does. `-n` is ignored: the probes never
//! use a named namespace.

use rawnet::features::{self, KindSupport, Support};

use super::output::Json;
use super::{matches, CliError, Context};

const USAGE: &str = "Usage: rawnet features [ help ]\n";

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    match args.first().map(String::as_str) {
        None => {}
        Some(w) if matches(w, "help") => {
            super::output::print(USAGE)?;
            return Ok(0);
        }
        Some(w) => {
            return Err(CliError::usage(format!(
                "Command \"{w}\" is unknown, try \"rawnet features help\"."
            )))
        }
    }
    if !rawnet::ns::is_privileged() {
        rawnet::ns::enter_private_user_netns().map_err(|e| {
            CliError::new(
                1,
                format!("Cannot make a private user namespace for the probes: {e}"),
            )
        })?;
    }
    let answers = features::probe_all().map_err(|e| {
        let e = super::error_words::text(&e);
        CliError::new(1, format!("Cannot make a namespace to probe in: {e}"))
    })?;
    if ctx.json {
        super::output::print(&json(&answers, ctx.pretty))?;
    } else {
        super::output::print(&table(&answers))?;
    }
    Ok(0)
}

fn word(s: &Support) -> &'static str {
    match s.supported() {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

fn table(answers: &[KindSupport]) -> String {
    let mut out = String::new();
    for a in answers {
        let line = match a.support.reason() {
            None => format!("{:<10} {}", a.kind, word(&a.support)),
            Some(r) => format!("{:<10} {:<7} ({r})", a.kind, word(&a.support)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn json(answers: &[KindSupport], pretty: bool) -> String {
    let mut j = Json::new(pretty);
    j.begin_array();
    for a in answers {
        j.begin_object();
        j.str("kind", a.kind);
        match a.support.supported() {
            Some(b) => j.bool("supported", b),
            None => j.num("supported", "null"),
        }
        if let Some(r) = a.support.reason() {
            j.str("reason", r);
        }
        j.end_object();
    }
    j.end_array();
    j.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let answers = [
            KindSupport {
                kind: "veth",
                support: Support::Supported,
            },
            KindSupport {
                kind: "dummy",
                support: Support::Unsupported("Unknown device type".into()),
            },
            KindSupport {
                kind: "x",
                support: Support::Unknown("RTNETLINK answers: Operation not permitted".into()),
            },
        ];
        assert_eq!(
            table(&answers),
            "veth       yes\n\
             dummy      no      (Unknown device type)\n\
             x          unknown (RTNETLINK answers: Operation not permitted)\n"
        );
        assert_eq!(
            json(&answers[..2], false),
            "[{\"kind\":\"veth\",\"supported\":true},\
             {\"kind\":\"dummy\",\"supported\":false,\"reason\":\"Unknown device type\"}]\n"
        );
    }
}
