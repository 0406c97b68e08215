//! `/signin`: console sign-in.

use leptos::prelude::*;

/// The sign-in page. The form arrives with the in-browser mock backend.
#[component]
pub fn SignIn() -> impl IntoView {
    view! {
        <section aria-labelledby="signin-title">
            <h1 id="signin-title">"Sign in"</h1>
            <p>"Sign in as an IAM user with your account ID or alias, user name and password."</p>
        </section>
    }
}
