//! DARK8 core: boots and wires everything a front end needs.
//!
//! - [`paths`]: where configuration, database and logs live (`DARK8_HOME` moves them all);
//! - [`config`]: TOML configuration with `DARK8_*` environment overrides;
//! - [`logging`]: human stderr plus daily JSON log files;
//! - [`Dark8`]: the service handle every front end calls;
//! - [`events`]: the event bus of protocol events;
//! - [`doctor`]: the machine check behind `dark8 doctor` and the desktop's first screen.

mod agent_door;
pub mod approvals;
pub mod brain;
pub mod config;
mod dashboard;
pub mod doctor;
mod embeddings;
mod error;
pub mod events;
pub mod examples;
pub mod kb_eval;
mod language;
pub mod logging;
mod models;
pub mod paths;
pub mod runs;
pub mod secrets;
mod service;
pub mod settings;
mod tool_door;

pub use approvals::Approvals;
pub use config::Config;
pub use dashboard::MAX_JOB_LOG_LINES;
pub use error::{CoreError, UserMessage};
pub use events::{Delivery, EventBus, EventScope, Follow};
pub use language::Language;
pub use paths::Paths;
pub use runs::{DirectCall, RunRequest};
pub use service::Dark8;

/// Re-exported so front ends need no direct dependency on the store for its types.
pub use dark8_store as store;

/// The Polish NLP engine, re-exported for front ends.
pub use dark8_nlp as nlp;

/// The agent, re-exported for front ends.
pub use dark8_agent as agent;

/// The knowledge crate (embeddings, search by meaning), for front ends.
pub use dark8_knowledge as knowledge;
/// The tool door (registry, executor, policy, sandbox, vault), re-exported for front ends.
pub use dark8_tools as tools;

/// The integrated browser (live view, the user's input), re-exported for front ends.
pub use dark8_browser as browser;

/// The DARK8 version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Loads paths and configuration the way every front end does: `DARK8_HOME` or the platform
/// directories, then `config.toml` and `DARK8_*` overrides.
pub fn load_settings() -> Result<(Paths, Config), CoreError> {
    let paths = Paths::discover().ok_or(CoreError::NoHome)?;
    let config = Config::load(&paths.config_file)?;
    Ok((paths, config))
}
