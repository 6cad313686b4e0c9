//! The C-probe runner itself: its parse, its errors, its clean-up.

use super::cprobe::{parse_values, try_run, values, ProbeError};

fn leftovers(tag: &str) -> usize {
    let prefix = format!("rawnet-cprobe-{tag}-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn values_are_the_last_word_of_each_line() {
    let v = parse_values::<i64>("sizeof nlmsghdr 16\nNLM_F_ACK 4\nno-space\nNEG -1\n");
    assert_eq!(v.len(), 3);
    assert_eq!(v["sizeof nlmsghdr"], 16);
    assert_eq!(v["NLM_F_ACK"], 4);
    assert_eq!(v["NEG"], -1);
}

#[test]
#[should_panic(expected = "not a number")]
fn a_value_that_is_not_a_number_fails() {
    parse_values::<u64>("X 1x\n");
}

#[test]
fn a_probe_runs_and_its_directory_goes() {
    let v = values::<u64>(
        "selftest-ok",
        "the self-test probe",
        "#include <stdio.h>\n#include <linux/netlink.h>\n\
         int main(void) { printf(\"NLM_F_ACK %d\\n\", NLM_F_ACK); return 0; }\n",
    );
    assert_eq!(v.get("NLM_F_ACK"), Some(&4));
    assert_eq!(leftovers("selftest-ok"), 0);
}

#[test]
fn a_probe_that_does_not_build_says_why_and_its_directory_goes() {
    match try_run("selftest-bad", "int main(void) { return NO_SUCH_NAME; }\n") {
        Err(ProbeError::Build(stderr)) => assert!(stderr.contains("NO_SUCH_NAME"), "{stderr}"),
        other => panic!("want a build error, got {other:?}"),
    }
    assert_eq!(leftovers("selftest-bad"), 0);
}

#[test]
fn a_probe_that_fails_when_run_is_an_error() {
    match try_run("selftest-exit", "int main(void) { return 3; }\n") {
        Err(ProbeError::Run(why)) => assert!(why.contains('3'), "{why}"),
        other => panic!("want a run error, got {other:?}"),
    }
    assert_eq!(leftovers("selftest-exit"), 0);
}
