//! DARK8's built-in tools and the registry that holds them.

pub mod args;
pub mod db;
pub mod fs;
pub mod git;
mod jobs;
pub mod net;
mod pkg;
mod polish;
pub mod program;
mod shell_run;
pub mod system;

use std::path::PathBuf;
use std::sync::Arc;

use dark8_store::Store;

pub use shell_run::ShellRun;

use crate::policy::Policy;
use crate::registry::{Registry, RegistryError};
use crate::sandbox::SandboxConfig;

/// What the built-in tools need from the core.
#[derive(Clone)]
pub struct BuiltinSettings {
    /// Sandbox defaults for tools that run programs.
    pub sandbox: SandboxConfig,
    /// The database (undo journal).
    pub store: Store,
    /// DARK8's data directory (previous versions and the trash live under it).
    pub data_dir: PathBuf,
    /// The policy, for what a tool must judge mid-call (redirect hops).
    pub policy: Policy,
    /// Default database and Redis connections.
    pub databases: db::DatabaseConfig,
    /// Where pull requests go.
    pub hosting: git::HostingConfig,
    /// The vault, for tools that need a token.
    pub secrets: git::SecretSource,
}

impl std::fmt::Debug for BuiltinSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuiltinSettings")
            .field("sandbox", &self.sandbox)
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl BuiltinSettings {
    /// Settings with the default sandbox and policy.
    pub fn new(store: Store, data_dir: PathBuf) -> Result<BuiltinSettings, crate::PolicyError> {
        Ok(BuiltinSettings {
            sandbox: SandboxConfig::default(),
            store,
            data_dir,
            policy: Policy::load(&crate::PolicyConfig::default())?,
            databases: db::DatabaseConfig::default(),
            hosting: git::HostingConfig::default(),
            secrets: Arc::new(|_| None),
        })
    }
}

/// A registry with every built-in tool.
pub fn registry(settings: &BuiltinSettings) -> Result<Registry, RegistryError> {
    let journal = fs::Journal::new(settings.store.clone(), &settings.data_dir);
    let git_settings = git::GitSettings {
        sandbox: settings.sandbox.clone(),
    };
    let mut registry = Registry::new();
    let tools: Vec<Arc<dyn crate::Tool>> = vec![
        Arc::new(ShellRun::new(settings.sandbox.clone())),
        Arc::new(fs::FsRead),
        Arc::new(fs::FsWrite::new(journal.clone())),
        Arc::new(fs::FsList),
        Arc::new(fs::FsDelete::new(journal.clone())),
        Arc::new(fs::FsDiff),
        Arc::new(fs::FsMerge::new(journal.clone())),
        Arc::new(fs::FsSearch),
        Arc::new(fs::FsRenameSymbol::new(journal)),
        Arc::new(git::GitStatus(git_settings.clone())),
        Arc::new(git::GitDiff(git_settings.clone())),
        Arc::new(git::GitLog(git_settings.clone())),
        Arc::new(git::GitBranch(git_settings.clone())),
        Arc::new(git::GitCommit(git_settings.clone())),
        Arc::new(git::GitClone(git_settings.clone())),
        Arc::new(git::GitPush(git_settings.clone())),
        Arc::new(git::GitPull(git_settings.clone())),
        Arc::new(git::GitPullRequest::new(
            git_settings,
            settings.hosting.clone(),
            settings.policy.clone(),
            settings.secrets.clone(),
        )),
        Arc::new(net::HttpRequest::new(settings.policy.clone())),
        Arc::new(net::WsExchange::new(settings.policy.clone())),
        Arc::new(db::DbQuery::new(settings.databases.clone())),
        Arc::new(db::DbTables::new(settings.databases.clone())),
        Arc::new(db::DbRedis::new(settings.databases.clone())),
        Arc::new(jobs::ProcessSpawn::new(
            settings.sandbox.clone(),
            settings.data_dir.clone(),
        )),
        Arc::new(jobs::ProcessLogs::new(settings.data_dir.clone())),
        Arc::new(pkg::PkgInstall::new(settings.sandbox.clone())),
        Arc::new(system::SystemStatus),
        Arc::new(system::ProcessList),
        Arc::new(system::ProcessKill),
    ];
    for tool in tools {
        registry.register(tool)?;
    }
    Ok(registry)
}
