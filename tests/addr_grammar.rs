//! `rawnet address` grammar against iproute2 6.1, in namespaces of its own:
//! the add options (lifetimes, peer, metric, flags, label, scope) leave the
//! same state as `ip`'s; `show` with each selector prints what `ip` prints
//! (text, `-j`, `-j -p`, `-o`, `-br`); `flush` with selectors removes what
//! `ip`'s does; bad words fail as `ip` fails and change nothing.

mod common;

use common::{argv, TestNs};

/// Finite lifetimes count down: `s` with each (`NNNsec`,
/// `"..._life_time":NNN` below forever) replaced by `N`, and the numbers.
fn lifetimes_apart(s: &str) -> (String, Vec<i64>) {
    let mut out = String::with_capacity(s.len());
    let mut numbers = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let after_word = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-');
        if (b[i].is_ascii_digit() || b[i] == b'-') && !after_word {
            let start = i;
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let num = &s[start..i];
            let before = s[..start].trim_end();
            let lifetime = s[i..].starts_with("sec") || before.ends_with("life_time\":");
            match num.parse::<i64>() {
                Ok(n) if lifetime && n < 4_294_967_295 => {
                    out.push('N');
                    numbers.push(n);
                }
                _ => out.push_str(num),
            }
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    (out, numbers)
}

/// `ours` and `theirs` are the same output but for finite lifetimes, and
/// those differ by at most a second (the time between the two commands).
fn assert_same_but_time(ours: &str, theirs: &str, what: &str) {
    let (o, on) = lifetimes_apart(ours);
    let (t, tn) = lifetimes_apart(theirs);
    assert_eq!(o, t, "{what}");
    assert_eq!(on.len(), tn.len(), "{what}");
    for (a, b) in on.iter().zip(&tn) {
        assert!((a - b).abs() <= 1, "{what}: lifetime {a} against {b}");
    }
}

/// A namespace with lo up, A (up, no carrier) and its peer B in bridge
/// br0, and addresses of every kind the selectors tell apart.
fn populated(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    for line in [
        "link set lo up",
        "link add A type veth peer name B",
        "link add br0 type bridge",
        "link set B master br0",
        "link set A up",
        "link set br0 up",
        "addr add 10.2.0.1/24 dev A valid_lft 1234 preferred_lft 567",
        "addr add 10.2.0.2/24 dev A label A:x",
        "addr add 10.4.0.3/24 dev A scope link",
        "addr add 10.3.0.1/16 dev A metric 20 noprefixroute",
        "addr add fd00::1/64 dev A nodad",
        "addr add fd00:1::1/64 dev A nodad valid_lft 2345 preferred_lft 0",
        "addr add 10.9.0.1 peer 10.9.0.2/30 dev B",
        "addr add 10.8.0.1/24 dev br0 brd + label br0:k",
    ] {
        ns.ip_ok(&argv(line));
    }
    ns
}

/// rawnet and ip print the same for `args`, in every form.
fn same_everywhere(ns: &TestNs, args: &[&str]) {
    for pre in [
        &[][..],
        &["-j"],
        &["-j", "-p"],
        &["-o"],
        &["-br"],
        &["-br", "-j"],
        &["-o", "-j"],
    ] {
        let mut all: Vec<&str> = pre.to_vec();
        all.extend_from_slice(args);
        let ours = ns.rawnet(&all);
        let theirs = ns.iproute2("ip", &all);
        assert_eq!(
            ours.status.code(),
            theirs.status.code(),
            "rawnet {}",
            all.join(" ")
        );
        assert_same_but_time(
            &String::from_utf8_lossy(&ours.stdout),
            &String::from_utf8_lossy(&theirs.stdout),
            &format!("rawnet {}", all.join(" ")),
        );
    }
}

#[test]
fn show_selectors_print_as_ip() {
    let ns = populated("asel");
    for sel in [
        "",
        "dev A",
        "A scope link",
        "scope global",
        "scope host",
        "scope all",
        "scope 253",
        "up",
        "label A:*",
        "label A",
        "label br0:k",
        "to 10.2.0.0/16",
        "to fd00::/16",
        "to 10.9.0.1",
        "primary",
        "secondary",
        "-secondary",
        "permanent",
        "dynamic",
        "deprecated",
        "nodad",
        "noprefixroute",
        "tentative",
        "type veth",
        "type bridge",
        "type bridge_slave",
        "master br0",
        "nomaster",
        "dev B master br0",
        "dev A master br0",
        "group default",
        "dev A dynamic scope global label A to 10.0.0.0/8",
    ] {
        let mut args = vec!["addr", "show"];
        args.extend(sel.split_whitespace());
        same_everywhere(&ns, &args);
        let mut v4 = vec!["-4"];
        v4.extend_from_slice(&args);
        same_everywhere(&ns, &v4);
    }
    same_everywhere(&ns, &["address"]);
    same_everywhere(&ns, &["-6", "addr", "list"]);
}

#[test]
fn added_with_options_as_ip_adds_them() {
    let ours = TestNs::with_idle_veth("aopt1");
    let theirs = TestNs::with_idle_veth("aopt2");
    let commands = [
        "addr add 10.2.0.1/24 dev veth0 valid_lft 1234 preferred_lft 567",
        "addr add 10.2.1.1/24 preferred_lft 300 valid_lft forever dev veth0",
        "addr add label veth0:a 10.2.2.1/24 dev veth0",
        "addr add 10.2.3.1/24 label veth0:b brd 10.2.3.255 dev veth0 scope 200",
        "addr add 10.2.4.1/24 dev veth0 broadcast - metric 300 noprefixroute",
        "addr add 10.2.5.1 peer 10.2.5.2/30 dev veth0 scope link",
        "addr add 10.2.7.1/24 dev veth0 priority 5 scope host",
        "addr add fd00:1::1/64 dev veth0 nodad home mngtmpaddr valid_lft 0x1000 preferred_lft 010",
        "addr add 224.1.1.1/32 dev veth0 autojoin",
        "addr change 10.2.0.1/24 dev veth0 valid_lft forever preferred_lft forever",
        "addr replace 10.2.8.1/24 dev veth0 valid_lft 6001 preferred_lft 6001 label veth0:r",
        "addr chg 10.2.8.1/24 dev veth0 metric 9",
        "addr del 10.2.3.1/24 dev veth0 label veth0:b",
    ];
    for line in commands {
        ours.rawnet_ok(&argv(line));
        theirs.ip_ok(&argv(line));
    }
    assert_same_but_time(
        &ours.ip_ok(&["-o", "addr", "show", "dev", "veth0"]),
        &theirs.ip_ok(&["-o", "addr", "show", "dev", "veth0"]),
        "state after the adds",
    );
    // rawnet's own show of finite lifetimes and `dynamic` is ip's.
    assert!(ours.ip_ok(&["addr"]).contains("dynamic"));
    same_everywhere(&ours, &["addr", "show", "dev", "veth0"]);
}

#[test]
fn flush_with_selectors_removes_what_ip_removes() {
    for sel in [
        "dev A",
        "dev A primary",
        "dev A secondary",
        "label A:*",
        "to 10.2.0.0/16",
        "scope global",
        "dev A dynamic",
        "-6 dev A",
        "dev A scope link",
    ] {
        let ours = populated("afl1");
        let theirs = populated("afl2");
        let words: Vec<&str> = sel.split_whitespace().collect();
        let (pre, rest) = match words.split_first() {
            Some((&"-6", rest)) => (vec!["-6"], rest.to_vec()),
            _ => (vec![], words.clone()),
        };
        let mut args = pre.clone();
        args.extend(["addr", "flush"]);
        args.extend(rest.iter().copied());
        let out = ours.rawnet(&args);
        common::assert_success(&out, sel);
        assert!(out.stdout.is_empty(), "flush prints nothing: {sel}");
        theirs.ip_ok(&args);
        let left = |ns: &TestNs| {
            ns.ip_ok(&["-o", "addr"])
                .lines()
                .map(|l| l.split_whitespace().take(4).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
        };
        assert_eq!(left(&ours), left(&theirs), "flush {sel}");
        // -s: the rounds, as ip counts them.
        let mut stats = vec!["-s"];
        stats.extend_from_slice(&args);
        assert_eq!(
            ours.rawnet_ok(&stats),
            theirs.ip_ok(&stats),
            "-s flush {sel}"
        );
    }
}

#[test]
fn bad_words_fail_as_ip_and_change_nothing() {
    let ns = populated("abad");
    let before = ns.ip_ok(&["-o", "addr"]);
    for (args, code, line) in [
        (
            "addr add 10.5.0.1/24 dev A scope bogus",
            255,
            "Error: argument \"bogus\" is wrong: invalid scope value.",
        ),
        (
            "addr add 10.5.0.1/24 dev A valid_lft soon",
            255,
            "Error: argument \"soon\" is wrong: valid_lft value",
        ),
        (
            "addr add 10.5.0.1/24 dev A preferred_lft 12x",
            255,
            "Error: argument \"12x\" is wrong: preferred_lft value",
        ),
        (
            "addr add 10.5.0.1/24 dev A valid_lft 0",
            1,
            "valid_lft is zero",
        ),
        (
            "addr add 10.5.0.1/24 dev A valid_lft 10 preferred_lft 20",
            1,
            "preferred_lft is greater than valid_lft",
        ),
        (
            "addr add 10.5.0.1/24 dev A metric many",
            255,
            "Error: argument \"many\" is wrong: \"metric\" value is invalid",
        ),
        (
            "addr add 10.5.0.1/24 dev A autojoin",
            1,
            "autojoin needs multicast address",
        ),
        (
            "addr show scope bogus",
            255,
            "Error: argument \"bogus\" is wrong: invalid \"scope\"",
        ),
        (
            "addr flush scope bogus",
            255,
            "Error: argument \"bogus\" is wrong: invalid \"scope\"",
        ),
        (
            "addr show to nowhere",
            1,
            "Error: any valid prefix is expected rather than \"nowhere\".",
        ),
        (
            "addr show master nope",
            255,
            "Error: argument \"nope\" is wrong: Device does not exist",
        ),
        ("addr show dev nope", 1, "Device \"nope\" does not exist."),
        ("addr flush", 1, "Flush requires arguments."),
    ] {
        let words = argv(args);
        let ours = ns.rawnet(&words);
        assert_eq!(ours.status.code(), Some(code), "rawnet {args}");
        let theirs = ns.iproute2("ip", &words);
        assert_eq!(theirs.status.code(), Some(code), "ip {args}");
        assert_eq!(
            String::from_utf8_lossy(&ours.stderr),
            String::from_utf8_lossy(&theirs.stderr),
            "{args}"
        );
        assert!(
            String::from_utf8_lossy(&ours.stderr).contains(line),
            "{args}"
        );
        assert!(ours.stdout.is_empty(), "{args}");
    }
    assert_eq!(ns.ip_ok(&["-o", "addr"]), before, "nothing changed");
}

/// Traffic on lo (IPv4 and IPv6 datagrams to a closed port, a few MB in
/// all), so that the counters `-s` prints are not zero and some are large
/// enough for `-h`'s units. Nothing else in `populated` has a carrier: once
/// this returns the counters stand still.
fn lo_traffic(ns: &TestNs) {
    let script = "for i in $(seq 60); do head -c 60000 /dev/zero > /dev/udp/127.0.0.1/9; \
                  head -c 20000 /dev/zero > /dev/udp/::1/9; done 2>/dev/null; \
                  for i in $(seq 1100); do echo x > /dev/udp/127.0.0.1/9; done 2>/dev/null; true";
    let out = std::process::Command::new("ip")
        .args(["netns", "exec", &ns.name, "bash", "-c", script])
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lo = ns.ip_json(&argv("-s link show lo"));
    assert!(
        lo[0]["stats64"]["rx"]["bytes"].as_u64() >= Some(1_000_000),
        "{lo}"
    );
}

/// rawnet and ip exit alike and print the same for `line` (but for the
/// finite lifetimes, which count down between the two). Up to three tries:
/// the kernel may still count a packet it drops on a link without carrier
/// (an IPv6 router solicitation or MLD report) between the two commands.
fn same_as_ip(ns: &TestNs, line: &str) {
    let args = argv(line);
    for attempt in 1..=3 {
        let ours = ns.rawnet(&args);
        let theirs = ns.iproute2("ip", &args);
        let (o, t) = (
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
        );
        if attempt < 3 && (ours.status.code() != theirs.status.code() || o != t) {
            continue;
        }
        assert_eq!(ours.status.code(), theirs.status.code(), "rawnet {line}");
        assert_same_but_time(&o, &t, &format!("rawnet {line}"));
        return;
    }
}

/// `-s` prints each link's counters after its addresses, as ip 6.1 does
/// (`-s -s` the error details, JSON `stats64` after `addr_info`; under
/// `-6` a dump's links count from their IPv6 MIB; none under `-o` or
/// `-br`, or with `label`), and `-h`/`-iec` write them with units.
#[test]
fn statistics_as_ip() {
    let ns = populated("asta");
    lo_traffic(&ns);
    for line in [
        "-s addr",
        "-s -s addr",
        "-s -j addr",
        "-s -s -j -p addr",
        "-4 -s addr",
        "-4 -s -s -j addr",
        "-6 -s -s addr",
        "-6 -s -j addr",
        "-0 -s addr",
        "-0 -s -s -j addr",
        "-0 -o -s addr",
        "-0 -o -s -s addr",
        "-s -o addr",
        "-s -br addr",
        "-s -br -j addr",
        "-s addr show dev lo",
        "-6 -s addr show dev lo",
        "-s addr show label A:x",
        "-s addr show up",
        "-s addr show master br0",
        "-s -d addr show dev A", // not br0: its gc_timer runs
        "-h -s addr",
        "-h -iec -s -s addr",
        "-human-readable -s -o -0 addr",
        "-h -s -j addr",
        "-iec -s addr",
    ] {
        same_as_ip(&ns, line);
    }
}

/// `-0`: the links alone; under `-o` each on one line, under `-br` the row
/// of `ip -br link` (name, state, MAC, flags).
#[test]
fn link_family_as_ip() {
    let ns = populated("alnk");
    for line in [
        "-0 addr",
        "-0 -o addr",
        "-0 -o -d addr show dev A", // not br0: its gc_timer runs
        "-0 -j addr",
        "-0 -br addr",
        "-0 -br -j addr",
        "-0 -br -j -p addr",
        "-0 -br addr show dev A",
        "-0 -br addr show up",
        "-0 -br addr show master br0",
        "-0 -o addr show type veth",
        "-family link -br addr",
    ] {
        same_as_ip(&ns, line);
    }
}
