//! Fuzz the link view: any bytes, read as a datagram of `RTM_NEWLINK`s, must
//! give `Link` values or typed errors. Every kind decoder (`IFLA_INFO_DATA`)
//! and port decoder (`IFLA_INFO_SLAVE_DATA`) runs over the nested payloads the
//! link carries, whatever its kind says, so all of them see kernel-shaped data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::route::kind::{KindData, SlaveData};
use rawnet::route::link::Link;
use rawnet_fuzz::{messages, walk_message};

fuzz_target!(|data: &[u8]| {
    for (msg, _) in messages(data) {
        walk_message(&msg, 16);
        let Ok(link) = Link::parse(&msg) else {
            continue;
        };
        let _ = (link.kind_data(), link.slave_data(), link.name_or_empty());
        let owned = link.to_info();
        let _ = (owned.kind_data(), owned.slave_data());
        for nested in [link.info_data, link.info_slave_data].into_iter().flatten() {
            for kind in KindData::KINDS {
                let _ = KindData::decode(kind, nested);
            }
            for kind in SlaveData::KINDS {
                let _ = SlaveData::decode(kind, nested);
            }
        }
    }
});
