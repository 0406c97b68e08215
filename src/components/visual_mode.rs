//! The visual mode choice: System, Light or Dark, kept in this browser.

use crossrole_core::colour::VisualMode;
use leptos::prelude::*;

use crate::storage;

/// Shows `mode` on the document: `data-theme` on `<html>` (the stylesheet's `color-scheme`
/// follows it; without it, the system's setting).
fn apply_visual_mode(mode: VisualMode) {
    if let Some(html) = document().document_element() {
        let _ = match mode {
            VisualMode::System => html.remove_attribute("data-theme"),
            mode => html.set_attribute("data-theme", mode.as_str()),
        };
    }
}

/// A labelled choice of the visual mode; a change shows at once and is kept for next time.
#[component]
pub fn VisualModeChoice() -> impl IntoView {
    let mode = RwSignal::new(storage::visual_mode());
    let choose = move |e: leptos::ev::Event| {
        let chosen = VisualMode::parse(&event_target_value(&e));
        mode.set(chosen);
        apply_visual_mode(chosen);
        // Refused storage: the choice still shows in this page, and is simply not kept.
        let _ = storage::save_visual_mode(chosen);
    };
    view! {
        <label class="visual-mode">
            "Visual mode "
            <select on:change=choose>
                {VisualMode::ALL
                    .into_iter()
                    .map(|m| {
                        view! {
                            <option value=m.as_str() selected=move || mode.get() == m>
                                {m.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
