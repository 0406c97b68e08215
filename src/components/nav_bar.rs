//! The navigation bar at the top of every page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::identity_menu::IdentityMenu;
use crate::state::expect_console;
use crossrole_core::PRODUCT_NAME;

/// The `banner` landmark: the product name, the console's services, and the Identity menu.
#[component]
pub fn NavBar() -> impl IntoView {
    let console = expect_console();
    view! {
        <header class="navbar">
            <A href="/" attr:class="navbar-brand">
                {PRODUCT_NAME}
            </A>
            <Show when=move || console.base().with(Option::is_some)>
                <nav class="navbar-services" aria-label="Services">
                    <A href="/dynamodb">"DynamoDB"</A>
                </nav>
            </Show>
            <nav class="navbar-identity" aria-label="Identity">
                <IdentityMenu />
            </nav>
        </header>
    }
}
