//! Git tools that work on the local repository: status, diff, log, branch, commit.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{git, repo_paths, GitSettings};
use crate::builtin::args::parse;
use crate::builtin::polish::count;
use crate::tool::{schema_of, Tool, ToolContext, ToolError, ToolFuture, ToolOutput};

/// Arguments naming only the repository.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RepoArgs {
    /// Katalog repozytorium (repository directory; default: the workspace)
    #[serde(default)]
    path: Option<String>,
}

/// `git_status`: branch, ahead/behind, staged, changed and untracked files.
#[derive(Debug, Clone, Default)]
pub struct GitStatus(pub GitSettings);

/// Parsed `git status --porcelain=v2 --branch`.
fn parse_status(text: &str) -> Value {
    let mut branch = String::new();
    let (mut ahead, mut behind) = (0i64, 0i64);
    let (mut staged, mut changed, mut untracked, mut conflicted) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("# branch.head ") {
            branch = head.to_owned();
        } else if let Some(ab) = line.strip_prefix("# branch.ab ") {
            let mut parts = ab.split_whitespace();
            ahead = parts.next().and_then(|a| a.parse().ok()).unwrap_or(0);
            behind = parts
                .next()
                .and_then(|b| b.parse::<i64>().ok())
                .map_or(0, i64::abs);
        } else if let Some(path) = line.strip_prefix("? ") {
            untracked.push(path.to_owned());
        } else if line.starts_with("u ") {
            conflicted.push(line.rsplit(' ').next().unwrap_or("").to_owned());
        } else if line.starts_with("1 ") || line.starts_with("2 ") {
            let fields: Vec<&str> = line.splitn(9, ' ').collect();
            let xy = fields.get(1).copied().unwrap_or("..");
            let path = fields
                .last()
                .map(|p| p.split('\t').next().unwrap_or(p))
                .unwrap_or("")
                .to_owned();
            let (x, y) = (xy.chars().next(), xy.chars().nth(1));
            if x.is_some_and(|c| c != '.') {
                staged.push(path.clone());
            }
            if y.is_some_and(|c| c != '.') {
                changed.push(path);
            }
        }
    }
    json!({
        "branch": branch, "ahead": ahead, "behind": behind,
        "staged": staged, "changed": changed, "untracked": untracked, "conflicted": conflicted,
        "clean": staged.is_empty() && changed.is_empty() && untracked.is_empty() && conflicted.is_empty(),
    })
}

fn listed(value: &Value, key: &str) -> usize {
    value[key].as_array().map_or(0, Vec::len)
}

impl Tool for GitStatus {
    fn name(&self) -> &'static str {
        "git_status"
    }
    fn description_pl(&self) -> &'static str {
        "Stan repozytorium git: gałąź, zmiany zatwierdzone do commita, zmienione i nowe pliki"
    }
    fn description_en(&self) -> &'static str {
        "Git repository state: branch, staged, changed and untracked files"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Read
    }
    fn schema(&self) -> Value {
        schema_of::<RepoArgs>()
    }
    fn command_line(&self, _args: &Value) -> Option<String> {
        Some("git status".to_owned())
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        repo_paths(args)
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: RepoArgs = parse(self.name(), args)?;
            let out = git(
                &ctx,
                &self.0.sandbox,
                args.path.as_deref(),
                &["status", "--porcelain=v2", "--branch"],
                false,
            )
            .await?;
            let status = parse_status(&out);
            let summary = if status["clean"] == true {
                format!(
                    "Gałąź {}: brak zmian.",
                    status["branch"].as_str().unwrap_or("?")
                )
            } else {
                format!(
                    "Gałąź {}: w indeksie {}, zmienione {}, nowe {}, w konflikcie {}.",
                    status["branch"].as_str().unwrap_or("?"),
                    listed(&status, "staged"),
                    listed(&status, "changed"),
                    listed(&status, "untracked"),
                    listed(&status, "conflicted")
                )
            };
            Ok(ToolOutput {
                summary,
                data: status,
            })
        })
    }
}

/// Arguments of `git_diff`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DiffArgs {
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    path: Option<String>,
    /// Tylko zmiany w indeksie (staged changes only)
    #[serde(default)]
    staged: bool,
    /// Tylko ten plik (only this file, relative to the repository)
    #[serde(default)]
    file: Option<String>,
}

/// `git_diff`: the working tree's (or the index's) changes as a unified diff.
#[derive(Debug, Clone, Default)]
pub struct GitDiff(pub GitSettings);

impl Tool for GitDiff {
    fn name(&self) -> &'static str {
        "git_diff"
    }
    fn description_pl(&self) -> &'static str {
        "Różnice w repozytorium git (niezatwierdzone albo w indeksie) jako unified diff"
    }
    fn description_en(&self) -> &'static str {
        "Git changes (working tree or staged) as a unified diff"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Read
    }
    fn schema(&self) -> Value {
        schema_of::<DiffArgs>()
    }
    fn command_line(&self, _args: &Value) -> Option<String> {
        Some("git diff".to_owned())
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        repo_paths(args)
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: DiffArgs = parse(self.name(), args)?;
            let mut argv = vec!["diff", "--no-color", "--no-ext-diff"];
            if args.staged {
                argv.push("--cached");
            }
            if let Some(file) = &args.file {
                argv.extend(["--", file.as_str()]);
            }
            let diff = git(&ctx, &self.0.sandbox, args.path.as_deref(), &argv, false).await?;
            let files = diff
                .lines()
                .filter(|l| l.starts_with("diff --git "))
                .count();
            let summary = if files == 0 {
                "Brak różnic.".to_owned()
            } else {
                format!("Różnice: {}.", count(files, "plik", "pliki", "plików"))
            };
            Ok(ToolOutput {
                summary,
                data: json!({"diff": diff, "files": files}),
            })
        })
    }
}

/// Arguments of `git_log`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LogArgs {
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    path: Option<String>,
    /// Ile commitów (how many commits, default 20)
    #[serde(default)]
    #[schemars(range(min = 1, max = 1000))]
    limit: Option<u32>,
}

/// `git_log`: the newest commits.
#[derive(Debug, Clone, Default)]
pub struct GitLog(pub GitSettings);

impl Tool for GitLog {
    fn name(&self) -> &'static str {
        "git_log"
    }
    fn description_pl(&self) -> &'static str {
        "Ostatnie commity repozytorium git: skrót, autor, data, opis"
    }
    fn description_en(&self) -> &'static str {
        "The newest git commits: hash, author, date, subject"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Read
    }
    fn schema(&self) -> Value {
        schema_of::<LogArgs>()
    }
    fn command_line(&self, _args: &Value) -> Option<String> {
        Some("git log".to_owned())
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        repo_paths(args)
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: LogArgs = parse(self.name(), args)?;
            let limit = format!("-n{}", args.limit.unwrap_or(20));
            let out = git(
                &ctx,
                &self.0.sandbox,
                args.path.as_deref(),
                &["log", &limit, "--format=%H%x1f%an%x1f%aI%x1f%s"],
                false,
            )
            .await?;
            let commits: Vec<Value> = out
                .lines()
                .filter_map(|line| {
                    let mut f = line.split('\u{1f}');
                    Some(json!({"hash": f.next()?, "author": f.next()?, "date": f.next()?, "subject": f.next().unwrap_or("")}))
                })
                .collect();
            let summary = match commits.first() {
                Some(newest) => format!(
                    "{}; najnowszy: {}",
                    count(commits.len(), "commit", "commity", "commitów"),
                    newest["subject"].as_str().unwrap_or("")
                ),
                None => "Brak commitów.".to_owned(),
            };
            Ok(ToolOutput {
                summary,
                data: json!({"commits": commits}),
            })
        })
    }
}

/// Arguments of `git_branch`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BranchArgs {
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    path: Option<String>,
    /// Nowa gałąź do utworzenia (branch to create; none: list branches)
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._/-]+$"), length(min = 1, max = 200))]
    name: Option<String>,
    /// Czy przełączyć się na nią (switch to it)
    #[serde(default)]
    checkout: bool,
}

/// `git_branch`: lists branches, or creates one (and switches to it).
#[derive(Debug, Clone, Default)]
pub struct GitBranch(pub GitSettings);

impl Tool for GitBranch {
    fn name(&self) -> &'static str {
        "git_branch"
    }
    fn description_pl(&self) -> &'static str {
        "Gałęzie git: bez nazwy wypisuje je, z nazwą tworzy nową (checkout: true przełącza na nią)"
    }
    fn description_en(&self) -> &'static str {
        "Git branches: lists them, or creates one (checkout: true switches to it)"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Read
    }
    fn risks(&self, args: &Value) -> Vec<RiskClass> {
        if args.get("name").is_some_and(Value::is_string) {
            vec![RiskClass::Write]
        } else {
            vec![RiskClass::Read]
        }
    }
    fn schema(&self) -> Value {
        schema_of::<BranchArgs>()
    }
    fn command_line(&self, _args: &Value) -> Option<String> {
        Some("git branch".to_owned())
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        repo_paths(args)
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: BranchArgs = parse(self.name(), args)?;
            let dir = args.path.as_deref();
            if let Some(name) = &args.name {
                if name.starts_with('-') {
                    return Err(ToolError::new(
                        format!("Niepoprawna nazwa gałęzi „{name}”."),
                        "Nazwa nie może zaczynać się od „-”.",
                    ));
                }
                let argv: Vec<&str> = if args.checkout {
                    vec!["switch", "-c", name]
                } else {
                    vec!["branch", name]
                };
                git(&ctx, &self.0.sandbox, dir, &argv, false).await?;
            }
            let out = git(
                &ctx,
                &self.0.sandbox,
                dir,
                &["branch", "--format=%(HEAD)%(refname:short)"],
                false,
            )
            .await?;
            let current = out
                .lines()
                .find_map(|l| l.strip_prefix('*'))
                .unwrap_or("")
                .to_owned();
            let branches: Vec<String> = out
                .lines()
                .map(|l| l.trim_start_matches(['*', ' ']).to_owned())
                .collect();
            let summary = match &args.name {
                Some(name) if args.checkout => {
                    format!("Utworzono gałąź {name} i przełączono na nią.")
                }
                Some(name) => format!("Utworzono gałąź {name}."),
                None => format!("Gałęzie: {}; bieżąca: {current}.", branches.join(", ")),
            };
            Ok(ToolOutput {
                summary,
                data: json!({"branches": branches, "current": current}),
            })
        })
    }
}

/// Arguments of `git_commit`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CommitArgs {
    /// Opis commita (commit message)
    #[schemars(length(min = 1, max = 10000))]
    message: String,
    /// Czy dodać wszystkie zmiany, także nowe pliki (stage everything first)
    #[serde(default)]
    all: bool,
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    path: Option<String>,
}

/// `git_commit`: records the staged changes (or all changes) with a message.
#[derive(Debug, Clone, Default)]
pub struct GitCommit(pub GitSettings);

impl Tool for GitCommit {
    fn name(&self) -> &'static str {
        "git_commit"
    }
    fn description_pl(&self) -> &'static str {
        "Zatwierdza zmiany w repozytorium git (all: true dodaje najpierw wszystkie, także nowe pliki)"
    }
    fn description_en(&self) -> &'static str {
        "Commits changes to the git repository (all: true stages everything first, new files too)"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Write
    }
    fn schema(&self) -> Value {
        schema_of::<CommitArgs>()
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        repo_paths(args)
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: CommitArgs = parse(self.name(), args)?;
            let dir = args.path.as_deref();
            if args.all {
                git(&ctx, &self.0.sandbox, dir, &["add", "--all"], false).await?;
            }
            git(
                &ctx,
                &self.0.sandbox,
                dir,
                &["commit", "--quiet", "-m", &args.message],
                false,
            )
            .await?;
            let hash = git(&ctx, &self.0.sandbox, dir, &["rev-parse", "HEAD"], false).await?;
            let hash = hash.trim().to_owned();
            let files = git(
                &ctx,
                &self.0.sandbox,
                dir,
                &["show", "--name-only", "--format=", "HEAD"],
                false,
            )
            .await?;
            let files: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
            Ok(ToolOutput {
                summary: format!(
                    "Zatwierdzono {} ({}): {}",
                    hash.get(..8).unwrap_or(&hash),
                    count(files.len(), "plik", "pliki", "plików"),
                    args.message.lines().next().unwrap_or("")
                ),
                data: json!({"hash": hash, "files": files}),
            })
        })
    }
}
