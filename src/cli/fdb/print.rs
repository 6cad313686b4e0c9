//! `bridge fdb show` output, text and `-j`: each entry as a record of fields
//! (mac, device, dst, vlan, port, vni, via, flags, master, state), and
//! `state_n2a`'s words.

use rawnet::netlink::Connection;
use rawnet::route::neigh::*;
use rawnet::Error;

use super::Filter;
use crate::cli::link_lookup::LinkNames;
use crate::cli::lladdr::lladdr_text;
use crate::cli::record::{print_records, Field};
use crate::cli::Context;

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

fn entry_fields(
    conn: &mut Connection,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourInfo,
) -> Result<Vec<Field>, Error> {
    let mut v = Vec::new();
    if let Some(l) = &n.lladdr {
        let t = lladdr_text(l);
        v.push(Field::str("mac", format!("{t} "), t));
    }
    if f.index == 0 && n.index != 0 {
        let name = names.name(conn, n.index)?;
        v.push(Field::str("ifname", format!("dev {name} "), name));
    }
    if let Some(d) = n.dst {
        v.push(Field::str("dst", format!("dst {d} "), d.to_string()));
    }
    if let Some(id) = n.vlan.filter(|&id| id != 0) {
        v.push(Field::num("vlan", format!("vlan {id} "), u64::from(id)));
    }
    if let Some(p) = n.port {
        v.push(Field::num("port", format!("port {p} "), u64::from(p)));
    }
    if let Some(x) = n.vni {
        v.push(Field::num("vni", format!("vni {x} "), u64::from(x)));
    }
    if let Some(x) = n.src_vni {
        v.push(Field::num("src_vni", format!("src_vni {x} "), u64::from(x)));
    }
    if let Some(i) = n.via_index {
        if n.link_netnsid.is_some() {
            v.push(Field::num(
                "viaIfIndex",
                format!("via ifindex {i} "),
                u64::from(i),
            ));
        } else {
            let name = names.name(conn, i)?;
            v.push(Field::str("viaIf", format!("via {name} "), name));
        }
    }
    if let Some(x) = n.nh_id {
        v.push(Field::num("nhid", format!("nhid {x} "), u64::from(x)));
    }
    if let Some(x) = n.link_netnsid {
        // Text `%d`, JSON the u32 the attribute holds.
        v.push(Field::num(
            "linkNetNsId",
            format!("link-netnsid {x} "),
            u64::from(x as u32),
        ));
    }
    v.push(Field::words(
        "flags",
        FLAG_WORDS
            .iter()
            .filter(|(b, _)| n.flags & b != 0)
            .map(|(_, w)| *w)
            .collect(),
    ));
    if let Some(m) = n.master {
        let name = names.name(conn, m)?;
        v.push(Field::str("master", format!("master {name} "), name));
    }
    // The last field: no space after it.
    let (text, json) = state_words(n.state);
    v.push(Field::str("state", text, json));
    Ok(v)
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
    let records = entries
        .iter()
        .map(|n| entry_fields(conn, &mut names, f, n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(print_records(ctx, &records))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::record::text_line;

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
        let fields = vec![
            Field::str("mac", "02:00:00:00:00:0c ".into(), "".into()),
            Field::str("ifname", "dev veth2 ".into(), "".into()),
            Field::words("flags", vec![]),
            Field::str("master", "master br0 ".into(), "".into()),
            Field::str("state", "static".into(), "static".into()),
        ];
        assert_eq!(
            text_line(&fields),
            "02:00:00:00:00:0c dev veth2 master br0 static\n"
        );
    }
}
