//! The plan builder: reads the plan table for each clause and fills the arguments from the
//! clause's entities. A step working on a project made earlier in the same plan refers to
//! that step's output as `${stepN.path}`; the runner fills it in when the step starts.

use std::collections::BTreeMap;

use dark8_nlp::normalize::fold;
use dark8_nlp::Understanding;
use dark8_protocol::{Intent, Plan, Step, ToolCall};
use serde_json::{Map, Value};

use super::table::{self, plan_for, Recipe, Source};
use crate::language::Lang;
use crate::references::StepRef;

/// What the planner knows about the project a command may be about, when the command
/// names none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectHint {
    /// The project the session worked on last (a path as given to tools).
    pub focus: Option<String>,
    /// True when the workspace itself is a project (pyproject.toml, package.json, ...).
    pub workspace_is_project: bool,
    /// Directories in the workspace, by name (a project named by the user is one of them).
    pub dirs: Vec<String>,
}

/// What the planner made of a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    /// Tool calls, plus answers of clauses that need no tool.
    Steps {
        /// The plan.
        plan: Plan,
        /// Answers of tool-less clauses of a compound command.
        notes: Vec<String>,
    },
    /// Something is missing: ask.
    Ask {
        /// The intent that needs it.
        intent: Intent,
        /// The question, in the user's language.
        question: String,
    },
    /// An answer without tools.
    Reply {
        /// The intent.
        intent: Intent,
        /// The answer.
        text: String,
    },
    /// The capability list.
    Help,
    /// Conversation: for the language model.
    Conversation,
}

/// Builds the plan for `clauses` (see [`crate::clauses::split`]). `plan_id` names the plan.
pub fn build(
    clauses: &[(String, Understanding)],
    hint: &ProjectHint,
    lang: Lang,
    plan_id: &str,
) -> Planned {
    let mut steps: Vec<Step> = Vec::new();
    let mut notes = Vec::new();
    let mut project_step: Option<u32> = None;
    let mut first_intent = None;
    for (text, understood) in clauses {
        let intent = understood.intent.parse::<Intent>().unwrap_or(Intent::Chat);
        first_intent.get_or_insert(intent);
        let Some(recipe) = plan_for(intent).map(|p| p.recipe) else {
            continue;
        };
        let specs = match recipe {
            Recipe::Steps(specs) => specs,
            Recipe::Reply(pl, en) if clauses.len() > 1 => {
                notes.push(lang.pick(pl, en).to_owned());
                continue;
            }
            Recipe::Reply(pl, en) => {
                return Planned::Reply {
                    intent,
                    text: lang.pick(pl, en).to_owned(),
                }
            }
            Recipe::Help => return Planned::Help,
            Recipe::Conversation if clauses.len() == 1 => return Planned::Conversation,
            Recipe::Conversation => continue,
        };
        let offset = u32::try_from(steps.len()).unwrap_or(u32::MAX);
        let mut clause_project_step = None;
        for spec in specs {
            let index = u32::try_from(steps.len()).unwrap_or(u32::MAX) + 1;
            let mut arguments = Map::new();
            let mut depends_on: Vec<u32> = spec
                .after
                .iter()
                .map(|&a| offset + u32::try_from(a).unwrap_or(0) + 1)
                .collect();
            for &(name, source) in spec.args {
                let value = match source {
                    Source::Entity(key) => understood.entities.get(key).cloned().map(Value::from),
                    Source::Required(key, question) => match understood.entities.get(key) {
                        Some(value) => Some(Value::from(value.clone())),
                        None => {
                            return Planned::Ask {
                                intent,
                                question: lang.pick(question.pl, question.en).to_owned(),
                            }
                        }
                    },
                    Source::RequiredAny(keys, question) => {
                        match keys.iter().find_map(|k| understood.entities.get(*k)) {
                            Some(value) => Some(Value::from(value.clone())),
                            None => {
                                return Planned::Ask {
                                    intent,
                                    question: lang.pick(question.pl, question.en).to_owned(),
                                }
                            }
                        }
                    }
                    Source::EntityIf(key, when) => understood
                        .entities
                        .get(key)
                        .filter(|_| understood.entities.contains_key(when))
                        .cloned()
                        .map(Value::from),
                    Source::EntityOr(key, default) => Some(Value::from(
                        understood
                            .entities
                            .get(key)
                            .cloned()
                            .unwrap_or_else(|| default.to_owned()),
                    )),
                    Source::Number(key) => understood
                        .entities
                        .get(key)
                        .and_then(|v| v.parse::<u64>().ok())
                        .map(Value::from),
                    Source::Project | Source::ProjectFile(_) => {
                        let producer = clause_project_step.or(project_step);
                        let base = match producer {
                            Some(step) => {
                                if !depends_on.contains(&step) {
                                    depends_on.push(step);
                                }
                                StepRef::new(step, "path").text()
                            }
                            None => project_path(&understood.entities, text, hint),
                        };
                        Some(Value::from(match source {
                            Source::ProjectFile(file) if base == "." => file.to_owned(),
                            Source::ProjectFile(file) => format!("{base}/{file}"),
                            _ => base,
                        }))
                    }
                    Source::Text => Some(Value::from(text.clone())),
                    Source::Flag(flag) => Some(Value::Bool(flag)),
                    Source::WriteMode => Some(Value::from(write_mode(text, &understood.entities))),
                    Source::PageView => Some(Value::from(page_view(text))),
                };
                if let Some(value) = value {
                    arguments.insert(name.to_owned(), value);
                }
            }
            if spec.tool == "process_kill"
                && !arguments.contains_key("pid")
                && !arguments.contains_key("process")
            {
                return Planned::Ask {
                    intent,
                    question: lang
                        .pick(table::WHICH_PROCESS.pl, table::WHICH_PROCESS.en)
                        .to_owned(),
                };
            }
            if spec.makes_project {
                clause_project_step = Some(index);
            }
            depends_on.sort_unstable();
            let description = describe(
                lang.pick(spec.describe_pl, spec.describe_en),
                &arguments,
                lang,
            );
            steps.push(Step {
                index,
                description,
                call: ToolCall {
                    id: format!("{plan_id}-{index}"),
                    tool: spec.tool.to_owned(),
                    arguments: Value::Object(arguments),
                },
                depends_on,
            });
        }
        if clause_project_step.is_some() {
            project_step = clause_project_step;
        }
    }
    let intent = first_intent.unwrap_or(Intent::Chat);
    if steps.is_empty() {
        return match notes.into_iter().next() {
            Some(text) => Planned::Reply { intent, text },
            None => Planned::Conversation,
        };
    }
    Planned::Steps {
        plan: Plan {
            id: plan_id.to_owned(),
            intent,
            steps,
        },
        notes,
    }
}

/// The project a clause is about when no earlier step makes one: the path or name it gives,
/// a directory of the workspace it mentions ("testy w katalogu sklep"), the workspace when
/// it is a project, or the session's last project.
pub(crate) fn project_path(
    entities: &BTreeMap<String, String>,
    text: &str,
    hint: &ProjectHint,
) -> String {
    if let Some(path) = entities.get("path") {
        return path.clone();
    }
    let folded_dirs: Vec<(String, &String)> = hint.dirs.iter().map(|d| (fold(d), d)).collect();
    let named = entities.get("name").map(|name| fold(name));
    if let Some((_, dir)) = folded_dirs.iter().find(|(f, _)| Some(f) == named.as_ref()) {
        return (*dir).clone();
    }
    let words: Vec<String> = fold(text)
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '?' | '!' | '"' | '\'' | '„' | '”')
        })
        .map(|w| w.trim_end_matches(['.', ':']).to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    if let Some((_, dir)) = folded_dirs
        .iter()
        .find(|(f, _)| !f.starts_with('.') && words.iter().any(|w| w == f))
    {
        return (*dir).clone();
    }
    if hint.workspace_is_project {
        return ".".to_owned();
    }
    hint.focus.clone().unwrap_or_else(|| ".".to_owned())
}

/// See [`Source::WriteMode`].
fn write_mode(text: &str, entities: &BTreeMap<String, String>) -> &'static str {
    let folded = fold(text);
    let appends = ["dopisz", "dopisac", "dodaj na koncu", "dolacz", "na koniec"]
        .iter()
        .any(|cue| folded.contains(cue));
    match (appends, entities.contains_key("content")) {
        (true, _) => "append",
        (false, true) => "overwrite",
        (false, false) => "create",
    }
}

/// See [`Source::PageView`].
fn page_view(text: &str) -> &'static str {
    let folded = fold(text);
    if ["link", "odnosnik", "adresy"]
        .iter()
        .any(|cue| folded.contains(cue))
    {
        "links"
    } else if folded.contains("tabel") {
        "tables"
    } else {
        "markdown"
    }
}

/// Fills `{name}` in a description with the argument's value; a reference to an earlier
/// step reads "the project from step N".
fn describe(template: &str, arguments: &Map<String, Value>, lang: Lang) -> String {
    let mut text = template.to_owned();
    while let Some(start) = text.find('{') {
        let Some(len) = text[start..].find('}') else {
            break;
        };
        let key = &text[start + 1..start + len];
        let value = match arguments.get(key) {
            Some(Value::String(s)) => match crate::references::leading(s) {
                Some(StepRef { step: n, .. }) => lang
                    .pick(
                        &format!("(projekt z kroku {n})"),
                        &format!("(the project from step {n})"),
                    )
                    .to_owned(),
                None if s == "." => lang.pick("(obszar roboczy)", "(the workspace)").to_owned(),
                None => s.clone(),
            },
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        text.replace_range(start..start + len + 1, &value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use dark8_nlp::Engine;

    fn planned(text: &str) -> Planned {
        let engine = Engine::embedded().unwrap();
        let clauses = crate::clauses::split(&engine, text);
        build(&clauses, &ProjectHint::default(), Lang::Pl, "p")
    }

    #[test]
    fn the_compound_build_command_chains_on_the_created_project() {
        let Planned::Steps { plan, .. } = planned(
            "Zbuduj REST API w FastAPI o nazwie sklep, przetestuj je i przygotuj Dockerfile",
        ) else {
            panic!("no plan");
        };
        let tools: Vec<&str> = plan.steps.iter().map(|s| s.call.tool.as_str()).collect();
        assert_eq!(
            tools,
            [
                "project_create",
                "code_analyze",
                "project_build",
                "tests_run",
                "project_deploy"
            ]
        );
        assert_eq!(plan.steps[0].call.arguments["framework"], "fastapi");
        assert_eq!(plan.steps[0].call.arguments["name"], "sklep");
        assert_eq!(plan.steps[2].call.arguments["path"], "${step1.path}");
        assert_eq!(plan.steps[3].depends_on, vec![1, 3]);
        assert_eq!(plan.steps[4].call.arguments["target"], "docker");
        assert!(
            plan.steps[3].description.contains("projekt z kroku 1"),
            "{}",
            plan.steps[3].description
        );
    }

    #[test]
    fn a_workspace_directory_named_in_the_text_is_the_project() {
        let engine = Engine::embedded().unwrap();
        let hint = ProjectHint {
            dirs: vec!["sklep".into(), "docs".into()],
            ..ProjectHint::default()
        };
        let clauses = crate::clauses::split(&engine, "Uruchom testy w katalogu sklep");
        let Planned::Steps { plan, .. } = build(&clauses, &hint, Lang::Pl, "p") else {
            panic!("no plan");
        };
        assert_eq!(plan.steps[1].call.arguments["path"], "sklep");
        let clauses = crate::clauses::split(&engine, "Uruchom testy");
        let hint = ProjectHint {
            focus: Some("blog".into()),
            ..ProjectHint::default()
        };
        let Planned::Steps { plan, .. } = build(&clauses, &hint, Lang::Pl, "p") else {
            panic!("no plan");
        };
        assert_eq!(plan.steps[0].call.arguments["path"], "blog");
    }

    #[test]
    fn a_write_without_content_never_empties_an_existing_file() {
        let mode = |text: &str| match planned(text) {
            Planned::Steps { plan, .. } => plan.steps[0].call.arguments["mode"].clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(mode("Zapisz plik a.txt z treścią ala ma kota"), "overwrite");
        assert_eq!(mode("Dopisz do pliku log.txt tekst koniec"), "append");
        // A write with no content: at most an empty new file.
        assert_eq!(mode("Utwórz plik notatki.txt"), "create");
    }

    #[test]
    fn a_missing_entity_becomes_a_polish_question() {
        match planned("Stwórz aplikację do notatek") {
            Planned::Ask { intent, question } => {
                assert_eq!(intent, Intent::BuildApp);
                assert!(question.starts_with("W jakim frameworku?"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_web_intents_use_the_browser_tools() {
        let call = |text: &str| match planned(text) {
            Planned::Steps { plan, .. } => plan.steps[0].call.clone(),
            other => panic!("{text}: {other:?}"),
        };
        let search = call("Wyszukaj w internecie dokumentację axum");
        assert_eq!(search.tool, "web_search");
        assert_eq!(search.arguments["query"], "dokumentację axum");
        let open = call("Otwórz stronę https://docs.rs");
        assert_eq!(open.tool, "browser_open");
        assert_eq!(open.arguments["url"], "https://docs.rs");
        let links = call("Wyciągnij linki ze strony https://example.com");
        assert_eq!(links.tool, "browser_read");
        assert_eq!(links.arguments["what"], "links");
        let text = call("Pobierz treść strony https://example.com i ją streść");
        assert_eq!(text.arguments["what"], "markdown");
    }

    #[test]
    fn tool_less_intents_answer_honestly() {
        assert!(matches!(
            planned("Zapisz token GitHuba w sejfie"),
            Planned::Reply {
                intent: Intent::SecretSet,
                ..
            }
        ));
        assert_eq!(planned("W czym możesz mi pomóc?"), Planned::Help);
        assert_eq!(planned("Wyjaśnij, czym jest mutex"), Planned::Conversation);
    }
}
