//! The Identity menu: a WAI-ARIA menu button in the navigation bar.
//!
//! Keyboard behaviour follows the ARIA Authoring Practices "menu button" pattern, because
//! people (and the browser tests, which act like people) reach every entry by role and name.

use crossrole_core::announce::shown_account;
use crossrole_core::history::HistoryEntry;
use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

use crate::backend::CallScope;
use crate::components::colour_picker::colour_class;
use crate::components::copy_link::copy_to_clipboard;
use crate::state::expect_console;

mod keys;
use keys::{contains, menu_items, move_focus, Move};

/// Where focus lands when the menu opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Landing {
    First,
    Last,
}

/// The Identity menu button and its menu.
///
/// The button says who is acting: nobody, `David @ example-corp`, or a role's display name in
/// its colour. The menu shows who that is, and offers Switch role, the role history, Back to
/// the user while in a role, and Sign out. Enter, Space or ArrowDown open it, the arrows,
/// Home and End move, Escape closes it and gives focus back to the button, and leaving it
/// closes it.
#[component]
pub fn IdentityMenu() -> impl IntoView {
    let console = expect_console();
    let palette = crate::components::command_palette::expect_palette();
    let open = RwSignal::new(false);
    let landing = StoredValue::new(Landing::First);
    let wrapper = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Ul>::new();

    // Focus is a DOM side effect: once the menu element exists, move focus into it.
    Effect::new(move |_| {
        if let Some(menu) = menu.get() {
            let items = menu_items(&menu);
            let target = match landing.get_value() {
                Landing::First => items.first(),
                Landing::Last => items.last(),
            };
            if let Some(item) = target {
                let _ = item.focus();
            }
        }
    });

    let open_at = move |at: Landing| {
        landing.set_value(at);
        open.set(true);
    };
    let close_to_button = move || {
        open.set(false);
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    };

    let on_button_click = move |_: ev::MouseEvent| {
        if open.get_untracked() {
            open.set(false);
        } else {
            open_at(Landing::First);
        }
    };
    // Enter and Space already "click" a button; only the arrows need handling here.
    let on_button_keydown = move |e: ev::KeyboardEvent| {
        let at = match e.key().as_str() {
            "ArrowDown" => Landing::First,
            "ArrowUp" => Landing::Last,
            _ => return,
        };
        e.prevent_default();
        open_at(at);
    };
    let on_menu_keydown = move |e: ev::KeyboardEvent| {
        let Some(menu) = menu.get_untracked() else {
            return;
        };
        let key = e.key();
        if key == "Escape" {
            e.prevent_default();
            close_to_button();
            return;
        }
        // `/` searches every role: the command palette, in place of the menu.
        if key == "/" {
            e.prevent_default();
            open.set(false);
            palette.open();
            return;
        }
        let Some(movement) = Move::from_key(&key) else {
            return;
        };
        e.prevent_default();
        let items = menu_items(&menu);
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let current = items
            .iter()
            .position(|item| active.as_ref() == Some(item.unchecked_ref()));
        if let Some(next) = move_focus(current, items.len(), movement) {
            let _ = items[next].focus();
        }
    };
    // Tabbing away or clicking elsewhere moves focus out of the widget: the menu closes.
    let on_focusout = move |e: ev::FocusEvent| {
        if let Some(wrapper) = wrapper.get_untracked() {
            if !contains(&wrapper, e.related_target()) {
                open.set(false);
            }
        }
    };

    // The menu's own calls: a Cancel on a page's form does not abandon them.
    let calls = CallScope::new();
    let switch = Action::new_local(move |entry: &HistoryEntry| {
        console.switch_to(entry.clone(), calls.begin())
    });
    // Renew: a fresh role session from the base session, on the same page.
    let renew = Action::new_local(move |_: &()| console.renew(calls.begin()));
    Effect::new(move |_| {
        if let Some(Err(e)) = renew.value().get() {
            console.tell(format!(
                "Could not renew the role session: {}",
                e.explanation()
            ));
        }
    });
    // The last five minutes are announced once (a live region), not every second.
    let warning = Memo::new(move |_| console.countdown().is_some_and(|c| c.warning && !c.expired));
    // A failed switch from the history is told in the notice bar (the menu has closed).
    Effect::new(move |_| {
        if let Some(Err(e)) = switch.value().get() {
            console.tell(format!("Could not switch role: {}", e.explanation()));
        }
    });

    let label = move || match (console.base().get(), console.role().get()) {
        (_, Some(role)) => role.display_name.to_string(),
        (None, None) => "Not signed in".to_owned(),
        (Some(base), None) => format!("{} @ {}", base.user, base.account_label),
    };
    let button_class = move || {
        let colour = console.role().with(|r| r.as_ref().map(|r| r.colour));
        match colour {
            Some(c) => format!("identity-button in-role {}", colour_class(c)),
            None => "identity-button".to_owned(),
        }
    };

    let summary = move || {
        let base = console.base().get();
        // A role opened by a sign-in link has no user behind it.
        let from = base
            .as_ref()
            .map_or("Signed in from a link".to_owned(), |b| {
                format!("Signed in as {}", b.user)
            });
        Some(match console.role().get() {
            Some(role) => view! {
                <li role="none" class="identity-summary">
                    <span class=format!("identity-current {}", colour_class(role.colour))>
                        {role.display_name.to_string()}
                    </span>
                    <span>"Account ID: " {role.session.account_id.grouped()}</span>
                    <span>"Role: " {role.session.role.name.to_string()}</span>
                    <span class="identity-expiry">{move || console.countdown().map(|c| c.text())}</span>
                    <span>{from}</span>
                </li>
            }
            .into_any(),
            None => {
                let base = base?;
                view! {
                <li role="none" class="identity-summary">
                    <span class="identity-current">{base.user.clone()}</span>
                    <span>"Account ID: " {base.account_id.grouped()}</span>
                    <span>{if base.mfa { "Signed in with MFA" } else { "Signed in without MFA" }}</span>
                </li>
            }
            .into_any()
            }
        })
    };

    let history_items = move || {
        console
            .history()
            .get()
            .entries()
            .iter()
            .cloned()
            .map(|entry| {
                let class = format!("history-entry {}", colour_class(entry.colour));
                let name = entry.display_name.to_string();
                // Which role in which account, not only the name chosen for it (two entries
                // may look alike).
                let detail = format!(
                    "{} in {}",
                    entry.role.to_text(),
                    shown_account(&entry.account)
                );
                view! {
                    <li role="none">
                        <button
                            type="button"
                            role="menuitem"
                            tabindex="-1"
                            class=class
                            on:click=move |_| {
                                switch.dispatch(entry.clone());
                            }
                        >
                            <span class="history-name">{name}</span>
                            <span class="history-detail">
                                <span class="visually-hidden">", "</span>
                                {detail}
                            </span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    // The identities of the other tabs (several sessions): named here, not switched to (each
    // tab is its own identity).
    let open_tabs = crate::tabs::expect_open_tabs();
    let other_sessions = move || {
        let others = open_tabs.others();
        (!others.is_empty()).then(|| {
            view! {
                <li role="separator" class="identity-separator"></li>
                <li role="none">
                    <ul role="group" aria-label="Other sessions" class="identity-group">
                        <li role="none" class="identity-heading" aria-hidden="true">
                            "Other sessions"
                        </li>
                        {others
                            .into_iter()
                            .map(|t| {
                                let label = t.label.unwrap_or_default();
                                view! {
                                    <li role="none">
                                        <span
                                            role="menuitem"
                                            tabindex="-1"
                                            aria-disabled="true"
                                            class=format!("other-session {}", colour_class(t.colour))
                                        >
                                            {format!("{label} (another tab)")}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </li>
            }
        })
    };
    let copied = RwSignal::new(None::<&'static str>);
    let copy_account = move |_| {
        let Some(id) = console.acting().map(|a| a.account_id().to_string()) else {
            return;
        };
        // Cleared first, so that copying again is announced again.
        copied.set(None);
        leptos::task::spawn_local(async move {
            copied.set(Some(match copy_to_clipboard(&id).await {
                Ok(()) => "Account ID copied.",
                Err(_) => "The account ID could not be copied: select it in the Identity menu.",
            }));
        });
    };
    let signed_in_items = move || {
        let base = console.base().get();
        // Back, Renew and Switch role need the user; a sign-in link's role has none.
        let with_user = base.is_some();
        let back = base
            .filter(|_| console.role().with(Option::is_some))
            .map(|base| {
                let user = base.user.clone();
                view! {
                    <li role="none">
                        <button
                            type="button"
                            role="menuitem"
                            tabindex="-1"
                            on:click=move |_| {
                                renew.dispatch(());
                            }
                        >
                            "Renew"
                        </button>
                    </li>
                    <li role="none">
                        <button
                            type="button"
                            role="menuitem"
                            tabindex="-1"
                            on:click=move |_| console.back()
                        >
                            {format!("Back to {user}")}
                        </button>
                    </li>
                }
            });
        Some(view! {
            <Show when=move || with_user>
                <li role="none">
                    <a role="menuitem" tabindex="-1" href="/switchrole">
                        "Switch role"
                    </a>
                </li>
            </Show>
            <li role="none">
                // The id is shown grouped, as the AWS console shows it; copied as the digits
                // that forms and the CLI take.
                <button type="button" role="menuitem" tabindex="-1" on:click=copy_account>
                    "Copy account ID"
                </button>
            </li>
            // Labelled groups: a screen reader names the group as the focus enters it (the
            // visible heading is for the eye).
            <Show when=move || !console.history().with(|h| h.entries().is_empty())>
                <li role="separator" class="identity-separator"></li>
                <li role="none">
                    <ul role="group" aria-label="Role history" class="identity-group">
                        <li role="none" class="identity-heading" aria-hidden="true">
                            "Role history"
                        </li>
                        {history_items}
                    </ul>
                </li>
            </Show>
            {other_sessions}
            <li role="separator" class="identity-separator"></li>
            {back}
            <li role="none">
                // A link, so that the router takes the person to the sign-in page.
                <a role="menuitem" tabindex="-1" href="/signin" on:click=move |_| console.sign_out()>
                    "Sign out"
                </a>
            </li>
        })
    };

    view! {
        <div class="identity" node_ref=wrapper on:focusout=on_focusout>
            <Show when=move || switch.pending().get() || renew.pending().get()>
                <span class="identity-progress" role="status">
                    {move || if renew.pending().get() { "Renewing…" } else { "Switching role…" }}
                </span>
            </Show>
            <span class="visually-hidden" role="status">{move || copied.get()}</span>
            <span class="identity-warning" role="status">
                {move || {
                    warning
                        .get()
                        .then_some("Your role session expires in less than 5 minutes: Renew it from the Identity menu.")
                }}
            </span>
            <button
                type="button"
                class=button_class
                id="identity-button"
                node_ref=button
                aria-haspopup="menu"
                aria-controls="identity-menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=on_button_click
                on:keydown=on_button_keydown
            >
                <span class="identity-label">{label}</span>
                <span class="identity-caret" aria-hidden="true">
                    "▾"
                </span>
            </button>
            <Show when=move || open.get()>
                <ul
                    class="identity-menu"
                    id="identity-menu"
                    role="menu"
                    aria-labelledby="identity-button"
                    node_ref=menu
                    on:keydown=on_menu_keydown
                    on:click=move |_| open.set(false)
                >
                    {summary}
                    <Show
                        when=move || console.signed_in()
                        fallback=|| {
                            view! {
                                <li role="none">
                                    <a role="menuitem" tabindex="-1" href="/signin">
                                        "Sign in"
                                    </a>
                                </li>
                            }
                        }
                    >
                        {signed_in_items}
                    </Show>
                </ul>
            </Show>
        </div>
    }
}
