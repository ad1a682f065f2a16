//! `dark8 run` with the browser intents against a local site and a local DuckDuckGo-shaped
//! search endpoint, with the real Chromium: a page opened, read and summarised, its links
//! extracted, the web searched; and no Chromium left after DARK8 is killed with SIGKILL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use serde_json::Value;

const PAGE: &str = "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\"><title>Sklep Żółw</title></head>\
<body><main><h1>Sklep Żółw</h1><p id=\"js\"></p><p>Sklep sprzedaje żółwie od 1999 roku. Dostawa trwa dwa dni.</p>\
<a href=\"/cennik\">Cennik</a></main>\
<script>setTimeout(() => { document.getElementById('js').textContent = 'Promocja trwa do piątku.'; }, 200);</script></body></html>";

const RESULTS: &str = "<html><body><div class=\"result results_links web-result\"><h2 class=\"result__title\">\
<a class=\"result__a\" href=\"//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.rs%2Ftokio&amp;rut=x\">tokio - Rust</a></h2>\
<a class=\"result__snippet\">An asynchronous runtime</a></div></body></html>";

/// A tiny HTTP server: GET anything -> the shop page, POST -> the search results.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buffer = [0u8; 8192];
                let read = stream.read(&mut buffer).unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..read]);
                let body = if request.starts_with("POST") {
                    RESULTS
                } else {
                    PAGE
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    url
}

fn dark8(home: &Path, workdir: &Path, site: &str) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        .env("DARK8_LLM__PROVIDER", "none")
        .env("DARK8_SEARCH__DUCKDUCKGO_URL", format!("{site}/html/"))
        .env("DARK8_SEARCH__MIN_INTERVAL_MS", "0")
        .current_dir(workdir);
    cmd
}

/// Runs `text` with --yes --json and returns the outcome, asserting it is done.
fn done(home: &Path, workdir: &Path, site: &str, text: &str) -> Value {
    let output = dark8(home, workdir, site)
        .args(["run", "--yes", "--json", text])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| {
            panic!(
                "{text}: {e}\n{stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let outcome = last["outcome"].clone();
    assert_eq!(output.status.code(), Some(0), "{text}: {outcome:#}");
    assert_eq!(outcome["status"], "done", "{text}: {outcome:#}");
    outcome
}

#[test]
fn pages_are_opened_read_and_searched_by_polish_commands() {
    let site = serve();
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let (home, ws) = (home.path(), ws.path());
    let opened = done(home, ws, &site, &format!("Otwórz stronę {site}/"));
    assert!(
        opened["response"]
            .as_str()
            .unwrap()
            .contains("Otwarto „Sklep Żółw”"),
        "{opened:#}"
    );
    let read = done(
        home,
        ws,
        &site,
        &format!("Pobierz treść strony {site}/ i ją streść"),
    );
    let response = read["response"].as_str().unwrap();
    assert!(response.contains("W skrócie:"), "{response}");
    assert!(
        response.contains("Sklep sprzedaje żółwie od 1999 roku."),
        "{response}"
    );
    let text = read["results"][0]["output"]["chunks"].to_string();
    assert!(text.contains("Promocja trwa do piątku."), "{text}");
    let links = done(
        home,
        ws,
        &site,
        &format!("Wyciągnij linki ze strony {site}/"),
    );
    let found = links["results"][0]["output"]["links"].to_string();
    assert!(found.contains(&format!("{site}/cennik")), "{found}");
    let searched = done(home, ws, &site, "Wyszukaj w internecie dokumentację tokio");
    let results = &searched["results"][0]["output"]["results"];
    assert_eq!(results[0]["url"], "https://docs.rs/tokio", "{searched:#}");
    assert!(
        searched["response"]
            .as_str()
            .unwrap()
            .contains("tokio - Rust"),
        "{searched:#}"
    );
}

/// Whether a process whose command line names `needle` is running.
fn running_with(needle: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        std::fs::read(entry.path().join("cmdline"))
            .map(|bytes| String::from_utf8_lossy(&bytes).contains(needle))
            .unwrap_or(false)
    })
}

#[test]
fn no_chromium_outlives_a_dark8_killed_with_sigkill() {
    let site = serve();
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let profile = home
        .path()
        .join("data/browser/profile")
        .display()
        .to_string();
    // Piped chat has nobody to ask; this user lets browser_open go without a question.
    std::fs::write(
        home.path().join("config.toml"),
        "[policy.tools]\nbrowser_open = \"allow\"\n",
    )
    .unwrap();
    let mut chat = Process::cargo_bin("dark8").unwrap();
    chat.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home.path())
        .env("DARK8_LLM__PROVIDER", "none")
        .current_dir(ws.path())
        .arg("chat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = chat.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "Otwórz stronę {site}/").unwrap();
    let stdout = child.stdout.take().unwrap();
    let (seen, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = seen.send(line);
        }
    });
    let started = Instant::now();
    let mut opened = false;
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
            if line.contains("Otwarto") {
                opened = true;
                break;
            }
        }
    }
    assert!(opened, "the page was not opened");
    assert!(
        running_with(&profile),
        "no browser with DARK8's profile is running"
    );
    child.kill().unwrap(); // SIGKILL: DARK8 gets no chance to close anything
    let _ = child.wait();
    let gone = Instant::now();
    while running_with(&profile) && gone.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        !running_with(&profile),
        "a Chromium with DARK8's profile outlived the killed dark8"
    );
    drop(stdin);
}
