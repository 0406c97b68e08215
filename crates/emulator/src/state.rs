//! Where the emulator's world comes from and where its changes go: a world file (or the demo
//! world), and with `--state` a file that IAM changes are saved to, atomically, and loaded from
//! at the next start.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crossrole_core::world::{demo_world, World};

/// Why the emulator cannot start with the files it was given.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The world file is not a valid world.
    #[error("{path} is not a valid world: {message}")]
    World {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        message: String,
    },
    /// The state file is corrupt. It is left as it is: it may hold changes worth saving.
    #[error("the state file {path} is corrupt ({message}); it was left untouched: repair or move it away, then start again")]
    CorruptState {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        message: String,
    },
}

fn read(path: &Path) -> Result<Option<String>, StartError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StartError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// The world to start with: the saved state when there is one, else the world file, else the
/// demo world. A missing world file is an error; a missing state file is a first start.
pub fn load(world: Option<&Path>, state: Option<&Path>) -> Result<World, StartError> {
    if let Some(path) = state {
        if let Some(text) = read(path)? {
            return World::from_json(&text).map_err(|e| StartError::CorruptState {
                path: path.to_owned(),
                message: e.to_string(),
            });
        }
    }
    match world {
        None => Ok(demo_world()),
        Some(path) => {
            let text = read(path)?.ok_or_else(|| StartError::Read {
                path: path.to_owned(),
                source: std::io::ErrorKind::NotFound.into(),
            })?;
            World::from_json(&text).map_err(|e| StartError::World {
                path: path.to_owned(),
                message: e.to_string(),
            })
        }
    }
}

/// Saves `world` (without its sessions) to `path` atomically: written beside it, flushed to
/// disk, then renamed over it, so a crash leaves either the old state or the new one.
pub fn save(path: &Path, world: &World) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(world.to_json().as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself must reach the disk too.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("crossrole-emulator-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn state_wins_over_the_world_file_and_survives_a_save() {
        let dir = temp_dir("state");
        let state = dir.join("state.json");
        assert_eq!(load(None, Some(&state)).unwrap(), demo_world());
        let mut world = demo_world();
        world.region = "eu-west-1".into();
        save(&state, &world).unwrap();
        let again = load(None, Some(&state)).unwrap();
        assert_eq!(again.region, "eu-west-1");
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the state file remains");
    }

    #[test]
    fn a_corrupt_state_is_refused_and_left_alone() {
        let dir = temp_dir("corrupt");
        let state = dir.join("state.json");
        std::fs::write(&state, "{\"format\": 1, \"regio").unwrap();
        let e = load(None, Some(&state)).unwrap_err();
        assert!(matches!(e, StartError::CorruptState { .. }), "{e}");
        assert!(e.to_string().contains("left untouched"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&state).unwrap(),
            "{\"format\": 1, \"regio"
        );
    }

    #[test]
    fn world_files_are_checked() {
        let dir = temp_dir("world");
        let missing = dir.join("nope.json");
        assert!(matches!(
            load(Some(&missing), None),
            Err(StartError::Read { .. })
        ));
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "{\"format\": 1}").unwrap();
        let e = load(Some(&bad), None).unwrap_err();
        assert!(matches!(e, StartError::World { .. }), "{e}");
        assert!(e.to_string().contains("bad.json"), "{e}");
    }
}
