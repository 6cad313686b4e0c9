//! Tests of the request/dump logic against scripted kernels: a [`Transport`]
//! whose answers are written out here, so sequence filtering, foreign senders,
//! multipart dumps across datagrams, errors inside `NLMSG_DONE`, interrupted
//! dumps and batches are exercised deterministically.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use zerocopy::IntoBytes;

use super::*;
use crate::netlink::header::{
    NlMsgHdr, NLMSGERR_ATTR_MSG, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI,
};
use crate::netlink::MessageBuilder;

const PORT: u32 = 4242;
const OBJECT: u16 = 16; // RTM_NEWLINK, as far as these tests care

/// A datagram and its sender's port id (0: the kernel).
type Datagram = (Vec<u8>, u32);
/// The script: the datagrams answering request number N with sequence number S.
type Answer = Box<dyn Fn(usize, u32) -> Vec<Datagram>>;

/// A kernel that answers each request with the datagrams `answer` returns for
/// (request number, request sequence number).
struct Scripted {
    sent: RefCell<Vec<Vec<u8>>>,
    queue: RefCell<VecDeque<Datagram>>,
    answer: Answer,
    requests: Cell<usize>,
}

impl Scripted {
    fn new(answer: impl Fn(usize, u32) -> Vec<Datagram> + 'static) -> Self {
        Scripted {
            sent: RefCell::new(Vec::new()),
            queue: RefCell::new(VecDeque::new()),
            answer: Box::new(answer),
            requests: Cell::new(0),
        }
    }
}

impl Transport for Scripted {
    fn port_id(&self) -> u32 {
        PORT
    }

    fn send(&self, bytes: &[u8]) -> Result<()> {
        self.sent.borrow_mut().push(bytes.to_vec());
        // A batch carries several requests: answer each.
        for msg in Messages::new(bytes) {
            let msg = msg?;
            let n = self.requests.get();
            self.requests.set(n + 1);
            let replies = (self.answer)(n, msg.header.nlmsg_seq);
            self.queue.borrow_mut().extend(replies);
        }
        Ok(())
    }

    fn recv(&self, storage: &mut Vec<u64>) -> Result<(usize, u32)> {
        let (bytes, sender) = self.queue.borrow_mut().pop_front().ok_or_else(|| {
            Error::io(
                "recv",
                std::io::Error::new(std::io::ErrorKind::WouldBlock, "nothing scripted"),
            )
        })?;
        storage.resize(bytes.len().div_ceil(8), 0);
        storage.as_mut_slice().as_mut_bytes()[..bytes.len()].copy_from_slice(&bytes);
        Ok((bytes.len(), sender))
    }

    fn recv_nowait(&self, storage: &mut Vec<u64>) -> Result<Option<(usize, u32)>> {
        if self.queue.borrow().is_empty() {
            return Ok(None);
        }
        self.recv(storage).map(Some)
    }
}

/// One message: header fields and payload.
fn message(kind: u16, flags: u16, seq: u32, port: u32, payload: &[u8]) -> Vec<u8> {
    let header = NlMsgHdr {
        nlmsg_len: (16 + payload.len()) as u32,
        nlmsg_type: kind,
        nlmsg_flags: flags,
        nlmsg_seq: seq,
        nlmsg_pid: port,
    };
    let mut v = header.as_bytes().to_vec();
    v.extend_from_slice(payload);
    v.resize(v.len().div_ceil(4) * 4, 0);
    v
}

/// An `NLMSG_ERROR` for sequence `seq`: 0 is the ack; with a text, an extended ack.
fn error(seq: u32, port: u32, errno: i32, text: Option<&str>) -> Vec<u8> {
    let mut p = (-errno).to_ne_bytes().to_vec();
    p.extend_from_slice(
        NlMsgHdr {
            nlmsg_len: 16,
            nlmsg_seq: seq,
            ..Default::default()
        }
        .as_bytes(),
    );
    let mut flags = NLM_F_CAPPED;
    if let Some(t) = text {
        flags |= NLM_F_ACK_TLVS;
        p.extend_from_slice(&attr(NLMSGERR_ATTR_MSG, t));
    }
    message(NLMSG_ERROR, flags, seq, port, &p)
}

fn attr(kind: u16, text: &str) -> Vec<u8> {
    let len = 4 + text.len() + 1;
    let mut v = (len as u16).to_ne_bytes().to_vec();
    v.extend_from_slice(&kind.to_ne_bytes());
    v.extend_from_slice(text.as_bytes());
    v.push(0);
    v.resize(len.div_ceil(4) * 4, 0);
    v
}

/// `NLMSG_DONE` with an error code (0: a clean end), and an extended ack text.
fn done(seq: u32, errno: i32, text: Option<&str>) -> Vec<u8> {
    let mut p = (-errno).to_ne_bytes().to_vec();
    let mut flags = NLM_F_MULTI;
    if let Some(t) = text {
        flags |= NLM_F_ACK_TLVS;
        p.extend_from_slice(&attr(NLMSGERR_ATTR_MSG, t));
    }
    message(NLMSG_DONE, flags, seq, PORT, &p)
}

/// A dump object whose payload is its number, flagged as part of a multipart answer.
fn object(seq: u32, n: u32, extra_flags: u16) -> Vec<u8> {
    message(
        OBJECT,
        NLM_F_MULTI | extra_flags,
        seq,
        PORT,
        &n.to_ne_bytes(),
    )
}

fn request() -> Request {
    MessageBuilder::new(18, 0).finish().unwrap()
}

fn numbers(conn: &mut Connection<Scripted>) -> Result<Vec<u32>> {
    conn.dump_collect(request(), |m| {
        Ok(Some(u32::from_ne_bytes(
            m.payload()[..4].try_into().unwrap(),
        )))
    })
}

#[test]
fn only_the_kernels_answer_to_this_request_counts() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        vec![
            (error(seq, PORT, libc::EPERM, None), 77), // not from the kernel
            (error(seq.wrapping_sub(1), PORT, libc::EEXIST, None), 0), // an older request
            (error(seq, PORT + 1, libc::EINVAL, None), 0), // another socket's
            (error(seq, PORT, 0, None), 0),            // the ack
        ]
    }));
    conn.execute(request()).unwrap();
    let sent = conn.socket().sent.borrow();
    let flags = u16::from_ne_bytes([sent[0][6], sent[0][7]]);
    assert_ne!(flags & NLM_F_ACK, 0, "execute asks for an ack");
}

#[test]
fn a_refusal_carries_the_kernels_text() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        vec![(
            error(seq, PORT, libc::EEXIST, Some("File exists, really")),
            0,
        )]
    }));
    match conn.execute(request()) {
        Err(Error::Kernel(k)) => {
            assert_eq!(k.errno, libc::EEXIST);
            assert_eq!(k.message.as_deref(), Some("File exists, really"));
        }
        other => panic!("want a kernel error, got {other:?}"),
    }
}

#[test]
fn a_dump_follows_its_parts_across_datagrams() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        let mut first = object(seq, 1, 0);
        first.extend(object(seq, 2, 0));
        let mut last = object(seq, 4, 0);
        last.extend(done(seq, 0, None));
        vec![(first, 0), (object(seq, 3, 0), 0), (last, 0)]
    }));
    assert_eq!(numbers(&mut conn).unwrap(), vec![1, 2, 3, 4]);
    let sent = conn.socket().sent.borrow();
    let flags = u16::from_ne_bytes([sent[0][6], sent[0][7]]);
    assert_eq!(flags & NLM_F_DUMP, NLM_F_DUMP);
}

#[test]
fn an_error_inside_done_ends_the_dump() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        let mut d = object(seq, 1, 0);
        d.extend(done(seq, libc::ENOENT, Some("FIB table does not exist")));
        vec![(d, 0)]
    }));
    match numbers(&mut conn) {
        Err(Error::Kernel(k)) => {
            assert_eq!(k.errno, libc::ENOENT);
            assert_eq!(k.message.as_deref(), Some("FIB table does not exist"));
        }
        other => panic!("want a kernel error, got {other:?}"),
    }
}

#[test]
fn an_interrupted_dump_is_started_again() {
    // The first two dumps are flagged inconsistent; the third is clean.
    let mut conn = Connection::over(Scripted::new(|n, seq| {
        let intr = if n < 2 { NLM_F_DUMP_INTR } else { 0 };
        let mut d = object(seq, 10 * n as u32 + 1, intr);
        d.extend(object(seq, 10 * n as u32 + 2, 0));
        d.extend(done(seq, 0, None));
        vec![(d, 0)]
    }));
    assert_eq!(
        numbers(&mut conn).unwrap(),
        vec![21, 22],
        "only the clean dump's objects"
    );
    assert_eq!(conn.socket().requests.get(), 3);
}

#[test]
fn a_dump_that_keeps_being_interrupted_gives_a_clear_error() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        let mut d = object(seq, 1, NLM_F_DUMP_INTR);
        d.extend(done(seq, 0, None));
        vec![(d, 0)]
    }));
    match numbers(&mut conn) {
        Err(Error::DumpInterrupted { attempts }) => assert_eq!(attempts, DUMP_ATTEMPTS),
        other => panic!("want DumpInterrupted, got {other:?}"),
    }
    assert_eq!(conn.socket().requests.get(), DUMP_ATTEMPTS as usize);
}

#[test]
fn a_batch_maps_each_answer_to_its_request() {
    // Answers arrive in one datagram at the end, out of order; request 1 fails.
    let mut conn = Connection::over(Scripted::new(|n, seq| {
        if n < 2 {
            return vec![];
        }
        let mut d = error(seq, PORT, 0, None);
        d.extend(error(seq.wrapping_sub(2), PORT, 0, None));
        d.extend(error(
            seq.wrapping_sub(1),
            PORT,
            libc::ENODEV,
            Some("no such device"),
        ));
        vec![(d, 0)]
    }));
    let results = conn
        .execute_batch(vec![request(), request(), request()])
        .unwrap();
    assert!(results[0].is_ok());
    assert!(matches!(&results[1], Err(Error::Kernel(k)) if k.errno == libc::ENODEV));
    assert!(results[2].is_ok());
    assert_eq!(
        conn.socket().sent.borrow().len(),
        1,
        "one datagram for the whole batch"
    );
}

fn number_of(m: &Message<'_>) -> u32 {
    u32::from_ne_bytes(m.payload()[..4].try_into().unwrap())
}

#[test]
fn a_streamed_dump_reports_an_interruption_instead_of_starting_again() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        let mut d = object(seq, 1, 0);
        d.extend(object(seq, 2, NLM_F_DUMP_INTR));
        d.extend(done(seq, 0, None));
        vec![(d, 0)]
    }));
    let mut seen = Vec::new();
    let status = conn
        .dump(request(), |m| {
            seen.push(number_of(&m));
            Ok::<(), Error>(())
        })
        .unwrap();
    assert_eq!(status, DumpStatus::Interrupted);
    assert_eq!(seen, vec![1, 2], "every object once, as it came");
    assert_eq!(conn.socket().requests.get(), 1, "not started again");
}

#[test]
fn a_callback_error_ends_a_dump_and_the_next_request_skips_the_rest() {
    let mut conn = Connection::over(Scripted::new(|n, seq| {
        if n == 0 {
            let mut d = object(seq, 1, 0);
            d.extend(object(seq, 2, 0));
            vec![(d, 0), (done(seq, 0, None), 0)]
        } else {
            vec![(error(seq, PORT, 0, None), 0)]
        }
    }));
    let result = conn.dump(request(), |m| {
        if number_of(&m) == 2 {
            return Err(Error::Unexpected("stop".into()));
        }
        Ok(())
    });
    assert!(matches!(result, Err(Error::Unexpected(_))));
    // The rest of the dump (its NLMSG_DONE) is still queued; the ack is found past it.
    conn.execute(request()).unwrap();
}

#[test]
fn a_cursor_walks_a_dump_across_datagrams_at_the_callers_pace() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        let mut first = object(seq, 1, 0);
        first.extend(error(seq, PORT + 1, libc::EPERM, None)); // another socket's
        first.extend(object(seq.wrapping_sub(1), 99, 0)); // an older request's
        let mut last = object(seq, 3, NLM_F_DUMP_INTR);
        last.extend(done(seq, 0, None));
        vec![
            (first, 0),
            (object(seq, 7, 0), 5),
            (object(seq, 2, 0), 0),
            (last, 0),
        ]
    }));
    let mut cursor = conn.dump_cursor(request()).unwrap();
    let mut seen = Vec::new();
    while let Some(m) = cursor.current() {
        seen.push(number_of(&m));
        // Looking again does not move it.
        assert_eq!(number_of(&cursor.current().unwrap()), *seen.last().unwrap());
        cursor.advance().unwrap();
    }
    assert_eq!(seen, vec![1, 2, 3]);
    assert_eq!(cursor.status(), DumpStatus::Interrupted);
    cursor.advance().unwrap();
    assert!(cursor.current().is_none(), "stays at the end");
}

#[test]
fn a_cursor_ends_with_the_kernels_error() {
    let mut conn = Connection::over(Scripted::new(|_, seq| {
        vec![
            (object(seq, 1, 0), 0),
            (done(seq, libc::EMSGSIZE, Some("too big")), 0),
        ]
    }));
    let mut cursor = conn.dump_cursor(request()).unwrap();
    assert_eq!(number_of(&cursor.current().unwrap()), 1);
    match cursor.advance() {
        Err(Error::Kernel(k)) => assert_eq!(k.message.as_deref(), Some("too big")),
        other => panic!("want the kernel's error, got {other:?}"),
    }
    assert!(cursor.current().is_none());
    let mut empty = Connection::over(Scripted::new(|_, seq| vec![(done(seq, 0, None), 0)]));
    assert!(empty.dump_cursor(request()).unwrap().current().is_none());
}

#[test]
fn a_pipeline_window_bounds_the_requests_of_a_datagram() {
    // Every message is acked, the barrier too: no failure, every datagram answered.
    let mut conn = Connection::over(Scripted::new(|_, seq| vec![(error(seq, PORT, 0, None), 0)]));
    let mut p = Pipeline::with_window(3);
    assert_eq!(p.window(), 3);
    for tag in 0..7 {
        p.push(&mut conn, request(), tag).unwrap();
    }
    p.flush(&mut conn).unwrap();
    assert_eq!(p.completed(), 7);
    assert!(p.take_failures().is_empty());
    let per_datagram: Vec<(usize, u16)> = conn
        .socket()
        .sent
        .borrow()
        .iter()
        .map(|d| {
            let msgs: Vec<Message<'_>> = Messages::new(d).map(|m| m.unwrap()).collect();
            (msgs.len(), msgs.last().unwrap().message_type())
        })
        .collect();
    // Three requests and the barrier, three and the barrier, the last one and the barrier.
    assert_eq!(
        per_datagram,
        vec![(4, NLMSG_NOOP), (4, NLMSG_NOOP), (2, NLMSG_NOOP)]
    );
    // The window is kept within 1..=MAX_REQUESTS; the default is the largest.
    assert_eq!(Pipeline::with_window(0).window(), 1);
    assert_eq!(
        Pipeline::with_window(1 << 20).window(),
        Pipeline::MAX_WINDOW
    );
    assert_eq!(Pipeline::new().window(), Pipeline::MAX_WINDOW);
}
