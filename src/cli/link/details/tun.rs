//! `-d` for tun and tap devices (`tun_print_opt`, ip/iptuntap.c): type, pi,
//! vnet_hdr, the queues of a multi-queue device, persist, owner and group.
//!
//! The owner and group are shown by name where /etc/passwd and /etc/group
//! have one, as `getpwuid`/`getgrgid` with files would find it; rawnet reads
//! those files itself (a static binary must not load NSS modules).

use rawnet::route::kind::tun::{TUN_TYPE_TAP, TUN_TYPE_TUN};
use rawnet::route::kind::TunInfo;

use crate::cli::output::Out;

pub(super) fn tun(out: &mut Out<'_>, t: &TunInfo) {
    if let Some(ty) = t.tun_type {
        let name = match ty {
            TUN_TYPE_TUN => "tun".to_string(),
            TUN_TYPE_TAP => "tap".to_string(),
            other => format!("UNKNOWN:{other}"),
        };
        out.string("type", "type", &name);
    }
    if let Some(v) = t.pi {
        out.on_off("pi", "pi", v);
    }
    if let Some(v) = t.vnet_hdr {
        out.on_off("vnet_hdr", "vnet_hdr", v);
    }
    if t.multi_queue.unwrap_or(0) == 0 {
        out.json_bool("multi_queue", false);
    } else {
        out.flag("multi_queue", "multi_queue", true);
        if let Some(n) = t.num_queues {
            out.uint("numqueues", "numqueues", n);
        }
        if let Some(n) = t.num_disabled_queues {
            out.uint("numdisabled", "numdisabled", n);
        }
    }
    if let Some(v) = t.persist {
        out.on_off("persist", "persist", v);
    }
    if let Some(uid) = t.owner {
        id_or_name(out, "user", "/etc/passwd", uid);
    }
    if let Some(gid) = t.group {
        id_or_name(out, "group", "/etc/group", gid);
    }
}

/// `KEY NAME ` (a JSON string) when `file` names `id`, else `KEY ID ` (a number).
fn id_or_name(out: &mut Out<'_>, key: &str, file: &str, id: u32) {
    match std::fs::read_to_string(file)
        .ok()
        .and_then(|text| name_of_id(&text, id))
    {
        Some(name) => out.string(key, key, &name),
        None => out.uint(key, key, id),
    }
}

/// The first name whose third `:`-separated field is `id`, in the format
/// of /etc/passwd and /etc/group (`name:x:id:...`).
fn name_of_id(text: &str, id: u32) -> Option<String> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        let id_field = f.nth(1)?;
        (id_field.parse::<u32>().ok() == Some(id) && !name.is_empty()).then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ip -d link show` printed for `tuntap add tun0 mode tun
    /// multi_queue` and a plain tap (`-j`: `multi_queue` false is there too).
    #[test]
    fn as_ip_d_link_show() {
        use crate::cli::output::Json;
        let tun = TunInfo {
            tun_type: Some(TUN_TYPE_TUN),
            pi: Some(0),
            vnet_hdr: Some(0),
            persist: Some(1),
            multi_queue: Some(1),
            num_queues: Some(0),
            num_disabled_queues: Some(0),
            ..TunInfo::default()
        };
        let mut s = String::new();
        super::tun(&mut Out::Text(&mut s), &tun);
        assert_eq!(
            s,
            "type tun pi off vnet_hdr off multi_queue numqueues 0 numdisabled 0 persist on "
        );
        let tap = TunInfo {
            tun_type: Some(TUN_TYPE_TAP),
            multi_queue: Some(0),
            ..tun
        };
        let mut j = Json::new(false);
        j.begin_object();
        super::tun(&mut Out::Json(&mut j), &tap);
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"type\":\"tap\",\"pi\":false,\"vnet_hdr\":false,\"multi_queue\":false,\"persist\":true}\n"
        );
    }

    #[test]
    fn names_from_passwd_format() {
        let passwd = "# c\nroot:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/x\n";
        assert_eq!(name_of_id(passwd, 0).as_deref(), Some("root"));
        assert_eq!(name_of_id(passwd, 65534).as_deref(), Some("nobody"));
        assert_eq!(name_of_id(passwd, 7), None);
        assert_eq!(name_of_id("broken", 0), None);
    }
}
