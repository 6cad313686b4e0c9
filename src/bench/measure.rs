//! [`Stopwatch`]: wall time and the process's CPU time over one operation.

use std::time::{Duration, Instant};

use super::{Measurement, Operation};
use crate::error::Result;
use crate::sys::usage::{process_cpu_time, CpuTime};

/// Started before an operation, stopped after it.
pub(super) struct Stopwatch {
    wall: Instant,
    cpu: CpuTime,
}

impl Stopwatch {
    pub(super) fn start() -> Result<Stopwatch> {
        let cpu = process_cpu_time()?;
        Ok(Stopwatch {
            wall: Instant::now(),
            cpu,
        })
    }

    /// The measurement of what ran since [`Stopwatch::start`]. The wall time
    /// is at least a nanosecond, so rates are always finite.
    pub(super) fn stop(
        self,
        operation: Operation,
        count: u64,
        batch: Option<usize>,
        bytes: Option<u64>,
    ) -> Result<Measurement> {
        let wall = self.wall.elapsed().max(Duration::from_nanos(1));
        let cpu = process_cpu_time()?;
        Ok(Measurement {
            operation,
            count,
            batch,
            wall,
            user: cpu.user.saturating_sub(self.cpu.user),
            system: cpu.system.saturating_sub(self.cpu.system),
            bytes,
        })
    }
}
