//! Database tools through the executor: a real SQLite file (made by the sqlite3 program), and a
//! real PostgreSQL and Redis where the environment names them (CI starts both:
//! DARK8_TEST_POSTGRES_URL, DARK8_TEST_REDIS_URL).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::process::Command;

use dark8_protocol::ToolStatus;
use serde_json::json;

fn sqlite3(path: &std::path::Path, sql: &str) {
    let out = Command::new("sqlite3").arg(path).arg(sql).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn sqlite_reads_freely_and_writes_only_when_asked() {
    let f = common::tools().await;
    sqlite3(
        &f.workspace.path().join("sklep.db"),
        "CREATE TABLE produkty (id INTEGER PRIMARY KEY, nazwa TEXT NOT NULL, cena REAL, zdjecie BLOB);\
         INSERT INTO produkty (nazwa, cena, zdjecie) VALUES ('chleb', 4.5, x'00ff'), ('masło', 7.99, NULL);",
    );
    let rows = f
        .call("db_query", json!({"url": "sklep.db", "query": "SELECT id, nazwa, cena, zdjecie FROM produkty ORDER BY id"}))
        .await;
    assert_eq!(rows.status, ToolStatus::Success, "{}", rows.summary);
    assert_eq!(
        rows.output["columns"],
        json!(["id", "nazwa", "cena", "zdjecie"])
    );
    assert_eq!(
        rows.output["rows"][0],
        json!([1, "chleb", 4.5, "<2 bajtów>"])
    );
    assert_eq!(rows.output["rows"][1], json!([2, "masło", 7.99, null]));
    assert!(rows.summary.contains("2 wiersze"));
    // Writing without write: true fails and changes nothing.
    let sneaky = f
        .call(
            "db_query",
            json!({"url": "sklep.db", "query": "DELETE FROM produkty"}),
        )
        .await;
    assert_eq!(sneaky.status, ToolStatus::Error);
    assert!(
        sneaky.summary.contains("Błąd bazy danych"),
        "{}",
        sneaky.summary
    );
    let count = f
        .call(
            "db_query",
            json!({"url": "sklep.db", "query": "SELECT count(*) AS n FROM produkty"}),
        )
        .await;
    assert_eq!(count.output["rows"][0][0], 2);
    let insert = f
        .call("db_query", json!({"url": "sqlite:sklep.db", "query": "INSERT INTO produkty (nazwa, cena) VALUES ('mleko', 3.2)", "write": true}))
        .await;
    assert_eq!(insert.status, ToolStatus::Success, "{}", insert.summary);
    assert_eq!(insert.output["rows_affected"], 1);
    let tables = f.call("db_tables", json!({"url": "sklep.db"})).await;
    assert_eq!(tables.output["tables"][0]["name"], "produkty");
    assert_eq!(
        tables.output["tables"][0]["columns"][1],
        json!({"name": "nazwa", "type": "TEXT"})
    );
    let bad = f
        .call("db_query", json!({"url": "sklep.db", "query": "SELEKT 1"}))
        .await;
    assert_eq!(bad.status, ToolStatus::Error);
    assert!(bad.summary.contains("syntax"), "{}", bad.summary);
    let missing = f
        .call("db_query", json!({"url": "brak.db", "query": "SELECT 1"}))
        .await;
    assert!(
        missing.summary.contains("Nie ma bazy SQLite"),
        "{}",
        missing.summary
    );
    let outside = f
        .call(
            "db_query",
            json!({"url": "/etc/dark8-nie-ma.db", "query": "SELECT 1"}),
        )
        .await;
    assert_eq!(outside.status, ToolStatus::Denied);
    let nothing = f.call("db_query", json!({"query": "SELECT 1"})).await;
    assert!(nothing.summary.contains("Nie podano bazy"));
    let many = f
        .call("db_query", json!({"url": "sklep.db", "query": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50) SELECT x FROM n", "max_rows": 10}))
        .await;
    assert_eq!(many.output["rows"].as_array().unwrap().len(), 10);
    assert_eq!(many.output["truncated"], true);
}

#[tokio::test]
async fn postgres_read_only_by_default_and_password_never_audited() {
    let Ok(url) = std::env::var("DARK8_TEST_POSTGRES_URL") else {
        eprintln!("DARK8_TEST_POSTGRES_URL not set: PostgreSQL part skipped (CI sets it)");
        return;
    };
    let f = common::tools().await;
    let table = format!("zadania_{}", std::process::id());
    let created = f
        .call("db_query", json!({"url": url, "write": true, "query": format!("CREATE TABLE {table} (id serial PRIMARY KEY, tytul text NOT NULL, zrobione boolean DEFAULT false)")}))
        .await;
    assert_eq!(created.status, ToolStatus::Success, "{}", created.summary);
    f.call("db_query", json!({"url": url, "write": true, "query": format!("INSERT INTO {table} (tytul) VALUES ('kupić mleko'), ('napisać testy')")}))
        .await;
    let rows = f
        .call("db_query", json!({"url": url, "query": format!("SELECT id, tytul, zrobione FROM {table} ORDER BY id")}))
        .await;
    assert_eq!(rows.status, ToolStatus::Success, "{}", rows.summary);
    assert_eq!(rows.output["rows"][0][1], "kupić mleko");
    assert_eq!(rows.output["rows"][0][2], false);
    let blocked = f
        .call(
            "db_query",
            json!({"url": url, "query": format!("DELETE FROM {table}")}),
        )
        .await;
    assert_eq!(blocked.status, ToolStatus::Error);
    assert!(
        blocked.summary.contains("read-only") || blocked.summary.contains("tylko do odczytu"),
        "{}",
        blocked.summary
    );
    let tables = f.call("db_tables", json!({"url": url})).await;
    assert!(tables.summary.contains(&table), "{}", tables.summary);
    f.call(
        "db_query",
        json!({"url": url, "write": true, "query": format!("DROP TABLE {table}")}),
    )
    .await;
    // The URL's password never reaches the audit log.
    let password = url::Url::parse(&url)
        .unwrap()
        .password()
        .unwrap_or_default()
        .to_owned();
    if password.len() >= 4 {
        let audit = serde_json::to_string(&f.store.audit().recent(100).await.unwrap()).unwrap();
        assert!(
            !audit.contains(&format!(":{password}@")),
            "password in the audit log"
        );
    }
}

#[tokio::test]
async fn redis_get_set_and_keys() {
    let f = common::tools().await;
    let dead = f
        .call(
            "db_redis",
            json!({"op": "get", "key": "x", "url": "redis://127.0.0.1:9"}),
        )
        .await;
    assert_eq!(dead.status, ToolStatus::Error);
    assert!(dead.summary.contains("Błąd Redis"), "{}", dead.summary);
    let Ok(url) = std::env::var("DARK8_TEST_REDIS_URL") else {
        eprintln!("DARK8_TEST_REDIS_URL not set: Redis part skipped (CI sets it)");
        return;
    };
    let prefix = format!("dark8test:{}", std::process::id());
    for (key, value) in [("a", "jeden"), ("b", "dwa")] {
        let set = f
            .call(
                "db_redis",
                json!({"op": "set", "key": format!("{prefix}:{key}"), "value": value, "url": url}),
            )
            .await;
        assert_eq!(set.status, ToolStatus::Success, "{}", set.summary);
    }
    let got = f
        .call(
            "db_redis",
            json!({"op": "get", "key": format!("{prefix}:a"), "url": url}),
        )
        .await;
    assert_eq!(got.output["value"], "jeden");
    let none = f
        .call(
            "db_redis",
            json!({"op": "get", "key": format!("{prefix}:zzz"), "url": url}),
        )
        .await;
    assert!(none.summary.contains("nie istnieje"));
    let keys = f
        .call(
            "db_redis",
            json!({"op": "keys", "pattern": format!("{prefix}:*"), "url": url}),
        )
        .await;
    assert_eq!(
        keys.output["keys"],
        json!([format!("{prefix}:a"), format!("{prefix}:b")])
    );
    let missing = f
        .call("db_redis", json!({"op": "set", "key": "x", "url": url}))
        .await;
    assert!(missing.summary.contains("Brak argumentu value"));
}
