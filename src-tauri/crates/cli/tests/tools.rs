//! `dark8 tools` and `dark8 secret` end to end: real processes, a real database file, a real
//! vault file, each test with its own DARK8_HOME and workspace.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const PASSPHRASE: &str = "testowe hasło sejfu";

fn dark8(home: &Path, workdir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        .env("DARK8_VAULT_PASSPHRASE", PASSPHRASE)
        // No desktop keychain, whatever the machine: `auto` must pick the file vault.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/dark8-tests-no-bus",
        )
        .current_dir(workdir);
    cmd
}

/// The audit rows, without the keyed checkpoint the first start writes.
fn audit(home: &Path, workdir: &Path) -> Vec<Value> {
    let out = dark8(home, workdir)
        .args(["audit", "list", "--json"])
        .assert()
        .success();
    let rows: Vec<Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    rows.into_iter()
        .filter(|row| row["action"] != "audit_checkpoint")
        .collect()
}

/// The audit rows of tool calls, without the rows of approval decisions.
fn call_rows(rows: &[Value]) -> Vec<Value> {
    rows.iter()
        .filter(|row| row["action"] != "approval")
        .cloned()
        .collect()
}

#[test]
fn shell_run_echo_prints_hej_and_leaves_one_success_row() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "shell_run",
            "--args",
            r#"{"command":"echo hej"}"#,
            "--yes",
        ])
        .assert()
        .success()
        .stdout("hej\n")
        .stderr(predicate::str::contains("Polecenie zakończone powodzeniem"));
    let all = audit(home.path(), ws.path());
    // `--yes` is the user's approval, given at launch: it is audited like any other decision.
    let approvals: Vec<&Value> = all.iter().filter(|r| r["action"] == "approval").collect();
    assert_eq!(approvals.len(), 1, "{all:?}");
    assert_eq!(approvals[0]["parameters"]["approved"], true);
    assert_eq!(approvals[0]["parameters"]["tool"], "shell_run");
    let rows = call_rows(&all);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["action"], "shell_run");
    assert_eq!(rows[0]["status"], "success");
    assert_eq!(rows[0]["parameters"]["arguments"]["command"], "echo hej");
    dark8(home.path(), ws.path())
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn json_output_carries_the_result_and_workdir_moves_the_workspace() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = dark8(home.path(), elsewhere.path())
        .args(["tools", "call", "shell_run", "--json", "--yes", "--workdir"])
        .arg(ws.path())
        .args(["--args", r#"{"command":"pwd; echo plik > wynik.txt"}"#])
        .assert()
        .success();
    let result: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(result["status"], "success");
    assert_eq!(
        result["output"]["stdout"].as_str().unwrap().trim(),
        ws.path().canonicalize().unwrap().display().to_string()
    );
    assert_eq!(result["output"]["exit_code"], 0);
    assert!(ws.path().join("wynik.txt").exists());
    assert!(!elsewhere.path().join("wynik.txt").exists());
}

#[test]
fn a_viewers_shell_run_is_denied_audited_and_explained_in_polish() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    dark8(home.path(), ws.path())
        .env("DARK8_POLICY__ROLE", "viewer")
        .args([
            "tools",
            "call",
            "shell_run",
            "--args",
            r#"{"command":"echo hej > x.txt"}"#,
            "--yes",
        ])
        .assert()
        .code(6)
        .stdout("")
        .stderr(predicate::str::contains(
            "Odmowa: rola „viewer” nie może wykonywać działań o ryzyku „uruchamianie”",
        ));
    assert!(!ws.path().join("x.txt").exists());
    let rows = audit(home.path(), ws.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], "denied");
    assert!(rows[0]["result"].as_str().unwrap().contains("viewer"));
}

#[test]
fn forbidden_and_unapproved_commands_never_run() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    for (command, reason) in [
        ("echo $(rm -rf ~)", "usunięcie katalogu domowego"),
        ("echo ok; rm -rf /", "usunięcie całego systemu plików"),
        (":(){ :|:& };:", "fork bomb"),
        ("sudo touch x.txt", "--yes jej nie zastępuje"),
    ] {
        let args = serde_json::json!({ "command": command }).to_string();
        dark8(home.path(), ws.path())
            .args(["tools", "call", "shell_run", "--yes", "--args", &args])
            .assert()
            .code(6)
            .stderr(predicate::str::contains(reason));
    }
    assert!(!ws.path().join("x.txt").exists());
    // Out of the workspace by its working directory.
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "shell_run",
            "--yes",
            "--args",
            r#"{"command":"ls","cwd":"../.."}"#,
        ])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("poza obszar roboczy"));
    let all = audit(home.path(), ws.path());
    let rows = call_rows(&all);
    assert_eq!(rows.len(), 5, "{all:?}");
    assert!(all.iter().all(|r| r["status"] == "denied"), "{all:?}");
}

#[test]
fn a_failing_command_is_an_error_with_its_output() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let stdout = shell_run_json(
        dark8(home.path(), ws.path()),
        r#"{"command":"echo częściowo; echo zepsute >&2; exit 4"}"#,
        1,
    );
    let result: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result["status"], "error");
    assert!(result["summary"]
        .as_str()
        .unwrap()
        .contains("kodem 4: zepsute"));
    assert_eq!(result["output"]["stdout"], "częściowo\n");
}

#[test]
fn bad_input_gets_a_polish_message_and_runs_nothing() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    dark8(home.path(), ws.path())
        .args(["tools", "call", "shell_run", "--args", "{nie json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nie są poprawnym JSON-em"));
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "shell_run",
            "--yes",
            "--args",
            r#"{"cmd":"ls"}"#,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Złe argumenty dla shell_run"));
    dark8(home.path(), ws.path())
        .args(["tools", "call", "nie_ma", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Nieznane narzędzie"));
    dark8(home.path(), ws.path())
        .args(["tools", "call", "shell_run", "--workdir", "/nie/ma/takiego"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nie istnieje"));
}

#[test]
fn tools_are_listed_and_described_with_their_schema() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let out = dark8(home.path(), ws.path())
        .args(["tools", "list", "--json"])
        .assert()
        .success();
    let tools: Vec<Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let shell = tools.iter().find(|t| t["name"] == "shell_run").unwrap();
    assert_eq!(shell["risk"], "execute");
    assert_eq!(shell["schema"]["required"], serde_json::json!(["command"]));
    assert_eq!(shell["schema"]["additionalProperties"], false);
    dark8(home.path(), ws.path())
        .args(["tools", "describe", "shell_run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("shell_run (uruchamianie)"))
        .stdout(predicate::str::contains("\"timeout_s\""));
    dark8(home.path(), ws.path())
        .args(["tools", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("shell_run"));
}

/// `dark8 tools ARGS... --json`, parsed.
fn tools_json(home: &std::path::Path, ws: &std::path::Path, args: &[&str]) -> Value {
    let out = dark8(home, ws)
        .arg("tools")
        .args(args)
        .arg("--json")
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn every_tool_describes_its_input_and_output_schema() {
    let (home, ws) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let tools = tools_json(home.path(), ws.path(), &["list"]);
    let tools = tools.as_array().unwrap();
    assert!(tools.len() >= 30, "{} tools", tools.len());
    for tool in tools {
        let name = tool["name"].as_str().unwrap();
        let described = tools_json(home.path(), ws.path(), &["describe", name]);
        assert_eq!(described["name"], name);
        assert_eq!(
            described["schema"]["type"], "object",
            "{name}: input schema"
        );
        let output = &described["output_schema"];
        assert!(
            output["properties"].is_object() || output["anyOf"].is_array(),
            "{name}: output schema {output}"
        );
        assert!(output["$schema"].is_string(), "{name}: {output}");
    }
    dark8(home.path(), ws.path())
        .args(["tools", "describe", "fs_read"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Wynik (JSON Schema):"))
        .stdout(predicate::str::contains("\"content\""));
}

/// `dark8 tools call shell_run --yes --json --args ARGS` on `cmd`, asserted to exit with
/// `code`; its stdout.
fn shell_run_json(mut cmd: Command, args: &str, code: i32) -> String {
    let out = cmd
        .args([
            "tools",
            "call",
            "shell_run",
            "--yes",
            "--json",
            "--args",
            args,
        ])
        .assert()
        .code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// `dark8 secret set CANARY` with `canary` on stdin, asserted to succeed.
fn set_canary(home: &Path, ws: &Path, canary: &str) -> assert_cmd::assert::Assert {
    dark8(home, ws)
        .args(["secret", "set", "CANARY"])
        .write_stdin(format!("{canary}\n"))
        .assert()
        .success()
}

/// Asserts `canary` is in neither the audit log nor the log files.
fn assert_not_recorded(home: &Path, ws: &Path, canary: &str) {
    let out = dark8(home, ws)
        .args(["audit", "list", "--json", "-n", "100"])
        .assert()
        .success();
    assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains(canary));
    for entry in std::fs::read_dir(home.join("data/logs")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains(canary));
    }
}

#[test]
fn secrets_round_trip_through_stdin_and_never_leak() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let canary = "kanarek-cli-31337";
    set_canary(home.path(), ws.path(), canary)
        .stdout(predicate::str::contains("Zapisano sekret „CANARY”"));
    dark8(home.path(), ws.path())
        .args(["secret", "get", "CANARY"])
        .assert()
        .success()
        .stdout(format!("{canary}\n"));
    dark8(home.path(), ws.path())
        .args(["secret", "list"])
        .assert()
        .success()
        .stdout("CANARY\n");
    // The vault file holds neither the name nor the value in the clear.
    let vault = std::fs::read_to_string(home.path().join("data/vault.json")).unwrap();
    assert!(!vault.contains(canary) && !vault.contains("CANARY"));
    // A command that prints the canary: redacted in the result, the audit log and the logs;
    // the child never sees it in its environment either.
    let args = serde_json::json!({ "command": format!("echo {canary}; env") }).to_string();
    let mut cmd = dark8(home.path(), ws.path());
    cmd.env("LC_PLANTED", canary);
    let stdout = shell_run_json(cmd, &args, 0);
    assert!(!stdout.contains(canary), "{stdout}");
    assert!(stdout.contains("[UKRYTE]"));
    assert!(!stdout.contains("LC_PLANTED"));
    assert_not_recorded(home.path(), ws.path(), canary);
    // Without the passphrase the vault stays shut, with a Polish hint.
    dark8(home.path(), ws.path())
        .env("DARK8_VAULT_PASSPHRASE", "zupełnie inne hasło")
        .args(["secret", "get", "CANARY"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("złe hasło sejfu"))
        .stderr(predicate::str::contains("DARK8_VAULT_PASSPHRASE"));
    dark8(home.path(), ws.path())
        .args(["secret", "rm", "CANARY"])
        .assert()
        .success();
    dark8(home.path(), ws.path())
        .args(["secret", "get", "CANARY"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nie ma sekretu „CANARY”"));
    // The value can never come from the command line.
    dark8(home.path(), ws.path())
        .args(["secret", "set", "X", "wartosc"])
        .assert()
        .code(2);
    let rows = audit(home.path(), ws.path());
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"secret_set") && actions.contains(&"secret_rm"));
    dark8(home.path(), ws.path())
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn file_tools_render_in_polish_and_undo_restores() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("notatka.md"), "stara treść\n").unwrap();
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "fs_write",
            "--args",
            r#"{"path":"notatka.md","content":"nowa treść\n"}"#,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("Nadpisano notatka.md"));
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "fs_read",
            "--args",
            r#"{"path":"notatka.md"}"#,
        ])
        .assert()
        .success()
        .stdout("nowa treść\n");
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "fs_search",
            "--args",
            r#"{"query":"treść"}"#,
        ])
        .assert()
        .success()
        .stdout("notatka.md:1: nowa treść\n");
    dark8(home.path(), ws.path())
        .arg("undo")
        .assert()
        .success()
        .stdout(predicate::str::contains("Cofnięto fs_write"))
        .stdout(predicate::str::contains("przywrócono poprzednią wersję"));
    assert_eq!(
        std::fs::read_to_string(ws.path().join("notatka.md")).unwrap(),
        "stara treść\n"
    );
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "fs_delete",
            "--args",
            r#"{"path":"notatka.md"}"#,
        ])
        .assert()
        .success();
    assert!(!ws.path().join("notatka.md").exists());
    dark8(home.path(), ws.path()).arg("undo").assert().success();
    assert_eq!(
        std::fs::read_to_string(ws.path().join("notatka.md")).unwrap(),
        "stara treść\n"
    );
    dark8(home.path(), ws.path())
        .arg("undo")
        .assert()
        .success()
        .stdout(predicate::str::contains("Nie ma czego cofać"));
    let listing = dark8(home.path(), ws.path())
        .args(["tools", "call", "fs_list"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&listing.get_output().stdout).contains("plik"));
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "fs_read",
            "--args",
            r#"{"path":"brak.md"}"#,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nie istnieje"));
    dark8(home.path(), ws.path())
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn system_git_and_database_tools_answer_in_polish() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "system_status",
            "--args",
            r#"{"resource":"memory"}"#,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("Pamięć: zajęte"));
    let db = ws.path().join("dane.db");
    let made = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("CREATE TABLE t (id INTEGER, nazwa TEXT); INSERT INTO t VALUES (1, 'jabłko'), (2, NULL);")
        .status()
        .unwrap();
    assert!(made.success());
    dark8(home.path(), ws.path())
        .args([
            "tools",
            "call",
            "db_query",
            "--args",
            r#"{"url":"dane.db","query":"SELECT id, nazwa FROM t"}"#,
        ])
        .assert()
        .success()
        .stdout("id | nazwa \n---+-------\n1  | jabłko\n2  | NULL  \n")
        .stderr(predicate::str::contains("2 wiersze, 2 kolumny"));
    let init = std::process::Command::new("git")
        .args(["init", "--quiet", "--initial-branch=main"])
        .current_dir(ws.path())
        .status()
        .unwrap();
    assert!(init.success());
    dark8(home.path(), ws.path())
        .args(["tools", "call", "git_status"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Gałąź main"))
        .stderr(predicate::str::contains("nowe 1"));
}

#[test]
fn a_locked_vault_still_hides_its_secrets_by_their_fingerprints() {
    use sha2::Digest;
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let canary = "kanarek-zamkniety-8675309";
    set_canary(home.path(), ws.path(), canary);
    // The program reads the value from a file: it is in no argument DARK8 saw.
    std::fs::write(ws.path().join("dane.txt"), format!("klucz={canary};\n")).unwrap();
    let args = serde_json::json!({ "command": "cat dane.txt" }).to_string();
    for locked in [true, false] {
        let mut cmd = dark8(home.path(), ws.path());
        if locked {
            // The everyday case: nobody typed the passphrase for this process.
            cmd.env_remove("DARK8_VAULT_PASSPHRASE");
        }
        let stdout = shell_run_json(cmd, &args, 0);
        assert!(!stdout.contains(canary), "locked={locked}: {stdout}");
        assert!(
            stdout.contains("klucz=[UKRYTE];"),
            "locked={locked}: {stdout}"
        );
    }
    assert_not_recorded(home.path(), ws.path(), canary);
    // The fingerprint file: no plaintext, no plain digest of the value, in any usual encoding.
    let book = std::fs::read_to_string(home.path().join("data/vault-fingerprints.json")).unwrap();
    assert!(book.contains("CANARY"), "{book}");
    let sha256 = hex::encode(sha2::Sha256::digest(canary.as_bytes()));
    let sha256_line = hex::encode(sha2::Sha256::digest(format!("{canary}\n").as_bytes()));
    for forbidden in [canary, &sha256, &sha256_line, &hex::encode(canary)] {
        assert!(
            !book.to_lowercase().contains(&forbidden.to_lowercase()),
            "{forbidden}"
        );
    }
    // The key that makes them is not beside it in the data directory.
    assert!(home.path().join("keys/fingerprints.key").exists());
    assert!(!std::fs::read_dir(home.path().join("data"))
        .unwrap()
        .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".key")));
    // A value whose fingerprint could be guessed is refused, with the reason and a hint.
    dark8(home.path(), ws.path())
        .args(["secret", "set", "PIN"])
        .write_stdin("4711\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("mniej niż 8 znaków"))
        .stderr(predicate::str::contains("openssl rand"));
}
