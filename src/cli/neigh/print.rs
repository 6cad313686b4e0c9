//! `ip neigh show` output, text and `-j`: each entry written as it arrives
//! (destination, device, lladdr, flags, with `-s` the cache ages and
//! probes, states, protocol), or with `-br` the brief columns.

use std::fmt::Write;

use rawnet::route::neigh::*;

use super::filter::Filter;
use crate::cli::link_names::LinkNames;
use crate::cli::lladdr::LlAddr;
use crate::cli::output::Out;
use crate::cli::route::names;
use crate::cli::CliError;

/// Clock ticks per second of `nda_cacheinfo` (`sysconf(_SC_CLK_TCK)`).
const USER_HZ: u32 = 100;

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

/// What the global options change in an entry: `-s` (the cache ages and
/// probes) and `-br` (destination, device and lladdr in columns).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Style {
    pub stats: bool,
    pub brief: bool,
}

/// iproute2's `print_neigh_brief`: `%-39s ` destination, `%-16s ` device
/// (when the filter did not select one), the lladdr, the newline.
fn brief<B: AsRef<[u8]>>(
    o: &mut Out<'_>,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourData<B>,
) -> Result<(), CliError> {
    let dev = if f.index == 0 && n.index != 0 {
        Some(names.name(n.index)?)
    } else {
        None
    };
    match o {
        Out::Text(s) => {
            if let Some(d) = n.dst {
                let _ = write!(s, "{:<39} ", d.to_string());
            }
            if let Some(dev) = dev {
                let _ = write!(s, "{:<16} ", dev.to_string());
            }
            if let Some(l) = &n.lladdr {
                let _ = write!(s, "{}", LlAddr(l.as_ref()));
            }
            s.push('\n');
        }
        Out::Json(_) => {
            if let Some(d) = n.dst {
                o.str("dst", "", d, "");
            }
            if let Some(dev) = dev {
                o.str("dev", "", dev, "");
            }
            if let Some(l) = &n.lladdr {
                o.str("lladdr", "", LlAddr(l.as_ref()), "");
            }
        }
    }
    Ok(())
}

/// One entry as `ip neigh` prints it, with its newline; `dev` only when the
/// filter did not select the device.
pub(crate) fn entry<B: AsRef<[u8]>>(
    o: &mut Out<'_>,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourData<B>,
    style: Style,
) -> Result<(), CliError> {
    if style.brief {
        return brief(o, names, f, n);
    }
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
    if style.stats {
        // iproute2's print_cacheinfo: ages in seconds (USER_HZ ticks / 100).
        if let Some(ci) = &n.cacheinfo {
            if ci.ndm_refcnt != 0 {
                o.num("refcnt", " ref ", ci.ndm_refcnt, "");
            }
            o.num("used", " used ", ci.ndm_used / USER_HZ, "");
            o.num("confirmed", "/", ci.ndm_confirmed / USER_HZ, "");
            o.num("updated", "/", ci.ndm_updated / USER_HZ, "");
        }
        if let Some(p) = n.probes {
            o.num("probes", "probes ", p, " ");
        }
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
        entry(
            &mut Out::Text(&mut s),
            &mut names,
            &f,
            &sample(),
            Style::default(),
        )
        .unwrap();
        assert_eq!(s, "10.0.0.3 lladdr 02:00:00:00:00:03 router STALE \n");
        let mut j = Json::new(false);
        j.begin_object();
        entry(
            &mut Out::Json(&mut j),
            &mut names,
            &f,
            &sample(),
            Style::default(),
        )
        .unwrap();
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"dst\":\"10.0.0.3\",\"lladdr\":\"02:00:00:00:00:03\",\
             \"router\":null,\"state\":[\"STALE\"]}\n"
        );
    }
}
