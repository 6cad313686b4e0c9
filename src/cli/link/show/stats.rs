//! A link's counters as `ip -s link` prints them (`print_stats64`,
//! ip/ipaddress.c): text columns sized to the widest number, `-s -s` adds
//! the error details; JSON `stats64` with `rx` and `tx` objects.

use std::fmt::Write;

use rawnet::route::link::LinkStats64;

use crate::cli::output::Json;

/// iproute2's `size_columns`: each column as wide as its widest number.
fn size_columns(cols: &mut [usize; 8], values: [u64; 8]) {
    for (c, v) in cols.iter_mut().zip(values) {
        let len = v.checked_ilog10().map_or(1, |d| d as usize + 1);
        *c = (*c).max(len);
    }
}

/// `print_num` without `-h`: `%*llu `.
fn num(s: &mut String, width: usize, v: u64) {
    let _ = write!(s, "{v:>width$} ");
}

/// The counters in text, after the line break that precedes them; `level`
/// is the count of `-s`, `sl` iproute2's `_SL_`.
pub(super) fn text_stats(
    s: &mut String,
    st: &LinkStats64,
    carrier_changes: Option<u32>,
    level: u8,
    sl: &str,
) {
    let mut cols = [10, 7, 6, 7, 7, 7, 10, 9];
    size_columns(
        &mut cols,
        [
            st.rx_bytes,
            st.rx_packets,
            st.rx_errors,
            st.rx_dropped,
            st.rx_missed_errors,
            st.multicast,
            st.rx_compressed,
            0,
        ],
    );
    if level > 1 {
        size_columns(
            &mut cols,
            [
                0,
                st.rx_length_errors,
                st.rx_crc_errors,
                st.rx_frame_errors,
                st.rx_fifo_errors,
                st.rx_over_errors,
                st.rx_nohandler,
                st.rx_otherhost_dropped,
            ],
        );
    }
    size_columns(
        &mut cols,
        [
            st.tx_bytes,
            st.tx_packets,
            st.tx_errors,
            st.tx_dropped,
            st.tx_carrier_errors,
            st.collisions,
            st.tx_compressed,
            0,
        ],
    );
    if level > 1 {
        // iproute2 sizes this row one column to the right of where it prints it.
        size_columns(
            &mut cols,
            [
                0,
                0,
                st.tx_aborted_errors,
                st.tx_fifo_errors,
                st.tx_window_errors,
                st.tx_heartbeat_errors,
                carrier_changes.map_or(0, u64::from),
                0,
            ],
        );
    }
    let c = cols;
    let compressed = |v: u64| if v != 0 { "compressed" } else { "" };
    let _ = write!(
        s,
        "    RX: {:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$} {:>w6$}{sl}    ",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "missed",
        "mcast",
        compressed(st.rx_compressed),
        w0 = c[0] - 4,
        w1 = c[1],
        w2 = c[2],
        w3 = c[3],
        w4 = c[4],
        w5 = c[5],
        w6 = c[6],
    );
    for (i, v) in [
        st.rx_bytes,
        st.rx_packets,
        st.rx_errors,
        st.rx_dropped,
        st.rx_missed_errors,
        st.multicast,
    ]
    .into_iter()
    .enumerate()
    {
        num(s, c[i], v);
    }
    if st.rx_compressed != 0 {
        num(s, c[6], st.rx_compressed);
    }
    if level > 1 {
        let nohandler = st.rx_nohandler != 0;
        let otherhost = st.rx_otherhost_dropped != 0;
        let _ = write!(
            s,
            "{sl}    RX errors:{:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$}{:>w6$}{:>w7$}{sl}{:w8$}",
            "",
            "length",
            "crc",
            "frame",
            "fifo",
            "overrun",
            if nohandler { " nohandler" } else { "" },
            if otherhost { " otherhost" } else { "" },
            "",
            w0 = c[0] - 10,
            w1 = c[1],
            w2 = c[2],
            w3 = c[3],
            w4 = c[4],
            w5 = c[5],
            w6 = if nohandler { c[6] + 1 } else { 0 },
            w7 = if otherhost { c[7] + 1 } else { 0 },
            w8 = c[0] + 5,
        );
        for (i, v) in [
            st.rx_length_errors,
            st.rx_crc_errors,
            st.rx_frame_errors,
            st.rx_fifo_errors,
            st.rx_over_errors,
        ]
        .into_iter()
        .enumerate()
        {
            num(s, c[i + 1], v);
        }
        if nohandler {
            num(s, c[6], st.rx_nohandler);
        }
        if otherhost {
            num(s, c[7], st.rx_otherhost_dropped);
        }
    }
    let _ = write!(
        s,
        "{sl}    TX: {:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$} {:>w6$}{sl}    ",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "carrier",
        "collsns",
        compressed(st.tx_compressed),
        w0 = c[0] - 4,
        w1 = c[1],
        w2 = c[2],
        w3 = c[3],
        w4 = c[4],
        w5 = c[5],
        w6 = c[6],
    );
    for (i, v) in [
        st.tx_bytes,
        st.tx_packets,
        st.tx_errors,
        st.tx_dropped,
        st.tx_carrier_errors,
        st.collisions,
    ]
    .into_iter()
    .enumerate()
    {
        num(s, c[i], v);
    }
    if st.tx_compressed != 0 {
        num(s, c[6], st.tx_compressed);
    }
    if level > 1 {
        let _ = write!(
            s,
            "{sl}    TX errors:{:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$}{sl}{:w6$}",
            "",
            "aborted",
            "fifo",
            "window",
            "heartbt",
            if carrier_changes.is_some() {
                "transns"
            } else {
                ""
            },
            "",
            w0 = c[0] - 10,
            w1 = c[1],
            w2 = c[2],
            w3 = c[3],
            w4 = c[4],
            w5 = c[5],
            w6 = c[0] + 5,
        );
        for (i, v) in [
            st.tx_aborted_errors,
            st.tx_fifo_errors,
            st.tx_window_errors,
            st.tx_heartbeat_errors,
        ]
        .into_iter()
        .enumerate()
        {
            num(s, c[i + 1], v);
        }
        if let Some(cc) = carrier_changes {
            num(s, c[5], cc.into());
        }
    }
}

/// The counters as `"stats64":{"rx":{..},"tx":{..}}`, into an open object.
pub(super) fn json_stats(j: &mut Json, st: &LinkStats64, carrier_changes: Option<u32>, level: u8) {
    j.key_object("stats64");
    j.key_object("rx");
    j.num("bytes", st.rx_bytes);
    j.num("packets", st.rx_packets);
    j.num("errors", st.rx_errors);
    j.num("dropped", st.rx_dropped);
    j.num("over_errors", st.rx_over_errors);
    j.num("multicast", st.multicast);
    if st.rx_compressed != 0 {
        j.num("compressed", st.rx_compressed);
    }
    if level > 1 {
        j.num("length_errors", st.rx_length_errors);
        j.num("crc_errors", st.rx_crc_errors);
        j.num("frame_errors", st.rx_frame_errors);
        j.num("fifo_errors", st.rx_fifo_errors);
        j.num("missed_errors", st.rx_missed_errors);
        if st.rx_nohandler != 0 {
            j.num("nohandler", st.rx_nohandler);
        }
        if st.rx_otherhost_dropped != 0 {
            j.num("otherhost", st.rx_otherhost_dropped);
        }
    }
    j.end_object();
    j.key_object("tx");
    j.num("bytes", st.tx_bytes);
    j.num("packets", st.tx_packets);
    j.num("errors", st.tx_errors);
    j.num("dropped", st.tx_dropped);
    j.num("carrier_errors", st.tx_carrier_errors);
    j.num("collisions", st.collisions);
    if st.tx_compressed != 0 {
        j.num("compressed", st.tx_compressed);
    }
    if level > 1 {
        j.num("aborted_errors", st.tx_aborted_errors);
        j.num("fifo_errors", st.tx_fifo_errors);
        j.num("window_errors", st.tx_window_errors);
        j.num("heartbeat_errors", st.tx_heartbeat_errors);
        if let Some(cc) = carrier_changes {
            j.num("carrier_changes", cc);
        }
    }
    j.end_object();
    j.end_object();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ip -s -s link show veth0` printed for a fresh veth (carrier
    /// changed once).
    #[test]
    fn text_as_ip_s_s() {
        let st = LinkStats64::default();
        let mut s = String::new();
        text_stats(&mut s, &st, Some(1), 2, "\n");
        assert_eq!(
            s,
            "    RX:  bytes packets errors dropped  missed   mcast           \n             0       0      0       0       0       0 \n    RX errors:  length    crc   frame    fifo overrun\n                     0      0       0       0       0 \n    TX:  bytes packets errors dropped carrier collsns           \n             0       0      0       0       0       0 \n    TX errors: aborted   fifo  window heartbt transns\n                     0      0       0       0       1 "
        );
        let mut s = String::new();
        text_stats(&mut s, &st, Some(1), 1, "\\");
        assert_eq!(
            s,
            "    RX:  bytes packets errors dropped  missed   mcast           \\             0       0      0       0       0       0 \\    TX:  bytes packets errors dropped carrier collsns           \\             0       0      0       0       0       0 "
        );
    }

    #[test]
    fn wide_numbers_widen_their_columns() {
        let st = LinkStats64 {
            rx_bytes: 12_345_678_901,
            rx_packets: 123_456_789,
            ..LinkStats64::default()
        };
        let mut s = String::new();
        text_stats(&mut s, &st, None, 1, "\n");
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(
            lines[0],
            "    RX:   bytes   packets errors dropped  missed   mcast           "
        );
        assert_eq!(
            lines[1],
            "    12345678901 123456789      0       0       0       0 "
        );
    }
}
