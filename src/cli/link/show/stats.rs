//! A link's counters as `ip -s link` and `ip -s addr` print them
//! (`print_stats64`, ip/ipaddress.c): text columns sized to the widest
//! number, `-s -s` adds the error details, `-h` writes numbers as `7.22M`
//! (`-iec`: `6.88Mi`, `1.26ki`: powers of 1024) in columns of the headers' widths;
//! JSON `stats64` with `rx` and `tx` objects, always plain numbers.

use std::fmt::Write;

use rawnet::route::link::LinkStats64;

use crate::cli::output::Json;
use crate::cli::Context;

/// How counters are written: the count of `-s`, and the global `-h`
/// (`-human-readable`) and `-iec` options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsStyle {
    /// The count of `-s`: 0 prints no counters, 2 adds the error details.
    pub level: u8,
    /// `-h`: numbers from 1000 (1024 with `iec`) up with a unit prefix.
    pub human: bool,
    /// `-iec`: powers of 1024 and `ki`, `Mi`... (with `human` only).
    pub iec: bool,
}

impl StatsStyle {
    /// No counters (`ip addr`'s link header, `ip monitor`).
    pub(crate) const OFF: StatsStyle = StatsStyle {
        level: 0,
        human: false,
        iec: false,
    };

    /// As the global options of `ctx` ask.
    pub(crate) fn of(ctx: &Context) -> StatsStyle {
        StatsStyle {
            level: ctx.stats,
            human: ctx.human,
            iec: ctx.iec,
        }
    }
}

/// iproute2's `size_columns`: each column as wide as its widest number
/// (under `-h` the columns keep their headers' widths).
fn size_columns(cols: &mut [usize; 8], values: [u64; 8], style: StatsStyle) {
    if style.human {
        return;
    }
    for (c, v) in cols.iter_mut().zip(values) {
        let len = v.checked_ilog10().map_or(1, |d| d as usize + 1);
        *c = (*c).max(len);
    }
}

/// iproute2's `print_num`: `%*llu `, or under `-h` from the base (1000,
/// or 1024 with `-iec`) up the number with two, one or no decimals (as it
/// is under 10, under 100 or more) and its prefix (`k`, `M`, .. `E`, `i`
/// after it with `-iec`), right-aligned in `width`, then a space.
fn num(s: &mut String, width: usize, count: u64, style: StatsStyle) {
    let base: u64 = if style.iec { 1024 } else { 1000 };
    if !style.human || count < base {
        let _ = write!(s, "{count:>width$} ");
        return;
    }
    let prefixes = b"kMGTPE";
    let mut prefix = 0;
    let mut powi: u64 = 1;
    loop {
        powi = powi.saturating_mul(base);
        if count / base < powi || prefix + 1 == prefixes.len() {
            break;
        }
        prefix += 1;
    }
    let whole = count / powi;
    let precision = if whole < 10 {
        2
    } else if whole < 100 {
        1
    } else {
        0
    };
    let start = s.len();
    let _ = write!(
        s,
        "{:.precision$}{}{}",
        count as f64 / powi as f64,
        char::from(prefixes[prefix]),
        if style.iec { "i" } else { "" }
    );
    let written = s.len() - start;
    if written < width {
        let pad = "                                ";
        let n = (width - written).min(pad.len());
        s.insert_str(start, &pad[..n]);
    }
    s.push(' ');
}

/// The counters in text, after the line break that precedes them (the
/// last number and its space end them); `sl` is iproute2's `_SL_`.
pub(crate) fn text_stats(
    s: &mut String,
    st: &LinkStats64,
    carrier_changes: Option<u32>,
    style: StatsStyle,
    sl: &str,
) {
    let level = style.level;
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
        style,
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
            style,
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
        style,
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
            style,
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
        num(s, c[i], v, style);
    }
    if st.rx_compressed != 0 {
        num(s, c[6], st.rx_compressed, style);
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
            num(s, c[i + 1], v, style);
        }
        if nohandler {
            num(s, c[6], st.rx_nohandler, style);
        }
        if otherhost {
            num(s, c[7], st.rx_otherhost_dropped, style);
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
        num(s, c[i], v, style);
    }
    if st.tx_compressed != 0 {
        num(s, c[6], st.tx_compressed, style);
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
            num(s, c[i + 1], v, style);
        }
        if let Some(cc) = carrier_changes {
            num(s, c[5], cc.into(), style);
        }
    }
}

/// The counters as `"stats64":{"rx":{..},"tx":{..}}`, into an open object.
pub(crate) fn json_stats(j: &mut Json, st: &LinkStats64, carrier_changes: Option<u32>, level: u8) {
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

    fn level(level: u8) -> StatsStyle {
        StatsStyle {
            level,
            ..StatsStyle::OFF
        }
    }

    fn human(count: u64, iec: bool) -> String {
        let mut s = String::new();
        let style = StatsStyle {
            level: 1,
            human: true,
            iec,
        };
        num(&mut s, 1, count, style);
        s
    }

    /// Values worked out from iproute2 6.1's `print_num` (and, where
    /// marked, printed by `ip -h -s link` here).
    #[test]
    fn human_numbers_as_print_num() {
        let cases: [(u64, &str, &str); 16] = [
            (0, "0 ", "0 "),
            (999, "999 ", "999 "),
            (1000, "1.00k ", "1000 "),
            (1023, "1.02k ", "1023 "),
            (1024, "1.02k ", "1.00ki "),
            (1152, "1.15k ", "1.12ki "),      // 1.125: a tie, to even
            (1290, "1.29k ", "1.26ki "),      // ip -h [-iec] -s link: veth 1290 bytes
            (7_215_384, "7.22M ", "6.88Mi "), // ip -h [-iec] -s link: lo
            (99_999, "100.0k ", "97.7ki "),
            (999_999, "1000k ", "977ki "),
            (1_000_000, "1.00M ", "977ki "),
            (123_456_789, "123M ", "118Mi "),
            (12_345_678_901, "12.3G ", "11.5Gi "),
            (1 << 50, "1.13P ", "1.00Pi "),
            (1 << 60, "1.15E ", "1.00Ei "),
            (u64::MAX, "18.4E ", "16.0Ei "),
        ];
        for (count, si, iec) in cases {
            assert_eq!(human(count, false), si, "{count}");
            assert_eq!(human(count, true), iec, "{count} -iec");
        }
        let mut s = String::new();
        let style = StatsStyle {
            level: 1,
            human: false,
            iec: true,
        };
        num(&mut s, 10, 1_000_000, style);
        assert_eq!(s, "   1000000 ", "-iec alone changes nothing");
    }

    /// What `ip -h -s -s link show lo` printed after 146 packets of 7215384
    /// bytes: under `-h` the columns keep their headers' widths.
    #[test]
    fn human_text_keeps_the_header_widths() {
        let st = LinkStats64 {
            rx_bytes: 7_215_384,
            rx_packets: 146,
            tx_bytes: 7_215_384,
            tx_packets: 146,
            ..LinkStats64::default()
        };
        let mut s = String::new();
        let style = StatsStyle {
            level: 2,
            human: true,
            iec: false,
        };
        text_stats(&mut s, &st, Some(0), style, "\n");
        assert_eq!(
            s,
            "    RX:  bytes packets errors dropped  missed   mcast           \n         7.22M     146      0       0       0       0 \n    RX errors:  length    crc   frame    fifo overrun\n                     0      0       0       0       0 \n    TX:  bytes packets errors dropped carrier collsns           \n         7.22M     146      0       0       0       0 \n    TX errors: aborted   fifo  window heartbt transns\n                     0      0       0       0       0 "
        );
        let wide = LinkStats64 {
            rx_bytes: 12_345_678_901_234,
            ..LinkStats64::default()
        };
        let mut s = String::new();
        text_stats(&mut s, &wide, None, StatsStyle { level: 1, ..style }, "\n");
        assert_eq!(
            s.lines().nth(1),
            Some("         12.3T       0      0       0       0       0 ")
        );
    }

    /// What `ip -s -s link show veth0` printed for a fresh veth (carrier
    /// changed once).
    #[test]
    fn text_as_ip_s_s() {
        let st = LinkStats64::default();
        let mut s = String::new();
        text_stats(&mut s, &st, Some(1), level(2), "\n");
        assert_eq!(
            s,
            "    RX:  bytes packets errors dropped  missed   mcast           \n             0       0      0       0       0       0 \n    RX errors:  length    crc   frame    fifo overrun\n                     0      0       0       0       0 \n    TX:  bytes packets errors dropped carrier collsns           \n             0       0      0       0       0       0 \n    TX errors: aborted   fifo  window heartbt transns\n                     0      0       0       0       1 "
        );
        let mut s = String::new();
        text_stats(&mut s, &st, Some(1), level(1), "\\");
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
        text_stats(&mut s, &st, None, level(1), "\n");
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
