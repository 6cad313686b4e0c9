//! Wall-clock seconds broken down in the local time zone (`localtime_r`,
//! which reads `TZ` or `/etc/localtime` as the C library does).

/// `secs` since the epoch as the local calendar time, `None` when the C
/// library cannot represent it.
#[doc(alias = "localtime_r")]
pub(crate) fn local_time(secs: i64) -> Option<libc::tm> {
    // The libc crate marks musl's `time_t` deprecated ahead of a change of
    // width; on x86_64 it is 64 bits under both C libraries.
    #[allow(deprecated)]
    let t = libc::time_t::try_from(secs).ok()?;
    let mut tm = std::mem::MaybeUninit::<libc::tm>::zeroed();
    // SAFETY: `t` and `tm` are valid for reads and writes of their types;
    // localtime_r writes only into `tm` and returns NULL on failure.
    let ret = unsafe { libc::localtime_r(&t, tm.as_mut_ptr()) };
    if ret.is_null() {
        return None;
    }
    // SAFETY: zeroed is a valid `tm` (integers and a null pointer), and
    // localtime_r succeeded, so it filled it in.
    Some(unsafe { tm.assume_init() })
}

/// `clock_gettime(clock)` as (seconds, nanoseconds); `None` if it fails.
#[doc(alias = "clock_gettime")]
#[allow(clippy::useless_conversion)] // `time_t` and `c_long` are i32 on 32-bit targets
pub(crate) fn clock(clock: libc::clockid_t) -> Option<(i64, i64)> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid `timespec` for clock_gettime to write into.
    let ret = unsafe { libc::clock_gettime(clock, &mut ts) };
    (ret == 0).then(|| (i64::from(ts.tv_sec), i64::from(ts.tv_nsec)))
}
