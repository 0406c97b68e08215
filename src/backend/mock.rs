//! The in-browser mock: `crates/core`'s world and operations, run in the page itself.
//!
//! Its sessions are the mock's "server state"; they are kept in sessionStorage (temporary
//! credentials may live there) so that a reload keeps the tab's session, as a real backend
//! would.

use std::cell::RefCell;

use crossrole_core::clock::Timestamp;
use crossrole_core::link::RoleRef;
use crossrole_core::ops::Presented;
use crossrole_core::service::EXPIRED_GRACE_SECONDS;
use crossrole_core::sessions::Sessions;
use crossrole_core::validation::AccountRef;
use crossrole_core::wire::AssumeRole;
use crossrole_core::world::{Credentials, Item, World};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

use super::{
    now, Backend, BackendError, BackendFuture, BaseSession, Cancel, DemoUser, RoleSession,
    SignInForm,
};
use crate::storage;

/// The sessionStorage key for the mock's live sessions.
const SESSIONS_KEY: &str = "crossrole.mock.sessions.v1";

/// The in-browser mock backend.
pub struct MockBackend {
    world: RefCell<World>,
    rng: RefCell<ChaCha20Rng>,
}

fn presented(c: &Credentials) -> Presented<'_> {
    Presented {
        access_key_id: &c.access_key_id,
        secret: Some(c.secret_access_key.expose()),
        session_token: Some(c.session_token.expose()),
    }
}

impl MockBackend {
    /// A mock over `world`, with the sessions this tab had before a reload.
    pub fn new(mut world: World) -> Self {
        if let Ok(Some(sessions)) = storage::session_get::<Sessions>(SESSIONS_KEY) {
            world.sessions = sessions;
        }
        world.purge_expired(now(), EXPIRED_GRACE_SECONDS);
        let mut seed = [0u8; 32];
        // Without the browser's random source there is no safe fallback for credentials.
        getrandom::getrandom(&mut seed).expect("the browser provides crypto.getRandomValues");
        Self {
            world: RefCell::new(world),
            rng: RefCell::new(ChaCha20Rng::from_seed(seed)),
        }
    }

    fn persist(&self) {
        let _ = storage::session_set(SESSIONS_KEY, &self.world.borrow().sessions);
    }
}

impl Backend for MockBackend {
    fn name(&self) -> &'static str {
        "in-browser mock"
    }

    fn sign_in(&self, form: SignInForm, _cancel: &Cancel) -> BackendFuture<'_, BaseSession> {
        Box::pin(async move {
            let code = Some(form.mfa_code.trim()).filter(|c| !c.is_empty());
            let issued = self.world.borrow_mut().console_sign_in(
                &mut *self.rng.borrow_mut(),
                &form.account,
                &form.user,
                &form.password,
                code,
                now(),
            )?;
            self.persist();
            Ok(BaseSession {
                user: form.user.trim().to_owned(),
                account_label: form.account.trim().to_owned(),
                account_id: issued.arn.account().clone(),
                arn: issued.arn,
                mfa: code.is_some(),
                credentials: issued.credentials,
            })
        })
    }

    fn switch_role(
        &self,
        base: &BaseSession,
        account: AccountRef,
        role: RoleRef,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, RoleSession> {
        let base = base.clone();
        Box::pin(async move {
            let request = AssumeRole {
                role_arn: self.world.borrow().role_arn(&account, &role)?,
                role_session_name: base.user.clone(),
                duration: None,
            };
            let issued = self.world.borrow_mut().sts_assume_role(
                &mut *self.rng.borrow_mut(),
                presented(&base.credentials),
                &request,
                now(),
            )?;
            self.persist();
            Ok(RoleSession {
                account,
                role,
                account_id: issued.arn.account().clone(),
                arn: issued.arn,
                credentials: issued.credentials,
            })
        })
    }

    fn list_tables(
        &self,
        credentials: &Credentials,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<String>> {
        let result = self
            .world
            .borrow()
            .dynamodb_list_tables(presented(credentials), now());
        Box::pin(async move { result.map_err(BackendError::from) })
    }

    fn scan(
        &self,
        credentials: &Credentials,
        table: String,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<Item>> {
        let result = self
            .world
            .borrow()
            .dynamodb_scan(presented(credentials), &table, now());
        Box::pin(async move { result.map_err(BackendError::from) })
    }

    fn sign_out(&self, credentials: &Credentials) {
        self.world
            .borrow_mut()
            .end_session(&credentials.access_key_id);
        self.persist();
    }

    fn demo_users(&self, at: Timestamp) -> Vec<DemoUser> {
        let world = self.world.borrow();
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
}
