//! The console's view of a backend: sign in, switch role, read DynamoDB, sign out.
//!
//! Pages and components only ever hold an `Rc<dyn Backend>`; the in-browser mock is one
//! implementation, and HTTP backends (the emulator, any STS endpoint) plug in the same way.

pub mod cancel;
pub mod mock;
pub mod sts;

pub use cancel::{CallScope, Cancel};
pub use crossrole_core::client::federation::FederatedSession;
pub use crossrole_core::mock::DemoUser;

use std::future::Future;
use std::pin::Pin;

use crossrole_core::arn::Arn;
use crossrole_core::clock::Timestamp;
use crossrole_core::link::RoleRef;
use crossrole_core::mock::MockFault;
use crossrole_core::ops::trail::{LookupEvents, LookupPage};
use crossrole_core::ops::{Denial, ErrorCode};
use crossrole_core::validation::{AccountId, AccountRef};
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::world::{Credentials, Item};
use serde::{Deserialize, Serialize};

/// A backend call's future. Backends run on the browser's single thread, so it need not be `Send`.
pub type BackendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BackendError>> + 'a>>;

/// How a backend signs people in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInMethod {
    /// Account, user name and password (the console's own sign-in; the mock).
    Password,
    /// An IAM user's access key (STS GetSessionToken; any STS endpoint).
    AccessKey,
}

/// What a person types to sign in: the fields of the backend's [`SignInMethod`] (the others
/// stay empty). Its `Debug` hides the password, the secret and the MFA code.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SignInForm {
    /// Account id or alias (password sign-in).
    pub account: String,
    /// IAM user name (password sign-in).
    pub user: String,
    /// Password (password sign-in).
    pub password: String,
    /// Access key id (access-key sign-in).
    pub access_key_id: String,
    /// Secret access key (access-key sign-in): used once, then forgotten.
    pub secret_access_key: String,
    /// The MFA device's serial number (access-key sign-in; empty: the user's usual device).
    pub mfa_serial: String,
    /// MFA code, empty when none.
    pub mfa_code: String,
}

impl std::fmt::Debug for SignInForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets never reach a log, a panic message or a test failure's output.
        let hidden = |s: &str| if s.is_empty() { "" } else { "<redacted>" };
        f.debug_struct("SignInForm")
            .field("account", &self.account)
            .field("user", &self.user)
            .field("password", &hidden(&self.password))
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &hidden(&self.secret_access_key))
            .field("mfa_serial", &self.mfa_serial)
            .field("mfa_code", &hidden(&self.mfa_code))
            .finish()
    }
}

/// The signed-in user's session: who they are and the temporary credentials (kept in memory
/// and sessionStorage only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseSession {
    /// The user name.
    pub user: String,
    /// The account as the user named it at sign-in (alias or id).
    pub account_label: String,
    /// The account id.
    pub account_id: AccountId,
    /// The user's ARN.
    pub arn: Arn,
    /// Whether MFA was used at sign-in.
    pub mfa: bool,
    /// The session's credentials.
    pub credentials: Credentials,
}

/// A role session, entered from the base session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleSession {
    /// The account as typed (alias or id).
    pub account: AccountRef,
    /// The role.
    pub role: RoleRef,
    /// The account id the role lives in.
    pub account_id: AccountId,
    /// The assumed-role ARN.
    pub arn: Arn,
    /// The session's credentials.
    pub credentials: Credentials,
}

/// A backend call's failure, for a person to read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// The backend refused: an AWS error code, its message, and what the backend could tell of
    /// the cause.
    #[error("{}", refusal_text(*code, message))]
    Refused {
        /// The AWS error code.
        code: ErrorCode,
        /// The AWS message.
        message: String,
        /// The cause of a denial, when known.
        denial: Option<Denial>,
    },
    /// The backend refused with a code this console does not know.
    #[error("{code}: {message}")]
    Failed {
        /// The code, as the backend wrote it.
        code: String,
        /// The backend's message.
        message: String,
    },
    /// No one is signed in (a call that needs a session was asked for without one).
    #[error("You are not signed in.")]
    NotSignedIn,
    /// The access key belongs to something other than an IAM user; the sentence says whom.
    #[error("{0}")]
    NotAnIamUser(String),
    /// The backend could not be reached or answered nonsense.
    #[error("The backend could not be reached: {0}")]
    Unavailable(String),
    /// The backend did not answer in time.
    #[error("The backend did not answer within {0} seconds. Try again, or check the endpoint.")]
    TimedOut(u32),
    /// The person cancelled the call.
    #[error("Cancelled.")]
    Cancelled,
    /// The backend refused the request's time: this computer's clock is off.
    #[error("The backend refused the request's time: this computer's clock differs from the backend's by more than 15 minutes. Correct the clock and try again.")]
    ClockSkew,
}

impl BackendError {
    /// Whether the credentials used have expired.
    pub fn is_expired(&self) -> bool {
        matches!(
            self,
            BackendError::Refused {
                code: ErrorCode::ExpiredToken,
                ..
            }
        )
    }

    /// Whether the credentials are no longer known (e.g. the session was ended).
    pub fn is_unknown_credentials(&self) -> bool {
        matches!(
            self,
            BackendError::Refused {
                code: ErrorCode::InvalidClientTokenId,
                ..
            }
        )
    }

    /// Whether the backend answered, and the answer was no (a refusal, not an outage, a
    /// timeout, a cancel or a clock to correct): what was asked for will not work as asked.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            BackendError::Refused { .. }
                | BackendError::Failed { .. }
                | BackendError::NotAnIamUser(_)
        )
    }

    /// The failure explained: the cause when known, else the message; for a denial, then what
    /// the person can do next.
    pub fn explanation(&self) -> String {
        let (text, next) = match self {
            BackendError::Refused {
                denial: Some(d), ..
            } => (capitalise(&d.to_string()), Some(d.next_step())),
            other => (other.to_string(), None),
        };
        let text = if text.ends_with('.') {
            text
        } else {
            format!("{text}.")
        };
        match next {
            Some(next) => format!("{text} {next}"),
            None => text,
        }
    }
}

/// A refusal as the person reads it: AWS's message, with the code when the message does not
/// say what was refused (a signature).
fn refusal_text(code: ErrorCode, message: &str) -> String {
    if code.is_signature_fault() {
        format!("{}: {message}", code.query_code())
    } else {
        message.to_owned()
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl From<MockFault> for BackendError {
    fn from(fault: MockFault) -> Self {
        match fault {
            MockFault::Refused(e) => e.into(),
            other => BackendError::Unavailable(other.to_string()),
        }
    }
}

impl From<crossrole_core::ops::ApiError> for BackendError {
    fn from(e: crossrole_core::ops::ApiError) -> Self {
        BackendError::Refused {
            code: e.code,
            message: e.message,
            denial: e.denial,
        }
    }
}

/// A backend the console can run against.
pub trait Backend {
    /// A short name for the About text ("in-browser mock").
    fn name(&self) -> &'static str;

    /// How this backend signs people in.
    fn sign_in_method(&self) -> SignInMethod {
        SignInMethod::Password
    }

    /// Signs in to the console. Each call takes its own [`Cancel`]: backends that answer at
    /// once have nothing to abandon and may ignore it.
    fn sign_in(&self, form: SignInForm, cancel: &Cancel) -> BackendFuture<'_, BaseSession>;

    /// Switches from the base session to `role` in `account`. The console always switches
    /// with the base session, even from another role.
    fn switch_role(
        &self,
        base: &BaseSession,
        account: AccountRef,
        role: RoleRef,
        cancel: &Cancel,
    ) -> BackendFuture<'_, RoleSession>;

    /// Lists the tables of the credentials' account.
    fn list_tables(
        &self,
        credentials: &Credentials,
        cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<String>>;

    /// Reads every item of `table`.
    fn scan(
        &self,
        credentials: &Credentials,
        table: String,
        cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<Item>>;

    /// An IAM call of the console's IAM pages: IAM's XML answer, which the pages read with
    /// `crossrole_core::client`'s readers (`read_roles`, …), whatever the backend.
    fn iam(
        &self,
        credentials: &Credentials,
        request: IamRequest,
        cancel: &Cancel,
    ) -> BackendFuture<'_, String>;

    /// CloudTrail LookupEvents: a page of the audit trail of the credentials' account.
    fn lookup_events(
        &self,
        credentials: &Credentials,
        request: LookupEvents,
        cancel: &Cancel,
    ) -> BackendFuture<'_, LookupPage>;

    /// The region the backend's regional resources (DynamoDB tables) are in, for the ARNs the
    /// administrator's pages write.
    fn region(&self) -> BackendFuture<'_, String>;

    /// Whether the administrator's changes live in this browser (the mock), so that
    /// [`Backend::reset_world`] can forget them. Servers keep their own state.
    fn can_reset_world(&self) -> bool {
        false
    }

    /// Forgets the administrator's changes kept in this browser: the next start (a reload)
    /// is the shipped world.
    fn reset_world(&self) {}

    /// Another tab changed this origin's localStorage (`key`: `None` when it was cleared):
    /// a backend that keeps state there follows it. Servers keep their own state.
    fn other_tab_stored(&self, _key: Option<&str>, _value: Option<&str>) {}

    /// Exchanges a sign-in token of the federation endpoint (the landing page's, from a link
    /// a terminal made) for its console session. Backends without the endpoint say so.
    fn federated_sign_in(
        &self,
        _token: String,
        _destination: String,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, FederatedSession> {
        Box::pin(async {
            Err(BackendError::Failed {
                code: "NotSupported".into(),
                message: "Sign-in links from a terminal work with the emulator backend; this console runs without it. Sign in here instead.".into(),
            })
        })
    }

    /// Ends a session (best effort: the console forgets it either way).
    fn sign_out(&self, credentials: &Credentials);

    /// The demo users to offer on the sign-in page, with their MFA codes at `at`, for
    /// backends that have them.
    fn demo_users(&self, _at: Timestamp) -> BackendFuture<'_, Vec<DemoUser>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// Now, from the browser's clock.
pub fn now() -> Timestamp {
    Timestamp((js_sys::Date::now() / 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::SignInForm;

    /// A form printed with `{:?}` (logs, panics, test output) shows no
    /// password, secret or MFA code.
    #[test]
    fn sign_in_form_debug_hides_secrets() {
        let form = SignInForm {
            account: "example-corp".into(),
            user: "David".into(),
            password: "david-Pa55word!".into(),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            mfa_serial: String::new(),
            mfa_code: "123456".into(),
        };
        let shown = format!("{form:?}");
        for secret in ["david-Pa55word!", "wJalrXUtnFEMI", "123456"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("AKIAIOSFODNN7EXAMPLE") && shown.contains("<redacted>"));
    }
}
