//! The floor: what any Leptos 0.8 + leptos_router app with one routed page and one button
//! costs to transfer and to start. `bench` measures crossrole against it.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// One page with the button the bench waits for (as it waits for crossrole's Identity menu).
#[component]
fn Home() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <header>
            <button aria-haspopup="menu" on:click=move |_| open.update(|o| *o = !*o)>
                "Not signed in"
            </button>
        </header>
        <main>{move || open.get().then_some("Open")}</main>
    }
}

fn main() {
    leptos::mount::mount_to_body(|| {
        view! {
            <Router>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Home />
                </Routes>
            </Router>
        }
    });
}
