//! A language model as an intent classifier under the same contract as the NLP engine: the
//! reply is constrained to the contract's intent names and entity keys. `dark8 nlp eval --llm`
//! sets it side by side with the engine.

use std::collections::BTreeMap;

use dark8_protocol::Intent;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tokio_util::sync::CancellationToken;

use super::{Brain, ChatRequest, LlmError, Message, Role};

/// What the model read in a command.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LlmReading {
    /// The contract intent.
    pub intent: String,
    /// The entities it found (only keys the intent allows are kept).
    #[serde(default)]
    pub entities: BTreeMap<String, String>,
}

/// A few readings from the contract, as the model should write them.
const EXAMPLES: &str = r#"Zbuduj aplikację todo w Django -> {"intent": "BUILD_APP", "entities": {"framework": "django", "app_type": "todo"}}
Pokaż plik README.md -> {"intent": "FILE_READ", "entities": {"path": "README.md"}}
Zmień nazwę pliku a.txt na b.txt -> {"intent": "FILE_MOVE", "entities": {"path": "a.txt", "path2": "b.txt"}}
Zainstaluj requests przez pip -> {"intent": "PACKAGE_INSTALL", "entities": {"package": "requests", "manager": "pip"}}
Zabij proces 4242 -> {"intent": "PROCESS_KILL", "entities": {"pid": "4242"}}
Wyszukaj w internecie dokumentację axum -> {"intent": "WEB_SEARCH", "entities": {"query": "dokumentację axum"}}
Zamknij rolety w salonie -> {"intent": "CHAT", "entities": {}}"#;

/// One line per intent for the prompt: what the user wants and which entities it carries.
fn intent_lines() -> String {
    Intent::ALL
        .iter()
        .map(|intent| {
            let name = intent.as_str();
            let keys = dark8_nlp::entities::allowed_keys(name);
            if keys.is_empty() {
                format!("- {name}: {}", meaning(*intent))
            } else {
                format!("- {name}: {} [{}]", meaning(*intent), keys.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the user wants, per intent (the contract's table).
fn meaning(intent: Intent) -> &'static str {
    match intent {
        Intent::BuildApp => "a new project scaffolded from a template",
        Intent::AnalyzeCode => "static analysis, review, lint, security scan",
        Intent::BuildProject => "compile or build an existing project",
        Intent::RunTests => "run a project's tests",
        Intent::GenerateTests => "write tests for code",
        Intent::Deploy => "Dockerfile, systemd unit, tarball",
        Intent::FileRead => "show a file",
        Intent::FileWrite => "create, append to or edit a file",
        Intent::FileList => "list a folder",
        Intent::FileDelete => "delete a file or folder",
        Intent::FileDiff => "compare two files",
        Intent::FileCopy => "copy a file or folder (path2 = destination)",
        Intent::FileMove => "move or rename a file or folder (path2 = destination)",
        Intent::DirCreate => "create a folder",
        Intent::FileSearch => "find text in files",
        Intent::ShellRun => "run a shell command",
        Intent::GitClone => "clone a repository",
        Intent::GitCommit => "commit changes",
        Intent::GitPush => "push",
        Intent::GitStatus => "what changed in the repository",
        Intent::GitPullRequest => "open a pull request",
        Intent::PackageInstall => "install packages (names separated by spaces)",
        Intent::HttpRequest => "call an HTTP endpoint",
        Intent::DbQuery => "query a database",
        Intent::WebSearch => "search the web",
        Intent::BrowseUrl => "open a page in the browser",
        Intent::ScrapePage => "extract content, links or a summary from a page",
        Intent::SystemStatus => "CPU, memory, disk (resource: cpu, memory, disk, all)",
        Intent::ProcessList => "list processes",
        Intent::ProcessKill => "end a process",
        Intent::MemorySave => "remember a fact",
        Intent::MemoryRecall => "recall earlier work or facts",
        Intent::SecretSet => "store a secret in the vault",
        Intent::Help => "what can you do",
        Intent::Chat => {
            "anything else: questions, small talk, and action verbs on things that are not on a computer (blinds, lights, a cake)"
        }
    }
}

/// The JSON Schema of a reply: one intent name, entities with the contract's keys.
pub fn reading_schema() -> Value {
    let intents: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    let mut keys: Vec<&str> = Intent::ALL
        .iter()
        .flat_map(|i| {
            dark8_nlp::entities::allowed_keys(i.as_str())
                .iter()
                .copied()
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let properties: Map<String, Value> = keys
        .into_iter()
        .map(|key| (key.to_owned(), json!({"type": "string"})))
        .collect();
    json!({
        "type": "object",
        "properties": {
            "intent": {"type": "string", "enum": intents},
            "entities": {
                "type": "object",
                "properties": properties,
                "additionalProperties": false
            }
        },
        "required": ["intent", "entities"],
        "additionalProperties": false
    })
}

/// The request that asks the model to read `text`.
pub fn reading_request(text: &str) -> ChatRequest {
    let system = format!(
        "You read one Polish command for DARK8, a workstation agent, and answer only with JSON: \
         {{\"intent\": NAME, \"entities\": {{KEY: VALUE}}}}. Intents (entity keys in brackets):\n{}\n\
         Entity values are the user's own words; leave out keys the command does not state.\n\
         Examples:\n{}",
        intent_lines(),
        EXAMPLES
    );
    ChatRequest {
        messages: vec![
            Message::new(Role::System, system),
            Message::new(Role::User, text),
        ],
        tools: Vec::new(),
        schema: Some(reading_schema()),
        temperature: 0.0,
        max_tokens: 160,
    }
}

/// Reads `text` with `brain`; a reply that is no valid reading is an error.
pub async fn read_command(
    brain: &dyn Brain,
    text: &str,
    cancel: CancellationToken,
) -> Result<LlmReading, LlmError> {
    let reply = brain.chat(reading_request(text), &|_| {}, cancel).await?;
    parse_reading(&reply.text)
}

/// Parses and checks a reply: a known intent, only the keys that intent allows.
pub fn parse_reading(reply: &str) -> Result<LlmReading, LlmError> {
    let mut reading: LlmReading = serde_json::from_str(reply.trim())
        .map_err(|err| LlmError::Protocol(format!("{err}: {reply}")))?;
    if !Intent::ALL.iter().any(|i| i.as_str() == reading.intent) {
        return Err(LlmError::Protocol(format!(
            "unknown intent {}",
            reading.intent
        )));
    }
    let allowed = dark8_nlp::entities::allowed_keys(&reading.intent);
    reading
        .entities
        .retain(|key, value| allowed.contains(&key.as_str()) && !value.trim().is_empty());
    for value in reading.entities.values_mut() {
        *value = value.trim().to_owned();
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_every_intent_and_key() {
        let schema = reading_schema();
        let intents = schema["properties"]["intent"]["enum"].as_array().unwrap();
        assert_eq!(intents.len(), Intent::ALL.len());
        assert!(schema["properties"]["entities"]["properties"]["path2"].is_object());
    }

    #[test]
    fn replies_are_checked_and_trimmed_to_the_contract() {
        let reading = parse_reading(
            r#"{"intent": "FILE_MOVE", "entities": {"path": " a.txt ", "path2": "b.txt", "url": "x"}}"#,
        )
        .unwrap();
        assert_eq!(reading.intent, "FILE_MOVE");
        assert_eq!(reading.entities.len(), 2);
        assert_eq!(reading.entities["path"], "a.txt");
        assert!(parse_reading(r#"{"intent": "MAKE_TEA", "entities": {}}"#).is_err());
        assert!(parse_reading("nie wiem").is_err());
    }
}
