//! One map entry as bpftool prints it (`print_entry_plain`,
//! `print_entry_json`, `print_entry_error_msg` of its src/map.c): the key
//! and value in hex, a per-CPU map's value per CPU in 8-byte slots, a map
//! of maps' inner map id.

use std::fmt::Write;

use rawnet::bpf::{MapInfo, MapType};

use crate::cli::output::Json;

/// `00 01 ff`: bpftool's `fprint_hex` with a blank between bytes.
pub(super) fn hex(s: &mut String, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{b:02x}");
    }
}

pub(super) fn is_map_of_maps(t: MapType) -> bool {
    matches!(t, MapType::ArrayOfMaps | MapType::HashOfMaps)
}

/// The id of an inner map, as a map of maps' value holds it.
fn inner_map_id(value: &[u8]) -> u32 {
    let mut b = [0u8; 4];
    for (d, s) in b.iter_mut().zip(value) {
        *d = *s;
    }
    u32::from_ne_bytes(b)
}

/// bpftool's `print_entry_plain` (src/map.c).
pub(super) fn entry_plain(s: &mut String, info: &MapInfo, key: &[u8], value: &[u8]) {
    if info.map_type.is_per_cpu() {
        if info.key_size != 0 {
            s.push_str("key:\n");
            hex(s, key);
            s.push('\n');
        }
        if info.value_size != 0 {
            let step = (info.value_size as usize).div_ceil(8) * 8;
            for (cpu, chunk) in value.chunks(step.max(1)).enumerate() {
                let sep = if info.value_size > 16 { '\n' } else { ' ' };
                let _ = write!(s, "value (CPU {cpu:02}):{sep}");
                hex(s, &chunk[..chunk.len().min(info.value_size as usize)]);
                s.push('\n');
            }
        }
        return;
    }
    let break_names = info.key_size > 16 || info.value_size > 16;
    let single_line = info.key_size + info.value_size <= 24 && !break_names;
    let sep = if break_names { '\n' } else { ' ' };
    if info.key_size != 0 {
        let _ = write!(s, "key:{sep}");
        hex(s, key);
        s.push_str(if single_line { "  " } else { "\n" });
    }
    if info.value_size != 0 {
        if is_map_of_maps(info.map_type) {
            let _ = write!(s, "inner_map_id:{sep}{} ", inner_map_id(value));
        } else {
            let _ = write!(s, "value:{sep}");
            hex(s, value);
        }
    }
    s.push('\n');
}

/// bpftool's `print_entry_error_msg`: a key whose value could not be read.
pub(super) fn entry_error_plain(s: &mut String, info: &MapInfo, key: &[u8], msg: &str) {
    let break_names = info.key_size > 16 || msg.len() > 16;
    let single_line = info.key_size as usize + msg.len() <= 24 && !break_names;
    let sep = if break_names { '\n' } else { ' ' };
    let _ = write!(s, "key:{sep}");
    hex(s, key);
    s.push_str(if single_line { "  " } else { "\n" });
    let _ = writeln!(s, "value:{sep}{msg}");
}

/// bpftool's `print_hex_data_json`: `["0x00","0x01"]`.
pub(super) fn hex_json(j: &mut Json, name: &str, bytes: &[u8]) {
    j.key_array(name);
    for b in bytes {
        j.elem_str(&format!("0x{b:02x}"));
    }
    j.end_array();
}

/// bpftool's `print_entry_json` without BTF (src/map.c): `key` and `value`
/// as `"0x00"` strings (and `inner_map_id` for a map of maps); a per-CPU
/// map's values as `values: [{cpu, value}, ...]`.
pub(super) fn entry_json(j: &mut Json, info: &MapInfo, key: &[u8], value: &[u8]) {
    hex_json(j, "key", key);
    if !info.map_type.is_per_cpu() {
        hex_json(j, "value", value);
        if is_map_of_maps(info.map_type) {
            j.num("inner_map_id", inner_map_id(value));
        }
        return;
    }
    let size = info.value_size as usize;
    let step = size.div_ceil(8) * 8;
    j.key_array("values");
    for (cpu, chunk) in value.chunks(step.max(1)).enumerate() {
        j.begin_object();
        j.num("cpu", cpu);
        hex_json(j, "value", &chunk[..chunk.len().min(size)]);
        j.end_object();
    }
    j.end_array();
}

#[cfg(test)]
mod tests {
    use super::super::test_info as info;
    use super::*;

    // Layouts from src/map.c of libbpf/bpftool: `print_entry_plain`,
    // `print_entry_json`, `print_entry_error_msg`.

    #[test]
    fn entries_as_print_entry_json_and_errors() {
        let mut j = Json::bpftool(false);
        j.begin_object();
        entry_json(
            &mut j,
            &info(MapType::Array, 4, 2),
            &[1, 0, 0, 0],
            &[0xab, 0xcd],
        );
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0xab\",\"0xcd\"]}\n"
        );
        // Per CPU: one object per CPU, each value in its 8-byte slot.
        let mut j = Json::bpftool(false);
        j.begin_object();
        let value = [1, 0, 0, 0, 9, 9, 9, 9, 2, 0, 0, 0, 9, 9, 9, 9];
        entry_json(&mut j, &info(MapType::PercpuArray, 1, 4), &[0], &value);
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"key\":[\"0x00\"],\"values\":[{\"cpu\":0,\"value\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"]},\
             {\"cpu\":1,\"value\":[\"0x02\",\"0x00\",\"0x00\",\"0x00\"]}]}\n"
        );
        // A map of maps names the inner map.
        let mut s = String::new();
        entry_plain(
            &mut s,
            &info(MapType::ArrayOfMaps, 4, 4),
            &[0; 4],
            &[7, 0, 0, 0],
        );
        assert_eq!(s, "key: 00 00 00 00  inner_map_id: 7 \n");
        let mut s = String::new();
        entry_error_plain(&mut s, &info(MapType::Hash, 4, 4), &[0; 4], "<no entry>");
        assert_eq!(s, "key: 00 00 00 00  value: <no entry>\n");
        let mut s = String::new();
        entry_error_plain(
            &mut s,
            &info(MapType::Hash, 4, 4),
            &[0; 4],
            "Operation not permitted",
        );
        assert_eq!(s, "key:\n00 00 00 00\nvalue:\nOperation not permitted\n");
    }

    #[test]
    fn entries_print_as_bpftool() {
        let mut s = String::new();
        entry_plain(
            &mut s,
            &info(MapType::Array, 4, 8),
            &[1, 0, 0, 0],
            &[0xab; 8],
        );
        assert_eq!(s, "key: 01 00 00 00  value: ab ab ab ab ab ab ab ab\n");
        let mut s = String::new();
        entry_plain(&mut s, &info(MapType::Hash, 8, 20), &[0; 8], &[1; 20]);
        assert_eq!(
            s,
            "key:\n00 00 00 00 00 00 00 00\nvalue:\n\
             01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01\n"
        );
        let mut s = String::new();
        entry_plain(&mut s, &info(MapType::Hash, 12, 16), &[0; 12], &[2; 16]);
        assert_eq!(
            s,
            "key: 00 00 00 00 00 00 00 00 00 00 00 00\n\
             value: 02 02 02 02 02 02 02 02 02 02 02 02 02 02 02 02\n"
        );
    }
}
