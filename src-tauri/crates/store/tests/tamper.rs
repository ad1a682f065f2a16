//! Tampering with the audit log outside DARK8 is noticed and the first bad row is named.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic

mod common;

use dark8_store::{AuditProblem, Store};

async fn store_with_rows(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark8.db");
    let store = Store::open(&path).await.unwrap();
    for k in 0..n {
        store.audit().append(&common::entry(0, k)).await.unwrap();
    }
    store.close().await;
    (dir, path)
}

async fn verify(path: &std::path::Path) -> Option<AuditProblem> {
    let store = Store::open(path).await.unwrap();
    let verification = store.audit().verify().await.unwrap();
    store.close().await;
    verification.problem
}

const UNLOCK: [&str; 2] = [
    "DROP TRIGGER audit_log_no_update",
    "DROP TRIGGER audit_log_no_delete",
];

#[tokio::test]
async fn untouched_log_verifies() {
    let (_dir, path) = store_with_rows(10).await;
    assert_eq!(verify(&path).await, None);
}

#[tokio::test]
async fn changed_row_is_named() {
    let (_dir, path) = store_with_rows(10).await;
    common::raw_sql(
        &path,
        &[
            UNLOCK[0],
            "UPDATE audit_log SET result = 'nic się nie stało' WHERE id = 4",
        ],
    )
    .await;
    assert_eq!(verify(&path).await, Some(AuditProblem::Changed { id: 4 }));
}

#[tokio::test]
async fn changed_row_with_recomputed_looking_hash_is_named() {
    let (_dir, path) = store_with_rows(10).await;
    // Replace row 6's hash with some other value: its own hash no longer matches.
    common::raw_sql(
        &path,
        &[
            UNLOCK[0],
            "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE id = 2) WHERE id = 6",
        ],
    )
    .await;
    assert_eq!(verify(&path).await, Some(AuditProblem::Changed { id: 6 }));
}

#[tokio::test]
async fn removed_row_is_named() {
    let (_dir, path) = store_with_rows(10).await;
    common::raw_sql(&path, &[UNLOCK[1], "DELETE FROM audit_log WHERE id = 7"]).await;
    assert_eq!(verify(&path).await, Some(AuditProblem::Removed { id: 7 }));
}

#[tokio::test]
async fn removed_tail_is_named() {
    let (_dir, path) = store_with_rows(10).await;
    common::raw_sql(&path, &[UNLOCK[1], "DELETE FROM audit_log WHERE id >= 9"]).await;
    assert_eq!(verify(&path).await, Some(AuditProblem::Removed { id: 9 }));
}

#[tokio::test]
async fn removed_and_renumbered_rows_are_named() {
    let (_dir, path) = store_with_rows(10).await;
    common::raw_sql(
        &path,
        &[
            UNLOCK[0],
            UNLOCK[1],
            "DELETE FROM audit_log WHERE id = 5",
            "UPDATE audit_log SET id = id - 1 WHERE id > 5",
        ],
    )
    .await;
    // Row 5 now holds the old row 6, whose predecessor (old 5) is gone.
    assert_eq!(
        verify(&path).await,
        Some(AuditProblem::LinkBroken { id: 5 })
    );
}

#[tokio::test]
async fn reordered_rows_are_named() {
    let (_dir, path) = store_with_rows(10).await;
    common::raw_sql(
        &path,
        &[
            UNLOCK[0],
            "UPDATE audit_log SET id = -3 WHERE id = 3",
            "UPDATE audit_log SET id = 3 WHERE id = 4",
            "UPDATE audit_log SET id = 4 WHERE id = -3",
        ],
    )
    .await;
    assert_eq!(verify(&path).await, Some(AuditProblem::Reordered { id: 3 }));
}
