//! `rawnet bpf net`: programs at a device's hooks, as bpftool's net.c.
//!
//! ```text
//! bpf net attach ATTACH_TYPE PROG dev DEV [ overwrite | prepend ]
//! bpf net detach ATTACH_TYPE dev DEV
//! bpf net { show | list } [ dev DEV ]
//! ATTACH_TYPE := { xdp | xdpgeneric | xdpdrv | xdpoffload | tcx_ingress | tcx_egress }
//! ```
//!
//! Attach and detach are what `bpftool net attach` does, and stay after
//! rawnet exits: XDP through `IFLA_XDP` of an `RTM_SETLINK` (refused with
//! `EBUSY` when a program is there, unless `overwrite`), tcx through the
//! non-link attachment (`BPF_PROG_ATTACH`, `prepend` for the front). `show`
//! prints bpftool's sections: `xdp:` (from `IFLA_XDP` of a link dump),
//! `tc:` (tcx ingress and egress of each device, from `BPF_PROG_QUERY`;
//! classic tc filters belong after them, per device: see
//! [`show::tc_section`]), `flow_dissector:` and `netfilter:` (the latter
//! printed empty).
//! Devices are those of the `-n` namespace; every bpf call that names an
//! interface index runs in there.
//!
//! The command words are read here; attach and detach: `attach.rs`; show:
//! `show.rs`; the devices and the namespace: `../devices.rs`.

mod attach;
mod show;

use super::{CliError, Context};
use crate::cli::matches;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show::show(ctx, &[]);
    };
    if matches(cmd, "show") || matches(cmd, "list") {
        show::show(ctx, rest)
    } else if matches(cmd, "attach") {
        attach::attach(ctx, rest)
    } else if matches(cmd, "detach") {
        attach::detach(ctx, rest)
    } else {
        super::help_or_unknown(cmd)
    }
}
