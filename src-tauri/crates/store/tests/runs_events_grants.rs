//! Events, runs and grants on a real database file, across a reopen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use dark8_store::{NewRun, Store, StoredEvent};

fn event(seq: i64, run: &str) -> StoredEvent {
    StoredEvent {
        seq,
        timestamp: "2026-12-02T10:00:00.000Z".into(),
        session: Some("s1".into()),
        run: Some(run.into()),
        envelope: format!("{{\"seq\":{seq}}}"),
    }
}

#[tokio::test]
async fn events_replay_after_a_sequence_number_and_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark8.db");
    let store = Store::open(&path).await.unwrap();
    let batch: Vec<_> = (1..=10)
        .map(|n| event(n, if n < 6 { "r1" } else { "r2" }))
        .collect();
    store.events().append(&batch).await.unwrap();
    // A sequence number stored twice keeps its first row.
    store.events().append(&[event(3, "other")]).await.unwrap();
    store.close().await;

    let store = Store::open(&path).await.unwrap();
    let after = store.events().after(7, 100).await.unwrap();
    assert_eq!(after.iter().map(|e| e.seq).collect::<Vec<_>>(), [8, 9, 10]);
    assert_eq!(store.events().after(0, 2).await.unwrap().len(), 2);
    assert_eq!(store.events().of_run("r1").await.unwrap().len(), 5);
    assert_eq!(store.events().bounds().await.unwrap(), Some((1, 10)));
    assert_eq!(store.events().prune(4).await.unwrap(), 6);
    assert_eq!(store.events().bounds().await.unwrap(), Some((7, 10)));
}

#[tokio::test]
async fn a_run_is_recorded_finished_and_leftovers_are_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    let new = |id: &str| NewRun {
        id: id.into(),
        session: "s1".into(),
        command: "Pokaż pliki".into(),
        workspace: "/tmp/ws".into(),
        source: "api".into(),
    };
    let started = store.runs().start(&new("run-1")).await.unwrap();
    assert_eq!(started.status, "running");
    store.runs().start(&new("run-2")).await.unwrap();
    store
        .runs()
        .finish("run-1", "done", "{\"status\":\"done\"}")
        .await
        .unwrap();
    assert_eq!(store.runs().interrupt_leftovers().await.unwrap(), 1);
    let one = store.runs().get("run-1").await.unwrap().unwrap();
    assert_eq!(one.status, "done");
    assert!(one.finished_at.is_some());
    let two = store.runs().get("run-2").await.unwrap().unwrap();
    assert_eq!(two.status, "interrupted");
    assert_eq!(store.runs().recent(10).await.unwrap().len(), 2);
    assert!(store.runs().get("nope").await.unwrap().is_none());
}

#[tokio::test]
async fn grants_are_stored_once_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    let grant = store.grants().add("shell_run", "git").await.unwrap();
    let again = store.grants().add("shell_run", "git").await.unwrap();
    assert_eq!(grant.id, again.id);
    assert!(store
        .grants()
        .active("shell_run", "git")
        .await
        .unwrap()
        .is_some());
    assert!(store.grants().revoke(grant.id).await.unwrap());
    assert!(!store.grants().revoke(grant.id).await.unwrap());
    assert!(store
        .grants()
        .active("shell_run", "git")
        .await
        .unwrap()
        .is_none());
    let listed = store.grants().list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].revoked_at.is_some());
}
