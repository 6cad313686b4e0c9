//! The results of `rawnet bench`: a text table, a row per operation (times
//! in milliseconds, rates by wall time), or with
//! `-j` one JSON array of objects, a record per operation, with snake_case
//! keys and numbers as numbers:
//!
//! `{"operation":"route_add","count":10000,"batch":1024,"wall_s":0.046,`
//! `"user_s":0.004,"system_s":0.041,"per_s":217391.3}`; a dump has
//! `"bytes"` and `"mb_per_s"` instead of `"batch"`.

use std::fmt::Write;

use rawnet::bench::Measurement;

use crate::cli::output::Json;

/// The column heads of the text table, with its line end.
pub fn text_header() -> String {
    format!(
        "{:<27} {:>9} {:>6} {:>10} {:>10} {:>10} {:>11} {:>8}\n",
        "operation", "count", "batch", "wall ms", "user ms", "system ms", "per s", "MB/s"
    )
}

/// One row of the text table, with its line end. A missing value is `-`.
pub fn text_row(m: &Measurement) -> String {
    let mut row = String::with_capacity(96);
    let batch = m.batch.map_or_else(|| "-".to_string(), |b| b.to_string());
    let mb = m
        .megabytes_per_second()
        .map_or_else(|| "-".to_string(), |v| format!("{v:.1}"));
    let _ = writeln!(
        row,
        "{:<27} {:>9} {:>6} {:>10.2} {:>10.2} {:>10.2} {:>11.0} {:>8}",
        m.operation.label(),
        m.count,
        batch,
        milliseconds(m.wall),
        milliseconds(m.user),
        milliseconds(m.system),
        m.per_second(),
        mb
    );
    row
}

fn milliseconds(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The JSON document of every measurement (pretty with `-p`).
pub fn json(measurements: &[Measurement], pretty: bool) -> String {
    let mut j = Json::new(pretty);
    j.begin_array();
    for m in measurements {
        j.begin_object();
        j.str("operation", m.operation.key());
        j.num("count", m.count);
        if let Some(b) = m.batch {
            j.num("batch", b);
        }
        j.num("wall_s", format_args!("{:.6}", m.wall.as_secs_f64()));
        j.num("user_s", format_args!("{:.6}", m.user.as_secs_f64()));
        j.num("system_s", format_args!("{:.6}", m.system.as_secs_f64()));
        j.num("per_s", format_args!("{:.1}", m.per_second()));
        if let (Some(bytes), Some(rate)) = (m.bytes, m.megabytes_per_second()) {
            j.num("bytes", bytes);
            j.num("mb_per_s", format_args!("{rate:.3}"));
        }
        j.end_object();
    }
    j.end_array();
    j.finish()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use rawnet::bench::Operation;

    use super::*;

    fn add() -> Measurement {
        Measurement {
            operation: Operation::RouteAdd,
            count: 10_000,
            batch: Some(1024),
            wall: Duration::from_millis(50),
            user: Duration::from_micros(4_000),
            system: Duration::from_micros(41_500),
            bytes: None,
        }
    }

    fn walk() -> Measurement {
        Measurement {
            operation: Operation::RouteWalk,
            count: 10_000,
            batch: None,
            wall: Duration::from_millis(4),
            user: Duration::ZERO,
            system: Duration::from_millis(4),
            bytes: Some(1_080_000),
        }
    }

    #[test]
    fn text_rows_line_up_under_the_header() {
        let header = text_header();
        let rows = [text_row(&add()), text_row(&walk())];
        assert_eq!(
            rows[0],
            "route add                       10000   1024      50.00       4.00      41.50      200000        -\n"
        );
        assert_eq!(
            rows[1],
            "route dump (headers only)       10000      -       4.00       0.00       4.00     2500000    270.0\n"
        );
        for row in &rows {
            assert_eq!(row.len(), header.len());
        }
        assert!(header.starts_with("operation "));
        assert!(header.trim_end().ends_with("MB/s"));
    }

    #[test]
    fn json_has_snake_case_keys_and_numbers() {
        assert_eq!(
            json(&[add(), walk()], false),
            "[{\"operation\":\"route_add\",\"count\":10000,\"batch\":1024,\
             \"wall_s\":0.050000,\"user_s\":0.004000,\"system_s\":0.041500,\"per_s\":200000.0},\
             {\"operation\":\"route_walk\",\"count\":10000,\
             \"wall_s\":0.004000,\"user_s\":0.000000,\"system_s\":0.004000,\"per_s\":2500000.0,\
             \"bytes\":1080000,\"mb_per_s\":270.000}]\n"
        );
        assert_eq!(json(&[], false), "[]\n");
    }
}
