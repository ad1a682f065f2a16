//! DARK8's built-in tools and the registry that holds them.

mod shell_run;

use std::path::PathBuf;
use std::sync::Arc;

pub use shell_run::ShellRun;

use crate::registry::{Registry, RegistryError};
use crate::sandbox::SandboxConfig;

/// What the built-in tools need from the configuration.
#[derive(Debug, Clone, Default)]
pub struct BuiltinSettings {
    /// Sandbox defaults for tools that run programs.
    pub sandbox: SandboxConfig,
    /// Paths no tool may touch: the secret stores and DARK8's own data.
    pub hidden: Vec<PathBuf>,
}

/// A registry with every built-in tool.
pub fn registry(settings: &BuiltinSettings) -> Result<Registry, RegistryError> {
    let mut registry = Registry::new();
    registry.register(Arc::new(ShellRun::new(
        settings.sandbox.clone(),
        settings.hidden.clone(),
    )))?;
    Ok(registry)
}
