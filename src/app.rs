//! The application: load the runtime configuration, then the console shell with its routes.

pub mod areas;
mod prefetch;

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};

use crate::backend::Backend;
use crate::catalog::provide_catalogue;
use crate::components::announcer::Announcer;
use crate::components::command_palette::{provide_palette, CommandPalette};
use crate::components::nav_bar::NavBar;
use crate::components::notice::NoticeBar;
use crate::components::page_heading::{focus_first, focus_page_heading};
use crate::config::load_config;
use crate::hooks::use_interval;
use crate::pages::{
    federated::FederatedSignIn, home::Home, not_found::NotFound, sign_in::SignIn,
    switch_role::SwitchRole,
};
use crate::state::provide_console;
use crate::tabs::provide_open_tabs;
use areas::{area_view, palette_view};

/// The console as served: reads `config.json`, then runs [`Shell`] on the backend it names.
#[component]
pub fn App() -> impl IntoView {
    let loaded = LocalResource::new(load_config);
    view! {
        <Router>
            <Suspense fallback=|| {
                view! { <p class="loading" role="status">"Starting the console…"</p> }
            }>
                {move || {
                    loaded
                        .get()
                        .map(|loaded| match loaded {
                            Ok(loaded) => {
                                view! { <Shell backend=loaded.backend team_catalog=loaded.team_catalog /> }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <main class="page">
                                        <h1>"crossrole could not start"</h1>
                                        <p role="alert">{e.to_string()}</p>
                                    </main>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </Router>
    }
}

/// The console on a given backend: navigation bar, notices and the routed pages. Must be
/// inside a `Router`.
#[component]
pub fn Shell(
    /// The backend every page talks to.
    backend: Rc<dyn Backend>,
    /// A same-site path to the team's role catalog, merged read-only beneath the person's.
    #[prop(default = None)]
    team_catalog: Option<String>,
) -> impl IntoView {
    let console = provide_console(backend);
    provide_catalogue(team_catalog);
    provide_palette();
    provide_open_tabs();
    // The clock ticks each second: the role countdown follows it, and ended credentials end.
    use_interval(std::time::Duration::from_secs(1), move || console.tick());
    console.expire_sessions();
    prefetch::fetch_areas_ahead();

    // After a navigation the focus goes to the new page's heading (not on the first page).
    let location = use_location();
    Effect::new(move |before: Option<String>| {
        let path = location.pathname.get();
        if before.is_some_and(|before| before != path) {
            focus_page_heading();
        }
        path
    });
    // The skip link moves the focus itself: left to the router, a fragment link would be a
    // navigation, and left to the browser it would only scroll.
    let skip = |e: leptos::ev::MouseEvent| {
        e.prevent_default();
        focus_first("main");
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>
            "Skip to main content"
        </a>
        <CommandPalette dialog=palette_view />
        <NavBar />
        <NoticeBar />
        <Announcer />
        <main id="main" class="page" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/signin") view=SignIn />
                <Route path=path!("/federated-signin") view=FederatedSignIn />
                <Route path=path!("/switchrole") view=SwitchRole />
                // The areas: their code may arrive after the first download (`areas::area_at`
                // maps the same paths).
                <Route path=path!("/dynamodb") view=|| area_view(&areas::DYNAMODB) />
                <Route path=path!("/iam") view=|| area_view(&areas::ROLES) />
                <Route path=path!("/iam/role") view=|| area_view(&areas::ROLE_PAGE) />
                <Route path=path!("/iam/create") view=|| area_view(&areas::CREATE_ROLE) />
                <Route path=path!("/iam/grant") view=|| area_view(&areas::GRANT) />
                <Route path=path!("/iam/access") view=|| area_view(&areas::ACCESS_MAP) />
                <Route path=path!("/activity") view=|| area_view(&areas::ACTIVITY) />
                <Route path=path!("/catalog") view=|| area_view(&areas::CATALOG) />
            </Routes>
        </main>
    }
}
