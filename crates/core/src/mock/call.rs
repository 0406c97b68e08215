//! The console's calls to the mock: what each carries, and what answering it may change.

use super::*;

/// A call from the console to the mock.
///
/// Enums here are externally tagged (serde's default): read without buffering, which keeps
/// the console's side of the protocol small.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum MockCall {
    /// The first call: load `world` (JSON text; `None`: the demo world) and the sessions this
    /// tab had before a reload.
    Start {
        /// The console's [`PROTOCOL`].
        protocol: u32,
        /// The world file's text, or `None` for the shipped demo world.
        world: Option<String>,
        /// The sessions kept from before a reload, as the last reply wrote them (the page
        /// keeps them as text; sessions that no longer read are dropped, not fatal).
        sessions: Option<Box<RawValue>>,
        /// The address every call comes from (`aws:SourceIp`), when configured.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_ip: Option<std::net::IpAddr>,
        /// The administrator's changes kept from before (an `IamState`, as a reply wrote it;
        /// one that no longer fits the world is dropped).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        iam: Option<Box<RawValue>>,
        /// The audit trail kept from before a reload ([`KeptTrail`]), read only when the trail
        /// is (records that no longer read are left out then).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trail: Option<Box<RawValue>>,
    },
    /// Another tab kept its administrator's changes (`Some`: an `IamState`, as a reply wrote
    /// it) or reset them (`None`): this tab's world takes them, so that its next change builds
    /// on them instead of overwriting them with what this tab started from.
    FollowIam {
        /// The kept changes, or `None` for the world as shipped.
        iam: Option<Box<RawValue>>,
    },
    /// The console's sign-in with a password.
    SignIn {
        /// Account id or alias, as typed.
        account: String,
        /// IAM user name.
        user: String,
        /// Password.
        password: String,
        /// MFA code, when one was typed.
        mfa_code: Option<String>,
    },
    /// Switch role: AssumeRole with the base session's credentials.
    SwitchRole {
        /// The base session's credentials.
        credentials: Credentials,
        /// The account, id or alias.
        account: AccountRef,
        /// The role.
        role: RoleRef,
        /// The role session's name (the user's name, as the console does).
        session_name: String,
    },
    /// DynamoDB ListTables.
    ListTables {
        /// The caller's credentials.
        credentials: Credentials,
    },
    /// DynamoDB Scan of a whole table.
    Scan {
        /// The caller's credentials.
        credentials: Credentials,
        /// The table's name.
        table: String,
    },
    /// Ends a session.
    SignOut {
        /// The session's access key id.
        access_key_id: String,
    },
    /// The world's users that have passwords, with their MFA codes at the call's time.
    DemoUsers,
    /// The region the world's regional resources (its tables) live in.
    Region,
    /// An IAM call of the console's IAM pages, as its Query form (`IamRequest::to_form`);
    /// answered with IAM's XML, which the console reads with `crate::client`'s readers, as
    /// from the emulator.
    Iam {
        /// The caller's credentials.
        credentials: Credentials,
        /// The request's form.
        form: String,
    },
    /// CloudTrail LookupEvents, as its JSON body; answered with CloudTrail's JSON, which the
    /// console reads with `crate::client::read_lookup_events`, as from the emulator.
    CloudTrail {
        /// The caller's credentials.
        credentials: Credentials,
        /// The request's JSON body.
        body: String,
    },
    /// IAM's policy simulator, for the console to explain a decision before anyone acts:
    /// SimulatePrincipalPolicy for `source` (a user, group or role ARN), else
    /// SimulateCustomPolicy.
    Simulate {
        /// The caller's credentials (it needs the simulator's permission, as in IAM).
        credentials: Credentials,
        /// The principal to simulate, or `None` for the given policies alone.
        source: Option<String>,
        /// The actions, resources, context and policies.
        simulation: crate::ops::simulate::Simulation,
    },
}

impl MockCall {
    /// Whether answering may change the world's IAM (the console then keeps its state).
    pub(super) fn changes_iam(&self) -> bool {
        match self {
            MockCall::Iam { form, .. } => {
                crate::wire::iam::IamRequest::from_params(&crate::wire::query_params(form))
                    .is_ok_and(|r| r.changes_world())
            }
            _ => false,
        }
    }

    /// Whether answering may change the sessions (the console then keeps the new ones).
    pub(super) fn changes_sessions(&self) -> bool {
        matches!(
            self,
            MockCall::Start { .. }
                | MockCall::SignIn { .. }
                | MockCall::SwitchRole { .. }
                | MockCall::SignOut { .. }
        )
    }
}
