//! Acting needs evidence: an intent that changes something is carried out only when its
//! object is a concrete thing on this computer. The engine reads the verb well, but "Zamknij
//! żaluzje" and "Zatrzymaj odkurzacz" read as PROCESS_KILL with the blinds and the vacuum
//! cleaner as processes; here DARK8 looks at the machine (running processes, programs on
//! PATH, paths in the workspace, git repositories, the shape of a URL, a query or a package
//! name) and, when the object is not there, asks instead of acting — `--yes` or not.

use std::path::{Path, PathBuf};

use dark8_nlp::Understanding;

use crate::language::Lang;

/// What DARK8 can find out about this machine, asked only for intents that change something.
pub trait Machine: Send + Sync {
    /// A process of this name (case-insensitive, `.exe` ignored) runs now.
    fn process_running(&self, name: &str) -> bool;
    /// A program of this name is on PATH.
    fn program_known(&self, name: &str) -> bool;
    /// A process with this id runs now.
    fn pid_running(&self, pid: u32) -> bool;
}

/// The real machine: sysinfo's process table and PATH.
#[derive(Debug, Default, Clone, Copy)]
pub struct ThisMachine;

impl Machine for ThisMachine {
    fn process_running(&self, name: &str) -> bool {
        let wanted = strip_exe(name);
        dark8_tools::builtin::system::snapshot()
            .iter()
            .any(|p| strip_exe(&p.name).eq_ignore_ascii_case(wanted))
    }

    fn program_known(&self, name: &str) -> bool {
        which::which(name).is_ok()
    }

    fn pid_running(&self, pid: u32) -> bool {
        dark8_tools::builtin::system::is_running(pid)
    }
}

/// Words after a number that make it an amount ("5 minut", "50 procent"), not a process id.
const UNITS: &[&str] = &[
    "minut", "min", "godzin", "sekund", "sek", "procent", "%", "stopn", "dni", "dzie", "raz",
    "tydz", "miesi", "lat", "ms", "s", "h",
];

/// Whether `number` in `text` is followed by a unit word.
fn followed_by_unit(text: &str, number: &str) -> bool {
    let lower = text.to_lowercase();
    let mut words = lower.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let glued = word.strip_prefix(number).filter(|rest| !rest.is_empty());
        if let Some(rest) = glued {
            if UNITS
                .iter()
                .any(|u| rest.trim_start_matches('-').starts_with(u))
            {
                return true;
            }
        }
        if word.trim_matches(|c: char| !c.is_alphanumeric()) == number {
            if let Some(next) = words.peek() {
                if UNITS.iter().any(|u| next.starts_with(u)) {
                    return true;
                }
            }
        }
    }
    false
}

fn strip_exe(name: &str) -> &str {
    name.strip_suffix(".exe")
        .or_else(|| name.strip_suffix(".EXE"))
        .unwrap_or(name)
}

/// Commands of the shell itself, never on PATH.
const SHELL_BUILTINS: &[&str] = &[
    "cd", "echo", "export", "set", "unset", "source", ".", "type", "alias", "pwd", "test", "[",
    "true", "false", "printf", "read", "ulimit", "umask", "wait", "exit", "command", "eval",
];

/// Words that start an SQL statement or a Redis command the database tool runs.
const QUERY_WORDS: &[&str] = &[
    "select", "insert", "update", "delete", "create", "drop", "alter", "with", "explain", "pragma",
    "show", "describe", "truncate", "replace", "get", "set", "del", "keys", "hget", "hset",
    "lpush", "rpush", "incr", "expire", "ttl", "scan",
];

/// The question DARK8 asks instead of acting on `understood`, when its object is not a
/// concrete thing here; `None` when the command may go ahead (or the intent changes
/// nothing). `earlier` are the clauses before it in the same command (a file made by one
/// of them may be deleted by a later one).
pub fn missing_evidence(
    understood: &Understanding,
    earlier: &[Understanding],
    workspace: &Path,
    project: Option<&Path>,
    machine: &dyn Machine,
    lang: Lang,
) -> Option<String> {
    let entity = |key: &str| {
        understood
            .entities
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    match understood.intent.as_str() {
        "PROCESS_KILL" => {
            if let Some(pid) = entity("pid") {
                let running = pid
                    .parse::<u32>()
                    .is_ok_and(|pid| pid > 1 && machine.pid_running(pid));
                let amount = followed_by_unit(&understood.text, pid);
                return (!running || amount).then(|| match lang {
                    Lang::Pl => format!("Nie widzę procesu o numerze {pid}. O który proces chodzi? (lista: „Pokaż procesy”)"),
                    Lang::En => format!("I see no process with the number {pid}. Which process do you mean? (list: \"Pokaż procesy\")"),
                });
            }
            let name = entity("process")?;
            (!machine.process_running(name) && !machine.program_known(name)).then(|| match lang {
                Lang::Pl => format!("Nie widzę procesu „{name}”. O który proces chodzi? Podaj nazwę programu albo numer PID (lista: „Pokaż procesy”)."),
                Lang::En => format!("I see no process \"{name}\". Which process do you mean? Give a program name or a PID (list: \"Pokaż procesy\")."),
            })
        }
        "SHELL_RUN" => {
            let command = entity("command")?;
            let program = command.split_whitespace().next()?;
            let known = SHELL_BUILTINS.contains(&program)
                || machine.program_known(program)
                || ((program.contains('/') || program.contains('\\'))
                    && resolve(workspace, program).exists());
            (!known).then(|| match lang {
                Lang::Pl => format!("Nie znam programu „{program}” na tym komputerze. Jaką komendę uruchomić? Np. „Uruchom komendę ls -la”."),
                Lang::En => format!("There is no program \"{program}\" on this computer. Which command should I run? E.g. \"Uruchom komendę ls -la\"."),
            })
        }
        "FILE_DELETE" | "FILE_COPY" | "FILE_MOVE" => {
            let path = entity("path")?;
            let made_earlier = earlier.iter().any(|u| {
                u.entities.get("path").is_some_and(|p| p.trim() == path)
                    || u.entities.get("path2").is_some_and(|p| p.trim() == path)
            });
            let (verb_pl, verb_en) = match understood.intent.as_str() {
                "FILE_COPY" => ("skopiować", "copy"),
                "FILE_MOVE" => ("przenieść", "move"),
                _ => ("usunąć", "delete"),
            };
            (!made_earlier && !resolve(workspace, path).exists()).then(|| match lang {
                Lang::Pl => format!("Nie ma „{path}” w obszarze roboczym ({}). Który plik albo katalog {verb_pl}?", workspace.display()),
                Lang::En => format!("There is no \"{path}\" in the workspace ({}). Which file or directory should I {verb_en}?", workspace.display()),
            })
        }
        "GIT_PUSH" | "GIT_COMMIT" => {
            let base = entity("path")
                .map(|p| resolve(workspace, p))
                .or_else(|| project.map(|p| resolve(workspace, &p.to_string_lossy())))
                .unwrap_or_else(|| workspace.to_path_buf());
            let Some(repository) = git_repository(&base) else {
                return Some(match lang {
                    Lang::Pl => format!("W {} nie ma repozytorium git. W którym projekcie? Np. „Wypchnij zmiany w projekcie blog”.", base.display()),
                    Lang::En => format!("There is no git repository in {}. In which project? E.g. \"Wypchnij zmiany w projekcie blog\".", base.display()),
                });
            };
            let branch = entity("branch").filter(|_| understood.intent == "GIT_PUSH")?;
            (!has_branch(&repository, branch)).then(|| match lang {
                Lang::Pl => format!(
                    "Repozytorium {} nie ma gałęzi „{branch}”. Którą gałąź wypchnąć?",
                    repository.display()
                ),
                Lang::En => format!(
                    "The repository {} has no branch \"{branch}\". Which branch should I push?",
                    repository.display()
                ),
            })
        }
        "PACKAGE_INSTALL" => {
            let names = entity("package")?;
            let odd: Vec<&str> = names
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|n| !n.is_empty() && *n != "i" && *n != "oraz")
                .filter(|n| !looks_like_package(n))
                .collect();
            let Some(first) = odd.first() else {
                let manifest = [
                    "requirements.txt",
                    "pyproject.toml",
                    "package.json",
                    "Cargo.toml",
                    "go.mod",
                    "Gemfile",
                    "composer.json",
                    "pom.xml",
                    "build.gradle",
                ];
                let project = project.map_or_else(
                    || workspace.to_path_buf(),
                    |p| resolve(workspace, &p.to_string_lossy()),
                );
                let known_manager = entity("manager").is_some()
                    || manifest
                        .iter()
                        .any(|m| project.join(m).exists() || workspace.join(m).exists());
                return (!known_manager).then(|| match lang {
                    Lang::Pl => format!("Czym zainstalować „{names}”: pip, npm, cargo czy apt? Np. „Zainstaluj {names} przez pip”."),
                    Lang::En => format!("With what should I install \"{names}\": pip, npm, cargo or apt? E.g. \"Zainstaluj {names} przez pip\"."),
                });
            };
            Some(match lang {
                Lang::Pl => format!("„{first}” nie wygląda na nazwę pakietu. Jaki pakiet zainstalować? Np. „Zainstaluj requests przez pip”."),
                Lang::En => format!("\"{first}\" does not look like a package name. Which package should I install? E.g. \"Zainstaluj requests przez pip\"."),
            })
        }
        "HTTP_REQUEST" => {
            let url = entity("url")?;
            let web = url.starts_with("http://") || url.starts_with("https://");
            (!web).then(|| match lang {
                Lang::Pl => format!("„{url}” nie jest adresem strony. Pod jaki adres wysłać zapytanie? Np. „Wyślij GET na https://httpbin.org/get”."),
                Lang::En => format!("\"{url}\" is not a web address. Where should the request go? E.g. \"Wyślij GET na https://httpbin.org/get\"."),
            })
        }
        "DB_QUERY" => {
            let query = entity("query")?;
            let first = query
                .trim_start_matches(['"', '\'', '(', '`'])
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            (!QUERY_WORDS.contains(&first.as_str())).then(|| match lang {
                Lang::Pl => "To nie wygląda na zapytanie do bazy. Jakie zapytanie wykonać? Np. „Wykonaj zapytanie \"SELECT * FROM users\"”.".to_owned(),
                Lang::En => "That does not look like a database query. Which query should I run? E.g. „Wykonaj zapytanie \"SELECT * FROM users\"”.".to_owned(),
            })
        }
        _ => None,
    }
}

/// A package name as registries spell them: ASCII letters, digits and `-_.@/+=<>~^:[]`, a
/// letter or digit (or `@` of an npm scope) first. Polish words with diacritics are not.
fn looks_like_package(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '@');
    first_ok
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@/+=<>~^:[],".contains(c))
}

fn resolve(workspace: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        workspace.join(path)
    }
}

/// The repository `dir` is in (the directory holding `.git`), looking upwards.
fn git_repository(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Whether `repository` has a local or remote-tracking branch `branch` (loose or packed).
fn has_branch(repository: &Path, branch: &str) -> bool {
    let git = repository.join(".git");
    if git.join("refs/heads").join(branch).exists() {
        return true;
    }
    let remotes = git.join("refs/remotes");
    if std::fs::read_dir(&remotes)
        .map(|dirs| {
            dirs.filter_map(Result::ok)
                .any(|r| r.path().join(branch).exists())
        })
        .unwrap_or(false)
    {
        return true;
    }
    // No refs yet (a fresh repository) or packed refs: ask git's own file.
    let packed = std::fs::read_to_string(git.join("packed-refs")).unwrap_or_default();
    packed.lines().any(|line| {
        line.split_whitespace().nth(1).is_some_and(|r| {
            r == format!("refs/heads/{branch}") || r.ends_with(&format!("/{branch}"))
        })
    }) || !git.join("refs/heads").exists()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    struct Fake;

    impl Machine for Fake {
        fn process_running(&self, name: &str) -> bool {
            name == "firefox"
        }
        fn program_known(&self, name: &str) -> bool {
            ["ls", "git", "touch", "python3"].contains(&name)
        }
        fn pid_running(&self, pid: u32) -> bool {
            [5, 4242].contains(&pid)
        }
    }

    fn said(intent: &str, entities: &[(&str, &str)]) -> Understanding {
        Understanding {
            text: String::new(),
            intent: intent.to_owned(),
            confidence: 0.99,
            entities: entities
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    fn ask(u: &Understanding, ws: &Path) -> Option<String> {
        missing_evidence(u, &[], ws, None, &Fake, Lang::Pl)
    }

    #[test]
    fn a_process_must_run_or_be_a_program() {
        let ws = tempfile::tempdir().unwrap();
        let question = ask(&said("PROCESS_KILL", &[("process", "żaluzje")]), ws.path()).unwrap();
        assert!(
            question.contains("Nie widzę procesu „żaluzje”"),
            "{question}"
        );
        assert!(ask(
            &said("PROCESS_KILL", &[("process", "odkurzacz")]),
            ws.path()
        )
        .is_some());
        assert!(ask(&said("PROCESS_KILL", &[("process", "firefox")]), ws.path()).is_none());
        assert!(ask(&said("PROCESS_KILL", &[("pid", "4242")]), ws.path()).is_none());
        assert!(ask(&said("PROCESS_KILL", &[("pid", "999999")]), ws.path()).is_some());
        let mut timer = said("PROCESS_KILL", &[("pid", "5")]);
        timer.text = "wyłącz 5 godzinny minutnik".into();
        assert!(
            ask(&timer, ws.path()).is_some(),
            "an amount is not a process id"
        );
        timer.text = "Zabij proces 5".into();
        assert!(ask(&timer, ws.path()).is_none());
    }

    #[test]
    fn a_command_must_name_a_program() {
        let ws = tempfile::tempdir().unwrap();
        assert!(ask(
            &said("SHELL_RUN", &[("command", "wentylator w salonie")]),
            ws.path()
        )
        .is_some());
        assert!(ask(&said("SHELL_RUN", &[("command", "ls -la")]), ws.path()).is_none());
        assert!(ask(&said("SHELL_RUN", &[("command", "cd src")]), ws.path()).is_none());
        std::fs::write(ws.path().join("x.sh"), "echo hi").unwrap();
        assert!(ask(&said("SHELL_RUN", &[("command", "./x.sh")]), ws.path()).is_none());
        assert!(ask(&said("SHELL_RUN", &[("command", "./brak.sh")]), ws.path()).is_some());
    }

    #[test]
    fn a_delete_needs_an_existing_path_or_one_made_before() {
        let ws = tempfile::tempdir().unwrap();
        std::fs::write(ws.path().join("stary.txt"), "x").unwrap();
        assert!(ask(&said("FILE_DELETE", &[("path", "stary.txt")]), ws.path()).is_none());
        assert!(ask(&said("FILE_DELETE", &[("path", "roletę")]), ws.path()).is_some());
        let made = said("FILE_WRITE", &[("path", "nowy.txt")]);
        let delete = said("FILE_DELETE", &[("path", "nowy.txt")]);
        assert!(missing_evidence(&delete, &[made], ws.path(), None, &Fake, Lang::Pl).is_none());
    }

    #[test]
    fn git_needs_a_repository_and_a_branch_it_has() {
        let ws = tempfile::tempdir().unwrap();
        assert!(ask(&said("GIT_PUSH", &[]), ws.path())
            .unwrap()
            .contains("nie ma repozytorium git"));
        assert!(ask(&said("GIT_COMMIT", &[]), ws.path()).is_some());
        std::fs::create_dir_all(ws.path().join(".git/refs/heads")).unwrap();
        std::fs::write(ws.path().join(".git/refs/heads/main"), "0").unwrap();
        assert!(ask(&said("GIT_PUSH", &[]), ws.path()).is_none());
        assert!(ask(&said("GIT_PUSH", &[("branch", "main")]), ws.path()).is_none());
        assert!(ask(&said("GIT_PUSH", &[("branch", "mojej")]), ws.path())
            .unwrap()
            .contains("nie ma gałęzi „mojej”"));
        assert!(ask(&said("GIT_COMMIT", &[("message", "x")]), ws.path()).is_none());
    }

    #[test]
    fn packages_urls_and_queries_are_checked_by_shape() {
        let ws = tempfile::tempdir().unwrap();
        for name in [
            "requests",
            "numpy pandas",
            "@types/node",
            "django==5.1",
            "serde_json",
        ] {
            let install = said("PACKAGE_INSTALL", &[("package", name), ("manager", "pip")]);
            assert_eq!(ask(&install, ws.path()), None, "{name}");
        }
        // No manager named and nothing in the workspace says which: ask.
        let question = ask(&said("PACKAGE_INSTALL", &[("package", "minut")]), ws.path()).unwrap();
        assert!(question.contains("pip, npm"), "{question}");
        std::fs::write(ws.path().join("requirements.txt"), "").unwrap();
        assert!(ask(
            &said("PACKAGE_INSTALL", &[("package", "requests")]),
            ws.path()
        )
        .is_none());
        assert!(ask(&said("PACKAGE_INSTALL", &[("package", "półkę")]), ws.path()).is_some());
        assert!(ask(
            &said("HTTP_REQUEST", &[("url", "https://httpbin.org/get")]),
            ws.path()
        )
        .is_none());
        assert!(ask(&said("HTTP_REQUEST", &[("url", "salon")]), ws.path()).is_some());
        assert!(ask(&said("DB_QUERY", &[("query", "SELECT 1")]), ws.path()).is_none());
        assert!(ask(
            &said("DB_QUERY", &[("query", "odkurzacz do bazy")]),
            ws.path()
        )
        .is_some());
        // Intents that change nothing are never held back.
        assert!(ask(&said("PROCESS_LIST", &[]), ws.path()).is_none());
    }
}
