//! The application shell: navigation bar plus the routed pages.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::components::nav_bar::NavBar;
use crate::pages::{home::Home, not_found::NotFound, sign_in::SignIn, switch_role::SwitchRole};

/// The whole console: the navigation bar above the page the URL names.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <NavBar />
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/signin") view=SignIn />
                    <Route path=path!("/switchrole") view=SwitchRole />
                </Routes>
            </main>
        </Router>
    }
}
