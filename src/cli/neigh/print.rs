//! `ip neigh show` output, text and `-j`: each entry written as it arrives
//! (destination, device, lladdr, flags, states, protocol).

use rawnet::route::neigh::*;

use super::filter::Filter;
use crate::cli::link_names::LinkNames;
use crate::cli::lladdr::LlAddr;
use crate::cli::output::Out;
use crate::cli::route::names;
use crate::cli::CliError;

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

/// One entry as `ip neigh` prints it, with its newline; `dev` only when the
/// filter did not select the device.
pub(crate) fn entry<B: AsRef<[u8]>>(
    o: &mut Out<'_>,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourData<B>,
) -> Result<(), CliError> {
    if let Some(d) = n.dst {
        o.str("dst", "", d, " ");
    }
    if f.index == 0 && n.index != 0 {
        o.str("dev", "dev ", names.name(n.index)?, " ");
    }
    if let Some(l) = &n.lladdr {
        o.str("lladdr", "lladdr ", LlAddr(l.as_ref()), " ");
    }
    if n.flags & NTF_ROUTER != 0 {
        o.null("router", "router ");
    }
    if n.flags & NTF_PROXY != 0 {
        o.null("proxy", "proxy ");
    }
    if n.flags_ext.unwrap_or(0) & NTF_EXT_MANAGED != 0 {
        o.null("managed", "managed ");
    }
    if n.flags & NTF_EXT_LEARNED != 0 {
        o.null("extern_learn", "extern_learn ");
    }
    if n.flags & NTF_OFFLOADED != 0 {
        o.null("offload", "offload ");
    }
    if n.state != 0 {
        o.words(
            "state",
            NUD_NAMES
                .iter()
                .filter(|(b, _)| n.state & b != 0)
                .map(|(_, s)| *s),
        );
    }
    if let Some(p) = n.protocol.filter(|&p| p != 0) {
        o.str("protocol", "proto ", names::protocol_name(p), " ");
    }
    o.text("\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::*;
    use crate::cli::output::Json;
    use crate::cli::Context;

    fn sample() -> NeighbourInfo {
        NeighbourInfo {
            family: libc::AF_INET as u8,
            index: 3,
            state: NUD_STALE,
            flags: NTF_ROUTER,
            dst: Some(IpAddr::from([10, 0, 0, 3])),
            lladdr: Some(vec![2, 0, 0, 0, 0, 3]),
            ..NeighbourInfo::default()
        }
    }

    #[test]
    fn text_and_json_layout() {
        // The device is selected, so no name has to be looked up.
        let f = Filter {
            index: 3,
            ..Filter::default()
        };
        let mut names = LinkNames::new(&Context::default(), None);
        let mut s = String::new();
        entry(&mut Out::Text(&mut s), &mut names, &f, &sample()).unwrap();
        assert_eq!(s, "10.0.0.3 lladdr 02:00:00:00:00:03 router STALE \n");
        let mut j = Json::new(false);
        j.begin_object();
        entry(&mut Out::Json(&mut j), &mut names, &f, &sample()).unwrap();
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"dst\":\"10.0.0.3\",\"lladdr\":\"02:00:00:00:00:03\",\
             \"router\":null,\"state\":[\"STALE\"]}\n"
        );
    }
}
