//! `git_pull_request {title, body?, base?, head?, path?, draft?}`: opens a pull request
//! (GitHub) or merge request (GitLab) for the current branch through the host's REST API,
//! with a token from the vault (`GITHUB_TOKEN` / `GITLAB_TOKEN`).

use std::collections::BTreeMap;
use std::sync::Arc;

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::{git, GitSettings};
use crate::builtin::net::check_hop;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::policy::Policy;
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Looks a secret up by name (the core opens the vault; `None` when it is locked or missing).
pub type SecretSource = Arc<dyn Fn(&str) -> Option<Zeroizing<String>> + Send + Sync>;

/// Which REST API a host speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    /// GitHub (`/repos/{owner}/{repo}/pulls`).
    Github,
    /// GitLab (`/projects/{id}/merge_requests`).
    Gitlab,
}

/// Code hosting settings (`[hosting]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HostingConfig {
    /// Base URL of the GitHub API.
    pub github_api: String,
    /// Base URL of the GitLab API; `{host}` is replaced by the remote's host.
    pub gitlab_api: String,
    /// Self-hosted forges: host -> github | gitlab.
    pub hosts: BTreeMap<String, Forge>,
}

impl Default for HostingConfig {
    fn default() -> HostingConfig {
        HostingConfig {
            github_api: "https://api.github.com".to_owned(),
            gitlab_api: "https://{host}/api/v4".to_owned(),
            hosts: BTreeMap::new(),
        }
    }
}

/// Arguments of `git_pull_request`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Tytuł (title)
    #[schemars(length(min = 1, max = 256))]
    title: String,
    /// Opis (description)
    #[serde(default)]
    body: Option<String>,
    /// Gałąź docelowa (target branch, default main)
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._/-]+$"))]
    base: Option<String>,
    /// Gałąź ze zmianami (source branch, default: the current one)
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._/-]+$"))]
    head: Option<String>,
    /// Katalog repozytorium (repository directory)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
    /// Szkic (draft)
    #[serde(default)]
    draft: bool,
}

/// The remote's host and `owner/repo` path.
fn remote_parts(remote: &str) -> Option<(String, String)> {
    let remote = remote.trim();
    let (host, path) = if let Ok(url) = url::Url::parse(remote) {
        let host = url.host_str()?.to_owned();
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        (host, url.path().trim_start_matches('/').to_owned())
    } else {
        let (user_host, path) = remote.split_once(':')?;
        let host = user_host.rsplit('@').next()?.to_owned();
        (host, path.to_owned())
    };
    let path = path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .to_owned();
    path.contains('/').then_some((host, path))
}

/// Opens pull / merge requests.
#[derive(Clone)]
pub struct GitPullRequest {
    settings: GitSettings,
    hosting: HostingConfig,
    policy: Policy,
    secrets: SecretSource,
}

impl std::fmt::Debug for GitPullRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitPullRequest")
            .field("hosting", &self.hosting)
            .finish()
    }
}

impl GitPullRequest {
    /// With the hosting settings, the policy (the API URL is judged) and the vault.
    pub fn new(
        settings: GitSettings,
        hosting: HostingConfig,
        policy: Policy,
        secrets: SecretSource,
    ) -> GitPullRequest {
        GitPullRequest {
            settings,
            hosting,
            policy,
            secrets,
        }
    }

    fn forge(&self, host: &str) -> Option<Forge> {
        let bare = host.split(':').next().unwrap_or(host);
        self.hosting
            .hosts
            .get(host)
            .or_else(|| self.hosting.hosts.get(bare))
            .copied()
            .or_else(|| {
                if bare == "github.com" {
                    Some(Forge::Github)
                } else if bare.contains("gitlab") {
                    Some(Forge::Gitlab)
                } else {
                    None
                }
            })
    }
}

fn api_error(status: u16, body: &Value) -> ToolError {
    let message = body["message"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string());
    let details: Vec<String> = body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["message"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let hint = match status {
        401 | 403 => "Token jest zły albo nie ma uprawnień do repozytorium: `dark8 secret set GITHUB_TOKEN` (albo GITLAB_TOKEN).",
        404 => "Nie znaleziono repozytorium: sprawdź adres origin i uprawnienia tokenu.",
        409 | 422 => "Sprawdź gałęzie: czy gałąź ze zmianami jest wysłana (git_push) i czy taki wniosek już nie istnieje.",
        _ => "Spróbuj ponownie później.",
    };
    let detail = if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", details.join("; "))
    };
    ToolError::new(
        format!("Serwer odrzucił wniosek (HTTP {status}): {message}{detail}."),
        hint,
    )
}

/// The request `git_pull_request` opened.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Opened {
    /// github | gitlab
    pub forge: Forge,
    /// Its number on the forge.
    pub number: Option<u64>,
    /// Its page.
    pub url: String,
    /// The branch with the changes.
    pub head: String,
    /// The target branch.
    pub base: String,
}

impl TypedTool for GitPullRequest {
    type Args = Args;
    type Output = Opened;
    const NAME: &'static str = "git_pull_request";
    const DESCRIPTION_PL: &'static str = "Otwiera pull request (GitHub) albo merge request (GitLab) dla bieżącej gałęzi, z tokenem z sejfu";
    const DESCRIPTION_EN: &'static str = "Opens a pull request (GitHub) or merge request (GitLab) for the current branch, with a token from the vault";
    const RISK: RiskClass = RiskClass::Network;
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Opened> {
        let dir = args.path.as_deref();
        let sandbox = &self.settings.sandbox;
        let remote = git(&ctx, sandbox, dir, &["remote", "get-url", "origin"], false).await?;
        let (host, repo) = remote_parts(&remote).ok_or_else(|| {
            ToolError::new(
                format!("Nie rozpoznaję adresu origin: {}", remote.trim()),
                "Origin powinien wyglądać jak https://github.com/właściciel/repo.git.",
            )
        })?;
        let forge = self.forge(&host).ok_or_else(|| {
            ToolError::new(
                format!("Nie wiem, czy {host} to GitHub czy GitLab."),
                "Dopisz go w konfiguracji: [hosting.hosts] \"host\" = \"github\" albo \"gitlab\".",
            )
        })?;
        let head = match &args.head {
            Some(head) => head.clone(),
            None => git(
                &ctx,
                sandbox,
                dir,
                &["rev-parse", "--abbrev-ref", "HEAD"],
                false,
            )
            .await?
            .trim()
            .to_owned(),
        };
        let base = args.base.clone().unwrap_or_else(|| "main".to_owned());
        if head == base {
            return Err(ToolError::new(
                format!("Gałąź ze zmianami i docelowa to ta sama gałąź ({head})."),
                "Utwórz gałąź (git_branch), zatwierdź i wyślij zmiany, potem otwórz wniosek.",
            ));
        }
        let (secret_name, url, payload) = match forge {
            Forge::Github => (
                "GITHUB_TOKEN",
                format!(
                    "{}/repos/{repo}/pulls",
                    self.hosting.github_api.trim_end_matches('/')
                ),
                json!({"title": args.title, "body": args.body.clone().unwrap_or_default(), "head": head, "base": base, "draft": args.draft}),
            ),
            Forge::Gitlab => {
                let api = self.hosting.gitlab_api.replace("{host}", &host);
                let id: String = url::form_urlencoded::byte_serialize(repo.as_bytes()).collect();
                let title = if args.draft {
                    format!("Draft: {}", args.title)
                } else {
                    args.title.clone()
                };
                (
                    "GITLAB_TOKEN",
                    format!("{}/projects/{id}/merge_requests", api.trim_end_matches('/')),
                    json!({"title": title, "description": args.body.clone().unwrap_or_default(), "source_branch": head, "target_branch": base}),
                )
            }
        };
        check_hop(&self.policy, &url)?;
        let token = (self.secrets)(secret_name).ok_or_else(|| {
                ToolError::new(
                    format!("Brak tokenu {secret_name} w sejfie (albo sejf jest zamknięty)."),
                    format!("Zapisz go: `dark8 secret set {secret_name}`; zamknięty sejf otwiera DARK8_VAULT_PASSPHRASE."),
                )
            })?;
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .user_agent(concat!("DARK8/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ToolError::new(format!("Klient HTTP: {e}"), "Spróbuj ponownie."))?;
        let request = client.post(&url).json(&payload);
        let request = match forge {
            Forge::Github => request
                .bearer_auth(token.as_str())
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28"),
            Forge::Gitlab => request.header("PRIVATE-TOKEN", token.as_str()),
        };
        let response = request.send().await.map_err(|e| {
            ToolError::new(
                format!("Nie można połączyć się z {url}: {e}."),
                "Sprawdź połączenie z siecią i adres API w [hosting].",
            )
        })?;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status != 201 && status != 200 {
            return Err(api_error(status, &body));
        }
        let (number, link) = match forge {
            Forge::Github => (
                body["number"].as_u64(),
                body["html_url"].as_str().unwrap_or("").to_owned(),
            ),
            Forge::Gitlab => (
                body["iid"].as_u64(),
                body["web_url"].as_str().unwrap_or("").to_owned(),
            ),
        };
        let kind = if forge == Forge::Github {
            "pull request"
        } else {
            "merge request"
        };
        Ok(ToolOutput {
            summary: format!(
                "Otwarto {kind} #{}: {link}",
                number.map_or_else(|| "?".to_owned(), |n| n.to_string())
            ),
            data: Opened {
                forge,
                number,
                url: link,
                head,
                base,
            },
        })
    }
}
