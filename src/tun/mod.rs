//! tun/tap devices through `/dev/net/tun`, as `ip tuntap` makes and shows them.
//!
//! - [`flags`]: the `IFF_*` flags of `TUNSETIFF`, [`Mode`], the words
//!   `ip tuntap show` prints.
//! - [`device`]: [`add_tuntap`] (persistent, like `ip tuntap add`) and
//!   [`delete_tuntap`]. (I/O)
//! - [`queue`]: [`Tun`], an open descriptor for a program that reads and
//!   writes packets; the device lives as long as it. (I/O)
//! - [`info`]: the `IFLA_TUN_*` attributes of a link dump, [`TunDevice`],
//!   [`dump_tuntaps`].
//! - [`sysfs`]: `tun_flags` from a sysfs mounted for the right namespace. (I/O)
//! - [`responder`]: [`EchoResponder`], answering pings from user space.
//!
//! A tun/tap device is created in the network namespace of the thread that
//! calls `TUNSETIFF`. To make one in another namespace, call
//! [`add_tuntap`] or [`Tun::open`] inside [`crate::ns::run_in`]; the
//! descriptor of a [`Tun`] keeps that namespace and works from any thread.

pub mod device;
pub mod flags;
pub mod info;
pub mod queue;
pub mod responder;
pub mod sysfs;

pub use device::{add_tuntap, delete_tuntap, TunTapSpec, TUN_DEVICE};
pub use flags::{show_words, Mode, TunFlags};
pub use info::{dump_tuntap_request, dump_tuntaps, TunDevice, TunInfo};
pub use queue::Tun;
pub use responder::{echo_reply, EchoResponder, ResponderCounts};

use crate::error::Result;
use crate::ns::NetNs;

/// Every tun/tap device of `ns` (the caller's namespace when `None`), as
/// `ip tuntap show` lists them: netlink for the list and the `IFLA_TUN_*`
/// data, then `tun_flags` from a sysfs of that namespace where it can be
/// mounted (it adds `one_queue` and the NAPI flags, which netlink lacks).
pub fn list_tuntaps(ns: Option<&NetNs>) -> Result<Vec<TunDevice>> {
    let mut conn = match ns {
        Some(ns) => crate::ns::route_connection_in(ns)?,
        None => crate::netlink::Connection::route()?,
    };
    let mut devices = dump_tuntaps(&mut conn)?;
    if devices.is_empty() {
        return Ok(devices);
    }
    let names: Vec<Vec<u8>> = devices.iter().map(|d| d.name.clone()).collect();
    if let Ok(flags) = sysfs::read_tun_flags(ns, &names) {
        for (d, f) in devices.iter_mut().zip(flags) {
            // A device renamed or replaced in between shows up as a mismatch.
            d.sysfs_flags = f.filter(|f| Mode::of(*f) == d.info.mode());
        }
    }
    Ok(devices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::run_in;

    /// The host's mount table, to show the private sysfs stays private.
    fn mounts() -> String {
        std::fs::read_to_string("/proc/self/mountinfo").unwrap()
    }

    #[test]
    fn lists_devices_of_another_namespace_with_sysfs_flags() {
        let ns = NetNs::new_anonymous().unwrap();
        let mut spec = TunTapSpec::new(Some(b"q0"), Mode::Tap);
        spec.one_queue = true;
        spec.owner = Some(4242);
        let made = run_in(&ns, || add_tuntap(&spec)).unwrap().unwrap();
        assert_eq!(made, "q0");
        let before = mounts();
        let devices = list_tuntaps(Some(&ns)).unwrap();
        assert_eq!(mounts(), before, "the sysfs mount leaked out");
        assert_eq!(devices.len(), 1);
        let d = &devices[0];
        assert_eq!((d.name.as_slice(), d.info.owner), (&b"q0"[..], Some(4242)));
        // one_queue is known only to sysfs.
        assert!(!d.info.flags().contains(TunFlags::IFF_ONE_QUEUE));
        assert_eq!(
            show_words(d.flags()),
            ["tap", "one_queue", "persist"],
            "{d:?}"
        );
        // Not in this namespace.
        let here = list_tuntaps(None).unwrap();
        assert!(here.iter().all(|d| d.name != b"q0"));
    }

    #[test]
    fn an_open_tun_goes_with_its_descriptor() {
        let ns = NetNs::new_anonymous().unwrap();
        let spec = TunTapSpec::new(None, Mode::Tun);
        let tun = run_in(&ns, || Tun::open(&spec)).unwrap().unwrap();
        assert_eq!(tun.name(), "tun0");
        let (name, flags) = tun.kernel_flags().unwrap();
        assert_eq!(name, "tun0");
        assert!(flags.contains(TunFlags::IFF_TUN | TunFlags::IFF_NO_PI));
        assert!(!flags.contains(TunFlags::IFF_PERSIST));
        assert!(!tun
            .wait_readable(std::time::Duration::from_millis(1))
            .unwrap());
        assert_eq!(list_tuntaps(Some(&ns)).unwrap().len(), 1);
        drop(tun);
        assert!(list_tuntaps(Some(&ns)).unwrap().is_empty());
        // A second delete of a name that is gone succeeds, as in iproute2.
        let del = TunTapSpec::new(Some(b"tun0"), Mode::Tun);
        run_in(&ns, || delete_tuntap(&del)).unwrap().unwrap();
    }
}
