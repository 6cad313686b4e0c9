//! rawnet: the Linux primitives under container networking, driven with raw syscalls.
//!
//! Layers (dependencies point one way):
//!
//! ```text
//! cli (binary)  ->  lab | bench | features | trace  ->  route | ns | icmp | tun  ->  netlink  ->  sys
//! ```
//!
//! - [`bpf`]: eBPF programs and maps through the `bpf(2)` system call;
//!   instructions, their disassembly and an assembler.
//! - [`netlink`]: family-agnostic netlink: wire headers, attributes, builder,
//!   socket, request/ack and dumps.
//! - [`route`]: rtnetlink objects: links, addresses, routes.
//! - [`ns`]: network namespaces, named the way iproute2 names them.
//! - [`icmp`]: ICMP echo (ping) for IPv4 and IPv6.
//! - [`lab`]: the classic scenarios, built only from the public API.
//! - [`bench`](mod@bench): this kernel's netlink throughput, measured in private namespaces.
//! - [`tun`]: tun/tap devices (ioctls on `/dev/net/tun`).
//! - [`features`]: which device kinds the running kernel supports.
//! - [`process`]: ending the process as a C tool would on a closed pipe.
//! - [`trace`]: netlink datagrams decoded to text for people (`rawnet --trace`).
//!
//! `sys` holds the only `unsafe` code of the crate.
#![deny(unsafe_code)]

pub mod bench;
pub mod bpf;
pub mod clock;
pub mod error;
pub mod features;
pub mod icmp;
pub mod lab;
pub mod netlink;
pub mod nft;
pub mod ns;
pub mod process;
pub mod route;
#[allow(unsafe_code)]
mod sys;
#[cfg(test)]
mod test_support;
pub mod trace;
pub mod tun;

pub use error::{DecodeError, Error, KernelError, Problem, Result};
