//! `bridge fdb show` output, text and `-j`: each entry as a list of items
//! (mac, device, dst, vlan, port, vni, via, flags, master, state) written
//! either way, and `state_n2a`'s words.

use rawnet::netlink::Connection;
use rawnet::route::neigh::*;
use rawnet::Error;

use super::Filter;
use crate::cli::json::Json;
use crate::cli::link_lookup::LinkNames;
use crate::cli::lladdr::lladdr_text;
use crate::cli::Context;

/// One printable element of an entry.
enum Item {
    /// JSON key, text (with its spacing), value.
    Str(&'static str, String, String),
    Num(&'static str, String, u64),
    Flags(Vec<&'static str>),
    /// `state`: text is the word and the newline, JSON the word (may be "").
    State(String, String),
}

const FLAG_WORDS: &[(u8, &str)] = &[
    (NTF_SELF, "self"),
    (NTF_ROUTER, "router"),
    (NTF_EXT_LEARNED, "extern_learn"),
    (NTF_OFFLOADED, "offload"),
    (NTF_MASTER, "master"),
    (NTF_STICKY, "sticky"),
];

/// iproute2's `state_n2a`: the text and the JSON word.
fn state_words(s: u16) -> (String, String) {
    let word = if s & NUD_PERMANENT != 0 {
        "permanent"
    } else if s & NUD_NOARP != 0 {
        "static"
    } else if s & NUD_STALE != 0 {
        "stale"
    } else if s & NUD_REACHABLE != 0 {
        ""
    } else {
        // C's "%#x" prints 0 without the 0x.
        let hex = if s == 0 {
            "0".into()
        } else {
            format!("{s:#x}")
        };
        return (format!("state={hex}"), hex);
    };
    (word.into(), word.into())
}

fn entry_items(
    conn: &mut Connection,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourInfo,
) -> Result<Vec<Item>, Error> {
    let mut v = Vec::new();
    if let Some(l) = &n.lladdr {
        let t = lladdr_text(l);
        v.push(Item::Str("mac", format!("{t} "), t));
    }
    if f.index == 0 && n.index != 0 {
        let name = names.name(conn, n.index)?;
        v.push(Item::Str("ifname", format!("dev {name} "), name));
    }
    if let Some(d) = n.dst {
        v.push(Item::Str("dst", format!("dst {d} "), d.to_string()));
    }
    if let Some(id) = n.vlan.filter(|&id| id != 0) {
        v.push(Item::Num("vlan", format!("vlan {id} "), u64::from(id)));
    }
    if let Some(p) = n.port {
        v.push(Item::Num("port", format!("port {p} "), u64::from(p)));
    }
    if let Some(x) = n.vni {
        v.push(Item::Num("vni", format!("vni {x} "), u64::from(x)));
    }
    if let Some(x) = n.src_vni {
        v.push(Item::Num("src_vni", format!("src_vni {x} "), u64::from(x)));
    }
    if let Some(i) = n.via_index {
        if n.link_netnsid.is_some() {
            v.push(Item::Num(
                "viaIfIndex",
                format!("via ifindex {i} "),
                u64::from(i),
            ));
        } else {
            let name = names.name(conn, i)?;
            v.push(Item::Str("viaIf", format!("via {name} "), name));
        }
    }
    if let Some(x) = n.nh_id {
        v.push(Item::Num("nhid", format!("nhid {x} "), u64::from(x)));
    }
    if let Some(x) = n.link_netnsid {
        // Text `%d`, JSON the u32 the attribute holds.
        v.push(Item::Num(
            "linkNetNsId",
            format!("link-netnsid {x} "),
            u64::from(x as u32),
        ));
    }
    v.push(Item::Flags(
        FLAG_WORDS
            .iter()
            .filter(|(b, _)| n.flags & b != 0)
            .map(|(_, w)| *w)
            .collect(),
    ));
    if let Some(m) = n.master {
        let name = names.name(conn, m)?;
        v.push(Item::Str("master", format!("master {name} "), name));
    }
    let (text, json) = state_words(n.state);
    v.push(Item::State(text, json));
    Ok(v)
}

fn text_line(items: &[Item]) -> String {
    let mut s = String::new();
    for i in items {
        match i {
            Item::Str(_, t, _) | Item::Num(_, t, _) => s.push_str(t),
            Item::Flags(words) => {
                for w in words {
                    s.push_str(w);
                    s.push(' ');
                }
            }
            Item::State(t, _) => {
                s.push_str(t);
                s.push('\n');
            }
        }
    }
    s
}

fn json_object(j: &mut Json, items: &[Item]) {
    j.begin_object();
    for i in items {
        match i {
            Item::Str(k, _, v) => j.str(k, v),
            Item::Num(k, _, v) => j.num(k, v),
            Item::Flags(words) => {
                j.key_array("flags");
                for w in words {
                    j.elem_str(w);
                }
                j.end_array();
            }
            Item::State(_, v) => j.str("state", v),
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
    names.resolve(
        conn,
        entries
            .iter()
            .flat_map(|n| [Some(n.index), n.master, n.via_index])
            .flatten()
            .filter(|&i| i != 0),
    )?;
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
    fn states_print_as_bridge_prints_them() {
        assert_eq!(state_words(NUD_NOARP | NUD_PERMANENT).0, "permanent");
        assert_eq!(state_words(NUD_NOARP).0, "static");
        assert_eq!(state_words(NUD_REACHABLE).0, "");
        assert_eq!(state_words(0), ("state=0".into(), "0".into()));
        assert_eq!(state_words(0x20), ("state=0x20".into(), "0x20".into()));
    }

    #[test]
    fn text_line_layout() {
        let items = vec![
            Item::Str("mac", "02:00:00:00:00:0c ".into(), "".into()),
            Item::Str("ifname", "dev veth2 ".into(), "".into()),
            Item::Flags(vec![]),
            Item::Str("master", "master br0 ".into(), "".into()),
            Item::State("static".into(), "static".into()),
        ];
        assert_eq!(
            text_line(&items),
            "02:00:00:00:00:0c dev veth2 master br0 static\n"
        );
    }
}
