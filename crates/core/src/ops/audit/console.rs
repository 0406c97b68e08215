//! The console's own events: `ConsoleLogin` for every sign-in, succeeded or failed, and
//! `SwitchRole` for every switch made from the console, both from `signin.amazonaws.com` with
//! `eventType` `AwsConsoleSignIn` (CloudTrail User Guide, "AWS Management Console sign-in
//! events"; IAM User Guide, "Example sign-in events in CloudTrail log").

use rand_core::RngCore;
use serde_json::{json, Value};

use super::{console_login_result, Recorded};
use crate::arn::unique_id;
use crate::clock::Timestamp;
use crate::ops::{ApiError, AssumeRole, Issued, Origin, Presented};
use crate::validation::{AccountId, AccountRef};
use crate::world::trail::{Json, UserIdentity};
use crate::world::World;

/// What CloudTrail writes for a user name that does not exist (IAM User Guide: "AWS does not
/// log the entered IAM user name text when the sign-in failure is caused by an incorrect user
/// name").
pub const HIDDEN_USER_NAME: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

impl World {
    /// Console sign-in: account (id or alias), user name, password and, when the user has an
    /// MFA device, optionally its current code. A code proves MFA for the whole console
    /// session (`aws:MultiFactorAuthPresent`). Any wrong account, user or password gives the
    /// same answer, so sign-in reveals nothing about which was wrong.
    ///
    /// Recorded as `ConsoleLogin` in the account signed in to (not when no account matches:
    /// there is no trail to write to), from an unknown address.
    pub fn console_sign_in(
        &mut self,
        rng: &mut dyn RngCore,
        account: &str,
        user: &str,
        password: &str,
        mfa_code: Option<&str>,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        self.console_sign_in_from(
            rng,
            &Origin::default(),
            account,
            user,
            password,
            mfa_code,
            now,
        )
    }

    /// [`World::console_sign_in`] from `origin` (the address and user agent it records).
    #[allow(clippy::too_many_arguments)]
    pub fn console_sign_in_from(
        &mut self,
        rng: &mut dyn RngCore,
        origin: &Origin,
        account: &str,
        user: &str,
        password: &str,
        mfa_code: Option<&str>,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let issued = self.console_sign_in_unrecorded(rng, account, user, password, mfa_code, now);
        let Some(account) = AccountRef::parse(account.trim())
            .ok()
            .and_then(|r| self.resolve(&r))
            .map(|a| a.id.clone())
        else {
            return issued;
        };
        let identity = self.signing_in(&account, user.trim());
        let mfa_used = issued.is_ok() && mfa_code.is_some_and(|c| !c.trim().is_empty());
        let mut call = Recorded::api("signin.amazonaws.com", "ConsoleLogin", false, &self.region);
        call.event_type = "AwsConsoleSignIn";
        call.response_elements = console_login_result(issued.is_ok());
        call.additional = Some(Json::of(&json!({
            "LoginTo": "/",
            "MobileVersion": "No",
            "MFAUsed": if mfa_used { "Yes" } else { "No" },
        })));
        // AWS says only "Failed authentication", whatever was wrong.
        let failed = ApiError::new(
            crate::fault::ErrorCode::AccessDenied,
            "Failed authentication",
        );
        let outcome = issued.as_ref().map(drop).map_err(|_| &failed);
        self.record(rng, identity, origin, call, outcome, None, now);
        issued
    }

    /// Who is signing in to `account` as `user`: the user, or a hidden name when the account
    /// has no such user.
    fn signing_in(&self, account: &AccountId, user: &str) -> UserIdentity {
        match self.account(account).and_then(|a| a.user(user)) {
            Some(u) => {
                let arn = crate::world::Identity::User {
                    account: account.clone(),
                    name: u.name.clone(),
                }
                .arn(self)
                .to_string();
                UserIdentity {
                    kind: "IAMUser".into(),
                    principal_id: Some(unique_id("AIDA", &arn)),
                    arn: Some(arn),
                    account_id: account.to_string(),
                    user_name: Some(u.name.to_string()),
                    ..UserIdentity::default()
                }
            }
            None => UserIdentity {
                kind: "IAMUser".into(),
                account_id: account.to_string(),
                user_name: Some(HIDDEN_USER_NAME.to_owned()),
                ..UserIdentity::default()
            },
        }
    }

    /// The console's Switch Role: AssumeRole with the base session (recorded as AssumeRole),
    /// then `SwitchRole` recorded in both accounts with one shared id, saying from whom to
    /// which role and whether it worked.
    pub fn console_switch_role(
        &mut self,
        rng: &mut dyn RngCore,
        presented: Presented<'_>,
        request: &AssumeRole,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let issued = self.sts_assume_role(rng, presented, request, now);
        self.record_issued(rng, presented, issued, now, |world, issued| {
            let mut call =
                Recorded::api("signin.amazonaws.com", "SwitchRole", false, &world.region);
            call.event_type = "AwsConsoleSignIn";
            call.response_elements = Json::of(&json!({
                "SwitchRole": if issued.is_ok() { "Success" } else { "Failure" }
            }));
            let from = world
                .authenticate(presented, now)
                .ok()
                .map(|c| c.identity.arn(world).to_string());
            call.additional = Some(Json::of(&json!({
                "SwitchFrom": from.map_or(Value::Null, Value::from),
                "SwitchTo": request.role_arn,
                "RedirectTo": "/",
            })));
            let (resources, role_account) = super::role_named(&request.role_arn);
            call.resources = resources;
            (call, role_account)
        })
    }
}
