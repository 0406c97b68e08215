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

/// Saves `world` (without its sessions) to `path` atomically: written to a new file beside
/// it, flushed to disk, then renamed over it, so a crash (even `kill -9`) leaves either the
/// old state or the new one, never a partial file.
///
/// The file holds passwords, secret keys and MFA seeds: a new state file is `0600`, an
/// existing one keeps its mode. The temporary file has an unpredictable name and is created
/// with `O_EXCL`, so a link planted there is never followed.
pub fn save(path: &Path, world: &World) -> std::io::Result<()> {
    replace_file(path, world.to_json().as_bytes())
}

/// Replaces the file at `path` with `contents` atomically, as [`save`] does (new files `0600`).
pub(crate) fn replace_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let mode = existing_mode(path).unwrap_or(0o600);
    let (tmp, mut file) = create_unique(dir, &name, mode)?;
    let result = (|| {
        file.write_all(contents)?;
        set_mode(&file, mode)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        // The rename itself must reach the disk too.
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The folder `path` is in: its temporary files go there (a rename is atomic only within one
/// file system).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Removes temporary files a killed emulator left beside `path` (a save interrupted before
/// its rename: the state itself is whole, these are not). Links are removed, not followed.
pub fn remove_leftovers(path: &Path) -> std::io::Result<usize> {
    let dir = folder_of(path);
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(0);
    };
    let prefix = format!(".{name}.");
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let file = entry?.file_name().to_string_lossy().into_owned();
        let is_ours = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|r| r.len() == 16 && r.bytes().all(|b| b.is_ascii_hexdigit()));
        if is_ours {
            std::fs::remove_file(dir.join(&file))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// A new file `.{name}.{random}.tmp` in `dir`, created exclusively (never through a link).
fn create_unique(dir: &Path, name: &str, mode: u32) -> std::io::Result<(PathBuf, std::fs::File)> {
    use rand_core::{OsRng, RngCore};
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    loop {
        let tmp = dir.join(format!(".{name}.{:016x}.tmp", OsRng.next_u64()));
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The permission bits of the file at `path`, if there is one (and the system has them).
fn existing_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Sets the mode exactly (the umask may have taken bits an operator's file had).
#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use crate::testing::mode_of;
    use crate::testing::temp_dir;

    #[test]
    fn state_wins_over_the_world_file_and_survives_a_save() {
        let dir = temp_dir("state");
        let state = dir.join("state.json");
        // A real world file, different from both the demo world and the state.
        let world_file = dir.join("world.json");
        let mut from_file = demo_world();
        from_file.region = "ap-south-1".into();
        std::fs::write(&world_file, from_file.to_json()).unwrap();
        assert_eq!(load(Some(&world_file), Some(&state)).unwrap(), from_file);
        let mut world = demo_world();
        world.region = "eu-west-1".into();
        save(&state, &world).unwrap();
        let again = load(Some(&world_file), Some(&state)).unwrap();
        assert_eq!(
            again.region, "eu-west-1",
            "the state wins over the world file"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&*dir).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            2,
            "only the world and the state files remain"
        );
    }

    /// The state holds secrets, so it is never world-readable.
    #[cfg(unix)]
    #[test]
    fn a_new_state_file_is_private_and_an_existing_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("mode");
        let state = dir.join("state.json");
        save(&state, &demo_world()).unwrap();
        assert_eq!(mode_of(&state), 0o600);
        // Kept exactly, also bits a umask of 022 would take from a new file.
        for mode in [0o640, 0o666] {
            std::fs::set_permissions(&state, std::fs::Permissions::from_mode(mode)).unwrap();
            save(&state, &demo_world()).unwrap();
            assert_eq!(mode_of(&state), mode);
        }
    }

    /// A link planted where the temporary file used to go (its name was
    /// predictable) is not followed, and the file it points at is untouched.
    #[cfg(unix)]
    #[test]
    fn links_planted_beside_the_state_are_not_followed() {
        let dir = temp_dir("links");
        let state = dir.join("state.json");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let planted = dir.join(format!(".state.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        save(&state, &demo_world()).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(load(None, Some(&state)).unwrap(), demo_world());
        assert!(std::fs::symlink_metadata(&state).unwrap().is_file());
    }

    #[test]
    fn a_corrupt_state_is_refused_and_left_alone() {
        let dir = temp_dir("corrupt");
        let state = dir.join("state.json");
        std::fs::write(&state, "{\"format\": 1, \"regio").unwrap();
        // A corrupt state is refused even when a good world file is given: the emulator never
        // falls back to the world and later overwrites the state (the binary's test checks the
        // file is untouched).
        let world_file = dir.join("world.json");
        std::fs::write(&world_file, demo_world().to_json()).unwrap();
        let e = load(Some(&world_file), Some(&state)).unwrap_err();
        assert!(matches!(e, StartError::CorruptState { .. }), "{e}");
        assert!(e.to_string().contains("left untouched"), "{e}");
    }

    #[test]
    fn world_files_are_checked() {
        let dir = temp_dir("world");
        let missing = dir.join("nope.json");
        assert!(matches!(
            load(Some(&missing), None),
            Err(StartError::Read { .. })
        ));
        // A file that is there but cannot be read is not taken for a missing one (a state
        // through a file: not a folder).
        let through_a_file = missing.with_file_name("bad.json").join("state.json");
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "{\"format\": 1}").unwrap();
        assert!(matches!(
            load(None, Some(&through_a_file)),
            Err(StartError::Read { .. })
        ));
        let e = load(Some(&bad), None).unwrap_err();
        assert!(matches!(e, StartError::World { .. }), "{e}");
        assert!(e.to_string().contains("bad.json"), "{e}");
    }

    /// Only the temporary files a save of this state leaves are removed: `.{name}.` with 16
    /// hexadecimal digits and `.tmp`, links too (not what they point at).
    #[test]
    fn leftovers_of_an_interrupted_save_are_removed_and_nothing_else() {
        let dir = temp_dir("leftovers");
        let state = dir.join("state.json");
        save(&state, &demo_world()).unwrap();
        let ours = [
            ".state.json.0123456789abcdef.tmp",
            ".state.json.FEDCBA9876543210.tmp",
        ];
        let others = [
            ".state.json.0123456789abcde.tmp",
            ".state.json.0123456789abcdef0.tmp",
            ".state.json.0123456789abcdeg.tmp",
            ".state.json.0123456789abcdef.tmp.keep",
            ".other.json.0123456789abcdef.tmp",
            "state.json.0123456789abcdef.tmp",
            "notes.txt",
        ];
        for name in ours.iter().chain(&others) {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        #[cfg(unix)]
        let victim = {
            let victim = dir.join("victim.txt");
            std::fs::write(&victim, "precious").unwrap();
            std::os::unix::fs::symlink(&victim, dir.join(".state.json.00000000000000aa.tmp"))
                .unwrap();
            victim
        };
        let removed = remove_leftovers(&state).unwrap();
        assert_eq!(removed, if cfg!(unix) { 3 } else { 2 });
        for name in ours {
            assert!(!dir.join(name).exists(), "{name}");
        }
        for name in others {
            assert!(dir.join(name).exists(), "{name}");
        }
        #[cfg(unix)]
        assert_eq!(std::fs::read_to_string(victim).unwrap(), "precious");
        assert_eq!(load(None, Some(&state)).unwrap(), demo_world());
        assert_eq!(remove_leftovers(&state).unwrap(), 0);
    }

    /// A save that fails leaves the old state and no temporary file behind.
    #[test]
    fn a_failed_save_leaves_nothing_behind() {
        let dir = temp_dir("failed-save");
        // A folder where the state should be: the rename over it fails.
        let state = dir.join("state.json");
        std::fs::create_dir(&state).unwrap();
        assert!(save(&state, &demo_world()).is_err());
        let names: Vec<_> = std::fs::read_dir(&*dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.json"]);
        assert!(state.is_dir());
        // A folder that is not there: an error at once (the temporary file cannot be made).
        let nowhere = dir.join("missing").join("state.json");
        let e = save(&nowhere, &demo_world()).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    }
}
