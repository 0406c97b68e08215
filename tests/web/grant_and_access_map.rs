//! Grant switch access, the access map with its what-if drafts, and the mock keeping IAM
//! changes across a reload.

use super::*;

/// Grant switch access — a group chosen in the combobox, its members, the policy
/// shown before it is attached, a bad ARN refused, Grant, and Remove.
#[wasm_bindgen_test]
pub(crate) async fn grant_switch_access_attaches_and_removes_the_group_policy() {
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
    // Removing asks first, naming the policy (Cloudscape's delete confirmation).
    until("the confirmation", || app.find("dialog[open]").is_some()).await;
    assert_eq!(
        app.text_of("dialog[open] h2"),
        "Remove inline policy SwitchToProdOperatorIn222222222222?"
    );
    app.find_all("dialog[open] button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some("Remove"))
        .expect("the dialog's Remove")
        .unchecked_into::<HtmlElement>()
        .click();
    until("removed", || {
        !listed().contains("SwitchToProdOperatorIn222222222222")
    })
    .await;
}

impl Mounted {
    /// The access map's cell of `user` (row header) and `role` (column header text).
    pub(crate) fn access_cell(&self, user: &str, role: &str) -> Option<Element> {
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
    pub(crate) fn cell_text_and_description(&self, cell: &Element) -> (String, String) {
        let text_in = |selector: &str| {
            cell.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|e| e.text_content())
                .unwrap_or_default()
        };
        // The label alone: not the tooltip, nor a user's link to what actually happened.
        let (tooltip, link) = (text_in(".tooltip"), text_in(".cell-activity"));
        let text = cell
            .text_content()
            .unwrap_or_default()
            .replace(&tooltip, "")
            .replacen(&link, "", 1);
        let id = cell.get_attribute("aria-describedby").unwrap_or_default();
        let description = self
            .find(&format!("#{id}"))
            .and_then(|d| d.text_content())
            .unwrap_or_default();
        (text.trim().to_owned(), description)
    }
}

/// The access map — David may switch to the production role with MFA, Maria is
/// denied and told why; a draft trust policy without MFA shows the cells it would turn.
#[wasm_bindgen_test]
pub(crate) async fn the_access_map_explains_each_cell_and_what_a_draft_would_change() {
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
    let prod = "AccessToProdDynamoDB (2222-2222-2222)";
    let david = app.access_cell("David", prod).expect("David's cell");
    let (text, description) = app.cell_text_and_description(&david);
    assert_eq!(text, "Allowed with MFA");
    assert!(description.contains("with MFA"), "{description}");
    // A user's cell links to the switches that actually happened (a group's has none).
    let link = david
        .query_selector("a.cell-activity")
        .unwrap()
        .expect("a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/activity?person=David&role=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAccessToProdDynamoDB")
    );
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
    assert!(developers
        .query_selector("a.cell-activity")
        .unwrap()
        .is_none());
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
    until("the draft starts from the role's trust policy", || {
        !area_text().is_empty()
    })
    .await;
    let text = area_text();
    assert!(
        text.contains("111111111111:root") && text.contains("aws:MultiFactorAuthPresent"),
        "the role's current policy, MFA and all: {text}"
    );
    // Unedited, the draft is the policy as it stands: it changes nothing.
    app.button("Show changes").click();
    until("no change", || {
        app.find_all("[role=status]")
            .iter()
            .any(|s| s.text_content().as_deref() == Some("The draft would change no cell."))
    })
    .await;
    // The same policy without its MFA condition.
    type_into_area(
        &draft,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}"#,
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
            "David → AccessToProdDynamoDB (2222-2222-2222): Allowed with MFA would become Allowed"
        ),
        "{changes}"
    );
    assert!(
        changes.contains(
            "group Developers → AccessToProdDynamoDB (2222-2222-2222): Allowed with MFA would become Allowed"
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
            "David → AccessToProdDynamoDB (2222-2222-2222): Allowed with MFA would become Denied",
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

/// The mock keeps the administrator's changes in localStorage (never a secret), a
/// reload restores them, and Reset demo world forgets them.
#[wasm_bindgen_test]
pub(crate) async fn the_mock_keeps_iam_changes_across_a_reload_until_reset() {
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
