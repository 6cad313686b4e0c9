//! `ip neigh show` output, text and `-j`: each entry as a record of fields
//! (destination, device, lladdr, flags, states, protocol).

use rawnet::netlink::Connection;
use rawnet::route::neigh::*;
use rawnet::Error;

use super::filter::Filter;
use crate::cli::link_lookup::LinkNames;
use crate::cli::lladdr::lladdr_text;
use crate::cli::record::{print_records, text_line, Field};
use crate::cli::route::names;
use crate::cli::Context;

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

fn entry_fields(
    conn: &mut Connection,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourInfo,
) -> Result<Vec<Field>, Error> {
    let mut v = Vec::new();
    if let Some(d) = n.dst {
        v.push(Field::str("dst", format!("{d} "), d.to_string()));
    }
    if f.index == 0 && n.index != 0 {
        let name = names.name(conn, n.index)?;
        v.push(Field::str("dev", format!("dev {name} "), name));
    }
    if let Some(l) = &n.lladdr {
        let t = lladdr_text(l);
        v.push(Field::str("lladdr", format!("lladdr {t} "), t));
    }
    if n.flags & NTF_ROUTER != 0 {
        v.push(Field::flag("router"));
    }
    if n.flags & NTF_PROXY != 0 {
        v.push(Field::flag("proxy"));
    }
    if n.flags_ext.unwrap_or(0) & NTF_EXT_MANAGED != 0 {
        v.push(Field::flag("managed"));
    }
    if n.flags & NTF_EXT_LEARNED != 0 {
        v.push(Field::flag("extern_learn"));
    }
    if n.flags & NTF_OFFLOADED != 0 {
        v.push(Field::flag("offload"));
    }
    if n.state != 0 {
        v.push(Field::words(
            "state",
            NUD_NAMES
                .iter()
                .filter(|(b, _)| n.state & b != 0)
                .map(|(_, s)| *s)
                .collect(),
        ));
    }
    if let Some(p) = n.protocol.filter(|&p| p != 0) {
        let name = names::protocol_name(p);
        v.push(Field::str("protocol", format!("proto {name} "), name));
    }
    Ok(v)
}

/// One entry as the text line `ip neigh get` prints (text even under `-j`),
/// its device named.
pub(super) fn entry_text(conn: &mut Connection, n: &NeighbourInfo) -> Result<String, Error> {
    let mut names = LinkNames::default();
    let fields = entry_fields(conn, &mut names, &Filter::default(), n)?;
    Ok(text_line(&fields))
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
    let records = entries
        .iter()
        .map(|n| entry_fields(conn, &mut names, f, n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(print_records(ctx, &records))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::Json;
    use crate::cli::record::json_object;

    #[test]
    fn text_and_json_layout() {
        let fields = vec![
            Field::str("dst", "10.0.0.3 ".into(), "10.0.0.3".into()),
            Field::str("dev", "dev veth0 ".into(), "veth0".into()),
            Field::str(
                "lladdr",
                "lladdr 02:00:00:00:00:03 ".into(),
                "02:00:00:00:00:03".into(),
            ),
            Field::flag("router"),
            Field::words("state", vec!["STALE"]),
        ];
        assert_eq!(
            text_line(&fields),
            "10.0.0.3 dev veth0 lladdr 02:00:00:00:00:03 router STALE \n"
        );
        let mut j = Json::new(false);
        j.begin_array();
        json_object(&mut j, &fields);
        j.end_array();
        assert_eq!(
            j.finish(),
            "[{\"dst\":\"10.0.0.3\",\"dev\":\"veth0\",\"lladdr\":\"02:00:00:00:00:03\",\
             \"router\":null,\"state\":[\"STALE\"]}]\n"
        );
    }
}
