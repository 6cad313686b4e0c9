//! The differential driver (`tests/diff/xroute.sh` over
//! `tests/diff/xroute.cases`): several hundred `address`, `route`, `rule`
//! and `neighbour` commands as scripts write them, each run by `ip` 6.1 and
//! by rawnet in twin namespaces the driver creates and removes; output,
//! exit status and resulting state must agree.

use std::path::Path;
use std::process::Command;

#[test]
fn rawnet_agrees_with_ip_on_every_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let out = Command::new("bash")
        .arg(dir.join("xroute.sh"))
        .arg(env!("CARGO_BIN_EXE_rawnet"))
        .arg(dir.join("xroute.cases"))
        .output()
        .expect("run the driver");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 differences"), "{stdout}");
}
