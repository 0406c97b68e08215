//! The command palette: Ctrl+K (Cmd+K on macOS), or `/` in the Identity menu,
//! opens a dialog named "Switch role" with a combobox that fuzzy-searches the catalog and the
//! history (display name, role, account, group; core ranks them). The arrows move, Enter
//! switches, Escape closes and gives the focus back. While in a role, "Back to <user>" is
//! always the first option. Only the rows in view are rendered, so 10,000 entries cost a
//! keystroke no more than a few.

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

use crossrole_core::catalog::search::{rank, Searchable};
use crossrole_core::form::SwitchTarget;

use crate::backend::CallScope;
use crate::catalog::expect_catalogue;
use crate::components::colour_picker::colour_class;
use crate::state::expect_console;

/// A row's height in pixels (the list is laid out on this grid to render only what shows).
const ROW: f64 = 44.0;
/// How many rows the list shows at once.
const VISIBLE: usize = 8;
/// What the palette says before it has anything to offer.
const NO_ROLES_YET: &str = "No roles yet. Switch once from Switch Role (it is then in your \
     history), or import your ~/.aws/config in the Role catalog.";

/// Opens and closes the palette, as context (the Identity menu opens it too).
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    open: RwSignal<bool>,
}

impl Palette {
    /// Opens the palette.
    pub fn open(&self) {
        self.open.set(true);
    }

    /// Closes the palette.
    pub fn close(&self) {
        self.open.set(false);
    }
}

/// The palette from context.
pub fn expect_palette() -> Palette {
    expect_context::<Palette>()
}

/// Provides the palette's open state (before the navigation bar and the palette itself, which
/// both use it).
pub fn provide_palette() -> Palette {
    let palette = Palette {
        open: RwSignal::new(false),
    };
    provide_context(palette);
    palette
}

/// One thing the palette can do.
#[derive(Clone, Debug, PartialEq)]
enum Choice {
    /// Back to the signed-in user.
    Back(String),
    /// Switch to a role.
    Switch {
        /// Where to.
        target: SwitchTarget,
        /// Its catalog group, "Team" or "History".
        group: Option<String>,
        /// The exact colour a catalog entry was given (CSS hex), shown on its row.
        exact_colour: Option<String>,
    },
}

impl Choice {
    fn title(&self) -> String {
        match self {
            Choice::Back(user) => format!("Back to {user}"),
            Choice::Switch { target: t, .. } => t.display_name.to_string(),
        }
    }

    fn detail(&self) -> String {
        match self {
            Choice::Back(_) => "Leave the role and act as yourself".to_owned(),
            Choice::Switch {
                target: t, group, ..
            } => format!(
                "{} · {}{}",
                t.role.to_text(),
                t.account,
                group
                    .as_deref()
                    .map(|g| format!(" · {g}"))
                    .unwrap_or_default()
            ),
        }
    }
}

/// Opens the palette on Ctrl+K / Cmd+K and renders its dialog while open. Mount once, in the
/// shell, after [`provide_palette`]. The dialog is given as a view, [`PaletteDialog`] through
/// the app's loader: in the release build its code arrives on first use.
#[component]
pub fn CommandPalette(
    /// Renders the dialog.
    #[prop(into)]
    dialog: ViewFn,
) -> impl IntoView {
    let open = expect_palette().open;
    let console = expect_console();
    // Ctrl+K / Cmd+K anywhere, once signed in.
    let handle = window_event_listener(ev::keydown, move |e| {
        let k = e.key();
        // A listener may outlive its console (a page unmounted): it then does nothing.
        if (e.ctrl_key() || e.meta_key())
            && (k == "k" || k == "K")
            && console.try_signed_in() == Some(true)
        {
            e.prevent_default();
            open.set(true);
        }
    });
    on_cleanup(move || handle.remove());
    view! { <Show when=move || open.get()>{dialog.run()}</Show> }
}

/// The palette's dialog (closing it closes the palette).
#[component]
pub fn PaletteDialog() -> impl IntoView {
    let palette = expect_palette();
    let close = move || palette.close();
    let console = expect_console();
    let catalogue = expect_catalogue();
    let entries = catalogue.entries();
    // Where the focus was: it goes back there when the palette closes.
    let before = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let before = StoredValue::new_local(before);
    let close_back = move || {
        close();
        if let Some(el) = before.get_value() {
            let _ = el.focus();
        }
    };

    // Every choice, built once per change of catalog, history or identity.
    let choices = Memo::new(move |_| {
        let mut out: Vec<Choice> = Vec::new();
        if console.role().with(Option::is_some) {
            if let Some(base) = console.base().get() {
                out.push(Choice::Back(base.user));
            }
        }
        let mut seen = std::collections::HashSet::new();
        // The person's entries, then the team's beneath them.
        let own = entries.get().into_iter().map(|e| (e.group.clone(), e));
        let team = catalogue
            .team_entries()
            .into_iter()
            .map(|e| (Some(e.group.clone().unwrap_or_else(|| "Team".into())), e));
        for (group, e) in own.chain(team) {
            if seen.insert((e.account.clone(), e.role.clone())) {
                out.push(Choice::Switch {
                    target: e.target(),
                    group,
                    exact_colour: e.exact_colour(),
                });
            }
        }
        for h in console.history().get().entries() {
            if seen.insert((h.account.clone(), h.role.clone())) {
                out.push(Choice::Switch {
                    target: h.clone(),
                    group: Some("History".into()),
                    exact_colour: None,
                });
            }
        }
        out
    });
    let index = Memo::new(move |_| {
        choices.with(|all| {
            all.iter()
                .map(|c| match c {
                    Choice::Back(user) => Searchable::new(["back", user.as_str()]),
                    Choice::Switch {
                        target: t, group, ..
                    } => Searchable::new([
                        t.display_name.as_str(),
                        t.role.to_text().as_str(),
                        t.account.as_str(),
                        group.as_deref().unwrap_or(""),
                    ]),
                })
                .collect::<Vec<_>>()
        })
    });
    let query = RwSignal::new(String::new());
    let matches = Memo::new(move |_| {
        let q = query.get();
        let mut ranked = index.with(|i| rank(i, &q));
        // Back to the user stays first while in a role, whatever is typed.
        if choices.with(|c| matches!(c.first(), Some(Choice::Back(_)))) {
            ranked.retain(|&i| i != 0);
            ranked.insert(0, 0);
        }
        ranked
    });
    let active = RwSignal::new(0usize);
    Effect::watch(move || query.track(), move |_, _, _| active.set(0), false);
    let scroll_top = RwSignal::new(0.0f64);
    let list = NodeRef::<html::Div>::new();
    let input = NodeRef::<html::Input>::new();
    input.on_load(|i| {
        let _ = i.focus();
    });
    // The active row stays in view.
    Effect::new(move |_| {
        let at = active.get() as f64 * ROW;
        if let Some(l) = list.get_untracked() {
            let top = l.scroll_top() as f64;
            let height = VISIBLE as f64 * ROW;
            if at < top {
                l.set_scroll_top(at as i32);
            } else if at + ROW > top + height {
                l.set_scroll_top((at + ROW - height) as i32);
            }
        }
    });

    let calls = CallScope::new();
    let run = Action::new_local(move |choice: &Choice| {
        let choice = choice.clone();
        let cancel = calls.begin();
        async move {
            match choice {
                Choice::Back(_) => console.back(),
                Choice::Switch { target, .. } => {
                    if let Err(e) = console.switch_to(target, cancel).await {
                        console.tell(format!("Could not switch role: {}", e.explanation()));
                    }
                }
            }
        }
    });
    let choose = move |i: usize| {
        let chosen = matches
            .with_untracked(|m| m.get(i).copied())
            .and_then(|at| choices.with_untracked(|c| c.get(at).cloned()));
        if let Some(choice) = chosen {
            run.dispatch(choice);
            close_back();
        }
    };
    let on_keydown = move |e: ev::KeyboardEvent| {
        let count = matches.with_untracked(Vec::len);
        match e.key().as_str() {
            "ArrowDown" if count > 0 => {
                e.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                e.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Home" if count > 0 => {
                e.prevent_default();
                active.set(0);
            }
            "End" if count > 0 => {
                e.prevent_default();
                active.set(count - 1);
            }
            "Enter" => {
                e.prevent_default();
                choose(active.get_untracked());
            }
            "Escape" => {
                e.prevent_default();
                close_back();
            }
            // A modal dialog keeps the focus: its one focusable control is the search box (the
            // options are reached with the arrows).
            "Tab" => {
                e.prevent_default();
                if let Some(search) = input.get_untracked() {
                    let _ = search.focus();
                }
            }
            _ => {}
        }
    };
    // Only the rows in view (and a few around) are in the document.
    let window = move || {
        let first = ((scroll_top.get() / ROW) as usize).saturating_sub(2);
        let count = matches.with(Vec::len);
        let last = (first + VISIBLE + 4).min(count);
        first..last
    };
    let option_id = |i: usize| format!("palette-option-{i}");
    view! {
        <div class="palette-backdrop" on:click=move |_| close_back()></div>
        <div class="palette" role="dialog" aria-modal="true" aria-labelledby="palette-title" on:keydown=on_keydown>
            <h2 id="palette-title" class="palette-title">"Switch role"</h2>
            <input
                node_ref=input
                type="text"
                role="combobox"
                aria-label="Search roles"
                aria-expanded="true"
                aria-controls="palette-list"
                aria-autocomplete="list"
                aria-activedescendant=move || {
                    (matches.with(Vec::len) > 0).then(|| option_id(active.get()))
                }
                placeholder="Type a role, account or group"
                autocomplete="off"
                prop:value=move || query.get()
                on:input=move |e| query.set(event_target_value(&e))
            />
            <p class="hint" role="status">
                {move || {
                    let n = matches.with(Vec::len);
                    if choices.with(Vec::is_empty) {
                        NO_ROLES_YET.to_owned()
                    } else if n == 1 {
                        "1 match".to_owned()
                    } else {
                        format!("{n} matches")
                    }
                }}
            </p>
            <div
                class="palette-scroll"
                node_ref=list
                // Through the CSSOM (style:…), never a style attribute: the CSP forbids those.
                style:height=move || format!("{}px", matches.with(Vec::len).clamp(1, VISIBLE) as f64 * ROW)
                on:scroll=move |_| {
                    if let Some(l) = list.get_untracked() {
                        scroll_top.set(l.scroll_top() as f64);
                    }
                }
            >
                <ul
                    id="palette-list"
                    role="listbox"
                    aria-label="Roles"
                    style:height=move || format!("{}px", matches.with(Vec::len) as f64 * ROW)
                >
                    {move || {
                        let total = matches.with(Vec::len);
                        window()
                            .map(|i| {
                                let Some(choice) = matches
                                    .with(|m| m.get(i).copied())
                                    .and_then(|at| choices.with(|c| c.get(at).cloned()))
                                else {
                                    return ().into_any();
                                };
                                let (colour, exact) = match &choice {
                                    Choice::Switch { target, exact_colour, .. } => {
                                        (colour_class(target.colour), exact_colour.clone())
                                    }
                                    Choice::Back(_) => ("colour-none", None),
                                };
                                view! {
                                    <li
                                        id=option_id(i)
                                        role="option"
                                        class=format!("palette-option {colour}")
                                        aria-selected=move || (active.get() == i).to_string()
                                        aria-setsize=total.to_string()
                                        aria-posinset=(i + 1).to_string()
                                        style:top=format!("{}px", i as f64 * ROW)
                                        // A catalog entry's exact colour, as on the catalog page.
                                        style:border-left-color=exact
                                        on:mousedown=move |e| {
                                            e.prevent_default();
                                            choose(i);
                                        }
                                    >
                                        <span class="palette-name">{choice.title()}</span>
                                        <span class="palette-detail">{choice.detail()}</span>
                                    </li>
                                }
                                    .into_any()
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </div>
    }
}
