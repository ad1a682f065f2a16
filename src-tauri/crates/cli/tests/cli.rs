//! The `dark8` binary end to end, each test with its own DARK8_HOME.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;
use dark8_store::{NewAuditEntry, NewConversation, Store};
use predicates::prelude::*;
use serde_json::{json, Value};

fn dark8(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        // No desktop keychain, whatever the machine: `auto` must pick the file vault.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/dark8-tests-no-bus",
        )
        // Nothing answers on port 9: keeps doctor fast and deterministic.
        .env("DARK8_LLM__OLLAMA_URL", "http://127.0.0.1:9");
    cmd
}

fn database(home: &Path) -> std::path::PathBuf {
    home.join("data").join("dark8.db")
}

async fn seed_audit(home: &Path, rows: usize) {
    let store = Store::open(&database(home)).await.unwrap();
    append_writes(store, rows).await;
}

/// Appends `rows` file-write rows and closes the store.
async fn append_writes(store: Store, rows: usize) {
    for n in 0..rows {
        store
            .audit()
            .append(&NewAuditEntry::new(
                "fs_write",
                json!({"path": format!("notatki/{n}.md")}),
                format!("zapisano plik {n}"),
                dark8_protocol::ToolStatus::Success,
            ))
            .await
            .unwrap();
    }
    store.close().await;
}

#[test]
fn version_is_printed() {
    let home = tempfile::tempdir().unwrap();
    dark8(home.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("dark8 {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn doctor_prints_one_line_per_check_in_polish() {
    let home = tempfile::tempdir().unwrap();
    let assert = dark8(home.path()).arg("doctor").assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for label in [
        "Katalog danych",
        "Baza danych",
        "Wolne miejsce",
        "Ollama",
        "Przeglądarka",
        "git",
        "Python 3",
        "Node.js",
        "cargo",
        "Sejf na sekrety",
    ] {
        assert!(stdout.contains(label), "missing {label} in\n{stdout}");
    }
    assert!(stdout.contains("BRAK  Ollama"), "{stdout}");
    assert!(
        stdout.contains("→ Opcjonalne: zainstaluj Ollama"),
        "{stdout}"
    );
    assert!(database(home.path()).exists());
}

#[test]
fn doctor_json_is_the_protocol_report() {
    let home = tempfile::tempdir().unwrap();
    let assert = dark8(home.path())
        .args(["doctor", "--json"])
        .assert()
        .success();
    let report: dark8_protocol::DoctorReport =
        serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(report.checks.len(), 12);
    assert_eq!(
        report.data_dir,
        home.path().join("data").display().to_string()
    );
    assert!(report.required_ok());
}

#[test]
fn doctor_exits_4_when_the_data_dir_is_unusable() {
    let home = tempfile::tempdir().unwrap();
    // `data` is a file, so the data directory cannot exist.
    std::fs::write(home.path().join("data"), b"").unwrap();
    dark8(home.path())
        .arg("doctor")
        .assert()
        .code(4)
        .stdout(predicate::str::contains("BRAK  Katalog danych"))
        .stdout(predicate::str::contains("DARK8_HOME"));
}

#[test]
fn english_is_available() {
    let home = tempfile::tempdir().unwrap();
    dark8(home.path())
        .env("DARK8_LANGUAGE", "en")
        .arg("doctor")
        .assert()
        .success()
        .stdout(predicate::str::contains("Data directory"))
        .stdout(predicate::str::contains("everything required works"));
}

#[test]
fn config_path_and_show_follow_dark8_home_and_overrides() {
    let home = tempfile::tempdir().unwrap();
    dark8(home.path())
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", home.path().join("config.toml").display()));
    std::fs::write(
        home.path().join("config.toml"),
        "[doctor]\nmin_free_disk_mib = 7\n",
    )
    .unwrap();
    let assert = dark8(home.path())
        .args(["config", "show", "--json"])
        .assert()
        .success();
    let config: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(config["doctor"]["min_free_disk_mib"], 7);
    assert_eq!(config["llm"]["ollama_url"], "http://127.0.0.1:9");
    dark8(home.path())
        .env("DARK8_LLM__OLAMA_URL", "http://literówka")
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("min_free_disk_mib = 7"))
        .stdout(predicate::str::contains(
            "# pominięto DARK8_LLM__OLAMA_URL: to nie jest klucz konfiguracji",
        ));
}

#[test]
fn config_set_writes_safe_keys_and_refuses_the_rest() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("config.toml");
    std::fs::write(&file, "# moje\n[llm]\nprovider = \"none\"\n").unwrap();
    dark8(home.path())
        .args(["config", "set", "llm.max_steps", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Zapisano llm.max_steps = 3"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("# moje") && text.contains("max_steps = 3"),
        "{text}"
    );
    // The sandbox and the policy's rules stay hand edits; nothing is written.
    dark8(home.path())
        .args(["config", "set", "policy.default_rules", "false"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("nie można zmienić")
                .and(predicate::str::contains("config.toml")),
        );
    dark8(home.path())
        .args(["config", "set", "policy.role", "admin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("owner, developer albo viewer"));
    dark8(home.path())
        .args(["config", "set", "llm.max_steps", "dużo"])
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // The role only tightens from here: developer is taken, owner again is refused.
    dark8(home.path())
        .args(["config", "set", "policy.role", "developer"])
        .assert()
        .success();
    dark8(home.path())
        .args(["config", "set", "policy.role", "owner"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("zaostrzyć").and(predicate::str::contains("config.toml")));
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("role = \"developer\""));
    // Without arguments: the list of what may change.
    dark8(home.path())
        .args(["config", "set"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("language").and(predicate::str::contains("llm.ollama_model")),
        );
}

#[test]
fn broken_config_gives_a_polish_error_with_a_hint_and_no_panic() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), "language = [\n").unwrap();
    dark8(home.path())
        .arg("doctor")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Błąd: Błędna konfiguracja"))
        .stderr(predicate::str::contains("Podpowiedź:"))
        .stderr(predicate::str::contains("panicked").not());
    let assert = dark8(home.path())
        .args(["history", "--json"])
        .assert()
        .code(1);
    let error: Value = serde_json::from_slice(&assert.get_output().stderr).unwrap();
    assert!(error["error"]["hint"].as_str().unwrap().contains("config"));
}

#[test]
fn bad_usage_exits_2_with_a_polish_hint() {
    let home = tempfile::tempdir().unwrap();
    dark8(home.path())
        .arg("zrób-coś")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Podpowiedź: `dark8 --help`"));
}

#[tokio::test]
async fn history_lists_conversations() {
    let home = tempfile::tempdir().unwrap();
    dark8(home.path())
        .arg("history")
        .assert()
        .success()
        .stdout(predicate::str::contains("Historia jest pusta"));
    let store = Store::open(&database(home.path())).await.unwrap();
    store
        .conversations()
        .record(&NewConversation {
            user_input: "Ile mam wolnego miejsca na dysku?".to_owned(),
            ai_response: "Na dysku / jest 75,6 GiB wolnego miejsca.".to_owned(),
            intent: Some("SYSTEM_STATUS".to_owned()),
            context: json!({"entities": {"resource": "disk"}}),
        })
        .await
        .unwrap();
    store.close().await;
    dark8(home.path())
        .arg("history")
        .assert()
        .success()
        .stdout(predicate::str::contains("SYSTEM_STATUS"))
        .stdout(predicate::str::contains(
            "Ile mam wolnego miejsca na dysku?",
        ));
    let assert = dark8(home.path())
        .args(["history", "--json"])
        .assert()
        .success();
    let turns: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(turns[0]["intent"], "SYSTEM_STATUS");
}

#[tokio::test]
async fn audit_list_shows_entries() {
    let home = tempfile::tempdir().unwrap();
    seed_audit(home.path(), 5).await;
    dark8(home.path())
        .args(["audit", "list", "-n", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#4"))
        .stdout(predicate::str::contains("#5"))
        .stdout(predicate::str::contains("zapisano plik 4"))
        // The first start keys the log: its checkpoint seals the five unkeyed rows.
        .stdout(predicate::str::contains("#6"))
        .stdout(predicate::str::contains("audit_checkpoint"))
        .stdout(predicate::str::contains("#3 ").not());
    let assert = dark8(home.path())
        .args(["audit", "list", "--json"])
        .assert()
        .success();
    let entries: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 6);
    assert_eq!(entries[0]["status"], "success");
}

#[tokio::test]
async fn editing_a_row_with_the_sqlite3_cli_makes_verify_fail_and_name_it() {
    let home = tempfile::tempdir().unwrap();
    seed_audit(home.path(), 10).await;
    dark8(home.path())
        .args(["audit", "verify"])
        .assert()
        .success()
        // The ten unkeyed rows and the keyed checkpoint that seals them.
        .stdout(predicate::str::contains(
            "nienaruszony: sprawdzono 11 wpisów, w tym z podpisem kluczem (HMAC-SHA256): 1,",
        ));

    let status = StdCommand::new("sqlite3")
        .arg(database(home.path()))
        .arg(
            "DROP TRIGGER audit_log_no_update; \
             UPDATE audit_log SET parameters = '{\"path\":\"inny.md\"}' WHERE id = 6;",
        )
        .status()
        .expect("the sqlite3 CLI is needed by this test (apt install sqlite3)");
    assert!(status.success());

    dark8(home.path())
        .args(["audit", "verify"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("wpis #6 został zmieniony"));
    let assert = dark8(home.path())
        .args(["audit", "verify", "--json"])
        .assert()
        .code(3);
    let verdict: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(verdict["intact"], false);
    assert_eq!(verdict["problem"], json!({"kind": "changed", "id": 6}));
}

#[test]
fn logs_go_to_a_daily_json_file_in_the_data_dir() {
    let home = tempfile::tempdir().unwrap();
    dark8(home.path()).arg("history").assert().success();
    let logs = home.path().join("data").join("logs");
    let file = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("dark8.log.")
        })
        .expect("a daily log file");
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(
        lines.iter().any(|line| line["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("core started"))),
        "{text}"
    );
}

#[test]
fn policy_check_answers_with_exit_codes_in_polish() {
    let home = tempfile::tempdir().unwrap();
    dark8(home.path())
        .args(["policy", "check", "git status"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("WOLNO"));
    dark8(home.path())
        .args(["policy", "check", "sudo apt update"])
        .assert()
        .code(5)
        .stdout(predicate::str::contains("ZAPYTA"));
    dark8(home.path())
        .args(["policy", "check", "echo hej; rm -rf /"])
        .assert()
        .code(6)
        .stdout(predicate::str::contains("ZABRONIONE"))
        .stdout(predicate::str::contains("usunięcie całego systemu plików"));
    std::fs::write(
        home.path().join("config.toml"),
        "[policy]\nrole = \"viewer\"\n",
    )
    .unwrap();
    dark8(home.path())
        .args(["policy", "check", "echo hej"])
        .assert()
        .code(6)
        .stdout(predicate::str::contains("viewer"));
    let assert = dark8(home.path())
        .args(["policy", "show", "--json"])
        .assert()
        .success();
    let shown: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(shown["role"], "viewer");
    assert_eq!(shown["risks"]["execute"], "forbid");
}

#[test]
fn a_policy_rule_whose_example_disagrees_stops_start_up_with_a_hint() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[[policy.commands]]\nprefix = \"deploy\"\naction = \"allow\"\nexamples = [\"deploy && rm -rf ~\"]\n",
    )
    .unwrap();
    dark8(home.path())
        .args(["policy", "show"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("policy rule `deploy`"))
        .stderr(predicate::str::contains("Podpowiedź:"));
}

/// Seeds `rows` rows the way DARK8 writes them: keyed with the key in `<home>/keys`.
async fn seed_keyed_audit(home: &Path, rows: usize) {
    let key = dark8_core::tools::vault::machine_key(
        "audit",
        dark8_core::tools::vault::SecretHome::File,
        &home.join("keys"),
    )
    .unwrap();
    let store = Store::open(&database(home)).await.unwrap();
    store
        .use_audit_key(dark8_store::AuditKey::new(*key))
        .await
        .unwrap();
    append_writes(store, rows).await;
}

/// A row as the forger reads it with the sqlite3 CLI.
struct ForgedRow {
    id: i64,
    fields: Vec<String>,
}

/// The unkeyed link of the published scheme (v1): SHA-256 over length-prefixed fields.
fn unkeyed_link(prev: &str, fields: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let parts: Vec<&[u8]> = [b"dark8-audit-v1".as_slice(), prev.as_bytes()]
        .into_iter()
        .chain(fields.iter().map(|f| f.as_bytes()))
        .collect();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

fn sqlite(home: &Path, sql: &str) -> String {
    let out = StdCommand::new("sqlite3")
        .arg(database(home))
        .arg(sql)
        .output()
        .expect("the sqlite3 CLI is needed by this test (apt install sqlite3)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Drops the triggers, rewrites row `target`'s parameters and recomputes every later link and
/// the head with the unkeyed scheme (the forger has the database, not the key); `keep_prefix`
/// dresses the new links up as keyed ones.
fn forge_from(home: &Path, target: i64, keep_prefix: bool) {
    let rows = sqlite(
        home,
        "SELECT id, timestamp, action, parameters, result, status FROM audit_log ORDER BY id",
    );
    let rows: Vec<ForgedRow> = rows
        .lines()
        .map(|line| {
            let mut parts: Vec<String> = line.split('|').map(str::to_owned).collect();
            let id = parts.remove(0).parse().unwrap();
            ForgedRow { id, fields: parts }
        })
        .collect();
    let mut prev = sqlite(
        home,
        &format!("SELECT hash FROM audit_log WHERE id = {}", target - 1),
    )
    .trim()
    .to_owned();
    let mut sql =
        String::from("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ");
    for mut row in rows.into_iter().filter(|r| r.id >= target) {
        if row.id == target {
            row.fields[2] = r#"{"path":"inny.md"}"#.to_owned();
        }
        let link = unkeyed_link(&prev, &row.fields);
        let hash = if keep_prefix {
            format!("k1:{link}")
        } else {
            link
        };
        sql.push_str(&format!(
            "UPDATE audit_log SET parameters = '{}', prev_hash = '{prev}', hash = '{hash}' WHERE id = {};",
            row.fields[2], row.id
        ));
        sql.push_str(&format!(
            "UPDATE audit_head SET last_id = {}, last_hash = '{hash}';",
            row.id
        ));
        prev = hash;
    }
    sqlite(home, &sql);
}

#[tokio::test]
async fn a_forger_without_the_key_who_recomputes_every_link_and_the_head_is_named() {
    for keep_prefix in [false, true] {
        let home = tempfile::tempdir().unwrap();
        seed_keyed_audit(home.path(), 10).await;
        dark8(home.path())
            .args(["audit", "verify"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "sprawdzono 11 wpisów, w tym z podpisem kluczem (HMAC-SHA256): 11, każdy podpis sprawdzony kluczem",
            ));
        forge_from(home.path(), 6, keep_prefix);
        let assert = dark8(home.path())
            .args(["audit", "verify", "--json"])
            .assert()
            .code(3);
        let verdict: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
        let expected = if keep_prefix { "changed" } else { "unkeyed" };
        assert_eq!(
            verdict["problem"],
            json!({"kind": expected, "id": 6}),
            "{verdict}"
        );
        assert_eq!(verdict["key_checked"], true);
        dark8(home.path())
            .args(["audit", "verify"])
            .assert()
            .code(3)
            .stdout(predicate::str::contains("#6"));
    }
}

#[tokio::test]
async fn a_cut_and_rewritten_log_shows_against_the_head_the_user_kept() {
    let home = tempfile::tempdir().unwrap();
    seed_keyed_audit(home.path(), 10).await;
    let assert = dark8(home.path())
        .args(["audit", "head"])
        .assert()
        .success();
    let printed = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let head = printed.lines().next().unwrap().to_owned();
    assert!(head.starts_with("11:k1:"), "{printed}");
    assert!(printed.contains("dark8 audit verify --head"), "{printed}");
    dark8(home.path())
        .args(["audit", "verify", "--head", &head])
        .assert()
        .success();
    // Cut the last three rows and set the head table back: the chain left is whole.
    sqlite(
        home.path(),
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > 8; \
         UPDATE audit_head SET last_id = 8, last_hash = (SELECT hash FROM audit_log WHERE id = 8);",
    );
    dark8(home.path())
        .args(["audit", "verify"])
        .assert()
        .success();
    dark8(home.path())
        .args(["audit", "verify", "--head", &head])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("zapamiętanej głowy (wpis #11)"));
    dark8(home.path())
        .args(["audit", "verify", "--head", "nie-głowa"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nie jest głową dziennika"));
}
