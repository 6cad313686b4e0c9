//! `rawnet --trace` (and `-trace`), run as a program in namespaces of its own:
//! standard error shows each request and the kernel's answer decoded, with
//! kernel names; standard output and the exit status are what they are
//! without it, also when standard error is closed or its reader is gone.

mod common;

use std::process::{Command, Output};

use common::{argv, assert_success, rawnet, TestNs};

/// `rawnet GLOBAL... -n NS ARGS...`.
fn run(ns: &TestNs, global: &[&str], args: &str) -> Output {
    let mut all: Vec<&str> = global.to_vec();
    all.extend(["-n", ns.name.as_str()]);
    all.extend(argv(args));
    rawnet(&all)
}

/// The text with the numbers that change from run to run (`seq N`, `port N`)
/// replaced by `N`.
fn without_numbers(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut out = String::new();
    for line in text.lines() {
        words.clear();
        let mut previous = "";
        for word in line.split(' ') {
            if matches!(previous, "seq" | "port") && word.parse::<u32>().is_ok() {
                words.push("N".into());
            } else {
                words.push(word.into());
            }
            previous = word;
        }
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn shows_the_veth_request_and_its_ack() {
    let ns = TestNs::new("tr");
    let out = run(&ns, &["--trace"], "link add v0 type veth peer name v1");
    assert_success(&out, "rawnet --trace link add");
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
    let stderr = without_numbers(&String::from_utf8_lossy(&out.stderr));
    let want = "\
> RTM_NEWLINK len 84 flags REQUEST|ACK|CREATE|EXCL seq N port N
    ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
    IFLA_IFNAME \"v0\"
    IFLA_LINKINFO
      IFLA_INFO_KIND \"veth\"
      IFLA_INFO_DATA
        VETH_INFO_PEER
          ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
          IFLA_IFNAME \"v1\"
< NLMSG_ERROR len 36 flags CAPPED seq N port N
    ack (error 0)
    request RTM_NEWLINK len 84 flags REQUEST|ACK|CREATE|EXCL seq N port N
";
    assert!(stderr.contains(want), "stderr:\n{stderr}");
    // The pair exists, as without --trace.
    ns.ip_ok(&["link", "show", "v1"]);
}

#[test]
fn one_dash_works_too_and_refusals_show_the_kernels_words() {
    let ns = TestNs::with_idle_veth("tr");
    let out = run(&ns, &["-trace"], "route add 10.1.0.0/24 via 10.9.9.9");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "> RTM_NEWROUTE len 44 flags REQUEST|ACK|CREATE|EXCL seq ",
        "\n    RTA_DST 10.1.0.0\n    RTA_GATEWAY 10.9.9.9\n",
        "\n    error -101 ENETUNREACH (Network is unreachable)\n",
        "\n    NLMSGERR_ATTR_MSG \"Nexthop has invalid gateway\"\n",
    ] {
        assert!(stderr.contains(line), "want {line:?} in:\n{stderr}");
    }
    assert!(
        stderr.ends_with("\nError: Nexthop has invalid gateway.\n"),
        "{stderr}"
    );
    let again = run(&ns, &["-trace"], "link add veth0 type veth peer name x1");
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("\n    error -17 EEXIST (File exists)\n")
    );
}

#[test]
fn standard_output_is_the_same_with_and_without_trace() {
    let ns = TestNs::with_idle_veth("tr");
    ns.ip_ok(&argv("addr add 10.0.0.1/24 dev veth0"));
    for args in [
        "link show",
        "-j link show",
        "-d link show dev veth0",
        "addr show",
        "-j addr show dev veth0",
        "route show",
        "neigh show",
    ] {
        let plain = run(&ns, &[], args);
        let traced = run(&ns, &["--trace"], args);
        assert_success(&plain, args);
        assert_success(&traced, args);
        assert_eq!(plain.stdout, traced.stdout, "{args}");
        assert!(plain.stderr.is_empty(), "{args}: stderr without --trace");
        let stderr = String::from_utf8_lossy(&traced.stderr);
        assert!(stderr.starts_with("> RTM_GET"), "{args}: {stderr}");
        assert!(stderr.contains("\n< "), "{args}: {stderr}");
    }
}

#[test]
fn a_closed_or_broken_standard_error_changes_nothing() {
    let ns = TestNs::with_idle_veth("tr");
    let rawnet = env!("CARGO_BIN_EXE_rawnet");
    let plain = run(&ns, &[], "link show");
    // Standard error closed; then a pipe whose reader has gone.
    for script in [
        format!("exec 2>&-; exec {rawnet} --trace -n {} link show", ns.name),
        format!(
            "{rawnet} --trace -n {} link show 2>&1 >/tmp/rawnet-trace-$$ | true; s=${{PIPESTATUS[0]}}; \
             cat /tmp/rawnet-trace-$$; rm -f /tmp/rawnet-trace-$$; exit $s",
            ns.name
        ),
    ] {
        let out = Command::new("bash")
            .args(["-c", &script])
            .output()
            .expect("run bash");
        assert_success(&out, &script);
        assert_eq!(out.stdout, plain.stdout, "{script}");
    }
}
