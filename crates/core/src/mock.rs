//! The in-browser mock's protocol: the console's calls to the engine and the engine's answers,
//! as JSON text.
//!
//! Text, because the engine runs in a Web Worker: the policy engine, the world and its JSON
//! stay out of the console's first download and off the page's thread, and a console served
//! with an HTTP backend never downloads them at all. The browser tests run the same
//! [`MockHost`] in the page, through the same text, so both paths run the same code.

use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::clock::Timestamp;
use crate::endpoint::EXPIRED_GRACE_SECONDS;
use crate::link::RoleRef;
use crate::ops::AssumeRole;
use crate::ops::{ApiError, Issued, Presented};
use crate::validation::AccountRef;
use crate::wire::dynamodb::DynamoRequest;
use crate::world::Sessions;
use crate::world::{demo_world, Credentials, Item, World};

mod call;
pub use call::*;
mod kept_trail;
mod reply;
mod trail_text;
pub use kept_trail::KeptTrail;
pub use reply::*;

/// The protocol's version: both halves are built from one source, and a worker file cached
/// from another build says so instead of misreading calls.
pub const PROTOCOL: u32 = 6;

/// How many audit events the mock keeps (the page keeps them in its session storage, which is
/// small).
pub const MOCK_TRAIL_MAX: usize = 300;

/// A user the mock offers on the sign-in page's "Demo accounts" panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoUser {
    /// The account's alias, or its id.
    pub account: String,
    /// The user name.
    pub user: String,
    /// The password (demo values only).
    pub password: String,
    /// The user's MFA code at the time asked, if the user has a device.
    pub mfa_code: Option<String>,
}

/// The mock's answer to a [`MockCall`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MockAnswer {
    /// The worker is listening (sent once, unasked, with id 0).
    Ready,
    /// The world is loaded.
    Started,
    /// A session was issued (sign-in, switch role).
    Issued(Issued),
    /// The tables' names.
    Tables(Vec<String>),
    /// The table's items.
    Items(Vec<Item>),
    /// The session is ended.
    SignedOut,
    /// The demo users.
    DemoUsers(Vec<DemoUser>),
    /// The simulator's results.
    Evaluation(Vec<crate::ops::simulate::EvaluationResult>),
    /// IAM's XML answer.
    Iam(String),
    /// CloudTrail's JSON answer.
    CloudTrail(String),
    /// The world's region.
    Region(String),
    /// The world took another tab's administrator's changes.
    Followed,
}

/// A call as sent: its id (the answer carries it back), the console's time, the call.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MockRequest {
    /// Chosen by the console, never 0 (the unasked [`MockAnswer::Ready`] has id 0).
    pub id: u64,
    /// The console's clock: the engine never reads one.
    pub now: Timestamp,
    /// The call.
    pub call: MockCall,
}

impl MockRequest {
    /// The request as sent.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The engine's side: holds the world, answers requests.
#[derive(Debug, Default)]
pub struct MockHost {
    world: Option<World>,
    /// The world's IAM as loaded, before any kept change: what a reset in another tab
    /// brings back.
    shipped: Option<crate::world::IamState>,
    /// Where calls come from, as far as policies can tell.
    origin: crate::ops::Origin,
    /// The trail's records kept from before a reload, until the trail is read.
    trail_text: trail_text::TrailText,
}

impl MockHost {
    /// A host with no world yet (the first call is [`MockCall::Start`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers one request's text with the reply's text.
    pub fn handle(&mut self, rng: &mut dyn RngCore, text: &str) -> String {
        let reply = match serde_json::from_str::<MockRequest>(text) {
            Ok(request) => self.answer(rng, request),
            Err(e) => MockReply {
                id: request_id(text),
                result: Err(MockFault::Unreadable(e.to_string())),
                sessions: None,
                iam: None,
                recorded: None,
            },
        };
        reply.to_text()
    }

    /// Answers one request.
    pub fn answer(&mut self, rng: &mut dyn RngCore, request: MockRequest) -> MockReply {
        let changes = request.call.changes_sessions();
        let changes_iam = request.call.changes_iam();
        if let MockCall::CloudTrail { credentials, .. } = &request.call {
            self.read_kept_trail(credentials, request.now);
        }
        let newest = self
            .world
            .as_ref()
            .and_then(|w| trail_text::newest(&w.live.trail));
        let result = self.run(rng, request.call, request.now);
        MockReply {
            recorded: self
                .world
                .as_ref()
                .and_then(|w| trail_text::recorded_since(&w.live.trail, newest)),
            id: request.id,
            sessions: match (&self.world, changes && result.is_ok()) {
                (Some(world), true) => serde_json::value::to_raw_value(&world.live.sessions).ok(),
                _ => None,
            },
            iam: match (&self.world, changes_iam && result.is_ok()) {
                (Some(world), true) => serde_json::value::to_raw_value(&world.iam_state()).ok(),
                _ => None,
            },
            result,
        }
    }

    /// Puts the records kept from before a reload back in the trail, ahead of those recorded
    /// since, and forgets those older than CloudTrail keeps at `now`: before a lookup by a
    /// caller who may look up (the console asks on every page, and most are refused).
    fn read_kept_trail(&mut self, credentials: &Credentials, now: Timestamp) {
        let Some(world) = &mut self.world else {
            return;
        };
        if self.trail_text.has_unread()
            && world.cloudtrail_may_look_up(presented(credentials, &self.origin), now)
        {
            world.live.trail.restore(self.trail_text.read_kept());
            world.live.trail.expire(now);
        }
    }

    fn run(
        &mut self,
        rng: &mut dyn RngCore,
        call: MockCall,
        now: Timestamp,
    ) -> Result<MockAnswer, MockFault> {
        if let MockCall::Start {
            protocol,
            world,
            sessions,
            source_ip,
            iam,
            trail,
        } = call
        {
            self.origin.source_ip = source_ip;
            if protocol != PROTOCOL {
                return Err(MockFault::OtherVersion(PROTOCOL));
            }
            let mut world = match world {
                None => demo_world(),
                Some(text) => {
                    World::from_json(&text).map_err(|e| MockFault::BadWorld(e.to_string()))?
                }
            };
            // Sessions that no longer read (another version's, tampered with) are dropped: the
            // tab is signed out, as if they had expired.
            if let Some(sessions) = sessions.and_then(|s| serde_json::from_str(s.get()).ok()) {
                world.live.sessions = sessions;
            }
            self.shipped = Some(world.iam_state());
            // Kept changes that no longer fit the world (another world file, tampered with)
            // are dropped whole: the world starts as shipped.
            if let Some(state) = iam.and_then(|s| serde_json::from_str(s.get()).ok()) {
                let _ = world.restore_iam(state);
            }
            world.live.trail = crate::world::trail::Trail::with_max(MOCK_TRAIL_MAX);
            // Kept as text until the trail is read (and expired then).
            self.trail_text.keep(trail);
            world.purge_expired(now, EXPIRED_GRACE_SECONDS);
            self.world = Some(world);
            return Ok(MockAnswer::Started);
        }
        let world = self.world.as_mut().ok_or(MockFault::NotStarted)?;
        if let MockCall::FollowIam { iam } = call {
            // Changes that do not read or fit (tampered with) leave the world as it is.
            let state = match iam {
                Some(text) => serde_json::from_str(text.get()).ok(),
                None => self.shipped.clone(),
            };
            if let Some(state) = state {
                let _ = world.restore_iam(state);
            }
            return Ok(MockAnswer::Followed);
        }
        let origin = &self.origin;
        let presented = |c| presented(c, origin);
        Ok(match call {
            MockCall::Start { .. } | MockCall::FollowIam { .. } => {
                unreachable!("answered above")
            }
            MockCall::SignIn {
                account,
                user,
                password,
                mfa_code,
            } => MockAnswer::Issued(world.console_sign_in_from(
                rng,
                origin,
                &account,
                &user,
                &password,
                mfa_code.as_deref(),
                now,
            )?),
            MockCall::SwitchRole {
                credentials,
                account,
                role,
                session_name,
            } => {
                let request = AssumeRole {
                    role_arn: world.role_arn(&account, &role)?,
                    role_session_name: session_name,
                    // The console asks for no duration: the switch lasts the default hour.
                    ..Default::default()
                };
                MockAnswer::Issued(world.console_switch_role(
                    rng,
                    presented(&credentials),
                    &request,
                    now,
                )?)
            }
            MockCall::ListTables { credentials } => {
                let answered = world.dynamodb_list_tables(presented(&credentials), now);
                let call = DynamoRequest::ListTables.audit_record(&world.region);
                let outcome = answered.as_ref().map(drop);
                world.record_if_refused(rng, presented(&credentials), || call, outcome, now);
                MockAnswer::Tables(answered?)
            }
            MockCall::Scan { credentials, table } => {
                let answered = world.dynamodb_scan(presented(&credentials), &table, now);
                let call = DynamoRequest::Scan {
                    table,
                    projection: Default::default(),
                }
                .audit_record(&world.region);
                let outcome = answered.as_ref().map(drop);
                world.record_if_refused(rng, presented(&credentials), || call, outcome, now);
                MockAnswer::Items(answered?)
            }
            MockCall::SignOut { access_key_id } => {
                world.end_session(&access_key_id);
                MockAnswer::SignedOut
            }
            MockCall::DemoUsers => MockAnswer::DemoUsers(demo_users(world, now)),
            MockCall::Region => MockAnswer::Region(world.region.clone()),
            MockCall::Iam { credentials, form } => {
                let request =
                    crate::wire::iam::IamRequest::from_params(&crate::wire::query_params(&form))
                        .map_err(|e| {
                            ApiError::new(crate::fault::ErrorCode::ValidationError, e.to_string())
                        })?;
                let mut id = [0u8; 16];
                rng.fill_bytes(&mut id);
                let request_id = data_encoding::HEXLOWER.encode(&id);
                MockAnswer::Iam(crate::endpoint::iam(
                    world,
                    rng,
                    presented(&credentials),
                    request,
                    now,
                    &request_id,
                )?)
            }
            MockCall::CloudTrail { credentials, body } => {
                let request = crate::wire::cloudtrail::parse_request("LookupEvents", &body)
                    .map_err(|e| {
                        ApiError::new(crate::fault::ErrorCode::ValidationError, e.to_string())
                    })?;
                let page =
                    world.cloudtrail_lookup_events(presented(&credentials), &request, now)?;
                MockAnswer::CloudTrail(crate::wire::cloudtrail::lookup_events_response(&page))
            }
            MockCall::Simulate {
                credentials,
                source,
                simulation,
            } => MockAnswer::Evaluation(match source {
                Some(source) => world.iam_simulate_principal_policy(
                    presented(&credentials),
                    &source,
                    &simulation,
                    now,
                )?,
                None => {
                    world.iam_simulate_custom_policy(presented(&credentials), &simulation, now)?
                }
            }),
        })
    }
}

/// The id of a request that could not be read as a whole, so that its caller still hears back.
fn request_id(text: &str) -> u64 {
    #[derive(Deserialize)]
    struct JustTheId {
        id: u64,
    }
    serde_json::from_str::<JustTheId>(text).map_or(0, |r| r.id)
}

fn presented<'a>(c: &'a Credentials, origin: &'a crate::ops::Origin) -> Presented<'a> {
    Presented {
        access_key_id: &c.access_key_id,
        secret: Some(c.secret_access_key.expose()),
        session_token: Some(c.session_token.expose()),
        origin: Some(origin),
    }
}

/// The world's users that have a password, labelled by their account's alias (else its id),
/// with their MFA code at `at`.
fn demo_users(world: &World, at: Timestamp) -> Vec<DemoUser> {
    world
        .accounts
        .iter()
        .flat_map(|account| {
            let label = account
                .alias
                .as_ref()
                .map_or_else(|| account.id.to_string(), |a| a.to_string());
            account.users.iter().filter_map(move |user| {
                Some(DemoUser {
                    account: label.clone(),
                    user: user.name.to_string(),
                    password: user.password.as_ref()?.expose().to_owned(),
                    mfa_code: user.mfa.as_ref().map(|d| d.totp().code_at(at)),
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
