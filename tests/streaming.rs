//! Show commands on large tables: the output equals iproute2's (text, JSON,
//! pretty JSON) for hundreds of links and thousands of routes, memory stays
//! the same whatever the size of the table, the dumps merged by `addr show`
//! arrive in index order on this kernel, and a reader that goes away (a
//! closed pipe) or a full disk ends the command the way it ends `ip`.
//!
//! Each test builds its tables with `ip -batch` in a namespace of its own.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{assert_same_output, TestNs};

/// Feed `lines` to `ip -n NS -batch -`.
fn ip_batch(ns: &TestNs, lines: &str) {
    let mut child = Command::new("ip")
        .args(["-n", &ns.name, "-batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ip -batch");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(lines.as_bytes())
        .expect("write the batch");
    let out = child.wait_with_output().expect("ip -batch ends");
    assert!(
        out.status.success(),
        "ip -batch: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `count` host routes `10.a.b.c/32 dev veth0`.
fn host_routes(count: u32) -> String {
    (0..count)
        .map(|i| {
            format!(
                "route add 10.{}.{}.{}/32 dev veth0\n",
                (i >> 16) & 255,
                (i >> 8) & 255,
                i & 255
            )
        })
        .collect()
}

/// 150 veth pairs (300 links, past one hash table's 256 buckets), each `a`
/// end up with an IPv4 and an IPv6 address, the `b` ends of the first ten in
/// a bridge, routes of both families, permanent neighbours and fdb entries.
fn large_namespace() -> TestNs {
    let ns = TestNs::with_idle_veth("big");
    let mut batch = String::new();
    for i in 0..150 {
        batch += &format!("link add a{i} type veth peer name b{i}\n");
    }
    batch += "link add br0 type bridge\n";
    for i in 0..150 {
        batch += &format!("link set a{i} up\n");
        batch += &format!("address add 10.100.{i}.1/24 dev a{i}\n");
        batch += &format!("address add fd00:{i:x}::1/64 dev a{i} nodad\n");
    }
    for i in 0..10 {
        batch += &format!("link set b{i} master br0\n");
        batch += &format!(
            "neighbour add 10.100.{i}.9 lladdr 02:00:00:00:00:{i:02x} dev a{i} nud permanent\n"
        );
    }
    for i in 0..2000 {
        batch += &format!(
            "route add 172.16.{}.{}/32 via 10.100.{}.2 metric {}\n",
            i >> 8,
            i & 255,
            i % 150,
            i % 7
        );
    }
    for i in 0..300 {
        batch += &format!("route add fd10:{i:x}::/64 dev a{} metric 9\n", i % 150);
    }
    ip_batch(&ns, &batch);
    for i in 0..10 {
        let port = format!("b{i}");
        let mac = format!("02:11:00:00:00:{i:02x}");
        ns.iproute2_ok(
            "bridge",
            &["fdb", "add", &mac, "dev", &port, "master", "static"],
        );
    }
    ns
}

#[test]
fn large_tables_print_as_iproute2_prints_them() {
    let ns = large_namespace();
    for args in [
        &["link", "show"][..],
        &["-d", "link", "show"],
        &["link", "show", "master", "br0"],
        &["address", "show"],
        &["-4", "address", "show"],
        &["-6", "address", "show"],
        &["-d", "address", "show"],
        &["route", "show"],
        &["-6", "route", "show"],
        &["route", "show", "table", "all"],
        &["route", "show", "dev", "a3"],
        &["neighbour", "show"],
    ] {
        let json = assert_same_output(&ns, "ip", args);
        assert!(json.as_array().is_some_and(|a| !a.is_empty()), "{args:?}");
    }
    assert_same_output(&ns, "bridge", &["fdb", "show"]);
    let routes = ns.rawnet_ok(&["route", "show"]);
    assert_eq!(routes.lines().filter(|l| l.contains(" via ")).count(), 2000);
}

#[test]
fn the_merged_dumps_arrive_in_index_order() {
    // `addr show` merges the link dump with the IPv4 and IPv6 address dumps by
    // interface index; it is exact when each arrives in index order (it falls
    // back to one request per link otherwise). Check that this kernel does.
    let ns = large_namespace();
    let indexes = |args: &[&str], key: &str| -> Vec<u64> {
        let v = ns.ip_json(args);
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|o| o[key].as_u64())
            .collect()
    };
    let links = indexes(&["link", "show"], "ifindex");
    assert!(links.len() > 256);
    assert!(
        links.windows(2).all(|w| w[0] < w[1]),
        "links in index order"
    );
    // The address dumps themselves, as the kernel sends them.
    let handle = rawnet::ns::NetNs::open_named(&ns.name).expect("open the namespace");
    let mut conn = rawnet::ns::route_connection_in(&handle).expect("connection");
    for family in [libc::AF_INET as u8, libc::AF_INET6 as u8] {
        let request = rawnet::route::addr::dump_addresses_request(family, 0).expect("request");
        let mut order = Vec::new();
        let status = conn
            .dump(request, |msg| {
                if msg.message_type() == rawnet::route::RTM_NEWADDR {
                    order.push(rawnet::route::addr::Address::parse(&msg)?.index);
                }
                Ok::<(), rawnet::Error>(())
            })
            .expect("address dump");
        assert_eq!(status, rawnet::netlink::DumpStatus::Complete);
        assert!(order.len() >= 150, "family {family}: {}", order.len());
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "family {family}: addresses in index order"
        );
    }
}

/// Run `sh -c SCRIPT` inside the namespace (rawnet without `-n`, so no thread
/// is started for the namespace), returning status and stderr.
fn in_namespace(ns: &TestNs, script: &str) -> (std::process::ExitStatus, String) {
    let out = Command::new("ip")
        .args(["netns", "exec", &ns.name, "sh", "-c", script])
        .env("RAWNET", env!("CARGO_BIN_EXE_rawnet"))
        .output()
        .expect("run sh in the namespace");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn memory_does_not_grow_with_the_table() {
    // 60,000 routes: collected, they would take about 50 MB (0.8 KB each);
    // streamed, the whole process needs a few. A data limit of 16 MB (heap and
    // other private writable memory) lets only the streaming one finish.
    let ns = TestNs::with_idle_veth("mem");
    ip_batch(&ns, &host_routes(60_000));
    for args in ["route show", "-j route show", "-j -p route show"] {
        let (status, stderr) = in_namespace(
            &ns,
            &format!("ulimit -d 16384 && \"$RAWNET\" {args} | wc -l > /dev/null"),
        );
        assert!(status.success(), "rawnet {args} under 16 MB: {stderr}");
        assert!(stderr.is_empty(), "rawnet {args}: {stderr}");
    }
    let (status, stderr) = in_namespace(
        &ns,
        "ulimit -d 16384 && \"$RAWNET\" route show | tail -1 | grep -q 10.0.234.95",
    );
    assert!(status.success(), "the last route is printed: {stderr}");
}

#[test]
fn a_closed_pipe_ends_the_command_quietly_as_it_ends_ip() {
    // Enough output to fill the pipe, so the writer meets the closed end.
    let ns = TestNs::with_idle_veth("pipe");
    ip_batch(&ns, &host_routes(5000));
    for args in ["route show", "-j route show", "address show", "link show"] {
        let script = format!(
            "\"$RAWNET\" {args} 2>/tmp/rawnet-pipe-$$ | head -c 1 >/dev/null; \
             s=$?; e=$(cat /tmp/rawnet-pipe-$$); rm -f /tmp/rawnet-pipe-$$; \
             echo \"$e\" >&2; exit $s"
        );
        // `head -c 1` then exits; rawnet's writes then fail with EPIPE.
        let (status, stderr) = in_namespace(&ns, &format!("set -e; {script}"));
        assert!(status.success(), "{args}: {status:?}");
        assert_eq!(stderr.trim(), "", "{args}: nothing said on stderr");
    }
    // The process ends as ip does on SIGPIPE (status 141 in a shell).
    let out = Command::new("bash")
        .args([
            "-c",
            "ip netns exec \"$NS\" \"$RAWNET\" route show | head -c 1 >/dev/null; \
             echo ${PIPESTATUS[0]}",
        ])
        .env("NS", &ns.name)
        .env("RAWNET", env!("CARGO_BIN_EXE_rawnet"))
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.trim(), "141", "killed by SIGPIPE, as ip is");
}

#[test]
fn a_full_disk_is_one_line_and_exit_1() {
    let ns = TestNs::with_idle_veth("full");
    for args in ["link show", "-j route show", "address show"] {
        let (status, stderr) = in_namespace(&ns, &format!("\"$RAWNET\" {args} >/dev/full"));
        assert_eq!(status.code(), Some(1), "{args}: {stderr}");
        assert_eq!(stderr, "write error: No space left on device\n", "{args}");
    }
}

#[test]
fn the_librarys_streaming_dumps_see_what_the_collecting_ones_see() {
    use rawnet::route::{addr, link, neigh, route};
    let ns = large_namespace();
    let handle = rawnet::ns::NetNs::open_named(&ns.name).expect("open the namespace");
    let mut conn = rawnet::ns::route_connection_in(&handle).expect("connection");
    let v4 = Some(libc::AF_INET as u8);

    let mut links = Vec::new();
    let status = link::for_each_link(&mut conn, link::dump_links_request().unwrap(), |l| {
        links.push((l.index, l.name_or_empty().to_vec()));
        Ok::<(), rawnet::Error>(())
    })
    .unwrap();
    assert_eq!(status, rawnet::netlink::DumpStatus::Complete);
    let collected: Vec<_> = link::dump_links(&mut conn)
        .unwrap()
        .into_iter()
        .map(|l| (l.index, l.name.unwrap_or_default()))
        .collect();
    assert_eq!(links, collected);
    assert!(links.len() > 300);

    let mut addresses = 0;
    let complete = rawnet::netlink::DumpStatus::Complete;
    let status = addr::for_each_address(&mut conn, v4, None, |a| {
        assert_eq!(a.family, libc::AF_INET as u8);
        addresses += 1;
        Ok::<(), rawnet::Error>(())
    })
    .unwrap();
    assert_eq!(status, complete);
    assert_eq!(
        addresses,
        addr::dump_addresses(&mut conn, v4, None).unwrap().len()
    );

    let mut routes = Vec::new();
    let status = route::for_each_route(&mut conn, libc::AF_INET as u8, Some(254), |r| {
        routes.push(r.to_owned());
        Ok::<(), rawnet::Error>(())
    })
    .unwrap();
    assert_eq!(status, complete);
    assert_eq!(
        routes,
        route::dump_routes(&mut conn, libc::AF_INET as u8, Some(254)).unwrap()
    );

    let request = neigh::dump_neighbours_request(libc::AF_INET as u8, 0, 0, false).unwrap();
    let mut permanent = 0;
    let status = neigh::for_each_neighbour(&mut conn, request, |n| {
        permanent += usize::from(n.state & neigh::NUD_PERMANENT != 0);
        Ok::<(), rawnet::Error>(())
    })
    .unwrap();
    assert_eq!(status, complete);
    assert_eq!(permanent, 10);

    // A callback's error ends the dump and comes back as it was.
    let stop = link::for_each_link(&mut conn, link::dump_links_request().unwrap(), |_| {
        Err(rawnet::Error::Unexpected("enough".into()))
    });
    assert!(matches!(stop, Err(rawnet::Error::Unexpected(m)) if m == "enough"));
    // The connection goes on.
    assert!(link::link_index(&mut conn, "br0").is_ok());
}

#[test]
fn route_flush_deletes_as_it_dumps_in_bounded_memory() {
    let ns = TestNs::with_idle_veth("fl");
    ns.ip_ok(&common::argv("link add veth2 type veth peer name veth3"));
    ns.ip_ok(&common::argv("link set veth2 up"));
    let mut batch = host_routes(40_000);
    for i in 0..100 {
        batch += &format!("route add 172.20.{i}.0/24 dev veth2\n");
        batch += &format!("route add 172.21.{i}.0/24 dev veth2 table 100\n");
    }
    ip_batch(&ns, &batch);
    // 40,000 routes, deleted as they are dumped: nothing of the table is kept.
    let (status, stderr) =
        in_namespace(&ns, "ulimit -d 16384 && \"$RAWNET\" route flush dev veth0");
    assert!(status.success(), "route flush dev veth0: {stderr}");
    let left = ns.ip_ok(&["route", "show"]);
    assert!(
        !left.contains("dev veth0"),
        "{}",
        &left[..left.len().min(300)]
    );
    assert_eq!(left.lines().count(), 100, "the other device's routes stay");
    ns.rawnet_ok(&["route", "flush", "table", "100"]);
    assert_eq!(ns.ip_ok(&["route", "show", "table", "100"]), "");
    assert_eq!(ns.ip_ok(&["route", "show"]).lines().count(), 100);
}
