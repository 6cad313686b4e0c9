//! The `IFF_*` flags of `TUNSETIFF` and `/sys/class/net/NAME/tun_flags`
//! (linux/if_tun.h), the device [`Mode`], and the words `ip tuntap show`
//! prints for them.
//!
//! Pure: no I/O. Unknown kernel bits are kept (`from_bits_retain`) and shown
//! as a hex remainder, as iproute2 does.

bitflags::bitflags! {
    /// `IFF_*` flags of a tun/tap device (not the `IFF_*` interface flags of
    /// linux/if.h, which share the prefix).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
    pub struct TunFlags: u16 {
        /// Layer 3: IP packets, no Ethernet header.
        const IFF_TUN = 0x0001;
        /// Layer 2: Ethernet frames.
        const IFF_TAP = 0x0002;
        const IFF_NAPI = 0x0010;
        const IFF_NAPI_FRAGS = 0x0020;
        /// Bring the device up without carrier (`TUNSETCARRIER` sets it later).
        const IFF_NO_CARRIER = 0x0040;
        const IFF_MULTI_QUEUE = 0x0100;
        const IFF_ATTACH_QUEUE = 0x0200;
        const IFF_DETACH_QUEUE = 0x0400;
        /// Reported only: the device outlives its descriptors (`TUNSETPERSIST`).
        const IFF_PERSIST = 0x0800;
        /// No 4-byte `struct tun_pi` in front of each packet. The same bit is
        /// `IFF_NOFILTER` when read back from the kernel.
        const IFF_NO_PI = 0x1000;
        /// Obsolete (the kernel ignores it) but kept and reported.
        const IFF_ONE_QUEUE = 0x2000;
        /// A `struct virtio_net_hdr` in front of each packet.
        const IFF_VNET_HDR = 0x4000;
        /// Fail with `EBUSY` instead of attaching to an existing device.
        const IFF_TUN_EXCL = 0x8000;
        const _ = !0;
    }
}

/// `IFF_NOFILTER`: in flags read back from the kernel, the same bit as `IFF_NO_PI`.
pub const IFF_NOFILTER: TunFlags = TunFlags::IFF_NO_PI;

/// Layer 3 (`tun`) or layer 2 (`tap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Tun,
    Tap,
}

impl Mode {
    /// `IFF_TUN` or `IFF_TAP`.
    pub const fn flag(self) -> TunFlags {
        match self {
            Mode::Tun => TunFlags::IFF_TUN,
            Mode::Tap => TunFlags::IFF_TAP,
        }
    }

    /// "tun" or "tap".
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Tun => "tun",
            Mode::Tap => "tap",
        }
    }

    /// The mode in `flags` (`IFF_TUN` / `IFF_TAP`), `None` when neither is set.
    pub fn of(flags: TunFlags) -> Option<Mode> {
        if flags.contains(TunFlags::IFF_TUN) {
            Some(Mode::Tun)
        } else if flags.contains(TunFlags::IFF_TAP) {
            Some(Mode::Tap)
        } else {
            None
        }
    }
}

/// The words `ip tuntap show` (iproute2 6.1, `print_flags`) prints for a
/// device's flags, in its order: `tun`, `tap`, `pi`, `one_queue`,
/// `multi_queue`, `vnet_hdr`, `persist`, `filter`, then any other bits as one
/// hex number (`0x10`).
pub fn show_words(flags: TunFlags) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = |on: bool, w: &str| {
        if on {
            words.push(w.to_string());
        }
    };
    word(flags.contains(TunFlags::IFF_TUN), "tun");
    word(flags.contains(TunFlags::IFF_TAP), "tap");
    word(!flags.contains(TunFlags::IFF_NO_PI), "pi");
    word(flags.contains(TunFlags::IFF_ONE_QUEUE), "one_queue");
    word(flags.contains(TunFlags::IFF_MULTI_QUEUE), "multi_queue");
    word(flags.contains(TunFlags::IFF_VNET_HDR), "vnet_hdr");
    word(flags.contains(TunFlags::IFF_PERSIST), "persist");
    word(!flags.contains(IFF_NOFILTER), "filter");
    let known = TunFlags::IFF_TUN
        | TunFlags::IFF_TAP
        | TunFlags::IFF_NO_PI
        | TunFlags::IFF_ONE_QUEUE
        | TunFlags::IFF_MULTI_QUEUE
        | TunFlags::IFF_VNET_HDR
        | TunFlags::IFF_PERSIST;
    let rest = flags.bits() & !known.bits();
    if rest != 0 {
        words.push(format!("{rest:#x}"));
    }
    words
}

/// Parse the text of `/sys/class/net/NAME/tun_flags` (`0x1001\n`).
pub fn parse_sysfs_flags(text: &str) -> Option<TunFlags> {
    let t = text.trim();
    let hex = t.strip_prefix("0x").unwrap_or(t);
    let v = u32::from_str_radix(hex, 16).ok()?;
    u16::try_from(v).ok().map(TunFlags::from_bits_retain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_the_kernels() {
        for (ours, theirs) in [
            (TunFlags::IFF_TUN, libc::IFF_TUN),
            (TunFlags::IFF_TAP, libc::IFF_TAP),
            (TunFlags::IFF_NAPI, libc::IFF_NAPI),
            (TunFlags::IFF_NAPI_FRAGS, libc::IFF_NAPI_FRAGS),
            (TunFlags::IFF_NO_CARRIER, libc::IFF_NO_CARRIER),
            (TunFlags::IFF_MULTI_QUEUE, libc::IFF_MULTI_QUEUE),
            (TunFlags::IFF_ATTACH_QUEUE, libc::IFF_ATTACH_QUEUE),
            (TunFlags::IFF_DETACH_QUEUE, libc::IFF_DETACH_QUEUE),
            (TunFlags::IFF_PERSIST, libc::IFF_PERSIST),
            (TunFlags::IFF_NO_PI, libc::IFF_NO_PI),
            (TunFlags::IFF_ONE_QUEUE, libc::IFF_ONE_QUEUE),
            (TunFlags::IFF_VNET_HDR, libc::IFF_VNET_HDR),
            (TunFlags::IFF_TUN_EXCL, libc::IFF_TUN_EXCL),
        ] {
            assert_eq!(i32::from(ours.bits()), theirs, "{ours:?}");
        }
        assert_eq!(i32::from(IFF_NOFILTER.bits()), libc::IFF_NOFILTER);
    }

    #[test]
    fn words_as_iproute2_prints_them() {
        // `tun0: tun persist`: no PI, filter bit set.
        let f = TunFlags::IFF_TUN | TunFlags::IFF_NO_PI | TunFlags::IFF_PERSIST;
        assert_eq!(show_words(f), ["tun", "persist"]);
        // `tap1: tap pi one_queue multi_queue vnet_hdr persist filter`
        let f = TunFlags::IFF_TAP
            | TunFlags::IFF_ONE_QUEUE
            | TunFlags::IFF_MULTI_QUEUE
            | TunFlags::IFF_VNET_HDR
            | TunFlags::IFF_PERSIST;
        assert_eq!(
            show_words(f),
            [
                "tap",
                "pi",
                "one_queue",
                "multi_queue",
                "vnet_hdr",
                "persist",
                "filter"
            ]
        );
        let f = TunFlags::IFF_TUN | TunFlags::IFF_NO_PI | TunFlags::IFF_NAPI;
        assert_eq!(show_words(f), ["tun", "0x10"]);
    }

    #[test]
    fn sysfs_text() {
        assert_eq!(
            parse_sysfs_flags("0x1801\n"),
            Some(TunFlags::IFF_TUN | TunFlags::IFF_NO_PI | TunFlags::IFF_PERSIST)
        );
        assert_eq!(parse_sysfs_flags("zz"), None);
        assert_eq!(parse_sysfs_flags("0x10000"), None);
        assert_eq!(Mode::of(TunFlags::IFF_TAP), Some(Mode::Tap));
        assert_eq!(Mode::of(TunFlags::empty()), None);
    }
}
