//! Fetching areas' code ahead of a likely visit: when a link to one (or, for the command
//! palette, the Identity menu's button) is pointed at or focused, and once the browser is idle
//! after the first signed-in render.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::areas::{self, area_at, prefetch};
use crate::state::expect_console;

/// Starts fetching ahead for as long as the calling component lives.
pub(super) fn fetch_areas_ahead() {
    // One listener each for the whole document, not one per link: every link the console
    // renders (navigation bar, pages, the command palette) is covered, now and later.
    let pointed = window_event_listener(ev::pointerover, |e| link_intent(e.target()));
    let focused = window_event_listener(ev::focusin, |e| link_intent(e.target()));
    on_cleanup(move || {
        pointed.remove();
        focused.remove();
    });
    // Once someone is signed in (every area but the catalog asks for it, and the sign-in page
    // has the mock's engine to start), after the first render, when nothing else is waiting:
    // one area after another, so the fetches never compete with each other or with the
    // page's own calls.
    let console = expect_console();
    // The effect's own previous value says whether the fetch was scheduled already.
    Effect::new(move |scheduled: Option<bool>| {
        if scheduled == Some(true) {
            return true;
        }
        if !console.signed_in() {
            return false;
        }
        let idle = Closure::once_into_js(|| {
            // The page being opened first: its own chunk may still be on its way, and nothing
            // ahead of it should compete with it.
            let here = window().location().pathname().ok();
            let current = here.as_deref().and_then(area_at);
            leptos::task::spawn_local(async move {
                for area in current.into_iter().chain(areas::ALL) {
                    if area.load().await.is_err() {
                        // Offline or a new deploy: a visit says so; no point in fetching more.
                        break;
                    }
                }
            })
        });
        // At the latest after two seconds: a page that is never idle (a busy machine) still
        // gets its areas ahead of the click.
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(2000);
        let _ = window().request_idle_callback_with_options(idle.unchecked_ref(), &options);
        true
    });
}

/// The area a link under the event's target leads to, if any, fetched ahead.
fn link_intent(target: Option<web_sys::EventTarget>) {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return;
    };
    // The Identity menu's button: its menu opens the palette.
    if let Ok(Some(_)) = element.closest("[aria-haspopup=menu]") {
        prefetch(&areas::PALETTE);
        return;
    }
    let Ok(Some(link)) = element.closest("a[href]") else {
        return;
    };
    if let Some(area) = link
        .get_attribute("href")
        .as_deref()
        .and_then(console_path)
        .and_then(area_at)
    {
        prefetch(area);
    }
}

/// The path of a same-console link (`/catalog?x=1#y` → `/catalog`); `None` for any other.
fn console_path(href: &str) -> Option<&str> {
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    Some(href.split(['?', '#']).next().unwrap_or(href))
}

#[cfg(test)]
mod tests {
    use super::console_path;

    #[test]
    fn only_this_consoles_links_have_a_path() {
        assert_eq!(console_path("/catalog"), Some("/catalog"));
        assert_eq!(console_path("/iam/role?name=Admin#top"), Some("/iam/role"));
        assert_eq!(console_path("/dynamodb#x"), Some("/dynamodb"));
        assert_eq!(console_path("//evil.example/catalog"), None);
        assert_eq!(console_path("https://example.com/catalog"), None);
        assert_eq!(console_path("catalog"), None);
    }
}
