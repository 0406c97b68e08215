//! What the mock answers: a reply to each call, and its faults.

use super::*;

/// Why the mock did not answer a call.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MockFault {
    /// The engine refused, as AWS would.
    #[error(transparent)]
    Refused(ApiError),
    /// The world file is not a world.
    #[error("{0}")]
    BadWorld(String),
    /// A call came before the world was loaded, or after it failed to load.
    #[error("the in-browser mock has no world loaded")]
    NotStarted,
    /// The two halves were built from different versions.
    #[error(
        "the in-browser mock is from another version of crossrole (protocol {0}); reload the page"
    )]
    OtherVersion(u32),
    /// The call or the answer could not be read.
    #[error("the in-browser mock could not read a message: {0}")]
    Unreadable(String),
    /// The worker stopped, or never started (its files missing, a crash): the page's side says
    /// so, since the worker cannot.
    #[error("the in-browser mock stopped: {0}")]
    Stopped(String),
}

impl From<ApiError> for MockFault {
    fn from(e: ApiError) -> Self {
        MockFault::Refused(e)
    }
}

/// An answer as sent back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MockReply {
    /// The request's id (0 when it could not be read).
    pub id: u64,
    /// The answer, or why there is none.
    pub result: Result<MockAnswer, MockFault>,
    /// The sessions after a call that may change them, for the console to keep across reloads
    /// (a worker has no sessionStorage). Text the page stores as it is and never reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<Box<RawValue>>,
    /// The world's roles, groups and policies after a call that changed them (an
    /// `IamState`, which holds no secret), for the console to keep in localStorage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<Box<RawValue>>,
    /// The audit records the call added (a JSON list; they hold no secret), for the console
    /// to keep with the trail it gives back at the next start ([`KeptTrail`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<Box<RawValue>>,
}

impl MockReply {
    /// The worker's first message: it is listening.
    pub fn ready() -> String {
        MockReply {
            id: 0,
            result: Ok(MockAnswer::Ready),
            sessions: None,
            iam: None,
            recorded: None,
        }
        .to_text()
    }

    /// The sessions the reply carries, read.
    pub fn sessions(&self) -> Option<Sessions> {
        serde_json::from_str(self.sessions.as_ref()?.get()).ok()
    }

    /// Reads a reply.
    pub fn from_text(text: &str) -> Result<MockReply, MockFault> {
        serde_json::from_str(text).map_err(|e| MockFault::Unreadable(e.to_string()))
    }

    /// The reply as sent.
    pub fn to_text(&self) -> String {
        // Every field is plain data (strings, numbers, maps with string keys): writing it cannot
        // fail, but a reply is still written rather than lost if it ever did.
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(
                r#"{{"id":{},"result":{{"Err":{{"fault":"unreadable","detail":{}}}}}}}"#,
                self.id,
                serde_json::Value::String(e.to_string())
            )
        })
    }
}
