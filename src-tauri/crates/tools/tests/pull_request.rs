//! `git_pull_request` against a local server that answers with the JSON shapes of GitHub's
//! ("Create a pull request") and GitLab's ("Create MR") REST documentation, checking the
//! token headers each API expects.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use dark8_protocol::{ToolResult, ToolStatus};
use dark8_tools::builtin::git::{Forge, HostingConfig};
use dark8_tools::PolicyConfig;
use serde_json::{json, Value};
use zeroize::Zeroizing;

type Seen = Arc<Mutex<Vec<Value>>>;

async fn github(
    State(seen): State<Seen>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if auth != "Bearer ghp_testowytokentestowytoken123456" {
        return (
            StatusCode::UNAUTHORIZED,
            Json(
                json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
            ),
        );
    }
    assert_eq!(
        headers.get("accept").unwrap(),
        "application/vnd.github+json"
    );
    seen.lock().unwrap().push(body.clone());
    if body["head"] == "juz-jest" {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "message": "Validation Failed",
                "errors": [{"resource": "PullRequest", "code": "custom", "message": "A pull request already exists for ola:juz-jest."}],
                "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                "status": "422"
            })),
        );
    }
    (
        StatusCode::CREATED,
        Json(json!({
            "url": format!("https://api.github.com/repos/{owner}/{repo}/pulls/1347"),
            "id": 1,
            "node_id": "MDExOlB1bGxSZXF1ZXN0MQ==",
            "html_url": format!("https://github.com/{owner}/{repo}/pull/1347"),
            "number": 1347,
            "state": "open",
            "locked": false,
            "title": body["title"],
            "user": {"login": owner},
            "body": body["body"],
            "draft": body["draft"],
            "head": {"ref": body["head"]},
            "base": {"ref": body["base"]}
        })),
    )
}

async fn gitlab(
    State(seen): State<Seen>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if headers.get("private-token").and_then(|v| v.to_str().ok())
        != Some("glpat-testowytokentestowy12345")
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "401 Unauthorized"})),
        );
    }
    seen.lock()
        .unwrap()
        .push(json!({"project": id, "body": body}));
    (
        StatusCode::CREATED,
        Json(json!({
            "id": 1,
            "iid": 7,
            "project_id": 3,
            "title": body["title"],
            "description": body["description"],
            "state": "opened",
            "source_branch": body["source_branch"],
            "target_branch": body["target_branch"],
            "web_url": format!("http://gitlab.example/{id}/-/merge_requests/7")
        })),
    )
}

async fn server(seen: Seen) -> String {
    let app = Router::new()
        .route("/repos/{owner}/{repo}/pulls", post(github))
        .route("/api/v4/projects/{id}/merge_requests", post(gitlab))
        .with_state(seen);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("127.0.0.1:{port}")
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn setup(forge: Forge, host: &str) -> common::Tools {
    let host_owned = host.to_owned();
    let tools = common::tools_with(PolicyConfig::default(), move |settings| {
        settings.hosting = HostingConfig {
            github_api: format!("http://{host_owned}"),
            gitlab_api: "http://{host}/api/v4".to_owned(),
            hosts: [(host_owned.clone(), forge)].into_iter().collect(),
        };
        settings.secrets = Arc::new(|name: &str| match name {
            "GITHUB_TOKEN" => Some(Zeroizing::new(
                "ghp_testowytokentestowytoken123456".to_owned(),
            )),
            "GITLAB_TOKEN" => Some(Zeroizing::new("glpat-testowytokentestowy12345".to_owned())),
            _ => None,
        });
    })
    .await;
    let ws = tools.workspace.path();
    git(ws, &["init", "--quiet", "--initial-branch=main"]);
    git(ws, &["config", "user.name", "Ola"]);
    git(ws, &["config", "user.email", "ola@example.com"]);
    git(
        ws,
        &[
            "remote",
            "add",
            "origin",
            &format!("http://{host}/ola/sklep.git"),
        ],
    );
    std::fs::write(ws.join("a.txt"), "a").unwrap();
    git(ws, &["add", "."]);
    git(ws, &["commit", "--quiet", "-m", "start"]);
    git(ws, &["switch", "--quiet", "-c", "funkcja/koszyk"]);
    tools
}

async fn call(tools: &common::Tools, args: Value) -> ToolResult {
    tools.call("git_pull_request", args).await
}

#[tokio::test]
async fn github_pull_request_with_the_vaults_token() {
    let seen: Seen = Arc::default();
    let host = server(seen.clone()).await;
    let exec = setup(Forge::Github, &host).await;
    let opened = call(
        &exec,
        json!({"title": "Koszyk zakupowy", "body": "Dodaje koszyk."}),
    )
    .await;
    assert_eq!(opened.status, ToolStatus::Success, "{}", opened.summary);
    assert_eq!(opened.output["number"], 1347);
    assert_eq!(
        opened.output["url"],
        "https://github.com/ola/sklep/pull/1347"
    );
    assert!(opened.summary.contains("Otwarto pull request #1347"));
    let sent = seen.lock().unwrap()[0].clone();
    assert_eq!(
        sent,
        json!({"title": "Koszyk zakupowy", "body": "Dodaje koszyk.", "head": "funkcja/koszyk", "base": "main", "draft": false})
    );
    let exists = call(&exec, json!({"title": "Znowu", "head": "juz-jest"})).await;
    assert_eq!(exists.status, ToolStatus::Error);
    assert!(exists.summary.contains("HTTP 422"), "{}", exists.summary);
    assert!(
        exists.summary.contains("already exists"),
        "{}",
        exists.summary
    );
    let same = call(&exec, json!({"title": "x", "head": "main"})).await;
    assert!(same.summary.contains("ta sama gałąź"));
}

#[tokio::test]
async fn gitlab_merge_request_with_private_token() {
    let seen: Seen = Arc::default();
    let host = server(seen.clone()).await;
    let exec = setup(Forge::Gitlab, &host).await;
    let opened = call(
        &exec,
        json!({"title": "Koszyk", "base": "main", "draft": true}),
    )
    .await;
    assert_eq!(opened.status, ToolStatus::Success, "{}", opened.summary);
    assert_eq!(opened.output["number"], 7);
    assert!(opened.summary.contains("merge request #7"));
    let sent = seen.lock().unwrap()[0].clone();
    assert_eq!(sent["project"], "ola/sklep");
    assert_eq!(sent["body"]["title"], "Draft: Koszyk");
    assert_eq!(sent["body"]["source_branch"], "funkcja/koszyk");
}
