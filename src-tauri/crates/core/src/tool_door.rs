//! The tool door as the core sets it up for a front end: the built-in registry, the policy
//! from the configuration, the store's audit log, the shared redactor (with the vault's
//! secrets), and every executor event forwarded to the event bus.

use std::path::PathBuf;
use std::sync::Arc;

use dark8_protocol::ToolStatus;
use dark8_store::NewAuditEntry;
use dark8_tools::builtin::fs::{undo_batch, undo_last, UndoReport};
use dark8_tools::builtin::git::SecretSource;
use dark8_tools::builtin::plural;
use dark8_tools::builtin::{self, BuiltinSettings};
use dark8_tools::sandbox::hidden::secret_stores;
use dark8_tools::ToolError;
use dark8_tools::{Approver, Executor, Policy, Registry};
use serde_json::json;

use crate::error::CoreError;
use crate::service::Dark8;

impl Dark8 {
    /// Paths no tool may touch: the user's secret stores and DARK8's own files (database,
    /// vault, configuration).
    pub fn protected_paths(&self) -> Vec<PathBuf> {
        let mut hidden = secret_stores();
        hidden.extend(self.config().sandbox.extra_hidden.iter().cloned());
        hidden.push(self.paths().data_dir.clone());
        if let Some(config_dir) = self.paths().config_file.parent() {
            hidden.push(config_dir.to_path_buf());
        }
        hidden
    }

    /// Secrets for tools, from the vault when it opens without a prompt; every value read is
    /// registered with the redactor first.
    fn secret_source(&self) -> SecretSource {
        let dark8 = self.clone();
        Arc::new(move |name: &str| {
            dark8
                .open_vault(&|| None)
                .ok()
                .and_then(|vault| vault.get(name).ok())
        })
    }

    /// The policy in force.
    pub fn policy(&self) -> Result<Policy, CoreError> {
        Policy::load(&self.config().policy).map_err(|err| CoreError::Tools(err.to_string()))
    }

    /// The registry of every tool: the built-in system tools and the master programmer's.
    pub fn registry(&self) -> Result<Registry, CoreError> {
        let policy = self.policy()?;
        let mut registry = builtin::registry(&BuiltinSettings {
            sandbox: self.config().sandbox.clone(),
            store: self.store().clone(),
            data_dir: self.paths().data_dir.clone(),
            policy: policy.clone(),
            databases: self.config().databases.clone(),
            hosting: self.config().hosting.clone(),
            secrets: self.secret_source(),
        })
        .map_err(|err| CoreError::Tools(err.to_string()))?;
        // tests_generate asks the brain (when there is one) for real assertions.
        let writer: Arc<dyn dark8_programmer::ExampleWriter> =
            Arc::new(crate::examples::BrainExamples::new(self.clone()));
        let mut extra = dark8_programmer::tools_with(
            self.store().clone(),
            self.config().sandbox.clone(),
            Some(writer),
        );
        extra.extend(dark8_agent::tools(self.memory()?));
        extra.extend(dark8_browser::tools(
            self.browser().clone(),
            policy,
            self.searcher().clone(),
        ));
        for tool in extra {
            registry
                .register(tool)
                .map_err(|err| CoreError::Tools(err.to_string()))?;
        }
        Ok(registry)
    }

    /// Reverses the newest file change a tool made (see `dark8 undo`); audited as `undo`.
    pub async fn undo_last(&self) -> Result<Option<UndoReport>, ToolError> {
        let result = undo_last(self.store()).await;
        self.audit_undo(&result, None).await;
        result
    }

    /// Reverses the changes of one tool call (`batch`, as the changes screen lists them);
    /// `Ok(None)` when there is no such batch or it was undone already. Audited as `undo`.
    pub async fn undo_change(&self, batch: &str) -> Result<Option<UndoReport>, ToolError> {
        let result = undo_batch(self.store(), batch).await;
        self.audit_undo(&result, Some(batch)).await;
        result
    }

    async fn audit_undo(
        &self,
        result: &Result<Option<UndoReport>, ToolError>,
        batch: Option<&str>,
    ) {
        let (status, summary) = match result {
            Ok(Some(report)) => (
                ToolStatus::Success,
                format!(
                    "cofnięto {} ({} {})",
                    report.tool,
                    report.files.len(),
                    plural(report.files.len(), "plik", "pliki", "plików")
                ),
            ),
            Ok(None) => (ToolStatus::Success, "nie było czego cofać".to_owned()),
            Err(err) => (ToolStatus::Error, err.message.clone()),
        };
        let files: Vec<&str> = match result {
            Ok(Some(report)) => report.files.iter().map(|(path, _)| path.as_str()).collect(),
            _ => Vec::new(),
        };
        let parameters = match batch {
            Some(batch) => json!({ "files": files, "batch": batch }),
            None => json!({ "files": files }),
        };
        let entry = NewAuditEntry::new("undo", parameters, summary, status);
        if let Err(err) = self.store().audit().append(&entry).await {
            tracing::error!("audit log write failed: {err}");
        }
    }

    /// An executor for calls in `workspace`, answered by `approver`, publishing on the event
    /// bus. The vault's secrets are loaded into the redactor first when that needs no
    /// passphrase prompt.
    pub fn executor(
        &self,
        workspace: PathBuf,
        approver: Arc<dyn Approver>,
    ) -> Result<Executor, CoreError> {
        let events = self.events().clone();
        self.executor_with_events(
            workspace,
            approver,
            Arc::new(move |event| {
                events.publish(event);
            }),
        )
    }

    /// [`Dark8::executor`] whose events go to `sink` (a run tags them before the bus).
    pub fn executor_with_events(
        &self,
        workspace: PathBuf,
        approver: Arc<dyn Approver>,
        sink: dark8_tools::executor::EventSink,
    ) -> Result<Executor, CoreError> {
        let workspace = workspace.canonicalize().map_err(|source| CoreError::Io {
            path: workspace.clone(),
            source,
        })?;
        let policy = self.policy()?;
        self.preload_secrets();
        Ok(
            Executor::new(self.registry()?, policy, self.store().clone(), workspace)
                .with_approver(approver)
                .with_redactor(self.redactor().clone())
                .with_hidden(self.protected_paths())
                .with_events(sink),
        )
    }
}
