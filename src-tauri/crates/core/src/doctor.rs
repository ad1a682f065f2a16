//! `dark8 doctor`: what DARK8 needs and finds on this machine, one check at a time.
//!
//! Checks run concurrently and each has a short time limit, so the report comes back in about
//! a second even when a service does not answer.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dark8_protocol::{CheckStatus, DoctorCheck, DoctorReport};
use dark8_store::Store;

use crate::config::Config;
use crate::language::Language;
use crate::paths::Paths;

mod vault;

/// Time limit of one probe (a program's `--version`, an HTTP request).
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Builds the lines of the report in the configured language.
struct Checker {
    language: Language,
}

impl Checker {
    fn ok(&self, id: &str, label: (&str, &str), detail: String, required: bool) -> DoctorCheck {
        DoctorCheck {
            id: id.to_owned(),
            label: self.language.pick(label.0, label.1).to_owned(),
            status: CheckStatus::Ok,
            detail,
            hint: None,
            required,
        }
    }

    fn missing(
        &self,
        id: &str,
        label: (&str, &str),
        detail: String,
        hint: (&str, &str),
        required: bool,
    ) -> DoctorCheck {
        DoctorCheck {
            id: id.to_owned(),
            label: self.language.pick(label.0, label.1).to_owned(),
            status: CheckStatus::Missing,
            detail,
            hint: Some(self.language.pick(hint.0, hint.1).to_owned()),
            required,
        }
    }

    fn text(&self, pl: &str, en: &str) -> String {
        self.language.pick(pl, en).to_owned()
    }
}

/// Runs every check and returns the report.
pub async fn diagnose(config: &Config, paths: &Paths) -> DoctorReport {
    let checker = Checker {
        language: config.language,
    };
    let (data, disk, ollama, browser, git, python, node, cargo, keyring) = tokio::join!(
        check_data(&checker, paths),
        check_disk(&checker, &paths.data_dir, config.doctor.min_free_disk_mib),
        check_ollama(&checker, &config.llm.ollama_url),
        check_browser(&checker, &config.browser),
        check_program(&checker, "git", ("git", "git"), GIT_HINT),
        check_python(&checker),
        check_program(&checker, "node", ("Node.js", "Node.js"), NODE_HINT),
        check_program(
            &checker,
            "cargo",
            ("Rust (cargo)", "Rust (cargo)"),
            CARGO_HINT
        ),
        vault::check_vault(&checker, &config.vault, crate::secrets::vault_files(paths)),
    );
    let mut checks = data;
    checks.extend([disk, ollama, browser, git, python, node, cargo, keyring]);
    checks.push(check_sandbox(&checker, &config.sandbox.limits));
    let brain = crate::brain::detect(&config.llm, paths).await;
    checks.push(brain_check(config.language, &brain));
    DoctorReport {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: paths.data_dir.display().to_string(),
        config_file: paths.config_file.display().to_string(),
        checks,
    }
}

/// Which language model the agent reasons with (not required: known commands need none).
fn brain_check(language: Language, status: &crate::brain::BrainStatus) -> DoctorCheck {
    const LABEL: (&str, &str) = ("Mózg (model językowy)", "Brain (language model)");
    let checker = Checker { language };
    match &status.active {
        Some(active) => checker.ok("brain", LABEL, active.clone(), false),
        None => checker.missing(
            "brain",
            LABEL,
            status.detail.clone(),
            (
                "Opcjonalne: `dark8 model pull qwen2.5-coder-0.5b` (model wbudowany), Ollama (`ollama pull qwen2.5-coder:7b`) albo serwer zgodny z OpenAI w [llm] config.toml. Znane polecenia działają bez modelu.",
                "Optional: `dark8 model pull qwen2.5-coder-0.5b` (embedded), Ollama (`ollama pull qwen2.5-coder:7b`) or an OpenAI-compatible server in [llm] of config.toml. Known commands work without a model.",
            ),
            false,
        ),
    }
}

const GIT_HINT: (&str, &str) = (
    "Zainstaluj git (Debian/Ubuntu: `sudo apt install git`, Windows: `winget install Git.Git`).",
    "Install git (Debian/Ubuntu: `sudo apt install git`, Windows: `winget install Git.Git`).",
);
const NODE_HINT: (&str, &str) = (
    "Zainstaluj Node.js 20+ (https://nodejs.org), potrzebny do projektów Express.",
    "Install Node.js 20+ (https://nodejs.org); Express projects need it.",
);
const CARGO_HINT: (&str, &str) = (
    "Zainstaluj Rusta przez https://rustup.rs, potrzebny do projektów w Ruście.",
    "Install Rust from https://rustup.rs; Rust projects need it.",
);

/// The data directory (writable) and the database (opens, migrates, passes integrity_check).
async fn check_data(checker: &Checker, paths: &Paths) -> Vec<DoctorCheck> {
    const DIR: (&str, &str) = ("Katalog danych", "Data directory");
    const DB: (&str, &str) = ("Baza danych", "Database");
    let dir = &paths.data_dir;
    let dir_check = match writable_dir(dir) {
        Ok(()) => checker.ok("data_dir", DIR, dir.display().to_string(), true),
        Err(err) => {
            return vec![
                checker.missing(
                    "data_dir",
                    DIR,
                    format!("{}: {err}", dir.display()),
                    (
                        "Nadaj sobie prawa do katalogu albo wskaż inny przez DARK8_HOME.",
                        "Make the directory yours or choose another with DARK8_HOME.",
                    ),
                    true,
                ),
                checker.missing(
                    "database",
                    DB,
                    checker.text("brak katalogu danych", "no data directory"),
                    (
                        "Najpierw napraw katalog danych.",
                        "Fix the data directory first.",
                    ),
                    true,
                ),
            ];
        }
    };
    let db_path = paths.database();
    let db_check = match open_and_check(&db_path).await {
        Ok(detail) => checker.ok("database", DB, detail, true),
        Err(err) => checker.missing(
            "database",
            DB,
            format!("{}: {err}", db_path.display()),
            (
                "Sprawdź miejsce na dysku; uszkodzony plik przenieś w bezpieczne miejsce, DARK8 utworzy nowy.",
                "Check disk space; move a damaged file aside and DARK8 creates a new one.",
            ),
            true,
        ),
    };
    vec![dir_check, db_check]
}

fn writable_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = tempfile_in(dir)?;
    std::fs::remove_file(&probe)
}

/// Creates and returns an empty, uniquely named file in `dir`.
fn tempfile_in(dir: &Path) -> std::io::Result<PathBuf> {
    let path = dir.join(format!(".dark8-doctor-{}", std::process::id()));
    std::fs::write(&path, b"")?;
    Ok(path)
}

async fn open_and_check(db_path: &Path) -> Result<String, String> {
    let store = Store::open(db_path).await.map_err(|e| e.to_string())?;
    let result = async {
        store.integrity_check().await?;
        let version = store.schema_version().await?;
        let rows = store.audit().count().await?;
        Ok::<_, dark8_store::StoreError>((version, rows))
    }
    .await;
    store.close().await;
    let (version, rows) = result.map_err(|e| e.to_string())?;
    Ok(format!(
        "{} (schema v{version}, audit: {rows})",
        db_path.display()
    ))
}

/// Free space on the disk that holds the data directory.
async fn check_disk(checker: &Checker, data_dir: &Path, min_free_mib: u64) -> DoctorCheck {
    const LABEL: (&str, &str) = ("Wolne miejsce", "Free disk space");
    let target = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let disks = sysinfo::Disks::new_with_refreshed_list();
    let disk = disks
        .list()
        .iter()
        .filter(|disk| target.starts_with(disk.mount_point()))
        .max_by_key(|disk| disk.mount_point().as_os_str().len());
    let Some(disk) = disk else {
        return checker.missing(
            "disk",
            LABEL,
            checker.text(
                "nie ustalono dysku katalogu danych",
                "cannot tell the data directory's disk",
            ),
            ("Sprawdź `df -h` ręcznie.", "Check `df -h` yourself."),
            false,
        );
    };
    let free_mib = disk.available_space() / (1024 * 1024);
    let detail = format!(
        "{:.1} GiB ({})",
        free_mib as f64 / 1024.0,
        disk.mount_point().display()
    );
    if free_mib >= min_free_mib {
        checker.ok("disk", LABEL, detail, true)
    } else {
        checker.missing(
            "disk",
            LABEL,
            detail,
            (
                "Zwolnij miejsce na dysku (co najmniej tyle, ile doctor.min_free_disk_mib w konfiguracji).",
                "Free some disk space (at least doctor.min_free_disk_mib of the configuration).",
            ),
            true,
        )
    }
}

/// Ollama's `/api/version` at the configured URL.
async fn check_ollama(checker: &Checker, base_url: &str) -> DoctorCheck {
    const LABEL: (&str, &str) = ("Ollama (model językowy)", "Ollama (language model)");
    const HINT: (&str, &str) = (
        "Opcjonalne: zainstaluj Ollama (https://ollama.com) i uruchom `ollama serve` albo zmień llm.ollama_url. Znane polecenia działają bez modelu.",
        "Optional: install Ollama (https://ollama.com) and run `ollama serve`, or change llm.ollama_url. Known commands work without a model.",
    );
    let url = format!("{}/api/version", base_url.trim_end_matches('/'));
    let client = match reqwest::Client::builder().timeout(PROBE_TIMEOUT).build() {
        Ok(client) => client,
        Err(err) => return checker.missing("ollama", LABEL, err.to_string(), HINT, false),
    };
    let response = client.get(&url).send().await;
    let version = match response {
        Ok(response) if response.status().is_success() => response
            .json::<serde_json::Value>()
            .await
            .ok()
            .and_then(|v| v.get("version").and_then(|v| v.as_str()).map(str::to_owned)),
        Ok(response) => {
            return checker.missing(
                "ollama",
                LABEL,
                format!("{base_url}: HTTP {}", response.status()),
                HINT,
                false,
            )
        }
        Err(_) => {
            let detail = match checker.language {
                Language::Pl => format!("nie odpowiada pod {base_url}"),
                Language::En => format!("no answer at {base_url}"),
            };
            return checker.missing("ollama", LABEL, detail, HINT, false);
        }
    };
    match version {
        Some(version) => checker.ok("ollama", LABEL, format!("{version} ({base_url})"), false),
        None => checker.missing(
            "ollama",
            LABEL,
            format!(
                "{base_url}: {}",
                checker.text("to nie jest API Ollamy", "not Ollama's API")
            ),
            HINT,
            false,
        ),
    }
}

/// A Chromium, Chrome or Edge that DARK8 can start and that answers over the DevTools
/// protocol.
async fn check_browser(checker: &Checker, browser: &dark8_browser::BrowserConfig) -> DoctorCheck {
    const LABEL: (&str, &str) = ("Przeglądarka (Chromium)", "Browser (Chromium)");
    let Some(path) = dark8_browser::locate::find(browser.path.as_deref()) else {
        return checker.missing(
            "browser",
            LABEL,
            checker.text("nie znaleziono", "not found"),
            (
                "Opcjonalne: zainstaluj Chromium (`sudo apt install chromium`) albo Chrome/Edge, by przeglądać i szukać w sieci; inną ścieżkę podaj w [browser] path.",
                "Optional: install Chromium (`sudo apt install chromium`) or Chrome/Edge to browse and search the web; another path goes in [browser] path.",
            ),
            false,
        );
    };
    let version = dark8_browser::locate::version(&path)
        .await
        .unwrap_or_else(|| path.display().to_string());
    match tokio::time::timeout(Duration::from_secs(20), dark8_browser::probe(&path)).await {
        Ok(Ok(product)) => checker.ok(
            "browser",
            LABEL,
            format!(
                "{version} ({}), {} {product}",
                path.display(),
                checker.text("CDP odpowiada:", "CDP answers:")
            ),
            false,
        ),
        Ok(Err(err)) => checker.missing(
            "browser",
            LABEL,
            format!("{version}: {err}"),
            (
                "Przeglądarka jest, ale nie odpowiada przez DevTools; sprawdź, czy uruchamia się z terminala (`chromium --headless=new about:blank`).",
                "The browser is there but does not answer over DevTools; check that it starts from a terminal (`chromium --headless=new about:blank`).",
            ),
            false,
        ),
        Err(_) => checker.missing(
            "browser",
            LABEL,
            checker.text(
                "nie odpowiedziała w 20 s",
                "did not answer within 20 s",
            ),
            (
                "Sprawdź, czy przeglądarka uruchamia się z terminala.",
                "Check that the browser starts from a terminal.",
            ),
            false,
        ),
    }
}

/// A program on PATH and its `--version`.
async fn check_program(
    checker: &Checker,
    program: &str,
    label: (&str, &str),
    hint: (&str, &str),
) -> DoctorCheck {
    match which::which(program) {
        Ok(path) => {
            let version = program_version(&path)
                .await
                .unwrap_or_else(|| path.display().to_string());
            checker.ok(program, label, version, false)
        }
        Err(_) => checker.missing(
            program,
            label,
            checker.text("nie znaleziono w PATH", "not found on PATH"),
            hint,
            false,
        ),
    }
}

/// `python3`, or `python` where that is Python 3 (Windows).
async fn check_python(checker: &Checker) -> DoctorCheck {
    const LABEL: (&str, &str) = ("Python 3", "Python 3");
    const HINT: (&str, &str) = (
        "Zainstaluj Pythona 3.10+ (`sudo apt install python3 python3-venv`), potrzebny do projektów Django, Flask i FastAPI.",
        "Install Python 3.10+ (`sudo apt install python3 python3-venv`); Django, Flask and FastAPI projects need it.",
    );
    for name in ["python3", "python"] {
        if let Ok(path) = which::which(name) {
            if let Some(version) = program_version(&path).await {
                if version.contains("Python 3") {
                    return checker.ok("python3", LABEL, version, false);
                }
            }
        }
    }
    checker.missing(
        "python3",
        LABEL,
        checker.text("nie znaleziono w PATH", "not found on PATH"),
        HINT,
        false,
    )
}

/// The first non-empty line `program --version` prints, within the probe time limit.
async fn program_version(program: &Path) -> Option<String> {
    let output = tokio::time::timeout(
        PROBE_TIMEOUT,
        tokio::process::Command::new(program)
            .arg("--version")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .ok()?
    .ok()?;
    let text = if output.stdout.is_empty() {
        output.stderr
    } else {
        output.stdout
    };
    String::from_utf8_lossy(&text)
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(str::to_owned)
}

/// The sandbox of programs DARK8 runs: Landlock (file system), seccomp (network, locked
/// limits), how processes are counted and how the memory a run uses is capped.
fn check_sandbox(checker: &Checker, limits: &dark8_tools::sandbox::Limits) -> DoctorCheck {
    const LABEL: (&str, &str) = ("Piaskownica poleceń", "Command sandbox");
    let support = dark8_tools::sandbox::support();
    let landlock = support.landlock_abi.map_or_else(
        || "Landlock: -".to_owned(),
        |abi| format!("Landlock ABI {abi}"),
    );
    let seccomp = if support.seccomp {
        "seccomp"
    } else {
        "seccomp: -"
    };
    let cap = dark8_tools::sandbox::gib_text(limits.resident_cap_mib());
    let address = dark8_tools::sandbox::gib_text(limits.memory_mib);
    let memory_capped = support.memory_limit != "rlimit";
    let memory = match (checker.language, memory_capped) {
        (Language::Pl, true) => format!("limit pamięci: {cap} ({})", support.memory_limit),
        (Language::En, true) => format!("memory cap: {cap} ({})", support.memory_limit),
        (Language::Pl, false) => format!(
            "limit pamięci: tylko przestrzeń adresowa {address} (RLIMIT_AS; bez cgroup nie ma limitu pamięci rezydentnej)"
        ),
        (Language::En, false) => format!(
            "memory cap: address space {address} only (RLIMIT_AS; without a cgroup resident memory is not capped)"
        ),
    };
    let detail = match checker.language {
        Language::Pl => format!(
            "{landlock}, {seccomp}, limit procesów: {}, {memory}",
            support.process_limit
        ),
        Language::En => format!(
            "{landlock}, {seccomp}, process limit: {}, {memory}",
            support.process_limit
        ),
    };
    if !memory_capped && support.file_system_confined() && support.seccomp {
        return checker.missing(
            "sandbox",
            LABEL,
            detail,
            (
                "DARK8 nie może tu utworzyć cgroup, więc polecenie może zająć całą pamięć RAM. Uruchom DARK8 w sesji systemd użytkownika (np. z menu pulpitu albo `systemd-run --user --scope dark8 …`), gdzie ma delegowaną gałąź cgroup v2.",
                "DARK8 cannot make a cgroup here, so a command may take all the RAM. Run DARK8 in a systemd user session (from the desktop menu, or `systemd-run --user --scope dark8 …`), where it has a delegated cgroup v2 subtree.",
            ),
            false,
        );
    }
    if support.file_system_confined() && support.seccomp && support.process_limit != "none" {
        checker.ok("sandbox", LABEL, detail, false)
    } else {
        checker.missing(
            "sandbox",
            LABEL,
            detail,
            (
                "Bez Landlock (Linux 5.13+) i seccomp programy nie są zamknięte w obszarze roboczym: DARK8 pyta o zgodę przed każdym uruchomieniem, a --yes jej nie zastępuje.",
                "Without Landlock (Linux 5.13+) and seccomp programs are not confined to the workspace: DARK8 asks before every run, and --yes does not answer for you.",
            ),
            false,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn report_covers_every_check_and_finds_the_data_dir() {
        let home = tempfile::tempdir().unwrap();
        let paths = Paths::under(home.path());
        let mut config = Config::default();
        // Nothing listens on port 9 of loopback: Ollama must be reported missing, fast.
        config.llm.ollama_url = "http://127.0.0.1:9".to_owned();
        let report = diagnose(&config, &paths).await;
        let ids: Vec<_> = report.checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "data_dir", "database", "disk", "ollama", "browser", "git", "python3", "node",
                "cargo", "keyring", "sandbox", "brain"
            ]
        );
        // No model file in a fresh home and nothing on port 9: no brain, and that is fine.
        let brain = report.checks.iter().find(|c| c.id == "brain").unwrap();
        assert_eq!(brain.status, CheckStatus::Missing);
        assert!(!brain.required);
        assert!(brain.hint.as_deref().unwrap().contains("dark8 model pull"));
        let by_id = |id: &str| report.checks.iter().find(|c| c.id == id).unwrap();
        assert_eq!(by_id("data_dir").status, CheckStatus::Ok);
        assert_eq!(by_id("database").status, CheckStatus::Ok);
        assert!(paths.database().exists());
        let ollama = by_id("ollama");
        assert_eq!(ollama.status, CheckStatus::Missing);
        assert!(ollama.hint.as_deref().unwrap().contains("Ollama"));
        assert!(!ollama.required);
        // The test machine has git (the repository itself needs it).
        assert_eq!(by_id("git").status, CheckStatus::Ok);
        assert!(by_id("git").detail.starts_with("git version"));
        // The sandbox line names what confines programs here.
        let sandbox = by_id("sandbox");
        assert!(sandbox.detail.contains("Landlock"), "{}", sandbox.detail);
        assert!(!sandbox.required);
    }

    #[tokio::test]
    async fn unusable_data_dir_is_reported_with_a_polish_hint() {
        let home = tempfile::tempdir().unwrap();
        let blocker = home.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        // The data directory would have to be created inside a regular file.
        let paths = Paths {
            config_file: home.path().join("config.toml"),
            data_dir: blocker.join("data"),
        };
        let report = diagnose(&Config::default(), &paths).await;
        assert!(!report.required_ok());
        let dir = &report.checks[0];
        assert_eq!(dir.status, CheckStatus::Missing);
        assert!(dir.hint.as_deref().unwrap().contains("DARK8_HOME"));
    }
}
