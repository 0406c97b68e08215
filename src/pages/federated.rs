//! `/federated-signin`: where a sign-in link from a terminal lands (the federation endpoint's
//! `login` redirects here with the one-time token in the fragment). The page takes the token
//! out of the address bar and the history entry before anything else, exchanges it through the
//! backend, and replaces itself with the destination; a link that cannot be used says why and
//! offers the sign-in page.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crossrole_core::client::federation::{read_landing, refusal_message, Landing};
use crossrole_core::link::FEDERATED_SIGN_IN_PATH;

use crate::backend::CallScope;
use crate::catalog::expect_catalogue;
use crate::components::page_heading::PageHeading;
use crate::state::expect_console;

/// The landing page of a sign-in link.
#[component]
pub fn FederatedSignIn() -> impl IntoView {
    let console = expect_console();
    let catalogue = expect_catalogue();
    let landing = take_fragment();
    let problem = RwSignal::new(None::<String>);
    let calls = CallScope::new();
    let navigate = use_navigate();
    match landing {
        Landing::Token { token, destination } => {
            let cancel = calls.begin();
            let catalog = catalogue.snapshot();
            leptos::task::spawn_local(async move {
                match console
                    .federated_sign_in(token, destination, catalog, cancel)
                    .await
                {
                    // Replacing this page: the back button goes where the person was before
                    // the link, never to the landing page again.
                    Ok(to) => navigate(
                        &to,
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    ),
                    Err(e) => {
                        problem.try_set(Some(e.explanation()));
                    }
                }
            });
        }
        Landing::Refused(code) => problem.set(Some(refusal_message(&code))),
        Landing::Nothing => problem.set(Some(
            "This page signs you in from a link made in a terminal (crossrole-login), and it was opened without one.".into(),
        )),
    }
    view! {
        <section aria-labelledby="federated-title">
            <PageHeading id="federated-title" text="Signing in from a link" />
            {move || match problem.get() {
                None => view! { <p role="status">"Signing you in…"</p> }.into_any(),
                Some(text) => view! {
                    <div class="form-error" role="alert">
                        <strong>"Could not sign in"</strong>
                        {format!(": {text}")}
                    </div>
                    <p>
                        <a href="/signin">"Go to the sign-in page"</a>
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}

/// What the address bar's fragment holds, after taking it out of the address bar and the
/// history entry (the token signs in: it must not stay where a back button or a screen share
/// finds it).
fn take_fragment() -> Landing {
    let window = window();
    let fragment = window.location().hash().unwrap_or_default();
    let landing = read_landing(fragment.strip_prefix('#').unwrap_or(&fragment));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(FEDERATED_SIGN_IN_PATH),
        );
    }
    landing
}
