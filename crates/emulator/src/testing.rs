//! What the crate's unit tests share.

use std::path::{Path, PathBuf};

/// A fresh folder for one test, removed when the test ends, passed or failed.
pub(crate) struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh folder named for the test `name` (and this process, so that runs never share one).
pub(crate) fn temp_dir(name: &str) -> TempDir {
    let dir =
        std::env::temp_dir().join(format!("crossrole-emulator-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// The permission bits of the file at `path`.
#[cfg(unix)]
pub(crate) fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
