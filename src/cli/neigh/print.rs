//! `ip neigh show` output, text and `-j`: each entry as a list of items
//! (destination, device, lladdr, flags, states, protocol) written either way.

use rawnet::netlink::Connection;
use rawnet::route::neigh::*;
use rawnet::Error;

use super::filter::Filter;
use crate::cli::json::Json;
use crate::cli::link_lookup::LinkNames;
use crate::cli::lladdr::lladdr_text;
use crate::cli::route::names;
use crate::cli::Context;

/// One printable element of an entry.
enum Item {
    /// JSON key, text (with its spacing), value.
    Str(&'static str, String, String),
    /// A flag: JSON `"key": null`, text `key `.
    Flag(&'static str),
    State(Vec<&'static str>),
}

const NUD_NAMES: &[(u16, &str)] = &[
    (NUD_INCOMPLETE, "INCOMPLETE"),
    (NUD_REACHABLE, "REACHABLE"),
    (NUD_STALE, "STALE"),
    (NUD_DELAY, "DELAY"),
    (NUD_PROBE, "PROBE"),
    (NUD_FAILED, "FAILED"),
    (NUD_NOARP, "NOARP"),
    (NUD_PERMANENT, "PERMANENT"),
];

fn entry_items(
    conn: &mut Connection,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourInfo,
) -> Result<Vec<Item>, Error> {
    let mut v = Vec::new();
    if let Some(d) = n.dst {
        v.push(Item::Str("dst", format!("{d} "), d.to_string()));
    }
    if f.index == 0 && n.index != 0 {
        let name = names.name(conn, n.index)?;
        v.push(Item::Str("dev", format!("dev {name} "), name));
    }
    if let Some(l) = &n.lladdr {
        let t = lladdr_text(l);
        v.push(Item::Str("lladdr", format!("lladdr {t} "), t));
    }
    if n.flags & NTF_ROUTER != 0 {
        v.push(Item::Flag("router"));
    }
    if n.flags & NTF_PROXY != 0 {
        v.push(Item::Flag("proxy"));
    }
    if n.flags_ext.unwrap_or(0) & NTF_EXT_MANAGED != 0 {
        v.push(Item::Flag("managed"));
    }
    if n.flags & NTF_EXT_LEARNED != 0 {
        v.push(Item::Flag("extern_learn"));
    }
    if n.flags & NTF_OFFLOADED != 0 {
        v.push(Item::Flag("offload"));
    }
    if n.state != 0 {
        v.push(Item::State(
            NUD_NAMES
                .iter()
                .filter(|(b, _)| n.state & b != 0)
                .map(|(_, s)| *s)
                .collect(),
        ));
    }
    if let Some(p) = n.protocol.filter(|&p| p != 0) {
        let name = names::protocol_name(p);
        v.push(Item::Str("protocol", format!("proto {name} "), name));
    }
    Ok(v)
}

/// One entry as the text line `ip neigh get` prints (text even under `-j`),
/// its device named.
pub(super) fn entry_text(conn: &mut Connection, n: &NeighbourInfo) -> Result<String, Error> {
    let mut names = LinkNames::default();
    let items = entry_items(conn, &mut names, &Filter::default(), n)?;
    Ok(text_line(&items))
}

fn text_line(items: &[Item]) -> String {
    let mut s = String::new();
    for i in items {
        match i {
            Item::Str(_, t, _) => s.push_str(t),
            Item::Flag(k) => {
                s.push_str(k);
                s.push(' ');
            }
            Item::State(states) => {
                for st in states {
                    s.push_str(st);
                    s.push(' ');
                }
            }
        }
    }
    s.push('\n');
    s
}

fn json_object(j: &mut Json, items: &[Item]) {
    j.begin_object();
    for i in items {
        match i {
            Item::Str(k, _, v) => j.str(k, v),
            // `num` writes its value as is: iproute2's print_null gives `"key":null`.
            Item::Flag(k) => j.num(k, "null"),
            Item::State(states) => {
                j.key_array("state");
                for st in states {
                    j.elem_str(st);
                }
                j.end_array();
            }
        }
    }
    j.end_object();
}

pub(super) fn render(
    ctx: &Context,
    conn: &mut Connection,
    f: &Filter,
    entries: &[NeighbourInfo],
) -> Result<String, Error> {
    let mut names = LinkNames::default();
    if f.index == 0 {
        names.resolve(conn, entries.iter().map(|n| n.index).filter(|&i| i != 0))?;
    }
    let mut all = Vec::with_capacity(entries.len());
    for n in entries {
        all.push(entry_items(conn, &mut names, f, n)?);
    }
    if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for i in &all {
            json_object(&mut j, i);
        }
        j.end_array();
        Ok(j.finish())
    } else {
        Ok(all.iter().map(|i| text_line(i)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_layout() {
        let items = vec![
            Item::Str("dst", "10.0.0.3 ".into(), "10.0.0.3".into()),
            Item::Str("dev", "dev veth0 ".into(), "veth0".into()),
            Item::Str(
                "lladdr",
                "lladdr 02:00:00:00:00:03 ".into(),
                "02:00:00:00:00:03".into(),
            ),
            Item::Flag("router"),
            Item::State(vec!["STALE"]),
        ];
        assert_eq!(
            text_line(&items),
            "10.0.0.3 dev veth0 lladdr 02:00:00:00:00:03 router STALE \n"
        );
        let mut j = Json::new(false);
        j.begin_array();
        json_object(&mut j, &items);
        j.end_array();
        assert_eq!(
            j.finish(),
            "[{\"dst\":\"10.0.0.3\",\"dev\":\"veth0\",\"lladdr\":\"02:00:00:00:00:03\",\
             \"router\":null,\"state\":[\"STALE\"]}]\n"
        );
    }
}
