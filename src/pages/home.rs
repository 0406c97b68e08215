//! `/`: the console home.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page_heading::PageHeading;
use crate::components::visual_mode::VisualModeChoice;
use crate::state::expect_console;

/// The console home: who is acting, and where to go.
#[component]
pub fn Home() -> impl IntoView {
    let console = expect_console();
    let acting = move || {
        // A route rendered late (a pending navigation) may find its console gone: nothing then.
        if console.try_signed_in().is_none() {
            return ().into_any();
        }
        match (console.base().get(), console.role().get()) {
        (None, Some(role)) => view! {
            <p>
                "You are acting as " <strong>{role.display_name.to_string()}</strong> " (role "
                <strong>{role.session.role.name.to_string()}</strong> " in account "
                <strong>{role.session.account_id.grouped()}</strong> "), signed in from a link."
            </p>
        }
        .into_any(),
        (None, None) => view! {
            <p>
                "crossrole lets you work in another AWS account by switching to a role there, "
                "without signing out. " <A href="/signin">"Sign in"</A> " to begin."
            </p>
        }
        .into_any(),
        (Some(base), None) => view! {
            <p>
                "You are signed in as " <strong>{base.user}</strong> " in account "
                <strong>{base.account_id.grouped()}</strong> "."
            </p>
        }
        .into_any(),
        (Some(base), Some(role)) => view! {
            <p>
                "You are acting as " <strong>{role.display_name.to_string()}</strong> " (role "
                <strong>{role.session.role.name.to_string()}</strong> " in account "
                <strong>{role.session.account_id.grouped()}</strong> "), signed in as " {base.user} "."
            </p>
        }
        .into_any(),
    }
    };
    view! {
        <section aria-labelledby="home-title">
            <PageHeading id="home-title" text="Console Home" />
            {acting}
            <Show when=move || console.try_signed_in() == Some(true)>
                <ul class="home-links">
                    <li>
                        <A href="/dynamodb">"DynamoDB tables"</A>
                    </li>
                    <li>
                        <A href="/switchrole">"Switch Role"</A>
                    </li>
                </ul>
            </Show>
            <section class="settings" aria-labelledby="settings-title">
                <h2 id="settings-title">"Settings"</h2>
                <VisualModeChoice />
            </section>
        </section>
    }
}
