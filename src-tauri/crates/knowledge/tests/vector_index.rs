//! The embedded vector index on real files beside a real SQLite store: built, saved, caught up
//! from the store's vector log after changes it did not see, rebuilt from the rows when its
//! files are damaged, restarted after the log was cut, and killed with SIGKILL in the middle
//! of inserts without losing or inventing a row.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::collections::BTreeSet;
use std::path::Path;

use dark8_knowledge::index::{Opened, VectorIndex};
use dark8_store::{KnowledgeKind, NewKnowledgeItem, Store};

const MODEL: &str = "test-model";
const DIMENSION: usize = 8;

/// A unit vector that points mostly along axis `n % 8`, turned a little by `n`.
fn vector(n: i64) -> Vec<f32> {
    let mut v: Vec<f32> = (0..DIMENSION)
        .map(|i| ((n as f32 + 1.0) * (i as f32 + 1.0) * 0.37).sin() * 0.2)
        .collect();
    v[(n % DIMENSION as i64) as usize] += 1.0;
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter().map(|x| x / norm).collect()
}

async fn add(store: &Store, n: i64) -> i64 {
    store
        .knowledge()
        .add(&NewKnowledgeItem {
            kind: KnowledgeKind::Fact,
            content: format!("fakt {n}"),
            embedding: Some(vector(n)),
            embedding_model: Some(MODEL.into()),
            tags: vec![],
            source: None,
        })
        .await
        .unwrap()
        .id
}

/// The row ids with a vector of the model, as the store has them.
async fn stored_rows(store: &Store) -> BTreeSet<i64> {
    store
        .knowledge()
        .embeddings(MODEL)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// The index holds exactly the store's rows, and each row's own vector finds it first.
async fn assert_agrees(index: &VectorIndex, store: &Store) {
    let rows = stored_rows(store).await;
    assert_eq!(index.rows().collect::<BTreeSet<_>>(), rows);
    for (id, vector) in store.knowledge().embeddings(MODEL).await.unwrap() {
        let found = index.search(&vector, 1);
        assert!(
            (found[0].similarity - 1.0).abs() < 1e-4,
            "row {id}: best match {found:?}"
        );
    }
}

async fn open(store: &Store, dir: &Path) -> (VectorIndex, Opened) {
    VectorIndex::open(store, dir.join("index"), MODEL, DIMENSION)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_index_follows_rows_it_did_not_see_and_survives_damage() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    let (mut index, opened) = open(&store, dir.path()).await;
    assert_eq!(opened, Opened::Built { rows: 0 });

    let mut ids = Vec::new();
    for n in 0..40 {
        ids.push(add(&store, n).await);
    }
    assert_eq!(index.catch_up(&store).await.unwrap(), 40);
    assert_agrees(&index, &store).await;
    index.save(&store).await.unwrap();
    drop(index);

    // Changes made while no index was open: a removal, a new vector for a row, a new row,
    // and a vector of another model (never in this index).
    store.knowledge().delete(ids[3]).await.unwrap();
    store
        .knowledge()
        .set_embedding(ids[5], MODEL, &vector(1000))
        .await
        .unwrap();
    store
        .knowledge()
        .set_embedding(ids[6], "another-model", &vector(6))
        .await
        .unwrap();
    let newest = add(&store, 40).await;
    let (index, opened) = open(&store, dir.path()).await;
    assert_eq!(
        opened,
        Opened::Loaded {
            rows: 39,
            caught_up: 4
        }
    );
    assert_agrees(&index, &store).await;
    assert!(index.rows().any(|id| id == newest));
    assert_eq!(index.search(&vector(1000), 1)[0].id, ids[5]);
    assert!(!index.rows().any(|id| id == ids[3] || id == ids[6]));
    drop(index);

    // A damaged data file is never loaded: the index is built again from the rows.
    let generation = std::fs::read_to_string(dir.path().join("index/current")).unwrap();
    let data = dir
        .path()
        .join("index")
        .join(generation.trim())
        .join("graph.hnsw.data");
    let mut bytes = std::fs::read(&data).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&data, bytes).unwrap();
    let (index, opened) = open(&store, dir.path()).await;
    match opened {
        Opened::Rebuilt { rows, reason } => {
            assert_eq!(rows, 39);
            assert!(reason.contains("SHA-256"), "{reason}");
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_agrees(&index, &store).await;
}

#[tokio::test]
async fn an_index_behind_a_cut_log_starts_again_from_the_newer_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
    for n in 0..10 {
        add(&store, n).await;
    }
    // Two processes' indexes of one store: the first saves and cuts the log while the
    // second still covers less.
    let (mut first, _) = open(&store, dir.path()).await;
    let (mut second, _) = open(&store, dir.path()).await;
    for n in 10..20 {
        add(&store, n).await;
    }
    first.catch_up(&store).await.unwrap();
    first.save(&store).await.unwrap();
    assert_eq!(store.vector_log().head().await.unwrap(), first.covered());
    add(&store, 20).await;
    second.catch_up(&store).await.unwrap();
    assert_eq!(second.len(), 21);
    assert_agrees(&second, &store).await;
    // A save never replaces a newer generation with an older one.
    second.save(&store).await.unwrap();
    first.save(&store).await.unwrap();
    let (reopened, opened) = open(&store, dir.path()).await;
    assert!(
        matches!(opened, Opened::Loaded { rows: 21, .. }),
        "{opened:?}"
    );
    assert_agrees(&reopened, &store).await;
}

/// The writer the SIGKILL test starts: adds rows one by one (saving its index every 25) and
/// prints each committed row id.
#[tokio::test]
async fn kill_child_writer() {
    let Ok(dir) = std::env::var("DARK8_VECTOR_INDEX_WRITER") else {
        return;
    };
    use std::io::Write;
    let dir = Path::new(&dir);
    let store = Store::open(&dir.join("dark8.db")).await.unwrap();
    let (mut index, _) = open(&store, dir).await;
    for n in 0.. {
        let id = add(&store, n).await;
        println!("committed {id}");
        std::io::stdout().flush().unwrap();
        index.catch_up(&store).await.unwrap();
        if n % 25 == 24 {
            index.save(&store).await.unwrap();
        }
    }
}

#[cfg(unix)]
#[tokio::test]
async fn sigkill_during_inserts_loses_no_committed_row_and_the_index_agrees_after() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    for round in 0..3 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kill_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("DARK8_VECTOR_INDEX_WRITER", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut committed = BTreeSet::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Killed at a different moment each round: mid-run, right after a save, before any.
        let stop_after = [60, 75, 5][round];
        while committed.len() < stop_after {
            let line = lines.next().unwrap().unwrap();
            if let Some(id) = line.strip_prefix("committed ") {
                committed.insert(id.parse::<i64>().unwrap());
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();

        let store = Store::open(&dir.path().join("dark8.db")).await.unwrap();
        let rows = stored_rows(&store).await;
        assert!(
            committed.is_subset(&rows),
            "round {round}: committed rows lost: {:?}",
            committed.difference(&rows).collect::<Vec<_>>()
        );
        let (index, opened) = open(&store, dir.path()).await;
        assert!(
            matches!(opened, Opened::Loaded { .. } | Opened::Built { .. }),
            "round {round}: {opened:?}"
        );
        assert_agrees(&index, &store).await;
        store.close().await;
    }
}
