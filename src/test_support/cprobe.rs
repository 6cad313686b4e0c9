//! The one C-probe runner of the uapi tests: write a small C program to a
//! temporary directory, compile it with `$CC` (or `cc`) against the system's
//! headers (`/usr/include/linux`), run it and hand back what it printed,
//! usually `name value` lines read with [`values`].
//!
//! The directory is unique per process and call and is removed when the
//! probe ends, also when it fails. A missing compiler, a program that does
//! not build and one that does not run are [`ProbeError`]s that say why (the
//! tests fail with that text, since a skipped probe would check nothing).
//!
//! Std only, no dependency on the rest of the crate: the library compiles it
//! under `#[cfg(test)]` and the integration tests include it by path through
//! `tests/common`.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::process::Command;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Why a probe gave no output.
#[derive(Debug)]
pub enum ProbeError {
    /// The compiler could not be started.
    NoCompiler { cc: String, error: std::io::Error },
    /// The program did not compile; the compiler's messages.
    Build(String),
    /// The temporary files could not be written or the program not started.
    Io(std::io::Error),
    /// The program ran but failed; its status and standard error.
    Run(String),
}

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeError::NoCompiler { cc, error } => write!(
                f,
                "cannot run the C compiler {cc:?} ({error}); install gcc and linux-libc-dev"
            ),
            ProbeError::Build(stderr) => write!(f, "the C probe does not build:\n{stderr}"),
            ProbeError::Io(e) => write!(f, "the C probe's files: {e}"),
            ProbeError::Run(why) => write!(f, "the C probe failed: {why}"),
        }
    }
}

/// A temporary directory removed on drop, also when a test panics.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The compiler to use: `$CC`, else `cc`.
pub fn compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

/// Compile `source` and run it; its standard output. `tag` names the
/// temporary directory (`rawnet-cprobe-<tag>-<pid>-<n>`).
pub fn try_run(tag: &str, source: &str) -> Result<String, ProbeError> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("rawnet-cprobe-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(ProbeError::Io)?;
    let dir = TempDir(dir);
    let src = dir.0.join("probe.c");
    let exe = dir.0.join("probe");
    std::fs::write(&src, source).map_err(ProbeError::Io)?;
    let cc = compiler();
    let built = Command::new(&cc)
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .output()
        .map_err(|error| ProbeError::NoCompiler {
            cc: cc.clone(),
            error,
        })?;
    if !built.status.success() {
        return Err(ProbeError::Build(
            String::from_utf8_lossy(&built.stderr).into_owned(),
        ));
    }
    let ran = Command::new(&exe).output().map_err(ProbeError::Io)?;
    if !ran.status.success() {
        return Err(ProbeError::Run(format!(
            "{}: {}",
            ran.status,
            String::from_utf8_lossy(&ran.stderr)
        )));
    }
    String::from_utf8(ran.stdout).map_err(|e| ProbeError::Run(format!("output not UTF-8: {e}")))
}

/// [`try_run`], failing the test with the reason when the probe fails;
/// `what` names the probe in that message.
pub fn run(tag: &str, what: &str, source: &str) -> String {
    try_run(tag, source).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// The `name value` lines of a probe's output: the value is the last word,
/// the name all before it (names may hold spaces: `sizeof nlmsghdr`). A line
/// without a space is passed over; a value that does not parse fails the test.
pub fn parse_values<T: FromStr>(output: &str) -> HashMap<String, T> {
    output
        .lines()
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(k, v)| match v.parse() {
            Ok(v) => (k.to_string(), v),
            Err(_) => panic!("the C probe printed {k:?} with value {v:?}, not a number"),
        })
        .collect()
}

/// [`run`] then [`parse_values`].
pub fn values<T: FromStr>(tag: &str, what: &str, source: &str) -> HashMap<String, T> {
    parse_values(&run(tag, what, source))
}
