//! `rawnet tuntap`: iproute2's `ip tuntap` grammar (`add | del | show | list |
//! lst | help`), its output and its errors.
//!
//! `user` and `group` take numbers only: a name would need NSS (`getpwnam`),
//! which a static binary must not call, so a name is one clear error. Devices
//! are made on a thread inside the `-n` namespace (a tun/tap device belongs to
//! the namespace of the thread that creates it). All words are checked before
//! `/dev/net/tun` is opened, so bad input creates nothing.

use rawnet::ns::run_in;
use rawnet::tun::{self, Mode, TunDevice, TunTapSpec};

use super::arg_errors::{garbage, invalid_arg, unknown_command, usage_error};
use super::os_args::{escape, unescape};
use super::output::Json;
use super::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := NUMBER
       GROUP := NUMBER
(rawnet does not look up user or group names: give the numeric id)
";

/// Run `rawnet tuntap ARGS...`.
pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut args = Args::new(args);
    let Some(cmd) = args.next() else {
        return show(ctx);
    };
    if matches(cmd, "add") {
        let spec = parse(args.rest(), true)?;
        in_namespace(ctx, || tun::add_tuntap(&spec).map(drop))?;
        Ok(0)
    } else if matches(cmd, "delete") {
        let spec = parse(args.rest(), false)?;
        in_namespace(ctx, || tun::delete_tuntap(&spec))?;
        Ok(0)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        // iproute2 ignores anything after show.
        show(ctx)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else {
        Err(unknown_command("tuntap", cmd))
    }
}

/// Run `f` in the `-n` namespace (on a thread inside it), or here.
fn in_namespace(
    ctx: &Context,
    f: impl FnOnce() -> rawnet::Result<()> + Send,
) -> Result<(), CliError> {
    match ctx.namespace()? {
        None => f()?,
        Some(ns) => run_in(&ns, f)??,
    }
    Ok(())
}

/// iproute2's `parse_args`: keywords in its order of matching, a bare word
/// (or `name NAME`) is the name. `user`/`group` are keywords for `add` only
/// (`with_owner`); for `del` they are taken as a name, as in iproute2.
fn parse(words: &[String], with_owner: bool) -> Result<TunTapSpec, CliError> {
    let mut args = Args::new(words);
    let mut spec = TunTapSpec::new(None, Mode::Tun);
    let mut mode = None;
    while let Some(w) = args.next() {
        if matches(w, "mode") {
            let m = args.value(w)?;
            let asked = if matches(m, "tun") {
                Mode::Tun
            } else if matches(m, "tap") {
                Mode::Tap
            } else {
                return Err(CliError::usage(format!("Unknown tunnel mode \"{m}\"")));
            };
            if mode.is_some_and(|old| old != asked) {
                return Err(CliError::usage(
                    "You managed to ask for more than one tunnel mode.",
                ));
            }
            mode = Some(asked);
        } else if with_owner && matches(w, "user") {
            spec.owner = Some(numeric_id(args.value(w)?, "user")?);
        } else if with_owner && matches(w, "group") {
            spec.group = Some(numeric_id(args.value(w)?, "group")?);
        } else if matches(w, "pi") {
            spec.packet_info = true;
        } else if matches(w, "one_queue") {
            spec.one_queue = true;
        } else if matches(w, "vnet_hdr") {
            spec.vnet_hdr = true;
        } else if matches(w, "multi_queue") {
            spec.multi_queue = true;
        } else if matches(w, "dev") {
            let name = args.value(w)?;
            check_ifname(name, "dev")?;
            spec.name = Some(unescape(name).into_owned());
        } else {
            let name = if matches(w, "name") {
                args.value(w)?
            } else if matches(w, "help") {
                return Err(usage_error(USAGE));
            } else {
                w
            };
            if spec.name.is_some() {
                return Err(garbage("name", name));
            }
            check_ifname(name, "name")?;
            spec.name = Some(unescape(name).into_owned());
        }
    }
    let Some(mode) = mode else {
        // iproute2 returns -1 from do_add here (exit 1), unlike its other errors.
        return Err(CliError::new(1, "You failed to specify a tunnel mode"));
    };
    spec.mode = mode;
    Ok(spec)
}

fn check_ifname(name: &str, what: &str) -> Result<(), CliError> {
    rawnet::route::link::validate_ifname(&unescape(name))
        .map_err(|_| invalid_arg(name, &format!("\"{what}\" not a valid ifname")))
}

/// A uid or gid as iproute2 reads a number (`strtol`, base 10, the whole
/// word; a negative number wraps, as its cast to `uid_t` does). Names are
/// refused: looking them up needs NSS.
fn numeric_id(word: &str, what: &str) -> Result<u32, CliError> {
    let digits = word.strip_prefix(['+', '-']).unwrap_or(word);
    let value = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse::<i64>().ok())
        .flatten();
    match value {
        Some(v) => Ok(v as u32),
        None => Err(CliError::usage(format!(
            "invalid {what} \"{word}\": rawnet takes numeric {what} ids only (it does not look up names)"
        ))),
    }
}

/// `rawnet tuntap show`: one line per device, as iproute2 prints it.
fn show(ctx: &Context) -> Result<i32, CliError> {
    let ns = ctx.namespace()?;
    let devices = tun::list_tuntaps(ns.as_ref())?;
    let processes = if ctx.details {
        attached_processes()
    } else {
        Vec::new()
    };
    let holders =
        |name: &str| -> Vec<&Holder> { processes.iter().filter(|p| p.device == name).collect() };
    if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for d in &devices {
            j.begin_object();
            j.str("ifname", &escape(&d.name));
            j.key_array("flags");
            for w in tun::show_words(d.flags()) {
                j.elem_str(&w);
            }
            j.end_array();
            owner_group(d, |key, v| j.num(key, v));
            if ctx.details {
                j.key_array("processes");
                for p in holders(&String::from_utf8_lossy(&d.name)) {
                    j.begin_object();
                    j.str("name", &p.command);
                    j.num("pid", p.pid);
                    j.end_object();
                }
                j.end_array();
            }
            j.end_object();
        }
        j.end_array();
        super::output::print(&j.finish())?;
        return Ok(0);
    }
    let mut out = String::new();
    for d in &devices {
        out.push_str(&escape(&d.name));
        out.push(':');
        for w in tun::show_words(d.flags()) {
            out.push(' ');
            out.push_str(&w);
        }
        owner_group(d, |key, v| out.push_str(&format!(" {key} {v}")));
        if ctx.details {
            out.push_str("\n\tAttached to processes:");
            for p in holders(&String::from_utf8_lossy(&d.name)) {
                out.push_str(&format!("{}({})", p.command, p.pid));
            }
        }
        out.push('\n');
    }
    super::output::print(&out)?;
    Ok(0)
}

/// `user N` and `group N` when set.
fn owner_group(d: &TunDevice, mut put: impl FnMut(&str, u32)) {
    if let Some(uid) = d.info.owner {
        put("user", uid);
    }
    if let Some(gid) = d.info.group {
        put("group", gid);
    }
}

/// A process holding `/dev/net/tun` attached to a device.
struct Holder {
    pid: u32,
    command: String,
    device: String,
}

/// Who holds tun descriptors (`ip -d tuntap show`): every `/proc/PID/fd/N`
/// that is `/dev/net/tun`, with the `iff:` line of its fdinfo. As in
/// iproute2, names are not told apart by namespace, and unreadable entries
/// are skipped (quietly, where iproute2 prints an error for each).
fn attached_processes() -> Vec<Holder> {
    let mut found = Vec::new();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return found;
    };
    let me = std::process::id();
    for p in procs.flatten() {
        let Some(pid) = p.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let is_tun =
                std::fs::read_link(fd.path()).is_ok_and(|t| t.as_os_str() == tun::TUN_DEVICE);
            if !is_tun {
                continue;
            }
            let info = format!("/proc/{pid}/fdinfo/{}", fd.file_name().to_string_lossy());
            let Ok(text) = std::fs::read_to_string(info) else {
                continue;
            };
            let Some(device) = text
                .lines()
                .find_map(|l| l.strip_prefix("iff:").map(|d| d.trim().to_string()))
            else {
                continue;
            };
            let command = std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .map(|c| c.trim_end().to_string())
                .unwrap_or_else(|_| "<NULL>".into());
            found.push(Holder {
                pid,
                command,
                device,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_iproute2_grammar() {
        let s = parse(&words("dev t0 mode tap user 1000 group 27 pi mu v o"), true).unwrap();
        assert_eq!(s.name.as_deref(), Some(&b"t0"[..]));
        assert_eq!(s.mode, Mode::Tap);
        assert_eq!((s.owner, s.group), (Some(1000), Some(27)));
        assert!(s.packet_info && s.multi_queue && s.vnet_hdr && s.one_queue);
        let s = parse(&words("m tun t1"), true).unwrap();
        assert_eq!((s.name.as_deref(), s.mode), (Some(&b"t1"[..]), Mode::Tun));
        assert_eq!(
            parse(&words("mode tun user -5"), true).unwrap().owner,
            Some(4294967291)
        );
    }

    #[test]
    fn refuses_what_iproute2_refuses() {
        let e = |s: &str| parse(&words(s), true).unwrap_err();
        assert_eq!(e("dev t0").message, "You failed to specify a tunnel mode");
        assert_eq!(e("dev t0").code, 1);
        assert_eq!(e("mode foo").message, "Unknown tunnel mode \"foo\"");
        assert_eq!(
            e("mode tun mode tap").message,
            "You managed to ask for more than one tunnel mode."
        );
        assert_eq!(
            e("mode tun t0 t1").message,
            "Error: either \"name\" is duplicate, or \"t1\" is a garbage."
        );
        assert!(e("mode tun user alice")
            .message
            .starts_with("invalid user \"alice\""));
        assert!(e("mode tun group 1x")
            .message
            .starts_with("invalid group \"1x\""));
        assert_eq!(
            e("dev a234567890123456 mode tun").message,
            "Error: argument \"a234567890123456\" is wrong: \"dev\" not a valid ifname"
        );
        assert_eq!(e("mode").code, 255);
        // For del, `user` is not a keyword: it is a name, and then 5 is garbage.
        let d = parse(&words("mode tun user 5"), false).unwrap_err();
        assert!(d.message.contains("\"5\" is a garbage"), "{}", d.message);
    }
}
