#!/usr/bin/env python3
"""Side by side with iproute2 and iputils, in one run: the performance goals.

Every measurement alternates rawnet and the other tool, takes the median of
each, and reports the ratio (rawnet's time over the other's; below 1 is
faster). Memory is the peak resident size of one more run of each (GNU
time's %M; Debian package `time`).
Everything runs in network namespaces this script creates with unique names
and removes at the end, also when it fails or is interrupted. Run as root:

    cargo build --release
    python3 benches/compare.py                    # all goals, prints a table
    python3 benches/compare.py --quick            # fewer runs, smaller tables
    python3 benches/compare.py --static PATH      # the static binary for the start-up goals
    python3 benches/compare.py --only route_show,batch_routes

Output goes to /dev/null for both tools (`ip` writes a line per write(2) to a
pipe, so a pipe would measure that; MACHINE-NOTES). Standard library only.
"""

import argparse
import atexit
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CREATED = []


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, **kw)


def netns_add(tag):
    name = f"cmp{tag}{os.getpid() % 100000}"
    sh("ip", "netns", "add", name)
    CREATED.append(name)
    return name


def netns_del(name):
    subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
    if name in CREATED:
        CREATED.remove(name)


def cleanup(*_):
    for name in list(CREATED):
        netns_del(name)


atexit.register(cleanup)
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, lambda s, f: sys.exit(128 + s))


def peak_rss_kib(argv, stdin=None):
    """Peak resident size of one run, from GNU time (`/usr/bin/time -f %M`):
    a child's peak counts the memory it had before exec, so it must not be a
    copy of this Python process. None without GNU time (Debian: time)."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with open(stdin or os.devnull, "rb") as inp:
        r = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdin=inp,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return int(r.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def run_once(argv, stdin=None):
    """Wall seconds of one run, output to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    stdin_fd = os.open(stdin, os.O_RDONLY) if stdin else os.open(os.devnull, os.O_RDONLY)
    actions = [(os.POSIX_SPAWN_DUP2, stdin_fd, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
               (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    wall = time.perf_counter() - start
    os.close(devnull)
    os.close(stdin_fd)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {os.waitstatus_to_exitcode(status)}")
    return wall


def alternate(ours, theirs, runs, before=None, stdin=None):
    """Alternate the two commands `runs` times each (after one warm-up of
    each); `before` runs ahead of every run (to reset state) and is not timed."""
    t_ours, t_theirs = [], []
    for i in range(runs + 1):
        for cmd, times in ((ours, t_ours), (theirs, t_theirs)):
            if before:
                before()
            wall = run_once(cmd, stdin)
            if i > 0:
                times.append(wall)
    rss = {}
    for key, cmd in (("rawnet_rss_kib", ours), ("other_rss_kib", theirs)):
        if before:
            before()
        rss[key] = peak_rss_kib(cmd, stdin)
    return {
        "rawnet_s": statistics.median(t_ours),
        "other_s": statistics.median(t_theirs),
        "ratio": statistics.median(t_ours) / statistics.median(t_theirs),
        **rss,
    }


def batch_file(lines):
    f = tempfile.NamedTemporaryFile("w", delete=False, prefix="rawnet-cmp-", suffix=".batch")
    f.write("".join(lines))
    f.close()
    atexit.register(lambda: os.path.exists(f.name) and os.unlink(f.name))
    return f.name


def host_routes(n, dev="v0"):
    return [f"route add 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}/32 dev {dev}\n" for i in range(n)]


def ns_with_veth(tag):
    ns = netns_add(tag)
    sh("ip", "-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
    sh("ip", "-n", ns, "link", "set", "v0", "up")
    sh("ip", "-n", ns, "link", "set", "v1", "up")
    return ns


def goal_route_show(a, results):
    for count in ([100_000] if a.quick else [100_000, 1_000_000]):
        ns = ns_with_veth("rs")
        sh("ip", "-n", ns, "-batch", batch_file(host_routes(count)))
        runs = 3 if count > 100_000 or a.quick else a.runs
        for label, extra in (("text", []), ("json", ["-j"])):
            r = alternate([a.rawnet, "-n", ns, *extra, "route", "show"],
                          ["ip", "-n", ns, *extra, "route", "show"], runs)
            results[f"route_show_{label}_{count}"] = r
        # The floor: a dump of as many routes received and walked, headers
        # only, in-process (rawnet bench), against the whole `route show`.
        bench = subprocess.run([a.rawnet, "-j", "bench", "route", "--count", str(count)],
                               capture_output=True, text=True)
        if bench.returncode == 0:
            rows = {r["operation"]: r for r in json.loads(bench.stdout)}
            walk = rows["route_walk"]["wall_s"]
            show = results[f"route_show_text_{count}"]["rawnet_s"]
            results[f"route_show_over_walk_{count}"] = {
                "walk_s": walk, "show_s": show, "times_the_walk": show / walk}
        netns_del(ns)


def goal_links(a, results):
    ns = netns_add("lk")
    n = 500 if a.quick else 1000
    lines = [f"link add a{i} type veth peer name b{i}\n" for i in range(n)]
    for i in range(n):
        lines += [f"link set a{i} up\n", f"address add 10.{i >> 8}.{i & 255}.1/24 dev a{i}\n",
                  f"address add fd00:{i:x}::1/64 dev a{i} nodad\n"]
    sh("ip", "-n", ns, "-batch", batch_file(lines))
    for what in (["link", "show"], ["address", "show"], ["-j", "link", "show"], ["-j", "address", "show"]):
        r = alternate([a.rawnet, "-n", ns, *what], ["ip", "-n", ns, *what], a.runs)
        results[f"{'_'.join(w.strip('-') for w in what)}_{2 * n}_links"] = r
    netns_del(ns)


def goal_batch_routes(a, results):
    count = 20_000 if a.quick else 100_000
    path = batch_file(host_routes(count))
    state = {}

    def fresh():
        if "ns" in state:
            netns_del(state["ns"])
            # The kernel frees the old namespace's routes in the background;
            # let it finish before the next run is timed.
            time.sleep(2)
        state["ns"] = ns_with_veth("br")
        cmd_ours[2] = cmd_theirs[2] = state["ns"]

    cmd_ours = [a.rawnet, "-n", "", "-batch", path]
    cmd_theirs = ["ip", "-n", "", "-batch", path]
    r = alternate(cmd_ours, cmd_theirs, max(3, a.runs // 2), before=fresh)
    r["routes_per_s_rawnet"] = count / r["rawnet_s"]
    r["routes_per_s_ip"] = count / r["other_s"]
    r["speedup"] = 1 / r["ratio"]
    results[f"batch_route_add_{count}"] = r
    netns_del(state["ns"])


def goal_batch_veth(a, results):
    count = 1000
    path = batch_file([f"link add a{i} type veth peer name b{i}\n" for i in range(count)])
    state = {}

    def fresh():
        if "ns" in state:
            netns_del(state["ns"])  # the fast way: the namespace takes them all
            # The kernel tears the old namespace's 2,000 links down in the
            # background; let it finish before the next run is timed.
            time.sleep(3)
        state["ns"] = netns_add("bv")
        cmd_ours[2] = cmd_theirs[2] = state["ns"]

    cmd_ours = [a.rawnet, "-n", "", "-batch", path]
    cmd_theirs = ["ip", "-n", "", "-batch", path]
    r = alternate(cmd_ours, cmd_theirs, max(3, a.runs // 2), before=fresh)
    r["speedup"] = 1 / r["ratio"]
    results[f"batch_veth_add_{count}"] = r
    netns_del(state["ns"])


def goal_startup(a, results):
    """A short command as a whole process. With hyperfine and jq installed,
    benches/compare/startup.sh measures it (rounds of hyperfine runs, no
    Python between the runs); otherwise the runs are timed from here, which
    adds this script's own spawn cost to both sides."""
    binary = a.static or a.rawnet
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compare", "startup.sh")
    if shutil_which("hyperfine") and shutil_which("jq"):
        out = subprocess.run([script, binary], capture_output=True, text=True,
                             env={**os.environ, "ROUNDS": str(max(4, a.runs)), "RUNS": "40"})
        for line in out.stdout.splitlines():
            parts = line.rsplit(None, 3)
            if len(parts) == 4 and parts[0] in ("link show", "-n NS link show"):
                key = "short_link_show" if parts[0] == "link show" else "short_netns_link_show"
                results[key] = {"rawnet_s": float(parts[2]) / 1e6, "other_s": float(parts[1]) / 1e6,
                                "ratio": float(parts[3]), "rawnet_rss_kib": None}
        if "short_link_show" in results:
            results["short_binary"] = binary
            return
    runs = a.runs * 20
    results["short_link_show"] = alternate([binary, "link", "show"], ["ip", "link", "show"], runs)
    ns = ns_with_veth("st")
    results["short_netns_link_show"] = alternate([binary, "-n", ns, "link", "show"],
                                                 ["ip", "-n", ns, "link", "show"], runs)
    results["short_binary"] = binary
    netns_del(ns)


def goal_ping(a, results):
    if not shutil_which("ping"):
        results["ping_flood"] = "skipped: iputils ping not installed"
        return
    ns0, ns1 = netns_add("p0"), netns_add("p1")
    sh("ip", "-n", ns0, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", ns1)
    sh("ip", "-n", ns0, "addr", "add", "10.9.0.1/24", "dev", "v0")
    sh("ip", "-n", ns1, "addr", "add", "10.9.0.2/24", "dev", "v1")
    for ns, dev in ((ns0, "v0"), (ns1, "v1")):
        sh("ip", "-n", ns, "link", "set", dev, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    count = 2000 if a.quick else 10000
    r = alternate([a.rawnet, "-n", ns0, "ping", "-f", "-q", "-c", str(count), "10.9.0.2"],
                  ["ip", "netns", "exec", ns0, "ping", "-f", "-q", "-c", str(count), "10.9.0.2"],
                  max(3, a.runs // 2))
    r["pps_rawnet"] = count / r["rawnet_s"]
    r["pps_iputils"] = count / r["other_s"]
    r["speedup"] = 1 / r["ratio"]
    results[f"ping_flood_{count}"] = r
    netns_del(ns0)
    netns_del(ns1)


def bpffs_with_program(a):
    """A bpffs of this run's own on a temp dir (never the host's
    /sys/fs/bpf), unmounted at exit, with the shipped drop_icmp_echo.s
    loaded and pinned there by rawnet; the pin's path."""
    d = tempfile.mkdtemp(prefix="rawnet-cmp-bpffs-")
    sh("mount", "-t", "bpf", "bpf", d)
    atexit.register(lambda: (subprocess.run(["umount", d]), os.rmdir(d)))
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "bpf",
                       "programs", "drop_icmp_echo.s")
    pin = os.path.join(d, "drop_echo")
    sh(a.rawnet, "bpf", "prog", "load", src, "type", "tc", "pin", pin, stdout=subprocess.DEVNULL)
    return pin


def goal_tc_filters(a, results):
    """N bpf filters (distinct prefs) on one veth's clsact ingress: adding
    them (tc -batch against rawnet -batch with `tc ...` lines, and against
    rawnet tc -batch with tc's own lines, each into a fresh clsact) and `tc
    filter show dev v0 ingress` (text and -j)."""
    pin = bpffs_with_program(a)
    for count in ([1000] if a.quick else [1000, 10_000]):
        lines = [f"filter add dev v0 ingress pref {i + 1} bpf da pinned {pin}\n"
                 for i in range(count)]
        tc_batch, rawnet_batch = batch_file(lines), batch_file(["tc " + l for l in lines])
        ns = ns_with_veth("tc")

        def fresh():
            subprocess.run(["tc", "-n", ns, "qdisc", "del", "dev", "v0", "clsact"],
                           stderr=subprocess.DEVNULL)
            sh("tc", "-n", ns, "qdisc", "add", "dev", "v0", "clsact")

        runs = max(3, a.runs // 3) if count > 1000 else a.runs
        r = alternate([a.rawnet, "-n", ns, "-batch", rawnet_batch],
                      ["tc", "-n", ns, "-batch", tc_batch], runs, before=fresh)
        r["filters_per_s_rawnet"] = count / r["rawnet_s"]
        r["filters_per_s_tc"] = count / r["other_s"]
        results[f"tc_filter_add_batch_{count}"] = r
        r = alternate([a.rawnet, "tc", "-n", ns, "-batch", tc_batch],
                      ["tc", "-n", ns, "-batch", tc_batch], runs, before=fresh)
        r["filters_per_s_rawnet"] = count / r["rawnet_s"]
        r["filters_per_s_tc"] = count / r["other_s"]
        results[f"tc_filter_add_tc_batch_{count}"] = r
        for label, extra in (("text", []), ("json", ["-j"])):
            r = alternate([a.rawnet, "-n", ns, *extra, "tc", "filter", "show", "dev", "v0", "ingress"],
                          ["tc", "-n", ns, *extra, "filter", "show", "dev", "v0", "ingress"],
                          max(7, a.runs))
            results[f"tc_filter_show_{label}_{count}"] = r
        netns_del(ns)


def shutil_which(cmd):
    from shutil import which
    return which(cmd)


def goal_size(a, results):
    for path in filter(None, [a.rawnet, a.static]):
        results[f"size {path}"] = os.path.getsize(path)


GOALS = {
    "route_show": goal_route_show,
    "links": goal_links,
    "batch_routes": goal_batch_routes,
    "batch_veth": goal_batch_veth,
    "startup": goal_startup,
    "ping": goal_ping,
    "tc_filters": goal_tc_filters,
    "size": goal_size,
}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rawnet", default="target/release/rawnet")
    p.add_argument("--static", help="a static rawnet for the start-up goals")
    p.add_argument("--runs", type=int, default=9, help="runs of each tool per measurement")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", help="comma-separated goals: " + ",".join(GOALS))
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    a = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("compare.py: run as root (it creates network namespaces)")
    a.rawnet = os.path.abspath(a.rawnet)
    if a.static:
        a.static = os.path.abspath(a.static)
    results = {}
    for name, goal in GOALS.items():
        if a.only and name not in a.only.split(","):
            continue
        print(f"... {name}", file=sys.stderr)
        goal(a, results)
    if a.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'measure':44} {'rawnet':>10} {'other':>10} {'ratio':>7} {'rawnet RSS':>11}")
    for k, v in results.items():
        if isinstance(v, dict) and "ratio" in v:
            rss = v.get("rawnet_rss_kib")
            rss = f"{rss / 1024:9.1f}MB" if rss else "        n/a"
            print(f"{k:44} {v['rawnet_s'] * 1000:9.1f}ms {v['other_s'] * 1000:9.1f}ms "
                  f"{v['ratio']:6.2f}x {rss}")
        else:
            print(f"{k:44} {json.dumps(v)}")


if __name__ == "__main__":
    main()
