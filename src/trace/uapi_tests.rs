//! Every name in the trace's tables against the kernel's uapi headers: a C
//! program includes them and prints each constant's value and each struct's
//! size; they must equal ours. Needs a C compiler and linux-libc-dev (as
//! tests/uapi.rs does); without them the test fails saying so.

use std::collections::HashMap;

use crate::test_support::cprobe;

use super::super::spec::{Names, Struct, Table, Value};
use super::super::{control, errno, message, rtnl, PROTOCOLS};

/// What the tables name: constants with values, structs with sizes.
#[derive(Default)]
struct Catalogue {
    tables: Vec<&'static Table>,
    constants: Vec<(&'static str, u64)>,
    structs: Vec<&'static Struct>,
}

impl Catalogue {
    fn table(&mut self, table: &'static Table) {
        if self.tables.iter().any(|t| std::ptr::eq(*t, table)) {
            return;
        }
        self.tables.push(table);
        for a in table.attrs {
            self.constants.push((a.name, u64::from(a.number)));
            self.value(&a.value);
        }
    }

    fn names(&mut self, names: &'static Names) {
        self.constants
            .extend(names.list.iter().map(|n| (n.name, n.value)));
    }

    fn structure(&mut self, st: &'static Struct) {
        if self.structs.iter().any(|s| std::ptr::eq(*s, st)) {
            return;
        }
        self.structs.push(st);
        for f in st.fields {
            self.value(&f.value);
        }
    }

    fn value(&mut self, value: &'static Value) {
        match value {
            Value::Enum(_, names) | Value::Flags(_, names) => self.names(names),
            Value::Fields(st) => self.structure(st),
            Value::Nest(table) => self.table(table),
            Value::ByKind(_, kinds) => kinds.iter().for_each(|k| self.value(&k.value)),
            Value::ByFamily(choices, other) => {
                choices.iter().for_each(|(_, v)| self.value(v));
                self.value(other);
            }
            Value::Header(st, table) | Value::Records(st, table) => {
                self.structure(st);
                self.table(table);
            }
            _ => {}
        }
    }
}

fn catalogue() -> Catalogue {
    let mut c = Catalogue::default();
    for p in PROTOCOLS {
        for m in p.messages {
            c.constants.push((m.name, u64::from(m.number)));
            c.structure(m.header);
            c.table(m.attrs);
        }
    }
    c.table(&control::NLMSGERR);
    c.names(&errno::ERRNO);
    message::names().into_iter().for_each(|n| c.names(n));
    rtnl::names().into_iter().for_each(|n| c.names(n));
    c
}

/// Every attribute table reachable from the protocols and the extended ack.
pub(super) fn all_tables() -> Vec<&'static Table> {
    catalogue().tables
}

const HEADERS: &[&str] = &[
    "stdio.h",
    "sys/socket.h",
    "errno.h",
    "linux/netlink.h",
    "linux/rtnetlink.h",
    "linux/if.h",
    "linux/if_arp.h",
    "linux/if_link.h",
    "linux/if_addr.h",
    "linux/if_bridge.h",
    "linux/if_tunnel.h",
    "linux/if_vlan.h",
    "linux/neighbour.h",
    "linux/veth.h",
];

fn kernel_values(c: &Catalogue) -> HashMap<String, u64> {
    let mut program: String = HEADERS
        .iter()
        .map(|h| format!("#include <{h}>\n"))
        .collect();
    program.push_str("int main(void) {\n");
    for (name, _) in &c.constants {
        program.push_str(&format!(
            "    printf(\"{name} %llu\\n\", (unsigned long long)({name}));\n"
        ));
    }
    for st in &c.structs {
        let name = st.name;
        program.push_str(&format!(
            "    printf(\"sizeof {name} %llu\\n\", (unsigned long long)sizeof(struct {name}));\n"
        ));
    }
    program.push_str("    return 0;\n}\n");
    cprobe::values("trace-uapi", "the trace names probe", &program)
}

#[test]
fn every_name_is_the_kernels() {
    let c = catalogue();
    assert!(c.constants.len() > 500, "{} names", c.constants.len());
    let kernel = kernel_values(&c);
    for (name, value) in &c.constants {
        assert_eq!(kernel.get(*name), Some(value), "{name}");
    }
    for st in &c.structs {
        let key = format!("sizeof {}", st.name);
        assert_eq!(kernel.get(&key), Some(&(st.size() as u64)), "{key}");
    }
}
