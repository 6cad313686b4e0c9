//! Real container-network setup scripts (`tests/scripts/*.sh`), written the
//! way people write them for `ip` and `tc`, each run twice in a sandbox of
//! its own (`tests/scripts/sandbox.sh`: a fresh network namespace, a
//! private mount namespace with its own `/run/netns` and a bpffs with the
//! shipped drop_icmp_echo.s pinned as `bpffs/drop_echo`): once with
//! iproute2's `ip`, `bridge` and `tc`, once with rawnet first on `PATH`
//! under those names. Every `ip`, `bridge` and `tc` the script ran must have ended the
//! same way, the script must print the same and
//! exit the same, and the final state of the sandbox and of every namespace
//! it named must be the same, read with iproute2's `ip -j` (and `tc -j` for
//! qdiscs and clsact filters) both times.
//!
//! What differs by nature between two runs is left out of the comparison:
//! interface indexes, MAC addresses the kernel chose at random (a MAC the
//! script wrote stays), statistics, timers, operational state and carrier
//! (they settle at their own pace), IPv6 link-local addresses and their
//! routes (made from the random MACs), forwarding-database entries of MACs
//! the script did not write (the kernel's own, for random addresses), the
//! id of a filter's program (each run loads its own).

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of a script left behind (see `sandbox.sh`).
struct Run {
    dir: PathBuf,
}

impl Run {
    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }

    /// The files of `state/`, sorted by name.
    fn state_files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.join("state"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts")
}

fn run_script(script: &str, tool: &str, label: &str) -> Run {
    let dir = std::env::temp_dir().join(format!(
        "rawnet-scripts-{}-{}-{label}",
        std::process::id(),
        script.trim_end_matches(".sh")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the run's directory");
    let status = Command::new("bash")
        .arg(scripts_dir().join("sandbox.sh"))
        .arg(scripts_dir().join(script))
        .arg(&dir)
        .arg(tool)
        .env("RAWNET", env!("CARGO_BIN_EXE_rawnet"))
        .status()
        .expect("run sandbox.sh");
    assert!(
        status.success(),
        "sandbox.sh for {script} with {label}: {status}"
    );
    Run { dir }
}

/// The state read with `ip -j`, without what differs between two runs by nature.
fn normalize(file: &str, text: &str, script_text: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return format!("(not JSON) {text}");
    };
    let items = value.as_array().cloned().unwrap_or_default();
    let kept: Vec<Value> = if file.ends_with(".links") {
        items.iter().map(|l| link(l, script_text)).collect()
    } else if file.ends_with(".addrs") {
        items.iter().map(addresses).collect()
    } else if file.ends_with(".routes6") || file.ends_with(".routes4") {
        items.into_iter().filter(route_kept).collect()
    } else if file.contains(".filters-") {
        items.into_iter().map(without_prog_id).collect()
    } else if file.ends_with(".fdb") {
        let written = script_text.to_ascii_lowercase();
        items
            .into_iter()
            .filter(|e| e["mac"].as_str().is_some_and(|m| written.contains(m)))
            .collect()
    } else {
        items
    };
    let mut lines: Vec<String> = kept.iter().map(|v| v.to_string()).collect();
    // Neighbours and fdb entries come in the order of the kernel's hash
    // tables, whose seed is per namespace: two runs list them in any order.
    if file.ends_with(".neigh") || file.ends_with(".fdb") {
        lines.sort();
    }
    lines.join("\n")
}

/// A `tc -j filter show` record without its program's id.
fn without_prog_id(mut f: Value) -> Value {
    if let Some(prog) = f
        .get_mut("options")
        .and_then(|o| o.get_mut("prog"))
        .and_then(Value::as_object_mut)
    {
        prog.remove("id");
    }
    f
}

fn pick(from: &Value, keys: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for k in keys {
        if let Some(v) = from.get(*k) {
            m.insert(k.to_string(), v.clone());
        }
    }
    m
}

fn link(l: &Value, script_text: &str) -> Value {
    let mut m = pick(
        l,
        &[
            "ifname",
            "mtu",
            "master",
            "link",
            "group",
            "txqlen",
            "ifalias",
            "altnames",
            "link_type",
            "promiscuity",
            "allmulti",
        ],
    );
    if let Some(flags) = l.get("flags").and_then(Value::as_array) {
        let stable: Vec<Value> = flags
            .iter()
            .filter(|f| !matches!(f.as_str(), Some("LOWER_UP" | "NO-CARRIER" | "M-DOWN")))
            .cloned()
            .collect();
        m.insert("flags".into(), Value::Array(stable));
    }
    if let Some(info) = l.get("linkinfo") {
        m.insert(
            "linkinfo".into(),
            Value::Object(pick(info, &["info_kind", "info_slave_kind"])),
        );
    }
    if let Some(mac) = l.get("address").and_then(Value::as_str) {
        let written = script_text.to_ascii_lowercase().contains(mac);
        let shown = if written {
            mac
        } else {
            "(chosen by the kernel)"
        };
        m.insert("address".into(), Value::String(shown.into()));
    }
    Value::Object(m)
}

fn addresses(l: &Value) -> Value {
    let mut m = pick(l, &["ifname"]);
    let infos: Vec<Value> = l
        .get("addr_info")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|i| !(i["family"] == "inet6" && i["scope"] == "link"))
                .map(|i| {
                    let mut a = pick(
                        i,
                        &[
                            "family",
                            "local",
                            "address",
                            "prefixlen",
                            "broadcast",
                            "scope",
                            "label",
                            "dynamic",
                            "noprefixroute",
                            "secondary",
                        ],
                    );
                    let finite = i["valid_life_time"].as_u64() != Some(u32::MAX as u64);
                    a.insert("finite_lifetime".into(), Value::Bool(finite));
                    Value::Object(a)
                })
                .collect()
        })
        .unwrap_or_default();
    m.insert("addr_info".into(), Value::Array(infos));
    Value::Object(m)
}

/// `ip ... | head -1`: ip writes line by line, so it often outlives its
/// reader and dies of `SIGPIPE` (141); rawnet writes its output at once
/// and usually ends first (0). Both ended as they should; which one the
/// step shows depends on timing.
fn closed_pipe_is_success(steps: &str) -> String {
    steps
        .lines()
        .map(|l| {
            l.strip_prefix("141\t")
                .map_or(l.to_string(), |rest| format!("0\t{rest}"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn route_kept(r: &Value) -> bool {
    let dst = r["dst"].as_str().unwrap_or("");
    !(dst.starts_with("fe80") || dst.starts_with("ff00"))
}

/// Run `script` with ip and with rawnet; every difference, or nothing.
fn differences(script: &str) -> Vec<String> {
    let script_text = std::fs::read_to_string(scripts_dir().join(script)).expect("read script");
    let ip = run_script(script, "iproute2", "ip");
    let rawnet = run_script(script, env!("CARGO_BIN_EXE_rawnet"), "rawnet");
    let mut diffs = Vec::new();
    for file in ["status", "steps", "stdout"] {
        let (a, b) = (ip.file(file), rawnet.file(file));
        let (a, b) = if file == "steps" {
            (closed_pipe_is_success(&a), closed_pipe_is_success(&b))
        } else {
            (a, b)
        };
        if a != b {
            diffs.push(format!("{file} differs:\n--- ip\n{a}\n--- rawnet\n{b}"));
        }
    }
    let (ip_state, rawnet_state) = (ip.state_files(), rawnet.state_files());
    if ip_state != rawnet_state {
        diffs.push(format!(
            "namespaces differ: ip left {ip_state:?}, rawnet {rawnet_state:?}"
        ));
    }
    for file in &ip_state {
        let a = normalize(file, &ip.file(&format!("state/{file}")), &script_text);
        let b = normalize(file, &rawnet.file(&format!("state/{file}")), &script_text);
        if a != b {
            diffs.push(format!(
                "state {file} differs:\n--- ip\n{a}\n--- rawnet\n{b}"
            ));
        }
    }
    if diffs.is_empty() {
        let _ = std::fs::remove_dir_all(&ip.dir);
        let _ = std::fs::remove_dir_all(&rawnet.dir);
    } else {
        diffs.push(format!(
            "(runs kept in {} and {}; stderr there)",
            ip.dir.display(),
            rawnet.dir.display()
        ));
    }
    diffs
}

fn check(script: &str) {
    let diffs = differences(script);
    assert!(
        diffs.is_empty(),
        "{script} with rawnet as ip:\n{}",
        diffs.join("\n\n")
    );
}

#[test]
fn docker_bridge() {
    check("docker_bridge.sh");
}

#[test]
fn attach_container() {
    check("attach_container.sh");
}

#[test]
fn node_routes() {
    check("node_routes.sh");
}

#[test]
fn policy_multipath() {
    check("policy_multipath.sh");
}

#[test]
fn flannel_vxlan() {
    check("flannel_vxlan.sh");
}

#[test]
fn cni_tc_bpf() {
    check("cni_tc_bpf.sh");
}

/// The harness itself: a script run twice with `ip` matches itself, and a
/// tool that behaves differently (here `false` under the name `ip`) is caught.
#[test]
fn the_comparison_catches_a_difference() {
    let script = "docker_bridge.sh";
    let text = std::fs::read_to_string(scripts_dir().join(script)).expect("read script");
    let a = run_script(script, "iproute2", "self-a");
    let b = run_script(script, "false", "self-b");
    assert_eq!(a.file("status").trim(), "0", "{}", a.file("stderr"));
    assert_ne!(a.file("steps"), b.file("steps"));
    let links = |r: &Run| normalize("sandbox.links", &r.file("state/sandbox.links"), &text);
    assert_ne!(links(&a), links(&b));
    let _ = std::fs::remove_dir_all(&a.dir);
    let _ = std::fs::remove_dir_all(&b.dir);
}
