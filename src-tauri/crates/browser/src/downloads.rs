//! Downloads go into a quarantine folder, never anywhere else and never opened: the browser
//! saves each one under its download id, DARK8 renames it to a cleaned-up name when it is
//! complete, takes away any execute permission (on Windows it marks the file as coming from
//! the internet), and cancels and deletes a download that grows past the size limit. What
//! happened is said in the next tool's answer.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::browser::{
    CancelDownloadParams, DownloadProgressState, EventDownloadProgress, EventDownloadWillBegin,
    SetDownloadBehaviorBehavior, SetDownloadBehaviorParams,
};
use chromiumoxide::Browser;
use futures_util::StreamExt;
use tokio::sync::Mutex;

use crate::error::BrowserError;
use crate::guard::Guard;
use crate::session::Live;

/// One download that has begun.
#[derive(Debug, Clone)]
struct Pending {
    name: String,
    url: String,
}

/// The quarantine folder and the downloads still running.
#[derive(Debug)]
pub struct Quarantine {
    dir: PathBuf,
    limit: u64,
    pending: StdMutex<HashMap<String, Pending>>,
    /// Downloads already ended: their later events, and a beginning that comes after their
    /// end, change nothing (no download is left running forever, none is reported twice).
    settled: StdMutex<HashSet<String>>,
}

impl Quarantine {
    /// Downloads into `dir`, each at most `limit` bytes.
    pub fn new(dir: PathBuf, limit: u64) -> Quarantine {
        Quarantine {
            dir,
            limit,
            pending: StdMutex::new(HashMap::new()),
            settled: StdMutex::new(HashSet::new()),
        }
    }

    /// The quarantine folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Waits (at most `timeout`) until no download is running; false when some still are.
    pub async fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let idle = self.pending.lock().map(|p| p.is_empty()).unwrap_or(true);
            if idle {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn begin(&self, guid: &str, pending: Pending) {
        if self.was_settled(guid) {
            return;
        }
        if let Ok(mut map) = self.pending.lock() {
            map.insert(guid.to_owned(), pending);
        }
    }

    /// Ends the download `guid` once and for all (its later events and a late beginning are
    /// ignored): what its beginning said, or its id as the name when the beginning is not
    /// seen yet.
    fn finish(&self, guid: &str) -> Pending {
        if let Ok(mut set) = self.settled.lock() {
            set.insert(guid.to_owned());
        }
        let known = self
            .pending
            .lock()
            .ok()
            .and_then(|mut map| map.remove(guid));
        known.unwrap_or_else(|| Pending {
            name: clean_name(guid),
            url: String::new(),
        })
    }

    fn was_settled(&self, guid: &str) -> bool {
        self.settled
            .lock()
            .map(|set| set.contains(guid))
            .unwrap_or(false)
    }

    fn over_limit(&self, event: &EventDownloadProgress) -> bool {
        event.total_bytes > self.limit as f64 || event.received_bytes > self.limit as f64
    }
}

/// Sends the browser's downloads into `quarantine` and follows them. `live` is where the
/// browser is, to cancel a download that is too large.
pub(crate) async fn install(
    browser: &Browser,
    quarantine: Arc<Quarantine>,
    guard: Arc<Guard>,
    live: Arc<Mutex<Option<Live>>>,
) -> Result<(), BrowserError> {
    std::fs::create_dir_all(quarantine.dir()).map_err(|e| BrowserError::Profile {
        path: quarantine.dir().to_path_buf(),
        detail: e.to_string(),
    })?;
    let mut began = browser
        .event_listener::<EventDownloadWillBegin>()
        .await
        .map_err(|e| BrowserError::protocol("nasłuch pobrań", e))?;
    let mut progress = browser
        .event_listener::<EventDownloadProgress>()
        .await
        .map_err(|e| BrowserError::protocol("nasłuch pobrań", e))?;
    let behavior = SetDownloadBehaviorParams {
        behavior: SetDownloadBehaviorBehavior::AllowAndName,
        browser_context_id: None,
        download_path: Some(quarantine.dir().display().to_string()),
        events_enabled: Some(true),
    };
    browser
        .execute(behavior)
        .await
        .map_err(|e| BrowserError::protocol("kwarantanna pobrań", e))?;
    tokio::spawn(async move {
        loop {
            // The browser's events are handed out in the order they came, so a beginning
            // waiting in its channel is older than any progress waiting in the other: read
            // beginnings first.
            tokio::select! {
                biased;
                event = began.next() => match event {
                    Some(event) => quarantine.begin(&event.guid, Pending {
                        name: clean_name(&event.suggested_filename),
                        url: event.url.clone(),
                    }),
                    None => break,
                },
                event = progress.next() => match event {
                    Some(event) => {
                        follow(&quarantine, &guard, &event, || async {
                            if let Some(live) = live.lock().await.as_ref() {
                                let cancel = CancelDownloadParams::new(event.guid.clone());
                                let _ = live.browser.execute(cancel).await;
                            }
                        })
                        .await
                    }
                    None => break,
                },
            }
        }
    });
    Ok(())
}

/// Handles one progress event: a finished download renamed and disarmed, a canceled one
/// reported, one past the limit canceled and deleted.
async fn follow<F, Fut>(
    quarantine: &Quarantine,
    guard: &Guard,
    event: &EventDownloadProgress,
    cancel: F,
) where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let saved_as = quarantine.dir().join(&event.guid);
    match event.state {
        DownloadProgressState::InProgress if quarantine.over_limit(event) => {
            if quarantine.was_settled(&event.guid) {
                return;
            }
            cancel().await;
            let pending = quarantine.finish(&event.guid);
            let _ = std::fs::remove_file(&saved_as);
            let from = if pending.url.is_empty() {
                String::new()
            } else {
                format!(" ({})", pending.url)
            };
            guard.note(format!(
                "Przerwano pobieranie „{}”{from}: plik jest większy niż limit {} MiB.",
                pending.name,
                quarantine.limit / (1024 * 1024)
            ));
        }
        DownloadProgressState::InProgress => {}
        DownloadProgressState::Canceled => {
            if quarantine.was_settled(&event.guid) {
                return;
            }
            let pending = quarantine.finish(&event.guid);
            let _ = std::fs::remove_file(&saved_as);
            guard.note(format!("Pobieranie „{}” przerwano.", pending.name));
        }
        DownloadProgressState::Completed => {
            if quarantine.was_settled(&event.guid) {
                return;
            }
            let pending = quarantine.finish(&event.guid);
            match disarm(quarantine.dir(), &saved_as, &pending.name) {
                Ok(path) => guard.note(format!(
                    "Pobrano „{}” ({}) do kwarantanny: {}. Pliku nie otwarto ani nie uruchomiono.",
                    pending.name,
                    dark8_tools::builtin::fs::human_size(event.received_bytes as u64),
                    path.display()
                )),
                Err(err) => guard.note(format!(
                    "Pobrano „{}”, ale nie przeniesiono go w kwarantannie: {err}.",
                    pending.name
                )),
            }
        }
    }
}

/// Renames the finished file to a free, clean name in the quarantine and takes away its
/// execute permission (on Windows: marks it as downloaded from the internet).
fn disarm(dir: &Path, saved_as: &Path, name: &str) -> std::io::Result<PathBuf> {
    let target = free_name(dir, name);
    std::fs::rename(saved_as, &target)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(windows)]
    {
        let mark = format!("{}:Zone.Identifier", target.display());
        let _ = std::fs::write(mark, "[ZoneTransfer]\r\nZoneId=3\r\n");
    }
    Ok(target)
}

/// `name` in `dir`, with `-1`, `-2`, ... before the extension when it is taken.
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let candidate = dir.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    (1..)
        .map(|n| dir.join(format!("{stem}-{n}{extension}")))
        .find(|path| !path.exists())
        .unwrap_or(candidate)
}

/// A file name safe on every system: the last path part, letters (Polish too), digits,
/// `.`, `-` and `_` kept, anything else `_`, no leading dot, at most 120 characters.
pub fn clean_name(suggested: &str) -> String {
    let last = suggested.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "pobrany-plik".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_are_cleaned() {
        assert_eq!(clean_name("raport roczny.pdf"), "raport_roczny.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("..\\evil.exe"), "evil.exe");
        assert_eq!(clean_name(".bashrc"), "bashrc");
        assert_eq!(clean_name("źródła.zip"), "źródła.zip");
        assert_eq!(clean_name(""), "pobrany-plik");
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("a-1.txt"), "x").unwrap();
        assert_eq!(free_name(dir.path(), "a.txt"), dir.path().join("a-2.txt"));
        assert_eq!(free_name(dir.path(), "b"), dir.path().join("b"));
    }

    fn progress(guid: &str, received: f64, state: DownloadProgressState) -> EventDownloadProgress {
        EventDownloadProgress {
            guid: guid.to_owned(),
            total_bytes: received,
            received_bytes: received,
            state,
            file_path: None,
        }
    }

    fn pending(name: &str) -> Pending {
        Pending {
            name: name.to_owned(),
            url: "http://127.0.0.1/duzy.bin".to_owned(),
        }
    }

    #[tokio::test]
    async fn a_download_ended_before_its_beginning_was_read_does_not_stay_running() {
        let dir = tempfile::tempdir().unwrap();
        let quarantine = Quarantine::new(dir.path().to_path_buf(), 1024);
        let guard = Guard::default();
        let big = progress("g1", 4096.0, DownloadProgressState::InProgress);
        follow(&quarantine, &guard, &big, || async {}).await;
        let canceled = progress("g1", 4096.0, DownloadProgressState::Canceled);
        follow(&quarantine, &guard, &canceled, || async {}).await;
        quarantine.begin("g1", pending("duzy.bin"));
        assert!(quarantine.wait_idle(Duration::from_millis(10)).await);
        let notes = guard.take_notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("większy niż limit"), "{notes:?}");
    }

    #[tokio::test]
    async fn a_download_past_the_limit_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("g2"), "częściowy").unwrap();
        let quarantine = Quarantine::new(dir.path().to_path_buf(), 1024);
        let guard = Guard::default();
        quarantine.begin("g2", pending("duzy.bin"));
        assert!(!quarantine.wait_idle(Duration::from_millis(10)).await);
        for state in [
            DownloadProgressState::InProgress,
            DownloadProgressState::InProgress,
            DownloadProgressState::Canceled,
        ] {
            follow(
                &quarantine,
                &guard,
                &progress("g2", 4096.0, state),
                || async {},
            )
            .await;
        }
        assert!(quarantine.wait_idle(Duration::from_millis(10)).await);
        assert!(!dir.path().join("g2").exists());
        let notes = guard.take_notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("„duzy.bin” (http://127.0.0.1/duzy.bin)"),
            "{notes:?}"
        );
    }
}
