//! Starting DARK8's own Chromium: its own profile directory, DARK8's own argument list (not
//! chromiumoxide's defaults, which force `--lang=en_US` and `--enable-automation`), Polish as
//! the page language, headless unless asked otherwise, a free debugging port read back from
//! the browser's own "DevTools listening on ws://…" line. On Linux the browser is started
//! through util-linux's `setpriv --pdeathsig KILL`, so it dies with DARK8 even when DARK8 is
//! killed outright.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::error::BrowserError;

/// How long a starting browser may take to open its debugging socket.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// What to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchOptions {
    /// The browser executable.
    pub executable: PathBuf,
    /// DARK8's profile directory (never the user's own).
    pub profile: PathBuf,
    /// Without a window (the default).
    pub headless: bool,
    /// Window size in CSS pixels.
    pub window: (u32, u32),
}

/// The command-line arguments of the browser for `options`.
pub fn arguments(options: &LaunchOptions) -> Vec<String> {
    let mut args = vec![
        "--remote-debugging-port=0".to_owned(),
        format!("--user-data-dir={}", options.profile.display()),
        "--lang=pl-PL".to_owned(),
        "--accept-lang=pl-PL,pl,en".to_owned(),
        format!("--window-size={},{}", options.window.0, options.window.1),
        "--no-first-run".to_owned(),
        "--no-default-browser-check".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-default-apps".to_owned(),
        "--disable-extensions".to_owned(),
        "--disable-features=Translate,MediaRouter,OptimizationHints".to_owned(),
        "--metrics-recording-only".to_owned(),
        "--password-store=basic".to_owned(),
        "--mute-audio".to_owned(),
    ];
    if options.headless {
        args.push("--headless=new".to_owned());
    }
    if running_as_root() {
        // Chromium refuses to start its own sandbox for root (CI, containers).
        args.push("--no-sandbox".to_owned());
    }
    args.push("about:blank".to_owned());
    args
}

#[cfg(unix)]
fn running_as_root() -> bool {
    nix::unistd::geteuid().is_root()
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    false
}

/// The program and its arguments: the browser itself, or `setpriv --pdeathsig KILL -- browser`
/// where util-linux's setpriv is there (Linux).
fn command_line(options: &LaunchOptions) -> (PathBuf, Vec<String>) {
    let args = arguments(options);
    if cfg!(target_os = "linux") {
        if let Ok(setpriv) = which::which("setpriv") {
            let mut wrapped = vec![
                "--pdeathsig".to_owned(),
                "KILL".to_owned(),
                "--".to_owned(),
                options.executable.display().to_string(),
            ];
            wrapped.extend(args);
            return (setpriv, wrapped);
        }
    }
    (options.executable.clone(), args)
}

/// Starts the browser and returns its process and the debugging WebSocket URL.
pub async fn start(options: &LaunchOptions) -> Result<(Child, String), BrowserError> {
    create_profile(&options.profile)?;
    let (program, args) = command_line(options);
    let mut child = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| BrowserError::Start {
            program: program.clone(),
            detail: source.to_string(),
        })?;
    let stderr = child.stderr.take().ok_or_else(|| BrowserError::Start {
        program: program.clone(),
        detail: "brak strumienia stderr".to_owned(),
    })?;
    let mut lines = BufReader::new(stderr).lines();
    let mut said = Vec::new();
    let found = tokio::time::timeout(START_TIMEOUT, async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("ws://")) {
                return Some(url.to_owned());
            }
            said.push(line);
        }
        None
    })
    .await;
    match found {
        Ok(Some(url)) => {
            // Keep reading stderr so the browser never blocks on a full pipe.
            tokio::spawn(async move {
                while let Ok(Some(line)) = lines.next_line().await {
                    tracing::trace!(target: "dark8_browser::chromium", "{line}");
                }
            });
            Ok((child, url))
        }
        Ok(None) => Err(BrowserError::Start {
            program,
            detail: last_words(&said),
        }),
        Err(_) => Err(BrowserError::Start {
            program,
            detail: format!("brak gniazda DevTools po {} s", START_TIMEOUT.as_secs()),
        }),
    }
}

/// The profile directory, created (owner-only on Unix) before the browser sees it.
fn create_profile(profile: &Path) -> Result<(), BrowserError> {
    std::fs::create_dir_all(profile).map_err(|source| BrowserError::Profile {
        path: profile.to_path_buf(),
        detail: source.to_string(),
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(profile, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

/// The last thing the browser said before it ended, for the error.
fn last_words(said: &[String]) -> String {
    said.iter()
        .rev()
        .find(|line| !line.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| "przeglądarka zakończyła się bez komunikatu".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_arguments_without_automation_flags() {
        let args = arguments(&LaunchOptions {
            executable: "/usr/bin/chromium".into(),
            profile: "/tmp/profil".into(),
            headless: true,
            window: (1280, 800),
        });
        assert!(args.contains(&"--lang=pl-PL".to_owned()));
        assert!(args.contains(&"--user-data-dir=/tmp/profil".to_owned()));
        assert!(args.contains(&"--headless=new".to_owned()));
        assert!(!args
            .iter()
            .any(|a| a.contains("enable-automation") || a.contains("en_US")));
        assert_eq!(args.last().map(String::as_str), Some("about:blank"));
    }
}
