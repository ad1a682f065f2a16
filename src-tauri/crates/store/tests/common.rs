//! Helpers shared by the store's integration tests.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic
#![allow(dead_code)]

use dark8_protocol::ToolStatus;
use dark8_store::NewAuditEntry;
use serde_json::json;

/// A realistic audit entry number `n` of writer `writer`.
pub fn entry(writer: usize, n: usize) -> NewAuditEntry {
    NewAuditEntry::new(
        "fs_write",
        json!({"path": format!("/tmp/w{writer}/plik-{n}.txt"), "mode": "create", "bytes": n}),
        format!("zapisano {n} bajtów"),
        if n % 10 == 0 {
            ToolStatus::Error
        } else {
            ToolStatus::Success
        },
    )
}

/// Runs raw SQL on the database file through its own connection, bypassing the store.
pub async fn raw_sql(path: &std::path::Path, statements: &[&str]) {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    for statement in statements {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
}
