//! The plan table: for every intent of the contract, the tool calls that carry it out and
//! where each argument comes from. This is data; the builder in `plan::build` reads it and the
//! loop never matches on intents.

use dark8_protocol::Intent;

/// Where one argument of a step comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    /// The entity of this name, left out when absent.
    Entity(&'static str),
    /// The entity of this name; when absent the plan stops and asks the question.
    Required(&'static str, Question),
    /// The first of these entities present; when none is, the plan stops and asks.
    RequiredAny(&'static [&'static str], Question),
    /// The entity `.0`, only when the entity `.1` is present too (a clone's target directory
    /// is the path only when the source came as a URL).
    EntityIf(&'static str, &'static str),
    /// The entity of this name, else this text.
    EntityOr(&'static str, &'static str),
    /// The entity of this name as a number, left out when absent.
    Number(&'static str),
    /// The project the command is about: a project made earlier in the same plan, the path
    /// or name the user gave, the session's last project, or the workspace.
    Project,
    /// A file inside that project, e.g. its analysis report.
    ProjectFile(&'static str),
    /// The clause's whole text (free-text searches).
    Text,
    /// A constant boolean.
    Flag(bool),
    /// How `fs_write` writes: `append` when the text asks to add at the end ("dopisz",
    /// "dodaj na końcu"), `overwrite` when it gives the content, else `create` (an empty new
    /// file, never an existing one emptied by a misread command).
    WriteMode,
    /// What `browser_read` returns: `links` when the text asks for links ("linki",
    /// "odnośniki"), `tables` for tables ("tabele"), else `markdown`.
    PageView,
}

/// A Polish question (with its English twin) for a missing entity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Question {
    /// Polish.
    pub pl: &'static str,
    /// English.
    pub en: &'static str,
}

/// One step of an intent's plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepSpec {
    /// The tool to call.
    pub tool: &'static str,
    /// Polish description; `{name}` is replaced by the argument `name`.
    pub describe_pl: &'static str,
    /// English description.
    pub describe_en: &'static str,
    /// Arguments and where they come from.
    pub args: &'static [(&'static str, Source)],
    /// Indices (in this intent's steps) of the steps that must succeed first.
    pub after: &'static [usize],
    /// True when the step makes a project later steps work on (its output has `path`).
    pub makes_project: bool,
}

/// What an intent gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Recipe {
    /// Tool calls.
    Steps(&'static [StepSpec]),
    /// An answer without tools (Polish, English), e.g. what is not available yet.
    Reply(&'static str, &'static str),
    /// The capability list (HELP).
    Help,
    /// Conversation: the language model, or a note that none is configured.
    Conversation,
}

/// An intent and its recipe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntentPlan {
    /// The intent.
    pub intent: Intent,
    /// What a user can say for it (shown by HELP), Polish.
    pub example_pl: &'static str,
    /// The recipe.
    pub recipe: Recipe,
}

const fn step(
    tool: &'static str,
    describe_pl: &'static str,
    describe_en: &'static str,
    args: &'static [(&'static str, Source)],
) -> StepSpec {
    StepSpec {
        tool,
        describe_pl,
        describe_en,
        args,
        after: &[],
        makes_project: false,
    }
}

const FRAMEWORK: Question = Question {
    pl: "W jakim frameworku? Do wyboru: django, flask, fastapi, nodejs (Express), rust (axum).",
    en: "Which framework? One of: django, flask, fastapi, nodejs (Express), rust (axum).",
};
const WHICH_FILE: Question = Question {
    pl: "Który plik? Podaj jego ścieżkę, np. „Pokaż plik README.md”.",
    en: "Which file? Give its path, e.g. \"Show file README.md\".",
};
const WHICH_SECOND_FILE: Question = Question {
    pl: "Z którym plikiem porównać? Np. „Porównaj pliki a.txt i b.txt”.",
    en: "Compare with which file? E.g. \"Compare files a.txt and b.txt\".",
};
const WHERE_TO: Question = Question {
    pl: "Dokąd? Podaj nową nazwę albo katalog, np. „Skopiuj plik a.txt do kopie/a.txt”.",
    en: "Where to? Give the new name or a folder, e.g. \"Copy a.txt to kopie/a.txt\".",
};
const WHICH_DIR: Question = Question {
    pl: "Jaki katalog utworzyć? Np. „Utwórz katalog kopie”.",
    en: "Which folder? E.g. \"Create folder backup\".",
};
const WHAT_TO_FIND: Question = Question {
    pl: "Czego szukać? Np. „Znajdź w plikach słowo TODO”.",
    en: "What should I look for? E.g. \"Find TODO in files\".",
};
const WHICH_COMMAND: Question = Question {
    pl: "Jakie polecenie uruchomić? Najlepiej w cudzysłowie, np. Uruchom `cargo build`.",
    en: "Which command? Best in back-quotes, e.g. Run `cargo build`.",
};
const WHICH_REPO: Question = Question {
    pl: "Jakie repozytorium sklonować? Podaj adres, np. https://github.com/serde-rs/serde.",
    en: "Which repository? Give its URL.",
};
const COMMIT_MESSAGE: Question = Question {
    pl: "Jaki opis commita? Np. „Zatwierdź zmiany z opisem poprawka logowania”.",
    en: "What commit message? E.g. \"Commit with message fix login\".",
};
const PR_TITLE: Question = Question {
    pl: "Jaki tytuł pull requesta?",
    en: "What title for the pull request?",
};
const WHICH_PACKAGE: Question = Question {
    pl: "Jaki pakiet zainstalować? Np. „Zainstaluj requests przez pip”.",
    en: "Which package? E.g. \"Install requests with pip\".",
};
const WHICH_URL: Question = Question {
    pl: "Pod jaki adres wysłać żądanie? Np. „Wyślij GET do http://localhost:8000/health”.",
    en: "Which URL? E.g. \"Send GET to http://localhost:8000/health\".",
};
const WHICH_PAGE: Question = Question {
    pl: "Jaką stronę otworzyć? Np. „Otwórz stronę https://docs.rs”.",
    en: "Which page? E.g. \"Otwórz stronę https://docs.rs\".",
};
const WHAT_TO_SEARCH: Question = Question {
    pl: "Czego szukać w internecie? Np. „Wyszukaj w internecie dokumentację tokio”.",
    en: "What should I search the web for? E.g. \"Wyszukaj w internecie dokumentację tokio\".",
};
const WHICH_QUERY: Question = Question {
    pl: "Jakie zapytanie SQL wykonać? Najlepiej w cudzysłowie.",
    en: "Which SQL query? Best in quotes.",
};
const WHAT_TO_REMEMBER: Question = Question {
    pl: "Co mam zapamiętać? Np. „Zapamiętaj, że baza działa na porcie 5433”.",
    en: "What should I remember?",
};
pub(crate) const WHICH_PROCESS: Question = Question {
    pl: "Który proces zakończyć? Podaj numer PID albo nazwę.",
    en: "Which process? Give its PID or name.",
};

/// Every intent of the contract with its recipe.
pub const PLANS: &[IntentPlan] = &[
    IntentPlan {
        intent: Intent::BuildApp,
        example_pl: "Zbuduj REST API w FastAPI o nazwie sklep",
        recipe: Recipe::Steps(&[
            StepSpec {
                makes_project: true,
                ..step(
                    "project_create",
                    "Tworzę projekt {framework} z szablonu (git init i pierwszy commit)",
                    "Creating a {framework} project from its template (git init, first commit)",
                    &[
                        ("framework", Source::Required("framework", FRAMEWORK)),
                        ("name", Source::Entity("name")),
                        ("app_type", Source::Entity("app_type")),
                    ],
                )
            },
            StepSpec {
                after: &[0],
                ..step(
                    "code_analyze",
                    "Analizuję kod nowego projektu (raport analiza.sarif)",
                    "Analyzing the new project's code (report analiza.sarif)",
                    &[
                        ("path", Source::Project),
                        ("sarif", Source::ProjectFile("analiza.sarif")),
                    ],
                )
            },
        ]),
    },
    IntentPlan {
        intent: Intent::AnalyzeCode,
        example_pl: "Przeanalizuj kod w katalogu ./api",
        recipe: Recipe::Steps(&[step(
            "code_analyze",
            "Analizuję kod w {path} (raport analiza.sarif)",
            "Analyzing the code in {path} (report analiza.sarif)",
            &[
                ("path", Source::Project),
                ("sarif", Source::ProjectFile("analiza.sarif")),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::BuildProject,
        example_pl: "Zbuduj projekt sklep",
        recipe: Recipe::Steps(&[step(
            "project_build",
            "Buduję projekt {path}",
            "Building the project {path}",
            &[("path", Source::Project)],
        )]),
    },
    IntentPlan {
        intent: Intent::RunTests,
        example_pl: "Uruchom testy projektu sklep",
        recipe: Recipe::Steps(&[
            step(
                "project_build",
                "Instaluję zależności i buduję {path}",
                "Installing dependencies and building {path}",
                &[("path", Source::Project)],
            ),
            StepSpec {
                after: &[0],
                ..step(
                    "tests_run",
                    "Uruchamiam testy {path}",
                    "Running the tests of {path}",
                    &[("path", Source::Project)],
                )
            },
        ]),
    },
    IntentPlan {
        intent: Intent::GenerateTests,
        example_pl: "Wygeneruj testy dla projektu sklep",
        recipe: Recipe::Steps(&[step(
            "tests_generate",
            "Generuję testy dla {path}",
            "Generating tests for {path}",
            &[("path", Source::Project)],
        )]),
    },
    IntentPlan {
        intent: Intent::Deploy,
        example_pl: "Przygotuj Dockerfile dla projektu",
        recipe: Recipe::Steps(&[step(
            "project_deploy",
            "Przygotowuję wdrożenie {target} dla {path}",
            "Preparing the {target} deployment of {path}",
            &[
                ("path", Source::Project),
                ("target", Source::EntityOr("target", "docker")),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::FileRead,
        example_pl: "Pokaż plik README.md",
        recipe: Recipe::Steps(&[step(
            "fs_read",
            "Czytam plik {path}",
            "Reading {path}",
            &[("path", Source::Required("path", WHICH_FILE))],
        )]),
    },
    IntentPlan {
        intent: Intent::FileWrite,
        example_pl: "Zapisz plik notatki.txt z treścią spotkanie o 10",
        recipe: Recipe::Steps(&[step(
            "fs_write",
            "Zapisuję plik {path}",
            "Writing {path}",
            &[
                ("path", Source::Required("path", WHICH_FILE)),
                ("content", Source::EntityOr("content", "")),
                ("mode", Source::WriteMode),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::FileList,
        example_pl: "Pokaż zawartość katalogu src",
        recipe: Recipe::Steps(&[step(
            "fs_list",
            "Wypisuję katalog {path}",
            "Listing {path}",
            &[("path", Source::EntityOr("path", "."))],
        )]),
    },
    IntentPlan {
        intent: Intent::FileDelete,
        example_pl: "Usuń plik stary.txt",
        recipe: Recipe::Steps(&[step(
            "fs_delete",
            "Usuwam {path} (do kosza; `dark8 undo` przywraca)",
            "Deleting {path} (to the trash; `dark8 undo` restores)",
            &[("path", Source::Required("path", WHICH_FILE))],
        )]),
    },
    IntentPlan {
        intent: Intent::FileDiff,
        example_pl: "Porównaj pliki a.txt i b.txt",
        recipe: Recipe::Steps(&[step(
            "fs_diff",
            "Porównuję {path} z {path2}",
            "Comparing {path} with {path2}",
            &[
                ("path", Source::Required("path", WHICH_FILE)),
                ("path2", Source::Required("path2", WHICH_SECOND_FILE)),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::FileCopy,
        example_pl: "Skopiuj plik a.txt do kopie",
        recipe: Recipe::Steps(&[step(
            "fs_copy",
            "Kopiuję {path} do {destination} (`dark8 undo` usuwa kopię)",
            "Copying {path} to {destination} (`dark8 undo` removes the copy)",
            &[
                ("path", Source::Required("path", WHICH_FILE)),
                ("destination", Source::Required("path2", WHERE_TO)),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::FileMove,
        example_pl: "Zmień nazwę pliku a.txt na b.txt",
        recipe: Recipe::Steps(&[step(
            "fs_move",
            "Przenoszę {path} do {destination} (`dark8 undo` przenosi z powrotem)",
            "Moving {path} to {destination} (`dark8 undo` moves it back)",
            &[
                ("path", Source::Required("path", WHICH_FILE)),
                ("destination", Source::Required("path2", WHERE_TO)),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::DirCreate,
        example_pl: "Utwórz katalog kopie",
        recipe: Recipe::Steps(&[step(
            "fs_mkdir",
            "Tworzę katalog {path}",
            "Creating folder {path}",
            &[("path", Source::Required("path", WHICH_DIR))],
        )]),
    },
    IntentPlan {
        intent: Intent::FileSearch,
        example_pl: "Znajdź w plikach słowo TODO",
        recipe: Recipe::Steps(&[step(
            "fs_search",
            "Szukam „{query}” w plikach",
            "Searching files for \"{query}\"",
            &[
                ("query", Source::Required("query", WHAT_TO_FIND)),
                ("path", Source::Entity("path")),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::ShellRun,
        example_pl: "Uruchom `cargo build --release`",
        recipe: Recipe::Steps(&[step(
            "shell_run",
            "Uruchamiam w piaskownicy: {command}",
            "Running in the sandbox: {command}",
            &[("command", Source::Required("command", WHICH_COMMAND))],
        )]),
    },
    IntentPlan {
        intent: Intent::GitClone,
        example_pl: "Sklonuj https://github.com/serde-rs/serde",
        recipe: Recipe::Steps(&[StepSpec {
            makes_project: true,
            ..step(
                "git_clone",
                "Klonuję {url}",
                "Cloning {url}",
                &[
                    // "Sklonuj /srv/repo" names a local repository as a path.
                    ("url", Source::RequiredAny(&["url", "path"], WHICH_REPO)),
                    ("path", Source::EntityIf("path", "url")),
                ],
            )
        }]),
    },
    IntentPlan {
        intent: Intent::GitCommit,
        example_pl: "Zatwierdź zmiany z opisem pierwsza wersja",
        recipe: Recipe::Steps(&[step(
            "git_commit",
            "Zatwierdzam wszystkie zmiany: „{message}”",
            "Committing every change: \"{message}\"",
            &[
                ("message", Source::Required("message", COMMIT_MESSAGE)),
                ("all", Source::Flag(true)),
                ("path", Source::Project),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::GitPush,
        example_pl: "Wypchnij zmiany na main",
        recipe: Recipe::Steps(&[step(
            "git_push",
            "Wysyłam commity do zdalnego repozytorium",
            "Pushing commits",
            &[("branch", Source::Entity("branch")), ("path", Source::Project)],
        )]),
    },
    IntentPlan {
        intent: Intent::GitStatus,
        example_pl: "Co się zmieniło w repozytorium?",
        recipe: Recipe::Steps(&[step(
            "git_status",
            "Sprawdzam stan repozytorium",
            "Checking the repository status",
            &[("path", Source::Project)],
        )]),
    },
    IntentPlan {
        intent: Intent::GitPullRequest,
        example_pl: "Otwórz pull request „Nowy moduł płatności”",
        recipe: Recipe::Steps(&[step(
            "git_pull_request",
            "Otwieram pull request „{title}”",
            "Opening pull request \"{title}\"",
            &[
                ("title", Source::Required("title", PR_TITLE)),
                ("path", Source::Project),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::PackageInstall,
        example_pl: "Zainstaluj requests przez pip",
        recipe: Recipe::Steps(&[step(
            "pkg_install",
            "Instaluję pakiet {package}",
            "Installing {package}",
            &[
                ("package", Source::Required("package", WHICH_PACKAGE)),
                ("manager", Source::Entity("manager")),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::HttpRequest,
        example_pl: "Wyślij GET do http://localhost:8000/health",
        recipe: Recipe::Steps(&[step(
            "http_request",
            "Wysyłam {method} {url}",
            "Sending {method} {url}",
            &[
                ("method", Source::EntityOr("method", "GET")),
                ("url", Source::Required("url", WHICH_URL)),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::DbQuery,
        example_pl: "Zapytaj bazę danych: SELECT count(*) FROM users",
        recipe: Recipe::Steps(&[step(
            "db_query",
            "Wykonuję zapytanie SQL",
            "Running the SQL query",
            &[("query", Source::Required("query", WHICH_QUERY))],
        )]),
    },
    IntentPlan {
        intent: Intent::WebSearch,
        example_pl: "Wyszukaj w internecie dokumentację axum",
        recipe: Recipe::Steps(&[step(
            "web_search",
            "Szukam w internecie: {query}",
            "Searching the web: {query}",
            &[("query", Source::Required("query", WHAT_TO_SEARCH))],
        )]),
    },
    IntentPlan {
        intent: Intent::BrowseUrl,
        example_pl: "Otwórz stronę https://docs.rs",
        recipe: Recipe::Steps(&[step(
            "browser_open",
            "Otwieram stronę {url}",
            "Opening {url}",
            &[("url", Source::Required("url", WHICH_PAGE))],
        )]),
    },
    IntentPlan {
        intent: Intent::ScrapePage,
        example_pl: "Wyciągnij linki ze strony https://example.com",
        recipe: Recipe::Steps(&[step(
            "browser_read",
            "Czytam stronę {url}",
            "Reading {url}",
            &[
                ("url", Source::Required("url", WHICH_PAGE)),
                ("what", Source::PageView),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::SystemStatus,
        example_pl: "Ile mam wolnego miejsca na dysku?",
        recipe: Recipe::Steps(&[step(
            "system_status",
            "Sprawdzam stan komputera ({resource})",
            "Checking the machine ({resource})",
            &[("resource", Source::EntityOr("resource", "all"))],
        )]),
    },
    IntentPlan {
        intent: Intent::ProcessList,
        example_pl: "Pokaż procesy",
        recipe: Recipe::Steps(&[step(
            "process_list",
            "Wypisuję procesy",
            "Listing processes",
            &[("process", Source::Entity("process"))],
        )]),
    },
    IntentPlan {
        intent: Intent::ProcessKill,
        example_pl: "Zabij proces 4242",
        recipe: Recipe::Steps(&[step(
            "process_kill",
            "Kończę proces {pid}{process}",
            "Ending process {pid}{process}",
            &[
                ("pid", Source::Number("pid")),
                ("process", Source::Entity("process")),
            ],
        )]),
    },
    IntentPlan {
        intent: Intent::MemorySave,
        example_pl: "Zapamiętaj, że baza działa na porcie 5433",
        recipe: Recipe::Steps(&[step(
            "memory_save",
            "Zapamiętuję: {content}",
            "Remembering: {content}",
            &[("content", Source::Required("content", WHAT_TO_REMEMBER))],
        )]),
    },
    IntentPlan {
        intent: Intent::MemoryRecall,
        example_pl: "Na jakim porcie działa baza?",
        recipe: Recipe::Steps(&[step(
            "memory_search",
            "Przeszukuję pamięć",
            "Searching memory",
            &[("query", Source::Text)],
        )]),
    },
    IntentPlan {
        intent: Intent::SecretSet,
        example_pl: "Zapisz token GitHuba w sejfie",
        recipe: Recipe::Reply(
            "Sekret zapisz poleceniem `dark8 secret set NAZWA` (np. GITHUB_TOKEN): wartość wpiszesz w ukrytym polu, więc nie trafi do historii, dziennika ani do modelu językowego.",
            "Store a secret with `dark8 secret set NAME` (e.g. GITHUB_TOKEN): the value is typed in a hidden prompt, so it never reaches history, the log or a language model.",
        ),
    },
    IntentPlan {
        intent: Intent::Help,
        example_pl: "W czym możesz mi pomóc?",
        recipe: Recipe::Help,
    },
    IntentPlan {
        intent: Intent::Chat,
        example_pl: "Wyjaśnij, czym jest mutex",
        recipe: Recipe::Conversation,
    },
];

/// The recipe of `intent`.
pub fn plan_for(intent: Intent) -> Option<&'static IntentPlan> {
    PLANS.iter().find(|plan| plan.intent == intent)
}

/// The intent whose recipe ends in a call of `tool` (a direct call from a screen is recorded
/// as that intent: `tests_run` is RUN_TESTS); CHAT for a tool no recipe ends in.
pub fn intent_of_tool(tool: &str) -> Intent {
    let ends_in = |plan: &&IntentPlan| match plan.recipe {
        Recipe::Steps(steps) => steps.last().is_some_and(|step| step.tool == tool),
        _ => false,
    };
    PLANS
        .iter()
        .find(ends_in)
        .map(|plan| plan.intent)
        .unwrap_or(Intent::Chat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_direct_call_is_recorded_as_the_intent_its_tool_serves() {
        assert_eq!(intent_of_tool("tests_run"), Intent::RunTests);
        assert_eq!(intent_of_tool("process_kill"), Intent::ProcessKill);
        assert_eq!(intent_of_tool("memory_save"), Intent::MemorySave);
        assert_eq!(intent_of_tool("memory_forget"), Intent::Chat);
    }

    #[test]
    fn every_intent_of_the_contract_has_exactly_one_recipe() {
        for intent in Intent::ALL {
            assert_eq!(
                PLANS.iter().filter(|p| p.intent == intent).count(),
                1,
                "{intent}"
            );
        }
    }

    #[test]
    fn step_dependencies_point_backwards() {
        for plan in PLANS {
            if let Recipe::Steps(steps) = plan.recipe {
                for (i, step) in steps.iter().enumerate() {
                    assert!(step.after.iter().all(|&a| a < i), "{}", plan.intent);
                }
            }
        }
    }
}
