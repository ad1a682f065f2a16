//! `dark8 secret` against a real desktop keychain: a private D-Bus session bus and a real
//! `gnome-keyring-daemon` with its login collection unlocked, as a desktop login leaves it.
//! `backend = "auto"` must pick it, keep DARK8's own keys there, and say so; a keychain that
//! goes away later gives a Polish error instead of a new, empty file vault.
//!
//! Needs `dbus-daemon` and `gnome-keyring-daemon` (CI installs them); without them the test
//! says so and passes, unless `DARK8_REQUIRE_SECRET_SERVICE` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// A session bus and a gnome-keyring on it, stopped on drop.
struct DesktopKeychain {
    address: String,
    bus: Child,
    keyring: Child,
    home: tempfile::TempDir,
}

impl DesktopKeychain {
    fn start() -> Option<DesktopKeychain> {
        if which("dbus-daemon").is_none() || which("gnome-keyring-daemon").is_none() {
            assert!(
                std::env::var_os("DARK8_REQUIRE_SECRET_SERVICE").is_none(),
                "dbus-daemon and gnome-keyring-daemon are required here"
            );
            eprintln!("skipped: dbus-daemon or gnome-keyring-daemon is not installed");
            return None;
        }
        let home = tempfile::tempdir().unwrap();
        let mut bus = StdCommand::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        assert!(address.starts_with("unix:"), "bus address: {address}");
        // `--unlock` reads the login password from stdin and creates the login collection.
        let mut keyring = StdCommand::new("gnome-keyring-daemon")
            .args(["--foreground", "--components=secrets", "--unlock"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        keyring
            .stdin
            .take()
            .unwrap()
            .write_all(b"haslo-logowania-ci")
            .unwrap();
        let started = DesktopKeychain {
            address,
            bus,
            keyring,
            home,
        };
        started.wait_for_secrets_name();
        Some(started)
    }

    /// Waits until `org.freedesktop.secrets` has an owner on the bus.
    fn wait_for_secrets_name(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let out = StdCommand::new("dbus-send")
                .args([
                    &format!("--bus={}", self.address),
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("gnome-keyring-daemon did not take org.freedesktop.secrets");
    }

    /// What `secret-tool` (libsecret, independent of DARK8) finds for a DARK8 entry.
    fn lookup(&self, name: &str) -> Option<String> {
        which("secret-tool")?;
        let out = StdCommand::new("secret-tool")
            .args(["lookup", "service", "dark8", "username", name])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .unwrap();
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn stop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

impl Drop for DesktopKeychain {
    fn drop(&mut self) {
        self.stop();
        let _ = &self.home;
    }
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

fn dark8(home: &Path, bus: &str) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        .env("DARK8_LLM__PROVIDER", "none")
        .env("DBUS_SESSION_BUS_ADDRESS", bus);
    cmd
}

fn doctor_vault(home: &Path, bus: &str) -> Value {
    let out = dark8(home, bus)
        .args(["doctor", "--json"])
        .assert()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["id"] == "keyring")
        .cloned()
        .unwrap()
}

#[test]
fn auto_keeps_secrets_in_the_desktop_keychain_and_says_so() {
    let Some(mut keychain) = DesktopKeychain::start() else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let bus = keychain.address.clone();
    let value = "ghp_SecretServiceCanary7f3Q9xLm2";

    // Before first use the doctor already sees the unlocked login collection.
    let check = doctor_vault(home.path(), &bus);
    assert_eq!(check["status"], "ok", "{check}");
    let detail = check["detail"].as_str().unwrap();
    assert!(detail.contains("pęku kluczy systemu"), "{detail}");
    assert!(detail.contains("odblokowana"), "{detail}");

    dark8(home.path(), &bus)
        .args(["secret", "set", "GITHUB_TOKEN"])
        .write_stdin(format!("{value}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Zapisano sekret „GITHUB_TOKEN”"));
    // `auto` decided once, for the keychain: no vault file, and DARK8's own keys (audit,
    // fingerprints) are in the keychain too, not in keys/.
    let data = home.path().join("data");
    assert_eq!(
        std::fs::read_to_string(data.join("vault-backend")).unwrap(),
        "keychain\n"
    );
    assert!(!data.join("vault.json").exists());
    assert!(!home.path().join("keys/audit.key").exists());
    assert!(!home.path().join("keys/fingerprints.key").exists());
    // libsecret's own tool finds the value where DARK8 put it.
    if let Some(found) = keychain.lookup("GITHUB_TOKEN") {
        assert_eq!(found.trim_end(), value);
    }

    dark8(home.path(), &bus)
        .args(["secret", "get", "GITHUB_TOKEN"])
        .assert()
        .success()
        .stdout(format!("{value}\n"));
    dark8(home.path(), &bus)
        .args(["secret", "list"])
        .assert()
        .success()
        .stdout("GITHUB_TOKEN\n")
        .stderr(predicate::str::contains(
            "Sejf: pęk kluczy systemu, 1 sekret.",
        ));
    let check = doctor_vault(home.path(), &bus);
    assert!(
        check["detail"]
            .as_str()
            .unwrap()
            .contains("wybrane przy pierwszym użyciu"),
        "{check}"
    );
    // The audit chain is keyed with the key kept in the keychain.
    dark8(home.path(), &bus)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("każdy podpis sprawdzony kluczem"));

    dark8(home.path(), &bus)
        .args(["secret", "rm", "GITHUB_TOKEN"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Usunięto sekret „GITHUB_TOKEN”"));
    if let Some(found) = keychain.lookup("GITHUB_TOKEN") {
        assert_eq!(found, "");
    }
    dark8(home.path(), &bus)
        .args(["secret", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Sejf jest pusty"));

    // The keychain goes away: DARK8 says so in Polish and starts no empty file vault.
    keychain.stop();
    dark8(home.path(), &bus)
        .args(["secret", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("pęk kluczy"))
        .stderr(predicate::str::contains("Odblokuj pęk kluczy pulpitu"));
    assert!(!data.join("vault.json").exists());
}

#[test]
fn without_a_desktop_keychain_auto_keeps_the_passphrase_file_vault() {
    let home = tempfile::tempdir().unwrap();
    let bus = "unix:path=/nonexistent/dark8-no-bus";
    dark8(home.path(), bus)
        .env("DARK8_VAULT_PASSPHRASE", "długie hasło sejfu 2026")
        .args(["secret", "set", "API_KEY"])
        .write_stdin("sk-FileVaultCanary9aa81c\n")
        .assert()
        .success();
    let data = home.path().join("data");
    assert_eq!(
        std::fs::read_to_string(data.join("vault-backend")).unwrap(),
        "file\n"
    );
    assert!(data.join("vault.json").exists());
    assert!(home.path().join("keys/audit.key").exists());
    let check = doctor_vault(home.path(), bus);
    let detail = check["detail"].as_str().unwrap();
    assert!(detail.contains("w zaszyfrowanym pliku (hasło)"), "{detail}");
    assert!(detail.contains("brak Secret Service"), "{detail}");
}
