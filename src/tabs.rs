//! Several sessions across tabs: this tab's identity, told to the others through a
//! localStorage registry of labels and colours only (core's `Tabs`), refreshed every few
//! seconds and dropped when the tab goes; the others' identities for the Identity menu and
//! the sign-in page.

use leptos::prelude::*;

use crossrole_core::tabs::{TabInfo, Tabs};

use crate::backend::now;
use crate::state::{expect_console, Console};
use crate::storage;

/// The registry as context.
#[derive(Debug, Clone, Copy)]
pub struct OpenTabs {
    id: StoredValue<String>,
    tabs: RwSignal<Tabs>,
}

impl OpenTabs {
    /// The other tabs signed in now (tracked).
    pub fn others(&self) -> Vec<TabInfo> {
        let id = self.id.get_value();
        self.tabs.with(|t| t.others_signed_in(&id, now()))
    }

    /// Whether this tab may sign in (fewer than five others are).
    pub fn may_sign_in(&self) -> bool {
        let id = self.id.get_value();
        self.tabs.with(|t| t.may_sign_in(&id, now()))
    }
}

/// The registry from context.
pub fn expect_open_tabs() -> OpenTabs {
    expect_context::<OpenTabs>()
}

/// What this tab says of itself.
fn own_info(console: Console) -> TabInfo {
    let (label, colour) = match (console.base().get(), console.role().get()) {
        (_, Some(role)) => (Some(role.display_name.to_string()), role.colour),
        (None, None) => (None, None),
        (Some(base), None) => (
            Some(format!("{} @ {}", base.user, base.account_label)),
            None,
        ),
    };
    TabInfo {
        label,
        colour,
        seen: now(),
    }
}

/// The registry as stored now (empty when missing or unreadable: it refills itself).
fn stored() -> Tabs {
    storage::local_get(storage::TABS_KEY)
        .ok()
        .flatten()
        .map(|t| Tabs::decode(&t))
        .unwrap_or_default()
}

/// Writes this tab's entry onto what is stored now, and shows the result.
fn publish(id: &str, info: TabInfo, tabs: RwSignal<Tabs>) {
    let mut stored = stored();
    stored.update(id, info, now());
    let _ = storage::local_set(storage::TABS_KEY, &stored.encode());
    tabs.set(stored);
}

/// Provides the registry: publishes this tab's identity when it changes and every five
/// seconds, follows the others, and leaves when the tab does.
pub fn provide_open_tabs() -> OpenTabs {
    let console = expect_console();
    let id = storage::tab_id();
    let tabs = RwSignal::new(Tabs::default());
    let open = OpenTabs {
        id: StoredValue::new(id.clone()),
        tabs,
    };
    provide_context(open);
    let me = id.clone();
    Effect::new(move |_| publish(&me, own_info(console), tabs));
    let me = id.clone();
    crate::hooks::use_interval(std::time::Duration::from_secs(5), move || {
        if let Some(info) = console.try_signed_in().map(|_| own_info(console)) {
            publish(&me, info, tabs);
        }
    });
    let listener = window_event_listener(leptos::ev::storage, move |e| {
        if e.key().as_deref() == Some(storage::TABS_KEY) {
            let _ = tabs.try_set(e.new_value().map(|t| Tabs::decode(&t)).unwrap_or_default());
        }
    });
    let me = id;
    let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
        let mut stored = stored();
        stored.remove(&me);
        let _ = storage::local_set(storage::TABS_KEY, &stored.encode());
    });
    on_cleanup(move || {
        listener.remove();
        leaving.remove();
    });
    open
}
