//! The polite live region: tells a screen-reader user whom the console now acts as after a
//! switch, Back, sign-in or sign-out (an ended session has its own alert, the notice bar).

use crossrole_core::announce::{announcement, Who};
use leptos::prelude::*;

use crate::state::expect_console;

/// A visually hidden status region; its text is the last change of identity.
#[component]
pub fn Announcer() -> impl IntoView {
    let console = expect_console();
    let said = RwSignal::new(String::new());
    // A change of identity is an event, not a state: what was and what is are compared here.
    Effect::new(move |before: Option<Who>| {
        let now = console.who();
        if let Some(text) = before.and_then(|before| announcement(&before, &now)) {
            said.set(text);
        }
        now
    });
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" id="announcer">
            {move || said.get()}
        </div>
    }
}
