//! The application: load the runtime configuration, then the console shell with its routes.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::backend::Backend;
use crate::catalog::provide_catalogue;
use crate::components::command_palette::{provide_palette, CommandPalette};
use crate::components::nav_bar::NavBar;
use crate::components::notice::NoticeBar;
use crate::config::load_config;
use crate::hooks::use_interval;
use crate::pages::{
    access_map::AccessMapPage,
    catalog::CatalogPage,
    create_role::CreateRole,
    dynamodb::DynamoDb,
    grant::Grant,
    home::Home,
    iam::{RolePage, Roles},
    not_found::NotFound,
    sign_in::SignIn,
    switch_role::SwitchRole,
};
use crate::state::provide_console;
use crate::tabs::provide_open_tabs;

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

    view! {
        <CommandPalette />
        <NavBar />
        <NoticeBar />
        <main id="main" class="page">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/signin") view=SignIn />
                <Route path=path!("/switchrole") view=SwitchRole />
                <Route path=path!("/dynamodb") view=DynamoDb />
                <Route path=path!("/iam") view=Roles />
                <Route path=path!("/iam/role") view=RolePage />
                <Route path=path!("/iam/create") view=CreateRole />
                <Route path=path!("/iam/grant") view=Grant />
                <Route path=path!("/iam/access") view=AccessMapPage />
                <Route path=path!("/catalog") view=CatalogPage />
            </Routes>
        </main>
    }
}
