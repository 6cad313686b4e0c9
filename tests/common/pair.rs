//! Two namespaces of the test's own joined by a veth pair: `a` holds veth0
//! (10.77.0.1/24), `b` holds veth1 (10.77.0.2/24), both up with lo. What
//! the traffic tests (tcx, tc, nft) attach goes on veth1's ingress in `b`; a
//! ping from `a` says whether it got through.

use rawnet::ns::NetNs;

use super::{argv, TestNs};

/// The two namespaces; both are deleted on drop.
pub struct Pair {
    pub a: TestNs,
    pub b: TestNs,
}

impl Pair {
    /// Namespaces named after `tag` (short: names stay under 16 bytes).
    pub fn new(tag: &str) -> Pair {
        let a = TestNs::new(&format!("{tag}a"));
        let b = TestNs::new(&format!("{tag}b"));
        a.ip_ok(&argv("link add veth0 type veth peer name veth1"));
        a.ip_ok(&["link", "set", "veth1", "netns", &b.name]);
        a.ip_ok(&argv("addr add 10.77.0.1/24 dev veth0"));
        b.ip_ok(&argv("addr add 10.77.0.2/24 dev veth1"));
        for (ns, dev) in [(&a, "veth0"), (&b, "veth1")] {
            ns.ip_ok(&["link", "set", "lo", "up"]);
            ns.ip_ok(&["link", "set", dev, "up"]);
        }
        Pair { a, b }
    }

    /// Does `b` answer `a`? Echo requests every 0.2 s until one reply, for
    /// up to 5 s (a link just set up may lose the first).
    pub fn answers(&self) -> bool {
        self.a
            .rawnet(&argv("ping -c 1 -w 5 -i 0.2 10.77.0.2"))
            .status
            .success()
    }

    /// One echo request from `a` to `b` (`rawnet -n a ping -c 1 -W 1
    /// 10.77.0.2`) and one second's wait, unanswered.
    pub fn dropped(&self) -> bool {
        !self
            .a
            .rawnet(&argv("ping -c 1 -W 1 10.77.0.2"))
            .status
            .success()
    }

    /// Does `b` answer iputils' ping from `a` (`ping -c 1 -W 1 ARGS... 10.77.0.2`
    /// in `a`, up to three tries: the first may wait for neighbour
    /// resolution)? The independent pinger of the nft tests.
    pub fn iputils_answers(&self, args: &[&str]) -> bool {
        (0..3).any(|_| {
            std::process::Command::new("ip")
                .args(["netns", "exec", &self.a.name, "ping", "-c", "1", "-W", "1"])
                .args(args)
                .arg("10.77.0.2")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    }

    /// A handle on namespace `b`.
    pub fn b_ns(&self) -> NetNs {
        NetNs::open_named(&self.b.name).expect("open namespace b")
    }

    /// veth1's index inside `b`.
    pub fn veth1(&self) -> u32 {
        let out = self.b.ip_ok(&argv("-o link show veth1"));
        out.split(':')
            .next()
            .and_then(|n| n.trim().parse().ok())
            .expect("ifindex of veth1")
    }
}
