//! The check's own rules, each on a small crate written for it: every rule is seen failing
//! on a crate that breaks it, and passing on the same crate mended.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossrole_layers::{read_spec, Crate};

/// A crate of `files` (path, text) in a fresh folder, checked; the problems as text.
fn problems(files: &[(&str, &str)]) -> Vec<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "crossrole-layers-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let root = std::fs::read_to_string(dir.join("lib.rs")).unwrap();
    let spec = read_spec(&root).unwrap();
    let krate = Crate::read(&dir, "lib.rs").unwrap();
    let mut found: Vec<String> = krate
        .problems(&spec)
        .iter()
        .map(|p| p.to_string())
        .collect();
    found.extend(krate.long_files(20).iter().map(|p| p.to_string()));
    std::fs::remove_dir_all(&dir).unwrap();
    found
}

const TWO_LAYERS: &str = "//! # Layers\n//!\n//! 1. Low: [`low`], [`side`].\n//! 2. High: [`high`].\n//!\n//! Files of [`pages`] never import one another.\n\nmod low;\nmod side;\nmod high;\n";

fn with_pages(lib: &str) -> String {
    lib.replace("2. High: [`high`].", "2. High: [`high`], [`pages`].") + "mod pages;\n"
}

#[test]
fn an_import_of_a_higher_layer_is_named_with_its_place() {
    let found = problems(&[
        ("lib.rs", TWO_LAYERS),
        (
            "low.rs",
            "use crate::high::Thing;\npub fn f() -> Thing { Thing }\n",
        ),
        ("side.rs", ""),
        ("high.rs", "pub struct Thing;\n"),
    ]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("upward import: `low` (Low) uses `high` (High)")
            && found[0].ends_with("low.rs:1 `crate::high::Thing`"),
        "{found:#?}"
    );
    // The same import the other way round is what layers are for.
    let found = problems(&[
        ("lib.rs", TWO_LAYERS),
        ("low.rs", "pub struct Thing;\n"),
        ("side.rs", ""),
        (
            "high.rs",
            "use crate::low::Thing;\npub fn f() -> Thing { Thing }\n",
        ),
    ]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn grouped_inline_and_macro_paths_count_and_test_code_does_not() {
    for low in [
        "use crate::{side, high::{Thing}};\n",
        "pub fn f() { let _ = crate::high::make(); }\n",
        "pub fn f() -> String { format!(\"{:?}\", crate::high::make()) }\n",
        "use super::high;\n",
    ] {
        let found = problems(&[
            ("lib.rs", TWO_LAYERS),
            ("low.rs", low),
            ("side.rs", ""),
            ("high.rs", "pub struct Thing;\npub fn make() {}\n"),
        ]);
        assert!(
            found.iter().any(|p| p.starts_with("upward import: `low`")),
            "{low}: {found:#?}"
        );
    }
    let found = problems(&[
        ("lib.rs", TWO_LAYERS),
        (
            "low.rs",
            "#[cfg(test)]\nmod tests {\n    use crate::high::Thing;\n}\n",
        ),
        ("side.rs", ""),
        ("high.rs", "pub struct Thing;\n"),
    ]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn modules_of_one_layer_that_use_each_other_are_a_loop() {
    let found = problems(&[
        ("lib.rs", TWO_LAYERS),
        (
            "low.rs",
            "pub struct A;\npub fn f() -> crate::side::B { crate::side::B }\n",
        ),
        ("side.rs", "pub struct B;\nuse crate::low::A;\n"),
        ("high.rs", ""),
    ]);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("modules import each other in a loop: `low` → `side`")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("files import each other in a loop: low.rs → side.rs")),
        "{found:#?}"
    );
}

#[test]
fn sibling_files_in_a_loop_are_named_but_a_parent_and_its_child_are_not() {
    let files = |x: &'static str| {
        [
            ("lib.rs", TWO_LAYERS),
            (
                "low.rs",
                "mod x;\nmod y;\npub use x::X;\npub struct Shared;\n",
            ),
            ("low/x.rs", x),
            (
                "low/y.rs",
                "pub struct Y;\nuse super::x::X;\nuse super::Shared;\n",
            ),
            ("side.rs", ""),
            ("high.rs", ""),
        ]
    };
    let found = problems(&files("pub struct X;\nuse super::y::Y;\n"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("files import each other in a loop: low/x.rs → low/y.rs"),
        "{found:#?}"
    );
    let found = problems(&files("pub struct X;\nuse super::Shared;\n"));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_page_that_imports_another_page_is_refused() {
    let lib = with_pages(TWO_LAYERS);
    let found = problems(&[
        ("lib.rs", &lib),
        ("low.rs", ""),
        ("side.rs", ""),
        ("high.rs", ""),
        ("pages.rs", "pub mod a;\npub mod b;\n"),
        ("pages/a.rs", "pub fn read() {}\n"),
        ("pages/b.rs", "use crate::pages::a::read;\n"),
    ]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(
            "files of `pages` never import one another, but `pages::b` uses `pages::a`"
        ),
        "{found:#?}"
    );
}

#[test]
fn every_module_is_in_one_layer_and_every_listed_one_exists() {
    let found = problems(&[
        (
            "lib.rs",
            &TWO_LAYERS.replace("mod high;\n", "mod high;\nmod stray;\n"),
        ),
        ("low.rs", ""),
        ("side.rs", ""),
        ("high.rs", ""),
        ("stray.rs", ""),
    ]);
    assert_eq!(
        found,
        vec!["module `stray` is in no layer: name it in the crate root's `# Layers` list"]
    );
    let found = problems(&[
        ("lib.rs", &TWO_LAYERS.replace("mod side;\n", "")),
        ("low.rs", ""),
        ("high.rs", ""),
    ]);
    assert_eq!(
        found,
        vec!["the `# Layers` list names `side`, which is not a module of the crate"]
    );
}

#[test]
fn a_long_file_is_named_but_a_file_of_tests_is_not() {
    let long = "pub fn f() {}\n".repeat(21);
    let found = problems(&[
        (
            "lib.rs",
            &TWO_LAYERS.replace("mod low;\n", "mod low;\n#[cfg(test)]\nmod tests;\n"),
        ),
        ("low.rs", &long),
        ("side.rs", ""),
        ("high.rs", ""),
        ("tests.rs", &long),
    ]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("low.rs: 21 lines, past one concern"),
        "{found:#?}"
    );
}
