//! What the dashboard's screens read from the core: a run's file changes, the knowledge base,
//! projects with their last results and findings, the audit log filtered.

use std::path::{Component, Path, PathBuf};

use dark8_protocol::{
    AuditEntry, Event, FileChange, Finding, KnowledgeEntry, Project, ProjectActionResult,
    ProjectSummary,
};
use dark8_store::AuditFilter;
use serde_json::Value;

use dark8_tools::builtin::jobs::{self, JobLog, JobSummary};

use crate::error::CoreError;
use crate::service::Dark8;

/// The tools whose last result a project shows, and where it goes in [`ProjectSummary`].
const PROJECT_ACTIONS: [&str; 4] = [
    "project_build",
    "tests_run",
    "project_deploy",
    "code_analyze",
];

/// Audit rows read to find projects' last results.
const PROJECT_AUDIT_ROWS: u32 = 2_000;

/// Most lines of a background job's log one read returns.
pub const MAX_JOB_LOG_LINES: usize = 10_000;

/// Findings listed per project at most.
const MAX_FINDINGS: usize = 500;

impl Dark8 {
    /// The file changes the tool calls of run `id` made, oldest first, each with its diff.
    pub async fn run_changes(&self, id: &str) -> Result<Vec<FileChange>, CoreError> {
        let calls: Vec<String> = self
            .run_events(id)
            .await?
            .into_iter()
            .filter_map(|envelope| match envelope.event {
                Event::ToolStarted { call } => Some(call.id),
                _ => None,
            })
            .collect();
        if calls.is_empty() {
            return Ok(Vec::new());
        }
        dark8_tools::builtin::fs::changes_of_calls(self.store(), &calls)
            .await
            .map_err(|err| CoreError::Tools(err.message))
    }

    /// Facts and past conversation turns for `query` (the newest without one).
    pub async fn knowledge(
        &self,
        query: Option<&str>,
        limit: u32,
    ) -> Result<Vec<KnowledgeEntry>, CoreError> {
        Ok(self.memory()?.entries(query, limit).await?)
    }

    /// The background jobs `process_spawn` started, the newest first, each with whether it
    /// still runs.
    pub async fn background_jobs(&self) -> Vec<JobSummary> {
        let data_dir = self.paths().data_dir.clone();
        tokio::task::spawn_blocking(move || jobs::list_jobs(&data_dir))
            .await
            .unwrap_or_default()
    }

    /// Background job `job`'s state and the last `lines` lines of its output (1–10,000).
    /// `Ok(None)` when there is no such job.
    pub async fn background_job_log(
        &self,
        job: &str,
        lines: usize,
    ) -> Result<Option<JobLog>, CoreError> {
        let data_dir = self.paths().data_dir.clone();
        let job = job.to_owned();
        let lines = lines.clamp(1, MAX_JOB_LOG_LINES);
        tokio::task::spawn_blocking(move || {
            if !jobs::job_exists(&data_dir, &job) {
                return Ok(None);
            }
            jobs::job_log(&data_dir, &job, lines).map(Some)
        })
        .await
        .map_err(|e| CoreError::Tools(e.to_string()))?
        .map_err(|err| CoreError::Tools(err.message))
    }

    /// Audit rows that pass `filter`, newest first.
    pub async fn audit_find(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, CoreError> {
        Ok(self.store().audit().find(filter).await?)
    }

    /// Every known project, newest first, with its framework and how its last build, tests,
    /// deployment and analysis ended (from the audit log), and the findings of the SARIF
    /// report the last analysis wrote.
    pub async fn project_summaries(&self) -> Result<Vec<ProjectSummary>, CoreError> {
        let projects = self.store().projects().list().await?;
        let rows = self
            .store()
            .audit()
            .find(&AuditFilter {
                actions: PROJECT_ACTIONS.iter().map(|a| (*a).to_owned()).collect(),
                limit: PROJECT_AUDIT_ROWS,
                ..AuditFilter::default()
            })
            .await?;
        Ok(projects
            .into_iter()
            .map(|project| summarize(project, &rows))
            .collect())
    }
}

fn summarize(project: Project, rows: &[AuditEntry]) -> ProjectSummary {
    let root = normalize(Path::new(&project.path));
    let last = |action: &str| {
        rows.iter()
            .find(|row| row.action == action && target_of(row).is_some_and(|t| t == root))
    };
    let result = |row: &AuditEntry| ProjectActionResult {
        action: row.action.clone(),
        when: row.timestamp.clone(),
        status: row.status,
        summary: row.result.clone(),
    };
    let analysis = last("code_analyze");
    let findings = analysis
        .and_then(sarif_of)
        .map(|path| read_findings(&path, &root))
        .unwrap_or_default();
    let framework = ["framework", "template", "kind"]
        .iter()
        .find_map(|key| project.metadata.get(*key).and_then(Value::as_str))
        .map(str::to_owned);
    ProjectSummary {
        exists: root.is_dir(),
        framework,
        build: last("project_build").map(result),
        tests: last("tests_run").map(result),
        deploy: last("project_deploy").map(result),
        analysis: analysis.map(result),
        findings,
        project,
    }
}

/// The directory an audited call worked on: its `path` argument within its workspace.
fn target_of(row: &AuditEntry) -> Option<PathBuf> {
    let workspace = row.parameters.get("workspace")?.as_str()?;
    let path = row
        .parameters
        .get("arguments")
        .and_then(|a| a.get("path"))
        .and_then(Value::as_str)
        .unwrap_or(".");
    Some(normalize(&Path::new(workspace).join(path)))
}

/// Where the audited analysis wrote its SARIF report, if it did.
fn sarif_of(row: &AuditEntry) -> Option<PathBuf> {
    let workspace = row.parameters.get("workspace")?.as_str()?;
    let sarif = row.parameters.get("arguments")?.get("sarif")?.as_str()?;
    Some(normalize(&Path::new(workspace).join(sarif)))
}

/// `path` without `.` and `..` parts (no file system access: the project may be gone).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The results of a SARIF 2.1.0 file, file names relative to `root`; none when the file is
/// gone or not SARIF.
fn read_findings(path: &Path, root: &Path) -> Vec<Finding> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(sarif) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    let results = sarif
        .pointer("/runs/0/results")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    results
        .iter()
        .take(MAX_FINDINGS)
        .map(|result| {
            let location = result.pointer("/locations/0/physicalLocation");
            let uri = location
                .and_then(|l| l.pointer("/artifactLocation/uri"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let file = Path::new(uri)
                .strip_prefix(root)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| uri.to_owned());
            Finding {
                rule: text_at(result, "/ruleId"),
                level: text_at(result, "/level"),
                message: text_at(result, "/message/text"),
                file,
                line: location
                    .and_then(|l| l.pointer("/region/startLine"))
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0),
            }
        })
        .collect()
}

fn text_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_without_the_file_system() {
        assert_eq!(
            normalize(Path::new("/ws/./sklep/../sklep")),
            PathBuf::from("/ws/sklep")
        );
    }

    #[test]
    fn sarif_results_become_findings_relative_to_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.sarif");
        std::fs::write(
            &file,
            r#"{"version":"2.1.0","runs":[{"results":[{"ruleId":"secret","level":"error","message":{"text":"Klucz w kodzie"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"/p/app.py"},"region":{"startLine":7}}}]}]}]}"#,
        )
        .unwrap();
        let found = read_findings(&file, Path::new("/p"));
        assert_eq!(
            found,
            vec![Finding {
                rule: "secret".into(),
                level: "error".into(),
                message: "Klucz w kodzie".into(),
                file: "app.py".into(),
                line: 7,
            }]
        );
        assert!(read_findings(&dir.path().join("nie-ma.sarif"), Path::new("/p")).is_empty());
    }
}
