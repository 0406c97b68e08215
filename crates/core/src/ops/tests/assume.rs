//! AssumeRole's optional parameters, each as AWS documents it: ExternalId, MFA at switch
//! time (SerialNumber and TokenCode), session policies, SourceIdentity, session tags, and what
//! counts as role chaining.

use super::sessions::role_mut;
use super::*;
use crate::demo::DAVID;
use crate::fault::ErrorCode;
use crate::world::{PolicyDoc, User};

/// David's long-term key, as the AWS CLI presents it for a profile with `role_arn`.
fn david_key() -> Presented<'static> {
    Presented {
        access_key_id: DAVID.access_key_id,
        secret: Some(DAVID.secret_access_key),
        session_token: None,
        origin: None,
    }
}

fn user_mut<'w>(world: &'w mut World, id: &str, name: &str) -> &'w mut User {
    let id = crate::validation::AccountId::parse(id).unwrap();
    let account = world.accounts.iter_mut().find(|a| a.id == id).unwrap();
    account
        .users
        .iter_mut()
        .find(|u| u.name.as_str() == name)
        .unwrap()
}

fn trust(world: &mut World, json: &str) {
    role_mut(world, "222222222222", "AccessToProdDynamoDB").trust_policy =
        PolicyDoc::parse(json).unwrap().into();
}

/// David may also pass tags and set a source identity (cross-account, his own policies must
/// allow those actions too).
fn david_may_tag_and_set_source(world: &mut World) {
    user_mut(world, "111111111111", "David").policies.insert(
        "TagAndSource".into(),
        PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["sts:TagSession","sts:SetSourceIdentity"],"Resource":"*"}}"#,
        )
        .unwrap(),
    );
}

fn with(role_arn: &str, f: impl FnOnce(&mut AssumeRole)) -> AssumeRole {
    let mut request = assume(role_arn, "David", None);
    f(&mut request);
    request
}

impl Demo {
    fn assume_with(
        &mut self,
        presented: Presented<'_>,
        request: &AssumeRole,
    ) -> Result<Issued, ApiError> {
        self.world
            .sts_assume_role(&mut self.rng, presented, request, NOW)
    }
}

// --- ExternalId ------------------------------------------------------------------------------

/// IAM User Guide, "Access to AWS accounts owned by third parties" (the external ID): the
/// trust policy's `sts:ExternalId` condition must see the value the caller passes.
#[test]
fn external_id_is_sts_external_id_in_the_trust_policy() {
    let mut d = demo();
    trust(
        &mut d.world,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole",
            "Condition":{"StringEquals":{"sts:ExternalId":"Unique-ID-4-Partner"}}}}"#,
    );
    let base = d.david(false);
    assert!(matches!(
        denial(d.switch(&base, PROD_ROLE)),
        Denial::ConditionFailed { condition } if condition.contains("sts:ExternalId")
    ));
    let wrong = with(PROD_ROLE, |r| r.external_id = Some("guessed".into()));
    assert!(d.assume_with(creds(&base), &wrong).is_err());
    let right = with(PROD_ROLE, |r| {
        r.external_id = Some("Unique-ID-4-Partner".into())
    });
    assert!(d.assume_with(creds(&base), &right).is_ok());
    let bad = with(PROD_ROLE, |r| r.external_id = Some("x".into()));
    assert_eq!(
        d.assume_with(creds(&base), &bad).unwrap_err().code,
        ErrorCode::ValidationError,
        "2 to 1224 characters"
    );
}

// --- MFA at switch time -------------------------------------------------------------------------

/// IAM User Guide, "Configuring MFA-protected API access" and the AWS CLI's `mfa_serial`
/// profiles: a long-term key passes SerialNumber and TokenCode to AssumeRole, and the trust
/// policy's `aws:MultiFactorAuthPresent` is then true.
#[test]
fn mfa_at_assume_role_satisfies_the_trust_policy() {
    let mut d = demo();
    let plain = assume(PROD_ROLE, "David", None);
    assert_eq!(
        d.assume_with(david_key(), &plain).unwrap_err().denial,
        Some(Denial::MfaRequired),
        "a long-term key carries no MFA"
    );
    let code = d.david_code(NOW);
    let with_mfa = with(PROD_ROLE, |r| {
        r.serial_number = Some(crate::demo::DAVID_MFA_SERIAL.into());
        r.token_code = Some(code.clone());
    });
    let issued = d
        .assume_with(david_key(), &with_mfa)
        .expect("MFA proven at the switch");
    let session = d
        .world
        .live
        .sessions
        .get(&issued.credentials.access_key_id)
        .unwrap();
    assert_eq!(session.mfa_at, Some(NOW), "the role session remembers when");

    // The same code again is a replay; a wrong one, or only half of the pair, is refused.
    let replay = d.assume_with(david_key(), &with_mfa).unwrap_err();
    assert_eq!(replay.code, ErrorCode::InvalidMfa);
    let half = with(PROD_ROLE, |r| r.token_code = Some("123456".into()));
    assert_eq!(
        d.assume_with(david_key(), &half).unwrap_err().code,
        ErrorCode::ValidationError
    );
    let other_device = with(PROD_ROLE, |r| {
        r.serial_number = Some("arn:aws:iam::111111111111:mfa/Maria".into());
        r.token_code = Some(d.david_code(NOW.plus(30)));
    });
    assert_eq!(
        d.assume_with(david_key(), &other_device).unwrap_err().code,
        ErrorCode::InvalidMfa
    );
}

// --- session policies --------------------------------------------------------------------------

/// IAM User Guide, "Policies and permissions in IAM", session policies: the session may do
/// only what both the role's policies and the session policy allow; a Deny in either wins.
#[test]
fn a_session_policy_narrows_the_role_s_permissions() {
    let mut d = demo();
    let base = d.david(true);
    let narrowed = with(PROD_ROLE, |r| {
        r.policy = Some(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"},
                {"Sid":"NotPlayers","Effect":"Deny","Action":"*","Resource":"arn:aws:dynamodb:*:*:table/Players"}]}"#
                .into(),
        )
    });
    let role = d.assume_with(creds(&base), &narrowed).unwrap().credentials;
    assert!(d.scan(&role, "GameScores").is_ok(), "both allow");
    let e = d.world.dynamodb_list_tables(creds(&role), NOW).unwrap_err();
    assert!(
        e.message
            .contains("because no session policy allows the dynamodb:ListTables action"),
        "{}",
        e.message
    );
    // The role's policy allows nothing on Billing: the session policy cannot add it.
    let e = d.scan(&role, "Billing").unwrap_err();
    assert!(
        e.message.contains("no identity-based policy"),
        "{}",
        e.message
    );
    let e = d.scan(&role, "Players").unwrap_err();
    assert!(
        matches!(e.denial, Some(Denial::ExplicitDeny { .. })),
        "{e:?}"
    );
    assert!(
        e.message.contains("explicit deny in a session policy"),
        "{}",
        e.message
    );

    for (policy, code) in [
        ("{not json", ErrorCode::MalformedPolicyDocument),
        (
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}"#,
            ErrorCode::MalformedPolicyDocument,
        ),
    ] {
        let r = with(PROD_ROLE, |r| r.policy = Some(policy.into()));
        assert_eq!(
            d.assume_with(creds(&base), &r).unwrap_err().code,
            code,
            "{policy}"
        );
    }
    let huge = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Sid":"{}","Effect":"Allow","Action":"*","Resource":"*"}}}}"#,
        "x".repeat(2100)
    );
    let r = with(PROD_ROLE, |r| r.policy = Some(huge));
    assert_eq!(
        d.assume_with(creds(&base), &r).unwrap_err().code,
        ErrorCode::PackedPolicyTooLarge
    );
}

// --- source identity ---------------------------------------------------------------------------

/// IAM User Guide, "Monitor and control actions taken with assumed roles": setting a source
/// identity needs `sts:SetSourceIdentity` in the trust policy (and, across accounts, the
/// caller's policies); it is `aws:SourceIdentity` afterwards and cannot change in a chain.
#[test]
fn source_identity_needs_permission_and_stays_through_the_chain() {
    let mut d = demo();
    let base = d.david(true);
    let set = with(PROD_ROLE, |r| {
        r.source_identity = Some("david@example.com".into())
    });
    // The demo trust policy allows only sts:AssumeRole.
    assert!(matches!(
        d.assume_with(creds(&base), &set).unwrap_err().denial,
        Some(Denial::NoPermission { action, .. }) if action == "sts:SetSourceIdentity"
    ));
    david_may_tag_and_set_source(&mut d.world);
    let e = d.assume_with(creds(&base), &set).unwrap_err();
    assert!(e.message.contains("sts:SetSourceIdentity"), "{}", e.message);
    trust(
        &mut d.world,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},
            "Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#,
    );
    let issued = d.assume_with(creds(&base), &set).unwrap();
    assert_eq!(issued.source_identity.as_deref(), Some("david@example.com"));

    // The role session's requests carry aws:SourceIdentity.
    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB").policies.insert(
        "OnlyDavidsSource".into(),
        PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Deny","Action":"dynamodb:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceIdentity":"david@example.com"}}},
                {"Effect":"Allow","Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Resource":"*"}]}"#,
        )
        .unwrap(),
    );
    assert!(d.scan(&issued.credentials, "GameScores").is_ok());
    let plain = d.switch(&base, PROD_ROLE).unwrap();
    assert!(matches!(
        d.scan(&plain.credentials, "GameScores").unwrap_err().denial,
        Some(Denial::ExplicitDeny { .. })
    ));

    // Chaining from the role session: the source identity passes on, and cannot change.
    let operator = "arn:aws:iam::222222222222:role/ops/ProdOperator";
    role_mut(&mut d.world, "222222222222", "ProdOperator").trust_policy = PolicyDoc::parse(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}}"#,
    )
    .unwrap()
    .into();
    let chained = d
        .assume_with(creds(&issued.credentials), &assume(operator, "David", None))
        .unwrap();
    assert_eq!(
        chained.source_identity.as_deref(),
        Some("david@example.com")
    );
    // Known as a chained session (the federation endpoint refuses it a SessionDuration).
    let kind = |c: &Credentials| d.world.live.sessions.get(&c.access_key_id).unwrap().kind;
    assert_eq!(
        kind(&chained.credentials),
        crate::world::SessionKind::ChainedRole
    );
    assert_eq!(
        kind(&issued.credentials),
        crate::world::SessionKind::AssumedRole
    );
    // Asking for the same source identity again is not a change.
    let same = with(operator, |r| {
        r.source_identity = Some("david@example.com".into())
    });
    assert_eq!(
        d.assume_with(creds(&issued.credentials), &same)
            .unwrap()
            .source_identity
            .as_deref(),
        Some("david@example.com")
    );
    let changed = with(operator, |r| {
        r.source_identity = Some("someone@example.com".into())
    });
    assert_eq!(
        d.assume_with(creds(&issued.credentials), &changed)
            .unwrap_err()
            .code,
        ErrorCode::AccessDenied
    );
    for bad in ["x", "aws:reserved", "has space"] {
        let r = with(PROD_ROLE, |r| r.source_identity = Some(bad.into()));
        assert_eq!(
            d.assume_with(creds(&base), &r).unwrap_err().code,
            ErrorCode::ValidationError,
            "{bad}"
        );
    }
}

// --- session tags ---------------------------------------------------------------------------------

/// IAM User Guide, "Passing session tags in AWS STS": tags need `sts:TagSession`; they are the
/// session's `aws:PrincipalTag/…` (over the role's own tags); transitive ones pass on to
/// chained sessions and cannot be set again there.
#[test]
fn session_tags_need_tag_session_become_principal_tags_and_pass_on_if_transitive() {
    let mut d = demo();
    david_may_tag_and_set_source(&mut d.world);
    let base = d.david(true);
    let tagged = with(PROD_ROLE, |r| {
        r.tags = vec![
            ("team".into(), "blue".into()),
            ("cost-center".into(), "42".into()),
        ];
        r.transitive_tag_keys = vec!["team".into()];
    });
    assert!(
        matches!(
            d.assume_with(creds(&base), &tagged).unwrap_err().denial,
            Some(Denial::NotTrusted { .. })
        ),
        "the trust policy does not allow sts:TagSession"
    );
    trust(
        &mut d.world,
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"},
            {"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:TagSession",
             "Condition":{"StringEquals":{"aws:RequestTag/team":["blue","red"]},"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost-center"]}}}]}"#,
    );
    let issued = d.assume_with(creds(&base), &tagged).unwrap();
    let other_team = with(PROD_ROLE, |r| {
        r.tags = vec![("team".into(), "green".into())]
    });
    assert!(
        d.assume_with(creds(&base), &other_team).is_err(),
        "the trust policy's condition"
    );

    // The role has a tag of its own; the session's tag of the same key wins.
    let role = role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB");
    role.tags.0.insert("team".into(), "orange".into());
    role.tags.0.insert("tier".into(), "gold".into());
    role.policies.insert(
        "ByTag".into(),
        PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Sid":"Blue","Effect":"Deny","Action":"dynamodb:Scan","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}},
                {"Sid":"Gold","Effect":"Deny","Action":"dynamodb:Scan","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/tier":"gold"}}},
                {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
        )
        .unwrap(),
    );
    assert!(
        d.scan(&issued.credentials, "GameScores").is_ok(),
        "team blue, tier gold"
    );
    let untagged = d.switch(&base, PROD_ROLE).unwrap();
    assert!(
        d.scan(&untagged.credentials, "GameScores").is_err(),
        "team orange"
    );

    // Chained: the transitive tag passes on, the other does not, and it cannot be set again.
    let operator = "arn:aws:iam::222222222222:role/ops/ProdOperator";
    role_mut(&mut d.world, "222222222222", "ProdOperator").trust_policy = PolicyDoc::parse(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":["sts:AssumeRole","sts:TagSession"]}}"#,
    )
    .unwrap()
    .into();
    let chained = d
        .assume_with(creds(&issued.credentials), &assume(operator, "David", None))
        .unwrap();
    let session = d
        .world
        .live
        .sessions
        .get(&chained.credentials.access_key_id)
        .unwrap();
    let extras = session.extras.as_deref().unwrap();
    assert_eq!(
        extras.tag("TEAM"),
        Some("blue"),
        "keys compare case-insensitively"
    );
    assert_eq!(extras.tag("cost-center"), None);
    let again = with(operator, |r| r.tags = vec![("team".into(), "red".into())]);
    assert_eq!(
        d.assume_with(creds(&issued.credentials), &again)
            .unwrap_err()
            .code,
        ErrorCode::ValidationError
    );

    for (tags, transitive) in [
        (vec![("a", "1"), ("A", "2")], vec![]),
        (vec![("a", "1")], vec!["b"]),
        (vec![("bad*key", "1")], vec![]),
    ] {
        let r = with(PROD_ROLE, |r| {
            r.tags = tags
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect();
            r.transitive_tag_keys = transitive.iter().map(|k| (*k).into()).collect();
        });
        assert_eq!(
            d.assume_with(creds(&base), &r).unwrap_err().code,
            ErrorCode::ValidationError,
            "{tags:?} {transitive:?}"
        );
    }
    let too_many = with(PROD_ROLE, |r| {
        r.tags = (0..51).map(|i| (format!("k{i}"), "v".into())).collect();
    });
    assert_eq!(
        d.assume_with(creds(&base), &too_many).unwrap_err().code,
        ErrorCode::ValidationError
    );
}

/// A user's own tags are its requests' `aws:PrincipalTag/…` (IAM User Guide, "Controlling
/// access to and for IAM users and roles using tags").
#[test]
fn a_user_s_tags_are_principal_tags() {
    let mut d = demo();
    let david = user_mut(&mut d.world, "111111111111", "David");
    david.tags.0.insert("team".into(), "blue".into());
    david.policies.insert(
        "BlueOnly".into(),
        PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}}}"#,
        )
        .unwrap(),
    );
    let base = d.david(true);
    assert!(d.switch(&base, PROD_ROLE).is_ok());
    user_mut(&mut d.world, "111111111111", "David")
        .tags
        .0
        .insert("team".into(), "red".into());
    assert!(matches!(
        denial(d.switch(&base, PROD_ROLE)),
        Denial::ExplicitDeny { .. }
    ));
}

// --- what counts as role chaining ----------------------------------------------------------------

/// IAM User Guide, "Roles terms and concepts" (role chaining: a role assuming a role is capped
/// at one hour) and "Compare AWS STS credentials" (GetSessionToken's credentials may call
/// AssumeRole): a GetSessionToken session is not a role, so it is not chaining and the role's
/// own MaxSessionDuration applies.
#[test]
fn only_a_role_assuming_a_role_is_capped_at_one_hour() {
    let mut d = demo();
    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB").max_session_duration = 7200;
    trust(
        &mut d.world,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111111111111","222222222222"]},"Action":"sts:AssumeRole"}}"#,
    );
    let session = d
        .world
        .sts_get_session_token(
            &mut d.rng,
            david_key(),
            &crate::ops::GetSessionToken {
                duration: Some(43_200),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .credentials;
    let two_hours = assume(PROD_ROLE, "David", Some(7200));
    let issued = d
        .assume_with(creds(&session), &two_hours)
        .expect("not chaining");
    assert_eq!(issued.credentials.expiration, NOW.plus(7200));

    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB").policies.insert(
        "Chain".into(),
        PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}"#,
        )
        .unwrap(),
    );
    let e = d
        .assume_with(creds(&issued.credentials), &two_hours)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ValidationError);
    assert!(e.message.contains("role chaining"), "{}", e.message);
    assert!(d
        .assume_with(
            creds(&issued.credentials),
            &assume(PROD_ROLE, "David", Some(3600))
        )
        .is_ok());
}

/// STS API Reference, AssumeRole, `PolicyArns` (managed session policies, in the role's
/// account or AWS managed): with an inline session policy they are the session policies — the
/// session may do what any of them allows, and only within the role's own policies.
#[test]
fn managed_session_policies_join_the_inline_one() {
    let mut d = demo();
    let base = d.david(true);
    let read_only = with(PROD_ROLE, |r| {
        r.policy_arns = vec!["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess".into()]
    });
    let role = d.assume_with(creds(&base), &read_only).unwrap().credentials;
    assert!(d.scan(&role, "GameScores").is_ok(), "both allow");
    assert!(
        d.scan(&role, "Players").is_err(),
        "the role's own policy does not"
    );

    let list_only = with(PROD_ROLE, |r| {
        r.policy = Some(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:ListTables","Resource":"*"}}"#.into(),
        );
        r.policy_arns = vec!["arn:aws:iam::222222222222:policy/ProdOperatorBoundary".into()];
    });
    let role = d.assume_with(creds(&base), &list_only).unwrap().credentials;
    assert!(
        d.world.dynamodb_list_tables(creds(&role), NOW).is_ok(),
        "the inline one allows"
    );
    assert!(
        d.scan(&role, "GameScores").is_ok(),
        "the managed one allows"
    );

    for arns in [
        vec!["arn:aws:iam::111111111111:policy/Elsewhere".to_owned()],
        vec!["arn:aws:iam::aws:policy/NoSuchPolicy".to_owned()],
        (0..11)
            .map(|i| format!("arn:aws:iam::aws:policy/P{i}"))
            .collect(),
    ] {
        let r = with(PROD_ROLE, |r| r.policy_arns = arns.clone());
        assert_eq!(
            d.assume_with(creds(&base), &r).unwrap_err().code,
            ErrorCode::ValidationError,
            "{arns:?}"
        );
    }
}
