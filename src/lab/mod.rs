//! The lab: classic container-network scenarios built step by step in
//! namespaces the lab creates, from the library's public API only.
//!
//! A scenario reports each step to an [`Observer`] as the command a user would
//! type and what came of it; it never prints. Every namespace it creates is
//! owned by a [`Workspace`] that removes them all when dropped, also when a
//! step fails or the run is interrupted.

mod bpf_steps;
mod bridge;
mod ebpf;
mod ipip;
mod macvlan;
mod nat;
mod nft_steps;
mod pods;
mod service;
mod steps;
mod tun;
mod veth;
mod vxlan;
mod workspace;

use std::sync::atomic::AtomicBool;

use crate::error::Error;
use crate::icmp::ping::PingConfig;
use crate::icmp::stats::Statistics;

pub use veth::veth_lab;
pub use workspace::{reclaim_abandoned, Workspace};

/// A lab: its name, a line about it, and the function that runs it.
pub struct Lab {
    pub name: &'static str,
    pub about: &'static str,
    pub run: fn(&mut dyn Observer, &AtomicBool) -> Report,
}

/// The labs there are, in the order `rawnet lab list` shows them.
pub const LABS: &[Lab] = &[
    Lab {
        name: "veth",
        about: "two namespaces joined by a veth pair; ping fails until both routes exist",
        run: veth_lab,
    },
    Lab {
        name: "bridge",
        about: "three pods on a Linux bridge, as a bridge CNI plugin wires them",
        run: bridge::bridge_lab,
    },
    Lab {
        name: "vxlan",
        about: "two nodes, pods on bridges, a flannel-style vxlan overlay between them",
        run: vxlan::vxlan_lab,
    },
    Lab {
        name: "macvlan",
        about: "two pods with macvlan devices on one parent in bridge mode",
        run: macvlan::macvlan_lab,
    },
    Lab {
        name: "ipvlan",
        about: "two pods with ipvlan (l2) devices on one parent; needs a kernel with ipvlan",
        run: macvlan::ipvlan_lab,
    },
    Lab {
        name: "ipip",
        about: "two nodes joined by ipip tunnels; needs a kernel with ipip",
        run: ipip::ipip_lab,
    },
    Lab {
        name: "tun",
        about: "a tun device with rawnet on its other end, answering pings",
        run: tun::tun_lab,
    },
    Lab {
        name: "nat",
        about: "a pod behind a node: nftables masquerade out, DNAT in; needs nf_tables",
        run: nat::nat_lab,
    },
    Lab {
        name: "service",
        about: "a ClusterIP in nftables: numgen DNAT spreads a client over two pods",
        run: service::service_lab,
    },
    Lab {
        name: "ebpf",
        about:
            "XDP counts a pod's packets per protocol, a tc filter drops another's pings; needs root",
        run: ebpf::ebpf_lab,
    },
];

/// The lab called `name`.
pub fn find(name: &str) -> Option<&'static Lab> {
    LABS.iter().find(|l| l.name == name)
}

/// What came of one step.
#[derive(Debug)]
pub enum Outcome {
    /// The kernel did what was asked.
    Done,
    /// What a look at the kernel showed.
    Seen(String),
    /// A ping ran to its end.
    Ping {
        config: Box<PingConfig>,
        stats: Box<Statistics>,
    },
    /// The step failed.
    Failed(Error),
}

/// Whether a step should work: some steps are there to show a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Success,
    /// The step must fail; the text says why it should.
    Failure(&'static str),
}

/// Receives a scenario's progress.
pub trait Observer {
    /// Prose between steps.
    fn note(&mut self, text: &str);
    /// A step about to run, as the command a user would type.
    fn command(&mut self, command: &str, expect: Expect);
    /// What came of the step, and whether that is what the lab expected.
    fn outcome(&mut self, outcome: &Outcome, as_expected: bool);
}

/// How a lab run ended.
#[derive(Debug, Default)]
pub struct Report {
    pub steps: usize,
    /// Steps whose outcome was not the expected one, as their commands.
    pub unexpected: Vec<String>,
    /// The run was stopped early (Ctrl-C).
    pub interrupted: bool,
    /// The running kernel lacks what the lab needs (the reason); nothing ran.
    pub unsupported: Option<String>,
}

impl Report {
    pub fn succeeded(&self) -> bool {
        self.unexpected.is_empty() && !self.interrupted && self.unsupported.is_none()
    }
}
