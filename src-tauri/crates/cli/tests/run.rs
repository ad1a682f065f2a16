//! `dark8 run` end to end with no language model: real processes, files, git repositories,
//! databases and HTTP servers in a temp workspace; each test checks the effects, not only the
//! exit code. Every command must leave a conversation row with its intent.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

fn dark8(home: &Path, workdir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        // No desktop keychain, whatever the machine: `auto` must pick the file vault.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/dark8-tests-no-bus",
        )
        .env("DARK8_LLM__PROVIDER", "none")
        .current_dir(workdir);
    cmd
}

/// Runs `text` with --yes --json; returns the exit code and the outcome object.
fn run(home: &Path, workdir: &Path, text: &str) -> (i32, Value) {
    let output: Output = dark8(home, workdir)
        .args(["run", "--yes", "--json", text])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let value: Value = serde_json::from_str(last).unwrap_or_else(|e| {
        panic!(
            "{text}: no outcome line ({e}); stdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(value["type"], "outcome", "{text}");
    (output.status.code().unwrap_or(-1), value["outcome"].clone())
}

fn ok(home: &Path, workdir: &Path, text: &str) -> Value {
    let (code, outcome) = run(home, workdir, text);
    assert_eq!(code, 0, "{text}: {outcome:#}");
    assert_eq!(outcome["status"], "done", "{text}: {outcome:#}");
    outcome
}

fn response(outcome: &Value) -> &str {
    outcome["response"].as_str().unwrap()
}

fn history(home: &Path, workdir: &Path) -> Vec<Value> {
    let out = dark8(home, workdir)
        .args(["history", "--json", "-n", "100"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs git in `dir`; panics when it fails.
fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn file_commands_act_on_the_workspace() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (h, w) = (home.path(), ws.path());
    ok(h, w, "Zapisz plik a.txt z treścią ala ma kota");
    ok(h, w, "Zapisz plik b.txt z treścią ala ma psa");
    assert_eq!(
        std::fs::read_to_string(w.join("a.txt")).unwrap(),
        "ala ma kota"
    );
    let read = ok(h, w, "Pokaż plik a.txt");
    assert_eq!(read["results"][0]["output"]["content"], "ala ma kota");
    let diff = ok(h, w, "Porównaj pliki a.txt i b.txt");
    let text = diff["results"][0]["output"]["diff"].as_str().unwrap();
    assert!(
        text.contains("-ala ma kota") && text.contains("+ala ma psa"),
        "{text}"
    );
    let found = ok(h, w, "Znajdź w plikach słowo kota");
    assert!(found["results"][0]["output"].to_string().contains("a.txt"));
    let listed = ok(h, w, "Pokaż zawartość bieżącego katalogu");
    let listing = listed["results"][0]["output"]["entries"].to_string();
    assert!(
        listing.contains("a.txt") && listing.contains("b.txt"),
        "{listing}"
    );
    ok(h, w, "Usuń plik b.txt");
    assert!(!w.join("b.txt").exists());
    ok(h, w, "Uruchom `echo hej > z_powloki.txt`");
    assert_eq!(
        std::fs::read_to_string(w.join("z_powloki.txt")).unwrap(),
        "hej\n"
    );

    let rows = history(h, w);
    let intents: Vec<&str> = rows.iter().map(|r| r["intent"].as_str().unwrap()).collect();
    assert_eq!(
        intents,
        [
            "FILE_WRITE",
            "FILE_WRITE",
            "FILE_READ",
            "FILE_DIFF",
            "FILE_SEARCH",
            "FILE_LIST",
            "FILE_DELETE",
            "SHELL_RUN"
        ]
    );
    assert_eq!(rows[0]["context"]["steps"][0]["status"], "success");
}

#[test]
fn rename_copy_and_new_folders_are_undone() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (h, w) = (home.path(), ws.path());
    let bytes: &[u8] = b"zawartosc a\n\x00\xff";
    std::fs::write(w.join("a.txt"), bytes).unwrap();

    ok(h, w, "Zmień nazwę pliku a.txt na b.txt");
    assert!(!w.join("a.txt").exists());
    assert_eq!(std::fs::read(w.join("b.txt")).unwrap(), bytes);
    let undo = dark8(h, w).arg("undo").output().unwrap();
    assert!(
        undo.status.success(),
        "{}",
        String::from_utf8_lossy(&undo.stderr)
    );
    assert_eq!(std::fs::read(w.join("a.txt")).unwrap(), bytes);
    assert!(!w.join("b.txt").exists());

    ok(h, w, "Stwórz folder kopie");
    assert!(w.join("kopie").is_dir());
    ok(h, w, "Skopiuj plik a.txt do kopie");
    assert_eq!(std::fs::read(w.join("kopie/a.txt")).unwrap(), bytes);
    assert_eq!(std::fs::read(w.join("a.txt")).unwrap(), bytes);
    ok(h, w, "Przenieś a.txt do katalogu kopie/stare.txt");
    assert_eq!(std::fs::read(w.join("kopie/stare.txt")).unwrap(), bytes);
    // Three undos: the move, the copy, the folder.
    for _ in 0..3 {
        assert!(dark8(h, w).arg("undo").output().unwrap().status.success());
    }
    assert_eq!(std::fs::read(w.join("a.txt")).unwrap(), bytes);
    assert!(!w.join("kopie").exists());

    // A missing source is asked about, --yes or not, and nothing changes.
    let (_, asked) = run(h, w, "Przenieś plik nie-ma.txt do kopie");
    assert_eq!(asked["status"], "asked", "{asked:#}");
    assert!(response(&asked).contains("nie-ma.txt"), "{asked:#}");

    let rows = history(h, w);
    let intents: Vec<&str> = rows.iter().map(|r| r["intent"].as_str().unwrap()).collect();
    assert_eq!(
        &intents[..4],
        ["FILE_MOVE", "DIR_CREATE", "FILE_COPY", "FILE_MOVE"]
    );
}

#[test]
fn memory_system_and_answers_without_tools() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (h, w) = (home.path(), ws.path());
    ok(h, w, "Zapamiętaj, że serwer testowy działa na porcie 8088");
    let recalled = ok(h, w, "Na jakim porcie działa serwer testowy?");
    assert!(response(&recalled).contains("8088"), "{recalled:#}");
    let yesterday_free = ok(h, w, "Co robiliśmy dzisiaj?");
    let found = yesterday_free["results"][0]["output"]["results"].to_string();
    assert!(found.contains("Zapamiętaj, że serwer testowy"), "{found}");

    let disk = ok(h, w, "Ile mam wolnego miejsca na dysku?");
    assert!(disk["results"][0]["output"]["disks"]
        .as_array()
        .is_some_and(|d| !d.is_empty()));

    let mut sleeper = std::process::Command::new("sleep")
        .arg("300")
        .spawn()
        .unwrap();
    let pid = sleeper.id();
    let listed = ok(h, w, "Pokaż procesy sleep");
    assert!(listed["results"][0]["output"]
        .to_string()
        .contains(&format!("{pid}")));
    ok(h, w, &format!("Zabij proces {pid}"));
    let status = sleeper.wait().unwrap();
    assert!(!status.success(), "the process was ended by a signal");

    let help = ok(h, w, "W czym możesz mi pomóc?");
    assert!(response(&help).contains("Zbuduj REST API w FastAPI"));
    let chat = ok(h, w, "Wyjaśnij, czym jest mutex");
    assert!(
        response(&chat).contains("modelu językowego")
            && response(&chat).contains("dark8 model pull")
    );
    // Offline (the search endpoint does not answer): a Polish message with a hint, no hang.
    std::fs::write(
        h.join("config.toml"),
        "[search]\nduckduckgo_url = \"http://127.0.0.1:9/html/\"\n",
    )
    .unwrap();
    let (code, web) = run(h, w, "Wyszukaj w internecie dokumentację axum");
    assert_eq!(code, 1, "{web:#}");
    assert!(
        response(&web).contains("Nie połączono z wyszukiwarką")
            && response(&web).contains("Sprawdź połączenie z internetem"),
        "{web:#}"
    );
    std::fs::remove_file(h.join("config.toml")).unwrap();
    let secret = ok(h, w, "Zapisz token GitHuba w sejfie");
    assert!(response(&secret).contains("dark8 secret set"));

    let (code, asked) = run(h, w, "Stwórz aplikację do notatek");
    assert_eq!(code, 4);
    assert_eq!(asked["status"], "asked");
    assert!(response(&asked).starts_with("W jakim frameworku?"));

    let intents: Vec<String> = history(h, w)
        .iter()
        .map(|r| r["intent"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        intents,
        [
            "MEMORY_SAVE",
            "MEMORY_RECALL",
            "MEMORY_RECALL",
            "SYSTEM_STATUS",
            "PROCESS_LIST",
            "PROCESS_KILL",
            "HELP",
            "CHAT",
            "WEB_SEARCH",
            "SECRET_SET",
            "BUILD_APP"
        ]
    );
}

/// Answers one HTTP request with `body`, on a free loopback port.
fn one_shot_http(body: &'static str) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn projects_git_http_and_databases() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (h, w) = (home.path(), ws.path());
    let created = ok(h, w, "Zbuduj aplikację todo w Flasku o nazwie blog");
    let project = w.join("blog");
    assert!(project.join("app").is_dir() || project.join("requirements.txt").is_file());
    assert!(project.join("analiza.sarif").is_file(), "{created:#}");
    let log = std::process::Command::new("git")
        .args(["-C", project.to_str().unwrap(), "log", "--oneline"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 1);

    std::fs::remove_file(project.join("analiza.sarif")).unwrap();
    ok(h, w, "Przeanalizuj kod w katalogu blog");
    assert!(project.join("analiza.sarif").is_file());
    let built = ok(h, w, "Zbuduj projekt blog");
    assert!(project.join(".venv").is_dir(), "{built:#}");
    // Installing a package always asks; with nobody at a terminal it is refused.
    let (code, refused) = run(h, w, "Zainstaluj requests przez pip w projekcie blog");
    assert_eq!(code, 6, "{refused:#}");
    assert_eq!(refused["status"], "denied");

    let systemd = ok(h, w, "Przygotuj usługę systemd dla projektu blog");
    let files = systemd["results"][0]["output"]["files"].to_string();
    assert!(files.contains(".service"), "{files}");
    let tarball = ok(h, w, "Zrób archiwum tar.gz projektu blog");
    assert!(tarball["results"][0]["output"]["files"]
        .to_string()
        .contains(".sha256"));

    std::fs::write(project.join("NOTATKI.md"), "# notatki\n").unwrap();
    for (key, value) in [
        ("user.name", "Ala Testowa"),
        ("user.email", "ala@example.com"),
    ] {
        git(&project, &["config", key, value]);
    }
    let status = ok(h, &project, "Co się zmieniło w repozytorium?");
    assert!(status["results"][0]["output"]
        .to_string()
        .contains("NOTATKI.md"));
    ok(h, &project, "Zatwierdź zmiany z opisem druga wersja");
    let log = std::process::Command::new("git")
        .args(["-C", project.to_str().unwrap(), "log", "--format=%s"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.stdout).lines().next(),
        Some("druga wersja")
    );

    // A local repository named by its path.
    let source = w.join("repozytoria/zrodlo");
    std::fs::create_dir_all(&source).unwrap();
    std::fs::write(source.join("PLIK.md"), "z repozytorium\n").unwrap();
    for args in [
        vec!["init", "-q"],
        vec!["add", "PLIK.md"],
        vec![
            "-c",
            "user.name=Ala",
            "-c",
            "user.email=ala@example.com",
            "commit",
            "-qm",
            "pierwszy",
        ],
    ] {
        git(&source, &args);
    }
    let cloned = ok(h, w, &format!("Sklonuj {}", source.display()));
    assert!(w.join("zrodlo/PLIK.md").is_file(), "{cloned:#}");

    // Pushing needs the user's yes at a terminal; --yes alone is not enough.
    let (code, pushed) = run(h, &project, "Wypchnij zmiany");
    assert_eq!(code, 6, "{pushed:#}");
    assert_eq!(pushed["status"], "denied");

    let port = one_shot_http(r#"{"status":"ok"}"#);
    let http = ok(
        h,
        w,
        &format!("Wyślij GET do http://127.0.0.1:{port}/health"),
    );
    assert!(
        http["results"][0]["output"].to_string().contains("ok"),
        "{http:#}"
    );

    let db = w.join("dane.db");
    let made = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table notatki(t)'); c.executemany('insert into notatki values (?)', [('a',),('b',)]); c.commit()",
            db.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(made.success());
    let (code, queried) = {
        let output = dark8(h, w)
            .env("DARK8_DATABASES__DATABASE_URL", &db)
            .args([
                "run",
                "--yes",
                "--json",
                "Zapytaj bazę danych: SELECT count(*) AS n FROM notatki",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        let last: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
        (output.status.code().unwrap(), last["outcome"].clone())
    };
    assert_eq!(code, 0, "{queried:#}");
    assert_eq!(queried["results"][0]["output"]["rows"][0][0], 2);
}

#[test]
fn the_compound_fastapi_command_leaves_a_tested_analyzed_dockerized_project() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (h, w) = (home.path(), ws.path());
    let output = dark8(h, w)
        .args([
            "run",
            "--yes",
            "Zbuduj REST API w FastAPI o nazwie sklep, przetestuj je i przygotuj Dockerfile",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The plan is shown first, then every step as it runs.
    assert!(stdout.starts_with("Plan: 5 kroków"), "{stdout}");
    for step in 1..=5 {
        assert!(
            stdout.contains(&format!("▶ {step}. ")),
            "step {step}: {stdout}"
        );
    }
    assert!(stdout.contains("Wykonano 5 z 5 kroków"), "{stdout}");
    let project = w.join("sklep");
    assert!(project.join("Dockerfile").is_file());
    assert!(project.join(".dockerignore").is_file());
    assert!(project.join("analiza.sarif").is_file());
    assert!(project.join(".venv").is_dir());
    assert!(
        stdout.contains("passed"),
        "pytest's own line is streamed: {stdout}"
    );

    // The session has ended; the next command finds the project by its directory name.
    let generated = ok(h, w, "Wygeneruj testy dla projektu sklep");
    assert_eq!(
        generated["results"][0]["status"], "success",
        "{generated:#}"
    );
    let rows = history(h, w);
    assert_eq!(rows[0]["intent"], "BUILD_APP");
    assert_eq!(
        rows[0]["context"]["plan"]["steps"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn chat_keeps_the_session_between_lines_and_dark8_alone_starts_it() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (h, w) = (home.path(), ws.path());
    let output = dark8(h, w)
        .args(["chat", "--yes"])
        .write_stdin(
            "Zbuduj aplikację todo w Flasku o nazwie notes\n\
             Wygeneruj testy dla niego\n\
             Zapamiętaj, że notes działa na porcie 8000\n\
             /koniec\n\
             Pokaż procesy\n",
        )
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Utworzono projekt flask „notes”"),
        "{stdout}"
    );
    let intents: Vec<String> = history(h, w)
        .iter()
        .map(|r| r["intent"].as_str().unwrap().to_owned())
        .collect();
    // "/koniec" ended the session before "Pokaż procesy".
    assert_eq!(intents, ["BUILD_APP", "GENERATE_TESTS", "MEMORY_SAVE"]);
    // "dla niego" was the project made one line before.
    let rows = history(h, w);
    assert_eq!(
        rows[1]["context"]["plan"]["steps"][0]["call"]["arguments"]["path"],
        "notes"
    );

    // `dark8` with no arguments is the same conversation; a question it does not read as a
    // recall is still answered from the remembered fact.
    let output = dark8(h, w)
        .write_stdin("Na jakim porcie działa notes?\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Pamiętam: notes działa na porcie 8000"),
        "{stdout}"
    );
}

/// Answers one `POST /repos/{owner}/{repo}/pulls` the way GitHub documents it, when the
/// bearer token is right; returns the port and what it received.
fn github_once(token: &'static str) -> (u16, std::sync::mpsc::Receiver<(String, String)>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = n.trim().parse().unwrap();
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let authorized = head.contains(&format!("Bearer {token}"));
        let (status, answer) = if authorized {
            (
                "201 Created",
                r#"{"number": 1347, "html_url": "https://github.com/ola/blog/pull/1347", "state": "open"}"#,
            )
        } else {
            ("401 Unauthorized", r#"{"message": "Bad credentials"}"#)
        };
        let mut stream = stream;
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
            answer.len()
        );
        let _ = sender.send((head, String::from_utf8_lossy(&body).into_owned()));
    });
    (port, received)
}

#[test]
fn a_pull_request_is_opened_with_the_vaults_token() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (h, w) = (home.path(), ws.path());
    const TOKEN: &str = "ghp_testowytokentestowytoken123456";
    let (port, received) = github_once(TOKEN);
    std::fs::write(
        h.join("config.toml"),
        format!(
            "[hosting]\ngithub_api = \"http://127.0.0.1:{port}\"\nhosts = {{ \"127.0.0.1:{port}\" = \"github\" }}\n"
        ),
    )
    .unwrap();
    dark8(h, w)
        .env("DARK8_VAULT_PASSPHRASE", "hasło sejfu testów")
        .args(["secret", "set", "GITHUB_TOKEN"])
        .write_stdin(TOKEN)
        .assert()
        .success();
    for args in [
        vec!["init", "-q", "--initial-branch=main"],
        vec!["config", "user.name", "Ola"],
        vec!["config", "user.email", "ola@example.com"],
    ] {
        git(w, &args);
    }
    let remote = format!("http://127.0.0.1:{port}/ola/blog.git");
    std::fs::write(w.join("a.txt"), "a").unwrap();
    for args in [
        vec!["remote", "add", "origin", remote.as_str()],
        vec!["add", "."],
        vec!["commit", "-qm", "start"],
        vec!["switch", "-qc", "funkcja/koszyk"],
    ] {
        git(w, &args);
    }
    let output = dark8(h, w)
        .env("DARK8_VAULT_PASSPHRASE", "hasło sejfu testów")
        .args([
            "run",
            "--yes",
            "--json",
            "Otwórz pull request „Koszyk zakupowy”",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let outcome: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(outcome["outcome"]["status"], "done", "{stdout}");
    assert!(outcome["outcome"]["response"]
        .as_str()
        .unwrap()
        .contains("1347"));
    let (head, body) = received.recv().unwrap();
    assert!(head.starts_with("POST /repos/ola/blog/pulls"), "{head}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["title"], "Koszyk zakupowy");
    assert_eq!(body["head"], "funkcja/koszyk");
    // The token went to the API only: not to the output, the history or the audit log.
    assert!(!stdout.contains(TOKEN));
    let audit = dark8(h, w)
        .args(["audit", "list", "--json", "-n", "50"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&audit.stdout).contains(TOKEN));
}
