//! DARK8's built-in tools and the registry that holds them.

pub mod db;
pub mod fs;
pub mod git;
pub mod jobs;
pub mod net;
mod pkg;
mod polish;
pub mod program;
mod shell_run;
pub mod system;

use std::path::PathBuf;
use std::sync::Arc;

use dark8_store::Store;

pub use polish::{count, plural};
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
    registry.add(ShellRun::new(settings.sandbox.clone()))?;
    registry.add(fs::FsRead)?;
    registry.add(fs::FsWrite(journal.clone()))?;
    registry.add(fs::FsList)?;
    registry.add(fs::FsDelete(journal.clone()))?;
    registry.add(fs::FsCopy(journal.clone()))?;
    registry.add(fs::FsMove(journal.clone()))?;
    registry.add(fs::FsMkdir(journal.clone()))?;
    registry.add(fs::FsDiff)?;
    registry.add(fs::FsMerge(journal.clone()))?;
    registry.add(fs::FsSearch)?;
    registry.add(fs::FsRenameSymbol(journal))?;
    registry.add(git::GitStatus(git_settings.clone()))?;
    registry.add(git::GitDiff(git_settings.clone()))?;
    registry.add(git::GitLog(git_settings.clone()))?;
    registry.add(git::GitBranch(git_settings.clone()))?;
    registry.add(git::GitCommit(git_settings.clone()))?;
    registry.add(git::GitClone(git_settings.clone()))?;
    registry.add(git::GitPush(git_settings.clone()))?;
    registry.add(git::GitPull(git_settings.clone()))?;
    registry.add(git::GitPullRequest::new(
        git_settings,
        settings.hosting.clone(),
        settings.policy.clone(),
        settings.secrets.clone(),
    ))?;
    registry.add(net::HttpRequest(settings.policy.clone()))?;
    registry.add(net::WsExchange(settings.policy.clone()))?;
    registry.add(db::DbQuery(settings.databases.clone()))?;
    registry.add(db::DbTables(settings.databases.clone()))?;
    registry.add(db::DbRedis::new(settings.databases.clone()))?;
    registry.add(jobs::ProcessSpawn::new(
        settings.sandbox.clone(),
        settings.data_dir.clone(),
    ))?;
    registry.add(jobs::ProcessLogs(settings.data_dir.clone()))?;
    registry.add(pkg::PkgInstall(settings.sandbox.clone()))?;
    registry.add(system::SystemStatus)?;
    registry.add(system::ProcessList)?;
    registry.add(system::ProcessKill)?;
    Ok(registry)
}
