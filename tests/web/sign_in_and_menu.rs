//! Signing in, the navigation bar and the Identity menu, by keyboard too.

use super::*;

#[wasm_bindgen_test]
pub(crate) async fn signed_out_banner_and_menu() {
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
pub(crate) async fn signed_in_menu_keyboard_opens_moves_wraps_and_escapes() {
    let app = mount_at("/signin");
    sign_in(&app, "David", "david-Pa55word!", true).await;
    let button = app.menu_button();
    button.focus().unwrap();
    press(&button, "ArrowDown");
    until("menu opens on ArrowDown", || {
        app.find("[role=menu]").is_some()
    })
    .await;
    assert_eq!(
        app.menu_item_names(),
        ["Switch role", "Copy account ID", "Sign out"]
    );
    assert!(app
        .text_of("[role=menu]")
        .contains("Account ID: 1111-1111-1111"));
    assert!(app.text_of("[role=menu]").contains("Signed in with MFA"));
    until("first item focused", || focused_text() == "Switch role").await;
    let menu = app.find("[role=menu]").unwrap();
    press(&menu, "ArrowDown");
    assert_eq!(focused_text(), "Copy account ID");
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
pub(crate) async fn focus_leaving_the_menu_closes_it() {
    let app = mount_at("/");
    app.menu_button().click();
    until("first item focused", || focused_text() == "Sign in").await;
    let heading: HtmlElement = app.find("h1").unwrap().unchecked_into();
    heading.set_tab_index(-1);
    heading.focus().unwrap();
    until("menu closes", || app.find("[role=menu]").is_none()).await;
}

#[wasm_bindgen_test]
pub(crate) async fn wrong_password_is_an_alert_and_keeps_what_was_typed() {
    let app = mount_at("/signin");
    until("sign-in form", || app.find("#signin-account").is_some()).await;
    type_into(&app.field("Account ID or alias"), "example-corp");
    type_into(&app.field("IAM user name"), "David");
    type_into(&app.field("Password"), "wrong");
    app.button("Sign in").click();
    until("an alert", || !app.alerts().is_empty()).await;
    assert!(app.alerts()[0].contains("authentication information is incorrect"));
    assert_eq!(app.field("IAM user name").value(), "David");
    // Cleared only once signed in: after a refusal the person corrects what they typed.
    assert_eq!(app.field("Password").value(), "wrong");
    assert!(app
        .menu_button()
        .text_content()
        .unwrap()
        .contains("Not signed in"));
}

#[wasm_bindgen_test]
pub(crate) async fn unknown_path_shows_not_found() {
    let app = mount_at("/no/such/page");
    until("not-found page renders", || app.find("h1").is_some()).await;
    assert_eq!(app.text_of("h1"), "Page not found");
    assert!(app.text_of("code").contains("/no/such/page"));
}
