//! Git tools that work on the local repository: status, diff, log, branch, commit.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{git, GitSettings};
use crate::builtin::polish::count;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments naming only the repository.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct RepoArgs {
    /// Katalog repozytorium (repository directory; default: the workspace)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
}

/// `git_status`: branch, ahead/behind, staged, changed and untracked files.
#[derive(Debug, Clone, Default)]
pub struct GitStatus(pub GitSettings);

/// A repository's state (`git_status`).
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct Status {
    /// The current branch (`(detached)` when none).
    pub branch: String,
    /// Commits ahead of the upstream.
    pub ahead: i64,
    /// Commits behind the upstream.
    pub behind: i64,
    /// Files with staged changes.
    pub staged: Vec<String>,
    /// Files changed but not staged.
    pub changed: Vec<String>,
    /// New files git does not track.
    pub untracked: Vec<String>,
    /// Files in a merge conflict.
    pub conflicted: Vec<String>,
    /// Whether nothing is changed.
    pub clean: bool,
}

/// Parsed `git status --porcelain=v2 --branch`.
fn parse_status(text: &str) -> Status {
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
    Status {
        clean: staged.is_empty()
            && changed.is_empty()
            && untracked.is_empty()
            && conflicted.is_empty(),
        branch,
        ahead,
        behind,
        staged,
        changed,
        untracked,
        conflicted,
    }
}

impl TypedTool for GitStatus {
    type Args = RepoArgs;
    type Output = Status;
    const NAME: &'static str = "git_status";
    const DESCRIPTION_PL: &'static str =
        "Stan repozytorium git: gałąź, zmiany zatwierdzone do commita, zmienione i nowe pliki";
    const DESCRIPTION_EN: &'static str =
        "Git repository state: branch, staged, changed and untracked files";
    const RISK: RiskClass = RiskClass::Read;
    const COMMAND: Option<&'static str> = Some("git status");
    async fn run(&self, args: RepoArgs, ctx: ToolContext) -> ToolResult<Status> {
        let out = git(
            &ctx,
            &self.0.sandbox,
            args.path.as_deref(),
            &["status", "--porcelain=v2", "--branch"],
            false,
        )
        .await?;
        let status = parse_status(&out);
        let summary = if status.clean {
            format!("Gałąź {}: brak zmian.", status.branch)
        } else {
            format!(
                "Gałąź {}: w indeksie {}, zmienione {}, nowe {}, w konflikcie {}.",
                status.branch,
                status.staged.len(),
                status.changed.len(),
                status.untracked.len(),
                status.conflicted.len()
            )
        };
        Ok(ToolOutput {
            summary,
            data: status,
        })
    }
}

/// Arguments of `git_diff`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct DiffArgs {
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    #[tool(path)]
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

impl TypedTool for GitDiff {
    type Args = DiffArgs;
    type Output = GitDiffOutput;
    const NAME: &'static str = "git_diff";
    const DESCRIPTION_PL: &'static str =
        "Różnice w repozytorium git (niezatwierdzone albo w indeksie) jako unified diff";
    const DESCRIPTION_EN: &'static str = "Git changes (working tree or staged) as a unified diff";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &GitDiffOutput) -> Vec<String> {
        crate::text::lines(&output.diff)
    }
    const COMMAND: Option<&'static str> = Some("git diff");
    async fn run(&self, args: DiffArgs, ctx: ToolContext) -> ToolResult<GitDiffOutput> {
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
            data: GitDiffOutput { diff, files },
        })
    }
}

/// The changes `git_diff` found.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct GitDiffOutput {
    /// Unified diff.
    pub diff: String,
    /// Files that differ.
    pub files: usize,
}

/// One commit.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Commit {
    /// Full hash.
    pub hash: String,
    /// Author's name.
    pub author: String,
    /// Author date, ISO 8601.
    pub date: String,
    /// First line of the message.
    pub subject: String,
}

/// The newest commits (`git_log`).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Commits {
    /// Newest first.
    pub commits: Vec<Commit>,
}

/// Arguments of `git_log`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct LogArgs {
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
    /// Ile commitów (how many commits, default 20)
    #[serde(default)]
    #[schemars(range(min = 1, max = 1000))]
    limit: Option<u32>,
}

/// `git_log`: the newest commits.
#[derive(Debug, Clone, Default)]
pub struct GitLog(pub GitSettings);

impl TypedTool for GitLog {
    type Args = LogArgs;
    type Output = Commits;
    const NAME: &'static str = "git_log";
    const DESCRIPTION_PL: &'static str =
        "Ostatnie commity repozytorium git: skrót, autor, data, opis";
    const DESCRIPTION_EN: &'static str = "The newest git commits: hash, author, date, subject";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Commits) -> Vec<String> {
        output
            .commits
            .iter()
            .map(|c| {
                let date = c.date.get(..10).unwrap_or(&c.date);
                format!(
                    "{}  {date}  {}  {}",
                    c.hash.get(..8).unwrap_or(&c.hash),
                    c.author,
                    c.subject
                )
            })
            .collect()
    }
    const COMMAND: Option<&'static str> = Some("git log");
    async fn run(&self, args: LogArgs, ctx: ToolContext) -> ToolResult<Commits> {
        let limit = format!("-n{}", args.limit.unwrap_or(20));
        let out = git(
            &ctx,
            &self.0.sandbox,
            args.path.as_deref(),
            &["log", &limit, "--format=%H%x1f%an%x1f%aI%x1f%s"],
            false,
        )
        .await?;
        let commits: Vec<Commit> = out
            .lines()
            .filter_map(|line| {
                let mut f = line.split('\u{1f}');
                Some(Commit {
                    hash: f.next()?.to_owned(),
                    author: f.next()?.to_owned(),
                    date: f.next()?.to_owned(),
                    subject: f.next().unwrap_or("").to_owned(),
                })
            })
            .collect();
        let summary = match commits.first() {
            Some(newest) => format!(
                "{}; najnowszy: {}",
                count(commits.len(), "commit", "commity", "commitów"),
                newest.subject
            ),
            None => "Brak commitów.".to_owned(),
        };
        Ok(ToolOutput {
            summary,
            data: Commits { commits },
        })
    }
}

/// Arguments of `git_branch`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct BranchArgs {
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    #[tool(path)]
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

impl TypedTool for GitBranch {
    type Args = BranchArgs;
    type Output = Branches;
    const NAME: &'static str = "git_branch";
    const DESCRIPTION_PL: &'static str =
        "Gałęzie git: bez nazwy wypisuje je, z nazwą tworzy nową (checkout: true przełącza na nią)";
    const DESCRIPTION_EN: &'static str =
        "Git branches: lists them, or creates one (checkout: true switches to it)";
    const RISK: RiskClass = RiskClass::Read;
    const COMMAND: Option<&'static str> = Some("git branch");
    fn risks(&self, args: &BranchArgs) -> Vec<RiskClass> {
        if args.name.is_some() {
            vec![RiskClass::Write]
        } else {
            vec![RiskClass::Read]
        }
    }
    async fn run(&self, args: BranchArgs, ctx: ToolContext) -> ToolResult<Branches> {
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
            data: Branches { branches, current },
        })
    }
}

/// The repository's branches (`git_branch`).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Branches {
    /// Every local branch.
    pub branches: Vec<String>,
    /// The current one.
    pub current: String,
}

/// What `git_commit` recorded.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Committed {
    /// The new commit's hash.
    pub hash: String,
    /// Files in it.
    pub files: Vec<String>,
}

/// Arguments of `git_commit`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct CommitArgs {
    /// Opis commita (commit message)
    #[schemars(length(min = 1, max = 10000))]
    message: String,
    /// Czy dodać wszystkie zmiany, także nowe pliki (stage everything first)
    #[serde(default)]
    all: bool,
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
}

/// `git_commit`: records the staged changes (or all changes) with a message.
#[derive(Debug, Clone, Default)]
pub struct GitCommit(pub GitSettings);

impl TypedTool for GitCommit {
    type Args = CommitArgs;
    type Output = Committed;
    const NAME: &'static str = "git_commit";
    const DESCRIPTION_PL: &'static str = "Zatwierdza zmiany w repozytorium git (all: true dodaje najpierw wszystkie, także nowe pliki)";
    const DESCRIPTION_EN: &'static str =
        "Commits changes to the git repository (all: true stages everything first, new files too)";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: CommitArgs, ctx: ToolContext) -> ToolResult<Committed> {
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
        let files: Vec<String> = files
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(ToolOutput {
            summary: format!(
                "Zatwierdzono {} ({}): {}",
                hash.get(..8).unwrap_or(&hash),
                count(files.len(), "plik", "pliki", "plików"),
                args.message.lines().next().unwrap_or("")
            ),
            data: Committed { hash, files },
        })
    }
}
