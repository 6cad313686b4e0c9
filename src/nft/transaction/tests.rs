//! The transaction against nft's captured batches (tests/golden/nft-core,
//! see PROVENANCE.md) and against a scripted kernel.

use std::cell::RefCell;
use std::collections::VecDeque;

use zerocopy::IntoBytes;

use super::*;
use crate::error::Result;
use crate::netlink::header::{
    NlMsgHdr, NETLINK_NETFILTER, NLMSGERR_ATTR_MSG, NLMSG_ERROR, NLM_F_ACK, NLM_F_ACK_TLVS,
    NLM_F_CAPPED,
};
use crate::netlink::Messages;
use crate::nft::chain::{
    add_chain_request, delete_chain_request, flush_chain_request, ChainSpec, Hook,
};
use crate::nft::table::{add_table_request, delete_table_request, flush_table_request};
use crate::nft::wire::{NF_ACCEPT, NF_DROP, NF_INET_LOCAL_IN, NF_INET_POST_ROUTING};
use crate::nft::Family;

/// Our datagram for `messages`, numbered from 0 as nft numbers, with the
/// `NLM_F_ACK` we ask on each message cleared (nft asks none): what nft sends.
fn as_nft_sends(messages: Vec<Request>) -> Vec<u8> {
    let mut t = Transaction::new();
    for m in messages {
        t.push(m);
    }
    let mut bytes = t.datagram(0).unwrap();
    let mut at = 0;
    let mut acked = 0;
    while at + 16 <= bytes.len() {
        let len = u32::from_ne_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let flags = u16::from_ne_bytes([bytes[at + 6], bytes[at + 7]]);
        if flags & NLM_F_ACK != 0 {
            acked += 1;
        }
        bytes[at + 6..at + 8].copy_from_slice(&(flags & !NLM_F_ACK).to_ne_bytes());
        at += len;
    }
    assert_eq!(
        acked,
        t.len(),
        "every message asks for an ack, the frame none"
    );
    bytes
}

fn golden(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/golden/nft-core/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn base(family: Family, table: &str, name: &str, hook: Hook) -> ChainSpec {
    ChainSpec {
        family,
        table: table.into(),
        name: name.into(),
        hook: Some(hook),
    }
}

fn regular(family: Family, table: &str, name: &str) -> ChainSpec {
    ChainSpec {
        family,
        table: table.into(),
        name: name.into(),
        hook: None,
    }
}

#[test]
fn batches_equal_what_nft_sends() {
    let inet = Family::Inet;
    let cases: Vec<(&str, Request)> = vec![
        (
            "add-table-inet.bin",
            add_table_request(inet, "t", false).unwrap(),
        ),
        (
            "create-table-ip.bin",
            add_table_request(Family::Ip, "t2", true).unwrap(),
        ),
        (
            "add-chain-base.bin",
            add_chain_request(
                &base(
                    inet,
                    "t",
                    "c",
                    Hook {
                        chain_type: "filter".into(),
                        hooknum: NF_INET_LOCAL_IN,
                        priority: 0,
                        device: None,
                        policy: Some(NF_DROP as u32),
                    },
                ),
                false,
            )
            .unwrap(),
        ),
        (
            "add-chain-nat.bin",
            add_chain_request(
                &base(
                    Family::Ip,
                    "t2",
                    "n",
                    Hook {
                        chain_type: "nat".into(),
                        hooknum: NF_INET_POST_ROUTING,
                        priority: 100,
                        device: None,
                        policy: None,
                    },
                ),
                false,
            )
            .unwrap(),
        ),
        (
            "add-chain-regular.bin",
            add_chain_request(&regular(inet, "t", "reg"), false).unwrap(),
        ),
        (
            "create-chain.bin",
            add_chain_request(&regular(inet, "t", "reg2"), true).unwrap(),
        ),
        (
            "flush-chain.bin",
            flush_chain_request(inet, "t", "c").unwrap(),
        ),
        ("flush-table.bin", flush_table_request(inet, "t").unwrap()),
        (
            "delete-chain.bin",
            delete_chain_request(inet, "t", "reg").unwrap(),
        ),
        (
            "delete-table.bin",
            delete_table_request(Family::Ip, "t2").unwrap(),
        ),
        (
            "add-table-netdev.bin",
            add_table_request(Family::Netdev, "nd", false).unwrap(),
        ),
        (
            "add-chain-netdev.bin",
            add_chain_request(
                &base(
                    Family::Netdev,
                    "nd",
                    "i",
                    Hook {
                        chain_type: "filter".into(),
                        hooknum: 0,
                        priority: 0,
                        device: Some("lo".into()),
                        policy: None,
                    },
                ),
                false,
            )
            .unwrap(),
        ),
    ];
    for (file, request) in cases {
        assert_eq!(as_nft_sends(vec![request]), golden(file), "{file}");
    }
    let _ = NF_ACCEPT;
}

const PORT: u32 = 77;

/// The datagrams answering a batch, made of its sequence numbers.
type Answer = Box<dyn Fn(&[u32]) -> Vec<Vec<u8>>>;

/// A kernel that answers each batch with the datagrams `answer` makes of the
/// sequence numbers of its messages (frame included).
struct Scripted {
    sent: RefCell<Vec<Vec<u8>>>,
    queue: RefCell<VecDeque<Vec<u8>>>,
    answer: Answer,
}

impl Scripted {
    fn new(answer: impl Fn(&[u32]) -> Vec<Vec<u8>> + 'static) -> Connection<Scripted> {
        Connection::over(Scripted {
            sent: RefCell::default(),
            queue: RefCell::default(),
            answer: Box::new(answer),
        })
    }
}

impl Transport for Scripted {
    fn port_id(&self) -> u32 {
        PORT
    }
    fn protocol(&self) -> i32 {
        NETLINK_NETFILTER
    }
    fn send(&self, bytes: &[u8]) -> Result<()> {
        self.sent.borrow_mut().push(bytes.to_vec());
        let seqs: Vec<u32> = Messages::new(bytes)
            .map(|m| m.unwrap().header.nlmsg_seq)
            .collect();
        self.queue.borrow_mut().extend((self.answer)(&seqs));
        Ok(())
    }
    fn recv(&self, storage: &mut Vec<u64>) -> Result<(usize, u32)> {
        self.recv_nowait(storage)?
            .ok_or_else(|| Error::Unexpected("a blocking read of an empty script".into()))
    }
    fn recv_nowait(&self, storage: &mut Vec<u64>) -> Result<Option<(usize, u32)>> {
        let Some(bytes) = self.queue.borrow_mut().pop_front() else {
            return Ok(None);
        };
        storage.resize(bytes.len().div_ceil(8), 0);
        storage.as_mut_slice().as_mut_bytes()[..bytes.len()].copy_from_slice(&bytes);
        Ok(Some((bytes.len(), 0)))
    }
}

fn error(seq: u32, errno: i32, text: Option<&str>) -> Vec<u8> {
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
        let len = 4 + t.len() + 1;
        p.extend_from_slice(&(len as u16).to_ne_bytes());
        p.extend_from_slice(&NLMSGERR_ATTR_MSG.to_ne_bytes());
        p.extend_from_slice(t.as_bytes());
        p.push(0);
        p.resize(p.len().div_ceil(4) * 4, 0);
    }
    let mut v = NlMsgHdr {
        nlmsg_len: (16 + p.len()) as u32,
        nlmsg_type: NLMSG_ERROR,
        nlmsg_flags: flags,
        nlmsg_seq: seq,
        nlmsg_pid: PORT,
    }
    .as_bytes()
    .to_vec();
    v.extend(p);
    v
}

fn three() -> Transaction {
    let mut t = Transaction::new();
    t.push(add_table_request(Family::Inet, "a", false).unwrap());
    t.push(add_chain_request(&regular(Family::Inet, "a", "b"), false).unwrap());
    t.push(add_chain_request(&regular(Family::Inet, "zz", "c"), false).unwrap());
    t
}

#[test]
fn every_ack_in_means_applied() {
    // The acks come in two datagrams, with a stranger's message between.
    let mut conn = Scripted::new(|seqs| {
        let mut first = error(seqs[1], 0, None);
        first.extend(error(seqs[2], 0, None));
        let mut stranger = error(seqs[3], libc::EPERM, None);
        stranger[12..16].copy_from_slice(&(PORT + 1).to_ne_bytes());
        stranger.extend(error(seqs[3], 0, None));
        vec![first, stranger]
    });
    three().commit(&mut conn).unwrap();
    let sent = conn.socket().sent.borrow();
    assert_eq!(sent.len(), 1, "one sendmsg for the whole transaction");
    let msgs: Vec<_> = Messages::new(&sent[0]).map(|m| m.unwrap()).collect();
    assert_eq!(msgs.len(), 5);
    assert_eq!(
        msgs[0].message_type(),
        crate::nft::wire::NFNL_MSG_BATCH_BEGIN
    );
    assert_eq!(msgs[4].message_type(), crate::nft::wire::NFNL_MSG_BATCH_END);
    assert_eq!(
        &msgs[0].payload()[2..4],
        &[0, 10],
        "res_id: the subsystem, big-endian"
    );
    for w in msgs.windows(2) {
        assert_eq!(w[1].header.nlmsg_seq, w[0].header.nlmsg_seq.wrapping_add(1));
    }
}

#[test]
fn a_refusal_names_its_message_and_keeps_the_kernels_text() {
    let mut conn = Scripted::new(|seqs| {
        vec![
            error(seqs[1], 0, None),
            error(seqs[2], 0, None),
            error(seqs[3], libc::ENOENT, Some("no such table")),
        ]
    });
    match three().commit(&mut conn) {
        Err(TransactionError::Refused(r)) => {
            assert_eq!(r.len(), 1);
            assert_eq!(r[0].index, 2);
            assert_eq!(r[0].error.errno, libc::ENOENT);
            assert_eq!(r[0].error.message.as_deref(), Some("no such table"));
            assert_eq!(r[0].error.protocol, NETLINK_NETFILTER);
        }
        other => panic!("want a refusal, got {other:?}"),
    }
}

#[test]
fn missing_acks_are_an_error_not_a_hang() {
    let mut conn = Scripted::new(|seqs| vec![error(seqs[1], 0, None)]);
    let err = three().commit(&mut conn).unwrap_err();
    assert!(
        matches!(err, TransactionError::Failed(Error::Truncated { .. })),
        "{err:?}"
    );
}

#[test]
fn a_refused_frame_is_a_failure() {
    let mut conn = Scripted::new(|seqs| vec![error(seqs[0], libc::EINVAL, None)]);
    let err = three().commit(&mut conn).unwrap_err();
    assert!(
        matches!(&err, TransactionError::Failed(Error::Kernel(k)) if k.errno == libc::EINVAL),
        "{err:?}"
    );
    let mut quiet = Scripted::new(|_| vec![]);
    Transaction::new().commit(&mut quiet).unwrap();
    assert!(quiet.socket().sent.borrow().is_empty(), "nothing to send");
}
