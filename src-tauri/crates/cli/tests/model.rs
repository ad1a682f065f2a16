//! `dark8 model pull|import|list` against a local HTTP server serving a file: a download cut
//! half way resumes with a Range request, a wrong checksum is rejected and leaves nothing,
//! a file that is not GGUF is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

fn dark8(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home);
    cmd
}

/// A fake GGUF file of `len` bytes.
fn model_bytes(len: usize) -> Vec<u8> {
    let mut bytes = b"GGUF".to_vec();
    bytes.extend((0..len - 4).map(|i| (i * 7 % 251) as u8));
    bytes
}

/// Serves `body` at any path; the first plain GET is cut after half the bytes (the
/// connection drops), Range requests get 206 with the rest. Records each Range header.
fn serve(body: Vec<u8>) -> (u16, Arc<Mutex<Vec<Option<String>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ranges = Arc::new(Mutex::new(Vec::new()));
    let seen = ranges.clone();
    std::thread::spawn(move || {
        let mut cut_done = false;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut range = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("range: bytes=") {
                    range = Some(value.trim().trim_end_matches('-').to_owned());
                }
            }
            seen.lock().unwrap().push(range.clone());
            match range.and_then(|r| r.parse::<usize>().ok()) {
                Some(from) => {
                    let rest = &body[from..];
                    let _ = write!(
                        stream,
                        "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {from}-{}/{}\r\nConnection: close\r\n\r\n",
                        rest.len(),
                        body.len() - 1,
                        body.len()
                    );
                    let _ = stream.write_all(rest);
                }
                None => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    if cut_done {
                        let _ = stream.write_all(&body);
                    } else {
                        let _ = stream.write_all(&body[..body.len() / 2]);
                        cut_done = true;
                    }
                }
            }
        }
    });
    (port, ranges)
}

#[test]
fn a_cut_download_resumes_and_is_checked() {
    let home = tempfile::tempdir().unwrap();
    let body = model_bytes(300_000);
    let sha = hex::encode(Sha256::digest(&body));
    let (port, ranges) = serve(body.clone());
    let url = format!("http://127.0.0.1:{port}/maly.gguf");
    let first = dark8(home.path())
        .args(["model", "pull", "maly", "--url", &url, "--sha256", &sha])
        .output()
        .unwrap();
    assert!(!first.status.success(), "the cut must be reported");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("ponów"), "{stderr}");
    let part = home.path().join("data/models/maly.gguf.part");
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 150_000);

    dark8(home.path())
        .args(["model", "pull", "maly", "--url", &url, "--sha256", &sha])
        .assert()
        .success();
    let model = home.path().join("data/models/maly.gguf");
    assert_eq!(std::fs::read(&model).unwrap(), body);
    assert!(!part.exists());
    assert_eq!(*ranges.lock().unwrap(), [None, Some("150000".to_owned())]);

    let listed = dark8(home.path())
        .args(["model", "list", "--json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed["local"][0]["file"], "maly.gguf");
    assert_eq!(listed["local"][0]["size"], 300_000);
    assert_eq!(listed["known"][0]["name"], "qwen2.5-coder-0.5b");
}

#[test]
fn a_wrong_checksum_is_rejected_and_leaves_nothing() {
    let home = tempfile::tempdir().unwrap();
    let body = model_bytes(10_000);
    let (port, _) = serve(body);
    let url = format!("http://127.0.0.1:{port}/zly.gguf");
    // The first GET is cut; the retry resumes and completes, then the checksum fails.
    let _ = dark8(home.path())
        .args([
            "model",
            "pull",
            "zly",
            "--url",
            &url,
            "--sha256",
            &"0".repeat(64),
        ])
        .output()
        .unwrap();
    let output = dark8(home.path())
        .args([
            "model",
            "pull",
            "zly",
            "--url",
            &url,
            "--sha256",
            &"0".repeat(64),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SHA-256 się nie zgadza"), "{stderr}");
    let models = home.path().join("data/models");
    assert_eq!(
        std::fs::read_dir(&models).unwrap().count(),
        0,
        "no file, no .part"
    );
}

#[test]
fn import_checks_the_gguf_header() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("nie-model.gguf");
    std::fs::write(&fake, b"<html>404</html>").unwrap();
    let refused = dark8(home.path())
        .args(["model", "import"])
        .arg(&fake)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("nie jest plikiem GGUF"));
    let real = dir.path().join("wlasny.gguf");
    let body = model_bytes(1000);
    std::fs::write(&real, &body).unwrap();
    let out = dark8(home.path())
        .args(["model", "import", "--json"])
        .arg(&real)
        .output()
        .unwrap();
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["sha256"], hex::encode(Sha256::digest(&body)));
    assert!(home.path().join("data/models/wlasny.gguf").is_file());
    let unknown = dark8(home.path())
        .args(["model", "pull", "nieznany"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Nie znam modelu"));
}
