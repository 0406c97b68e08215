//! Pages that need a signed-in user send everyone else to sign in, and back afterwards.

use crossrole_core::link::sign_in_path;
use leptos::prelude::*;
use leptos_router::{
    hooks::{use_location, use_navigate},
    NavigateOptions,
};

use crate::state::expect_console;

/// Renders `children` for a signed-in user; otherwise goes to `/signin?next=<here>`, so a
/// predefined link survives the sign-in (also when the session ends while on the page).
#[component]
pub fn RequireSignIn(
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let console = expect_console();
    let location = use_location();
    let navigate = use_navigate();
    let signed_in = move || console.signed_in();
    // Navigation writes outside the app (the browser's history): an effect, not a view.
    Effect::new(move |_| {
        if signed_in() {
            return;
        }
        // Where we are, read without tracking: redirect once, not again when the redirect
        // itself changes the location.
        let path = sign_in_path(
            &location.pathname.get_untracked(),
            &location.search.get_untracked(),
        );
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    move || signed_in().then(|| children())
}
