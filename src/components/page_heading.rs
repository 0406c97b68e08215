//! A page's heading: its `h1`, the document's title, and where the focus goes after a
//! navigation (Cloudscape's pattern: a screen-reader or keyboard user lands on the new page's
//! name instead of at the top of the document).

use std::sync::atomic::{AtomicBool, Ordering};

use crossrole_core::announce::page_title;
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

use crate::state::expect_console;

/// Whether the next page heading shown should take the focus (a navigation asked for it, and
/// no heading was there yet to take it: an area whose code is on its way).
static FOCUS_NEXT: AtomicBool = AtomicBool::new(false);

/// Moves the focus to the page's heading once the page has rendered (after a navigation, or
/// when a page replaces its content, as the first-run page does). Until the person has used the
/// page (the first page of a visit, and any redirect while it loads) the focus is left alone:
/// the skip link is the first tab stop.
pub fn focus_page_heading() {
    // Before the person has done anything (a redirect while the first page loads), the focus
    // stays where the browser put it.
    let acted = window().navigator().user_activation().has_been_active();
    if !acted {
        return;
    }
    FOCUS_NEXT.store(true, Ordering::Relaxed);
    request_animation_frame(|| {
        if FOCUS_NEXT.load(Ordering::Relaxed) && focus_first("main h1") {
            FOCUS_NEXT.store(false, Ordering::Relaxed);
        }
    });
}

/// Focuses the first element `selector` finds; whether there was one.
pub fn focus_first(selector: &str) -> bool {
    let found = document().query_selector(selector).ok().flatten();
    match found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(element) => {
            let _ = element.focus();
            true
        }
        None => false,
    }
}

/// The page's `h1`. Sets the document's title ("DynamoDB tables · PRODUCTION · crossrole",
/// following the acting identity), and takes the focus when [`focus_page_heading`] asked for
/// it before it was shown.
#[component]
pub fn PageHeading(
    /// The heading's text (the page's name).
    #[prop(into)]
    text: Signal<String>,
    /// The heading's id (a section's `aria-labelledby` may name it).
    #[prop(optional)]
    id: &'static str,
) -> impl IntoView {
    let console = expect_console();
    let heading = NodeRef::<html::H1>::new();
    Effect::new(move |_| {
        document().set_title(&page_title(&text.get(), &console.who()));
    });
    Effect::new(move |_| {
        if let Some(h1) = heading.get() {
            if FOCUS_NEXT.swap(false, Ordering::Relaxed) {
                let _ = h1.focus();
            }
        }
    });
    view! {
        <h1 id=id tabindex="-1" node_ref=heading>
            {move || text.get()}
        </h1>
    }
}
