//! The page for any path the console does not know.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::components::page_heading::PageHeading;

/// Shown for unknown paths: says which path was not found (as text) and links home.
#[component]
pub fn NotFound() -> impl IntoView {
    let location = use_location();
    view! {
        <section aria-labelledby="notfound-title">
            <PageHeading id="notfound-title" text="Page not found" />
            <p>
                "There is no page at " <code>{move || location.pathname.get()}</code> "."
            </p>
            <p>
                <A href="/">"Go to Console Home"</A>
            </p>
        </section>
    }
}
