//! `/`: the console home.

use leptos::prelude::*;
use leptos_router::components::A;

/// The console home: where a signed-in person starts.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section aria-labelledby="home-title">
            <h1 id="home-title">"Console Home"</h1>
            <p>
                "crossrole lets you work in another AWS account by switching to a role there, "
                "without signing out. Use the Identity menu in the navigation bar to sign in or to switch roles."
            </p>
            <p>
                <A href="/switchrole">"Switch Role"</A>
            </p>
        </section>
    }
}
