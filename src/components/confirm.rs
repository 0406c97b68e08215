//! A confirmation before something is removed for good, as Cloudscape's delete pattern asks:
//! a modal dialog whose title names what goes, a sentence on what follows, the action's own
//! verb on its button, and Cancel. The browser's `<dialog>` keeps the focus inside and closes
//! on Escape; the focus goes back where it was.

use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

/// What to ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// The dialog's title, naming what goes ("Remove inline policy DayToDay?").
    pub title: String,
    /// What follows, and whether it can be undone.
    pub body: String,
    /// The confirming button's text ("Remove").
    pub action: &'static str,
}

/// A modal dialog shown while `ask` holds a question; `confirmed` runs when the person
/// confirms. Either way `ask` is cleared.
#[component]
pub fn ConfirmDialog(
    /// The question, while it is asked.
    ask: RwSignal<Option<Confirmation>>,
    /// What confirming does.
    confirmed: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let question = ask.get()?;
        let confirmed = confirmed.clone();
        let dialog = NodeRef::<html::Dialog>::new();
        // Where the focus was, to go back to when the dialog closes.
        let before = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        dialog.on_load(|d| {
            let _ = d.show_modal();
        });
        let restore = StoredValue::new_local(before);
        on_cleanup(move || {
            // Closed first: while a modal dialog is open the rest of the page is inert, and
            // cannot take the focus.
            if let Some(d) = dialog.get_untracked() {
                d.close();
            }
            if let Some(e) = restore.try_get_value().flatten() {
                if e.is_connected() {
                    let _ = e.focus();
                }
            }
        });
        Some(view! {
            <dialog
                node_ref=dialog
                class="confirm"
                aria-labelledby="confirm-title"
                aria-describedby="confirm-body"
                // Escape: the browser cancels the dialog; the question goes with it.
                on:cancel=move |_: web_sys::Event| ask.set(None)
            >
                <h2 id="confirm-title">{question.title}</h2>
                <p id="confirm-body">{question.body}</p>
                <div class="form-actions">
                    <button type="button" autofocus on:click=move |_| ask.set(None)>
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| {
                            ask.set(None);
                            confirmed();
                        }
                    >
                        {question.action}
                    </button>
                </div>
            </dialog>
        })
    }
}
