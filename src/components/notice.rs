//! The notice bar: what happened on its own (an expired session, repaired storage).

use leptos::prelude::*;

use crate::state::expect_console;

/// Shows the console's notice in an alert region until dismissed.
#[component]
pub fn NoticeBar() -> impl IntoView {
    let console = expect_console();
    move || {
        console.notice().get().map(|text| {
            view! {
                <div class="notice" role="alert">
                    <span>{text}</span>
                    <button type="button" on:click=move |_| console.dismiss_notice()>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
