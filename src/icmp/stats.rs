//! Ping statistics: counters and round-trip times, computed as iputils does.
//!
//! Round-trip times are whole microseconds (iputils' resolution). The mean
//! deviation is `sqrt(mean(rtt²) - mean(rtt)²)` in integer arithmetic, with
//! iputils' order of operations so small times round the same way. Duplicates
//! count in the round-trip figures (as in iputils) but not in `received`.

use std::time::Duration;

/// Round-trip summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RttSummary {
    pub min: Duration,
    pub avg: Duration,
    pub max: Duration,
    pub mdev: Duration,
    /// Exponentially weighted moving average (weight 1/8), iputils' `ewma`.
    pub ewma: Duration,
}

/// The final tally of a ping run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Statistics {
    pub transmitted: u64,
    /// Distinct sequence numbers answered.
    pub received: u64,
    pub duplicates: u64,
    /// ICMP errors about our requests, and local errors (`-M do` over the path MTU).
    pub errors: u64,
    /// From the first send to the end.
    pub elapsed: Duration,
    /// `None` when nothing was received or the payload was too small to carry a timestamp.
    pub rtt: Option<RttSummary>,
    /// Most requests in flight when a reply came back (iputils' `pipe`).
    pub pipe: u64,
}

impl Statistics {
    /// `(transmitted - received) * 100 / transmitted`; 0 when nothing was sent.
    pub fn loss_percent(&self) -> f64 {
        if self.transmitted == 0 {
            return 0.0;
        }
        self.transmitted.saturating_sub(self.received) as f64 * 100.0 / self.transmitted as f64
    }
}

/// Running sums of round-trip times in microseconds.
#[derive(Debug, Clone, Default)]
pub(crate) struct RttAccumulator {
    count: u64,
    sum: u128,
    sum2: u128,
    min: u64,
    max: u64,
    /// 8 × the moving average, as iputils keeps it.
    ewma8: u64,
}

impl RttAccumulator {
    pub(crate) fn add(&mut self, rtt: Duration) {
        let us = u64::try_from(rtt.as_micros()).unwrap_or(u64::MAX);
        if self.count == 0 {
            self.min = us;
            self.max = us;
            self.ewma8 = us.saturating_mul(8);
        } else {
            self.min = self.min.min(us);
            self.max = self.max.max(us);
            self.ewma8 = self.ewma8.saturating_add(us).saturating_sub(self.ewma8 / 8);
        }
        self.count += 1;
        self.sum += u128::from(us);
        self.sum2 += u128::from(us) * u128::from(us);
    }

    /// Largest round-trip time so far.
    pub(crate) fn max(&self) -> Option<Duration> {
        (self.count > 0).then(|| Duration::from_micros(self.max))
    }

    pub(crate) fn summary(&self) -> Option<RttSummary> {
        if self.count == 0 {
            return None;
        }
        let n = u128::from(self.count);
        let avg = self.sum / n;
        // (Σt² - (Σt)²/n) / n, never negative in exact arithmetic; clamp rounding.
        let var = self.sum2.saturating_sub(self.sum * self.sum / n) / n;
        let us = |v: u128| Duration::from_micros(u64::try_from(v).unwrap_or(u64::MAX));
        Some(RttSummary {
            min: Duration::from_micros(self.min),
            avg: us(avg),
            max: Duration::from_micros(self.max),
            mdev: us(isqrt(var)),
            ewma: Duration::from_micros(self.ewma8 / 8),
        })
    }
}

/// Integer square root (floor).
fn isqrt(v: u128) -> u128 {
    if v < 2 {
        return v;
    }
    // Newton's method from an over-estimate; strictly decreasing until the floor.
    let mut x = 1u128 << (128 - v.leading_zeros()).div_ceil(2);
    loop {
        let y = (x + v / x) / 2;
        if y >= x {
            return x;
        }
        x = y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(v: u64) -> Duration {
        Duration::from_micros(v)
    }

    #[test]
    fn isqrt_floor() {
        for v in 0..10_000u128 {
            let r = isqrt(v);
            assert!(r * r <= v && (r + 1) * (r + 1) > v, "{v}");
        }
        assert_eq!(
            isqrt(u128::from(u64::MAX) * u128::from(u64::MAX)),
            u128::from(u64::MAX)
        );
    }

    #[test]
    fn iputils_example() {
        // The iputils run at the top of this crate's notes: 0.217 and 0.047 ms
        // gave rtt min/avg/max/mdev = 0.047/0.132/0.217/0.085 ms.
        let mut a = RttAccumulator::default();
        a.add(us(217));
        a.add(us(47));
        let s = a.summary().expect("two samples");
        assert_eq!(
            (s.min, s.avg, s.max, s.mdev),
            (us(47), us(132), us(217), us(85))
        );
    }

    #[test]
    fn mdev_matches_definition() {
        let samples = [40u64, 50, 60];
        let mut a = RttAccumulator::default();
        for s in samples {
            a.add(us(s));
        }
        let s = a.summary().expect("samples");
        assert_eq!(s.avg, us(50));
        // sqrt((1600+2500+3600)/3 - 2500) = sqrt(66.67) = 8.16 -> 8
        assert_eq!(s.mdev, us(8));
        assert_eq!(s.ewma, us((40 * 8 + 50 - 40 + 60 - (40 * 8 + 10) / 8) / 8));
    }

    #[test]
    fn single_and_empty() {
        assert_eq!(RttAccumulator::default().summary(), None);
        let mut a = RttAccumulator::default();
        a.add(us(1234));
        let s = a.summary().expect("one");
        assert_eq!(
            (s.min, s.avg, s.max, s.mdev),
            (us(1234), us(1234), us(1234), us(0))
        );
    }

    #[test]
    fn loss() {
        let s = |transmitted, received| Statistics {
            transmitted,
            received,
            ..Default::default()
        };
        assert_eq!(s(0, 0).loss_percent(), 0.0);
        assert_eq!(s(3, 3).loss_percent(), 0.0);
        assert_eq!(s(3, 0).loss_percent(), 100.0);
        assert!((s(3, 2).loss_percent() - 33.333333).abs() < 1e-4);
    }
}
