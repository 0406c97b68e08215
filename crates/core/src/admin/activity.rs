//! The Activity page's rows: the audit trail's records said as a person reads them (who, did
//! what, with MFA or not, from where, allowed or refused and why), and its filters: by person
//! (LookupEvents' `Username`, asked of the server), by role and by outcome (kept or dropped
//! here, within the page the server gave).

use crate::arn::Arn;
use crate::ops::trail::{LookupAttribute, LookupEvents};
use crate::validation::AccountId;
use crate::world::trail::TrailEvent;

/// One record, as the Activity page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRow {
    /// The record's id (the row's key).
    pub event_id: String,
    /// When (ISO 8601, UTC).
    pub when: String,
    /// Who: a user, a role session, or another account's principal.
    pub who: String,
    /// What they did.
    pub what: String,
    /// Whether MFA was used (sign-ins and switches); `None` when the record does not say.
    pub mfa: Option<bool>,
    /// Where from (the client's address).
    pub from: String,
    /// Why it was refused, when it was.
    pub refused: Option<String>,
    /// The role it concerned, if any (its ARN).
    pub role_arn: Option<String>,
    /// The role session's name asked for (AssumeRole), if any.
    pub session: Option<String>,
}

/// A role ARN as a person reads it: `AccessToProdDynamoDB in 2222-2222-2222`.
fn role_words(arn: &str) -> String {
    match arn.parse::<Arn>() {
        Ok(Arn::Role { account, name, .. }) => format!("{name} in {}", account.grouped()),
        _ => arn.to_owned(),
    }
}

fn grouped(account: &str) -> String {
    AccountId::parse(account).map_or_else(|_| account.to_owned(), |a| a.grouped())
}

impl ActivityRow {
    /// The row of `event`.
    pub fn of(event: &TrailEvent) -> Self {
        let identity = &event.user_identity;
        let who = match (identity.kind.as_ref(), event.username()) {
            ("AWSAccount", _) => format!("someone in account {}", grouped(&identity.account_id)),
            ("AssumedRole", Some(session)) => {
                let role = identity
                    .session_context
                    .as_ref()
                    .and_then(|c| c.session_issuer.as_ref())
                    .map_or_else(String::new, |i| format!(" (role {})", i.user_name));
                format!("{session}{role}")
            }
            (_, Some(name)) => name,
            (_, None) => format!("account {}", grouped(&identity.account_id)),
        };
        let role_arn = event
            .resources
            .iter()
            .find(|r| r.kind == "AWS::IAM::Role")
            .map(|r| r.arn.clone());
        let role = role_arn.as_deref().map(role_words).unwrap_or_default();
        let params = event.request_parameters.value();
        let table = params["tableName"].as_str();
        let what = match &*event.event_name {
            "ConsoleLogin" => "Signed in to the console".to_owned(),
            "SwitchRole" => format!("Switched role in the console to {role}"),
            "AssumeRole" => format!("Assumed role {role}"),
            "GetSessionToken" => "Got a session token".to_owned(),
            name => match table {
                Some(t) => format!("{name} on table {t}"),
                None => format!(
                    "{name} ({})",
                    event.event_source.trim_end_matches(".amazonaws.com")
                ),
            },
        };
        let extra = |k: &str| {
            event
                .additional_event_data
                .as_ref()
                .and_then(|d| d.value()[k].as_str().map(str::to_owned))
        };
        let mfa = match &*event.event_name {
            "ConsoleLogin" => extra("MFAUsed").map(|m| m == "Yes"),
            _ => identity
                .session_context
                .as_ref()
                .map(|c| c.attributes.mfa_authenticated == "true"),
        };
        let refused = event.error_code.as_ref().map(|code| {
            event
                .error_message
                .as_deref()
                .filter(|m| !m.is_empty())
                .unwrap_or(code)
                .to_owned()
        });
        let session = params["roleSessionName"].as_str().map(str::to_owned);
        Self {
            session,
            event_id: event.event_id.to_string(),
            when: event.event_time.to_iso8601(),
            who,
            what,
            mfa,
            from: event.source_ip_address.to_string(),
            refused,
            role_arn,
        }
    }
}

/// The LookupEvents request for a role's recent sessions: the events naming it.
pub fn sessions_request(role_arn: &str) -> LookupEvents {
    LookupEvents {
        attributes: vec![LookupAttribute {
            key: "ResourceName".into(),
            value: role_arn.to_owned(),
        }],
        max_results: Some(ACTIVITY_PAGE),
        ..LookupEvents::default()
    }
}

/// A role's recent sessions, newest first, from the events naming it: its AssumeRole calls,
/// allowed or refused, at most `max`.
pub fn recent_sessions(events: &[TrailEvent], max: usize) -> Vec<ActivityRow> {
    events
        .iter()
        .filter(|e| &*e.event_name == "AssumeRole")
        .take(max)
        .map(ActivityRow::of)
        .collect()
}

/// Which outcomes the page shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    /// Every event.
    #[default]
    All,
    /// Only what was allowed.
    Allowed,
    /// Only what was refused.
    Refused,
}

impl Outcome {
    /// The URL's spelling (`refused`), and back.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::All => "all",
            Outcome::Allowed => "allowed",
            Outcome::Refused => "refused",
        }
    }

    /// The outcome a URL's `outcome=` names (anything else: every event).
    pub fn parse(text: &str) -> Outcome {
        match text {
            "allowed" => Outcome::Allowed,
            "refused" => Outcome::Refused,
            _ => Outcome::All,
        }
    }
}

/// The Activity page's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// A person: their user name or role session name (asked of the server).
    pub person: Option<String>,
    /// A role, by name or ARN.
    pub role: Option<String>,
    /// Allowed, refused or both.
    pub outcome: Outcome,
}

/// How many events one page asks for.
pub const ACTIVITY_PAGE: i64 = 50;

/// The Activity page's path.
pub const ACTIVITY_PATH: &str = "/activity";

impl ActivityFilter {
    /// The filter a URL's query names (`person`, `role`, `outcome`; blank ones ignored).
    pub fn from_query(query: &str) -> Self {
        let text = |key| {
            crate::link::query_param(query, key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            person: text("person"),
            role: text("role"),
            outcome: crate::link::query_param(query, "outcome")
                .map_or(Outcome::All, |o| Outcome::parse(&o)),
        }
    }

    /// The Activity page's path with this filter in its query.
    pub fn path(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(p) = &self.person {
            query.append_pair("person", p);
        }
        if let Some(r) = &self.role {
            query.append_pair("role", r);
        }
        if self.outcome != Outcome::All {
            query.append_pair("outcome", self.outcome.as_str());
        }
        let query = query.finish();
        if query.is_empty() {
            ACTIVITY_PATH.to_owned()
        } else {
            format!("{ACTIVITY_PATH}?{query}")
        }
    }

    /// The LookupEvents request for the page after `token` (the first without one).
    pub fn request(&self, token: Option<String>) -> LookupEvents {
        LookupEvents {
            attributes: self
                .person
                .iter()
                .map(|p| LookupAttribute {
                    key: "Username".into(),
                    value: p.trim().to_owned(),
                })
                .collect(),
            max_results: Some(ACTIVITY_PAGE),
            next_token: token,
            ..LookupEvents::default()
        }
    }

    /// Whether `row` passes the filters the page applies itself (role and outcome).
    pub fn keeps(&self, row: &ActivityRow) -> bool {
        let outcome = match self.outcome {
            Outcome::All => true,
            Outcome::Allowed => row.refused.is_none(),
            Outcome::Refused => row.refused.is_some(),
        };
        let role = self.role.as_deref().map(str::trim).is_none_or(|wanted| {
            row.role_arn
                .as_deref()
                .is_some_and(|arn| arn == wanted || arn.rsplit('/').next() == Some(wanted))
        });
        outcome && role
    }
}

#[cfg(test)]
mod tests;
