//! The tun lab: a tun device whose other end is rawnet itself.
//!
//! In a namespace the lab creates, rawnet opens `tun0` (`IFF_TUN |
//! IFF_NO_PI`), gives it 10.9.0.1 and a route to 10.9.0.0/24, so 10.9.0.2 is
//! "behind the tun". A responder thread reads the IPv4 packets the kernel
//! routes into the device. While it only reads, a ping of 10.9.0.2 gets no
//! answer; once it answers echo requests in user space (an IPv4 header and an
//! echo reply with their checksums, written back into the tun), the ping
//! succeeds. Closing the descriptor then removes the device.
//!
//! Bounded: the responder polls with a short timeout and stops when the lab
//! ends (also on failure or Ctrl-C); the namespace is removed by the workspace.

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::AtomicBool;

use super::steps::{add_address, add_route, check, done, in_ns, ping, seen, set_up};
use super::{Expect, Observer, Outcome, Report, Workspace};
use crate::error::Error;
use crate::ns::{run_in, NetNs};
use crate::route::link;
use crate::tun::{EchoResponder, Mode, Tun, TunTapSpec, TUN_DEVICE};

const DEV: &str = "tun0";
/// Echo requests of the successful ping.
const COUNT: u64 = 3;

/// Run the tun lab, reporting to `observer`; `stop` ends it early (Ctrl-C).
/// Everything it created is gone when it returns. When `/dev/net/tun` cannot
/// be opened (no tun support, or no permission, as for an unprivileged user
/// where the node is mode 0600), nothing runs and the report says why.
pub fn tun_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    if let Err(e) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(TUN_DEVICE)
    {
        return Report {
            unsupported: Some(format!("cannot open {TUN_DEVICE}: {e}")),
            ..Report::default()
        };
    }
    let mut ws = Workspace::new(observer, stop);
    let responder = RefCell::new(None);
    let _ = run(&mut ws, &responder);
    // Stop the thread and close the tun before the namespace goes.
    drop(responder.take());
    ws.finish()
}

fn run(ws: &mut Workspace<'_>, responder: &RefCell<Option<EchoResponder>>) -> Option<()> {
    let ns = ws.name("tun");
    let behind: Ipv4Addr = [10, 9, 0, 2].into();
    ws.note(&format!(
        "Namespace {ns} gets a tun device whose other end is this program, not a cable."
    ));
    check(
        ws.step(&format!("rawnet netns add {ns}"), Expect::Success, |w| {
            done(w.add_namespace(&ns))
        }),
    )?;
    let opened = RefCell::new(None);
    check(ws.step(
        &format!("open {TUN_DEVICE} in {ns}; ioctl(TUNSETIFF, \"{DEV}\", IFF_TUN|IFF_NO_PI)"),
        Expect::Success,
        |_| {
            let spec = TunTapSpec::new(Some(DEV.as_bytes()), Mode::Tun);
            let tun = NetNs::open_named(&ns).and_then(|n| run_in(&n, || Tun::open(&spec))?);
            seen(tun.map(|t| {
                let text = format!(
                    "{} exists while rawnet holds its descriptor; what the kernel sends to it, rawnet reads",
                    t.name()
                );
                *opened.borrow_mut() = Some(t);
                text
            }))
        },
    ))?;
    in_ns(ws, &ns, &format!("addr add 10.9.0.1/32 dev {DEV}"), |c| {
        add_address(c, DEV, "10.9.0.1/32")
    })?;
    in_ns(ws, &ns, &format!("link set {DEV} up"), |c| set_up(c, DEV))?;
    in_ns(ws, &ns, &format!("route add 10.9.0.0/24 dev {DEV}"), |c| {
        add_route(c, "10.9.0.0/24", DEV)
    })?;

    ws.note("10.9.0.2 is behind the tun: packets for it are handed to rawnet's descriptor.");
    check(ws.step(
        &format!("(rawnet starts a thread reading {DEV}; it does not answer yet)"),
        Expect::Success,
        |_| match opened.borrow_mut().take() {
            Some(tun) => done(EchoResponder::start(tun, false).map(|r| {
                *responder.borrow_mut() = Some(r);
            })),
            None => Outcome::Failed(Error::Unexpected(format!("{DEV} is not open"))),
        },
    ))?;
    ping(
        ws,
        &ns,
        IpAddr::V4(behind),
        1,
        Expect::Failure("rawnet reads the request but does not answer"),
    )?;
    check(ws.step(
        "(how many requests the reader saw)",
        Expect::Success,
        |_| {
            let dropped = responder
                .borrow()
                .as_ref()
                .map_or(0, |r| r.counts().dropped);
            seen(if dropped >= 1 {
                Ok(format!(
                    "read and dropped {dropped} echo request(s): no reply, so ping saw none"
                ))
            } else {
                Err(Error::Unexpected(
                    "the request never reached the tun".into(),
                ))
            })
        },
    ))?;

    ws.note("Now rawnet answers: for each echo request it writes an IPv4 echo reply into the tun.");
    check(ws.step(
        "(the thread answers echo requests from now on)",
        Expect::Success,
        |_| {
            if let Some(r) = responder.borrow().as_ref() {
                r.set_answering(true);
            }
            Outcome::Done
        },
    ))?;
    ping(ws, &ns, IpAddr::V4(behind), COUNT, Expect::Success)?;
    check(ws.step(
        &format!("(stop the thread and close {DEV}'s descriptor)"),
        Expect::Success,
        |_| {
            let Some(r) = responder.borrow_mut().take() else {
                return Outcome::Failed(Error::Unexpected("the responder is not running".into()));
            };
            seen(r.stop().and_then(|c| {
                if c.answered >= COUNT {
                    Ok(format!(
                        "answered {} echo requests from user space ({} ignored: other packets)",
                        c.answered, c.ignored
                    ))
                } else {
                    Err(Error::Unexpected(format!(
                        "answered only {} of {COUNT} echo requests",
                        c.answered
                    )))
                }
            }))
        },
    ))?;
    ws.note("The device was not persistent: it went with the last descriptor.");
    check(ws.step(
        &format!("rawnet -n {ns} link show {DEV}"),
        Expect::Failure("tun0 is gone"),
        |w| {
            done(
                w.connection(&ns)
                    .and_then(|mut c| link::get_link(&mut c, DEV).map(drop)),
            )
        },
    ))
}
