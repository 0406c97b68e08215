//! The navigation bar at the top of every page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::backend::CallScope;
use crate::components::command_palette::expect_palette;
use crate::components::identity_menu::IdentityMenu;
use crate::state::expect_console;
use crossrole_core::ops::trail::LookupEvents;
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::PRODUCT_NAME;

/// The `banner` landmark: the product name, the console's services, and the Identity menu.
#[component]
pub fn NavBar() -> impl IntoView {
    let console = expect_console();
    let palette = expect_palette();
    // The IAM pages are offered to an acting identity that may list the account's roles; asked
    // again whenever it changes (anyone else visiting them is told what is missing).
    let iam_calls = CallScope::new();
    let may_use_iam = LocalResource::new(move || {
        let signed_in = console.acting().is_some();
        let cancel = iam_calls.begin();
        let listed = console.call(move |backend, credentials| async move {
            backend
                .iam(&credentials, IamRequest::ListRoles, &cancel)
                .await
        });
        async move { signed_in && listed.await.is_ok() }
    });
    // Activity is offered to an identity that may look the account's events up.
    let trail_calls = CallScope::new();
    let may_look_up = LocalResource::new(move || {
        let signed_in = console.acting().is_some();
        let cancel = trail_calls.begin();
        let probe = LookupEvents {
            max_results: Some(1),
            ..LookupEvents::default()
        };
        let looked = console.call(move |backend, credentials| async move {
            backend.lookup_events(&credentials, probe, &cancel).await
        });
        async move { signed_in && looked.await.is_ok() }
    });
    let services_open = RwSignal::new(false);
    let toggle = NodeRef::<leptos::html::Button>::new();
    view! {
        <header class="navbar">
            <A href="/" attr:class="navbar-brand">
                {PRODUCT_NAME}
            </A>
            <Show when=move || console.signed_in()>
                // On a small screen the links fold behind this button (the stylesheet shows it
                // only there); elsewhere they are always shown and it is not rendered visibly.
                <button
                    type="button"
                    class="navbar-toggle"
                    node_ref=toggle
                    aria-expanded=move || services_open.get().to_string()
                    aria-controls="navbar-services"
                    on:click=move |_| services_open.update(|o| *o = !*o)
                >
                    "Menu"
                </button>
                <nav
                    class=move || if services_open.get() { "navbar-services open" } else { "navbar-services" }
                    id="navbar-services"
                    aria-label="Services"
                    // A link followed closes the menu; Escape closes it and gives the focus back
                    // to its button.
                    on:click=move |_| services_open.set(false)
                    on:keydown=move |e: leptos::ev::KeyboardEvent| {
                        if e.key() == "Escape" && services_open.get_untracked() {
                            services_open.set(false);
                            if let Some(t) = toggle.get_untracked() {
                                let _ = t.focus();
                            }
                        }
                    }
                >
                    <A href="/dynamodb">"DynamoDB"</A>
                    <A href="/catalog">"Catalog"</A>
                    // Its own boundary: read under the console's outer Suspense, the probe's
                    // reload after a switch would hold the whole banner (the role's name
                    // included) until IAM answered.
                    <Transition fallback=|| ()>
                        // `try_get`: the probe may answer after the bar is gone (an app torn
                        // down mid-call); then there is nothing to show.
                        <Show when=move || may_use_iam.try_get().flatten().unwrap_or(false)>
                            <A href="/iam">"IAM"</A>
                        </Show>
                    </Transition>
                    <Transition fallback=|| ()>
                        <Show when=move || may_look_up.try_get().flatten().unwrap_or(false)>
                            <A href="/activity">"Activity"</A>
                        </Show>
                    </Transition>
                    // The command palette, with its shortcut where people can see it.
                    <button
                        type="button"
                        class="navbar-search"
                        aria-keyshortcuts="Control+K Meta+K"
                        on:click=move |_| palette.open()
                    >
                        "Search roles " <kbd>"Ctrl+K"</kbd>
                    </button>
                </nav>
            </Show>
            <nav class="navbar-identity" aria-label="Identity">
                <IdentityMenu />
            </nav>
        </header>
    }
}
