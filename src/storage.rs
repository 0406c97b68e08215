//! Browser storage glue: role history and preferences in localStorage (shared between tabs),
//! the tab's sessions in sessionStorage (never localStorage: they hold credentials).
//!
//! Reads distinguish "missing" from "corrupt": corrupt data is recovered from (what is valid
//! is kept, the rest dropped and the store rewritten) and never crashes the page.

use crossrole_core::colour::VisualMode;
use crossrole_core::history::{History, HistoryDecodeError, HistoryEntry, DEFAULT_CAPACITY};
use serde::{de::DeserializeOwned, Serialize};

/// The localStorage key of the role history (the version is in the key and in the value).
pub const HISTORY_KEY: &str = "crossrole.history.v1";
/// The localStorage key that records that the Switch Role first-run page was seen.
pub const FIRST_RUN_KEY: &str = "crossrole.switchrole.firstRunSeen.v1";
/// The localStorage key of the open tabs' registry (labels and colours only).
pub const TABS_KEY: &str = "crossrole.tabs.v1";
/// The sessionStorage key of this tab's id (kept across reloads of the tab).
const TAB_ID_KEY: &str = "crossrole.tab.id.v1";
/// The localStorage key of the team catalog as last seen (for its diff view).
pub const TEAM_SEEN_KEY: &str = "crossrole.catalog.team.seen.v1";
/// The localStorage key of the person's role catalog (versioned JSON; never a secret).
pub const CATALOG_KEY: &str = "crossrole.catalog.v1";
/// The localStorage key of the visual mode (`system`, `light` or `dark`).
pub const VISUAL_MODE_KEY: &str = "crossrole.visualMode.v1";
/// The localStorage key of the in-browser mock's IAM changes (roles, groups, policies: never
/// a user, password, key or MFA seed), kept so that they survive a reload.
pub const MOCK_IAM_KEY: &str = "crossrole.mock.iam.v1";
/// The sessionStorage key of the tab's console session (base and role).
pub const CONSOLE_SESSION_KEY: &str = "crossrole.console.session.v1";

/// Why storage could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser refused (storage disabled, quota exceeded).
    #[error("browser storage is unavailable: {0}")]
    Unavailable(String),
    /// The stored value is not what this version of crossrole wrote.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// A refusal by the browser as a sentence: the DOMException's name and message (e.g.
/// `QuotaExceededError` when the storage is full).
fn unavailable(e: wasm_bindgen::JsValue) -> StorageError {
    use wasm_bindgen::JsCast;
    StorageError::Unavailable(match e.dyn_ref::<js_sys::Error>() {
        Some(err) => format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        ),
        None => format!("{e:?}"),
    })
}

/// One of the page's storages (`pick`: localStorage or sessionStorage), or why not. Reached
/// through web-sys rather than gloo-storage's `raw()`, which throws a JS exception through the
/// wasm when the browser refuses access (storage disabled, a sandboxed frame): here that is an
/// error the console can show.
fn storage(
    pick: fn(&web_sys::Window) -> Result<Option<web_sys::Storage>, wasm_bindgen::JsValue>,
    name: &str,
) -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    pick(&window)
        .map_err(unavailable)?
        .ok_or_else(|| StorageError::Unavailable(format!("{name} is disabled")))
}

fn local() -> Result<web_sys::Storage, StorageError> {
    storage(web_sys::Window::local_storage, "localStorage")
}

fn session() -> Result<web_sys::Storage, StorageError> {
    storage(web_sys::Window::session_storage, "sessionStorage")
}

/// Reads and decodes a sessionStorage value; `Ok(None)` when missing.
pub fn session_get<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StorageError> {
    let raw = session()?.get_item(key).map_err(unavailable)?;
    raw.map(|text| serde_json::from_str(&text).map_err(|e| StorageError::Corrupt(e.to_string())))
        .transpose()
}

/// Encodes and writes a sessionStorage value.
pub fn session_set<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<(), StorageError> {
    let text = serde_json::to_string(value).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    session()?.set_item(key, &text).map_err(unavailable)
}

/// Removes a sessionStorage value.
pub fn session_remove(key: &str) {
    if let Ok(s) = session() {
        let _ = s.remove_item(key);
    }
}

/// Reads a raw localStorage value; `Ok(None)` when missing.
pub fn local_get(key: &str) -> Result<Option<String>, StorageError> {
    local()?.get_item(key).map_err(unavailable)
}

/// Writes a raw localStorage value.
pub fn local_set(key: &str, value: &str) -> Result<(), StorageError> {
    local()?.set_item(key, value).map_err(unavailable)
}

/// Removes a localStorage value.
pub fn local_remove(key: &str) {
    if let Ok(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// The role history as stored, and a sentence for the person when something had to be
/// recovered. Corrupt stores are rewritten with what was kept.
pub fn load_history() -> (History, Option<String>) {
    let text = match local_get(HISTORY_KEY) {
        Ok(Some(text)) => text,
        Ok(None) => return (History::default(), None),
        Err(e) => {
            return (
                History::default(),
                Some(format!("Role history is not available: {e}")),
            )
        }
    };
    decode_history(&text)
}

/// The role history as stored now, when there is one that can be read (even an empty one:
/// another tab may have removed every entry); `None` when storage is unavailable, nothing is
/// stored, or the store is unreadable.
pub fn stored_history() -> Option<History> {
    let text = local_get(HISTORY_KEY).ok()??;
    History::decode(&text, DEFAULT_CAPACITY)
        .ok()
        .map(|decoded| decoded.history)
}

/// Decodes stored history text, repairing the store when entries had to be dropped.
pub fn decode_history(text: &str) -> (History, Option<String>) {
    match History::decode(text, DEFAULT_CAPACITY) {
        Ok(decoded) if decoded.skipped == 0 => (decoded.history, None),
        Ok(decoded) => {
            let _ = save_history(&decoded.history);
            let n = decoded.skipped;
            let entries = if n == 1 { "entry" } else { "entries" };
            (
                decoded.history,
                Some(format!(
                    "{n} unreadable role history {entries} removed; the others were kept."
                )),
            )
        }
        Err(HistoryDecodeError::UnknownVersion(v)) => (
            History::default(),
            Some(format!(
                "Role history was saved by a newer crossrole (format {v}) and is not shown."
            )),
        ),
        Err(e) => {
            let _ = save_history(&History::default());
            (
                History::default(),
                Some(format!(
                    "Role history could not be read and was reset ({e})."
                )),
            )
        }
    }
}

/// Records a switch into the stored history (merging with what other tabs wrote since this
/// tab last read it), writes it, and returns it: the caller shows what was written.
pub fn record_history(
    current: &History,
    entry: HistoryEntry,
) -> (History, Result<(), StorageError>) {
    let stored = local_get(HISTORY_KEY).ok().flatten();
    let merged = current.record_onto_stored(stored.as_deref(), entry);
    let saved = save_history(&merged);
    (merged, saved)
}

/// Writes the role history.
pub fn save_history(history: &History) -> Result<(), StorageError> {
    local_set(HISTORY_KEY, &history.encode())
}

/// Whether the Switch Role first-run page was already seen in this browser.
pub fn first_run_seen() -> bool {
    matches!(local_get(FIRST_RUN_KEY), Ok(Some(v)) if v == "1")
}

/// Records that the first-run page was seen.
pub fn mark_first_run_seen() {
    let _ = local_set(FIRST_RUN_KEY, "1");
}

/// The visual mode chosen in this browser (the system's when none was, or storage is refused).
pub fn visual_mode() -> VisualMode {
    match local_get(VISUAL_MODE_KEY) {
        Ok(Some(text)) => VisualMode::parse(&text),
        _ => VisualMode::System,
    }
}

/// Keeps the visual mode chosen (public/boot.js reads it too, before the console starts).
pub fn save_visual_mode(mode: VisualMode) -> Result<(), StorageError> {
    local_set(VISUAL_MODE_KEY, mode.as_str())
}

/// The catalog stored under `key` (its valid entries; missing, corrupt or newer: empty).
fn stored_catalog(key: &str) -> crossrole_core::catalog::Catalog {
    local_get(key)
        .ok()
        .flatten()
        .and_then(|text| crossrole_core::catalog::Catalog::decode(&text))
        .map(|(catalog, _)| catalog)
        .unwrap_or_default()
}

/// The stored role catalog.
pub fn load_catalog() -> crossrole_core::catalog::Catalog {
    stored_catalog(CATALOG_KEY)
}

/// Writes the role catalog.
pub fn save_catalog(catalog: &crossrole_core::catalog::Catalog) -> Result<(), StorageError> {
    local_set(CATALOG_KEY, &catalog.encode())
}

/// This tab's id: made once, kept in the tab's sessionStorage.
pub fn tab_id() -> String {
    if let Ok(Some(id)) = session_get::<String>(TAB_ID_KEY) {
        return id;
    }
    let id = format!(
        "{:08x}{:08x}",
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32,
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    );
    let _ = session_set(TAB_ID_KEY, &id);
    id
}

/// The team catalog as last seen (empty before the first look).
pub fn team_catalog_seen() -> crossrole_core::catalog::Catalog {
    stored_catalog(TEAM_SEEN_KEY)
}
