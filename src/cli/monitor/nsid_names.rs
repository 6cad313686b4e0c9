//! [`NsidNames`]: the names `ip monitor nsid` prints after an id
//! (`(iproute2 netns name: NAME)`), kept as iproute2 6.1 keeps them
//! (`netns_map_init`, `print_nsid` in ip/ipnetns.c).
//!
//! At the start, every `/run/netns` name that has an id in the monitored
//! namespace is remembered, the first name per id. An event whose id is
//! remembered prints that name and forgets it (so the namespace may be gone
//! by then: its deletion still shows its name); a new id that is not
//! remembered is looked up again among the names as they are now, printed
//! and remembered. A deletion of an id not remembered has no name.

use rawnet::netlink::Connection;
use rawnet::ns::NsId;

use crate::cli::link::nsid::named_ids;

/// The remembered `(id, name)` pairs.
#[derive(Debug, Default)]
pub struct NsidNames {
    cache: Vec<(i32, String)>,
}

impl NsidNames {
    /// The names that have an id in `conn`'s namespace now.
    pub fn read(conn: &mut Connection) -> NsidNames {
        let mut names = NsidNames::default();
        for (id, name) in named_ids(conn) {
            names.remember(id, name);
        }
        names
    }

    /// iproute2's `netns_map_add`: the first name of an id stays.
    fn remember(&mut self, id: i32, name: String) {
        if id >= 0 && !self.cache.iter().any(|(i, _)| *i == id) {
            self.cache.push((id, name));
        }
    }

    /// The name to print after event `e`; `conn` looks up a new id again.
    pub fn name_for(&mut self, e: &NsId, conn: Option<&mut Connection>) -> Option<String> {
        let key = e.current_nsid.unwrap_or(e.nsid);
        if let Some(pos) = self.cache.iter().position(|(i, _)| *i == key) {
            return Some(self.cache.remove(pos).1);
        }
        if e.deleted || e.nsid < 0 {
            return None;
        }
        let (_, name) = named_ids(conn?).into_iter().find(|(i, _)| *i == e.nsid)?;
        self.remember(e.nsid, name.clone());
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(nsid: i32, deleted: bool) -> NsId {
        NsId {
            deleted,
            nsid,
            current_nsid: None,
        }
    }

    #[test]
    fn a_remembered_name_is_printed_once() {
        let mut names = NsidNames::default();
        names.remember(3, "a".into());
        names.remember(3, "b".into());
        names.remember(-1, "c".into());
        assert_eq!(names.name_for(&event(3, true), None).as_deref(), Some("a"));
        assert_eq!(names.name_for(&event(3, true), None), None);
        // Without a connection a new id is not looked up.
        assert_eq!(names.name_for(&event(4, false), None), None);
        assert_eq!(names.name_for(&event(-1, false), None), None);
    }
}
