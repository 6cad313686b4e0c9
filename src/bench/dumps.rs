//! Reading a dump and timing it: the messages handed to a closure that says
//! which are objects, their bytes counted. The count must be what the suite
//! expects, or the measurement would be of something else.
//!
//! A dump of thousands of objects takes a millisecond or two, so one reading
//! is at the mercy of the scheduler (on a busy machine a single preemption
//! doubles it); each dump is read [`READINGS`] times and the fastest reading
//! is reported, as `timeit` does.

use super::changes::PROGRESS_STEP;
use super::measure::Stopwatch;
use super::{Measurement, Operation, Progress};
use crate::error::{Error, Result};
use crate::netlink::{Connection, DumpStatus, Message, Request};

/// Readings of each dump; the fastest is the result.
pub const READINGS: usize = 5;

/// Dump `request` [`READINGS`] times and report the fastest reading as
/// `operation`: `object` is called for every message and says whether it is
/// one of the objects dumped (it may parse it, or not). Fails unless every
/// reading saw exactly `expected` objects.
pub(super) fn measure_dump(
    conn: &mut Connection,
    operation: Operation,
    request: Request,
    expected: u64,
    progress: &mut dyn Progress,
    mut object: impl FnMut(&Message<'_>) -> Result<bool>,
) -> Result<Measurement> {
    progress.begin(operation, expected);
    let mut fastest: Option<Measurement> = None;
    for reading in 0..READINGS {
        let mut objects = 0u64;
        let mut bytes = 0u64;
        let watch = Stopwatch::start()?;
        let status = conn.dump(request.clone(), |msg| {
            bytes += u64::from(msg.header.nlmsg_len);
            if object(&msg)? {
                objects += 1;
                if reading == 0 && objects % PROGRESS_STEP as u64 == 0 {
                    progress.advance(objects);
                }
            }
            Ok::<(), Error>(())
        })?;
        let m = watch.stop(operation, objects, None, Some(bytes))?;
        if status == DumpStatus::Interrupted {
            return Err(Error::DumpInterrupted { attempts: 1 });
        }
        if objects != expected {
            return Err(Error::Unexpected(format!(
                "{}: {objects} objects dumped, {expected} expected",
                operation.label()
            )));
        }
        if fastest.map_or(true, |f| m.wall < f.wall) {
            fastest = Some(m);
        }
    }
    let m = fastest.ok_or(Error::Unexpected("no reading of the dump".into()))?;
    progress.end(&m);
    Ok(m)
}
