//! Mounting the console in a fresh container, and acting on it as a person would.

use super::*;

/// A mounted console that is unmounted and removed when dropped.
pub(crate) struct Mounted {
    pub(crate) container: HtmlElement,
    pub(crate) handle:
        Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    /// The owner the app was mounted under: cleaned up on drop, so that nothing of this app
    /// (a router's pending route, a resource) lives on into the next test.
    pub(crate) owner: Owner,
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
pub(crate) fn clean_up_left_over_app() {
    if let Some((owner, container)) = LIVE.with(|live| live.borrow_mut().take()) {
        owner.cleanup();
        container.remove();
    }
}

impl Mounted {
    pub(crate) fn find(&self, selector: &str) -> Option<Element> {
        self.container.query_selector(selector).ok().flatten()
    }

    pub(crate) fn find_all(&self, selector: &str) -> Vec<Element> {
        let list = self.container.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    pub(crate) fn text_of(&self, selector: &str) -> String {
        self.find(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    pub(crate) fn menu_button(&self) -> HtmlElement {
        self.find("header button[aria-haspopup='menu']")
            .expect("the banner has an Identity menu button")
            .unchecked_into()
    }

    /// The menu items' names ([`first_line`]).
    pub(crate) fn menu_item_names(&self) -> Vec<String> {
        self.find_all("[role=menu] [role=menuitem]")
            .iter()
            .map(first_line)
            .collect()
    }

    pub(crate) fn menu_item(&self, name: &str) -> HtmlElement {
        self.find_all("[role=menu] [role=menuitem]")
            .into_iter()
            .find(|e| first_line(e) == name)
            .unwrap_or_else(|| panic!("no menu item {name:?} in {:?}", self.menu_item_names()))
            .unchecked_into()
    }

    /// The control labelled `label` (via `<label for>`).
    pub(crate) fn field(&self, label: &str) -> HtmlInputElement {
        let label_el = self
            .find_all("label")
            .into_iter()
            .find(|l| l.text_content().unwrap_or_default().trim() == label)
            .unwrap_or_else(|| panic!("no label {label:?}"));
        let id = label_el.get_attribute("for").expect("label has for");
        self.find(&format!("#{id}")).unwrap().unchecked_into()
    }

    pub(crate) fn button(&self, name: &str) -> HtmlElement {
        self.find_all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == name)
            .unwrap_or_else(|| panic!("no button {name:?}"))
            .unchecked_into()
    }

    pub(crate) fn has_button(&self, name: &str) -> bool {
        self.find_all("button")
            .iter()
            .any(|b| b.text_content().unwrap_or_default().trim() == name)
    }

    pub(crate) fn alerts(&self) -> Vec<String> {
        self.find_all("[role=alert]")
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .collect()
    }

    pub(crate) async fn open_menu(&self) {
        if self.find("[role=menu]").is_none() {
            self.menu_button().click();
        }
        until("menu opens", || self.find("[role=menu]").is_some()).await;
    }
}

pub(crate) fn clear_storage() {
    clean_up_left_over_app();
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window.session_storage().unwrap().unwrap().clear().unwrap();
}

/// Puts `json` in localStorage as the role history, as another tab or an earlier visit would.
pub(crate) fn store_history(json: &str) {
    storage::local_set(storage::HISTORY_KEY, json).unwrap();
}

pub(crate) fn go_to(url: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
}

/// Mounts the console on `backend` at `url`, keeping whatever storage holds.
pub(crate) fn mount_with(url: &str, backend: Rc<dyn Backend>) -> Mounted {
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
pub(crate) fn mount_at(url: &str) -> Mounted {
    clear_storage();
    mount_with(url, Rc::new(MockBackend::in_page()))
}

/// Waits until the Identity menu's button names `who` first (a role's display name, a user,
/// or "Not signed in").
pub(crate) async fn until_acting_as(app: &Mounted, who: &str) {
    until(&format!("acting as {who}"), || {
        app.menu_button()
            .text_content()
            .unwrap_or_default()
            .starts_with(who)
    })
    .await;
}

/// Lets the reactive system run until `done` holds. Yields to the executor a bounded number of
/// times (no timers): effects and re-renders are scheduled tasks, not timed events.
pub(crate) async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        leptos::task::tick().await;
    }
    panic!("never happened: {what}");
}

pub(crate) fn press(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

pub(crate) fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
}

pub(crate) fn focused() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

pub(crate) fn focused_text() -> String {
    focused()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

pub(crate) fn david_code() -> String {
    Totp::from_base32("X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW")
        .unwrap()
        .code_at(crossrole::backend::now())
}

/// Signs in through the sign-in form (the page must be showing it).
pub(crate) async fn sign_in(app: &Mounted, user: &str, password: &str, mfa: bool) {
    sign_in_to(app, "example-corp", user, password, mfa).await
}

/// Signs in to `account` through the sign-in form (the page must be showing it).
pub(crate) async fn sign_in_to(
    app: &Mounted,
    account: &str,
    user: &str,
    password: &str,
    mfa: bool,
) {
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
pub(crate) async fn submit_switch(app: &Mounted, account: &str, role: &str, display: &str) {
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

/// The tab's stored console session, as the console keeps it in sessionStorage, if any.
pub(crate) fn stored_session_if_any() -> Option<serde_json::Value> {
    storage::session_get(storage::CONSOLE_SESSION_KEY)
        .ok()
        .flatten()
}

/// The tab's stored console session (there must be one).
pub(crate) fn stored_session() -> serde_json::Value {
    stored_session_if_any().expect("a stored session")
}

pub(crate) fn credentials_at(value: &serde_json::Value) -> Credentials {
    serde_json::from_value(value.clone()).unwrap()
}

pub(crate) fn type_into_area(area: &Element, text: &str) {
    let area: &web_sys::HtmlTextAreaElement = area.unchecked_ref();
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Puts `catalog` in localStorage, as an import in another tab would.
pub(crate) fn store_catalog(catalog: &crossrole_core::catalog::Catalog) {
    storage::local_set(storage::CATALOG_KEY, &catalog.encode()).unwrap();
}

pub(crate) fn ctrl_k() {
    let init = KeyboardEventInit::new();
    init.set_key("k");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
}

/// Replaces the clipboard's `writeText` with one that keeps the text (the page's own copy,
/// as the person would paste it); returns how to read it back.
pub(crate) fn capture_clipboard() -> impl Fn() -> Option<String> {
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

/// The role session's access key id, as the tab keeps it.
pub(crate) fn role_key_in_tab() -> Option<String> {
    stored_session_if_any()?["role"]["session"]["credentials"]["accessKeyId"]
        .as_str()
        .map(str::to_owned)
}

pub(crate) async fn prod_admin_on(backend: &MockBackend) -> Credentials {
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
pub(crate) async fn roles_of(backend: &MockBackend) -> Vec<String> {
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

pub(crate) const CATALOG_CONFIG: &str = "\
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

/// A menu item's name as the eye reads it first: a history entry's display name (its second
/// line, which role in which account, aside), else the item's text.
fn first_line(e: &Element) -> String {
    e.query_selector(".history-name")
        .ok()
        .flatten()
        .unwrap_or_else(|| e.clone())
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_owned()
}
