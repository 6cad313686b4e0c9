//! tc's text and `-j` for a qdisc (`print_qdisc`, tc/tc_qdisc.c) and a
//! filter (`print_filter`, tc/tc_filter.c, with f_bpf.c's `bpf_print_opt`
//! and the program's id, name, tag and `jited` as `bpf_dump_prog_info`
//! reads them).

use rawnet::bpf::ProgramInfo;
use rawnet::netlink::Connection;
use rawnet::route::tc::{
    self as rtc, BpfOptions, Filter, Qdisc, TcStats, TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_NOT_IN_HW,
    TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW,
};

use super::super::link_names::LinkNames;
use super::super::output::{Out, Stream};
use super::super::{CliError, Context};
use super::{classid, protocol_name};

/// What a dump's printer knows beyond one message: link names for `dev
/// NAME`, read once before a dump that spans links, and the last program
/// a bpf filter named (filters of a hook mostly share one; asking the
/// kernel once per program id, not once per filter, keeps memory at one
/// entry whatever the number of filters).
pub struct Names {
    links: Option<LinkNames>,
    last_program: Option<(u32, Option<ProgramInfo>)>,
}

impl Names {
    pub fn new(ctx: &Context, conn: &Connection, needed: bool) -> Result<Names, CliError> {
        if !needed {
            return Ok(Names::without_links());
        }
        let mut names = LinkNames::new(ctx, Some(conn));
        names.remember_every_link()?;
        Ok(Names {
            links: Some(names),
            last_program: None,
        })
    }

    fn without_links() -> Names {
        Names {
            links: None,
            last_program: None,
        }
    }

    fn print(&mut self, o: &mut Out<'_>, index: u32) {
        if let Some(n) = &self.links {
            o.str("dev", "dev ", n.known_name(index), " ");
        }
    }

    /// The program with id `id` as the kernel reports it, `None` when it
    /// is gone or cannot be read (tc then prints the filter's tag).
    fn program(&mut self, id: u32) -> Option<&ProgramInfo> {
        if !matches!(&self.last_program, Some((last, _)) if *last == id) {
            let info = rawnet::bpf::Program::from_id(id)
                .ok()
                .flatten()
                .and_then(|p| p.info().ok());
            self.last_program = Some((id, info));
        }
        self.last_program.as_ref().and_then(|(_, i)| i.as_ref())
    }
}

/// `print_size`: `0b`, `12Kb`, `3Mb` as tc rounds them.
fn size(sz: u32) -> String {
    let t = f64::from(sz);
    let mb = (t / (1024.0 * 1024.0)).round();
    let kb = (t / 1024.0).round();
    if sz >= 1024 * 1024 && (1024.0 * 1024.0 * mb - t).abs() < 1024.0 {
        format!("{mb}Mb")
    } else if sz >= 1024 && (1024.0 * kb - t).abs() < 16.0 {
        format!("{kb}Kb")
    } else {
        format!("{sz}b")
    }
}

/// `print_tcstats2_attr` (basic and queue parts), after the record's line.
fn print_stats(o: &mut Out<'_>, s: &TcStats) {
    o.text(" ");
    o.num("bytes", "Sent ", s.bytes, " bytes");
    o.num("packets", " ", s.packets, " pkt");
    if let Some(q) = s.queue {
        o.num("drops", " (dropped ", q.drops, "");
        o.num("overlimits", ", overlimits ", q.overlimits, "");
        o.num("requeues", " requeues ", q.requeues, ") ");
        o.line_break();
        o.text(" ");
        match o {
            Out::Text(t) => {
                t.push_str("backlog ");
                t.push_str(&size(q.backlog));
            }
            Out::Json(j) => j.num("backlog", q.backlog),
        }
        o.num("qlen", " ", q.qlen, "p");
        o.text(&format!(" requeues {}", q.requeues));
    }
    o.line_break();
}

/// One qdisc; `dev_given`: `tc qdisc show dev D` leaves out `dev D`.
pub fn print_qdisc(
    ctx: &Context,
    names: &mut Names,
    out: &mut Stream,
    q: &Qdisc<'_>,
    dev_given: bool,
) -> Result<(), CliError> {
    let mut o = out.begin_record();
    if q.message_type == rtc::RTM_DELQDISC {
        o.flag("deleted", "deleted", true);
    }
    o.str("kind", "qdisc ", q.kind, "");
    o.str("handle", " ", format!("{:x}:", q.handle >> 16), "");
    o.text(" ");
    if !dev_given {
        names.print(&mut o, q.index);
    }
    if q.parent == rtc::TC_H_ROOT {
        o.flag("root", "root", true);
    } else if q.parent != 0 {
        o.str("parent", "parent ", classid(q.parent), " ");
    }
    if q.refcnt != 1 {
        o.num("refcnt", "refcnt ", q.refcnt, " ");
    }
    if q.offloaded {
        o.flag("offloaded", "offloaded", true);
    }
    if let Some(b) = q.ingress_block.filter(|&b| b != 0) {
        o.num("ingress_block", "ingress_block ", b, " ");
    }
    if let Some(b) = q.egress_block.filter(|&b| b != 0) {
        o.num("egress_block", "egress_block ", b, " ");
    }
    o.object("options", |_| {});
    if q.options.is_some() && q.kind == "ingress" {
        o.text("---------------- ");
    }
    o.line_break();
    if ctx.stats > 0 {
        if let Some(s) = q.stats().map_err(rawnet::Error::from)? {
            print_stats(&mut o, &s);
        }
    }
    out.end_record()
}

/// What `tc filter show` was narrowed to: those parts are not printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shown {
    pub dev_given: bool,
    pub parent: u32,
    pub priority: u16,
    pub protocol: u16,
}

/// One filter (or a chain's placeholder).
pub fn print_filter(
    ctx: &Context,
    names: &mut Names,
    out: &mut Stream,
    f: &Filter<'_>,
    shown: &Shown,
) -> Result<(), CliError> {
    let mut o = out.begin_record();
    if f.message_type == rtc::RTM_DELTFILTER {
        o.flag("deleted", "deleted", true);
    }
    o.text("filter ");
    if !shown.dev_given {
        names.print(&mut o, f.index);
    }
    if shown.parent == 0 || shown.parent != f.parent {
        if f.parent == rtc::TC_H_ROOT {
            o.flag("root", "root", true);
        } else if f.parent == rtc::Direction::Ingress.parent() {
            o.flag("ingress", "ingress", true);
        } else if f.parent == rtc::Direction::Egress.parent() {
            o.flag("egress", "egress", true);
        } else {
            o.str("parent", "parent ", classid(f.parent), " ");
        }
    }
    if f.info != 0 {
        let proto = f.protocol();
        if (shown.protocol == 0 || shown.protocol != proto) && proto != 0 {
            o.str("protocol", "protocol ", protocol_name(proto), " ");
        }
        let pref = f.priority();
        if (shown.priority == 0 || shown.priority != pref) && pref != 0 {
            o.num("pref", "pref ", pref, " ");
        }
    }
    if let Some(kind) = f.kind {
        o.str("kind", "", kind, " ");
    }
    if let Some(chain) = f.chain {
        o.num("chain", "chain ", chain, " ");
    }
    if f.options.is_some() {
        if let Some(b) = &f.bpf {
            if let Out::Json(j) = &mut o {
                j.key_object("options");
            }
            print_bpf(ctx, names, &mut o, f.handle, b);
            if let Out::Json(j) = &mut o {
                j.end_object();
            }
        } else {
            o.object("options", |_| {});
        }
    }
    o.line_break();
    out.end_record()
}

/// `bpf_print_opt`.
fn print_bpf(ctx: &Context, names: &mut Names, o: &mut Out<'_>, handle: u32, b: &BpfOptions<'_>) {
    if handle != 0 {
        o.str("handle", "handle ", format!("{handle:#x}"), " ");
    }
    if let Some(c) = b.classid {
        o.str("flowid", "flowid ", classid(c), " ");
    }
    if let Some(name) = b.name {
        o.str("bpf_name", "", name, " ");
    }
    if b.direct_action() {
        o.flag("direct-action", "direct-action", true);
    }
    if let Some(g) = b.flags_gen {
        if g & TCA_CLS_FLAGS_SKIP_HW != 0 {
            o.flag("skip_hw", "skip_hw", true);
        }
        if g & TCA_CLS_FLAGS_SKIP_SW != 0 {
            o.flag("skip_sw", "skip_sw", true);
        }
        if g & TCA_CLS_FLAGS_IN_HW != 0 {
            o.flag("in_hw", "in_hw", true);
        } else if g & TCA_CLS_FLAGS_NOT_IN_HW != 0 {
            o.flag("not_in_hw", "not_in_hw", true);
        }
    }
    let mut dumped = false;
    if let Some(id) = b.id {
        if let Out::Json(j) = o {
            j.key_object("prog");
        }
        o.num("id", "id ", id, " ");
        if let Some(info) = names.program(id) {
            o.str("name", "name ", info.name.as_str(), " ");
            o.str("tag", "tag ", info.tag_hex(), " ");
            let jited = info.jited_len != 0;
            match o {
                Out::Json(j) => j.num("jited", u8::from(jited)),
                Out::Text(t) if jited => t.push_str("jited "),
                Out::Text(_) => {}
            }
            if ctx.details && info.load_time_ns != 0 {
                o.num("load_time", "load_time ", info.load_time_ns, " ");
                o.num(
                    "created_by_uid",
                    "created_by_uid ",
                    info.created_by_uid,
                    " ",
                );
            }
            if ctx.details && info.btf_id != 0 {
                o.num("btf_id", "btf_id ", info.btf_id, " ");
            }
            dumped = true;
        }
        if let Out::Json(j) = o {
            j.end_object();
        }
    }
    if !dumped {
        if let Some(tag) = b.tag {
            let hex: String = tag.iter().map(|x| format!("{x:02x}")).collect();
            o.str("tag", "tag ", hex, " ");
        }
    }
}

/// The fuzzer's way in (`fuzz/fuzz_targets/tc_dump.rs`): one message of any
/// bytes decoded as a qdisc and as a filter (whatever its type says) and
/// each printed as `tc qdisc|filter show` would print it, in text and JSON,
/// with statistics and details, narrowed or not; no kernel, no link names.
/// Nothing may panic. The output is dropped unwritten.
#[cfg(fuzzing)]
pub fn print_for_fuzzing(msg: &rawnet::netlink::Message<'_>) {
    let qdisc = Qdisc::parse(msg);
    let filter = Filter::parse(msg);
    for (json, pretty, stats, details) in [
        (false, false, 0, false),
        (false, false, 1, true),
        (true, false, 1, true),
        (true, true, 0, false),
    ] {
        let ctx = Context {
            json,
            pretty,
            stats,
            details,
            ..Context::default()
        };
        let mut out = Stream::with_json(json, pretty);
        let mut names = Names::without_links();
        if let Ok(q) = &qdisc {
            let _ = print_qdisc(&ctx, &mut names, &mut out, q, stats == 0);
        }
        if let Ok(f) = &filter {
            let narrowed = Shown {
                dev_given: true,
                parent: f.parent,
                priority: f.priority(),
                protocol: f.protocol(),
            };
            for shown in [Shown::default(), narrowed] {
                let _ = print_filter(&ctx, &mut names, &mut out, f, &shown);
            }
        }
    }
}
