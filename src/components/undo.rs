//! Undo after a removal of the person's own data (a catalog entry, a history entry): the
//! removal happens at once, and a status line says what went with an "Undo" button that
//! stays until the next removal or until the page is left (Cloudscape's flash notice with an
//! action). The keyboard focus goes to Undo, since the removed item's button is gone.

use std::sync::Arc;

use leptos::{html, prelude::*};

/// Something just removed, and how to put it back.
#[derive(Clone)]
pub struct Removed {
    /// What went ("Removed PRODUCTION from the catalog.").
    pub text: String,
    /// Puts it back; answers what to say then. (A plain closure, not a `Callback`: the item
    /// that made it is gone, and its reactive owner with it.)
    pub undo: Arc<dyn Fn() -> String + Send + Sync>,
}

impl std::fmt::Debug for Removed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Removed").field("text", &self.text).finish()
    }
}

/// A removal to announce: `text` and how to `undo` it.
pub fn removed(text: String, undo: impl Fn() -> String + Send + Sync + 'static) -> Removed {
    Removed {
        text,
        undo: Arc::new(undo),
    }
}

/// The status line for the last removal in `last`, with its Undo.
#[component]
pub fn UndoBar(
    /// The last removal, while it can be undone.
    last: RwSignal<Option<Removed>>,
) -> impl IntoView {
    // What was said after an Undo (the Undo itself is gone then).
    let said = RwSignal::new(None::<String>);
    Effect::watch(
        move || last.with(Option::is_some),
        move |some, _, _| {
            if *some {
                said.set(None);
            }
        },
        false,
    );
    let undo_button = NodeRef::<html::Button>::new();
    let said_line = NodeRef::<html::Span>::new();
    // Each new Undo (and what an Undo said) takes the focus as it appears: in the next
    // frame, once the list has let go of the removed item (whose button had the focus, and
    // takes it to the page's body as it goes). Not `NodeRef::on_load`: it runs once, and
    // these elements come and go.
    Effect::new(move |_| {
        if let Some(button) = undo_button.get() {
            request_animation_frame(move || {
                let _ = button.focus();
            });
        }
    });
    Effect::new(move |_| {
        if let Some(line) = said_line.get() {
            request_animation_frame(move || {
                let _ = line.focus();
            });
        }
    });
    view! {
        <div class="undo-bar" role="status">
            {move || {
                last.get()
                    .map(|r| {
                        let undo = r.undo.clone();
                        view! {
                            <span>{r.text}</span>
                            " "
                            <button
                                type="button"
                                node_ref=undo_button
                                on:click=move |_| {
                                    last.set(None);
                                    said.set(Some(undo()));
                                }
                            >
                                "Undo"
                            </button>
                        }
                    })
            }}
            {move || said.get().map(|s| view! { <span tabindex="-1" node_ref=said_line>{s}</span> })}
        </div>
    }
}
