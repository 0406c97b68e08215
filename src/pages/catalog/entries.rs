//! The person's own catalog entries: the filter box, the list, and each entry's Switch,
//! Edit, Remove (with Undo) and Copy link.

use super::*;

/// The catalog's entries, favourites first, by group.
#[component]
pub(super) fn Entries(
    reach: LocalResource<Reach>,
    destination: Signal<Option<String>>,
) -> impl IntoView {
    let catalogue = expect_catalogue();
    let entries = catalogue.entries();
    let sorted = Memo::new(move |_| {
        let mut list = entries.get();
        list.sort_by(|a, b| {
            b.favourite
                .cmp(&a.favourite)
                .then_with(|| a.group.cmp(&b.group))
        });
        list
    });
    let last_removed = RwSignal::new(None::<Removed>);
    // The filter box: core's matching (the palette's), in the list's own order.
    let filter_text = RwSignal::new(String::new());
    let index = Memo::new(move |_| {
        sorted.with(|list| {
            list.iter()
                .map(|e| {
                    Searchable::new([
                        e.display_name.as_str(),
                        e.role.to_text().as_str(),
                        e.account.as_str(),
                        e.group.as_deref().unwrap_or(""),
                        e.profile.as_str(),
                    ])
                })
                .collect::<Vec<_>>()
        })
    });
    let shown = Memo::new(move |_| {
        let matching = filter_text.with(|q| index.with(|i| filter(i, q)));
        sorted.with(|list| {
            matching
                .into_iter()
                .filter_map(|i| list.get(i).cloned())
                .collect::<Vec<_>>()
        })
    });
    let count = move || {
        let (shown, all) = (shown.with(Vec::len), sorted.with(Vec::len));
        match (filter_text.with(|q| q.trim().is_empty()), shown) {
            (true, _) => String::new(),
            (false, 0) => format!("No role matches \"{}\".", filter_text.get().trim()),
            (false, n) => format!("{n} of {all} roles match."),
        }
    };
    view! {
        <h2 id="entries-title">"Roles in the catalog"</h2>
        <UndoBar last=last_removed />
        <Show when=move || sorted.with(|l| !l.is_empty())>
            <div class="form wide">
                <label for="catalog-filter">"Filter roles"</label>
                <input
                    id="catalog-filter"
                    type="search"
                    placeholder="Name, role, account or group"
                    autocomplete="off"
                    bind:value=filter_text
                    aria-describedby="catalog-filter-count"
                />
                <p id="catalog-filter-count" class="hint" role="status">{count}</p>
            </div>
        </Show>
        <Show
            when=move || sorted.with(|l| !l.is_empty())
            fallback=|| view! { <p>"No roles yet: import a configuration above."</p> }
        >
            <ul class="catalog" aria-labelledby="entries-title">
                <For
                    each=move || shown.get()
                    key=|e| format!("{e:?}")
                    children=move |entry| view! { <EntryRow entry reach destination last_removed /> }
                />
            </ul>
        </Show>
    }
}

/// One entry: what it is, and Switch, Edit, Remove, Copy link.
#[component]
pub(super) fn EntryRow(
    entry: CatalogEntry,
    reach: LocalResource<Reach>,
    /// Where the copied link opens after the switch, if anywhere.
    destination: Signal<Option<String>>,
    /// A team entry: switched to and shared, not edited here.
    #[prop(default = false)]
    read_only: bool,
    /// Where a removal is told, with its Undo (none for a read-only entry).
    #[prop(optional)]
    last_removed: Option<RwSignal<Option<Removed>>>,
) -> impl IntoView {
    let last_removed = last_removed.unwrap_or_else(|| RwSignal::new(None));
    let console = expect_console();
    let catalogue = expect_catalogue();
    let navigate = use_navigate();
    let editing = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    let calls = CallScope::new();
    let linked = entry.clone();
    let switch = {
        let target = entry.target();
        Action::new_local(move |_: &()| {
            let target = target.clone();
            let navigate = navigate.clone();
            let cancel = calls.begin();
            async move {
                match console.switch_to(target, cancel).await {
                    Ok(()) => navigate("/", Default::default()),
                    Err(e) => status.set(Some(format!("Could not switch: {}", e.explanation()))),
                }
            }
        })
    };
    let copy = move |_| {
        let link = on_this_site(&linked.link(destination.get_untracked().as_deref()));
        leptos::task::spawn_local(async move {
            // Without a clipboard nothing is said, as before; a refusal is.
            match copy_to_clipboard(&link).await {
                Ok(()) => status.set(Some("Link copied.".into())),
                Err(NotCopied::Refused) => status.set(Some("Copying was refused.".into())),
                Err(NotCopied::Unavailable) => {}
            }
        });
    };
    let profile = entry.profile.clone();
    let remove = move |_| match catalogue.take(&profile) {
        Ok(Some((at, taken))) => {
            let name = taken.display_name.to_string();
            last_removed.set(Some(removed(
                format!("Removed {name} from the catalog."),
                move || match catalogue.restore(at, taken.clone()) {
                    Ok(true) => format!("{name} is back in the catalog."),
                    Ok(false) => format!(
                        "{name} was not put back: the catalog has an entry of that profile again."
                    ),
                    Err(e) => format!("The catalog could not be saved: {e}"),
                },
            )));
        }
        Ok(None) => {}
        Err(e) => status.set(Some(format!("The catalog could not be saved: {e}"))),
    };
    let heading_id = format!(
        "entry-{}",
        entry
            .profile
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let described = heading_id.clone();
    let editable = heading_id.clone();
    let exact = entry.exact_colour();
    let mapped = exact.clone().map(|hex| {
        format!(
            "Color {hex}, as given (the navigation bar shows the palette's nearest, {}).",
            entry
                .colour
                .map_or_else(|| "none".to_owned(), |c| c.name().to_lowercase())
        )
    });
    let facts = format!(
        "{} · account {}{}",
        entry.role.to_text(),
        shown_account(&entry.account),
        entry
            .group
            .as_deref()
            .map(|g| format!(" · group {g}"))
            .unwrap_or_default()
    );
    let edited = entry.clone();
    view! {
        // The exact colour as the entry's edge (set through the style object, which the
        // page's CSP allows; hex digits only, from core).
        <li class=format!("catalog-entry {}", colour_class(entry.colour)) style:border-left-color=exact>
            <div class="catalog-head">
                <strong id=heading_id>{entry.display_name.to_string()}</strong>
                {entry.favourite.then_some(view! { <span class="favourite" title="Favourite">"★"</span> })}
                <span class="hint">{facts}</span>
                <ReachMark reach account=entry.account.to_string() role=entry.role.to_text() />
            </div>
            {mapped.map(|m| view! { <p class="hint">{m}</p> })}
            <div class="form-actions">
                <button type="button" class="primary" aria-describedby=described.clone() on:click=move |_| { switch.dispatch(()); } disabled=move || console.base().with(Option::is_none)>
                    "Switch"
                </button>
                <Show when=move || !read_only>
                    <button type="button" aria-describedby=editable.clone() aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                        "Edit"
                    </button>
                    <button type="button" aria-describedby=editable.clone() on:click=remove.clone()>
                        "Remove"
                    </button>
                </Show>
                <button type="button" aria-describedby=described on:click=copy>
                    "Copy link"
                </button>
            </div>
            <span role="status">{move || status.get()}</span>
            <Show when=move || editing.get()>
                <EditEntry entry=edited.clone() done=move || editing.set(false) />
            </Show>
        </li>
    }
}
