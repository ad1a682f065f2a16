//! Git tools through the executor on real repositories: a working repo in the workspace and a
//! bare repository as the remote (in a second workspace root), run in the sandbox.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::path::Path;
use std::process::Command;

use dark8_protocol::ToolStatus;
use dark8_tools::PolicyConfig;
use serde_json::json;

struct Fixture {
    tools: common::Tools,
    remotes: tempfile::TempDir,
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn identity(dir: &Path) {
    git(dir, &["config", "user.name", "Ola Testowa"]);
    git(dir, &["config", "user.email", "ola@example.com"]);
}

async fn fixture() -> Fixture {
    let remotes = tempfile::tempdir().unwrap();
    // The built-in rules make `git push` a prompt --yes cannot answer; this user has none.
    let policy = PolicyConfig {
        default_rules: false,
        workspace_roots: vec![remotes.path().canonicalize().unwrap()],
        ..PolicyConfig::default()
    };
    Fixture {
        tools: common::tools_with(policy, |_| {}).await,
        remotes,
    }
}

impl std::ops::Deref for Fixture {
    type Target = common::Tools;
    fn deref(&self) -> &common::Tools {
        &self.tools
    }
}

#[tokio::test]
async fn status_commit_log_diff_and_branch_in_a_real_repository() {
    let f = fixture().await;
    let repo = f.workspace.path();
    let not_yet = f.call("git_status", json!({})).await;
    assert_eq!(not_yet.status, ToolStatus::Error);
    assert!(
        not_yet.summary.contains("To nie jest repozytorium git"),
        "{}",
        not_yet.summary
    );
    git(repo, &["init", "--quiet", "--initial-branch=main"]);
    identity(repo);
    std::fs::write(repo.join("app.py"), "print('hej')\n").unwrap();
    let status = f.ok("git_status", json!({})).await;
    assert_eq!(status.output["untracked"], json!(["app.py"]));
    assert!(status.summary.contains("nowe 1"), "{}", status.summary);
    let nothing = f.call("git_commit", json!({"message": "pusto"})).await;
    assert_eq!(nothing.status, ToolStatus::Error);
    let commit = f
        .ok(
            "git_commit",
            json!({"message": "Pierwszy commit; rm -rf ~ $(touch x)", "all": true}),
        )
        .await;
    assert_eq!(commit.output["files"], json!(["app.py"]));
    assert!(!repo.join("x").exists());
    let subject = git(repo, &["log", "-1", "--format=%s"]);
    assert_eq!(subject.trim(), "Pierwszy commit; rm -rf ~ $(touch x)");
    assert_eq!(
        commit.output["hash"].as_str().unwrap(),
        git(repo, &["rev-parse", "HEAD"]).trim()
    );
    let clean = f.ok("git_status", json!({})).await;
    assert_eq!(clean.output["clean"], true);
    assert!(clean.summary.contains("Gałąź main: brak zmian"));
    std::fs::write(repo.join("app.py"), "print('cześć')\n").unwrap();
    let diff = f.ok("git_diff", json!({})).await;
    assert!(diff.output["diff"]
        .as_str()
        .unwrap()
        .contains("+print('cześć')"));
    let log = f.ok("git_log", json!({"limit": 5})).await;
    assert_eq!(log.output["commits"][0]["author"], "Ola Testowa");
    let branch = f
        .ok(
            "git_branch",
            json!({"name": "funkcja/logowanie", "checkout": true}),
        )
        .await;
    assert_eq!(branch.output["current"], "funkcja/logowanie");
    let listed = f.ok("git_branch", json!({})).await;
    assert_eq!(listed.output["branches"].as_array().unwrap().len(), 2);
    let bad = f.call("git_branch", json!({"name": "--force"})).await;
    assert_eq!(bad.status, ToolStatus::Error);
}

#[tokio::test]
async fn push_clone_and_pull_through_a_bare_remote() {
    let f = fixture().await;
    let repo = f.workspace.path().join("projekt");
    std::fs::create_dir(&repo).unwrap();
    let bare = f.remotes.path().join("zdalne.git");
    git(
        f.remotes.path(),
        &[
            "init",
            "--quiet",
            "--bare",
            "--initial-branch=main",
            "zdalne.git",
        ],
    );
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    identity(&repo);
    git(&repo, &["remote", "add", "origin", bare.to_str().unwrap()]);
    std::fs::write(repo.join("README.md"), "# Projekt\n").unwrap();
    f.ok(
        "git_commit",
        json!({"path": "projekt", "message": "Start", "all": true}),
    )
    .await;
    let pushed = f.ok("git_push", json!({"path": "projekt"})).await;
    assert!(pushed.summary.contains("origin"));
    assert_eq!(
        git(&bare, &["log", "-1", "--format=%s", "main"]).trim(),
        "Start"
    );
    // A second copy, cloned by the tool, commits and pushes; the first pulls it.
    let clone_url = bare.display().to_string();
    f.ok("git_clone", json!({"url": clone_url, "path": "kopia"}))
        .await;
    let copy = f.workspace.path().join("kopia");
    assert_eq!(
        std::fs::read_to_string(copy.join("README.md")).unwrap(),
        "# Projekt\n"
    );
    identity(&copy);
    std::fs::write(copy.join("nowy.txt"), "z kopii\n").unwrap();
    f.ok(
        "git_commit",
        json!({"path": "kopia", "message": "Z kopii", "all": true}),
    )
    .await;
    f.ok("git_push", json!({"path": "kopia", "branch": "main"}))
        .await;
    let pulled = f.ok("git_pull", json!({"path": "projekt"})).await;
    assert!(
        pulled.summary.contains("Pobrano zmiany"),
        "{}",
        pulled.summary
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("nowy.txt")).unwrap(),
        "z kopii\n"
    );
    let again = f.ok("git_pull", json!({"path": "projekt"})).await;
    assert!(again.summary.contains("Już aktualne"));
    // Hostile remotes are refused before git runs.
    for url in [
        "--upload-pack=touch /tmp/pwned",
        "ext::sh -c touch% /tmp/pwned",
    ] {
        let result = f
            .call("git_clone", json!({ "url": url, "path": "zly" }))
            .await;
        assert_ne!(result.status, ToolStatus::Success, "{url}");
    }
    // A remote outside every workspace root is out of bounds.
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = f
        .call(
            "git_clone",
            json!({"url": elsewhere.path().display().to_string(), "path": "x"}),
        )
        .await;
    assert_eq!(outside.status, ToolStatus::Denied);
}
