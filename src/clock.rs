//! The wall clock as `ip -t` / `ip -ts` print it: the current time broken
//! down in the local time zone, with its microseconds.

use std::time::{SystemTime, UNIX_EPOCH};

/// A moment of the wall clock in the local time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31.
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    /// 0 to 60 (a leap second).
    pub second: u32,
    /// 0 (Sunday) to 6.
    pub weekday: u32,
    /// 0 to 999 999.
    pub microsecond: u32,
}

/// Now, in the local time zone (`gettimeofday` + `localtime_r`); `None`
/// when the C library cannot represent it.
pub fn now() -> Option<LocalTime> {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    let mut t = at(i64::try_from(since.as_secs()).ok()?)?;
    t.microsecond = since.subsec_micros();
    Some(t)
}

/// Seconds since the epoch of a moment given in nanoseconds since boot
/// (`CLOCK_BOOTTIME`, as the kernel stamps a bpf program's load), computed
/// as bpftool's `print_boot_time` does: `CLOCK_REALTIME` minus
/// `CLOCK_BOOTTIME` now, plus the moment, in whole seconds.
pub fn wall_seconds_of_boot_ns(boot_ns: u64) -> Option<i64> {
    let (real_s, real_ns) = crate::sys::clock::clock(libc::CLOCK_REALTIME)?;
    let (boot_s, boot_ns_now) = crate::sys::clock::clock(libc::CLOCK_BOOTTIME)?;
    // i128: a kernel's stamp near u64::MAX must not overflow.
    let nanos = i128::from(real_ns) - i128::from(boot_ns_now) + i128::from(boot_ns);
    let secs = i128::from(real_s) - i128::from(boot_s) + nanos / 1_000_000_000;
    i64::try_from(secs).ok()
}

/// `secs` since the epoch in the local time zone (`localtime_r`), with
/// microsecond 0.
pub fn at(secs: i64) -> Option<LocalTime> {
    let tm = crate::sys::clock::local_time(secs)?;
    let u = |v: libc::c_int| u32::try_from(v).ok();
    Some(LocalTime {
        year: tm.tm_year.checked_add(1900)?,
        month: u(tm.tm_mon)? + 1,
        day: u(tm.tm_mday)?,
        hour: u(tm.tm_hour)?,
        minute: u(tm.tm_min)?,
        second: u(tm.tm_sec)?,
        weekday: u(tm.tm_wday)?,
        microsecond: 0,
    })
}

impl LocalTime {
    /// `Mon Dec  7 09:59:41 2026`: C's `asctime` without its newline.
    pub fn asctime(&self) -> String {
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let day = DAYS.get(self.weekday as usize).copied().unwrap_or("???");
        let month = MONTHS
            .get((self.month as usize).wrapping_sub(1))
            .copied()
            .unwrap_or("???");
        format!(
            "{day} {month}{:3} {:02}:{:02}:{:02} {}",
            self.day, self.hour, self.minute, self.second, self.year
        )
    }

    /// `2026-12-07T09:59:42`: `strftime("%Y-%m-%dT%H:%M:%S")`.
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_the_c_library() {
        let t = LocalTime {
            year: 2026,
            month: 12,
            day: 7,
            hour: 9,
            minute: 59,
            second: 41,
            weekday: 1,
            microsecond: 133633,
        };
        assert_eq!(t.asctime(), "Mon Dec  7 09:59:41 2026");
        assert_eq!(t.iso(), "2026-12-07T09:59:41");
        assert!(now().is_some());
    }
}
