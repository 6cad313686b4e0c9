//! Reading a dump and timing it: the messages handed to a closure that says
//! which are objects, their bytes counted. The count must be what the suite
//! expects, or the measurement would be of something else.

use super::changes::PROGRESS_STEP;
use super::measure::Stopwatch;
use super::{Measurement, Operation, Progress};
use crate::error::{Error, Result};
use crate::netlink::{Connection, DumpStatus, Message, Request};

/// Dump `request` and measure it as `operation`: `object` is called for
/// every message and says whether it is one of the objects dumped (it may
/// parse it, or not). Fails unless exactly `expected` objects came.
pub(super) fn measure_dump(
    conn: &mut Connection,
    operation: Operation,
    request: Request,
    expected: u64,
    progress: &mut dyn Progress,
    mut object: impl FnMut(&Message<'_>) -> Result<bool>,
) -> Result<Measurement> {
    progress.begin(operation, expected);
    let mut objects = 0u64;
    let mut bytes = 0u64;
    let watch = Stopwatch::start()?;
    let status = conn.dump(request, |msg| {
        bytes += u64::from(msg.header.nlmsg_len);
        if object(&msg)? {
            objects += 1;
            if objects % PROGRESS_STEP as u64 == 0 {
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
        return Err(Error::Invalid(format!(
            "{}: {objects} objects dumped, {expected} expected",
            operation.label()
        )));
    }
    progress.end(&m);
    Ok(m)
}
