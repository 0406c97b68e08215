//! Pages that need a signed-in user send everyone else to sign in, and back afterwards.

use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

use crate::state::expect_console;

/// Renders `children` for a signed-in user; otherwise redirects to `/signin?next=<here>`, so a
/// predefined link survives the sign-in.
#[component]
pub fn RequireSignIn(
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let console = expect_console();
    let location = use_location();
    move || {
        if console.base.with(Option::is_some) {
            children().into_any()
        } else {
            // Read where we are without tracking it: this page redirects once, not again when
            // the redirect itself changes the location.
            let search = location.search.get_untracked();
            let query = if search.is_empty() {
                String::new()
            } else {
                format!("?{}", search.trim_start_matches('?'))
            };
            let here = format!("{}{query}", location.pathname.get_untracked());
            let next = String::from(js_sys::encode_uri_component(&here));
            view! { <Redirect path=format!("/signin?next={next}") /> }.into_any()
        }
    }
}
