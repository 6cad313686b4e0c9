//! Sending many change requests, one at a time or pipelined, and timing it.
//!
//! [`Batch::OneAtATime`] is [`Connection::execute`]: the request with
//! `NLM_F_ACK`, then its ack, before the next. [`Batch::Pipelined`] queues
//! the requests in a [`Pipeline`] with that window. Either way the first
//! request the kernel refuses ends the run with its error.

use super::measure::Stopwatch;
use super::{Batch, Measurement, Operation, Progress};
use crate::error::Result;
use crate::netlink::{Connection, Pipeline, Request};

/// Progress is reported every this many requests (one at a time) or objects
/// (dumps); a pipeline reports each datagram answered.
pub(super) const PROGRESS_STEP: usize = 256;

/// Send requests `0..count`, made by `request_of`, as `batch` says, and
/// measure it as `operation` (building the requests included, as a tool
/// that reads commands builds them).
pub(super) fn measure_changes(
    conn: &mut Connection,
    operation: Operation,
    count: usize,
    batch: Batch,
    progress: &mut dyn Progress,
    request_of: impl FnMut(usize) -> Result<Request>,
) -> Result<Measurement> {
    progress.begin(operation, count as u64);
    let watch = Stopwatch::start()?;
    send_all(conn, count, batch, progress, request_of)?;
    let m = watch.stop(operation, count as u64, Some(batch.size()), None)?;
    progress.end(&m);
    Ok(m)
}

/// Send requests `0..count` as `batch` says; every one has been applied
/// when this returns `Ok`.
pub(super) fn send_all(
    conn: &mut Connection,
    count: usize,
    batch: Batch,
    progress: &mut dyn Progress,
    mut request_of: impl FnMut(usize) -> Result<Request>,
) -> Result<()> {
    match batch {
        Batch::OneAtATime => {
            for i in 0..count {
                conn.execute(request_of(i)?)?;
                report(progress, i + 1);
            }
        }
        Batch::Pipelined(window) => {
            // Progress is what the kernel has answered: a datagram at a time.
            let mut pipeline = Pipeline::with_window(window);
            let mut answered = 0;
            for i in 0..count {
                pipeline.push(conn, request_of(i)?, i)?;
                first_failure(&mut pipeline)?;
                if pipeline.completed() != answered {
                    answered = pipeline.completed();
                    progress.advance(answered);
                }
            }
            pipeline.flush(conn)?;
            first_failure(&mut pipeline)?;
        }
    }
    Ok(())
}

fn report(progress: &mut dyn Progress, done: usize) {
    if done % PROGRESS_STEP == 0 {
        progress.advance(done as u64);
    }
}

/// The error of the first refused request so far, if any.
fn first_failure(pipeline: &mut Pipeline) -> Result<()> {
    match pipeline.take_failures().into_iter().next() {
        Some(failure) => Err(failure.error),
        None => Ok(()),
    }
}
