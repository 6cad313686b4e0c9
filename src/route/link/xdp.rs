//! XDP on a link (`IFLA_XDP`): attaching or detaching a program with
//! `RTM_SETLINK` ([`XdpAttach`], as iproute2's `xdp_parse`), and what a link
//! message says is attached ([`XdpState`], as iproute2's `xdp_dump` reads it).

use std::os::fd::{AsRawFd, BorrowedFd};

use super::IFLA_XDP;
use crate::error::DecodeError;
use crate::netlink::{Attr, MessageBuilder};

// IFLA_XDP nest (linux/if_link.h).
pub const IFLA_XDP_FD: u16 = 1;
pub const IFLA_XDP_ATTACHED: u16 = 2;
pub const IFLA_XDP_FLAGS: u16 = 3;
pub const IFLA_XDP_PROG_ID: u16 = 4;
pub const IFLA_XDP_DRV_PROG_ID: u16 = 5;
pub const IFLA_XDP_SKB_PROG_ID: u16 = 6;
pub const IFLA_XDP_HW_PROG_ID: u16 = 7;

// IFLA_XDP_FLAGS bits.
pub const XDP_FLAGS_UPDATE_IF_NOEXIST: u32 = 1 << 0;
pub const XDP_FLAGS_SKB_MODE: u32 = 1 << 1;
pub const XDP_FLAGS_DRV_MODE: u32 = 1 << 2;
pub const XDP_FLAGS_HW_MODE: u32 = 1 << 3;

// IFLA_XDP_ATTACHED values.
pub const XDP_ATTACHED_NONE: u8 = 0;
pub const XDP_ATTACHED_DRV: u8 = 1;
pub const XDP_ATTACHED_SKB: u8 = 2;
pub const XDP_ATTACHED_HW: u8 = 3;
pub const XDP_ATTACHED_MULTI: u8 = 4;

/// Where the program runs: iproute2's `xdp`, `xdpgeneric`, `xdpdrv`,
/// `xdpoffload`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XdpMode {
    /// `xdp`: the driver's hook if it has one, else generic (no mode flag).
    Auto,
    /// `xdpgeneric`: `XDP_FLAGS_SKB_MODE`.
    Generic,
    /// `xdpdrv`: `XDP_FLAGS_DRV_MODE`.
    Driver,
    /// `xdpoffload`: `XDP_FLAGS_HW_MODE`.
    Offload,
}

impl XdpMode {
    /// The `XDP_FLAGS_*_MODE` bit.
    pub fn flag(self) -> u32 {
        match self {
            XdpMode::Auto => 0,
            XdpMode::Generic => XDP_FLAGS_SKB_MODE,
            XdpMode::Driver => XDP_FLAGS_DRV_MODE,
            XdpMode::Offload => XDP_FLAGS_HW_MODE,
        }
    }
}

/// Attach a program to a link, or detach the one there.
#[derive(Debug, Clone, Copy)]
pub struct XdpAttach<'fd> {
    /// The program; `None` detaches (`IFLA_XDP_FD` -1).
    pub program: Option<BorrowedFd<'fd>>,
    pub mode: XdpMode,
    /// Replace a program already attached (iproute2's `-force`); without it
    /// `XDP_FLAGS_UPDATE_IF_NOEXIST` makes the kernel refuse (`EBUSY`).
    pub force: bool,
}

impl XdpAttach<'_> {
    /// `IFLA_XDP_FLAGS` as iproute2 computes them.
    pub fn flags(&self) -> u32 {
        let noexist = if self.force {
            0
        } else {
            XDP_FLAGS_UPDATE_IF_NOEXIST
        };
        noexist | self.mode.flag()
    }

    /// `IFLA_XDP { IFLA_XDP_FD, [IFLA_XDP_FLAGS] }` (the flags only when not 0).
    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        let fd = self.program.map_or(-1, |fd| fd.as_raw_fd());
        m.nest(IFLA_XDP, |m| {
            m.put_u32(IFLA_XDP_FD, fd as u32);
            let flags = self.flags();
            if flags != 0 {
                m.put_u32(IFLA_XDP_FLAGS, flags);
            }
        });
    }
}

/// `IFLA_XDP` of a link message: what is attached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct XdpState {
    /// `IFLA_XDP_ATTACHED`: `XDP_ATTACHED_*` (0 none, 1 drv, 2 skb, 3 hw, 4 multi).
    pub attached: u8,
    /// `IFLA_XDP_PROG_ID`: the program (absent when several modes are used).
    pub prog_id: Option<u32>,
    /// `IFLA_XDP_SKB_PROG_ID`, `IFLA_XDP_DRV_PROG_ID`, `IFLA_XDP_HW_PROG_ID`.
    pub skb_prog_id: Option<u32>,
    pub drv_prog_id: Option<u32>,
    pub hw_prog_id: Option<u32>,
}

impl XdpState {
    /// Read the `IFLA_XDP` nest; `Ok(None)` when it has no `IFLA_XDP_ATTACHED`.
    pub fn parse(a: &Attr<'_>) -> Result<Option<XdpState>, DecodeError> {
        let mut s = XdpState::default();
        let mut have_attached = false;
        for inner in a.nested() {
            let inner = named(inner, "IFLA_XDP")?;
            match inner.kind() {
                IFLA_XDP_ATTACHED => {
                    s.attached = named(inner.u8(), "IFLA_XDP_ATTACHED")?;
                    have_attached = true;
                }
                IFLA_XDP_PROG_ID => s.prog_id = Some(named(inner.u32(), "IFLA_XDP_PROG_ID")?),
                IFLA_XDP_SKB_PROG_ID => {
                    s.skb_prog_id = Some(named(inner.u32(), "IFLA_XDP_SKB_PROG_ID")?)
                }
                IFLA_XDP_DRV_PROG_ID => {
                    s.drv_prog_id = Some(named(inner.u32(), "IFLA_XDP_DRV_PROG_ID")?)
                }
                IFLA_XDP_HW_PROG_ID => {
                    s.hw_prog_id = Some(named(inner.u32(), "IFLA_XDP_HW_PROG_ID")?)
                }
                _ => {}
            }
        }
        Ok(have_attached.then_some(s))
    }

    /// The per-mode program ids present, in iproute2's order (skb, drv, hw),
    /// each with its `XDP_ATTACHED_*` mode.
    pub fn per_mode(&self) -> Vec<(u8, u32)> {
        [
            (XDP_ATTACHED_SKB, self.skb_prog_id),
            (XDP_ATTACHED_DRV, self.drv_prog_id),
            (XDP_ATTACHED_HW, self.hw_prog_id),
        ]
        .into_iter()
        .filter_map(|(mode, id)| id.map(|id| (mode, id)))
        .collect()
    }
}

fn named<T>(r: Result<T, DecodeError>, what: &'static str) -> Result<T, DecodeError> {
    super::named(r, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_as_iproute2() {
        let a = |mode, force| XdpAttach {
            program: None,
            mode,
            force,
        };
        assert_eq!(a(XdpMode::Generic, false).flags(), 3);
        assert_eq!(a(XdpMode::Driver, false).flags(), 5);
        assert_eq!(a(XdpMode::Offload, true).flags(), 8);
        assert_eq!(a(XdpMode::Auto, true).flags(), 0);
    }

    /// strace'd `ip link set dev veth0 xdpgeneric pinned PATH`:
    /// `IFLA_XDP { IFLA_XDP_FD fd, IFLA_XDP_FLAGS 3 }`; `xdpgeneric off`:
    /// `IFLA_XDP_FD -1`. The nest is the request's last 20 bytes.
    #[test]
    fn nest_bytes_as_iproute2() {
        use std::os::fd::AsFd;
        let file = std::fs::File::open("/dev/null").expect("open /dev/null");
        let bytes = |attach: XdpAttach<'_>| {
            let mut m = MessageBuilder::new(16, 0);
            attach.put(&mut m);
            let r = m.finish().expect("finish");
            let b = r.as_bytes();
            b[b.len() - 20..].to_vec()
        };
        let on = XdpAttach {
            program: Some(file.as_fd()),
            mode: XdpMode::Generic,
            force: false,
        };
        let mut want = b"\x14\x00\x2b\x00\x08\x00\x01\x00".to_vec();
        want.extend((file.as_raw_fd() as u32).to_ne_bytes());
        want.extend(b"\x08\x00\x03\x00\x03\x00\x00\x00");
        assert_eq!(bytes(on), want);
        let off = XdpAttach {
            program: None,
            mode: XdpMode::Generic,
            force: false,
        };
        let want =
            b"\x14\x00\x2b\x00\x08\x00\x01\x00\xff\xff\xff\xff\x08\x00\x03\x00\x03\x00\x00\x00";
        assert_eq!(bytes(off), want);
    }
}
