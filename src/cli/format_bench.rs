//! The output printers on captured dumps, in memory, for the criterion
//! benches (`benches/format.rs` compiles the CLI in with `#[path]`): what
//! printing costs once the kernel's bytes are in, text and JSON, with every
//! device name known beforehand so that nothing is asked of the kernel.
#![allow(dead_code)]

use rawnet::netlink::Messages;
use rawnet::route::link::Link;
use rawnet::route::route::Route;
use rawnet::route::{RTM_NEWLINK, RTM_NEWROUTE};

use super::link::show::{header, HeaderStyle, Lookups};
use super::link_names::LinkNames;
use super::output::{Json, Out};
use super::route::print::{route, View};
use super::Context;

/// Text or JSON, flushed (dropped) every 64 KiB as a `show` would write it.
enum Sink {
    Text(String),
    Json(Json),
}

impl Sink {
    fn new(json: bool) -> Sink {
        if json {
            let mut j = Json::with_capacity(false, 72 << 10);
            j.begin_array();
            Sink::Json(j)
        } else {
            Sink::Text(String::with_capacity(72 << 10))
        }
    }

    fn out(&mut self) -> Out<'_> {
        match self {
            Sink::Text(s) => Out::Text(s),
            Sink::Json(j) => Out::Json(j),
        }
    }

    fn len(&mut self) -> usize {
        match self {
            Sink::Text(s) => s.len(),
            Sink::Json(j) => j.buffer_mut().len(),
        }
    }

    /// The bytes "written" so far, the buffer emptied past 64 KiB.
    fn settle(&mut self, written: &mut usize) {
        let buf = match self {
            Sink::Text(s) => s,
            Sink::Json(j) => j.buffer_mut(),
        };
        if buf.len() >= 64 << 10 {
            *written += buf.len();
            buf.clear();
        }
    }
}

/// What printing needs, made once: the names of devices 1 to 64 and of
/// every link of the link dump, known without asking the kernel.
pub struct Printers {
    names: LinkNames,
    lookups: Lookups,
}

impl Printers {
    pub fn new(link_dump: &[u8]) -> Printers {
        let ctx = Context::default();
        let mut names = LinkNames::new(&ctx, None);
        for index in 1..=64 {
            names.remember(index, &format!("dev{index}"), Default::default());
        }
        let mut lookups = Lookups::new(&ctx, None);
        for msg in links(link_dump) {
            if let Ok(l) = Link::parse(&msg) {
                lookups.remember(&l);
            }
        }
        Printers { names, lookups }
    }

    /// Every route of `dump` printed as `ip route show` prints it; the bytes printed.
    pub fn routes(&mut self, dump: &[u8], json: bool) -> usize {
        let view = View {
            table_shown: false,
            oif_shown: true,
        };
        let mut sink = Sink::new(json);
        let mut written = 0;
        for msg in Messages::new(dump).map_while(Result::ok) {
            if msg.message_type() != RTM_NEWROUTE {
                continue;
            }
            let Ok(r) = Route::parse(&msg) else { continue };
            if let Sink::Json(j) = &mut sink {
                j.begin_object();
            }
            let _ = route(&mut sink.out(), &mut self.names, &r, view);
            if let Sink::Json(j) = &mut sink {
                j.end_object();
            }
            sink.settle(&mut written);
        }
        written + sink.len()
    }

    /// Every link of `dump` printed as `ip link show` prints it; the bytes printed.
    pub fn links(&mut self, dump: &[u8], json: bool) -> usize {
        let style = HeaderStyle {
            link_command: true,
            link_line: true,
            details: false,
            queue_length: true,
        };
        let mut sink = Sink::new(json);
        let mut written = 0;
        for msg in links(dump) {
            let Ok(l) = Link::parse(&msg) else { continue };
            if let Sink::Json(j) = &mut sink {
                j.begin_object();
            }
            let _ = header(&mut sink.out(), &mut self.lookups, &l, style);
            if let Sink::Json(j) = &mut sink {
                j.end_object();
            }
            sink.settle(&mut written);
        }
        written + sink.len()
    }
}

fn links(dump: &[u8]) -> impl Iterator<Item = rawnet::netlink::Message<'_>> {
    Messages::new(dump)
        .map_while(Result::ok)
        .filter(|m| m.message_type() == RTM_NEWLINK)
}
