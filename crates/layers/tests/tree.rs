//! The layer check over crossrole's own crates: the test command runs it, so an import that
//! points the wrong way, or a loop of imports, fails the build with the import named.

use std::path::{Path, PathBuf};

use crossrole_layers::{read_spec, Crate, Problem};

/// The repository's root, or another checkout's (`CROSSROLE_LAYERS_ROOT`), to see what the
/// check says of an older tree.
fn root() -> PathBuf {
    std::env::var_os("CROSSROLE_LAYERS_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

fn check(src: &str) -> Vec<Problem> {
    let src = root().join(src);
    let text = std::fs::read_to_string(src.join("lib.rs")).expect("the crate root");
    let spec = read_spec(&text).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let krate = Crate::read(&src, "lib.rs").unwrap_or_else(|e| panic!("{e}"));
    krate.problems(&spec)
}

fn assert_none(src: &str, problems: Vec<Problem>) {
    let text: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    assert!(
        problems.is_empty(),
        "{src}: {} problems\n{}",
        problems.len(),
        text.join("\n")
    );
}

#[test]
fn core_imports_only_downward() {
    assert_none("crates/core/src", check("crates/core/src"));
}

#[test]
fn the_console_imports_only_downward() {
    assert_none("src", check("src"));
}

#[test]
fn the_emulator_imports_only_downward() {
    assert_none("crates/emulator/src", check("crates/emulator/src"));
}

#[test]
fn no_source_file_is_past_one_concern() {
    let mut long = Vec::new();
    for (src, file) in [
        ("crates/core/src", "lib.rs"),
        ("crates/emulator/src", "lib.rs"),
        ("crates/layers/src", "lib.rs"),
        ("src", "lib.rs"),
    ] {
        let krate = Crate::read(&root().join(src), file).unwrap_or_else(|e| panic!("{e}"));
        long.extend(krate.long_files(LIMIT));
    }
    assert_none("source files", long);
}

/// "About 500 lines at most".
const LIMIT: usize = 500;
