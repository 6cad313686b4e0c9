//! Traffic control, the part a container host needs to run eBPF at tc: the
//! clsact (and ingress) qdisc and the bpf classifier on its ingress and
//! egress hooks, and the qdisc and filter dumps. One file per concern:
//!
//! - `consts.rs` — `RTM_*QDISC`, `RTM_*TFILTER`, `TC_H_*`, `TCA_*`,
//!   `TCA_BPF_*`, `TCA_CLS_FLAGS_*`
//! - `view.rs` — `struct tcmsg`, the borrowed views [`Qdisc`], [`Filter`],
//!   [`BpfOptions`], [`TcStats`] (pure)
//! - `ops.rs` — [`Direction`], [`BpfFilter`], the request builders and the
//!   operations (`add_clsact`, `add_bpf_filter`, `delete_filters`, the dumps)
//! - `tests.rs` — requests against tc 6.1 captures, captured dumps decoded

mod consts;
mod ops;
mod view;

pub use consts::*;
pub use ops::*;
pub use view::*;

#[cfg(test)]
mod tests;
