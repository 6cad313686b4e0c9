//! A bpffs of the test's own: `mount -t bpf` on a fresh temporary directory
//! (never the host's /sys/fs/bpf), unmounted and removed on drop, so also
//! when an assertion fails. Pins made there vanish with the mount.

use std::path::PathBuf;
use std::process::Command;

/// A mounted bpffs; `dir` is its mount point.
pub struct Bpffs {
    pub dir: PathBuf,
}

impl Bpffs {
    /// Mount one on `$TMPDIR/rawnet-bpffs-TAG-PID`; panics (with mount's
    /// words) when that fails.
    pub fn mount(tag: &str) -> Bpffs {
        match Bpffs::try_mount(tag) {
            Ok(fs) => fs,
            Err(why) => panic!("mount -t bpf: {why}"),
        }
    }

    /// [`mount`](Self::mount), the failure returned instead.
    pub fn try_mount(tag: &str) -> Result<Bpffs, String> {
        let dir = std::env::temp_dir().join(format!("rawnet-bpffs-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let out = Command::new("mount")
            .args(["-t", "bpf", "bpf"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("run mount: {e}"))?;
        if !out.status.success() {
            let _ = std::fs::remove_dir(&dir);
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(Bpffs { dir })
    }

    /// `NAME` under the mount point, as text.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Bpffs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
        let _ = std::fs::remove_dir(&self.dir);
    }
}
