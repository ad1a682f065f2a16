//! The run service and the approvals service on a real database, real sandboxed commands and
//! a real workspace: a run waits for an approval any front end can answer, grants approve
//! later runs and are revocable, what a blanket "yes" may not approve cannot be granted, a
//! cancelled run refuses what still waits, and the events of runs nobody watched replay from
//! the database after a restart.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::Path;
use std::time::Duration;

use dark8_core::approvals::AnswerError;
use dark8_core::config::LlmProvider;
use dark8_core::{Config, Dark8, DirectCall, Paths, RunRequest};
use dark8_protocol::{CommandSource, Event, GrantScope, PendingApproval, RunStatus};

async fn core(home: &Path) -> Dark8 {
    let mut config = Config::default();
    config.llm.provider = LlmProvider::None;
    Dark8::start(config, Paths::under(home)).await.unwrap()
}

fn request(command: &str, workspace: &Path) -> RunRequest {
    RunRequest {
        command: command.into(),
        workspace: workspace.to_path_buf(),
        session: Some("s-test".into()),
        source: CommandSource::Api,
        call: None,
        local_approver: None,
    }
}

fn direct(text: &str, workspace: &Path, tool: &str, arguments: serde_json::Value) -> RunRequest {
    RunRequest {
        call: Some(DirectCall {
            tool: tool.into(),
            arguments,
        }),
        ..request(text, workspace)
    }
}

/// Approves whatever run `run` asks until it ends; it must end done.
async fn approve_until_done(dark8: &Dark8, run: &str) {
    let waiting = dark8.wait_run(run);
    tokio::pin!(waiting);
    loop {
        tokio::select! {
            done = &mut waiting => {
                let done = done.unwrap().unwrap();
                assert_eq!(done.status, RunStatus::Done, "{done:?}");
                return;
            }
            () = tokio::time::sleep(Duration::from_millis(20)) => {
                for pending in dark8.approvals().pending() {
                    if pending.run.as_deref() == Some(run) {
                        dark8
                            .approvals()
                            .answer(&pending.request.id, true, GrantScope::Once, None)
                            .await
                            .unwrap();
                    }
                }
            }
        }
    }
}

/// Waits for the approval run `run` asks.
async fn pending_of(dark8: &Dark8, run: &str) -> PendingApproval {
    for _ in 0..400 {
        if let Some(p) = dark8
            .approvals()
            .pending()
            .into_iter()
            .find(|p| p.run.as_deref() == Some(run))
        {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("run {run} asked no approval");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_wait_for_approvals_that_grants_answer_later() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let dark8 = core(home.path()).await;

    // 1. The run waits; the approval shows the whole operation.
    let run = dark8
        .start_run(request("Uruchom komendę touch zrobione.txt", ws.path()))
        .await
        .unwrap();
    assert_eq!(run.status, RunStatus::Running);
    let pending = pending_of(&dark8, &run.id).await;
    assert_eq!(pending.session.as_deref(), Some("s-test"));
    assert_eq!(
        pending.request.command_line.as_deref(),
        Some("touch zrobione.txt")
    );
    assert!(pending.request.auto_approvable);
    assert_eq!(
        pending.request.grant_target.as_deref(),
        Some("program:touch")
    );
    let decision = dark8
        .approvals()
        .answer(&pending.request.id, true, GrantScope::Always, None)
        .await
        .unwrap();
    assert!(decision.approved);
    // The first answer wins; a second one finds nothing waiting.
    assert_eq!(
        dark8
            .approvals()
            .answer(&pending.request.id, false, GrantScope::Once, None)
            .await,
        Err(AnswerError::NotPending(pending.request.id.clone()))
    );
    let done = dark8.wait_run(&run.id).await.unwrap().unwrap();
    assert_eq!(done.status, RunStatus::Done, "{:?}", done.outcome);
    assert!(ws.path().join("zrobione.txt").exists());
    assert!(done.finished_at.is_some());
    assert_eq!(done.outcome.as_ref().unwrap()["status"], "done");

    // 2. The stored grant approves the same program without asking.
    let second = dark8
        .start_run(request("Uruchom komendę touch drugi.txt", ws.path()))
        .await
        .unwrap();
    let done = dark8.wait_run(&second.id).await.unwrap().unwrap();
    assert_eq!(done.status, RunStatus::Done);
    assert!(ws.path().join("drugi.txt").exists());
    let grants = dark8.approvals().grants().await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].scope, GrantScope::Always);
    assert_eq!(grants[0].target, "program:touch");

    // 3. Revoked, it asks again; cancelling the run refuses what waits.
    assert!(dark8.approvals().revoke(&grants[0].id).await.unwrap());
    let third = dark8
        .start_run(request("Uruchom komendę touch trzeci.txt", ws.path()))
        .await
        .unwrap();
    pending_of(&dark8, &third.id).await;
    assert!(dark8.cancel_run(&third.id));
    let done = dark8.wait_run(&third.id).await.unwrap().unwrap();
    assert_eq!(done.status, RunStatus::Cancelled);
    assert!(!ws.path().join("trzeci.txt").exists());
    assert!(dark8.approvals().pending().is_empty());

    // 4. A refusal with a reason reaches the outcome.
    let fourth = dark8
        .start_run(request("Uruchom komendę touch czwarty.txt", ws.path()))
        .await
        .unwrap();
    let pending = pending_of(&dark8, &fourth.id).await;
    dark8
        .approvals()
        .answer(
            &pending.request.id,
            false,
            GrantScope::Once,
            Some("nie teraz".into()),
        )
        .await
        .unwrap();
    let done = dark8.wait_run(&fourth.id).await.unwrap().unwrap();
    assert_eq!(done.status, RunStatus::Denied);
    assert!(
        done.outcome
            .as_ref()
            .unwrap()
            .to_string()
            .contains("nie teraz"),
        "{:?}",
        done.outcome
    );

    // 5. What a blanket "yes" may not approve cannot be granted for the session either.
    let fifth = dark8
        .start_run(request("Uruchom komendę rm -rf stare", ws.path()))
        .await
        .unwrap();
    let pending = pending_of(&dark8, &fifth.id).await;
    assert!(!pending.request.auto_approvable);
    assert!(pending.request.grant_target.is_none());
    assert_eq!(
        dark8
            .approvals()
            .answer(&pending.request.id, true, GrantScope::Session, None)
            .await,
        Err(AnswerError::OnlyOnce(pending.request.id.clone()))
    );
    dark8.cancel_run(&fifth.id);
    dark8.wait_run(&fifth.id).await.unwrap();
    dark8.shutdown().await;

    // 6. After a restart, every run and its events are still there, in order.
    let dark8 = core(home.path()).await;
    let runs = dark8.runs_recent(10).await.unwrap();
    assert_eq!(runs.len(), 5);
    let follow = dark8.events().follow(0).await;
    assert!(!follow.resync);
    let of_first: Vec<_> = follow
        .missed
        .iter()
        .filter(|e| e.run.as_deref() == Some(run.id.as_str()))
        .collect();
    assert!(matches!(
        of_first.first().unwrap().event,
        Event::CommandReceived { .. }
    ));
    assert!(matches!(
        of_first.last().unwrap().event,
        Event::RunFinished {
            status: RunStatus::Done,
            ..
        }
    ));
    assert!(of_first.windows(2).all(|w| w[0].seq < w[1].seq));
    let granted = follow.missed.iter().find(|e| {
        e.run.as_deref() == Some(second.id.as_str())
            && matches!(&e.event, Event::ApprovalDecided { decision } if decision.reason.as_deref().is_some_and(|r| r.contains("zgoda na stałe")))
    });
    assert!(
        granted.is_some(),
        "the second run was approved by the grant"
    );
    // The step of a tool's events is tagged once the plan is known.
    assert!(of_first
        .iter()
        .any(|e| matches!(e.event, Event::ToolStarted { .. }) && e.step == Some(1)));
    // Numbering goes on after the restart.
    let last = follow.missed.last().unwrap().seq;
    assert_eq!(dark8.events().next_seq(), last + 1);
    dark8.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_write_waits_with_the_diff_it_would_make() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("notatki.txt"), "stara treść\n").unwrap();
    let mut config = Config::default();
    config.llm.provider = LlmProvider::None;
    // A developer's writes ask first.
    config.policy.role = dark8_tools::Role::Developer;
    let dark8 = Dark8::start(config, Paths::under(home.path()))
        .await
        .unwrap();
    let run = dark8
        .start_run(request(
            "Zapisz plik notatki.txt z treścią nowa treść",
            ws.path(),
        ))
        .await
        .unwrap();
    let pending = pending_of(&dark8, &run.id).await;
    let preview = pending.request.preview.clone().unwrap_or_default();
    assert!(preview.contains("-stara treść"), "{preview}");
    assert!(preview.contains("+nowa treść"), "{preview}");
    assert_eq!(pending.request.paths, ["notatki.txt"]);
    assert_eq!(pending.request.grant_target.as_deref(), Some("dir:."));
    dark8
        .approvals()
        .answer(&pending.request.id, false, GrantScope::Once, None)
        .await
        .unwrap();
    let done = dark8.wait_run(&run.id).await.unwrap().unwrap();
    assert_eq!(done.status, RunStatus::Denied);
    assert_eq!(
        std::fs::read_to_string(ws.path().join("notatki.txt")).unwrap(),
        "stara treść\n"
    );
    dark8.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_writes_by_a_direct_call_and_undoes_exactly_that_change() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("config.ini"), "port=80\n").unwrap();
    std::fs::write(ws.path().join("inny.txt"), "a\n").unwrap();
    let mut config = Config::default();
    config.llm.provider = LlmProvider::None;
    config.policy.role = dark8_tools::Role::Developer;
    let dark8 = Dark8::start(config, Paths::under(home.path()))
        .await
        .unwrap();
    let write = |path: &str, content: &str| {
        direct(
            &format!("Zapisz {path}"),
            ws.path(),
            "fs_write",
            serde_json::json!({ "path": path, "content": content, "mode": "overwrite" }),
        )
    };
    let mut runs = Vec::new();
    for (path, content) in [("config.ini", "port=8080\n"), ("inny.txt", "b\n")] {
        let run = dark8.start_run(write(path, content)).await.unwrap();
        let pending = pending_of(&dark8, &run.id).await;
        assert_eq!(pending.request.call.tool, "fs_write");
        dark8
            .approvals()
            .answer(&pending.request.id, true, GrantScope::Once, None)
            .await
            .unwrap();
        let done = dark8.wait_run(&run.id).await.unwrap().unwrap();
        assert_eq!(done.status, RunStatus::Done, "{done:?}");
        runs.push(run.id);
    }
    let changes = dark8.run_changes(&runs[0]).await.unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = &changes[0];
    assert_eq!(change.kind, "changed");
    assert!(change.path.ends_with("config.ini"));
    assert!(
        change.diff.contains("-port=80\n+port=8080"),
        "{}",
        change.diff
    );
    assert!(!change.undone);
    // Undoing the first run's change leaves the later, newer one alone.
    let report = dark8.undo_change(&change.batch).await.unwrap().unwrap();
    assert_eq!(report.tool, "fs_write");
    assert_eq!(
        std::fs::read_to_string(ws.path().join("config.ini")).unwrap(),
        "port=80\n"
    );
    assert_eq!(
        std::fs::read_to_string(ws.path().join("inny.txt")).unwrap(),
        "b\n"
    );
    assert!(dark8.run_changes(&runs[0]).await.unwrap()[0].undone);
    assert!(dark8.undo_change(&change.batch).await.unwrap().is_none());
    let audit = dark8.audit_recent(2).await.unwrap();
    assert_eq!(audit[0].action, "undo");
    assert_eq!(audit[0].result, "cofnięto fs_write (1 plik)");
    assert_eq!(audit[0].parameters["batch"], change.batch.as_str());
    assert_eq!(audit[1].result, "nie było czego cofać");
    dark8.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facts_are_kept_found_in_other_words_and_forgotten_by_direct_calls() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let dark8 = core(home.path()).await;
    let save = direct(
        "Zapamiętaj fakt",
        ws.path(),
        "memory_save",
        serde_json::json!({ "content": "Serwer bazy danych nasłuchuje na porcie 5433", "tags": ["baza"] }),
    );
    let run = dark8.start_run(save).await.unwrap();
    approve_until_done(&dark8, &run.id).await;
    let found = dark8
        .knowledge(Some("na jakim porcie działa baza?"), 10)
        .await
        .unwrap();
    let fact = found
        .iter()
        .find(|e| e.source == dark8_protocol::KnowledgeSource::Knowledge)
        .expect("the fact is found");
    assert_eq!(fact.text, "Serwer bazy danych nasłuchuje na porcie 5433");
    assert_eq!(fact.tags, ["baza"]);
    let listed = dark8.knowledge(None, 10).await.unwrap();
    assert_eq!(listed[0].id, fact.id);
    let forget = direct(
        "Zapomnij fakt",
        ws.path(),
        "memory_forget",
        serde_json::json!({ "id": fact.id }),
    );
    let run = dark8.start_run(forget).await.unwrap();
    approve_until_done(&dark8, &run.id).await;
    assert!(dark8
        .knowledge(Some("port bazy"), 10)
        .await
        .unwrap()
        .iter()
        .all(|e| e.source != dark8_protocol::KnowledgeSource::Knowledge));
    dark8.shutdown().await;
}
