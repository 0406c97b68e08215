//! The layer order a crate writes in its root file's documentation.

/// A crate's layers, lowest first, and the modules whose files never import one another.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// Each layer's title (the words before its colon) and its modules.
    pub layers: Vec<(String, Vec<String>)>,
    /// Modules whose files (below the module itself) never import one another.
    pub no_siblings: Vec<String>,
}

impl Spec {
    /// The layer `module` is in (0 is the lowest), if it is in one.
    pub fn layer_of(&self, module: &str) -> Option<usize> {
        self.layers
            .iter()
            .position(|(_, modules)| modules.iter().any(|m| m == module))
    }
}

/// The names in backticks in `text` that could be module names.
fn module_names(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_owned)
}

/// Reads the `# Layers` section of a crate root's `//!` documentation.
pub fn read_spec(root: &str) -> Result<Spec, String> {
    let doc: Vec<&str> = root
        .lines()
        .map_while(|l| l.trim_start().strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let start = doc
        .iter()
        .position(|l| l.trim() == "# Layers")
        .ok_or("the crate root's documentation has no `# Layers` section")?;
    let mut spec = Spec::default();
    let mut open = false;
    for line in &doc[start + 1..] {
        if line.starts_with('#') {
            break;
        }
        if line.contains("never import one another") {
            spec.no_siblings.extend(module_names(line));
            open = false;
            continue;
        }
        let numbered = line
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if let Some((_, item)) = numbered {
            let title = item.split(':').next().unwrap_or(item).trim().to_owned();
            spec.layers.push((title, module_names(item).collect()));
            open = true;
        } else if open && line.starts_with(' ') {
            if let Some((_, modules)) = spec.layers.last_mut() {
                modules.extend(module_names(line));
            }
        } else {
            open = false;
        }
    }
    if spec.layers.is_empty() {
        return Err("the `# Layers` section lists no layer".into());
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_layers_continuations_and_the_sibling_rule() {
        let root = "//! The crate.\n//!\n//! # Layers\n//!\n//! 1. Vocabulary: [`clock`],\n//!    [`fault`] (not `Fault`).\n//! 2. Ids: [`arn`].\n//!\n//! Files of [`pages`] never import one another.\n//!\n//! # Other\n//! 3. `nope`\n";
        let spec = read_spec(root).unwrap();
        assert_eq!(
            spec.layers,
            vec![
                (
                    "Vocabulary".to_owned(),
                    vec!["clock".to_owned(), "fault".to_owned()]
                ),
                ("Ids".to_owned(), vec!["arn".to_owned()]),
            ]
        );
        assert_eq!(spec.no_siblings, vec!["pages".to_owned()]);
        assert_eq!(spec.layer_of("arn"), Some(1));
        assert_eq!(spec.layer_of("nope"), None);
    }

    #[test]
    fn a_root_without_layers_is_refused() {
        assert!(read_spec("//! Just a crate.\n").is_err());
        assert!(read_spec("//! # Layers\n//! nothing numbered\n").is_err());
    }
}
