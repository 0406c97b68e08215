//! The layer check: reads a crate's source and tells every import that points the wrong way.
//!
//! A crate names its layers in its root file's documentation, under a heading `# Layers`, as a
//! numbered list whose items name modules in backticks, lowest layer first:
//!
//! ```text
//! //! # Layers
//! //!
//! //! 1. Vocabulary: [`clock`], [`validation`].
//! //! 2. Identifiers: [`arn`].
//! //!
//! //! Files of [`pages`] never import one another.
//! ```
//!
//! Then, for every reference to a module of the same crate (`use crate::…`, `super::…`,
//! `self::…`, a child module's name, and the same paths written inline or in a macro's
//! arguments; test code excluded):
//! - a top-level module refers only to modules of its own layer or a lower one;
//! - no two top-level modules refer to each other, directly or round a loop;
//! - no two files refer to each other round a loop, a module and its own descendants apart
//!   (a parent declares and re-exports its children; a child uses its parent's items);
//! - files below a module marked "never import one another" refer to no sibling's file;
//! - every top-level module is in exactly one layer.
//!
//! Parsing is `syn`'s: a hand-rolled scanner would miss grouped imports and inline paths.

#![warn(missing_docs, unreachable_pub, missing_debug_implementations)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

mod graph;
mod spec;

pub use spec::{read_spec, Spec};

/// A module path inside one crate, e.g. `["ops", "sts"]`; the crate root is empty.
pub type ModulePath = Vec<String>;

/// One place a file refers to a module of its own crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The module referred to (the longest prefix of the path that is a module).
    pub target: ModulePath,
    /// The path as written, e.g. `crate::ops::unique_id`.
    pub written: String,
    /// The line it is on.
    pub line: usize,
    /// For a path that starts with a plain name: how long the module path is up to and with
    /// that name, which must be a child module for the path to be this crate's.
    pub child_anchor: Option<usize>,
}

/// A source file of the crate and what it refers to.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to the crate's `src`.
    pub path: PathBuf,
    /// The module the file defines.
    pub module: ModulePath,
    /// Non-test lines (the whole file, for a file of tests only).
    pub lines: usize,
    /// Whether the file holds tests only (`#[cfg(test)] mod …;`).
    pub test_only: bool,
    /// Its references to modules of the crate.
    pub references: Vec<Reference>,
}

/// A crate read from disk: its files and its modules.
#[derive(Clone, Debug)]
pub struct Crate {
    /// The crate's `src` folder.
    pub src: PathBuf,
    /// Every file reached from the root through `mod` items.
    pub files: Vec<SourceFile>,
    /// Each module (file or inline) and the index of the file that holds it.
    pub modules: BTreeMap<ModulePath, usize>,
}

/// One thing wrong with a crate's structure, said so that a reader can find and fix it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem(pub String);

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A failure to read the crate at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Crate {
    /// Reads the crate whose root file is `src/<root>` (`lib.rs`, usually).
    pub fn read(src: &Path, root: &str) -> Result<Crate, ReadError> {
        let mut krate = Crate {
            src: src.to_path_buf(),
            files: Vec::new(),
            modules: BTreeMap::new(),
        };
        krate.read_file(PathBuf::from(root), Vec::new(), false)?;
        krate.resolve_child_references();
        Ok(krate)
    }

    fn read_file(
        &mut self,
        rel: PathBuf,
        module: ModulePath,
        test_only: bool,
    ) -> Result<(), ReadError> {
        let full = self.src.join(&rel);
        let text = std::fs::read_to_string(&full)
            .map_err(|e| ReadError(format!("{}: {e}", full.display())))?;
        let parsed =
            syn::parse_file(&text).map_err(|e| ReadError(format!("{}: {e}", full.display())))?;
        let index = self.files.len();
        self.files.push(SourceFile {
            path: rel.clone(),
            module: module.clone(),
            lines: text.lines().count(),
            test_only,
            references: Vec::new(),
        });
        self.modules.insert(module.clone(), index);
        // Where this file's children live: beside `lib.rs`/`main.rs`/`mod.rs`, else in a
        // folder named after the file.
        let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let dir = match stem {
            "lib" | "main" | "mod" => rel.parent().map(Path::to_path_buf).unwrap_or_default(),
            _ => rel.with_extension(""),
        };
        let mut collector = Collector {
            module: module.clone(),
            references: Vec::new(),
            children: Vec::new(),
            inline: Vec::new(),
            in_test: test_only,
        };
        collector.visit_file(&parsed);
        self.files[index].references = collector.references;
        for inline in collector.inline {
            self.modules.insert(inline, index);
        }
        for (child, is_test, inline_dirs) in collector.children {
            let mut base = dir.clone();
            for d in &inline_dirs {
                base.push(d);
            }
            let name = child.last().cloned().unwrap_or_default();
            let flat = base.join(format!("{name}.rs"));
            let nested = base.join(&name).join("mod.rs");
            let chosen = if self.src.join(&flat).exists() {
                flat
            } else {
                nested
            };
            self.read_file(chosen, child, test_only || is_test)?;
        }
        Ok(())
    }

    /// A path that starts with a name is relative to the module it is written in only when
    /// that module has a child of that name; the collector cannot know all children when it
    /// meets the path, so those are settled once every module is known.
    fn resolve_child_references(&mut self) {
        let modules = &self.modules;
        for file in &mut self.files {
            file.references.retain_mut(|r| {
                if let Some(n) = r.child_anchor {
                    if !modules.contains_key(&r.target[..n.min(r.target.len())]) {
                        return false;
                    }
                }
                let Some(found) = longest_module(modules, &r.target) else {
                    return false;
                };
                r.target = found;
                true
            });
        }
    }

    /// The problems of this crate against the layer order in `spec`.
    pub fn problems(&self, spec: &Spec) -> Vec<Problem> {
        graph::problems(self, spec)
    }

    /// Non-test files longer than `limit` lines.
    pub fn long_files(&self, limit: usize) -> Vec<Problem> {
        self.files
            .iter()
            .filter(|f| !f.test_only && f.lines > limit)
            .map(|f| {
                Problem(format!(
                    "{}: {} lines, past one concern (at most {limit}); split it at its seams",
                    self.src.join(&f.path).display(),
                    f.lines
                ))
            })
            .collect()
    }
}

fn longest_module(modules: &BTreeMap<ModulePath, usize>, path: &[String]) -> Option<ModulePath> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains_key(p))
}

/// Whether `attrs` include `#[cfg(test)]` (or a `cfg` naming `test` among others).
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "test"))
    })
}

struct Collector {
    module: ModulePath,
    references: Vec<Reference>,
    /// Child modules declared `mod x;`: the module, whether under `cfg(test)`, and the inline
    /// modules around the declaration (they are folders on disk).
    children: Vec<(ModulePath, bool, Vec<String>)>,
    inline: Vec<ModulePath>,
    in_test: bool,
}

impl Collector {
    fn record(&mut self, segments: &[String], line: usize) {
        if self.in_test || segments.is_empty() {
            return;
        }
        let mut target = self.module.clone();
        let mut anchor = None;
        let rest = match segments[0].as_str() {
            "crate" => {
                target.clear();
                &segments[1..]
            }
            "self" => &segments[1..],
            "super" => {
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    target.pop();
                    rest = &rest[1..];
                }
                rest
            }
            // Maybe a child module (settled once every module is known); else another crate
            // or a local name, never a module of this crate.
            first if first.starts_with(|c: char| c.is_ascii_lowercase()) => {
                anchor = Some(target.len() + 1);
                segments
            }
            _ => return,
        };
        target.extend(rest.iter().cloned());
        self.references.push(Reference {
            target,
            written: segments.join("::"),
            line,
            child_anchor: anchor,
        });
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(syn::UseName { ident })
            | syn::UseTree::Rename(syn::UseRename { ident, .. }) => {
                prefix.push(ident.to_string());
                self.record(prefix, ident.span().start().line);
                prefix.pop();
            }
            syn::UseTree::Glob(g) => self.record(prefix, g.star_token.spans[0].start().line),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let test = is_test(&m.attrs);
        let mut child = self.module.clone();
        child.push(m.ident.to_string());
        match &m.content {
            None => {
                // Inline modules between the file and this declaration are folders.
                let depth = self.inline_depth();
                let dirs = self.module[self.module.len() - depth..].to_vec();
                self.children.push((child, test || self.in_test, dirs));
            }
            Some(_) => {
                let was_test = self.in_test;
                self.in_test |= test;
                if !self.in_test {
                    self.inline.push(child.clone());
                }
                let outer = std::mem::replace(&mut self.module, child);
                syn::visit::visit_item_mod(self, m);
                self.module = outer;
                self.in_test = was_test;
            }
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if is_test(&u.attrs) {
            return;
        }
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if !is_test(&i.attrs) {
            syn::visit::visit_item_impl(self, i);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            let line = p.segments[0].ident.span().start().line;
            self.record(&segments, line);
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // Macro arguments are tokens, not paths: read `crate::a::b` / `super::a` sequences.
        let tokens: Vec<proc_macro2::TokenTree> = flatten(m.tokens.clone());
        let mut i = 0;
        while i < tokens.len() {
            if let proc_macro2::TokenTree::Ident(id) = &tokens[i] {
                let first = id.to_string();
                if first == "crate" || first == "super" {
                    let mut segments = vec![first];
                    let mut j = i + 1;
                    // `::` is two `:` puncts, then the next segment.
                    while let (
                        Some(proc_macro2::TokenTree::Punct(a)),
                        Some(proc_macro2::TokenTree::Punct(b)),
                        Some(proc_macro2::TokenTree::Ident(next)),
                    ) = (tokens.get(j), tokens.get(j + 1), tokens.get(j + 2))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segments.push(next.to_string());
                        j += 3;
                    }
                    if segments.len() > 1 {
                        self.record(&segments, id.span().start().line);
                    }
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        syn::visit::visit_macro(self, m);
    }
}

impl Collector {
    /// How many of the innermost module's segments are inline modules of this file.
    fn inline_depth(&self) -> usize {
        self.inline
            .iter()
            .filter(|m| self.module.starts_with(m))
            .count()
    }
}

fn flatten(stream: proc_macro2::TokenStream) -> Vec<proc_macro2::TokenTree> {
    let mut out = Vec::new();
    for t in stream {
        match t {
            proc_macro2::TokenTree::Group(g) => out.extend(flatten(g.stream())),
            other => out.push(other),
        }
    }
    out
}
