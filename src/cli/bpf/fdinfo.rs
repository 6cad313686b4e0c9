//! What bpftool reads beside the info struct: `/proc/self/fdinfo/FD`
//! fields (`memlock`, `frozen`) and the wall-clock time of a load
//! (`CLOCK_BOOTTIME` nanoseconds made into `%FT%T%z` as bpftool's
//! `print_boot_time`).

use std::os::fd::{AsRawFd, BorrowedFd};

/// The value of `field:` in the descriptor's fdinfo, as written there.
pub fn field(fd: BorrowedFd<'_>, field: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", fd.as_raw_fd())).ok()?;
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k == field).then(|| v.trim().to_string())
    })
}

/// Seconds since the epoch of a moment given in boot-time nanoseconds, as
/// bpftool's `print_boot_time` computes them.
pub fn wall_seconds(boot_ns: u64) -> Option<i64> {
    rawnet::clock::wall_seconds_of_boot_ns(boot_ns)
}

/// `strftime("%FT%T%z")` of `secs` in the local time zone.
pub fn iso_local(secs: i64) -> Option<String> {
    let t = rawnet::clock::at(secs)?;
    let local = days_from_civil(t.year, t.month, t.day) * 86400
        + i64::from(t.hour) * 3600
        + i64::from(t.minute) * 60
        + i64::from(t.second);
    let off = (local - secs) / 60;
    let sign = if off < 0 { '-' } else { '+' };
    Some(format!(
        "{}{sign}{:02}{:02}",
        t.iso(),
        off.abs() / 60,
        off.abs() % 60
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        assert_eq!(days_from_civil(2026, 12, 7), 20794);
    }
}
