//! Browser tests: the console's components in headless Chromium (wasm-bindgen-test).
//!
//! Each test mounts the whole app into a fresh container at a chosen URL and acts on it the way
//! a person would: by role and accessible name, with clicks and keys.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// A mounted app that is unmounted and removed when dropped.
struct Mounted {
    container: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.container.remove();
    }
}

impl Mounted {
    fn find(&self, selector: &str) -> Option<Element> {
        self.container.query_selector(selector).ok().flatten()
    }

    fn find_all(&self, selector: &str) -> Vec<Element> {
        let list = self.container.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    fn menu_button(&self) -> HtmlElement {
        self.find("header button[aria-haspopup='menu']")
            .expect("the banner has an Identity menu button")
            .unchecked_into()
    }

    fn menu_item_names(&self) -> Vec<String> {
        self.find_all("[role=menu] [role=menuitem]")
            .iter()
            .map(|e| e.text_content().unwrap_or_default().trim().to_owned())
            .collect()
    }
}

/// Navigates (without reloading) to `url` and mounts the app there.
fn mount_at(url: &str) -> Mounted {
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
    let document = window.document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), || crossrole::App().into_any());
    Mounted {
        container,
        _handle: handle,
    }
}

/// Lets the reactive system run until `done` holds. Yields to the executor a bounded number of
/// times (no timers): effects and re-renders are scheduled tasks, not timed events.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..50 {
        if done() {
            return;
        }
        leptos::task::tick().await;
    }
    panic!("never happened: {what}");
}

fn press(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn focused() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

fn focused_text() -> String {
    focused()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[wasm_bindgen_test]
async fn banner_has_product_and_closed_identity_menu() {
    let app = mount_at("/");
    let banner = app.find("header").expect("a <header> banner");
    assert!(banner.text_content().unwrap().contains("crossrole"));
    let button = app.menu_button();
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(button.text_content().unwrap().contains("Not signed in"));
    assert!(app.find("[role=menu]").is_none(), "menu starts closed");
}

#[wasm_bindgen_test]
async fn click_opens_menu_and_focuses_first_item() {
    let app = mount_at("/");
    let button = app.menu_button();
    button.click();
    until("menu opens", || app.find("[role=menu]").is_some()).await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(app.menu_item_names(), ["Sign in", "Switch role"]);
    until("first item focused", || focused_text() == "Sign in").await;

    button.click();
    until("menu closes", || app.find("[role=menu]").is_none()).await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn keyboard_opens_moves_wraps_and_escapes() {
    let app = mount_at("/");
    let button = app.menu_button();
    button.focus().unwrap();
    press(&button, "ArrowDown");
    until("menu opens on ArrowDown", || {
        app.find("[role=menu]").is_some()
    })
    .await;
    until("first item focused", || focused_text() == "Sign in").await;

    let menu = app.find("[role=menu]").unwrap();
    press(&menu, "ArrowDown");
    assert_eq!(focused_text(), "Switch role");
    press(&menu, "ArrowDown");
    assert_eq!(focused_text(), "Sign in", "ArrowDown wraps to the top");
    press(&menu, "ArrowUp");
    assert_eq!(focused_text(), "Switch role", "ArrowUp wraps to the bottom");
    press(&menu, "Home");
    assert_eq!(focused_text(), "Sign in");

    press(&menu, "Escape");
    until("menu closes on Escape", || {
        app.find("[role=menu]").is_none()
    })
    .await;
    let button_focused = focused().is_some_and(|f| f == *button.unchecked_ref::<Element>());
    assert!(button_focused, "Escape returns focus to the menu button");
}

#[wasm_bindgen_test]
async fn arrow_up_opens_on_last_item() {
    let app = mount_at("/");
    let button = app.menu_button();
    button.focus().unwrap();
    press(&button, "ArrowUp");
    until("last item focused", || focused_text() == "Switch role").await;
}

#[wasm_bindgen_test]
async fn focus_leaving_the_menu_closes_it() {
    let app = mount_at("/");
    let button = app.menu_button();
    button.click();
    until("menu opens", || app.find("[role=menu]").is_some()).await;
    until("first item focused", || focused_text() == "Sign in").await;
    let heading: HtmlElement = app.find("h1").unwrap().unchecked_into();
    heading.set_tab_index(-1);
    heading.focus().unwrap();
    until("menu closes", || app.find("[role=menu]").is_none()).await;
}

#[wasm_bindgen_test]
async fn switch_link_parameters_render_as_text() {
    let app = mount_at(
        "/switchrole?account=222222222222&roleName=%3Cimg%20src%3Dx%3EAdmin&displayName=PRODUCTION",
    );
    until("switch role page renders", || app.find("h1").is_some()).await;
    assert_eq!(
        app.find("h1").unwrap().text_content().unwrap(),
        "Switch Role"
    );
    let offer = app
        .find(".switch-request")
        .expect("the offered role is shown");
    let text = offer.text_content().unwrap();
    assert!(text.contains("<img src=x>Admin"), "{text}");
    assert!(text.contains("222222222222"), "{text}");
    assert!(
        app.find(".switch-request img").is_none(),
        "never parsed as HTML"
    );
}

#[wasm_bindgen_test]
async fn unknown_path_shows_not_found() {
    let app = mount_at("/no/such/page");
    until("not-found page renders", || app.find("h1").is_some()).await;
    assert_eq!(
        app.find("h1").unwrap().text_content().unwrap(),
        "Page not found"
    );
    assert!(app
        .find("code")
        .unwrap()
        .text_content()
        .unwrap()
        .contains("/no/such/page"));
}
