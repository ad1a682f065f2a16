//! Git tools that talk to a remote: clone, push, pull (network permission applies; a local
//! path as the remote must lie inside a workspace root).

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::{git, GitSettings};
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Transports git may use (never `ext::`, which runs commands).
const ALLOWED_PROTOCOLS: &str = "https:http:ssh:git:file";

/// True for a remote given as a URL (`https://…`, `ssh://…`) or scp-like (`git@host:path`).
fn is_network_remote(remote: &str) -> bool {
    remote.contains("://")
        || remote
            .split_once(':')
            .is_some_and(|(host, _)| host.contains('@') && !host.contains('/'))
}

/// The remote as a URL the domain rules can judge (`git@host:a/b` -> `ssh://git@host/a/b`).
fn judged_url(remote: &str) -> String {
    if remote.contains("://") {
        return remote.to_owned();
    }
    match remote.split_once(':') {
        Some((host, path)) => format!("ssh://{host}/{path}"),
        None => remote.to_owned(),
    }
}

fn check_remote(remote: &str) -> Result<(), ToolError> {
    if remote.starts_with('-') || remote.to_lowercase().starts_with("ext::") {
        return Err(ToolError::new(
            format!("Niedozwolony adres repozytorium „{remote}”."),
            "Podaj adres https://, ssh:// albo git@host:ścieżka.",
        ));
    }
    Ok(())
}

/// Arguments of `git_clone`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct CloneArgs {
    /// Adres repozytorium (https://, ssh://, git@host:ścieżka, or a local path)
    #[schemars(length(min = 1, max = 2000))]
    url: String,
    /// Katalog docelowy w obszarze roboczym (target directory)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
}

/// What `git_clone` made.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Cloned {
    /// The repository's address, as given.
    pub url: String,
    /// Where the copy is.
    pub path: PathBuf,
}

/// What `git_push` said.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Pushed {
    /// git's porcelain output.
    pub output: String,
}

/// What `git_pull` moved.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Pulled {
    /// HEAD before (empty in a repository without commits).
    pub before: String,
    /// HEAD after.
    pub after: String,
}

/// `git_clone`: copies a repository into the workspace.
#[derive(Debug, Clone, Default)]
pub struct GitClone(pub GitSettings);

impl TypedTool for GitClone {
    type Args = CloneArgs;
    type Output = Cloned;
    const NAME: &'static str = "git_clone";
    const DESCRIPTION_PL: &'static str =
        "Klonuje repozytorium git do obszaru roboczego (sieć: wymaga zgody)";
    const DESCRIPTION_EN: &'static str =
        "Clones a git repository into the workspace (network: needs approval)";
    const RISK: RiskClass = RiskClass::Network;
    fn paths(&self, args: &CloneArgs) -> Vec<String> {
        let mut paths = args.paths();
        if !is_network_remote(&args.url) {
            paths.push(args.url.clone());
        }
        paths
    }
    fn urls(&self, args: &CloneArgs) -> Vec<String> {
        if is_network_remote(&args.url) {
            vec![judged_url(&args.url)]
        } else {
            Vec::new()
        }
    }
    const RISKS: &'static [RiskClass] = &[RiskClass::Network, RiskClass::Write];
    async fn run(&self, args: CloneArgs, ctx: ToolContext) -> ToolResult<Cloned> {
        check_remote(&args.url)?;
        let name = args.path.clone().unwrap_or_else(|| {
            args.url
                .trim_end_matches('/')
                .rsplit(['/', ':'])
                .next()
                .unwrap_or("repo")
                .trim_end_matches(".git")
                .to_owned()
        });
        let target = ctx.resolve(&name)?;
        if target.exists() && std::fs::read_dir(&target).map_or(true, |mut d| d.next().is_some()) {
            return Err(ToolError::new(
                format!("Katalog {name} już istnieje i nie jest pusty."),
                "Podaj inną ścieżkę (path).",
            ));
        }
        let url = if is_network_remote(&args.url) {
            args.url.clone()
        } else {
            ctx.resolve(&args.url)?.display().to_string()
        };
        let target_text = target.display().to_string();
        git_with_protocols(
            &ctx,
            &self.0,
            None,
            &["clone", "--quiet", "--", &url, &target_text],
            true,
        )
        .await?;
        Ok(ToolOutput {
            summary: format!("Sklonowano {} do {name}.", args.url),
            data: Cloned {
                url: args.url,
                path: target,
            },
        })
    }
}

/// Like [`git`], with only the safe transports allowed.
async fn git_with_protocols(
    ctx: &ToolContext,
    settings: &GitSettings,
    dir: Option<&str>,
    argv: &[&str],
    network: bool,
) -> Result<String, ToolError> {
    let mut with = vec!["-c", "protocol.allow=never"];
    let allowed: Vec<String> = ALLOWED_PROTOCOLS
        .split(':')
        .map(|p| format!("protocol.{p}.allow=always"))
        .collect();
    for a in &allowed {
        with.extend(["-c", a.as_str()]);
    }
    with.extend_from_slice(argv);
    git(ctx, &settings.sandbox, dir, &with, network).await
}

/// Arguments of `git_push` and `git_pull`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct SyncArgs {
    /// Gałąź (branch; default: the current one)
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._/-]+$"))]
    branch: Option<String>,
    /// Zdalne repozytorium (remote name, default origin)
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]+$"))]
    remote: Option<String>,
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
}

fn sync_argv<'a>(verb: &'a str, args: &'a SyncArgs, extra: &'a [&'a str]) -> Vec<&'a str> {
    let mut argv = vec![verb];
    argv.extend_from_slice(extra);
    argv.push(args.remote.as_deref().unwrap_or("origin"));
    if let Some(branch) = &args.branch {
        argv.push(branch);
    }
    argv
}

fn names_are_safe(args: &SyncArgs) -> Result<(), ToolError> {
    for name in [&args.branch, &args.remote].into_iter().flatten() {
        if name.starts_with('-') {
            return Err(ToolError::new(
                format!("Niepoprawna nazwa „{name}”."),
                "Nazwa gałęzi ani zdalnego repozytorium nie zaczyna się od „-”.",
            ));
        }
    }
    Ok(())
}

/// `git_push`: sends commits to the remote (judged like `git push` by the command rules).
#[derive(Debug, Clone, Default)]
pub struct GitPush(pub GitSettings);

impl TypedTool for GitPush {
    type Args = SyncArgs;
    type Output = Pushed;
    const NAME: &'static str = "git_push";
    const DESCRIPTION_PL: &'static str =
        "Wysyła commity do zdalnego repozytorium (domyślnie origin, bieżąca gałąź); wymaga zgody";
    const DESCRIPTION_EN: &'static str =
        "Pushes commits to the remote (origin and the current branch by default); needs approval";
    const RISK: RiskClass = RiskClass::Network;
    fn command_line(&self, args: &SyncArgs) -> Option<String> {
        let branch = args.branch.as_deref().unwrap_or("");
        Some(format!("git push {branch}").trim_end().to_owned())
    }
    async fn run(&self, args: SyncArgs, ctx: ToolContext) -> ToolResult<Pushed> {
        names_are_safe(&args)?;
        let mut extra = vec!["--porcelain"];
        if args.branch.is_none() {
            extra.push("--set-upstream");
        }
        let mut argv = sync_argv("push", &args, &extra);
        if args.branch.is_none() {
            argv.push("HEAD");
        }
        let out = git_with_protocols(&ctx, &self.0, args.path.as_deref(), &argv, true).await?;
        Ok(ToolOutput {
            summary: format!(
                "Wysłano zmiany do {}{}.",
                args.remote.as_deref().unwrap_or("origin"),
                args.branch
                    .as_deref()
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default()
            ),
            data: Pushed { output: out },
        })
    }
}

/// `git_pull`: fetches and fast-forwards the current branch.
#[derive(Debug, Clone, Default)]
pub struct GitPull(pub GitSettings);

impl TypedTool for GitPull {
    type Args = SyncArgs;
    type Output = Pulled;
    const NAME: &'static str = "git_pull";
    const DESCRIPTION_PL: &'static str =
        "Pobiera zmiany ze zdalnego repozytorium i przewija bieżącą gałąź (tylko fast-forward)";
    const DESCRIPTION_EN: &'static str =
        "Fetches from the remote and fast-forwards the current branch";
    const RISK: RiskClass = RiskClass::Network;
    const COMMAND: Option<&'static str> = Some("git pull");
    const RISKS: &'static [RiskClass] = &[RiskClass::Network, RiskClass::Write];
    async fn run(&self, args: SyncArgs, ctx: ToolContext) -> ToolResult<Pulled> {
        names_are_safe(&args)?;
        let argv = sync_argv("pull", &args, &["--ff-only", "--quiet"]);
        let dir = args.path.as_deref();
        let before = git(&ctx, &self.0.sandbox, dir, &["rev-parse", "HEAD"], false)
            .await
            .unwrap_or_default();
        git_with_protocols(&ctx, &self.0, dir, &argv, true).await?;
        let after = git(&ctx, &self.0.sandbox, dir, &["rev-parse", "HEAD"], false).await?;
        let summary = if before.trim() == after.trim() {
            "Już aktualne: brak nowych zmian.".to_owned()
        } else {
            format!(
                "Pobrano zmiany; HEAD teraz {}.",
                after.trim().get(..8).unwrap_or("")
            )
        };
        Ok(ToolOutput {
            summary,
            data: Pulled {
                before: before.trim().to_owned(),
                after: after.trim().to_owned(),
            },
        })
    }
}
