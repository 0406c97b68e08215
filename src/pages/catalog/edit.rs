//! Editing in place: a catalog entry, and the role history (rename, recolour, pin, size,
//! remove).

use super::*;

/// The editor of one entry: display name, colour, group, favourite.
#[component]
pub(super) fn EditEntry(
    entry: CatalogEntry,
    done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let catalogue = expect_catalogue();
    let name = RwSignal::new(entry.display_name.to_string());
    let colour = RwSignal::new(entry.colour);
    let group = RwSignal::new(entry.group.clone().unwrap_or_default());
    let favourite = RwSignal::new(entry.favourite);
    let problem = RwSignal::new(None::<String>);
    let id = entry
        .profile
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let (name_id, group_id, fav_id, colour_id) = (
        format!("edit-name-{id}"),
        format!("edit-group-{id}"),
        format!("edit-fav-{id}"),
        format!("edit-colour-{id}"),
    );
    let save = move |_| {
        let display_name = match DisplayName::parse(&name.get_untracked()) {
            Ok(d) => d,
            Err(e) => {
                problem.set(Some(e.to_string()));
                return;
            }
        };
        let chosen: Option<Colour> = colour.get_untracked();
        let group = group.get_untracked().trim().to_owned();
        let updated = CatalogEntry {
            display_name,
            colour_from: if chosen == entry.colour {
                entry.colour_from.clone()
            } else {
                None
            },
            colour: chosen,
            group: (!group.is_empty()).then_some(group),
            favourite: favourite.get_untracked(),
            ..entry.clone()
        };
        match catalogue.update(&entry.profile, updated) {
            Ok(()) => done(),
            Err(e) => problem.set(Some(format!("The catalog could not be saved: {e}"))),
        }
    };
    view! {
        <div class="form">
            <label for=name_id.clone()>"Display name"</label>
            <input id=name_id type="text" bind:value=name />
            <ColourPicker legend="Color" id_prefix=colour_id colour />
            <label for=group_id.clone()>"Group"</label>
            <input id=group_id type="text" bind:value=group />
            <div class="check">
                <input id=fav_id.clone() type="checkbox" bind:checked=favourite />
                <label for=fav_id>"Favourite"</label>
            </div>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <SaveCancel save done />
        </div>
    }
}

/// The role history, under the person's control: rename and recolour, pin to the catalog,
/// remove; and how many entries to keep (five by default, as AWS).
#[component]
pub(super) fn HistoryEditor(
    /// Whether the user may switch to each role.
    reach: LocalResource<Reach>,
) -> impl IntoView {
    let console = expect_console();
    let catalogue = expect_catalogue();
    let status = RwSignal::new(None::<String>);
    let last_removed = RwSignal::new(None::<Removed>);
    let capacity = RwSignal::new(console.history().get_untracked().capacity().to_string());
    let apply_capacity = move |_| {
        let n = capacity
            .get_untracked()
            .trim()
            .parse::<usize>()
            .unwrap_or(0);
        if !(1..=crossrole_core::history::MAX_CAPACITY).contains(&n) {
            status.set(Some(format!(
                "History size must be 1 to {}.",
                crossrole_core::history::MAX_CAPACITY
            )));
            return;
        }
        let old = console
            .history()
            .with_untracked(crossrole_core::history::History::capacity);
        let mut dropped = Vec::new();
        match console.change_history(|h| dropped = h.set_capacity(n)) {
            Err(e) => status.set(Some(format!("The history could not be saved: {e}"))),
            Ok(()) if dropped.is_empty() => {
                status.set(Some(format!("The history keeps {}.", roles(n))));
            }
            // Entries went: said with an Undo, as a removal is.
            Ok(()) => {
                let names: Vec<String> = dropped
                    .iter()
                    .map(|(_, e)| e.display_name.to_string())
                    .collect();
                status.set(None);
                last_removed.set(Some(removed(
                    format!(
                        "The history keeps {}: removed {}.",
                        roles(n),
                        names.join(", ")
                    ),
                    move || {
                        let back = dropped.clone();
                        match console.change_history(|h| {
                            h.set_capacity(old);
                            for (at, e) in back {
                                h.restore(at, e);
                            }
                        }) {
                            Ok(()) => format!(
                                "The history keeps {} again, {} back.",
                                roles(old),
                                names.join(", ")
                            ),
                            Err(e) => format!("The history could not be saved: {e}"),
                        }
                    },
                )));
            }
        }
    };
    view! {
        <h2 id="history-title">"Role history"</h2>
        <section aria-labelledby="history-title" class="history-editor">
            <div class="form">
                <label for="history-size">"History size"</label>
                <input id="history-size" type="number" min="1" max="50" bind:value=capacity />
                <div class="form-actions">
                    <button type="button" on:click=apply_capacity>
                        "Keep this many"
                    </button>
                </div>
            </div>
            <p role="status">{move || status.get()}</p>
            <UndoBar last=last_removed />
            <ul class="catalog" aria-label="Role history">
                <For
                    each=move || console.history().get().entries().to_vec()
                    key=|e| format!("{e:?}")
                    children=move |entry| {
                        let pinned = {
                            let (a, r) = (entry.account.clone(), entry.role.clone());
                            move || catalogue.entries().with(|list| list.iter().any(|e| e.account == a && e.role == r))
                        };
                        let editing = RwSignal::new(false);
                        let (pin, remove_entry, edit_entry) = (entry.clone(), entry.clone(), entry.clone());
                        let id = format!(
                            "history-{}-{}",
                            entry.account,
                            entry.role.to_text().replace(|c: char| !c.is_ascii_alphanumeric(), "-")
                        );
                        let described = id.clone();
                        view! {
                            <li class=format!("catalog-entry {}", colour_class(entry.colour))>
                                <div class="catalog-head">
                                    <strong id=id>{entry.display_name.to_string()}</strong>
                                    <span class="hint">{format!("{} · account {}", entry.role.to_text(), shown_account(&entry.account))}</span>
                                    <ReachMark reach account=entry.account.to_string() role=entry.role.to_text() />
                                </div>
                                <div class="form-actions">
                                    <button type="button" aria-describedby=described.clone() aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                                        "Rename"
                                    </button>
                                    <button
                                        type="button"
                                        aria-describedby=described.clone()
                                        disabled=pinned
                                        on:click=move |_| {
                                            let entry = catalogue.snapshot().entry_for(&pin);
                                            status.set(Some(match catalogue.add(entry) {
                                                Ok(_) => format!("{} is in the catalog.", pin.display_name),
                                                Err(e) => format!("The catalog could not be saved: {e}"),
                                            }));
                                        }
                                    >
                                        "Pin to catalog"
                                    </button>
                                    <button
                                        type="button"
                                        aria-describedby=described
                                        on:click=move |_| {
                                            let e = remove_entry.clone();
                                            let mut taken = None;
                                            if let Err(err) = console.change_history(|h| taken = h.take(&e.account, &e.role)) {
                                                status.set(Some(format!("The history could not be saved: {err}")));
                                            } else if let Some((at, entry)) = taken {
                                                last_removed.set(Some(undo_history_removal(at, entry)));
                                            }
                                        }
                                    >
                                        "Remove"
                                    </button>
                                </div>
                                <Show when=move || editing.get()>
                                    <RenameHistory entry=edit_entry.clone() status done=move || editing.set(false) />
                                </Show>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// "1 role", "5 roles".
fn roles(n: usize) -> String {
    if n == 1 {
        "1 role".to_owned()
    } else {
        format!("{n} roles")
    }
}

/// The removal of the history entry that was at `at`, told with its Undo.
fn undo_history_removal(at: usize, entry: crossrole_core::history::HistoryEntry) -> Removed {
    let console = expect_console();
    let name = entry.display_name.to_string();
    removed(
        format!("Removed {name} from the role history."),
        move || {
            let mut restored = false;
            match console.change_history(|h| restored = h.restore(at, entry.clone())) {
                Ok(()) if restored => format!("{name} is back in the role history."),
                Ok(()) => {
                    format!("{name} was not put back: it is in the role history again already.")
                }
                Err(e) => format!("The history could not be saved: {e}"),
            }
        },
    )
}

/// Renames and recolours one history entry.
#[component]
pub(super) fn RenameHistory(
    entry: crossrole_core::history::HistoryEntry,
    status: RwSignal<Option<String>>,
    done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let console = expect_console();
    let name = RwSignal::new(entry.display_name.to_string());
    let colour = RwSignal::new(entry.colour);
    let id = format!(
        "rename-{}-{}",
        entry.account,
        entry
            .role
            .to_text()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let (name_id, colour_id) = (format!("{id}-name"), format!("{id}-colour"));
    let save = move |_| match DisplayName::parse(&name.get_untracked()) {
        Ok(display_name) => {
            let chosen = colour.get_untracked();
            let (a, r) = (entry.account.clone(), entry.role.clone());
            match console.change_history(|h| {
                h.edit(&a, &r, display_name, chosen);
            }) {
                Ok(()) => done(),
                Err(e) => status.set(Some(format!("The history could not be saved: {e}"))),
            }
        }
        Err(e) => status.set(Some(e.to_string())),
    };
    view! {
        <div class="form">
            <label for=name_id.clone()>"Display name"</label>
            <input id=name_id type="text" bind:value=name />
            <ColourPicker legend="Color" id_prefix=colour_id colour />
            <SaveCancel save done />
        </div>
    }
}

/// An editor's Save and Cancel.
#[component]
pub(super) fn SaveCancel(
    save: impl Fn(leptos::ev::MouseEvent) + 'static,
    done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="form-actions">
            <button type="button" class="primary" on:click=save>
                "Save"
            </button>
            <button type="button" on:click=move |_| done()>
                "Cancel"
            </button>
        </div>
    }
}
