//! The navigation bar at the top of every page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::identity_menu::IdentityMenu;
use crossrole_core::PRODUCT_NAME;

/// The `banner` landmark: the product name, linking home, and the Identity menu.
#[component]
pub fn NavBar() -> impl IntoView {
    view! {
        <header class="navbar">
            <A href="/" attr:class="navbar-brand">
                {PRODUCT_NAME}
            </A>
            <nav class="navbar-identity" aria-label="Identity">
                <IdentityMenu />
            </nav>
        </header>
    }
}
