//! The person's role catalog in the console: core's `Catalog`, kept in localStorage under a
//! versioned key and followed across tabs, provided as its own narrow context (the console's
//! sessions and history stay in `state`).

use leptos::prelude::*;

use crossrole_core::catalog::{import, Catalog, CatalogEntry, Skipped};

use crate::storage;

/// The catalog as context: read it through [`Catalogue::entries`], change it through the
/// methods (each saves, and other tabs follow).
#[derive(Debug, Clone, Copy)]
pub struct Catalogue {
    catalog: RwSignal<Catalog>,
    team: RwSignal<Option<TeamCatalog>>,
}

/// The team's catalog, as `config.json` names it: read-only, beneath the person's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamCatalog {
    /// Its path on this site.
    pub path: String,
    /// What it holds, or why it could not be read.
    pub catalog: Result<Catalog, String>,
    /// Lines of it that could not be used.
    pub skipped: Vec<Skipped>,
}

/// What an import did, for the page to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// Entries added.
    pub added: usize,
    /// Entries read whose profile was already in the catalog (kept as they were).
    pub kept: usize,
    /// Lines that could not be used.
    pub skipped: Vec<Skipped>,
    /// Why the catalog could not be saved, if it could not.
    pub unsaved: Option<String>,
}

impl Catalogue {
    /// The catalog (tracked).
    pub fn entries(&self) -> Signal<Vec<CatalogEntry>> {
        let catalog = self.catalog;
        Signal::derive(move || catalog.with(|c| c.entries.clone()))
    }

    /// The team catalog, when one is configured (tracked).
    pub fn team(&self) -> Option<TeamCatalog> {
        self.team.get()
    }

    /// The team's entries that are not in the person's own catalog (tracked).
    pub fn team_entries(&self) -> Vec<CatalogEntry> {
        let own = self.catalog;
        self.team.with(|t| match t {
            Some(TeamCatalog {
                catalog: Ok(team), ..
            }) => own.with(|own| {
                team.entries
                    .iter()
                    .filter(|e| !own.holds(&e.account, &e.role))
                    .cloned()
                    .collect()
            }),
            _ => Vec::new(),
        })
    }

    /// Records the team catalog as seen now (its diff view empties).
    pub fn mark_team_seen(&self) {
        if let Some(TeamCatalog {
            catalog: Ok(team), ..
        }) = self.team.get_untracked()
        {
            let _ = storage::local_set(storage::TEAM_SEEN_KEY, &team.encode());
            self.team.update(|_| {});
        }
    }

    /// The whole catalog, untracked (for exports).
    pub fn snapshot(&self) -> Catalog {
        self.catalog.get_untracked()
    }

    fn change(&self, f: impl FnOnce(&mut Catalog)) -> Result<(), String> {
        self.catalog.update(f);
        storage::save_catalog(&self.catalog.get_untracked()).map_err(|e| e.to_string())
    }

    /// Imports `text` (AWS config or AESR) beneath the entries kept.
    pub fn import(&self, text: &str) -> ImportReport {
        let imported = import(text);
        let read = imported.catalog.entries.len();
        let mut added = 0;
        let unsaved = self.change(|c| added = c.merge(imported.catalog)).err();
        ImportReport {
            added,
            kept: read - added,
            skipped: imported.skipped,
            unsaved,
        }
    }

    /// Replaces the entry of `profile` with `entry`.
    pub fn update(&self, profile: &str, entry: CatalogEntry) -> Result<(), String> {
        self.change(|c| {
            if let Some(e) = c.entries.iter_mut().find(|e| e.profile == profile) {
                *e = entry;
            }
        })
    }

    /// Adds `entry` unless its profile is taken.
    pub fn add(&self, entry: CatalogEntry) -> Result<bool, String> {
        let mut added = false;
        self.change(|c| {
            added = c.merge(Catalog {
                entries: vec![entry],
                bases: Vec::new(),
            }) == 1
        })
        .map(|()| added)
    }

    /// Removes the entry of `profile`; hands it back with its place, for an Undo.
    pub fn take(&self, profile: &str) -> Result<Option<(usize, CatalogEntry)>, String> {
        let mut taken = None;
        self.change(|c| taken = c.take(profile)).map(|()| taken)
    }

    /// Puts back an entry [`Catalogue::take`] removed; says whether it went back (not when
    /// its profile is taken again).
    pub fn restore(&self, at: usize, entry: CatalogEntry) -> Result<bool, String> {
        let mut restored = false;
        self.change(|c| restored = c.restore(at, entry))
            .map(|()| restored)
    }
}

/// The catalog from context.
pub fn expect_catalogue() -> Catalogue {
    expect_context::<Catalogue>()
}

/// Loads the stored catalog (and the team's, from `team_path`), provides it, and follows
/// other tabs' changes.
pub fn provide_catalogue(team_path: Option<String>) -> Catalogue {
    let catalog = RwSignal::new(storage::load_catalog());
    let team = RwSignal::new(None::<TeamCatalog>);
    let catalogue = Catalogue { catalog, team };
    provide_context(catalogue);
    if let Some(path) = team_path {
        leptos::task::spawn_local(async move {
            let loaded = match crate::config::fetch_team_catalog(&path).await {
                Ok(Some(text)) => {
                    let imported = import(&text);
                    (Ok(imported.catalog), imported.skipped)
                }
                Ok(None) => (Err(format!("{path} was not found")), Vec::new()),
                Err(e) => (Err(format!("{path} could not be read: {e}")), Vec::new()),
            };
            let _ = team.try_set(Some(TeamCatalog {
                path,
                catalog: loaded.0,
                skipped: loaded.1,
            }));
        });
    }
    let handle = window_event_listener(leptos::ev::storage, move |e| match e.key().as_deref() {
        Some(storage::CATALOG_KEY) | None => catalog.set(storage::load_catalog()),
        _ => {}
    });
    on_cleanup(move || handle.remove());
    catalogue
}
