//! The interactive approval at a real terminal (a pseudo-terminal from util-linux `script`):
//! a prompt that `--yes` cannot answer is asked in Polish; "t" runs the command, anything
//! else refuses it and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `dark8 args` on a pseudo-terminal, typing `answer`; returns everything it printed.
fn on_terminal(home: &Path, workdir: &Path, args: &str, answer: &str) -> Option<String> {
    let dark8 = assert_cmd::cargo::cargo_bin("dark8");
    let line = format!("{} {args}", dark8.display());
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("DARK8_HOME", home)
        .current_dir(workdir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(answer.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn a_rule_prompt_is_asked_in_polish_at_the_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("util-linux `script` is missing: terminal approval not checked");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("plik.txt"), "x").unwrap();
    let args = r#"tools call shell_run --yes --args '{"command":"rm plik.txt"}'"#;
    let refused = on_terminal(home.path(), ws.path(), args, "n\n").unwrap();
    assert!(
        refused.contains("DARK8 chce wykonać shell_run"),
        "{refused}"
    );
    assert!(
        refused.contains("Powód pytania: usuwanie plików"),
        "{refused}"
    );
    assert!(refused.contains("Zezwolić? [t/N]"), "{refused}");
    assert!(refused.contains("Odmowa"), "{refused}");
    assert!(ws.path().join("plik.txt").exists());
    let approved = on_terminal(home.path(), ws.path(), args, "t\n").unwrap();
    assert!(
        approved.contains("Polecenie zakończone powodzeniem"),
        "{approved}"
    );
    assert!(!ws.path().join("plik.txt").exists());
}
