//! Browser tests: the console's components in headless Chromium (wasm-bindgen-test).
//!
//! Each test mounts the console on the in-browser mock (or a gated wrapper of it, to hold a
//! backend call open) into a fresh container at a chosen URL, with fresh storage, and acts on
//! it the way a person would: by role and accessible name, with clicks, keys and typing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use crossrole::app::Shell;
use crossrole::backend::mock::MockBackend;
use crossrole::backend::{
    Backend, BackendError, BackendFuture, BaseSession, Cancel, RoleSession, SignInForm,
};
use crossrole::storage;
use crossrole_core::link::RoleRef;
use crossrole_core::totp::Totp;
use crossrole_core::validation::AccountRef;
use crossrole_core::world::{Credentials, Item};
use futures::channel::oneshot;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// A mounted console that is unmounted and removed when dropped.
struct Mounted {
    container: HtmlElement,
    handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    /// The owner the app was mounted under: cleaned up on drop, so that nothing of this app
    /// (a router's pending route, a resource) lives on into the next test.
    owner: Owner,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.owner.cleanup();
        self.container.remove();
        LIVE.with(|live| live.borrow_mut().take());
    }
}

thread_local! {
    /// The app mounted last, until its `Mounted` is dropped. A failed test aborts without
    /// dropping its app, whose effects, timers and storage listeners would then act on the
    /// next tests' storage; the next mount cleans it up first.
    static LIVE: RefCell<Option<(Owner, HtmlElement)>> = const { RefCell::new(None) };
}

/// Cleans up an app a failed test left mounted (see [`LIVE`]).
fn clean_up_left_over_app() {
    if let Some((owner, container)) = LIVE.with(|live| live.borrow_mut().take()) {
        owner.cleanup();
        container.remove();
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

    fn text_of(&self, selector: &str) -> String {
        self.find(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
            .trim()
            .to_owned()
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

    fn menu_item(&self, name: &str) -> HtmlElement {
        self.find_all("[role=menu] [role=menuitem]")
            .into_iter()
            .find(|e| e.text_content().unwrap_or_default().trim() == name)
            .unwrap_or_else(|| panic!("no menu item {name:?} in {:?}", self.menu_item_names()))
            .unchecked_into()
    }

    /// The control labelled `label` (via `<label for>`).
    fn field(&self, label: &str) -> HtmlInputElement {
        let label_el = self
            .find_all("label")
            .into_iter()
            .find(|l| l.text_content().unwrap_or_default().trim() == label)
            .unwrap_or_else(|| panic!("no label {label:?}"));
        let id = label_el.get_attribute("for").expect("label has for");
        self.find(&format!("#{id}")).unwrap().unchecked_into()
    }

    fn button(&self, name: &str) -> HtmlElement {
        self.find_all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == name)
            .unwrap_or_else(|| panic!("no button {name:?}"))
            .unchecked_into()
    }

    fn has_button(&self, name: &str) -> bool {
        self.find_all("button")
            .iter()
            .any(|b| b.text_content().unwrap_or_default().trim() == name)
    }

    fn alerts(&self) -> Vec<String> {
        self.find_all("[role=alert]")
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .collect()
    }

    async fn open_menu(&self) {
        if self.find("[role=menu]").is_none() {
            self.menu_button().click();
        }
        until("menu opens", || self.find("[role=menu]").is_some()).await;
    }
}

fn clear_storage() {
    clean_up_left_over_app();
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window.session_storage().unwrap().unwrap().clear().unwrap();
}

/// Puts `json` in localStorage as the role history, as another tab or an earlier visit would.
fn store_history(json: &str) {
    storage::local_set(storage::HISTORY_KEY, json).unwrap();
}

fn go_to(url: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
}

/// Mounts the console on `backend` at `url`, keeping whatever storage holds.
fn mount_with(url: &str, backend: Rc<dyn Backend>) -> Mounted {
    clean_up_left_over_app();
    go_to(url);
    let document = web_sys::window().unwrap().document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let owner = Owner::new();
    let handle = owner.with(|| {
        leptos::mount::mount_to(container.clone(), move || {
            // The router's children must be Send; a local StoredValue carries the Rc across.
            let backend = StoredValue::new_local(backend);
            view! {
                <Router>
                    <Shell backend=backend.get_value() />
                </Router>
            }
            .into_any()
        })
    });
    LIVE.with(|live| *live.borrow_mut() = Some((owner.clone(), container.clone())));
    Mounted {
        container,
        handle: Some(handle),
        owner,
    }
}

/// Mounts the console on a fresh mock at `url`, with empty storage.
fn mount_at(url: &str) -> Mounted {
    clear_storage();
    mount_with(url, Rc::new(MockBackend::in_page()))
}

/// Lets the reactive system run until `done` holds. Yields to the executor a bounded number of
/// times (no timers): effects and re-renders are scheduled tasks, not timed events.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
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

fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
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

fn david_code() -> String {
    Totp::from_base32("X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW")
        .unwrap()
        .code_at(crossrole::backend::now())
}

/// Signs in through the sign-in form (the page must be showing it).
async fn sign_in(app: &Mounted, user: &str, password: &str, mfa: bool) {
    sign_in_to(app, "example-corp", user, password, mfa).await
}

/// Signs in to `account` through the sign-in form (the page must be showing it).
async fn sign_in_to(app: &Mounted, account: &str, user: &str, password: &str, mfa: bool) {
    until("sign-in form", || app.find("#signin-account").is_some()).await;
    type_into(&app.field("Account ID or alias"), account);
    type_into(&app.field("IAM user name"), user);
    type_into(&app.field("Password"), password);
    type_into(
        &app.field("MFA code"),
        &if mfa { david_code() } else { String::new() },
    );
    app.button("Sign in").click();
    let expected = format!("{user} @ {account}");
    until("signed in", || {
        app.text_of("header button[aria-haspopup='menu']")
            .starts_with(&expected)
    })
    .await;
}

/// From the Switch Role page: past the first run, fill and submit the form.
async fn submit_switch(app: &Mounted, account: &str, role: &str, display: &str) {
    until("switch role page", || app.has_button("Switch Role")).await;
    if app.find("#switch-account").is_none() {
        app.button("Switch Role").click();
        until("the form", || app.find("#switch-account").is_some()).await;
    }
    type_into(&app.field("Account"), account);
    type_into(&app.field("Role"), role);
    type_into(&app.field("Display Name"), display);
    app.find("#switch-colour-f2b0a9")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    app.button("Switch Role").click();
}

#[wasm_bindgen_test]
async fn signed_out_banner_and_menu() {
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
    button.click();
    until("menu opens", || app.find("[role=menu]").is_some()).await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(app.menu_item_names(), ["Sign in"]);
    until("first item focused", || focused_text() == "Sign in").await;
    button.click();
    until("menu closes", || app.find("[role=menu]").is_none()).await;
}

#[wasm_bindgen_test]
async fn signed_in_menu_keyboard_opens_moves_wraps_and_escapes() {
    let app = mount_at("/signin");
    sign_in(&app, "David", "david-Pa55word!", true).await;
    let button = app.menu_button();
    button.focus().unwrap();
    press(&button, "ArrowDown");
    until("menu opens on ArrowDown", || {
        app.find("[role=menu]").is_some()
    })
    .await;
    assert_eq!(app.menu_item_names(), ["Switch role", "Sign out"]);
    assert!(app.text_of("[role=menu]").contains("Account: 111111111111"));
    assert!(app.text_of("[role=menu]").contains("Signed in with MFA"));
    until("first item focused", || focused_text() == "Switch role").await;
    let menu = app.find("[role=menu]").unwrap();
    press(&menu, "ArrowDown");
    assert_eq!(focused_text(), "Sign out");
    press(&menu, "ArrowDown");
    assert_eq!(focused_text(), "Switch role", "ArrowDown wraps to the top");
    press(&menu, "ArrowUp");
    assert_eq!(focused_text(), "Sign out", "ArrowUp wraps to the bottom");
    press(&menu, "Home");
    assert_eq!(focused_text(), "Switch role");
    press(&menu, "Escape");
    until("menu closes on Escape", || {
        app.find("[role=menu]").is_none()
    })
    .await;
    let button_focused = focused().is_some_and(|f| f == *button.unchecked_ref::<Element>());
    assert!(button_focused, "Escape returns focus to the menu button");
    press(&button, "ArrowUp");
    until("last item focused", || focused_text() == "Sign out").await;
}

#[wasm_bindgen_test]
async fn focus_leaving_the_menu_closes_it() {
    let app = mount_at("/");
    app.menu_button().click();
    until("first item focused", || focused_text() == "Sign in").await;
    let heading: HtmlElement = app.find("h1").unwrap().unchecked_into();
    heading.set_tab_index(-1);
    heading.focus().unwrap();
    until("menu closes", || app.find("[role=menu]").is_none()).await;
}

#[wasm_bindgen_test]
async fn wrong_password_is_an_alert_and_keeps_what_was_typed() {
    let app = mount_at("/signin");
    until("sign-in form", || app.find("#signin-account").is_some()).await;
    type_into(&app.field("Account ID or alias"), "example-corp");
    type_into(&app.field("IAM user name"), "David");
    type_into(&app.field("Password"), "wrong");
    app.button("Sign in").click();
    until("an alert", || !app.alerts().is_empty()).await;
    assert!(app.alerts()[0].contains("authentication information is incorrect"));
    assert_eq!(app.field("IAM user name").value(), "David");
    // Cleared only once signed in (issue 9): after a refusal the person corrects what they typed.
    assert_eq!(app.field("Password").value(), "wrong");
    assert!(app
        .menu_button()
        .text_content()
        .unwrap()
        .contains("Not signed in"));
}

#[wasm_bindgen_test]
async fn a_predefined_link_prefills_as_text_and_marks_bad_fields() {
    let app = mount_at("/signin");
    sign_in(&app, "David", "david-Pa55word!", true).await;
    storage::mark_first_run_seen();
    drop(app);
    let app = mount_with(
        "/switchrole?account=Not%20An%20Account&roleName=AccessToProdDynamoDB&displayName=%3Cimg%20src%3Dx%3EProd&color=123456",
        Rc::new(MockBackend::in_page()),
    );
    until("the form", || app.find("#switch-account").is_some()).await;
    until("prefilled", || {
        app.field("Role").value() == "AccessToProdDynamoDB"
    })
    .await;
    assert_eq!(app.field("Display Name").value(), "<img src=x>Prod");
    assert!(app.find("section img").is_none(), "never parsed as HTML");
    assert_eq!(
        app.field("Account")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        app.field("Role").get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    assert!(app
        .text_of("#switch-account-error")
        .starts_with("Account must be a 12-digit ID"));
    assert!(app
        .text_of("#switch-colour-error")
        .starts_with("Color must be one of"));
    assert!(
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("David @ "),
        "a link never switches"
    );
}

#[wasm_bindgen_test]
async fn switching_shows_the_role_in_its_colour_and_back_returns() {
    let app = mount_at("/switchrole");
    sign_in(&app, "David", "david-Pa55word!", true).await;
    until("first run", || {
        app.find("h1")
            .is_some_and(|h| h.text_content().unwrap() == "Switch Role")
    })
    .await;
    assert!(
        app.find("#switch-account").is_none(),
        "first run shows no form yet"
    );
    submit_switch(&app, "222222222222", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
    assert!(app.menu_button().class_name().contains("colour-red"));
    assert!(storage::first_run_seen());
    app.open_menu().await;
    assert_eq!(
        app.menu_item_names(),
        [
            "Switch role",
            "PRODUCTION",
            "Renew",
            "Back to David",
            "Sign out"
        ]
    );
    assert!(app.text_of("[role=menu]").contains("Signed in as David"));
    app.menu_item("Back to David").click();
    until("back to David", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("David @ example-corp")
    })
    .await;
    assert!(!app.menu_button().class_name().contains("colour-red"));
    // The history keeps the role; switching from it needs no form.
    app.open_menu().await;
    app.menu_item("PRODUCTION").click();
    until("in the role again", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_refused_switch_is_an_alert_and_keeps_base_session_and_form() {
    let app = mount_at("/switchrole");
    sign_in(&app, "David", "david-Pa55word!", false).await;
    submit_switch(&app, "222222222222", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("an alert", || {
        app.alerts().iter().any(|a| a.contains("Could not switch"))
    })
    .await;
    let alert = app
        .alerts()
        .into_iter()
        .find(|a| a.contains("Could not switch"))
        .unwrap();
    assert!(alert.contains("requires MFA at sign-in"), "{alert}");
    assert_eq!(app.field("Display Name").value(), "PRODUCTION");
    assert!(app
        .menu_button()
        .text_content()
        .unwrap()
        .starts_with("David @ example-corp"));
}

/// The mock, rigged: `switch_role` to a gated role waits for the test to open its gate (or
/// for the call's own cancel), and the IAM calls `fail` names (by action) are refused once
/// each, as a backend failing half-way would.
struct Gated {
    inner: MockBackend,
    gates: RefCell<Vec<(&'static str, oneshot::Receiver<()>)>>,
    fail: RefCell<Vec<&'static str>>,
    /// Role sessions end this many seconds after they start (the console's view of them).
    role_seconds: Option<i64>,
}

impl Gated {
    /// The mock refusing, once each, the IAM calls named in `actions`.
    fn failing(actions: &[&'static str]) -> Rc<Self> {
        Rc::new(Gated {
            inner: MockBackend::in_page(),
            gates: RefCell::default(),
            fail: RefCell::new(actions.to_vec()),
            role_seconds: None,
        })
    }

    /// The mock whose role sessions end `seconds` after they start.
    fn short_sessions(seconds: i64) -> Rc<Self> {
        Rc::new(Gated {
            inner: MockBackend::in_page(),
            gates: RefCell::default(),
            fail: RefCell::default(),
            role_seconds: Some(seconds),
        })
    }

    fn new(gated_roles: &[&'static str]) -> (Rc<Self>, Vec<oneshot::Sender<()>>) {
        let (openers, gates): (Vec<_>, Vec<_>) = gated_roles
            .iter()
            .map(|role| {
                let (open, gate) = oneshot::channel();
                (open, (*role, gate))
            })
            .unzip();
        let backend = Rc::new(Gated {
            inner: MockBackend::in_page(),
            gates: RefCell::new(gates),
            fail: RefCell::default(),
            role_seconds: None,
        });
        (backend, openers)
    }
}

/// Resolves when `cancel` is cancelled.
async fn cancelled(cancel: Cancel) {
    let Some(signal) = cancel.signal() else {
        return futures::future::pending().await;
    };
    let fired = js_sys::Promise::new(&mut |resolve, _| {
        if signal.aborted() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        } else {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(fired).await;
}

impl Backend for Gated {
    fn name(&self) -> &'static str {
        "gated mock"
    }
    fn sign_in(&self, form: SignInForm, cancel: &Cancel) -> BackendFuture<'_, BaseSession> {
        self.inner.sign_in(form, cancel)
    }
    fn switch_role(
        &self,
        base: &BaseSession,
        account: AccountRef,
        role: RoleRef,
        cancel: &Cancel,
    ) -> BackendFuture<'_, RoleSession> {
        let mut gates = self.gates.borrow_mut();
        let gate = gates
            .iter()
            .position(|(r, _)| *r == role.name.as_str())
            .map(|i| gates.remove(i).1);
        let call = self.inner.switch_role(base, account, role, cancel);
        let cancel = cancel.clone();
        let role_seconds = self.role_seconds;
        Box::pin(async move {
            if let Some(gate) = gate {
                let opened = Box::pin(async {
                    let _ = gate.await;
                });
                let stop = Box::pin(cancelled(cancel));
                if let futures::future::Either::Right(_) =
                    futures::future::select(opened, stop).await
                {
                    return Err(BackendError::Cancelled);
                }
            }
            let mut session = call.await?;
            if let Some(seconds) = role_seconds {
                session.credentials.expiration = crossrole::backend::now().plus(seconds);
            }
            Ok(session)
        })
    }
    fn iam(
        &self,
        c: &Credentials,
        request: crossrole_core::wire::iam::IamRequest,
        cancel: &Cancel,
    ) -> BackendFuture<'_, String> {
        let action = request.params().0;
        let mut fail = self.fail.borrow_mut();
        if let Some(at) = fail.iter().position(|a| *a == action) {
            fail.remove(at);
            return Box::pin(async move {
                Err(BackendError::Unavailable(format!(
                    "{action} was lost (injected)"
                )))
            });
        }
        self.inner.iam(c, request, cancel)
    }
    fn list_tables(&self, c: &Credentials, cancel: &Cancel) -> BackendFuture<'_, Vec<String>> {
        self.inner.list_tables(c, cancel)
    }
    fn scan(
        &self,
        c: &Credentials,
        table: String,
        cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<Item>> {
        self.inner.scan(c, table, cancel)
    }
    fn region(&self) -> BackendFuture<'_, String> {
        self.inner.region()
    }
    fn sign_out(&self, c: &Credentials) {
        self.inner.sign_out(c)
    }
}

/// Issue 10, point 7: each call has its own cancel. A switch from the history, started while
/// the Switch Role form's own switch is in flight, survives the form's Cancel (before, Cancel
/// aborted every call in flight).
#[wasm_bindgen_test]
async fn a_history_switch_survives_a_cancel_of_another_call() {
    clear_storage();
    let stored = r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"}]}"#;
    store_history(stored);
    let (backend, mut openers) = Gated::new(&["AccessToProdDynamoDB", "SensitiveDataAccess"]);
    let app = mount_with("/switchrole", backend);
    sign_in(&app, "David", "david-Pa55word!", true).await;
    // The form's switch waits at its gate…
    submit_switch(&app, "111111111111", "SensitiveDataAccess", "").await;
    until("the form is switching", || app.has_button("Switching…")).await;
    // …while a switch from the history starts and waits at its own.
    app.open_menu().await;
    app.menu_item("PRODUCTION").click();
    // Cancel on the form abandons the form's call only.
    app.button("Cancel").click();
    until("the form's call is cancelled", || {
        app.alerts().iter().any(|a| a.contains("Cancelled."))
    })
    .await;
    let history_gate = openers.remove(0);
    history_gate.send(()).unwrap();
    until("the history switch finished", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
    assert!(
        !app.alerts()
            .iter()
            .any(|a| a.contains("Could not switch role")),
        "{:?}",
        app.alerts()
    );
}

#[wasm_bindgen_test]
async fn switching_shows_progress_and_cannot_be_pressed_twice() {
    clear_storage();
    let (backend, mut openers) = Gated::new(&["AccessToProdDynamoDB"]);
    let open_gate = openers.remove(0);
    let app = mount_with("/switchrole", backend);
    sign_in(&app, "David", "david-Pa55word!", true).await;
    submit_switch(&app, "example-prod", "AccessToProdDynamoDB", "").await;
    until("progress", || app.has_button("Switching…")).await;
    let busy = app.button("Switching…");
    assert!(busy
        .unchecked_ref::<web_sys::HtmlButtonElement>()
        .disabled());
    assert_eq!(
        app.find("form")
            .unwrap()
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    open_gate.send(()).unwrap();
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("AccessToProdDynamoDB @ example-prod")
    })
    .await;
}

#[wasm_bindgen_test]
async fn corrupt_history_is_recovered_and_valid_entries_kept() {
    clear_storage();
    let stored = r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"},
        {"account":"<script>","role":{"path":"/","name":"Bad"},"displayName":"Bad"}]}"#;
    store_history(stored);
    let app = mount_with("/signin", Rc::new(MockBackend::in_page()));
    until("a notice", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("unreadable role history entry removed"))
    })
    .await;
    sign_in(&app, "David", "david-Pa55word!", true).await;
    app.open_menu().await;
    assert_eq!(
        app.menu_item_names(),
        ["Switch role", "PRODUCTION", "Sign out"]
    );
    let repaired = storage::local_get(storage::HISTORY_KEY).unwrap().unwrap();
    assert!(!repaired.contains("<script>"), "{repaired}");

    // Wholly unreadable: reset, with a notice, and the page still works.
    drop(app);
    storage::local_set(storage::HISTORY_KEY, "{not json").unwrap();
    let app = mount_with("/", Rc::new(MockBackend::in_page()));
    until("a notice", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("could not be read and was reset"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn unknown_path_shows_not_found() {
    let app = mount_at("/no/such/page");
    until("not-found page renders", || app.find("h1").is_some()).await;
    assert_eq!(app.text_of("h1"), "Page not found");
    assert!(app.text_of("code").contains("/no/such/page"));
}

#[wasm_bindgen_test]
async fn dynamodb_shows_items_or_access_denied() {
    let app = mount_at("/dynamodb?table=DevScores");
    sign_in(&app, "David", "david-Pa55word!", false).await;
    until("DevScores items", || {
        app.text_of("table caption") == "DevScores: 3 items"
    })
    .await;
    drop(app);
    let app = mount_with("/dynamodb?table=Payroll", Rc::new(MockBackend::in_page()));
    until("access denied", || {
        app.alerts().iter().any(|a| a.contains("Access denied"))
    })
    .await;
    assert!(app.find("table.items").is_none());
}

/// The tab's stored console session, as the console keeps it in sessionStorage, if any.
fn stored_session_if_any() -> Option<serde_json::Value> {
    storage::session_get(storage::CONSOLE_SESSION_KEY)
        .ok()
        .flatten()
}

/// The tab's stored console session (there must be one).
fn stored_session() -> serde_json::Value {
    stored_session_if_any().expect("a stored session")
}

fn credentials_at(value: &serde_json::Value) -> Credentials {
    serde_json::from_value(value.clone()).unwrap()
}

#[wasm_bindgen_test]
async fn an_ended_role_session_returns_to_the_user_and_an_ended_sign_in_to_sign_in() {
    clear_storage();
    let backend = Rc::new(MockBackend::in_page());
    let app = mount_with("/switchrole", backend.clone());
    sign_in(&app, "David", "david-Pa55word!", true).await;
    submit_switch(&app, "222222222222", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;

    // The role session ends behind the console's back; its next call finds out.
    backend.sign_out(&credentials_at(
        &stored_session()["role"]["session"]["credentials"],
    ));
    drop(app);
    let app = mount_with("/dynamodb", backend.clone());
    until("back to David", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("David @ example-corp")
    })
    .await;
    until("told so", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("Your role session has ended. You are back to David."))
    })
    .await;

    // Then the sign-in session ends too: back to the sign-in page.
    backend.sign_out(&credentials_at(&stored_session()["base"]["credentials"]));
    drop(app);
    let app = mount_with("/dynamodb", backend);
    until("signed out", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .contains("Not signed in")
    })
    .await;
    until("told so", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("Your session has expired. Sign in again."))
    })
    .await;
    until("the sign-in page", || app.find("#signin-account").is_some()).await;
}

/// The in-browser mock answers the IAM pages' calls in IAM's XML, read with core's client
/// readers as the emulator's answers are (issue 13's plumbing).
#[wasm_bindgen_test]
async fn the_mock_answers_iam_in_iam_s_xml() {
    clear_storage();
    let backend = MockBackend::in_page();
    let admin = prod_admin_on(&backend).await;
    let xml = backend
        .iam(
            &admin,
            crossrole_core::wire::iam::IamRequest::ListRoles,
            &Cancel::default(),
        )
        .await
        .expect("ListRoles");
    let roles = crossrole_core::client::read_roles(200, &xml).unwrap();
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["AccessToProdDynamoDB", "ProdOperator"]);
}

fn type_into_area(area: &Element, text: &str) {
    let area: &web_sys::HtmlTextAreaElement = area.unchecked_ref();
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

impl Mounted {
    fn heading_text(&self) -> String {
        self.text_of("h2")
    }

    fn has_alert(&self, part: &str) -> bool {
        self.alerts().iter().any(|a| a.contains(part))
    }

    async fn click_and_see(&self, button: &str, what: &str, done: impl FnMut() -> bool) {
        self.button(button).click();
        until(what, done).await;
    }
}

/// ProdAdmin on the Create role page, with `backend`.
async fn create_role_page(backend: Rc<dyn Backend>) -> Mounted {
    // Signed out, the page sends the person to sign in and back.
    let app = mount_with("/iam/create", backend);
    sign_in_to(
        &app,
        "example-prod",
        "ProdAdmin",
        "prodadmin-Pa55word!",
        false,
    )
    .await;
    until("the wizard", || {
        app.heading_text().starts_with("Step 1 of 3")
    })
    .await;
    app
}

/// Fills the first step with `name` trusting `account` (MFA stays required) and presses Next.
async fn fill_role_step(app: &Mounted, name: &str, account: &str) {
    type_into(&app.field("Role name"), name);
    type_into(&app.field("Trusted account ID"), account);
    app.button("Next").click();
    for _ in 0..5 {
        leptos::task::tick().await;
    }
}

/// The wizard filled as the walk-through does (Billing read-only), on its review step.
async fn to_review_step(app: &Mounted) {
    to_permissions_step(app).await;
    app.field("Billing").click();
    app.click_and_see("Next", "the review", || {
        app.heading_text().starts_with("Step 3 of 3")
    })
    .await;
}

async fn to_permissions_step(app: &Mounted) {
    fill_role_step(app, "AccessToProdBilling", "111111111111").await;
    until("step 2", || app.heading_text().starts_with("Step 2 of 3")).await;
}

/// Issue 13: a bad role name is shown and blocks the first step.
#[wasm_bindgen_test]
async fn create_role_a_bad_name_blocks_the_first_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    fill_role_step(&app, "bad name!", "111111111111").await;
    until("the name's problem", || app.has_alert("Role name")).await;
    assert!(app.heading_text().starts_with("Step 1 of 3"));
    assert_eq!(
        app.field("Role name")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        app.field("Role name").value(),
        "bad name!",
        "what was typed is kept"
    );
}

/// Issue 13: a bad account id is shown and blocks the first step.
#[wasm_bindgen_test]
async fn create_role_a_bad_account_id_blocks_the_first_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    fill_role_step(&app, "AccessToProdBilling", "11111111111x").await;
    until("the account's problem", || app.has_alert("12 digits")).await;
    assert!(app.heading_text().starts_with("Step 1 of 3"));
    type_into(&app.field("Trusted account ID"), "111111111111");
    app.click_and_see("Next", "step 2", || {
        app.heading_text().starts_with("Step 2 of 3")
    })
    .await;
}

/// Issue 13: a name an existing role has (in another case) is shown and blocks the first step.
#[wasm_bindgen_test]
async fn create_role_a_duplicate_name_blocks_the_first_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    fill_role_step(&app, "accessToProdDynamoDB", "111111111111").await;
    until("the duplicate", || {
        app.has_alert("AccessToProdDynamoDB already exists")
    })
    .await;
    assert!(app.heading_text().starts_with("Step 1 of 3"));
}

/// Issue 13: malformed policy JSON is shown, with where it is wrong, and blocks the second step.
#[wasm_bindgen_test]
async fn create_role_malformed_policy_json_blocks_the_second_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    to_permissions_step(&app).await;
    app.field("Billing").click();
    app.field("Custom policy").click();
    until("the Policy JSON textbox", || {
        app.find("#role-policy").is_some()
    })
    .await;
    let area = app.find("#role-policy").unwrap();
    let started = area.unchecked_ref::<web_sys::HtmlTextAreaElement>().value();
    assert!(
        started.contains("table/Billing"),
        "custom starts from the template: {started}"
    );
    type_into_area(&area, "{\"Version\": \"2012-10-17\", \"Statement\": [}");
    app.button("Next").click();
    until("the JSON's problem", || !app.alerts().is_empty()).await;
    assert!(
        app.heading_text().starts_with("Step 2 of 3"),
        "{:?}",
        app.alerts()
    );
    assert!(app.has_alert("line 1"), "{:?}", app.alerts());
}

/// Issue 13: a wildcard resource is shown and blocks the second step until the administrator
/// narrows it or consents.
#[wasm_bindgen_test]
async fn create_role_a_wildcard_resource_blocks_the_second_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    to_permissions_step(&app).await;
    app.button("Next").click();
    until("the wildcard's problem", || app.has_alert("every table")).await;
    assert!(app.heading_text().starts_with("Step 2 of 3"));
    app.field("Custom policy").click();
    until("the Policy JSON textbox", || {
        app.find("#role-policy").is_some()
    })
    .await;
    type_into_area(
        &app.find("#role-policy").unwrap(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}"#,
    );
    app.button("Next").click();
    until("the custom wildcard's problem", || {
        app.has_alert("every resource")
    })
    .await;
    assert!(app.heading_text().starts_with("Step 2 of 3"));
    app.field("Apply to every resource").click();
    app.click_and_see("Next", "the review", || {
        app.heading_text().starts_with("Step 3 of 3")
    })
    .await;
    assert!(
        app.text_of(".warning").contains("every resource"),
        "the review warns"
    );
}

/// Issue 13's walk-through, on the page: the review shows the exact documents, Create role
/// makes the role, and the predefined link carries the display name and colour chosen.
#[wasm_bindgen_test]
async fn create_role_reviews_the_documents_creates_and_links() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let backend = Rc::new(MockBackend::in_page());
    let app = create_role_page(backend.clone()).await;
    to_review_step(&app).await;
    let documents: Vec<String> = app
        .find_all("pre.policy")
        .iter()
        .map(|p| p.text_content().unwrap_or_default())
        .collect();
    assert!(
        documents[0].contains("aws:MultiFactorAuthPresent")
            && documents[0].contains("111111111111:root")
    );
    assert!(documents[1].contains("arn:aws:dynamodb:us-west-2:222222222222:table/Billing"));
    app.click_and_see("Create role", "created", || {
        app.heading_text() == "Role created"
    })
    .await;
    assert!(app
        .text_of(".facts")
        .contains("arn:aws:iam::222222222222:role/AccessToProdBilling"));
    type_into(&app.field("Display name"), "Billing (read)");
    app.find("#created-colour-83d4e8")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    let link = || app.field("Switch role link").value();
    until("the link", || link().contains("color=83d4e8")).await;
    assert!(
        link().ends_with("/switchrole?account=222222222222&roleName=AccessToProdBilling&displayName=Billing+%28read%29&color=83d4e8"),
        "{}",
        link()
    );
}

/// Issue 13: a failure injected between CreateRole and PutRolePolicy leaves no half-made role.
#[wasm_bindgen_test]
async fn create_role_a_failed_put_role_policy_leaves_no_role() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let backend = Gated::failing(&["PutRolePolicy"]);
    let app = create_role_page(backend.clone()).await;
    to_review_step(&app).await;
    app.click_and_see("Create role", "the failure", || {
        app.has_alert("nothing was left half-made")
    })
    .await;
    assert!(
        app.has_alert("PutRolePolicy was lost"),
        "{:?}",
        app.alerts()
    );
    assert!(!app.has_button("Finish creating the role"));
    assert!(!roles_of(&backend.inner)
        .await
        .contains(&"AccessToProdBilling".to_owned()));
    // The review is still there: Create role again succeeds.
    app.click_and_see("Create role", "created", || {
        app.heading_text() == "Role created"
    })
    .await;
    assert!(roles_of(&backend.inner)
        .await
        .contains(&"AccessToProdBilling".to_owned()));
}

/// Issue 13: when the rollback fails too, the page says so and its retry finishes the role.
#[wasm_bindgen_test]
async fn create_role_a_failed_rollback_offers_the_retry_that_finishes() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let backend = Gated::failing(&["PutRolePolicy", "DeleteRole"]);
    let app = create_role_page(backend.clone()).await;
    to_review_step(&app).await;
    app.click_and_see("Create role", "the half-made report", || {
        app.has_alert("Retry to finish it")
    })
    .await;
    app.click_and_see("Finish creating the role", "created", || {
        app.heading_text() == "Role created"
    })
    .await;
    let admin = prod_admin_on(&backend.inner).await;
    let xml = backend
        .inner
        .iam(
            &admin,
            crossrole_core::wire::iam::IamRequest::ListRolePolicies {
                role: "AccessToProdBilling".into(),
            },
            &Cancel::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        crossrole_core::client::read_policy_names(200, &xml).unwrap(),
        ["AccessToProdBillingPermissions"]
    );
}

async fn prod_admin_on(backend: &MockBackend) -> Credentials {
    backend
        .sign_in(
            SignInForm {
                account: "example-prod".into(),
                user: "ProdAdmin".into(),
                password: "prodadmin-Pa55word!".into(),
                ..Default::default()
            },
            &Cancel::default(),
        )
        .await
        .expect("ProdAdmin signs in")
        .credentials
}

/// The role names of the prod account, as ProdAdmin lists them.
async fn roles_of(backend: &MockBackend) -> Vec<String> {
    let admin = prod_admin_on(backend).await;
    let xml = backend
        .iam(
            &admin,
            crossrole_core::wire::iam::IamRequest::ListRoles,
            &Cancel::default(),
        )
        .await
        .unwrap();
    crossrole_core::client::read_roles(200, &xml)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect()
}

/// Issue 13: Grant switch access — a group chosen in the combobox, its members, the policy
/// shown before it is attached, a bad ARN refused, Grant, and Remove.
#[wasm_bindgen_test]
async fn grant_switch_access_attaches_and_removes_the_group_policy() {
    clear_storage();
    let app = mount_with("/iam/grant", Rc::new(MockBackend::in_page()));
    sign_in_to(
        &app,
        "example-corp",
        "CorpAdmin",
        "corpadmin-Pa55word!",
        false,
    )
    .await;
    until("the groups", || app.find("#grant-group").is_some()).await;
    assert_eq!(app.text_of("h1"), "Grant switch access");
    let select: web_sys::HtmlSelectElement = app.find("#grant-group").unwrap().unchecked_into();
    select.set_value("Developers");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    until("the members", || {
        app.text_of("[aria-label=Members]").contains("David")
    })
    .await;
    until("the group's policies", || {
        app.find("[aria-label='Policies of Developers']").is_some()
    })
    .await;

    type_into(
        &app.field("Role ARN"),
        "arn:aws:iam::222222222222:user/David",
    );
    app.button("Grant").click();
    until("the ARN's problem", || app.has_alert("is not a role ARN")).await;

    type_into(
        &app.field("Role ARN"),
        "arn:aws:iam::222222222222:role/ops/ProdOperator",
    );
    until("the policy shown", || {
        app.text_of("pre.policy")
            .contains("\"Resource\": \"arn:aws:iam::222222222222:role/ops/ProdOperator\"")
    })
    .await;
    app.button("Grant").click();
    until("granted", || {
        app.text_of("p.done").contains("Developers may now switch")
    })
    .await;
    let listed = || app.text_of("[aria-label='Policies of Developers']");
    until("the new policy listed", || {
        listed().contains("SwitchToProdOperatorIn222222222222")
    })
    .await;

    let remove = app
        .find_all("[aria-label='Policies of Developers'] li")
        .into_iter()
        .find(|li| {
            li.text_content()
                .unwrap_or_default()
                .contains("SwitchToProdOperatorIn")
        })
        .and_then(|li| li.query_selector("button").ok().flatten())
        .expect("its Remove button");
    assert_eq!(remove.text_content().unwrap().trim(), "Remove");
    remove.unchecked_into::<HtmlElement>().click();
    until("removed", || {
        !listed().contains("SwitchToProdOperatorIn222222222222")
    })
    .await;
}

impl Mounted {
    /// The access map's cell of `user` (row header) and `role` (column header text).
    fn access_cell(&self, user: &str, role: &str) -> Option<Element> {
        let headers: Vec<String> = self
            .find_all("table.access-map thead th")
            .iter()
            .map(|h| h.text_content().unwrap_or_default())
            .collect();
        let column = headers.iter().position(|h| h == role)?;
        let row = self
            .find_all("table.access-map tbody tr")
            .into_iter()
            .find(|r| {
                r.query_selector("th")
                    .ok()
                    .flatten()
                    .and_then(|th| th.text_content())
                    .as_deref()
                    == Some(user)
            })?;
        // The row header is the first child: cells follow in column order.
        row.children().item(column as u32)
    }

    /// A cell's text without its tooltip, and its description (what aria-describedby names).
    fn cell_text_and_description(&self, cell: &Element) -> (String, String) {
        let tooltip = cell
            .query_selector(".tooltip")
            .ok()
            .flatten()
            .and_then(|t| t.text_content())
            .unwrap_or_default();
        let text = cell
            .text_content()
            .unwrap_or_default()
            .replace(&tooltip, "");
        let id = cell.get_attribute("aria-describedby").unwrap_or_default();
        let description = self
            .find(&format!("#{id}"))
            .and_then(|d| d.text_content())
            .unwrap_or_default();
        (text.trim().to_owned(), description)
    }
}

/// Issue 13: the access map — David may switch to the production role with MFA, Maria is
/// denied and told why; a draft trust policy without MFA shows the cells it would turn.
#[wasm_bindgen_test]
async fn the_access_map_explains_each_cell_and_what_a_draft_would_change() {
    clear_storage();
    let app = mount_with("/iam/access", Rc::new(MockBackend::in_page()));
    sign_in_to(
        &app,
        "example-corp",
        "CorpAdmin",
        "corpadmin-Pa55word!",
        false,
    )
    .await;
    until("the map", || app.find("table.access-map").is_some()).await;
    assert_eq!(app.text_of("table.access-map caption"), "Access map");
    let prod = "AccessToProdDynamoDB (222222222222)";
    let david = app.access_cell("David", prod).expect("David's cell");
    let (text, description) = app.cell_text_and_description(&david);
    assert_eq!(text, "Allowed with MFA");
    assert!(description.contains("with MFA"), "{description}");
    let maria = app.access_cell("Maria", prod).expect("Maria's cell");
    let (text, description) = app.cell_text_and_description(&maria);
    assert_eq!(text, "Denied");
    assert!(
        description.contains("No identity policy allows sts:AssumeRole"),
        "{description}"
    );
    assert_eq!(
        maria.get_attribute("tabindex").as_deref(),
        Some("0"),
        "reachable by keyboard"
    );
    // A row per group too: what membership alone allows, its members in the header's title.
    let developers = app
        .access_cell("Developers (group)", prod)
        .expect("the group's cell");
    assert_eq!(
        app.cell_text_and_description(&developers).0,
        "Allowed with MFA"
    );
    let header = app
        .find_all("table.access-map tbody th")
        .into_iter()
        .find(|th| th.text_content().as_deref() == Some("Developers (group)"))
        .unwrap();
    assert_eq!(
        header.get_attribute("title").as_deref(),
        Some("Members: David")
    );

    let select: web_sys::HtmlSelectElement = app.find("#whatif-target").unwrap().unchecked_into();
    select.set_value("trust:arn:aws:iam::222222222222:role/AccessToProdDynamoDB");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    let draft = app.find("#whatif-policy").unwrap();
    let area_text = || {
        draft
            .unchecked_ref::<web_sys::HtmlTextAreaElement>()
            .value()
    };
    until("the draft starts from a trust policy", || {
        !area_text().is_empty()
    })
    .await;
    let text = area_text();
    assert!(
        text.contains("111111111111:root") && !text.contains("MultiFactor"),
        "{text}"
    );
    app.button("Show changes").click();
    until("the changes", || {
        app.text_of("ul[aria-labelledby=changes-title]")
            .contains("David")
    })
    .await;
    let changes = app.text_of("ul[aria-labelledby=changes-title]");
    assert!(
        changes.contains(
            "David → AccessToProdDynamoDB (222222222222): Allowed with MFA would become Allowed"
        ),
        "{changes}"
    );
    assert!(
        changes.contains(
            "group Developers → AccessToProdDynamoDB (222222222222): Allowed with MFA would become Allowed"
        ),
        "{changes}"
    );
    assert!(!changes.contains("Maria"), "{changes}");
    let david = app.access_cell("David", prod).unwrap();
    assert!(david.class_name().contains("would-change"));
    assert_eq!(
        app.cell_text_and_description(&david).0,
        "Allowed with MFA",
        "the map itself is unchanged"
    );

    // A user's inline policy too: a draft denying David every switch.
    select.set_value("user:David");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    until("the draft starts from an identity policy", || {
        area_text().contains("sts:AssumeRole") && !area_text().contains("Principal")
    })
    .await;
    type_into_area(
        &draft,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}}"#,
    );
    app.button("Show changes").click();
    until("David's cells would turn", || {
        app.text_of("ul[aria-labelledby=changes-title]").contains(
            "David → AccessToProdDynamoDB (222222222222): Allowed with MFA would become Denied",
        )
    })
    .await;
    let changes = app.text_of("ul[aria-labelledby=changes-title]");
    assert!(
        !changes.contains("group Developers") && !changes.contains("Maria"),
        "only David's own cells: {changes}"
    );

    // A malformed draft is an alert, not a change.
    type_into_area(&draft, "{ not json");
    app.button("Show changes").click();
    until("the draft's problem", || !app.alerts().is_empty()).await;
}

/// Issue 13: the mock keeps the administrator's changes in localStorage (never a secret), a
/// reload restores them, and Reset demo world forgets them.
#[wasm_bindgen_test]
async fn the_mock_keeps_iam_changes_across_a_reload_until_reset() {
    clear_storage();
    let backend = MockBackend::in_page();
    let admin = prod_admin_on(&backend).await;
    let plan = crossrole_core::admin::RoleDraft {
        name: "KeptRole".into(),
        trusted_account: "111111111111".into(),
        tables: vec!["Billing".into()],
        ..Default::default()
    }
    .check("222222222222", "us-west-2")
    .unwrap();
    backend
        .iam(&admin, plan.create_request(), &Cancel::default())
        .await
        .unwrap();
    let kept = storage::local_get(storage::MOCK_IAM_KEY)
        .unwrap()
        .expect("the change is kept");
    assert!(kept.contains("KeptRole"));
    assert!(!kept.contains("prodadmin-Pa55word!") && !kept.contains("Pr0dAdm1nSecretKeyExample"));

    let reloaded = MockBackend::in_page();
    assert!(roles_of(&reloaded).await.contains(&"KeptRole".to_owned()));
    assert!(reloaded.can_reset_world());
    reloaded.reset_world();
    let fresh = MockBackend::in_page();
    assert!(!roles_of(&fresh).await.contains(&"KeptRole".to_owned()));
}

/// Puts `catalog` in localStorage, as an import in another tab would.
fn store_catalog(catalog: &crossrole_core::catalog::Catalog) {
    storage::local_set(storage::CATALOG_KEY, &catalog.encode()).unwrap();
}

fn ctrl_k() {
    let init = KeyboardEventInit::new();
    init.set_key("k");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
}

impl Mounted {
    fn palette_options(&self) -> Vec<String> {
        let document = web_sys::window().unwrap().document().unwrap();
        let list = document
            .query_selector_all("[role=dialog] [role=listbox] [role=option] .palette-name")
            .unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.text_content().unwrap_or_default())
            .collect()
    }

    fn palette_input(&self) -> HtmlInputElement {
        self.find("[role=dialog] [role=combobox]")
            .expect("the palette's combobox")
            .unchecked_into()
    }
}

const CATALOG_CONFIG: &str = "\
[profile prod]
role_arn = arn:aws:iam::222222222222:role/AccessToProdDynamoDB
display_name = PRODUCTION
color = f2b0a9
group = prod

[profile sensitive]
role_arn = arn:aws:iam::111111111111:role/SensitiveDataAccess
display_name = Payroll
group = corp
";

/// Issue 14: the command palette, by keyboard only — Ctrl+K opens a dialog named "Switch
/// role" with the focus in its combobox; typing filters; Enter switches; while in a role
/// "Back to David" is the first option; Escape closes and gives the focus back.
#[wasm_bindgen_test]
async fn the_command_palette_switches_by_keyboard_only() {
    clear_storage();
    store_catalog(&crossrole_core::catalog::import(CATALOG_CONFIG).catalog);
    let app = mount_with("/signin", Rc::new(MockBackend::in_page()));
    sign_in(&app, "David", "david-Pa55word!", true).await;

    ctrl_k();
    until("the palette", || app.find("[role=dialog]").is_some()).await;
    let dialog = app.find("[role=dialog]").unwrap();
    let title = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(app.text_of(&format!("#{title}")), "Switch role");
    until("focus in the combobox", || {
        focused().is_some_and(|f| f.get_attribute("role").as_deref() == Some("combobox"))
    })
    .await;
    assert_eq!(app.palette_options(), ["PRODUCTION", "Payroll"]);

    let input = app.palette_input();
    type_into(&input, "pay");
    until("filtered", || app.palette_options() == ["Payroll"]).await;
    type_into(&input, "prod");
    until("filtered again", || {
        app.palette_options().first().map(String::as_str) == Some("PRODUCTION")
    })
    .await;
    press(&input, "ArrowDown");
    press(&input, "ArrowUp");
    let active = input.get_attribute("aria-activedescendant").unwrap();
    assert_eq!(
        app.find(&format!("#{active} .palette-name"))
            .unwrap()
            .text_content()
            .unwrap(),
        "PRODUCTION"
    );
    press(&input, "Enter");
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
    assert!(
        app.find("[role=dialog]").is_none(),
        "Enter closes the palette"
    );

    // In a role, Back to David comes first whatever is typed.
    app.menu_button().focus().unwrap();
    ctrl_k();
    until("the palette again", || app.find("[role=dialog]").is_some()).await;
    type_into(&app.palette_input(), "pay");
    until("back first", || {
        app.palette_options() == ["Back to David", "Payroll"]
    })
    .await;
    press(&app.palette_input(), "Escape");
    until("closed", || app.find("[role=dialog]").is_none()).await;
    assert_eq!(
        focused()
            .and_then(|f| f.get_attribute("aria-haspopup"))
            .as_deref(),
        Some("menu"),
        "the focus is back on the Identity menu button"
    );
    // `/` in the Identity menu opens it too.
    app.open_menu().await;
    press(&app.menu_item("Switch role"), "/");
    until("the palette a third time", || {
        app.find("[role=dialog]").is_some()
    })
    .await;
    assert!(
        app.find("[role=menu]").is_none(),
        "the menu made way for it"
    );
    press(&app.palette_input(), "Enter");
    until("back to David", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("David @ example-corp")
    })
    .await;
}

/// Issue 14: with 10,000 catalog entries the palette renders only the rows in view, and a
/// query finds the one asked for.
#[wasm_bindgen_test]
async fn the_palette_filters_ten_thousand_entries_rendering_only_what_shows() {
    clear_storage();
    let text: String = (0..10_000)
        .map(|i| format!("[profile role-{i}]\nrole_arn = arn:aws:iam::222222222222:role/Role{i}\n"))
        .collect();
    let imported = crossrole_core::catalog::import(&text);
    assert_eq!(imported.catalog.entries.len(), 10_000);
    store_catalog(&imported.catalog);
    let app = mount_with("/signin", Rc::new(MockBackend::in_page()));
    sign_in(&app, "David", "david-Pa55word!", true).await;
    ctrl_k();
    until("the palette", || app.find("[role=dialog]").is_some()).await;
    until("the count", || {
        app.text_of("[role=dialog] [role=status]") == "10000 matches"
    })
    .await;
    let rendered = app.palette_options().len();
    assert!(
        rendered <= 14,
        "only the rows in view are rendered: {rendered}"
    );
    let option = app.find("[role=dialog] [role=option]").unwrap();
    assert_eq!(
        option.get_attribute("aria-setsize").as_deref(),
        Some("10000")
    );
    type_into(&app.palette_input(), "role-4242");
    until("found", || {
        app.palette_options().first().map(String::as_str) == Some("role-4242")
    })
    .await;
    press(&app.palette_input(), "End");
    let active = app
        .palette_input()
        .get_attribute("aria-activedescendant")
        .unwrap();
    assert!(
        app.find(&format!("#{active}")).is_some(),
        "the active row is rendered"
    );
}

/// Issue 14: the catalog page imports a configuration, names the lines it skipped, and each
/// entry can be edited and removed.
#[wasm_bindgen_test]
async fn the_catalog_imports_reports_skipped_lines_edits_and_removes() {
    let app = mount_at("/catalog");
    until("the catalog page", || app.text_of("h1") == "Role catalog").await;
    let config = app.find("#catalog-config").unwrap();
    type_into_area(
        &config,
        &format!(
            "{CATALOG_CONFIG}aws_secret_access_key = hidden\n[profile broken]\nrole_arn = nope\n"
        ),
    );
    app.button("Import").click();
    until("the report", || {
        app.text_of("section [role=status]")
            .starts_with("Imported 2 roles")
    })
    .await;
    let skipped = app.text_of("ul[aria-labelledby=skipped-title]");
    assert!(
        skipped.contains("Line 11: aws_secret_access_key: credentials are never imported"),
        "{skipped}"
    );
    assert!(
        skipped.contains("Line 13: role_arn \"nope\" is not a role ARN"),
        "{skipped}"
    );
    let stored = storage::local_get(storage::CATALOG_KEY).unwrap().unwrap();
    assert!(!stored.contains("hidden"), "no secret is kept");

    let names = || {
        app.find_all(".catalog-head strong")
            .iter()
            .map(|s| s.text_content().unwrap())
            .collect::<Vec<_>>()
    };
    until("the entries", || names().len() == 2).await;
    app.button("Edit").click();
    until("the editor", || app.find("[id^=edit-name-]").is_some()).await;
    let name: HtmlInputElement = app.find("[id^=edit-name-]").unwrap().unchecked_into();
    type_into(&name, "Production (GameScores)");
    app.button("Save").click();
    until("renamed", || {
        names().contains(&"Production (GameScores)".to_owned())
    })
    .await;
    let before = names().len();
    app.button("Remove").click();
    until("removed", || names().len() == before - 1).await;
    app.button("Export AESR").click();
    let export_text = || {
        app.find("#catalog-export")
            .map(|e| e.unchecked_into::<web_sys::HtmlTextAreaElement>().value())
            .unwrap_or_default()
    };
    until("the export", || !export_text().is_empty()).await;
    let exported = export_text();
    assert!(
        exported.contains("aws_account_id = 111111111111")
            || exported.contains("aws_account_id = 222222222222"),
        "{exported}"
    );
}

/// Replaces the clipboard's `writeText` with one that keeps the text (the page's own copy,
/// as the person would paste it); returns how to read it back.
fn capture_clipboard() -> impl Fn() -> Option<String> {
    let clipboard = web_sys::window().unwrap().navigator().clipboard();
    let keep = js_sys::Function::new_with_args(
        "text",
        "globalThis.__copied = String(text); return Promise.resolve();",
    );
    js_sys::Reflect::set(&clipboard, &"writeText".into(), &keep).unwrap();
    || {
        js_sys::Reflect::get(&js_sys::global(), &"__copied".into())
            .ok()
            .and_then(|v| v.as_string())
    }
}

/// Issue 14: every catalog entry can copy a predefined link carrying a destination; one that
/// is not a page of crossrole is refused in an alert and never put in a link.
#[wasm_bindgen_test]
async fn a_catalog_entry_copies_a_link_with_its_destination() {
    clear_storage();
    let copied = capture_clipboard();
    let app = mount_at("/catalog");
    until("the catalog page", || app.text_of("h1") == "Role catalog").await;
    type_into_area(&app.find("#catalog-config").unwrap(), CATALOG_CONFIG);
    app.button("Import").click();
    until("the entries", || app.find_all(".catalog-entry").len() == 2).await;
    let copy_production = || {
        app.find_all(".catalog-entry")
            .into_iter()
            .find(|e| e.text_content().unwrap_or_default().contains("PRODUCTION"))
            .and_then(|e| {
                e.query_selector_all("button").ok().map(|buttons| {
                    (0..buttons.length())
                        .filter_map(|i| buttons.item(i))
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == "Copy link")
            .unwrap()
            .unchecked_into::<HtmlElement>()
            .click()
    };

    let open_at: HtmlInputElement = app.field("Copied links open at");
    type_into(&open_at, "https://evil.example/");
    until("the refusal", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("Destination must be a path on this site"))
    })
    .await;
    copy_production();
    until("copied", || copied().is_some()).await;
    let link = copied().unwrap();
    assert!(link.contains("/switchrole?account=222222222222"), "{link}");
    assert!(
        !link.contains("destination") && !link.contains("evil"),
        "{link}"
    );

    type_into(&open_at, "/dynamodb?table=GameScores");
    until("no refusal", || app.alerts().is_empty()).await;
    copy_production();
    until("copied with the destination", || {
        copied().is_some_and(|l| l.contains("destination="))
    })
    .await;
    let link = copied().unwrap();
    assert!(
        link.ends_with(
            "/switchrole?account=222222222222&roleName=AccessToProdDynamoDB\
             &displayName=PRODUCTION&color=f2b0a9&destination=%2Fdynamodb%3Ftable%3DGameScores"
        ),
        "{link}"
    );
}

/// The role session's access key id, as the tab keeps it.
fn role_key_in_tab() -> Option<String> {
    stored_session_if_any()?["role"]["session"]["credentials"]["accessKeyId"]
        .as_str()
        .map(str::to_owned)
}

/// Issue 14: the Identity menu counts the role session down ("Expires in M:SS"), warns once
/// in a live region in its last five minutes, and Renew gets a fresh session on the page.
#[wasm_bindgen_test]
async fn the_role_session_counts_down_warns_and_renews() {
    clear_storage();
    // Signed out, Switch Role sends the person to sign in and back.
    let app = mount_with("/switchrole", Gated::short_sessions(240));
    sign_in(&app, "David", "david-Pa55word!", true).await;
    submit_switch(&app, "example-prod", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
    let warning = || app.text_of(".identity-warning");
    until("the warning", || warning().contains("less than 5 minutes")).await;
    assert_eq!(
        app.find(".identity-warning")
            .unwrap()
            .get_attribute("role")
            .as_deref(),
        Some("status")
    );
    app.open_menu().await;
    let expiry = app.text_of(".identity-expiry");
    assert!(
        expiry.starts_with("Expires in 3:") || expiry == "Expires in 4:00",
        "{expiry}"
    );
    let before = role_key_in_tab().expect("a role session");
    app.menu_item("Renew").click();
    until("renewed", || role_key_in_tab().is_some_and(|k| k != before)).await;
    assert!(
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION"),
        "still in the role"
    );
}

impl Mounted {
    /// Opens the rename form of the catalog page's first history entry and types `name`
    /// (not yet saved).
    async fn rename_first_in_history(&self, name: &str) {
        self.find_all("ul[aria-label='Role history'] button")
            .into_iter()
            .find(|b| b.text_content().unwrap().trim() == "Rename")
            .expect("a Rename button")
            .unchecked_into::<HtmlElement>()
            .click();
        until("the rename form", || {
            self.find("[id^=rename-][id$=-name]").is_some()
        })
        .await;
        type_into(
            &self
                .find("[id^=rename-][id$=-name]")
                .unwrap()
                .unchecked_into(),
            name,
        );
    }
}

/// Issue 14: the history is the person's — rename and recolour, pin to the catalog, remove,
/// and how many to keep — saved for every tab.
#[wasm_bindgen_test]
async fn the_history_can_be_renamed_recoloured_pinned_removed_and_resized() {
    clear_storage();
    store_history(
        r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"},
        {"account":"111111111111","role":{"path":"/","name":"SensitiveDataAccess"},"displayName":"Payroll"}]}"#,
    );
    let app = mount_with("/catalog", Rc::new(MockBackend::in_page()));
    until("the history", || {
        app.find("ul[aria-label='Role history'] li").is_some()
    })
    .await;
    let names = || {
        app.find_all("ul[aria-label='Role history'] .catalog-head strong")
            .iter()
            .map(|s| s.text_content().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(), ["PRODUCTION", "Payroll"]);
    let in_history = |name: &str| -> HtmlElement {
        app.find_all("ul[aria-label='Role history'] button")
            .into_iter()
            .find(|b| b.text_content().unwrap().trim() == name)
            .unwrap()
            .unchecked_into()
    };
    app.rename_first_in_history("Prod (GameScores)").await;
    app.find("[id^=rename-][id$=-colour-b7ca9d]")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    app.button("Save").click();
    until("renamed", || {
        names().first().map(String::as_str) == Some("Prod (GameScores)")
    })
    .await;
    let stored = storage::local_get(storage::HISTORY_KEY).unwrap().unwrap();
    assert!(
        stored.contains("Prod (GameScores)") && stored.contains("b7ca9d"),
        "{stored}"
    );

    in_history("Pin to catalog").click();
    until("pinned", || {
        app.find_all("ul[aria-labelledby=entries-title] .catalog-head strong")
            .iter()
            .any(|s| s.text_content().unwrap() == "Prod (GameScores)")
    })
    .await;
    assert!(in_history("Pin to catalog")
        .unchecked_ref::<web_sys::HtmlButtonElement>()
        .disabled());

    let size: HtmlInputElement = app.field("History size");
    type_into(&size, "1");
    app.button("Keep this many").click();
    until("resized", || names().len() == 1).await;
    in_history("Remove").click();
    until("removed", || names().is_empty()).await;
}

/// An edit is made onto the history as stored now: when another tab emptied it (and its
/// storage event has not arrived), renaming an entry of this tab's stale copy brings nothing
/// back.
#[wasm_bindgen_test]
async fn an_edit_never_brings_back_entries_another_tab_removed() {
    clear_storage();
    store_history(
        r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"}]}"#,
    );
    let app = mount_with("/catalog", Rc::new(MockBackend::in_page()));
    until("the history", || {
        app.find("ul[aria-label='Role history'] li").is_some()
    })
    .await;
    // Another tab removed the last entry: written straight to the store, so no storage event
    // reaches this tab.
    store_history(r#"{"version":1,"entries":[]}"#);
    app.rename_first_in_history("Renamed too late").await;
    app.button("Save").click();
    until("the tab follows the store", || {
        app.find("ul[aria-label='Role history'] li").is_none()
    })
    .await;
    let stored = storage::local_get(storage::HISTORY_KEY).unwrap().unwrap();
    assert!(
        !stored.contains("AccessToProdDynamoDB") && !stored.contains("Renamed too late"),
        "{stored}"
    );
}

/// Issue 14: each catalog and history entry says whether the signed-in user can switch to
/// it — needs MFA, denied and why — computed by the engine, and nothing is hidden.
#[wasm_bindgen_test]
async fn catalog_and_history_entries_show_whether_the_user_can_switch() {
    clear_storage();
    store_catalog(
        &crossrole_core::catalog::import(&format!(
            "{CATALOG_CONFIG}\n[profile operator]\nrole_arn = arn:aws:iam::222222222222:role/ops/ProdOperator\n"
        ))
        .catalog,
    );
    store_history(
        r#"{"version":1,"entries":[
        {"account":"333333333333","role":{"path":"/","name":"Elsewhere"},"displayName":"Elsewhere"}]}"#,
    );
    let app = mount_with("/signin", Rc::new(MockBackend::in_page()));
    sign_in(&app, "David", "david-Pa55word!", false).await;
    go_to("/catalog");
    drop(app);
    let app = mount_with("/catalog", Rc::new(MockBackend::in_page()));
    let mark = |name: &str| {
        app.find_all(".catalog-entry")
            .into_iter()
            .find(|li| {
                li.query_selector("strong")
                    .ok()
                    .flatten()
                    .and_then(|s| s.text_content())
                    .as_deref()
                    == Some(name)
            })
            .and_then(|li| li.query_selector(".reach").ok().flatten())
            .and_then(|m| m.text_content())
            .unwrap_or_default()
    };
    until("the marks", || !mark("PRODUCTION").is_empty()).await;
    assert_eq!(
        mark("PRODUCTION"),
        "Needs MFA: sign in with your MFA device"
    );
    assert!(
        mark("operator").starts_with("Cannot switch: No identity policy allows sts:AssumeRole"),
        "{}",
        mark("operator")
    );
    assert!(
        mark("Elsewhere").starts_with("Cannot switch:"),
        "the history's entry too: {}",
        mark("Elsewhere")
    );
    assert_eq!(app.find_all(".catalog-entry").len(), 4, "nothing is hidden");
}
