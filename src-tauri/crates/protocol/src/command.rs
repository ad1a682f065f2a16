//! A command as it arrives from a front end, and what the NLP engine understood of it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// Where a command came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommandSource {
    /// The `dark8` terminal agent.
    Cli,
    /// The desktop application.
    Desktop,
    /// The local REST API.
    Api,
}

/// A command typed by the user, in Polish (or English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Command {
    /// The text exactly as the user typed it.
    pub text: String,
    /// The front end that received it.
    pub source: CommandSource,
    /// The conversation session this command continues, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub session_id: Option<String>,
}

/// What the user wants: exactly the intents of the Polish command contract
/// (`shared/nlp-contract.md`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)]
pub enum Intent {
    BuildApp,
    AnalyzeCode,
    BuildProject,
    RunTests,
    GenerateTests,
    Deploy,
    FileRead,
    FileWrite,
    FileList,
    FileDelete,
    FileDiff,
    FileCopy,
    FileMove,
    DirCreate,
    FileSearch,
    ShellRun,
    GitClone,
    GitCommit,
    GitPush,
    GitStatus,
    GitPullRequest,
    PackageInstall,
    HttpRequest,
    DbQuery,
    WebSearch,
    BrowseUrl,
    ScrapePage,
    SystemStatus,
    ProcessList,
    ProcessKill,
    MemorySave,
    MemoryRecall,
    SecretSet,
    Help,
    Chat,
}

impl Intent {
    /// Every intent of the contract, in the contract's order.
    pub const ALL: [Intent; 35] = [
        Intent::BuildApp,
        Intent::AnalyzeCode,
        Intent::BuildProject,
        Intent::RunTests,
        Intent::GenerateTests,
        Intent::Deploy,
        Intent::FileRead,
        Intent::FileWrite,
        Intent::FileList,
        Intent::FileDelete,
        Intent::FileDiff,
        Intent::FileCopy,
        Intent::FileMove,
        Intent::DirCreate,
        Intent::FileSearch,
        Intent::ShellRun,
        Intent::GitClone,
        Intent::GitCommit,
        Intent::GitPush,
        Intent::GitStatus,
        Intent::GitPullRequest,
        Intent::PackageInstall,
        Intent::HttpRequest,
        Intent::DbQuery,
        Intent::WebSearch,
        Intent::BrowseUrl,
        Intent::ScrapePage,
        Intent::SystemStatus,
        Intent::ProcessList,
        Intent::ProcessKill,
        Intent::MemorySave,
        Intent::MemoryRecall,
        Intent::SecretSet,
        Intent::Help,
        Intent::Chat,
    ];

    /// The contract's name of the intent, e.g. `BUILD_APP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::BuildApp => "BUILD_APP",
            Intent::AnalyzeCode => "ANALYZE_CODE",
            Intent::BuildProject => "BUILD_PROJECT",
            Intent::RunTests => "RUN_TESTS",
            Intent::GenerateTests => "GENERATE_TESTS",
            Intent::Deploy => "DEPLOY",
            Intent::FileRead => "FILE_READ",
            Intent::FileWrite => "FILE_WRITE",
            Intent::FileList => "FILE_LIST",
            Intent::FileDelete => "FILE_DELETE",
            Intent::FileDiff => "FILE_DIFF",
            Intent::FileCopy => "FILE_COPY",
            Intent::FileMove => "FILE_MOVE",
            Intent::DirCreate => "DIR_CREATE",
            Intent::FileSearch => "FILE_SEARCH",
            Intent::ShellRun => "SHELL_RUN",
            Intent::GitClone => "GIT_CLONE",
            Intent::GitCommit => "GIT_COMMIT",
            Intent::GitPush => "GIT_PUSH",
            Intent::GitStatus => "GIT_STATUS",
            Intent::GitPullRequest => "GIT_PULL_REQUEST",
            Intent::PackageInstall => "PACKAGE_INSTALL",
            Intent::HttpRequest => "HTTP_REQUEST",
            Intent::DbQuery => "DB_QUERY",
            Intent::WebSearch => "WEB_SEARCH",
            Intent::BrowseUrl => "BROWSE_URL",
            Intent::ScrapePage => "SCRAPE_PAGE",
            Intent::SystemStatus => "SYSTEM_STATUS",
            Intent::ProcessList => "PROCESS_LIST",
            Intent::ProcessKill => "PROCESS_KILL",
            Intent::MemorySave => "MEMORY_SAVE",
            Intent::MemoryRecall => "MEMORY_RECALL",
            Intent::SecretSet => "SECRET_SET",
            Intent::Help => "HELP",
            Intent::Chat => "CHAT",
        }
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when a string names no intent of the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownIntent(pub String);

impl fmt::Display for UnknownIntent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown intent `{}`", self.0)
    }
}

impl std::error::Error for UnknownIntent {}

impl FromStr for Intent {
    type Err = UnknownIntent;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Intent::ALL
            .into_iter()
            .find(|intent| intent.as_str() == s)
            .ok_or_else(|| UnknownIntent(s.to_owned()))
    }
}

/// What the NLP engine understood of a command (the contract's JSON object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Understanding {
    /// The text that was understood.
    pub text: String,
    /// The intent, one of the contract's names.
    pub intent: Intent,
    /// Confidence in [0, 1]; low where the engine is unsure.
    pub confidence: f32,
    /// Entities the text states; keys that do not apply are absent.
    pub entities: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intent_names_round_trip_through_serde_and_from_str() {
        for intent in Intent::ALL {
            let json = serde_json::to_string(&intent).unwrap();
            assert_eq!(json, format!("\"{}\"", intent.as_str()));
            assert_eq!(intent.as_str().parse::<Intent>().unwrap(), intent);
        }
        assert!("BUILD".parse::<Intent>().is_err());
    }

    #[test]
    fn understanding_matches_the_contract_json_form() {
        let mut entities = BTreeMap::new();
        entities.insert("framework".to_owned(), "django".to_owned());
        entities.insert("app_type".to_owned(), "todo".to_owned());
        let understanding = Understanding {
            text: "Zbuduj aplikację todo w Django".to_owned(),
            intent: Intent::BuildApp,
            confidence: 0.97,
            entities,
        };
        let value = serde_json::to_value(&understanding).unwrap();
        assert_eq!(value["intent"], "BUILD_APP");
        assert_eq!(value["entities"]["framework"], "django");
        let back: Understanding = serde_json::from_value(value).unwrap();
        assert_eq!(back, understanding);
    }
}
