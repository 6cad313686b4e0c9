//! `bridge fdb show` output, text and `-j`: each entry written as it arrives
//! (mac, device, dst, vlan, port, vni, via, flags, master, state), and
//! `state_n2a`'s words.

use rawnet::route::neigh::*;

use super::Filter;
use crate::cli::link_names::LinkNames;
use crate::cli::lladdr::LlAddr;
use crate::cli::output::Out;
use crate::cli::CliError;

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

/// One entry as `bridge fdb show` prints it, with its newline; `dev` only
/// when the filter did not select the device.
pub(super) fn entry<B: AsRef<[u8]>>(
    o: &mut Out<'_>,
    names: &mut LinkNames,
    f: &Filter,
    n: &NeighbourData<B>,
) -> Result<(), CliError> {
    if let Some(l) = &n.lladdr {
        o.str("mac", "", LlAddr(l.as_ref()), " ");
    }
    if f.index == 0 && n.index != 0 {
        o.str("ifname", "dev ", names.name(n.index)?, " ");
    }
    if let Some(d) = n.dst {
        o.str("dst", "dst ", d, " ");
    }
    if let Some(id) = n.vlan.filter(|&id| id != 0) {
        o.num("vlan", "vlan ", id, " ");
    }
    if let Some(p) = n.port {
        o.num("port", "port ", p, " ");
    }
    if let Some(x) = n.vni {
        o.num("vni", "vni ", x, " ");
    }
    if let Some(x) = n.src_vni {
        o.num("src_vni", "src_vni ", x, " ");
    }
    if let Some(i) = n.via_index {
        if n.link_netnsid.is_some() {
            o.num("viaIfIndex", "via ifindex ", i, " ");
        } else {
            o.str("viaIf", "via ", names.name(i)?, " ");
        }
    }
    if let Some(x) = n.nh_id {
        o.num("nhid", "nhid ", x, " ");
    }
    if let Some(x) = n.link_netnsid {
        // Text `%d`, JSON the u32 the attribute holds.
        match o {
            Out::Text(_) => o.num("linkNetNsId", "link-netnsid ", x, " "),
            Out::Json(_) => o.num("linkNetNsId", "", x as u32, ""),
        }
    }
    if let Some(ci) = n.cacheinfo.filter(|_| f.stats) {
        // Seconds: the kernel's USER_HZ (100) ticks, as `bridge -s` divides.
        let (used, updated) = (ci.ndm_used / 100, ci.ndm_updated / 100);
        match o {
            Out::Text(s) => s.push_str(&format!("used {}/{} ", used as i32, updated as i32)),
            Out::Json(j) => {
                j.num("used", used);
                j.num("updated", updated);
            }
        }
    }
    o.words(
        "flags",
        FLAG_WORDS
            .iter()
            .filter(|(b, _)| n.flags & b != 0)
            .map(|(_, w)| *w),
    );
    if let Some(m) = n.master {
        o.str("master", "master ", names.name(m)?, " ");
    }
    // The last field: no space after it.
    let (text, json) = state_words(n.state);
    match o {
        Out::Text(s) => s.push_str(&text),
        Out::Json(j) => j.str("state", &json),
    }
    o.text("\n");
    Ok(())
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
        let n = NeighbourInfo {
            family: AF_BRIDGE,
            index: 4,
            state: NUD_NOARP,
            flags: NTF_SELF,
            lladdr: Some(vec![2, 0, 0, 0, 0, 0x0c]),
            vlan: Some(5),
            ..NeighbourInfo::default()
        };
        let f = Filter {
            index: 4,
            ..Filter::default()
        };
        let mut names = LinkNames::new(&crate::cli::Context::default(), None);
        let mut s = String::new();
        entry(&mut Out::Text(&mut s), &mut names, &f, &n).unwrap();
        assert_eq!(s, "02:00:00:00:00:0c vlan 5 self static\n");
    }

    #[test]
    fn stats_print_ages_in_seconds_before_the_flags() {
        let n = NeighbourInfo {
            family: AF_BRIDGE,
            index: 4,
            state: NUD_NOARP,
            flags: NTF_SELF,
            lladdr: Some(vec![2, 0, 0, 0, 0, 0x0c]),
            cacheinfo: Some(NdaCacheinfo {
                ndm_used: 1234,
                ndm_updated: 99,
                ..NdaCacheinfo::default()
            }),
            ..NeighbourInfo::default()
        };
        let mut names = LinkNames::new(&crate::cli::Context::default(), None);
        for (stats, want) in [
            (false, "02:00:00:00:00:0c self static\n"),
            (true, "02:00:00:00:00:0c used 12/0 self static\n"),
        ] {
            let f = Filter {
                index: 4,
                stats,
                ..Filter::default()
            };
            let mut s = String::new();
            entry(&mut Out::Text(&mut s), &mut names, &f, &n).unwrap();
            assert_eq!(s, want);
        }
    }
}
