//! Request/answer over a [`NetlinkSocket`] (or any [`Transport`]): sequence
//! numbers, acks, dumps.
//!
//! Only messages sent by the kernel (sender port 0) to our port with the
//! sequence number of the request in flight are looked at; anything else is
//! skipped, as iproute2 does. Dumps follow multipart messages to `NLMSG_DONE`,
//! take errors carried inside `NLMSG_DONE`, and notice `NLM_F_DUMP_INTR`.

use zerocopy::IntoBytes;

use super::ack;
use super::builder::Request;
use super::header::{
    NETLINK_NETFILTER, NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN,
    NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR,
};
use super::message::{Message, Messages};
use super::socket::NetlinkSocket;
use crate::error::{Error, Result};

/// How often an interrupted dump is started again before giving up.
pub const DUMP_ATTEMPTS: u32 = 5;
/// Upper bound on datagrams read for one request, so a misbehaving peer cannot hold us forever.
const MAX_DATAGRAMS: usize = 1 << 24;

/// What a [`Connection`] needs of its socket: send a request, receive one
/// datagram with its sender's port id, and know its own port id.
/// [`NetlinkSocket`] is the real one; tests substitute scripted kernels.
pub trait Transport {
    fn port_id(&self) -> u32;
    fn send(&self, bytes: &[u8]) -> Result<()>;
    /// One whole datagram into `storage` (grown as needed): its length and the
    /// sender's port id (0 is the kernel).
    fn recv(&self, storage: &mut Vec<u64>) -> Result<(usize, u32)>;
    /// The netlink protocol (`NETLINK_ROUTE`, `NETLINK_NETFILTER`, ...): kernel
    /// errors read over this transport say it.
    fn protocol(&self) -> i32 {
        NETLINK_ROUTE
    }
    /// As [`Transport::recv`], without waiting: `Ok(None)` when nothing is
    /// queued. Only for answers the kernel has queued before `send` returned
    /// (an nfnetlink batch is processed inside `sendmsg`).
    fn recv_nowait(&self, storage: &mut Vec<u64>) -> Result<Option<(usize, u32)>> {
        self.recv(storage).map(Some)
    }
    /// Make room for a datagram of `bytes` to be sent and for `answers`
    /// answers to queue up: a large nfnetlink batch must go in one `sendmsg`
    /// and its acks must all fit the receive buffer. Best effort.
    fn reserve(&self, _bytes: usize, _answers: usize) {}
}

impl Transport for NetlinkSocket {
    fn port_id(&self) -> u32 {
        NetlinkSocket::port_id(self)
    }
    fn send(&self, bytes: &[u8]) -> Result<()> {
        NetlinkSocket::send(self, bytes)
    }
    fn recv(&self, storage: &mut Vec<u64>) -> Result<(usize, u32)> {
        NetlinkSocket::recv(self, storage)
    }
    fn protocol(&self) -> i32 {
        NetlinkSocket::protocol(self)
    }
    fn recv_nowait(&self, storage: &mut Vec<u64>) -> Result<Option<(usize, u32)>> {
        NetlinkSocket::try_recv(self, storage)
    }
    fn reserve(&self, bytes: usize, answers: usize) {
        NetlinkSocket::reserve(self, bytes, answers)
    }
}

/// A netlink connection: a socket, the next sequence number, receive storage.
#[derive(Debug)]
pub struct Connection<T: Transport = NetlinkSocket> {
    socket: T,
    seq: u32,
    storage: Vec<u64>,
}

/// Whether a dump read a consistent table.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpStatus {
    Complete,
    /// The kernel flagged the dump `NLM_F_DUMP_INTR`: the table changed while
    /// it was being read, so objects may be missing or shown twice.
    Interrupted,
}

/// What one received message meant for the request in flight.
enum Step {
    Continue,
    Finished,
}

impl Connection {
    /// A connection on a new socket of `protocol`, in the caller's network namespace.
    pub fn new(protocol: i32) -> Result<Self> {
        Ok(Connection::over(NetlinkSocket::open(protocol)?))
    }

    /// An rtnetlink connection (`NETLINK_ROUTE`).
    pub fn route() -> Result<Self> {
        Connection::new(NETLINK_ROUTE)
    }

    /// An nfnetlink connection (`NETLINK_NETFILTER`: nf_tables, conntrack, ...).
    pub fn netfilter() -> Result<Self> {
        Connection::new(NETLINK_NETFILTER)
    }
}

impl<S: Transport> Connection<S> {
    /// A connection over `socket`, with sequence numbers seeded from the clock
    /// as iproute2 seeds them.
    pub fn over(socket: S) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() as u32);
        Connection {
            socket,
            seq: seed,
            storage: Vec::new(),
        }
    }

    pub fn socket(&self) -> &S {
        &self.socket
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    /// Send a request that changes something and wait for its ack.
    pub fn execute(&mut self, request: Request) -> Result<()> {
        self.request(request, |_| Ok(()))
    }

    /// Send a request with `NLM_F_ACK` and hand each reply to `on_reply` until
    /// the ack (a `GET` of one object answers with the object, then the ack).
    pub fn request<F>(&mut self, mut request: Request, mut on_reply: F) -> Result<()>
    where
        F: FnMut(Message<'_>) -> Result<()>,
    {
        request.add_flags(NLM_F_ACK);
        let seq = self.next_seq();
        request.set_seq(seq);
        self.socket.send(request.as_bytes())?;
        let protocol = self.socket.protocol();
        self.receive(seq, |msg, _| match msg.message_type() {
            NLMSG_ERROR => {
                ack::parse_error(&msg, Some(request.as_bytes()))?.map_err(|k| k.over(protocol))?;
                Ok(Step::Finished)
            }
            NLMSG_DONE => {
                ack::parse_done(&msg, Some(request.as_bytes())).map_err(|k| k.over(protocol))?;
                Ok(Step::Finished)
            }
            _ => {
                on_reply(msg)?;
                Ok(Step::Continue)
            }
        })
    }

    /// Send a dump request and hand every object message to `on_message` as
    /// it arrives, one datagram at a time: nothing is kept, so memory does not
    /// grow with the dump. An error of `on_message` ends the dump at once
    /// (the rest of the answer is read by the next request, which skips it).
    /// Says whether the kernel flagged the dump inconsistent (`NLM_F_DUMP_INTR`:
    /// the table changed while it was read); see [`Connection::dump_collect`]
    /// for a dump that is started again then.
    pub fn dump<E, F>(&mut self, request: Request, mut on_message: F) -> Result<DumpStatus, E>
    where
        E: From<Error>,
        F: FnMut(Message<'_>) -> Result<(), E>,
    {
        self.dump_with_lookahead(request, |msg, _| on_message(msg))
    }

    /// [`Connection::dump`], also handing `on_message` the messages after
    /// this one in the same datagram (of any type and request: check them),
    /// so that it can look ahead without keeping anything: a link printer
    /// finds the name of a peer that comes next.
    pub fn dump_with_lookahead<E, F>(
        &mut self,
        mut request: Request,
        mut on_message: F,
    ) -> Result<DumpStatus, E>
    where
        E: From<Error>,
        F: FnMut(Message<'_>, Messages<'_>) -> Result<(), E>,
    {
        request.add_flags(NLM_F_DUMP);
        let seq = self.next_seq();
        request.set_seq(seq);
        self.socket.send(request.as_bytes())?;
        let protocol = self.socket.protocol();
        let mut interrupted = false;
        self.receive(seq, |msg, rest| -> Result<Step, E> {
            interrupted |= msg.flags() & NLM_F_DUMP_INTR != 0;
            match msg.message_type() {
                NLMSG_DONE => {
                    ack::parse_done(&msg, Some(request.as_bytes()))
                        .map_err(|k| Error::Kernel(k.over(protocol)))?;
                    Ok(Step::Finished)
                }
                NLMSG_ERROR => {
                    ack::parse_error(&msg, Some(request.as_bytes()))
                        .map_err(Error::from)?
                        .map_err(|k| Error::Kernel(k.over(protocol)))?;
                    Ok(Step::Finished)
                }
                _ => {
                    on_message(msg, rest.clone())?;
                    Ok(Step::Continue)
                }
            }
        })?;
        Ok(if interrupted {
            DumpStatus::Interrupted
        } else {
            DumpStatus::Complete
        })
    }

    /// Dump and collect what `parse` keeps, starting again (at most
    /// [`DUMP_ATTEMPTS`] times) when the kernel says the dump was interrupted.
    pub fn dump_collect<T, F>(&mut self, request: Request, mut parse: F) -> Result<Vec<T>>
    where
        F: FnMut(Message<'_>) -> Result<Option<T>>,
    {
        for _ in 0..DUMP_ATTEMPTS {
            let mut out = Vec::new();
            let status = self.dump(request.clone(), |m| {
                if let Some(v) = parse(m)? {
                    out.push(v);
                }
                Ok::<(), Error>(())
            })?;
            if status == DumpStatus::Complete {
                return Ok(out);
            }
        }
        Err(Error::DumpInterrupted {
            attempts: DUMP_ATTEMPTS,
        })
    }

    /// Send many change requests in one datagram, each with its own ack, and
    /// return one result per request, in order.
    pub fn execute_batch(&mut self, requests: Vec<Request>) -> Result<Vec<Result<()>>> {
        let first = self.seq.wrapping_add(1);
        let mut datagram = Vec::new();
        let mut sent = Vec::with_capacity(requests.len());
        for mut r in requests {
            r.add_flags(NLM_F_ACK);
            r.set_seq(self.next_seq());
            datagram.extend_from_slice(r.as_bytes());
            sent.push(r);
        }
        if sent.is_empty() {
            return Ok(Vec::new());
        }
        self.socket.send(&datagram)?;
        let mut results: Vec<Option<Result<()>>> = (0..sent.len()).map(|_| None).collect();
        let mut pending = sent.len();
        let port = self.socket.port_id();
        for _ in 0..MAX_DATAGRAMS {
            if pending == 0 {
                break;
            }
            let (len, sender) = self.socket.recv(&mut self.storage)?;
            if sender != 0 {
                continue;
            }
            let bytes = &self.storage.as_bytes()[..len];
            for msg in Messages::new(bytes) {
                let msg = msg?;
                let index = msg.header.nlmsg_seq.wrapping_sub(first) as usize;
                if msg.header.nlmsg_pid != port
                    || index >= sent.len()
                    || msg.message_type() != NLMSG_ERROR
                {
                    continue;
                }
                if results[index].is_none() {
                    let outcome = ack::parse_error(&msg, Some(sent[index].as_bytes()))?;
                    results[index] =
                        Some(outcome.map_err(|k| Error::Kernel(k.over(self.socket.protocol()))));
                    pending -= 1;
                }
            }
        }
        Ok(results
            .into_iter()
            .map(|r| {
                r.unwrap_or(Err(Error::Truncated {
                    what: "batch answer",
                }))
            })
            .collect())
    }

    /// Read datagrams and feed our messages to `step` until it says finished.
    fn receive<E, F>(&mut self, seq: u32, mut step: F) -> Result<(), E>
    where
        E: From<Error>,
        F: FnMut(Message<'_>, &Messages<'_>) -> Result<Step, E>,
    {
        let port = self.socket.port_id();
        for _ in 0..MAX_DATAGRAMS {
            let (len, sender) = self.socket.recv(&mut self.storage)?;
            if sender != 0 {
                continue; // not from the kernel
            }
            let bytes = &self.storage.as_bytes()[..len];
            let mut messages = Messages::new(bytes);
            while let Some(msg) = messages.next() {
                let msg = msg.map_err(Error::from)?;
                if msg.header.nlmsg_pid != port || msg.header.nlmsg_seq != seq {
                    continue; // not an answer to this request
                }
                match msg.message_type() {
                    NLMSG_NOOP => continue,
                    NLMSG_OVERRUN => {
                        return Err(Error::Truncated {
                            what: "netlink answer (overrun)",
                        }
                        .into())
                    }
                    _ => {}
                }
                if let Step::Finished = step(msg, &messages)? {
                    return Ok(());
                }
            }
        }
        Err(Error::Truncated {
            what: "netlink answer (too many datagrams)",
        }
        .into())
    }
}

mod cursor;
mod framed;
mod pipeline;
mod views;
pub use cursor::DumpCursor;
pub use framed::frame_datagram;
pub use pipeline::{Failure, Pipeline};
pub use views::MessageView;

#[cfg(test)]
mod scripted;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::header::NLMSG_MIN_TYPE;

    /// Runs `f` on a fresh thread inside a new, empty network namespace.
    fn in_fresh_netns<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        let ns = crate::ns::NetNs::new_anonymous().expect("new network namespace");
        crate::ns::run_in(&ns, f).expect("enter the namespace")
    }

    #[test]
    fn dumps_links_of_a_fresh_namespace() {
        in_fresh_netns(|| {
            let mut conn = Connection::route().unwrap();
            let mut m = crate::netlink::MessageBuilder::new(crate::route::RTM_GETLINK, 0);
            m.header(&crate::route::link::IfInfoMsg::default());
            let types = conn
                .dump_collect(m.finish().unwrap(), |msg| Ok(Some(msg.message_type())))
                .unwrap();
            assert_eq!(types, vec![crate::route::RTM_NEWLINK]); // only lo
            assert!(types[0] >= NLMSG_MIN_TYPE);
            assert_eq!(crate::route::link::link_index(&mut conn, "lo").unwrap(), 1);
            let missing = crate::route::link::link_index(&mut conn, "nosuch").unwrap_err();
            assert!(
                matches!(&missing, crate::Error::NotFound(crate::error::NotFound::Link(n)) if n == "nosuch"),
                "{missing:?}"
            );
            assert_eq!(missing.to_string(), "no link named \"nosuch\"");
        });
    }

    #[test]
    fn a_pipeline_applies_every_request_and_names_each_failure() {
        use crate::route::prefix::Prefix;
        use crate::route::route::{add_route_request, dump_routes, RouteSpec};
        in_fresh_netns(|| {
            let mut conn = Connection::route().unwrap();
            let lo = crate::route::link::link_index(&mut conn, "lo").unwrap();
            crate::route::link::set_link(
                &mut conn,
                lo.into(),
                &crate::route::link::LinkChanges {
                    up: Some(true),
                    ..Default::default()
                },
            )
            .unwrap();
            let route = |i: u32| {
                let mut spec = RouteSpec::new(
                    libc::AF_INET as u8,
                    Some(Prefix::parse(&format!("10.{}.{}.0/24", i >> 8, i & 255)).unwrap()),
                );
                spec.oif = Some(lo);
                spec
            };
            let mut p = Pipeline::new();
            for i in 0..3000u32 {
                // Lines 1000 and 2500 repeat an earlier route: EEXIST.
                let n = if i == 1000 || i == 2500 { 7 } else { i };
                p.push(&mut conn, add_route_request(&route(n)).unwrap(), i as usize)
                    .unwrap();
            }
            // A gateway that is not reachable: the kernel explains.
            let mut bad = route(4000);
            bad.gateway = Some("192.0.2.1".parse().unwrap());
            p.push(&mut conn, add_route_request(&bad).unwrap(), 9999)
                .unwrap();
            p.flush(&mut conn).unwrap();
            let failures = p.take_failures();
            assert_eq!(p.completed(), 3001);
            let tags: Vec<usize> = failures.iter().map(|f| f.tag).collect();
            assert_eq!(tags, vec![1000, 2500, 9999]);
            for f in &failures[..2] {
                assert!(matches!(&f.error, Error::Kernel(k) if k.errno == libc::EEXIST));
            }
            assert!(
                matches!(&failures[2].error, Error::Kernel(k) if k.message.is_some()),
                "{:?}",
                failures[2].error
            );
            let routes = dump_routes(&mut conn, libc::AF_INET as u8, Some(254)).unwrap();
            assert_eq!(routes.len(), 2998);
            // The connection goes on as before.
            conn.execute(add_route_request(&route(5000)).unwrap())
                .unwrap();
        });
    }

    #[test]
    fn kernel_refusal_carries_extended_ack() {
        in_fresh_netns(|| {
            let mut conn = Connection::route().unwrap();
            // RTM_NEWLINK with an unknown kind: the kernel answers EOPNOTSUPP and,
            // as of 6.x, "Unknown device type".
            let mut m = crate::netlink::MessageBuilder::new(
                crate::route::RTM_NEWLINK,
                crate::netlink::header::NLM_F_CREATE | crate::netlink::header::NLM_F_EXCL,
            );
            m.header(&crate::route::link::IfInfoMsg::default());
            m.put_str(crate::route::link::IFLA_IFNAME, "x0");
            m.nest(crate::route::link::IFLA_LINKINFO, |m| {
                m.put_str(crate::route::link::IFLA_INFO_KIND, "no-such-kind");
            });
            let err = conn.execute(m.finish().unwrap()).unwrap_err();
            let Error::Kernel(k) = err else {
                panic!("want kernel error, got {err:?}")
            };
            assert_eq!(k.errno, libc::EOPNOTSUPP);
            assert_eq!(k.request_type, crate::route::RTM_NEWLINK);
            assert!(
                k.message
                    .as_deref()
                    .unwrap_or("")
                    .contains("Unknown device type"),
                "{k:?}"
            );
        });
    }
}
