//! A link to share: a read-only textbox with a "Copy link" button, and a status saying whether
//! the copy worked (the clipboard may be refused; then the text is there to select); the
//! button alone copies any text so.

use leptos::prelude::*;

/// `path` as a full link on this site (`https://host/switchrole?…`): what people paste.
pub fn on_this_site(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}

/// Why a copy did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotCopied {
    /// There is no clipboard here.
    Unavailable,
    /// The browser refused.
    Refused,
}

/// Copies `text` to the clipboard.
pub async fn copy_to_clipboard(text: &str) -> Result<(), NotCopied> {
    let clipboard = web_sys::window()
        .map(|w| w.navigator().clipboard())
        .ok_or(NotCopied::Unavailable)?;
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(drop)
        .map_err(|_| NotCopied::Refused)
}

/// A read-only textbox labelled `label` holding `link`, and a "Copy link" button.
#[component]
pub fn CopyLink(
    /// The textbox's visible label (its accessible name).
    label: &'static str,
    /// The textbox's id.
    id: &'static str,
    /// The link, kept current.
    #[prop(into)]
    link: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="copy-link">
            <label for=id>{label}</label>
            <input id=id type="text" readonly prop:value=move || link.get() />
            <CopyButton text=link label="Copy link" what="the link" />
        </div>
    }
}

/// A button that copies `text`, and a status saying whether it worked (and, when it did not,
/// that `what` is there to select).
#[component]
pub fn CopyButton(
    /// The text to copy, kept current.
    #[prop(into)]
    text: Signal<String>,
    /// The button's text (its accessible name).
    label: &'static str,
    /// What is copied, as the status names it when copying fails ("the link").
    what: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(None::<String>);
    // A new text has not been copied yet.
    Effect::watch(move || text.track(), move |_, _, _| copied.set(None), false);
    let copy = move |_| {
        let text = text.get_untracked();
        leptos::task::spawn_local(async move {
            copied.set(Some(match copy_to_clipboard(&text).await {
                Ok(()) => "Copied.".to_owned(),
                Err(NotCopied::Unavailable) => {
                    format!("Copying is not available here: select {what} and copy it.")
                }
                Err(NotCopied::Refused) => {
                    format!("Copying was refused: select {what} and copy it.")
                }
            }));
        });
    };
    view! {
        <button type="button" on:click=copy>
            {label}
        </button>
        <span role="status">{move || copied.get()}</span>
    }
}
