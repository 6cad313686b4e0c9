//! Every kernel constant rawnet defines is defined once and has the value
//! the kernel's uapi headers give it.
//!
//! The test reads rawnet's own sources: each `const NAME: TYPE = VALUE;`
//! whose name has a kernel prefix (`IFLA_`, `RTA_`, `NDA_`, ...). Values are
//! evaluated here (integer literals, `<<`, `|`, `-`, `+`, parentheses and
//! other such constants); a C program that includes the uapi headers prints
//! the kernel's value of each name, and the two must agree. A name the
//! headers do not know fails the test unless it is listed in
//! [`NOT_IN_HEADERS`] with the reason. A name defined twice (two `const`
//! items, not a `use` of the other) fails it too.
//!
//! Needs a C compiler and the kernel headers (linux-libc-dev), as
//! `tests/uapi.rs` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::cprobe;

/// Prefixes of the kernel's names.
const PREFIXES: &[&str] = &[
    "IFLA_",
    "IFA_",
    "IFA_F_",
    "RTA_",
    "RTM_",
    "RTN_",
    "RTPROT_",
    "RT_SCOPE_",
    "RT_TABLE_",
    "RTNH_",
    "RTCF_",
    "RTEXT_",
    "RTNLGRP_",
    "NLM_F_",
    "TCA_",
    "TC_H_",
    "NLMSG",
    "NLA_",
    "NETLINK_",
    "NDA_",
    "NUD_",
    "NTF_",
    "NDTA_",
    "VETH_",
    "ARPHRD_",
    "IFF_",
    "MACVLAN_",
    "VXLAN_",
    "BR_",
    "BRIDGE_",
    "FRA_",
    "FR_ACT_",
    "FIB_RULE_",
    "NETNSA_",
    "TUNSET",
    "TUNGET",
    "TUN_F_",
    "ICMP_",
    "ICMPV6_",
    "IPVLAN_",
    "LWTUNNEL_",
    "NHA_",
    "IFNAMSIZ",
    "SOL_NETLINK",
    "RTAX_",
    "SIOC",
    "IN6_ADDR_GEN_",
    "NLMSGERR_",
    "IFLA_BR",
    "NFNL",
    "NFT_",
    "NFTA_",
    "NFPROTO_",
    "NF_INET_",
    "NF_DROP",
    "NF_ACCEPT",
    "NFNETLINK_",
    "BPF_",
];

/// Names with a kernel prefix that the headers do not define, and why.
const NOT_IN_HEADERS: &[(&str, &str)] = &[
    (
        "NTF_EXT_LOCKED",
        "linux/neighbour.h of 6.2; the installed headers are 6.1",
    ),
    (
        "VXLAN_VNI_MAX",
        "rawnet's bound for a VNI (24 bits), not a kernel name",
    ),
    (
        "BPF_MEMSX",
        "linux/bpf.h of 6.6 (sign-extending loads); the installed headers are 6.1",
    ),
    (
        "BPF_JCOND",
        "linux/bpf.h of 6.9 (may_goto); the installed headers are 6.1",
    ),
    (
        "BPF_ADDR_SPACE_CAST",
        "linux/bpf.h of 6.9 (arena casts); the installed headers are 6.1",
    ),
];

/// Kernel names newer than the installed (6.1) headers, with their values
/// from the kernel's current `include/uapi/linux/bpf.h` and the release that
/// added them: each is checked against this value instead of the headers.
const NEWER_THAN_HEADERS: &[(&str, i128, &str)] = &[
    // The multi-program attach flags of tcx (BPF_PROG_ATTACH, BPF_LINK_CREATE).
    ("BPF_F_BEFORE", 1 << 3, "6.6"),
    ("BPF_F_AFTER", 1 << 4, "6.6"),
    ("BPF_F_ID", 1 << 5, "6.6"),
];

/// The headers the C program includes.
const HEADERS: &[&str] = &[
    "linux/netlink.h",
    "linux/rtnetlink.h",
    "linux/if_link.h",
    "linux/if_addr.h",
    "linux/veth.h",
    "linux/neighbour.h",
    "linux/if_bridge.h",
    "linux/fib_rules.h",
    "linux/pkt_sched.h",
    "linux/pkt_cls.h",
    "linux/gen_stats.h",
    "linux/net_namespace.h",
    "linux/if_tun.h",
    "linux/if_arp.h",
    "linux/if.h",
    "linux/icmp.h",
    "linux/icmpv6.h",
    "linux/lwtunnel.h",
    "linux/nexthop.h",
    "linux/in_route.h",
    "linux/if_tunnel.h",
    "linux/sockios.h",
    "linux/netfilter/nfnetlink.h",
    "linux/netfilter/nf_tables.h",
    "linux/netfilter.h",
    "linux/bpf.h",
    "linux/bpf_common.h",
    "linux/magic.h",
];

/// One definition found in the sources.
#[derive(Debug, Clone)]
struct Definition {
    name: String,
    /// Width of the type, for `!`.
    bits: u32,
    value: String,
    place: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs")
            && path
                .file_name()
                .is_some_and(|f| f != "tests.rs" && f != "uapi_tests.rs")
        {
            out.push(path);
        }
    }
}

fn is_kernel_name(name: &str) -> bool {
    PREFIXES.iter().any(|p| name.starts_with(p))
}

/// `const NAME: TYPE = VALUE;` items with a kernel name, one line each.
fn definitions() -> Vec<Definition> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_start();
            let rest = line
                .strip_prefix("pub const ")
                .or_else(|| line.strip_prefix("pub(crate) const "))
                .or_else(|| line.strip_prefix("pub(super) const "))
                .or_else(|| line.strip_prefix("const "));
            let Some(rest) = rest else { continue };
            // `const NAME: TYPE = VALUE;`, or a bitflags `const NAME = VALUE;`.
            let Some((head, value)) = rest.split_once('=') else {
                continue;
            };
            let (name, ty) = match head.split_once(':') {
                Some((name, ty)) => (name.trim(), ty.trim()),
                None => (head.trim(), ""),
            };
            let Some(value) = value.trim().strip_suffix(';') else {
                continue;
            };
            if !is_kernel_name(name) || name.chars().any(|c| c.is_ascii_lowercase()) {
                continue;
            }
            found.push(Definition {
                name: name.to_string(),
                bits: match ty {
                    "u8" => 8,
                    "u16" => 16,
                    "u64" => 64,
                    _ => 32,
                },
                value: value.to_string(),
                place: format!(
                    "{}:{}",
                    file.strip_prefix(root).unwrap_or(&file).display(),
                    n + 1
                ),
            });
        }
    }
    found
}

/// A small evaluator for the constant expressions the sources use.
struct Eval<'a> {
    tokens: Vec<String>,
    pos: usize,
    known: &'a BTreeMap<String, String>,
    depth: u32,
    bits: u32,
}

fn tokenize(s: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_:".contains(chars[i])) {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == '<' && chars.get(i + 1) == Some(&'<') {
            tokens.push("<<".into());
            i += 2;
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    tokens
}

impl Eval<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> Option<i128> {
        let mut v = self.shift()?;
        while self.peek() == Some("|") {
            self.pos += 1;
            v |= self.shift()?;
        }
        Some(v)
    }

    fn shift(&mut self) -> Option<i128> {
        let mut v = self.sum()?;
        while self.peek() == Some("<<") {
            self.pos += 1;
            v <<= self.sum()?;
        }
        Some(v)
    }

    fn sum(&mut self) -> Option<i128> {
        let mut v = self.atom()?;
        loop {
            match self.peek() {
                Some("+") => {
                    self.pos += 1;
                    v += self.atom()?;
                }
                Some("-") => {
                    self.pos += 1;
                    v -= self.atom()?;
                }
                _ => return Some(v),
            }
        }
    }

    fn atom(&mut self) -> Option<i128> {
        let t = self.peek()?.to_string();
        self.pos += 1;
        if t == "(" {
            let v = self.or()?;
            (self.peek() == Some(")")).then_some(())?;
            self.pos += 1;
            return Some(v);
        }
        if t == "-" {
            return Some(-self.atom()?);
        }
        if t == "!" {
            let mask = (1i128 << self.bits) - 1;
            return Some(!self.atom()? & mask);
        }
        // `as TYPE` casts of non-negative values change nothing here.
        let v = literal(&t).or_else(|| {
            let name = t.rsplit("::").next()?;
            let expr = self.known.get(name)?;
            (self.depth < 8).then_some(())?;
            evaluate(expr, self.known, self.depth + 1)
        })?;
        if self.peek() == Some("as") {
            self.pos += 2;
        }
        Some(v)
    }
}

fn width(bits: u32) -> i128 {
    (1i128 << bits) - 1
}

fn literal(t: &str) -> Option<i128> {
    let t = t.replace('_', "");
    let t = ["u8", "u16", "u32", "u64", "i32", "usize"]
        .iter()
        .find_map(|s| t.strip_suffix(s))
        .unwrap_or(&t);
    if let Some(hex) = t.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()
    } else {
        t.parse().ok()
    }
}

fn evaluate(expr: &str, known: &BTreeMap<String, String>, depth: u32) -> Option<i128> {
    evaluate_as(expr, known, depth, 32)
}

fn evaluate_as(
    expr: &str,
    known: &BTreeMap<String, String>,
    depth: u32,
    bits: u32,
) -> Option<i128> {
    if expr.contains("libc::") {
        return None;
    }
    let mut e = Eval {
        tokens: tokenize(expr),
        pos: 0,
        known,
        depth,
        bits,
    };
    let v = e.or()?;
    (e.pos == e.tokens.len()).then_some(v)
}

/// The kernel's value of each name, from the headers; names the compiler
/// does not know are left out (and returned as the second value).
fn kernel_values(names: &[String]) -> (BTreeMap<String, i128>, Vec<String>) {
    let mut wanted: Vec<String> = names.to_vec();
    let mut unknown = Vec::new();
    for _ in 0..10 {
        let mut c = String::new();
        for h in HEADERS {
            c.push_str(&format!("#include <{h}>\n"));
        }
        c.push_str("#include <stdio.h>\nint main(void) {\n");
        for n in &wanted {
            c.push_str(&format!("printf(\"{n} %lld\\n\", (long long)({n}));\n"));
        }
        c.push_str("return 0; }\n");
        let errors = match cprobe::try_run("uapi-constants", &c) {
            Ok(out) => {
                let values = cprobe::parse_values(&out).into_iter().collect();
                return (values, unknown);
            }
            Err(cprobe::ProbeError::Build(errors)) => errors,
            Err(e) => panic!("the uapi constants probe: {e}"),
        };
        let before = wanted.len();
        wanted.retain(|n| {
            let missing = errors.contains(&format!("‘{n}’ undeclared"))
                || errors.contains(&format!("'{n}' undeclared"));
            if missing {
                unknown.push(n.clone());
            }
            !missing
        });
        assert!(
            wanted.len() < before,
            "the C program does not build:\n{errors}"
        );
    }
    panic!("the C program does not build after removing unknown names");
}

#[test]
fn every_kernel_constant_is_defined_once_with_the_kernels_value() {
    let defs = definitions();
    assert!(
        defs.len() > 300,
        "found only {} constants: is the scan broken?",
        defs.len()
    );
    let mut by_name: BTreeMap<String, Vec<Definition>> = BTreeMap::new();
    for d in &defs {
        by_name.entry(d.name.clone()).or_default().push(d.clone());
    }
    let mut problems = Vec::new();
    for (name, ds) in &by_name {
        if ds.len() > 1 {
            let places: Vec<&str> = ds.iter().map(|d| d.place.as_str()).collect();
            problems.push(format!("{name} is defined {} times: {places:?}", ds.len()));
        }
    }
    let exprs: BTreeMap<String, String> = defs
        .iter()
        .map(|d| (d.name.clone(), d.value.clone()))
        .collect();
    let names: Vec<String> = by_name.keys().cloned().collect();
    let (kernel, unknown) = kernel_values(&names);
    let mut checked = 0;
    for d in &defs {
        let Some(&theirs) = kernel.get(&d.name) else {
            continue;
        };
        match evaluate_as(&d.value, &exprs, 0, d.bits) {
            // In the declared width: C's `~` makes an int negative.
            Some(ours) if ours & width(d.bits) == theirs & width(d.bits) => checked += 1,
            Some(ours) => problems.push(format!(
                "{} at {} is {ours}, the kernel's is {theirs}",
                d.name, d.place
            )),
            // `libc::X as T`: libc's value, itself from the headers; a
            // struct's size: tests/uapi.rs checks the structs.
            None if d.value.contains("libc::") || d.value.contains("size_of") => checked += 1,
            None => problems.push(format!(
                "{} at {}: cannot evaluate `{}`",
                d.name, d.place, d.value
            )),
        }
    }
    for n in &unknown {
        if let Some((_, want, _)) = NEWER_THAN_HEADERS.iter().find(|(name, _, _)| name == n) {
            for d in &by_name[n] {
                match evaluate_as(&d.value, &exprs, 0, d.bits) {
                    Some(ours) if ours == *want => checked += 1,
                    other => problems.push(format!(
                        "{n} at {} is {other:?}, the kernel's (newer than the headers) is {want}",
                        d.place
                    )),
                }
            }
            continue;
        }
        if !NOT_IN_HEADERS.iter().any(|(name, _)| name == n) {
            let place = by_name[n]
                .iter()
                .map(|d| d.place.as_str())
                .collect::<Vec<_>>();
            problems.push(format!(
                "{n} ({place:?}) is not in the uapi headers (list it in NOT_IN_HEADERS with the reason)"
            ));
        }
    }
    println!("{checked} definitions checked against the uapi headers");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
