//! A link to share: a read-only textbox with a "Copy link" button, and a status saying whether
//! the copy worked (the clipboard may be refused; then the text is there to select).

use leptos::prelude::*;

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
    let copied = RwSignal::new(None::<&'static str>);
    // A new link has not been copied yet.
    Effect::watch(move || link.track(), move |_, _, _| copied.set(None), false);
    let copy = move |_| {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            copied.set(Some(
                "Copying is not available here: select the link and copy it.",
            ));
            return;
        };
        let promise = clipboard.write_text(&link.get_untracked());
        leptos::task::spawn_local(async move {
            copied.set(Some(
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => "Copied.",
                    Err(_) => "Copying was refused: select the link and copy it.",
                },
            ));
        });
    };
    view! {
        <div class="copy-link">
            <label for=id>{label}</label>
            <input id=id type="text" readonly prop:value=move || link.get() />
            <button type="button" on:click=copy>
                "Copy link"
            </button>
            <span role="status">{move || copied.get()}</span>
        </div>
    }
}
