//! The console's runtime configuration, `config.json` beside `index.html`: which backend one
//! build runs on. The console reads it; the emulator writes it when it serves the console.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::validation::AccountId;
use crate::world::World;

/// `config.json`: `{"backend": "mock"}`, optionally with `"world": "/my-world.json"` and
/// `"sourceIp": "203.0.113.7"` (the mock's `aws:SourceIp`); or
/// `{"backend": "sts", "endpoint": "/", "region": "us-west-2"}`, optionally with `"aliases"`
/// (alias → account id) and `"timeoutSeconds"`. Either may name `"catalog"`: a same-site path
/// to a team's role catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "lowercase", deny_unknown_fields)]
pub enum RuntimeConfig {
    /// The in-browser mock, over the demo world or the world file at a same-origin path.
    Mock {
        /// A same-origin path to a world file; the demo world when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        world: Option<String>,
        /// The address the mock's requests come from (`aws:SourceIp`), to try policies that
        /// read it; absent when not given (the mock has no network).
        #[serde(default, rename = "sourceIp", skip_serializing_if = "Option::is_none")]
        source_ip: Option<std::net::IpAddr>,
        /// A same-site path to the team's role catalog (`~/.aws/config` or AESR format),
        /// merged read-only beneath each person's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        catalog: Option<String>,
    },
    /// An endpoint speaking the AWS wire protocols (the emulator, moto, STS behind a proxy).
    Sts {
        /// A path on this origin (`/`) or an `http(s)://` URL.
        endpoint: String,
        /// The region requests are signed for.
        region: String,
        /// Account aliases the console may switch by (STS only takes account ids).
        #[serde(default)]
        aliases: BTreeMap<String, AccountId>,
        /// How long a call may take (default 20 seconds).
        #[serde(
            default,
            rename = "timeoutSeconds",
            skip_serializing_if = "Option::is_none"
        )]
        timeout_seconds: Option<u32>,
        /// A same-site path to the team's role catalog (`~/.aws/config` or AESR format),
        /// merged read-only beneath each person's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        catalog: Option<String>,
    },
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig::Mock {
            world: None,
            source_ip: None,
            catalog: None,
        }
    }
}

impl RuntimeConfig {
    /// The team catalog's path, when one is named and it is a path on this site (anything
    /// else is refused: the console fetches nothing from elsewhere).
    pub fn team_catalog(&self) -> Result<Option<&str>, String> {
        let (RuntimeConfig::Mock { catalog, .. } | RuntimeConfig::Sts { catalog, .. }) = self;
        match catalog.as_deref() {
            None => Ok(None),
            Some(path) => crate::link::safe_return_path(path)
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "catalog {path:?} must be a path on this site, such as /team-catalog.ini"
                    )
                }),
        }
    }

    /// The configuration of a console served by an endpoint for `world` on its own origin:
    /// the STS backend at `/`, in the world's region, switching by the world's aliases.
    pub fn same_origin_endpoint(world: &World) -> RuntimeConfig {
        RuntimeConfig::Sts {
            endpoint: "/".into(),
            region: world.region.clone(),
            aliases: world
                .accounts
                .iter()
                .filter_map(|a| Some((a.alias.as_ref()?.to_string(), a.id.clone())))
                .collect(),
            timeout_seconds: None,
            catalog: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::demo_world;

    #[test]
    fn the_mock_may_have_a_source_ip() {
        let config: RuntimeConfig =
            serde_json::from_str(r#"{"backend":"mock","sourceIp":"203.0.113.7"}"#).unwrap();
        assert_eq!(
            config,
            RuntimeConfig::Mock {
                world: None,
                source_ip: Some("203.0.113.7".parse().unwrap()),
                catalog: None,
            }
        );
        assert!(
            serde_json::from_str::<RuntimeConfig>(r#"{"backend":"mock","sourceIp":"here"}"#)
                .is_err()
        );
        assert_eq!(
            serde_json::from_str::<RuntimeConfig>(r#"{"backend":"mock"}"#).unwrap(),
            RuntimeConfig::default()
        );
    }

    /// A team catalog is a path on this site, or refused (no fetch from elsewhere).
    #[test]
    fn a_team_catalog_is_a_path_on_this_site() {
        let read = |text: &str| serde_json::from_str::<RuntimeConfig>(text).unwrap();
        assert_eq!(
            read(r#"{"backend":"mock","catalog":"/team.ini"}"#).team_catalog(),
            Ok(Some("/team.ini"))
        );
        assert_eq!(read(r#"{"backend":"mock"}"#).team_catalog(), Ok(None));
        assert!(read(r#"{"backend":"sts","endpoint":"/","region":"us-west-2","catalog":"https://evil.example/c.ini"}"#)
            .team_catalog()
            .is_err());
    }

    #[test]
    fn what_the_emulator_writes_the_console_reads() {
        let config = RuntimeConfig::same_origin_endpoint(&demo_world());
        let text = serde_json::to_string(&config).unwrap();
        assert!(text.contains(r#""backend":"sts""#), "{text}");
        assert!(text.contains(r#""example-prod":"222222222222""#), "{text}");
        assert_eq!(
            serde_json::from_str::<RuntimeConfig>(&text).unwrap(),
            config
        );
        let mock: RuntimeConfig = serde_json::from_str(r#"{"backend":"mock"}"#).unwrap();
        assert_eq!(mock, RuntimeConfig::default());
        assert!(serde_json::from_str::<RuntimeConfig>(r#"{"backend":"mock","x":1}"#).is_err());
    }
}
