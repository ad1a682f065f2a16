//! The executor on a real database file with test tools: validation, policy, approvals,
//! time limit, audit and redaction.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dark8_protocol::{Event, ToolCall, ToolStatus};
use dark8_store::Store;
use dark8_test_support::probes::{Echo, FakeShell, Sleeper};
use dark8_tools::{AutoApprove, DenyAll, Executor, Policy, PolicyConfig, Redactor, Registry, Role};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    runs: Arc<AtomicUsize>,
    cancelled: Arc<AtomicUsize>,
    events: Arc<Mutex<Vec<Event>>>,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    Fixture {
        _dir: dir,
        store,
        runs: Arc::new(AtomicUsize::new(0)),
        cancelled: Arc::new(AtomicUsize::new(0)),
        events: Arc::new(Mutex::new(Vec::new())),
    }
}

fn executor(f: &Fixture, role: Role) -> Executor {
    let mut registry = Registry::new();
    registry.add(Echo).unwrap();
    registry
        .add(FakeShell {
            runs: f.runs.clone(),
        })
        .unwrap();
    registry
        .add(Sleeper {
            cancelled: f.cancelled.clone(),
        })
        .unwrap();
    let policy = Policy::load(&PolicyConfig {
        role,
        ..PolicyConfig::default()
    })
    .unwrap();
    let events = f.events.clone();
    Executor::new(
        registry,
        policy,
        f.store.clone(),
        f._dir.path().to_path_buf(),
    )
    .with_events(Arc::new(move |e| events.lock().unwrap().push(e)))
    .with_redactor(Redactor::new(vec!["kanarek-7f3a9".to_owned()]))
    // As on a machine with Landlock, whatever this one has.
    .with_file_system_confinement(true)
}

fn call(tool: &str, args: Value) -> ToolCall {
    ToolCall {
        id: "c1".to_owned(),
        tool: tool.to_owned(),
        arguments: args,
    }
}

#[tokio::test]
async fn success_is_audited_and_the_chain_verifies() {
    let f = fixture().await;
    let result = executor(&f, Role::Owner)
        .call(
            call("test_echo", json!({"text": "hej"})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(result.status, ToolStatus::Success);
    assert_eq!(result.summary, "hej");
    let rows = f.store.audit().recent(10).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "test_echo");
    assert_eq!(rows[0].status, ToolStatus::Success);
    assert_eq!(rows[0].parameters["arguments"]["text"], "hej");
    assert!(f.store.audit().verify().await.unwrap().is_intact());
    let kinds: Vec<String> = f
        .events
        .lock()
        .unwrap()
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds, ["tool_started", "tool_progress", "tool_finished"]);
}

#[tokio::test]
async fn unknown_tools_and_bad_arguments_fail_in_polish_and_run_nothing() {
    let f = fixture().await;
    let exec = executor(&f, Role::Owner);
    let unknown = exec
        .call(call("fs_nothing", json!({})), CancellationToken::new())
        .await;
    assert_eq!(unknown.status, ToolStatus::Error);
    assert!(unknown.summary.contains("Nieznane narzędzie"));
    let bad = exec
        .call(
            call("test_shell", json!({"command": 5})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(bad.status, ToolStatus::Error);
    assert!(bad.summary.contains("Złe argumenty"), "{}", bad.summary);
    let extra = exec
        .call(
            call("test_echo", json!({"text": "a", "x": 1})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(extra.status, ToolStatus::Error);
    assert_eq!(f.runs.load(Ordering::SeqCst), 0);
    let statuses: Vec<ToolStatus> = f
        .store
        .audit()
        .recent(10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [ToolStatus::Error; 3]);
}

#[tokio::test]
async fn a_viewers_shell_call_is_denied_audited_and_explained() {
    let f = fixture().await;
    let result = executor(&f, Role::Viewer)
        .with_approver(Arc::new(AutoApprove))
        .call(
            call("test_shell", json!({"command": "echo hej"})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(result.status, ToolStatus::Denied);
    assert!(result.summary.contains("viewer"), "{}", result.summary);
    assert_eq!(f.runs.load(Ordering::SeqCst), 0);
    let rows = f.store.audit().recent(10).await.unwrap();
    assert_eq!(rows[0].status, ToolStatus::Denied);
}

#[tokio::test]
async fn forbidden_commands_never_run_even_with_yes() {
    let f = fixture().await;
    let exec = executor(&f, Role::Owner).with_approver(Arc::new(AutoApprove));
    for line in [
        "rm -rf /",
        "echo ok; sudo rm -rf /",
        "echo `rm -rf ~`",
        ":(){ :|:& };:",
        "requests; rm -rf ~",
    ] {
        let result = exec
            .call(
                call("test_shell", json!({"command": line})),
                CancellationToken::new(),
            )
            .await;
        assert_eq!(result.status, ToolStatus::Denied, "{line}");
    }
    assert_eq!(f.runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn yes_approves_only_what_the_policy_lets_it() {
    let f = fixture().await;
    let yes = executor(&f, Role::Owner).with_approver(Arc::new(AutoApprove));
    let echo = yes
        .call(
            call("test_shell", json!({"command": "echo hej"})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(echo.status, ToolStatus::Success, "{}", echo.summary);
    let sudo = yes
        .call(
            call("test_shell", json!({"command": "sudo apt update"})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(sudo.status, ToolStatus::Denied);
    assert!(sudo.summary.contains("--yes"), "{}", sudo.summary);
    let nobody = executor(&f, Role::Owner).with_approver(Arc::new(DenyAll));
    let refused = nobody
        .call(
            call("test_shell", json!({"command": "echo hej"})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(refused.status, ToolStatus::Denied);
    assert_eq!(f.runs.load(Ordering::SeqCst), 1);
    let events = f.events.lock().unwrap();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::ApprovalRequested { .. })));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::ApprovalDecided { decision } if !decision.approved)));
}

#[tokio::test]
async fn without_landlock_every_program_run_needs_an_explicit_yes() {
    let f = fixture().await;
    let unconfined = executor(&f, Role::Owner)
        .with_file_system_confinement(false)
        .with_approver(Arc::new(AutoApprove));
    for command in ["echo hej", "cargo test"] {
        let result = unconfined
            .call(
                call("test_shell", json!({ "command": command })),
                CancellationToken::new(),
            )
            .await;
        assert_eq!(result.status, ToolStatus::Denied, "{command}");
        assert!(
            result.summary.contains("brak piaskownicy Landlock"),
            "{}",
            result.summary
        );
    }
    // A forbidden command stays forbidden, and reading is unaffected.
    let forbidden = unconfined
        .call(
            call("test_shell", json!({"command": "rm -rf /"})),
            CancellationToken::new(),
        )
        .await;
    assert!(
        forbidden.summary.contains("systemu plików"),
        "{}",
        forbidden.summary
    );
    let read = unconfined
        .call(
            call("test_echo", json!({"text": "a"})),
            CancellationToken::new(),
        )
        .await;
    assert_eq!(read.status, ToolStatus::Success);
    assert_eq!(f.runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn time_limit_cancels_the_tool() {
    let f = fixture().await;
    let result = executor(&f, Role::Owner)
        .with_timeout(Duration::from_millis(100))
        .call(call("test_sleep", json!({})), CancellationToken::new())
        .await;
    assert_eq!(result.status, ToolStatus::Error);
    assert!(result.summary.contains("limit czasu"), "{}", result.summary);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let stopped = executor(&f, Role::Owner)
        .call(call("test_sleep", json!({})), cancel)
        .await;
    assert!(stopped.summary.contains("Przerwano"), "{}", stopped.summary);
}

#[tokio::test]
async fn a_canary_secret_never_reaches_the_audit_log_or_events() {
    let f = fixture().await;
    let exec = executor(&f, Role::Owner);
    exec.call(
        call("test_echo", json!({"text": "hasło kanarek-7f3a9 i ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token": "tajne-123456"})),
        CancellationToken::new(),
    )
    .await;
    let db = std::fs::read(f._dir.path().join("dark8.db")).unwrap();
    let wal = std::fs::read(f._dir.path().join("dark8.db-wal")).unwrap_or_default();
    for needle in [
        "kanarek-7f3a9",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "tajne-123456",
    ] {
        let bytes = needle.as_bytes();
        assert!(
            !db.windows(bytes.len()).any(|w| w == bytes),
            "{needle} in the database"
        );
        assert!(
            !wal.windows(bytes.len()).any(|w| w == bytes),
            "{needle} in the WAL"
        );
        let events = serde_json::to_string(&*f.events.lock().unwrap()).unwrap();
        assert!(!events.contains(needle), "{needle} in events");
    }
}
