//! The store on real database files: migrations, repositories, concurrency, crash safety.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use dark8_store::{
    KnowledgeKind, MemorySource, NewConversation, NewKnowledgeItem, NewProject, Store,
};
use serde_json::json;

#[tokio::test]
async fn migrations_run_twice_without_harm() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/dark8.db");
    let store = Store::open(&path).await.unwrap();
    let version = store.schema_version().await.unwrap();
    assert!(version >= 1);
    store.audit().append(&common::entry(0, 1)).await.unwrap();
    store.close().await;

    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), version);
    assert_eq!(store.audit().count().await.unwrap(), 1);
    assert!(store.audit().verify().await.unwrap().is_intact());
    store.integrity_check().await.unwrap();
}

#[tokio::test]
async fn wal_and_foreign_keys_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark8.db");
    let store = Store::open(&path).await.unwrap();
    store.audit().append(&common::entry(0, 1)).await.unwrap();
    assert!(
        dir.path().join("dark8.db-wal").exists(),
        "WAL journal expected"
    );
    store.close().await;
}

#[tokio::test]
async fn eight_concurrent_writers_lose_nothing_and_the_chain_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark8.db");
    Store::open(&path).await.unwrap().close().await;

    let mut writers = Vec::new();
    for writer in 0..8 {
        let path = path.clone();
        writers.push(tokio::spawn(async move {
            // Each writer has its own store (own connections), as separate processes would.
            let store = Store::open(&path).await.unwrap();
            for n in 0..1000 {
                store
                    .audit()
                    .append(&common::entry(writer, n))
                    .await
                    .unwrap();
            }
            store.close().await;
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }

    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.audit().count().await.unwrap(), 8000);
    let verification = store.audit().verify().await.unwrap();
    assert_eq!(verification.rows_checked, 8000);
    assert!(verification.is_intact(), "{verification:?}");
    let entries = store.audit().recent(8000).await.unwrap();
    let distinct: HashSet<String> = entries
        .iter()
        .map(|e| e.parameters["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        distinct.len(),
        8000,
        "every write must be kept exactly once"
    );
}

#[tokio::test]
async fn batched_append_is_all_or_nothing_and_chained() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    let batch: Vec<_> = (0..100).map(|n| common::entry(1, n)).collect();
    let appended = store.audit().append_batch(&batch).await.unwrap();
    assert_eq!(appended.len(), 100);
    assert_eq!(appended[0].id, 1);
    for pair in appended.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert_eq!(pair[1].id, pair[0].id + 1);
    }
    assert!(store.audit().verify().await.unwrap().is_intact());
}

#[tokio::test]
async fn audit_log_rejects_updates_and_deletes_through_sql() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark8.db");
    let store = Store::open(&path).await.unwrap();
    store.audit().append(&common::entry(0, 1)).await.unwrap();
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let update = sqlx::query("UPDATE audit_log SET result = 'x'")
        .execute(&mut conn)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&mut conn)
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn repositories_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();

    let turn = store
        .conversations()
        .record(&NewConversation {
            user_input: "Zbuduj aplikację todo w Django".to_owned(),
            ai_response: "Gotowe: projekt todo w katalogu ./todo".to_owned(),
            intent: Some("BUILD_APP".to_owned()),
            context: json!({"entities": {"framework": "django", "app_type": "todo"}}),
        })
        .await
        .unwrap();
    let recent = store.conversations().recent(10).await.unwrap();
    assert_eq!(recent, vec![turn]);

    let project = store
        .projects()
        .upsert(&NewProject {
            name: "sklep-internetowy".to_owned(),
            path: "/home/ola/sklep-internetowy".to_owned(),
            metadata: json!({"framework": "fastapi"}),
        })
        .await
        .unwrap();
    let again = store
        .projects()
        .upsert(&NewProject {
            name: "sklep".to_owned(),
            path: project.path.clone(),
            metadata: json!({"framework": "fastapi", "tested": true}),
        })
        .await
        .unwrap();
    assert_eq!(again.id, project.id);
    assert_eq!(again.created_at, project.created_at);
    assert_eq!(again.name, "sklep");
    assert_eq!(store.projects().list().await.unwrap().len(), 1);
    assert_eq!(
        store.projects().by_path(&project.path).await.unwrap(),
        Some(again)
    );

    let fact = store
        .knowledge()
        .add(&NewKnowledgeItem {
            kind: KnowledgeKind::Fact,
            content: "baza działa na porcie 5433".to_owned(),
            embedding: Some(vec![0.1, 0.2, 0.3]),
            embedding_model: Some("test-model".to_owned()),
            tags: vec!["baza".to_owned()],
            source: None,
        })
        .await
        .unwrap();
    store
        .knowledge()
        .add(&NewKnowledgeItem {
            kind: KnowledgeKind::CodeSnippet,
            content: "fn main() {}".to_owned(),
            embedding: None,
            embedding_model: None,
            tags: vec![],
            source: None,
        })
        .await
        .unwrap();
    // Vectors are read back per model; rows without one (or from another model) are the
    // ones to embed.
    let knowledge = store.knowledge();
    assert_eq!(
        knowledge.embeddings("test-model").await.unwrap(),
        vec![(fact.id, vec![0.1, 0.2, 0.3])]
    );
    assert!(knowledge.embeddings("inny").await.unwrap().is_empty());
    let missing = knowledge
        .missing_embeddings("test-model", 10)
        .await
        .unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].1, "fn main() {}");
    assert_eq!(
        knowledge
            .missing_embeddings("inny", 10)
            .await
            .unwrap()
            .len(),
        2
    );
    knowledge
        .set_embedding(missing[0].0, "test-model", &[0.5, 0.5])
        .await
        .unwrap();
    assert!(knowledge
        .missing_embeddings("test-model", 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(knowledge.embeddings("test-model").await.unwrap().len(), 2);
    assert_eq!(
        store.knowledge().get(fact.id).await.unwrap(),
        Some(fact.clone())
    );
    assert_eq!(
        store
            .knowledge()
            .recent(Some(KnowledgeKind::Fact), 10)
            .await
            .unwrap(),
        vec![fact]
    );
    assert_eq!(store.knowledge().recent(None, 10).await.unwrap().len(), 2);
}

/// Body of the child process used by `sigkill_while_writing_keeps_every_committed_row`.
#[tokio::test]
async fn crash_writer_child() {
    let Some(path) = std::env::var_os("DARK8_CRASH_WRITER_DB") else {
        return; // only does something when started by the crash test
    };
    let store = Store::open(std::path::Path::new(&path)).await.unwrap();
    let mut n = 0usize;
    loop {
        let committed = if n % 2 == 0 {
            vec![store.audit().append(&common::entry(9, n)).await.unwrap()]
        } else {
            let batch: Vec<_> = (0..5).map(|k| common::entry(9, n * 10 + k)).collect();
            store.audit().append_batch(&batch).await.unwrap()
        };
        for entry in committed {
            println!("committed {}", entry.id);
        }
        n += 1;
    }
}

#[tokio::test]
async fn sigkill_while_writing_keeps_every_committed_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark8.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("DARK8_CRASH_WRITER_DB", &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut committed = Vec::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some(id) = line.strip_prefix("committed ") {
            committed.push(id.parse::<i64>().unwrap());
            if committed.len() >= 3000 {
                break;
            }
        }
    }
    // SIGKILL in the middle of further writes.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(committed.len() >= 3000);

    let store = Store::open(&path).await.unwrap();
    store.integrity_check().await.unwrap();
    let count = store.audit().count().await.unwrap();
    let max_committed = *committed.iter().max().unwrap();
    assert!(
        count >= max_committed,
        "{count} rows stored, {max_committed} reported committed"
    );
    let stored: HashSet<i64> = store
        .audit()
        .recent(u32::try_from(count).unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert!(committed.iter().all(|id| stored.contains(id)));
    assert!(store.audit().verify().await.unwrap().is_intact());
}

#[tokio::test]
async fn the_undo_journal_returns_the_newest_pending_batch() {
    use dark8_store::{NewUndoEntry, UndoKind};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    assert!(store.undo().last_batch().await.unwrap().is_empty());
    let entry = |batch: &str, path: &str, kind| NewUndoEntry {
        batch: batch.to_owned(),
        tool: "fs_write".to_owned(),
        path: path.to_owned(),
        kind,
        backup: None,
        call_id: format!("call-{batch}"),
    };
    store
        .undo()
        .record(&entry("b1", "/w/a", UndoKind::Created))
        .await
        .unwrap();
    store
        .undo()
        .record(&entry("b2", "/w/b", UndoKind::Changed))
        .await
        .unwrap();
    store
        .undo()
        .record(&entry("b2", "/w/c", UndoKind::Deleted))
        .await
        .unwrap();
    let batch = store.undo().last_batch().await.unwrap();
    assert_eq!(
        batch.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        ["/w/c", "/w/b"]
    );
    store.undo().mark_undone("b2").await.unwrap();
    let batch = store.undo().last_batch().await.unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].kind, UndoKind::Created);
    store.undo().mark_undone("b1").await.unwrap();
    assert!(store.undo().last_batch().await.unwrap().is_empty());
}

#[tokio::test]
async fn memory_index_ranks_matching_rows_and_ignores_fts_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    let index = store.memory_index();
    index
        .add(
            MemorySource::Knowledge,
            7,
            "serwer testowy dzialac na port 8088",
        )
        .await
        .unwrap();
    index
        .add(MemorySource::Conversation, 3, "baza dzialac na port 5433")
        .await
        .unwrap();
    index
        .add(MemorySource::Knowledge, 9, "kot lubic mleko")
        .await
        .unwrap();
    let terms: Vec<String> = ["port", "serwer", "testowy"].map(String::from).to_vec();
    let hits = index.search(&terms, None, 10).await.unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(
        (hits[0].source, hits[0].ref_id),
        (MemorySource::Knowledge, 7)
    );
    assert!(hits[0].score > hits[1].score);
    let only = index
        .search(&terms, Some(MemorySource::Conversation), 10)
        .await
        .unwrap();
    assert_eq!(only.len(), 1);
    // Quotes and operators are data, not FTS syntax.
    let odd: Vec<String> = ["\"port", "NEAR(", "*"].map(String::from).to_vec();
    assert!(index.search(&odd, None, 10).await.is_ok());
    assert!(index.search(&[], None, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn conversations_are_found_by_id_and_time_range() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    let turn = store
        .conversations()
        .record(&NewConversation {
            user_input: "Pokaż procesy".into(),
            ai_response: "12 procesów".into(),
            intent: Some("PROCESS_LIST".into()),
            context: json!({}),
        })
        .await
        .unwrap();
    let got = store.conversations().get(turn.id).await.unwrap().unwrap();
    assert_eq!(got, turn);
    assert!(store
        .conversations()
        .get(turn.id + 1)
        .await
        .unwrap()
        .is_none());
    let all = store
        .conversations()
        .between("2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", 10)
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    let none = store
        .conversations()
        .between("2000-01-01T00:00:00Z", "2000-01-02T00:00:00Z", 10)
        .await
        .unwrap();
    assert!(none.is_empty());
}
