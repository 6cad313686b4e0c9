//! The `-n` namespace as the bpf commands see it: its devices (index, name,
//! XDP state) from one link dump, for names in `bpf link` and `bpf net`;
//! `dev DEV` read against them; and bpf calls that name an interface index
//! run inside that namespace.

use rawnet::route::link::XdpState;

use super::{fail, CliError, Context};

/// The devices of the namespace, in the kernel's order: index, name, XDP.
pub struct Devices(pub(super) Vec<(u32, String, Option<XdpState>)>);

impl Devices {
    pub fn name(&self, ifindex: u32) -> Option<&str> {
        self.0
            .iter()
            .find(|(i, _, _)| *i == ifindex)
            .map(|(_, n, _)| n.as_str())
    }

    pub(super) fn index(&self, name: &str) -> Option<u32> {
        self.0
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(i, _, _)| *i)
    }
}

/// Every device of the `-n` namespace (one link dump).
pub fn devices(ctx: &Context) -> Result<Devices, CliError> {
    let mut conn = ctx.rtnl()?;
    let links = rawnet::route::link::dump_links(&mut conn).map_err(CliError::from)?;
    Ok(Devices(
        links
            .into_iter()
            .map(|l| {
                let name = l
                    .name
                    .as_deref()
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default();
                (l.index, name, l.xdp)
            })
            .collect(),
    ))
}

/// Run `f` in the `-n` namespace: on this thread when it has joined it (or
/// there is none), else on a short-lived thread inside it.
pub(super) fn in_namespace<T: Send>(
    ctx: &Context,
    f: impl FnOnce() -> T + Send,
) -> Result<T, CliError> {
    match ctx.namespace()? {
        None => Ok(f()),
        Some(ns) => rawnet::ns::run_in(&ns, f).map_err(CliError::from),
    }
}

/// bpftool's `net_parse_dev`: `dev DEV`, a device of the namespace.
pub(super) fn device<'a>(
    devices: &Devices,
    args: &'a [String],
) -> Result<(u32, &'a [String]), CliError> {
    match args {
        [w, name, rest @ ..] if w == "dev" => devices
            .index(name)
            .map(|i| (i, rest))
            .ok_or_else(|| fail(format!("Error: invalid devname {name}"))),
        [w, ..] => Err(fail(format!("Error: expected 'dev', got: '{w}'?"))),
        [] => Err(fail("Error: expected 'dev'")),
    }
}
