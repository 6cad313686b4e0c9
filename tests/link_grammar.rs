//! `link add` / `link set` / `link property` with iproute2's full grammar, in
//! namespaces of their own: the same words given to `ip` in one namespace and
//! to `rawnet` in its twin (same setup) leave the same state, as `ip -d -j
//! link show` prints it; bad input fails with iproute2's status and line,
//! and leaves nothing half-made.

mod common;

use common::{argv, TestNs};
use serde_json::Value;

/// Two namespaces with the same setup.
fn twins(tag: &str, setup: &[&str]) -> (TestNs, TestNs) {
    let a = TestNs::new(tag);
    let b = TestNs::new(tag);
    for cmd in setup {
        a.ip_ok(&argv(cmd));
        b.ip_ok(&argv(cmd));
    }
    (a, b)
}

/// Keys whose values differ between twins by nature (random MACs, timers,
/// and the operational state, which the kernel settles later, by itself).
fn volatile(key: &str) -> bool {
    key.ends_with("_timer")
        || key == "operstate"
        || key.ends_with("_id")
        || matches!(
            key,
            "address" | "perm_address" | "designated_root" | "designated_bridge" | "id" | "no"
        )
}

/// The MACs the commands here set: kept when compared (others are random).
const SET_BY_TESTS: [&str; 4] = [
    "02:00:00:00:00:0a",
    "02:00:00:00:00:0b",
    "02:42:ac:11:00:03",
    "02:42:ac:11:1f:01",
];

fn scrub(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|k, v| {
                !volatile(k)
                    || (k == "address" && v.as_str().is_some_and(|a| SET_BY_TESTS.contains(&a)))
            });
            o.values_mut().for_each(scrub);
        }
        Value::Array(a) => {
            a.retain(|v| v.as_str() != Some("NO-CARRIER"));
            a.iter_mut().for_each(scrub)
        }
        _ => {}
    }
}

/// Every link of `ns` as `ip -d -j link show` prints them, without what
/// differs by nature (random MACs, timers, bridge ids).
fn state(ns: &TestNs) -> Value {
    let mut v = ns.ip_json(&["-d", "link", "show"]);
    scrub(&mut v);
    v
}

/// `ip CMD` in `a`, `rawnet CMD` in `b`: the same status, the same state.
fn same(a: &TestNs, b: &TestNs, cmd: &str) {
    let words = argv(cmd);
    let theirs = a.iproute2("ip", &words);
    let ours = b.rawnet(&words);
    assert_eq!(
        ours.status.code(),
        theirs.status.code(),
        "{cmd}\nip: {}\nrawnet: {}",
        String::from_utf8_lossy(&theirs.stderr),
        String::from_utf8_lossy(&ours.stderr)
    );
    assert_eq!(state(b), state(a), "after {cmd}");
}

#[test]
fn add_takes_the_common_attributes() {
    let (a, b) = twins(
        "lgadd",
        &[
            "link add veth0 type veth peer name veth1",
            "link add br0 type bridge",
        ],
    );
    for cmd in [
        "link add name A mtu 1400 type veth peer name B mtu 1300",
        "link add vA up mtu 1400 address 02:00:00:00:00:0a broadcast ff:ff:ff:ff:ff:fe \
         txqueuelen 500 alias hello group 3 numtxqueues 4 numrxqueues 2 promisc on arp off \
         type veth peer name vB mtu 1300 address 02:00:00:00:00:0b txqlen 600 \
         allmulticast on multicast off alias there group 7",
        "link add vC master br0 type veth peer vD qlen 10 numrxq 3",
        "link add link veth0 dev X mtu 1500 type macvlan mode bridge",
        "link add vx0 type vxlan external dstport 4789",
        "link add vx1 type vxlan id 7 ageing 300 maxaddress 10 proxy rsc l2miss l3miss \
         udpcsum udp6zerocsumtx udp6zerocsumrx dstport 4789",
        "link add vx2 type vxlan external vnifilter dstport 4790",
        "link add vx3 type vxlan id 9 external dstport 4789",
        "link add vG up type veth peer name vH up",
    ] {
        same(&a, &b, cmd);
    }
}

#[test]
fn add_makes_the_peer_in_its_namespace() {
    let (a, b) = twins("lgpeer", &[]);
    let (pa, pb) = (TestNs::new("lgpeer2"), TestNs::new("lgpeer2"));
    let cmd = "link add vA mtu 1400 type veth peer name vB mtu 1300 txqlen 600 \
               address 02:00:00:00:00:0b netns";
    a.ip_ok(&argv(&format!("{cmd} {}", pa.name)));
    b.rawnet_ok(&argv(&format!("{cmd} {}", pb.name)));
    assert_eq!(state(&b), state(&a));
    assert_eq!(state(&pb), state(&pa));
}

#[test]
fn set_takes_flags_queues_alias_group_and_kind_changes() {
    let (a, b) = twins(
        "lgset",
        &[
            "link add veth0 type veth peer name veth1",
            "link add br0 type bridge",
            "link add vx1 type vxlan id 7 dstport 4789",
        ],
    );
    for cmd in [
        "link set veth0 promisc on arp off multicast off allmulticast on",
        "link set dev veth0 mtu 1450 address 02:42:ac:11:000:03 broadcast ff:ff:ff:ff:ff:fe \
         txqueuelen 2000 alias hello group 5",
        "link set veth0 arp on promisc off qlen 10",
        "link set br0 type bridge stp_state 1 forward_delay 400",
        "link set veth1 master br0",
        "link set veth1 type bridge_slave priority 10 cost 5 hairpin on guard on learning off \
         flood off mcast_flood off neigh_suppress on isolated on",
        "link set veth1 type bridge_slave state 3",
        "link set vx1 type vxlan ageing 200 nolearning",
        "link set vx1 type vxlan id 8",
        "link property add dev veth0 altname averyveryverylongaltname",
        "link set dev averyveryverylongaltname mtu 1300",
        "link property add dev averyveryverylongaltname altname short0",
        "link set short0 down alias other",
        "link property del dev veth0 altname short0",
        "link set veth0 address 02:42:ac:11:0x1f:1g",
    ] {
        same(&a, &b, cmd);
    }
}

/// rawnet fails as ip does (status and first line), and the namespace is
/// as it was.
fn fails_alike(ns: &TestNs, cmd: &str) {
    let words = argv(cmd);
    let before = state(ns);
    let theirs = ns.iproute2("ip", &words);
    assert!(!theirs.status.success(), "ip {cmd} succeeded");
    assert_eq!(state(ns), before, "ip {cmd} changed something");
    let ours = ns.rawnet(&words);
    assert_eq!(ours.status.code(), theirs.status.code(), "rawnet {cmd}");
    let first = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .next()
            .unwrap_or("")
            .replace("\"ip ", "\"rawnet ")
    };
    assert_eq!(first(&ours), first(&theirs), "rawnet {cmd}");
    assert_eq!(state(ns), before, "rawnet {cmd} changed something");
}

#[test]
fn bad_input_fails_as_iproute2_and_changes_nothing() {
    let ns = TestNs::with_idle_veth("lgbad");
    ns.ip_ok(&argv("link add br0 type bridge"));
    ns.ip_ok(&argv("link set veth1 master br0"));
    for cmd in [
        "link set veth0 address 02:aa:bb:cc:dd:ee:ff",
        "link set veth0 address 02:aa:bb:cc:dd",
        "link set veth0 address zz",
        "link set veth0 address 02::01",
        "link add C address 02:aa:bb:cc:dd type veth",
        "link add vx9 type vxlan dstport 4789",
        "link add vx9 type vxlan id 5 external",
        "link add vx9 type vxlan vnifilter dstport 0",
        "link set veth0 promisc foo",
        "link set veth0 txqlen 1 txqlen 2",
        "link add vq type veth peer name vr promisc x",
        "link add vq mtu x type veth peer name vr",
        "link add vq type veth peer name vr mtu 1 mtu 2",
        "link add vq type veth peer name vr type veth",
        "link add name a dev b type veth",
        "link set veth1 type bridge_slave learning x",
        "link set veth1 type bridge_slave state 3",
        "link set nosuch mtu 1400",
        "link set nosuch address 02:aa:bb:cc:dd",
        "link set veth0 group x",
        "link property add dev veth0 altname a/b",
        "link property frob dev veth0",
        "link add vG up type veth peer name vH up",
    ] {
        fails_alike(&ns, cmd);
    }
}

/// What scripts write and rawnet once refused or read otherwise: `link add`
/// without a name (the kernel picks `veth0`, `bridge0`), words after `type
/// veth` that are not `peer`, the bridge's STP, multicast and netfilter
/// settings, and `mtu`/`txqlen` as `get_integer` reads them (`-1` is sent
/// as it is and refused by the kernel).
#[test]
fn words_scripts_use() {
    let (a, b) = twins("lgscr", &["link add veth0 type veth peer name veth1"]);
    for cmd in [
        "link add type veth",
        "link add type veth peer name pp",
        "link add type bridge",
        "link add type veth name a peer name b",
        "link add x8 type veth mtu 1400",
        "link add br7 type bridge stp_state 1 forward_delay 300 hello_time 100 max_age 1000 \
         ageing_time 600 priority 100 group_fwd_mask 0x4000",
        "link add br6 type bridge mcast_snooping 0 mcast_querier 1 nf_call_iptables 1 \
         nf_call_ip6tables 1 nf_call_arptables 1 mcast_stats_enabled 1 mcast_igmp_version 3 \
         mcast_mld_version 2 mcast_router 2 vlan_default_pvid 5 vlan_stats_enabled 1 \
         mcast_query_use_ifaddr 1",
        "link set br6 type bridge hello_time 150 max 900 prio 7 mcast_snooping 1",
        "link set br6 type bridge priority 70000",
        "link set br6 type bridge mcast_igmp_version 300",
        "link set br6 type bridge hello_time x",
        "link set veth0 mtu -1",
        "link set veth0 mtu 010",
        "link set veth0 txqlen -5",
        "link add q1 numtxqueues 0x4 type veth",
    ] {
        same(&a, &b, cmd);
    }
    for cmd in [
        "link add vx type vxlan id 1 dstport 4789 local fe80::1 remote 10.0.0.1",
        "link add vx type vxlan id 1 dstport 4789 remote 10.0.0.1 local fe80::1",
        "link set br6 type bridge nosuch 1",
        "link set veth0 mtu 1e3",
    ] {
        fails_alike(&a, cmd);
    }
}
