//! The command palette: by keyboard only, and over ten thousand entries.

use super::*;

impl Mounted {
    pub(crate) fn palette_options(&self) -> Vec<String> {
        let document = web_sys::window().unwrap().document().unwrap();
        let list = document
            .query_selector_all("[role=dialog] [role=listbox] [role=option] .palette-name")
            .unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.text_content().unwrap_or_default())
            .collect()
    }

    pub(crate) fn palette_input(&self) -> HtmlInputElement {
        self.find("[role=dialog] [role=combobox]")
            .expect("the palette's combobox")
            .unchecked_into()
    }
}

/// The command palette, by keyboard only — Ctrl+K opens a dialog named "Switch
/// role" with the focus in its combobox; typing filters; Enter switches; while in a role
/// "Back to David" is the first option; Escape closes and gives the focus back.
#[wasm_bindgen_test]
pub(crate) async fn the_command_palette_switches_by_keyboard_only() {
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

/// With 10,000 catalog entries the palette renders only the rows in view, and a
/// query finds the one asked for.
#[wasm_bindgen_test]
pub(crate) async fn the_palette_filters_ten_thousand_entries_rendering_only_what_shows() {
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
