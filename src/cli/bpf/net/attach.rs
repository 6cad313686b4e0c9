//! `rawnet bpf net attach|detach`: a program put at (or taken from) a
//! device's hook as bpftool's `do_attach` / `do_detach` do: XDP through
//! `IFLA_XDP` of an `RTM_SETLINK`, tcx through the non-link attachment
//! (`BPF_PROG_ATTACH`, `prepend` for the front).

use std::os::fd::AsFd;

use rawnet::bpf::tcx::{tcx_attach_at, tcx_detach};
use rawnet::bpf::{TcxDirection, TcxPosition};
use rawnet::route::link::{set_link, LinkChanges, LinkRef, XdpAttach, XdpMode};

use crate::cli::bpf::devices::{device, devices, in_namespace};
use crate::cli::bpf::{errno_status, fail, select, with_errno};
use crate::cli::{io_reason, matches, output, CliError, Context};

/// bpftool's `REQ_ARGS`.
fn need(cmd: &str, args: &[String], n: usize) -> Result<(), CliError> {
    if args.len() < n {
        return Err(fail(format!(
            "Error: '{cmd}' needs at least {n} arguments, {} found",
            args.len()
        )));
    }
    Ok(())
}

/// Where `net attach|detach` puts a program: bpftool's `net_attach_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hook {
    /// `IFLA_XDP` through `RTM_SETLINK`, in this mode.
    Xdp(XdpMode),
    /// The non-link tcx attachment (`BPF_PROG_ATTACH`).
    Tcx(TcxDirection),
}

/// bpftool's `attach_type_strings`, in its order.
const HOOKS: [(&str, Hook); 6] = [
    ("xdp", Hook::Xdp(XdpMode::Auto)),
    ("xdpgeneric", Hook::Xdp(XdpMode::Generic)),
    ("xdpdrv", Hook::Xdp(XdpMode::Driver)),
    ("xdpoffload", Hook::Xdp(XdpMode::Offload)),
    ("tcx_ingress", Hook::Tcx(TcxDirection::Ingress)),
    ("tcx_egress", Hook::Tcx(TcxDirection::Egress)),
];

/// The attach type word, matched by prefix in bpftool's order (so `xdp`
/// and `x` are `xdp`): its name as bpftool prints it, and the hook.
fn hook(word: &str) -> Result<(&'static str, Hook), CliError> {
    HOOKS
        .iter()
        .find(|(name, _)| matches(word, name))
        .copied()
        .ok_or_else(|| fail(format!("Error: invalid net attach/detach type: {word}")))
}

/// bpftool's `do_attach_detach_xdp`: `IFLA_XDP` with the program (or -1),
/// `XDP_FLAGS_UPDATE_IF_NOEXIST` unless `overwrite`, and the mode's flag;
/// on the `-n` namespace's netlink socket.
fn xdp_set(
    conn: &mut rawnet::netlink::Connection,
    ifindex: u32,
    program: Option<std::os::fd::BorrowedFd<'_>>,
    mode: XdpMode,
    overwrite: bool,
) -> Result<(), rawnet::Error> {
    let changes = LinkChanges {
        xdp: Some(XdpAttach {
            program,
            mode,
            force: overwrite,
        }),
        ..LinkChanges::default()
    };
    set_link(conn, LinkRef::Index(ifindex), &changes)
}

/// bpftool's `interface TYPE attach|detach failed: REASON`, after the
/// kernel's own words as libbpf prints them (`libbpf: Kernel error
/// message: ...`) when it gave some.
fn hook_failed(name: &str, what: &str, e: &rawnet::Error) -> CliError {
    let reason = match e {
        rawnet::Error::Kernel(k) => {
            if let Some(m) = &k.message {
                output::to_stderr(&format!("libbpf: Kernel error message: {m}\n"));
            }
            rawnet::error::errno_text(k.errno)
        }
        e => io_reason(e),
    };
    let errno = match e {
        rawnet::Error::Kernel(k) => k.errno,
        e => e.errno().unwrap_or(libc::EINVAL),
    };
    CliError {
        code: errno_status(errno),
        ..fail(format!("Error: interface {name} {what} failed: {reason}"))
    }
}

/// bpftool's `do_attach` and `do_detach` return `-EINVAL` for bad words and
/// the kernel's `-errno` for a refusal.
pub(super) fn attach(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    attach_words(ctx, args).map_err(|e| with_errno(e, libc::EINVAL))
}

pub(super) fn detach(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    detach_words(ctx, args).map_err(|e| with_errno(e, libc::EINVAL))
}

fn attach_words(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    need("attach", args, 5)?;
    let (name, hook) = hook(&args[0])?;
    let (prog, rest) = select::program(&args[1..])?;
    let devices = devices(ctx)?;
    let (ifindex, rest) = device(&devices, rest)?;
    let xdp = matches!(hook, Hook::Xdp(_));
    let (overwrite, prepend) = match rest {
        [] => (false, false),
        [w, ..] if matches(w, "overwrite") => {
            if !xdp {
                return Err(fail("Error: 'overwrite' is only supported for xdp types"));
            }
            (true, false)
        }
        [w, ..] if matches(w, "prepend") => {
            if xdp {
                return Err(fail(
                    "Error: 'prepend' is only supported for tcx_ingress/tcx_egress",
                ));
            }
            (false, true)
        }
        [w, ..] => {
            return Err(fail(format!(
                "Error: expected 'overwrite' or 'prepend', got: '{w}'?"
            )))
        }
    };
    let fd = prog.as_fd();
    let done = match hook {
        Hook::Xdp(mode) => xdp_set(&mut ctx.rtnl()?, ifindex, Some(fd), mode, overwrite),
        Hook::Tcx(dir) => {
            let position = if prepend {
                TcxPosition::First
            } else {
                TcxPosition::Last
            };
            in_namespace(ctx, || tcx_attach_at(fd, ifindex, dir, position))?
        }
    };
    done.map_err(|e| hook_failed(name, "attach", &e))?;
    if ctx.json {
        output::print("null\n")?;
    }
    Ok(0)
}

fn detach_words(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    need("detach", args, 3)?;
    let (name, hook) = hook(&args[0])?;
    let devices = devices(ctx)?;
    let (ifindex, rest) = device(&devices, &args[1..])?;
    if let Some(w) = rest.first() {
        return Err(fail(format!("Error: unexpected \"{w}\"")));
    }
    let done = match hook {
        Hook::Xdp(mode) => xdp_set(&mut ctx.rtnl()?, ifindex, None, mode, false),
        Hook::Tcx(dir) => in_namespace(ctx, || tcx_detach(None, ifindex, dir))?,
    };
    done.map_err(|e| hook_failed(name, "detach", &e))?;
    if ctx.json {
        output::print("null\n")?;
    }
    Ok(0)
}
