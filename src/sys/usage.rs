//! CPU time the process has used so far (`getrusage(RUSAGE_SELF)`): all its
//! threads, the ended ones included.

use std::time::Duration;

use crate::error::Result;

/// User and system CPU time of the whole process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CpuTime {
    pub user: Duration,
    pub system: Duration,
}

fn duration_of(t: libc::timeval) -> Duration {
    let secs = u64::try_from(t.tv_sec).unwrap_or(0);
    let micros = u32::try_from(t.tv_usec).unwrap_or(0).min(999_999);
    Duration::new(secs, micros * 1000)
}

/// The process's CPU time so far.
#[doc(alias = "getrusage")]
pub(crate) fn process_cpu_time() -> Result<CpuTime> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `usage` points to writable memory of the size of a `rusage`,
    // which getrusage fills in; RUSAGE_SELF is a valid `who`.
    let ret = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    super::cvt(ret, "getrusage")?;
    // SAFETY: zeroed is a valid `rusage` (plain integers), and getrusage
    // succeeded, so it wrote the whole struct.
    let usage = unsafe { usage.assume_init() };
    Ok(CpuTime {
        user: duration_of(usage.ru_utime),
        system: duration_of(usage.ru_stime),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_grows_with_work() {
        let before = process_cpu_time().unwrap();
        let total = |t: CpuTime| t.user + t.system;
        // Spin until the kernel has charged some CPU time (bounded: 5 s).
        let start = std::time::Instant::now();
        let mut x = 0u64;
        let mut after = before;
        while total(after) == total(before) && start.elapsed() < Duration::from_secs(5) {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
            after = process_cpu_time().unwrap();
        }
        assert!(total(after) > total(before));
        assert!(after.user >= before.user && after.system >= before.system);
    }

    #[test]
    fn timeval_converts_without_panicking() {
        let t = libc::timeval {
            tv_sec: 2,
            tv_usec: 500_000,
        };
        assert_eq!(duration_of(t), Duration::from_millis(2500));
        let odd = libc::timeval {
            tv_sec: -1,
            tv_usec: 2_000_000,
        };
        assert_eq!(duration_of(odd), Duration::new(0, 999_999_000));
    }
}
