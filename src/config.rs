//! The runtime configuration: `config.json` beside `index.html` chooses the backend, so one
//! build serves any backend.

use std::rc::Rc;

pub use crossrole_core::config::RuntimeConfig;
use crossrole_core::link::safe_return_path;
use crossrole_core::wire::Endpoint;
use gloo_net::http::Request;

use crate::backend::mock::MockBackend;
use crate::backend::sts::StsBackend;
use crate::backend::Backend;

/// Where the console looks for its configuration.
pub const CONFIG_PATH: &str = "/config.json";

/// Why the console could not start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `config.json` could not be fetched or read.
    #[error("{CONFIG_PATH} could not be read: {0}")]
    Config(String),
    /// The in-browser mock's worker could not be made.
    #[error("The in-browser mock could not start: {0}")]
    Mock(String),
    /// The world file could not be fetched or read.
    #[error("The world file {path} could not be loaded: {message}")]
    World {
        /// Its path.
        path: String,
        /// What went wrong.
        message: String,
    },
}

async fn fetch_text(path: &str) -> Result<Option<String>, String> {
    let response = Request::get(path).send().await.map_err(|e| e.to_string())?;
    match response.status() {
        200 => response.text().await.map(Some).map_err(|e| e.to_string()),
        404 => Ok(None),
        status => Err(format!("HTTP {status}")),
    }
}

/// What `config.json` gives the console: its backend, and the team catalog's path if any.
#[derive(Clone)]
pub struct Loaded {
    /// The backend every page talks to.
    pub backend: Rc<dyn Backend>,
    /// A same-site path to the team's role catalog.
    pub team_catalog: Option<String>,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("team_catalog", &self.team_catalog)
            .finish_non_exhaustive()
    }
}

/// Reads `config.json` (absent: the defaults), builds its backend, and checks the team
/// catalog's path.
pub async fn load_config() -> Result<Loaded, ConfigError> {
    let config: RuntimeConfig = match fetch_text(CONFIG_PATH).await.map_err(ConfigError::Config)? {
        Some(text) => {
            serde_json::from_str(&text).map_err(|e| ConfigError::Config(e.to_string()))?
        }
        None => RuntimeConfig::default(),
    };
    let team_catalog = config
        .team_catalog()
        .map_err(ConfigError::Config)?
        .map(str::to_owned);
    Ok(Loaded {
        backend: load_backend(config).await?,
        team_catalog,
    })
}

/// The team catalog's text (`None` when the file is missing).
pub async fn fetch_team_catalog(path: &str) -> Result<Option<String>, String> {
    fetch_text(path).await
}

/// Builds the backend `config` names.
async fn load_backend(config: RuntimeConfig) -> Result<Rc<dyn Backend>, ConfigError> {
    match config {
        RuntimeConfig::Sts {
            endpoint,
            region,
            aliases,
            timeout_seconds,
            ..
        } => {
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            let endpoint = Endpoint::resolve(&endpoint, &origin).map_err(ConfigError::Config)?;
            Ok(Rc::new(StsBackend::new(
                endpoint,
                region,
                aliases,
                timeout_seconds,
            )))
        }
        RuntimeConfig::Mock {
            world: None,
            source_ip,
            ..
        } => {
            // Not waited for: the console's first render needs no answer from the mock, and
            // calls made before the demo world is loaded queue behind it in the worker.
            let (backend, _loaded) = MockBackend::in_worker(None, source_ip)
                .map_err(|e| ConfigError::Mock(e.to_string()))?;
            Ok(Rc::new(backend))
        }
        RuntimeConfig::Mock {
            world: Some(path),
            source_ip,
            ..
        } => {
            let world_err = |message: String| ConfigError::World {
                path: path.clone(),
                message,
            };
            let safe = safe_return_path(&path).ok_or_else(|| {
                world_err("it must be a path on this site, such as /my-world.json".into())
            })?;
            let text = fetch_text(safe)
                .await
                .map_err(world_err)?
                .ok_or_else(|| world_err("not found".into()))?;
            // A world of the person's own is waited for, so that a mistake in it is shown in
            // place of the console, as the world file's path and the reason.
            let (backend, loaded) = MockBackend::in_worker(Some(text), source_ip)
                .map_err(|e| ConfigError::Mock(e.to_string()))?;
            loaded.await.map_err(|e| world_err(e.to_string()))?;
            Ok(Rc::new(backend))
        }
    }
}
