//! The `bpf(2)` layouts of `sys/bpf.rs` and the numbers of the `bpf` enums
//! against `/usr/include/linux/bpf.h`: a C program prints each size, offset
//! and value; ours must be equal. Needs a C compiler and linux-libc-dev (as
//! tests/uapi.rs does); without them the test fails saying so.

use std::collections::HashMap;
use std::mem::{offset_of, size_of};

use super::*;
use crate::bpf::kinds::NEWER_THAN_HEADERS;
use crate::bpf::{AttachType, LinkType, MapType, ProgramType};
use crate::test_support::cprobe;

const PROGRAM: &str = r#"
#include <stdio.h>
#include <stddef.h>
#include <linux/bpf.h>
#define P(name, value) printf("%s %ld\n", name, (long)(value))
#define A(f) P("bpf_attr." #f, offsetof(union bpf_attr, f))
#define PI(f) P("bpf_prog_info." #f, offsetof(struct bpf_prog_info, f))
#define MI(f) P("bpf_map_info." #f, offsetof(struct bpf_map_info, f))
#define LI(f) P("bpf_link_info." #f, offsetof(struct bpf_link_info, f))
#define C(x) P(#x, x)
int main(void) {
    P("sizeof bpf_prog_info", sizeof(struct bpf_prog_info));
    P("sizeof bpf_map_info", sizeof(struct bpf_map_info));
    P("sizeof prog_load", offsetof(union bpf_attr, core_relo_rec_size) + 4);
    P("sizeof map_create", offsetof(union bpf_attr, map_extra) + 8);
    P("sizeof map_elem", offsetof(union bpf_attr, flags) + 8);
    P("sizeof obj", offsetof(union bpf_attr, file_flags) + 4);
    P("sizeof get_id", offsetof(union bpf_attr, open_flags) + 4);
    P("sizeof info", sizeof(((union bpf_attr *)0)->info));
    A(map_type); A(key_size); A(value_size); A(max_entries); A(map_flags);
    A(inner_map_fd); A(numa_node); A(map_name); A(map_ifindex); A(btf_fd);
    A(btf_key_type_id); A(btf_value_type_id); A(btf_vmlinux_value_type_id); A(map_extra);
    A(map_fd); A(key); A(value); A(next_key); A(flags);
    A(prog_type); A(insn_cnt); A(insns); A(license); A(log_level); A(log_size);
    A(log_buf); A(kern_version); A(prog_flags); A(prog_name); A(prog_ifindex);
    A(expected_attach_type); A(prog_btf_fd); A(func_info_rec_size); A(func_info);
    A(func_info_cnt); A(line_info_rec_size); A(line_info); A(line_info_cnt);
    A(attach_btf_id); A(attach_prog_fd); A(core_relo_cnt); A(fd_array); A(core_relos);
    A(core_relo_rec_size);
    A(pathname); A(bpf_fd); A(file_flags);
    A(start_id); A(prog_id); A(map_id); A(next_id); A(open_flags);
    A(info.bpf_fd); A(info.info_len); A(info.info);
    PI(type); PI(id); PI(tag); PI(jited_prog_len); PI(xlated_prog_len);
    PI(jited_prog_insns); PI(xlated_prog_insns); PI(load_time); PI(created_by_uid);
    PI(nr_map_ids); PI(map_ids); PI(name); PI(ifindex); PI(netns_dev); PI(netns_ino);
    PI(nr_jited_ksyms); PI(nr_jited_func_lens); PI(jited_ksyms); PI(jited_func_lens);
    PI(btf_id); PI(func_info_rec_size); PI(func_info); PI(nr_func_info); PI(nr_line_info);
    PI(line_info); PI(jited_line_info); PI(nr_jited_line_info); PI(line_info_rec_size);
    PI(jited_line_info_rec_size); PI(nr_prog_tags); PI(prog_tags); PI(run_time_ns);
    PI(run_cnt); PI(recursion_misses); PI(verified_insns); PI(attach_btf_obj_id);
    PI(attach_btf_id);
    MI(type); MI(id); MI(key_size); MI(value_size); MI(max_entries); MI(map_flags);
    MI(name); MI(ifindex); MI(btf_vmlinux_value_type_id); MI(netns_dev); MI(netns_ino);
    MI(btf_id); MI(btf_key_type_id); MI(btf_value_type_id); MI(map_extra);
    C(BPF_PROG_TYPE_SOCKET_FILTER); C(BPF_PROG_TYPE_KPROBE); C(BPF_PROG_TYPE_SCHED_CLS);
    C(BPF_PROG_TYPE_SCHED_ACT); C(BPF_PROG_TYPE_TRACEPOINT); C(BPF_PROG_TYPE_XDP);
    C(BPF_PROG_TYPE_PERF_EVENT); C(BPF_PROG_TYPE_CGROUP_SKB); C(BPF_PROG_TYPE_CGROUP_SOCK);
    C(BPF_PROG_TYPE_LWT_IN); C(BPF_PROG_TYPE_LWT_OUT); C(BPF_PROG_TYPE_LWT_XMIT);
    C(BPF_PROG_TYPE_SOCK_OPS); C(BPF_PROG_TYPE_SK_SKB); C(BPF_PROG_TYPE_CGROUP_DEVICE);
    C(BPF_PROG_TYPE_SK_MSG); C(BPF_PROG_TYPE_RAW_TRACEPOINT); C(BPF_PROG_TYPE_TRACING);
    C(BPF_PROG_TYPE_STRUCT_OPS); C(BPF_PROG_TYPE_EXT); C(BPF_PROG_TYPE_LSM);
    C(BPF_PROG_TYPE_SYSCALL);
    C(BPF_MAP_TYPE_HASH); C(BPF_MAP_TYPE_ARRAY); C(BPF_MAP_TYPE_PROG_ARRAY);
    C(BPF_MAP_TYPE_PERF_EVENT_ARRAY); C(BPF_MAP_TYPE_PERCPU_HASH);
    C(BPF_MAP_TYPE_PERCPU_ARRAY); C(BPF_MAP_TYPE_STACK_TRACE); C(BPF_MAP_TYPE_CGROUP_ARRAY);
    C(BPF_MAP_TYPE_LRU_HASH); C(BPF_MAP_TYPE_LRU_PERCPU_HASH); C(BPF_MAP_TYPE_LPM_TRIE);
    C(BPF_MAP_TYPE_ARRAY_OF_MAPS); C(BPF_MAP_TYPE_HASH_OF_MAPS); C(BPF_MAP_TYPE_DEVMAP);
    C(BPF_MAP_TYPE_SOCKMAP); C(BPF_MAP_TYPE_CPUMAP); C(BPF_MAP_TYPE_XSKMAP);
    C(BPF_MAP_TYPE_SOCKHASH); C(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE); C(BPF_MAP_TYPE_QUEUE);
    C(BPF_MAP_TYPE_STACK); C(BPF_MAP_TYPE_DEVMAP_HASH); C(BPF_MAP_TYPE_RINGBUF);
    C(BPF_MAP_TYPE_BLOOM_FILTER);
    C(BPF_CGROUP_INET_INGRESS); C(BPF_CGROUP_INET_EGRESS); C(BPF_XDP);
    C(BPF_XDP_DEVMAP); C(BPF_XDP_CPUMAP); C(BPF_SK_SKB_STREAM_PARSER);
    C(BPF_FLOW_DISSECTOR);
    C(BPF_LINK_TYPE_RAW_TRACEPOINT); C(BPF_LINK_TYPE_TRACING); C(BPF_LINK_TYPE_CGROUP);
    C(BPF_LINK_TYPE_ITER); C(BPF_LINK_TYPE_NETNS); C(BPF_LINK_TYPE_XDP);
    C(BPF_LINK_TYPE_PERF_EVENT); C(BPF_LINK_TYPE_KPROBE_MULTI); C(BPF_LINK_TYPE_STRUCT_OPS);
    A(target_fd); A(attach_bpf_fd); A(attach_type); A(attach_flags); A(replace_bpf_fd);
    A(query.target_fd); A(query.attach_type); A(query.query_flags); A(query.attach_flags);
    A(query.prog_ids); A(query.prog_cnt); A(query.prog_attach_flags);
    A(link_create.prog_fd); A(link_create.target_ifindex); A(link_create.attach_type);
    A(link_create.flags); A(link_create.target_btf_id); A(link_create.tracing.cookie);
    A(link_detach.link_fd); A(link_id);
    LI(type); LI(id); LI(prog_id); LI(xdp.ifindex); LI(netns.netns_ino);
    LI(netns.attach_type); LI(cgroup.cgroup_id); LI(cgroup.attach_type);
    return 0;
}
"#;

fn kernel_values() -> HashMap<String, i64> {
    cprobe::values("bpf-uapi", "the bpf uapi probe", PROGRAM)
}

macro_rules! off {
    ($t:ty, $f:ident) => {
        offset_of!($t, $f) as i64
    };
}

#[test]
fn bpf_layouts_and_numbers_match_the_uapi_headers() {
    let k = kernel_values();
    let ours: Vec<(&str, i64)> = vec![
        ("sizeof bpf_prog_info", size_of::<BpfProgInfo>() as i64),
        ("sizeof bpf_map_info", size_of::<BpfMapInfo>() as i64),
        // Our ProgLoadAttr ends with 4 bytes of padding the 6.1 union has too.
        ("sizeof prog_load", size_of::<ProgLoadAttr>() as i64 - 4),
        ("sizeof map_create", size_of::<MapCreateAttr>() as i64),
        ("sizeof map_elem", size_of::<MapElemAttr>() as i64),
        ("sizeof obj", size_of::<ObjAttr>() as i64),
        ("sizeof get_id", size_of::<GetIdAttr>() as i64),
        ("sizeof info", size_of::<InfoAttr>() as i64),
        ("bpf_attr.map_type", off!(MapCreateAttr, map_type)),
        ("bpf_attr.key_size", off!(MapCreateAttr, key_size)),
        ("bpf_attr.value_size", off!(MapCreateAttr, value_size)),
        ("bpf_attr.max_entries", off!(MapCreateAttr, max_entries)),
        ("bpf_attr.map_flags", off!(MapCreateAttr, map_flags)),
        ("bpf_attr.inner_map_fd", off!(MapCreateAttr, inner_map_fd)),
        ("bpf_attr.numa_node", off!(MapCreateAttr, numa_node)),
        ("bpf_attr.map_name", off!(MapCreateAttr, map_name)),
        ("bpf_attr.map_ifindex", off!(MapCreateAttr, map_ifindex)),
        ("bpf_attr.btf_fd", off!(MapCreateAttr, btf_fd)),
        (
            "bpf_attr.btf_key_type_id",
            off!(MapCreateAttr, btf_key_type_id),
        ),
        (
            "bpf_attr.btf_value_type_id",
            off!(MapCreateAttr, btf_value_type_id),
        ),
        (
            "bpf_attr.btf_vmlinux_value_type_id",
            off!(MapCreateAttr, btf_vmlinux_value_type_id),
        ),
        ("bpf_attr.map_extra", off!(MapCreateAttr, map_extra)),
        ("bpf_attr.map_fd", off!(MapElemAttr, map_fd)),
        ("bpf_attr.key", off!(MapElemAttr, key)),
        ("bpf_attr.value", off!(MapElemAttr, value)),
        ("bpf_attr.next_key", off!(MapElemAttr, value)),
        ("bpf_attr.flags", off!(MapElemAttr, flags)),
        ("bpf_attr.prog_type", off!(ProgLoadAttr, prog_type)),
        ("bpf_attr.insn_cnt", off!(ProgLoadAttr, insn_cnt)),
        ("bpf_attr.insns", off!(ProgLoadAttr, insns)),
        ("bpf_attr.license", off!(ProgLoadAttr, license)),
        ("bpf_attr.log_level", off!(ProgLoadAttr, log_level)),
        ("bpf_attr.log_size", off!(ProgLoadAttr, log_size)),
        ("bpf_attr.log_buf", off!(ProgLoadAttr, log_buf)),
        ("bpf_attr.kern_version", off!(ProgLoadAttr, kern_version)),
        ("bpf_attr.prog_flags", off!(ProgLoadAttr, prog_flags)),
        ("bpf_attr.prog_name", off!(ProgLoadAttr, prog_name)),
        ("bpf_attr.prog_ifindex", off!(ProgLoadAttr, prog_ifindex)),
        (
            "bpf_attr.expected_attach_type",
            off!(ProgLoadAttr, expected_attach_type),
        ),
        ("bpf_attr.prog_btf_fd", off!(ProgLoadAttr, prog_btf_fd)),
        (
            "bpf_attr.func_info_rec_size",
            off!(ProgLoadAttr, func_info_rec_size),
        ),
        ("bpf_attr.func_info", off!(ProgLoadAttr, func_info)),
        ("bpf_attr.func_info_cnt", off!(ProgLoadAttr, func_info_cnt)),
        (
            "bpf_attr.line_info_rec_size",
            off!(ProgLoadAttr, line_info_rec_size),
        ),
        ("bpf_attr.line_info", off!(ProgLoadAttr, line_info)),
        ("bpf_attr.line_info_cnt", off!(ProgLoadAttr, line_info_cnt)),
        ("bpf_attr.attach_btf_id", off!(ProgLoadAttr, attach_btf_id)),
        (
            "bpf_attr.attach_prog_fd",
            off!(ProgLoadAttr, attach_prog_fd),
        ),
        ("bpf_attr.core_relo_cnt", off!(ProgLoadAttr, core_relo_cnt)),
        ("bpf_attr.fd_array", off!(ProgLoadAttr, fd_array)),
        ("bpf_attr.core_relos", off!(ProgLoadAttr, core_relos)),
        (
            "bpf_attr.core_relo_rec_size",
            off!(ProgLoadAttr, core_relo_rec_size),
        ),
        ("bpf_attr.pathname", off!(ObjAttr, pathname)),
        ("bpf_attr.bpf_fd", off!(ObjAttr, bpf_fd)),
        ("bpf_attr.file_flags", off!(ObjAttr, file_flags)),
        ("bpf_attr.start_id", off!(GetIdAttr, start_id)),
        ("bpf_attr.prog_id", off!(GetIdAttr, start_id)),
        ("bpf_attr.map_id", off!(GetIdAttr, start_id)),
        ("bpf_attr.next_id", off!(GetIdAttr, next_id)),
        ("bpf_attr.open_flags", off!(GetIdAttr, open_flags)),
        ("bpf_attr.info.bpf_fd", off!(InfoAttr, bpf_fd)),
        ("bpf_attr.info.info_len", off!(InfoAttr, info_len)),
        ("bpf_attr.info.info", off!(InfoAttr, info)),
        ("bpf_prog_info.type", off!(BpfProgInfo, type_)),
        ("bpf_prog_info.id", off!(BpfProgInfo, id)),
        ("bpf_prog_info.tag", off!(BpfProgInfo, tag)),
        (
            "bpf_prog_info.jited_prog_len",
            off!(BpfProgInfo, jited_prog_len),
        ),
        (
            "bpf_prog_info.xlated_prog_len",
            off!(BpfProgInfo, xlated_prog_len),
        ),
        (
            "bpf_prog_info.jited_prog_insns",
            off!(BpfProgInfo, jited_prog_insns),
        ),
        (
            "bpf_prog_info.xlated_prog_insns",
            off!(BpfProgInfo, xlated_prog_insns),
        ),
        ("bpf_prog_info.load_time", off!(BpfProgInfo, load_time)),
        (
            "bpf_prog_info.created_by_uid",
            off!(BpfProgInfo, created_by_uid),
        ),
        ("bpf_prog_info.nr_map_ids", off!(BpfProgInfo, nr_map_ids)),
        ("bpf_prog_info.map_ids", off!(BpfProgInfo, map_ids)),
        ("bpf_prog_info.name", off!(BpfProgInfo, name)),
        ("bpf_prog_info.ifindex", off!(BpfProgInfo, ifindex)),
        ("bpf_prog_info.netns_dev", off!(BpfProgInfo, netns_dev)),
        ("bpf_prog_info.netns_ino", off!(BpfProgInfo, netns_ino)),
        (
            "bpf_prog_info.nr_jited_ksyms",
            off!(BpfProgInfo, nr_jited_ksyms),
        ),
        (
            "bpf_prog_info.nr_jited_func_lens",
            off!(BpfProgInfo, nr_jited_func_lens),
        ),
        ("bpf_prog_info.jited_ksyms", off!(BpfProgInfo, jited_ksyms)),
        (
            "bpf_prog_info.jited_func_lens",
            off!(BpfProgInfo, jited_func_lens),
        ),
        ("bpf_prog_info.btf_id", off!(BpfProgInfo, btf_id)),
        (
            "bpf_prog_info.func_info_rec_size",
            off!(BpfProgInfo, func_info_rec_size),
        ),
        ("bpf_prog_info.func_info", off!(BpfProgInfo, func_info)),
        (
            "bpf_prog_info.nr_func_info",
            off!(BpfProgInfo, nr_func_info),
        ),
        (
            "bpf_prog_info.nr_line_info",
            off!(BpfProgInfo, nr_line_info),
        ),
        ("bpf_prog_info.line_info", off!(BpfProgInfo, line_info)),
        (
            "bpf_prog_info.jited_line_info",
            off!(BpfProgInfo, jited_line_info),
        ),
        (
            "bpf_prog_info.nr_jited_line_info",
            off!(BpfProgInfo, nr_jited_line_info),
        ),
        (
            "bpf_prog_info.line_info_rec_size",
            off!(BpfProgInfo, line_info_rec_size),
        ),
        (
            "bpf_prog_info.jited_line_info_rec_size",
            off!(BpfProgInfo, jited_line_info_rec_size),
        ),
        (
            "bpf_prog_info.nr_prog_tags",
            off!(BpfProgInfo, nr_prog_tags),
        ),
        ("bpf_prog_info.prog_tags", off!(BpfProgInfo, prog_tags)),
        ("bpf_prog_info.run_time_ns", off!(BpfProgInfo, run_time_ns)),
        ("bpf_prog_info.run_cnt", off!(BpfProgInfo, run_cnt)),
        (
            "bpf_prog_info.recursion_misses",
            off!(BpfProgInfo, recursion_misses),
        ),
        (
            "bpf_prog_info.verified_insns",
            off!(BpfProgInfo, verified_insns),
        ),
        (
            "bpf_prog_info.attach_btf_obj_id",
            off!(BpfProgInfo, attach_btf_obj_id),
        ),
        (
            "bpf_prog_info.attach_btf_id",
            off!(BpfProgInfo, attach_btf_id),
        ),
        ("bpf_map_info.type", off!(BpfMapInfo, type_)),
        ("bpf_map_info.id", off!(BpfMapInfo, id)),
        ("bpf_map_info.key_size", off!(BpfMapInfo, key_size)),
        ("bpf_map_info.value_size", off!(BpfMapInfo, value_size)),
        ("bpf_map_info.max_entries", off!(BpfMapInfo, max_entries)),
        ("bpf_map_info.map_flags", off!(BpfMapInfo, map_flags)),
        ("bpf_map_info.name", off!(BpfMapInfo, name)),
        ("bpf_map_info.ifindex", off!(BpfMapInfo, ifindex)),
        (
            "bpf_map_info.btf_vmlinux_value_type_id",
            off!(BpfMapInfo, btf_vmlinux_value_type_id),
        ),
        ("bpf_map_info.netns_dev", off!(BpfMapInfo, netns_dev)),
        ("bpf_map_info.netns_ino", off!(BpfMapInfo, netns_ino)),
        ("bpf_map_info.btf_id", off!(BpfMapInfo, btf_id)),
        (
            "bpf_map_info.btf_key_type_id",
            off!(BpfMapInfo, btf_key_type_id),
        ),
        (
            "bpf_map_info.btf_value_type_id",
            off!(BpfMapInfo, btf_value_type_id),
        ),
        ("bpf_map_info.map_extra", off!(BpfMapInfo, map_extra)),
    ];
    let ours = ours.into_iter().chain([
        // BPF_PROG_ATTACH / BPF_PROG_DETACH: what 6.1 has.
        ("bpf_attr.target_fd", off!(ProgAttachAttr, target)),
        (
            "bpf_attr.attach_bpf_fd",
            off!(ProgAttachAttr, attach_bpf_fd),
        ),
        ("bpf_attr.attach_type", off!(ProgAttachAttr, attach_type)),
        ("bpf_attr.attach_flags", off!(ProgAttachAttr, attach_flags)),
        (
            "bpf_attr.replace_bpf_fd",
            off!(ProgAttachAttr, replace_bpf_fd),
        ),
        ("bpf_attr.query.target_fd", off!(ProgQueryAttr, target)),
        (
            "bpf_attr.query.attach_type",
            off!(ProgQueryAttr, attach_type),
        ),
        (
            "bpf_attr.query.query_flags",
            off!(ProgQueryAttr, query_flags),
        ),
        (
            "bpf_attr.query.attach_flags",
            off!(ProgQueryAttr, attach_flags),
        ),
        ("bpf_attr.query.prog_ids", off!(ProgQueryAttr, prog_ids)),
        ("bpf_attr.query.prog_cnt", off!(ProgQueryAttr, count)),
        (
            "bpf_attr.query.prog_attach_flags",
            off!(ProgQueryAttr, prog_attach_flags),
        ),
        (
            "bpf_attr.link_create.prog_fd",
            off!(LinkCreateAttr, prog_fd),
        ),
        (
            "bpf_attr.link_create.target_ifindex",
            off!(LinkCreateAttr, target),
        ),
        (
            "bpf_attr.link_create.attach_type",
            off!(LinkCreateAttr, attach_type),
        ),
        ("bpf_attr.link_create.flags", off!(LinkCreateAttr, flags)),
        // The tcx union's relative_fd and expected_revision sit where 6.1
        // has target_btf_id and tracing.cookie.
        (
            "bpf_attr.link_create.target_btf_id",
            off!(LinkCreateAttr, relative),
        ),
        (
            "bpf_attr.link_create.tracing.cookie",
            off!(LinkCreateAttr, expected_revision),
        ),
        (
            "bpf_attr.link_detach.link_fd",
            off!(LinkDetachAttr, link_fd),
        ),
        ("bpf_attr.link_id", off!(GetIdAttr, start_id)),
        ("bpf_link_info.type", off!(BpfLinkInfo, type_)),
        ("bpf_link_info.id", off!(BpfLinkInfo, id)),
        ("bpf_link_info.prog_id", off!(BpfLinkInfo, prog_id)),
        (
            "bpf_link_info.xdp.ifindex",
            off!(BpfLinkInfo, union) + LINK_INFO_FIRST as i64,
        ),
        (
            "bpf_link_info.netns.netns_ino",
            off!(BpfLinkInfo, union) + LINK_INFO_FIRST as i64,
        ),
        (
            "bpf_link_info.netns.attach_type",
            off!(BpfLinkInfo, union) + LINK_INFO_SECOND as i64,
        ),
        ("bpf_link_info.cgroup.cgroup_id", off!(BpfLinkInfo, union)),
        (
            "bpf_link_info.cgroup.attach_type",
            off!(BpfLinkInfo, union) + LINK_INFO_CGROUP_ATTACH_TYPE as i64,
        ),
    ]);
    let mut checked = 0;
    for (name, value) in ours {
        assert_eq!(k.get(name), Some(&value), "{name}");
        checked += 1;
    }
    // The kernel's gpl_compatible bit field sits right after ifindex.
    assert_eq!(
        off!(BpfProgInfo, gpl_compatible),
        k["bpf_prog_info.ifindex"] + 4
    );
    // Every enum number rawnet names.
    for t in ProgramType::ALL {
        assert_eq!(
            k.get(t.kernel_name()),
            Some(&i64::from(t.number())),
            "{t:?}"
        );
        checked += 1;
    }
    for t in MapType::ALL {
        assert_eq!(
            k.get(t.kernel_name()),
            Some(&i64::from(t.number())),
            "{t:?}"
        );
        checked += 1;
    }
    // Names newer than the 6.1 headers: against the numbers written from
    // the kernel's current uapi (kinds::NEWER_THAN_HEADERS).
    let kinds = AttachType::ALL
        .iter()
        .map(|t| (t.kernel_name(), t.number()))
        .chain(LinkType::ALL.iter().map(|t| (t.kernel_name(), t.number())));
    for (name, number) in kinds {
        match NEWER_THAN_HEADERS.iter().find(|(n, _, _)| *n == name) {
            Some((_, want, _)) => {
                assert!(!k.contains_key(name), "{name} is in the headers now");
                assert_eq!(number, *want, "{name}");
            }
            None => assert_eq!(k.get(name), Some(&i64::from(number)), "{name}"),
        }
        checked += 1;
    }
    // The layouts newer than 6.1, by the offsets of the kernel's current
    // include/uapi/linux/bpf.h (6.6 added the mprog fields and the tcx
    // members of link_create and bpf_link_info).
    for (what, ours, theirs) in [
        ("relative_fd", off!(ProgAttachAttr, relative), 20),
        (
            "expected_revision",
            off!(ProgAttachAttr, expected_revision),
            24,
        ),
        ("query.link_ids", off!(ProgQueryAttr, link_ids), 40),
        (
            "query.link_attach_flags",
            off!(ProgQueryAttr, link_attach_flags),
            48,
        ),
        ("query.revision", off!(ProgQueryAttr, revision), 56),
        (
            "link_create.tcx.relative_fd",
            off!(LinkCreateAttr, relative),
            16,
        ),
        (
            "link_create.tcx.expected_revision",
            off!(LinkCreateAttr, expected_revision),
            24,
        ),
        (
            "bpf_link_info.tcx.ifindex",
            off!(BpfLinkInfo, union) + LINK_INFO_FIRST as i64,
            16,
        ),
        (
            "bpf_link_info.tcx.attach_type",
            off!(BpfLinkInfo, union) + LINK_INFO_SECOND as i64,
            20,
        ),
        (
            "sizeof bpf_link_info (6.18)",
            size_of::<BpfLinkInfo>() as i64,
            64,
        ),
    ] {
        assert_eq!(ours, theirs, "{what}");
        checked += 1;
    }
    assert!(checked > 150, "only {checked} values checked");
}
