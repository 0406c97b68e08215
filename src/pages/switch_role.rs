//! `/switchrole`: the Switch Role page, reachable through predefined links.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The Switch Role page. The URL is the state: a predefined link such as
/// `/switchrole?account=222222222222&roleName=AccessToProdDynamoDB` names the role it offers.
/// Every parameter is shown as text, never interpreted as HTML.
#[component]
pub fn SwitchRole() -> impl IntoView {
    let query = use_query_map();
    let requested = Memo::new(move |_| {
        query.with(|q| {
            let account = q.get("account").filter(|a| !a.is_empty())?;
            let role = q.get("roleName").filter(|r| !r.is_empty())?;
            Some((account, role))
        })
    });

    view! {
        <section aria-labelledby="switchrole-title">
            <h1 id="switchrole-title">"Switch Role"</h1>
            <p>
                "Switch to a role to act in another account with that role's permissions, "
                "until you go back to your own identity."
            </p>
            {move || {
                requested
                    .get()
                    .map(|(account, role)| {
                        view! {
                            <p class="switch-request">
                                "This link offers the role " <strong>{role}</strong>
                                " in account " <strong>{account}</strong> "."
                            </p>
                        }
                    })
            }}
        </section>
    }
}
