//! Sandboxed execution of programs: every tool that runs a program goes through [`run`].
//!
//! - a program and its arguments (argv), never a shell string assembled from entities; a shell
//!   line the user typed runs as `sh -c <line>` inside the sandbox;
//! - the working directory must lie inside the workspace;
//! - on Linux: Landlock lets the child write only in the workspace and a private temp dir, and
//!   read everything but the user's secret stores ([`hidden::secret_stores`]); seccomp takes
//!   the network away when the call has no network permission and stops the child from
//!   raising its own limits; rlimits cap CPU time, address space, processes and file size; as
//!   root (exempt from the process rlimit) a pids cgroup caps processes instead;
//! - a wall-clock limit and cancellation kill the whole process group (and cgroup);
//! - the environment is scrubbed of secrets ([`env::scrubbed`]).
//!
//! Windows: a job object with kill-on-close, memory, process and CPU-time limits (see
//! `windows.rs`); there is no file-system confinement there, so the policy asks more often.

pub mod env;
pub mod hidden;
#[cfg(target_os = "linux")]
mod linux;
mod output;
#[cfg(windows)]
mod windows;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

pub use output::{OutputCapture, Stream, MAX_CAPTURE_BYTES};

/// Resource limits of one sandboxed run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Wall-clock limit in seconds; the whole process group is killed after it.
    pub timeout_s: u64,
    /// CPU time limit in seconds (RLIMIT_CPU).
    pub cpu_s: u64,
    /// Address-space limit in MiB (RLIMIT_AS). It caps virtual memory, so it must leave room
    /// for runtimes that reserve much more than they use (V8 reserves about 10 GiB per
    /// WebAssembly memory); it stops runaway allocations, not a slow creep of resident memory.
    pub memory_mib: u64,
    /// The memory the run may really use, swap included, in MiB: a cgroup's `memory.max` on
    /// Linux, the job object's memory limit on Windows. Unset: half of the RAM, at most
    /// 8 GiB ([`Limits::resident_cap_mib`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resident_memory_mib: Option<u64>,
    /// How many processes the run may have at once.
    pub processes: u64,
    /// Largest file the run may write, in MiB (RLIMIT_FSIZE).
    pub file_size_mib: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout_s: 300,
            cpu_s: 600,
            memory_mib: 32 * 1024,
            resident_memory_mib: None,
            processes: 256,
            file_size_mib: 1024,
        }
    }
}

impl Limits {
    /// The resident-memory cap of a run in MiB: the configured one, else half of the RAM and
    /// at most 8 GiB (at least 64 MiB either way).
    pub fn resident_cap_mib(&self) -> u64 {
        self.resident_memory_mib
            .unwrap_or_else(|| (total_memory_mib() / 2).min(8 * 1024))
            .max(64)
    }
}

/// The configuration key of the resident-memory cap, for messages.
pub const RESIDENT_MEMORY_KEY: &str = "sandbox.limits.resident_memory_mib";

/// The machine's RAM in MiB (read once).
fn total_memory_mib() -> u64 {
    static TOTAL: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TOTAL.get_or_init(|| {
        let mut system = sysinfo::System::new();
        system.refresh_memory();
        system.total_memory() / (1024 * 1024)
    })
}

/// A size in MiB as Polish text in GiB with a decimal comma: 1 GiB, 1,5 GiB, 0,2 GiB.
pub fn gib_text(mib: u64) -> String {
    let tenths = (mib * 10 + 512) / 1024;
    if tenths % 10 == 0 {
        format!("{} GiB", tenths / 10)
    } else {
        format!("{},{} GiB", tenths / 10, tenths % 10)
    }
}

/// The Polish message and hint of a run the memory cap stopped.
pub fn memory_exceeded(limits: &Limits) -> (String, String) {
    (
        format!(
            "Przekroczono limit pamięci ({}); system zakończył polecenie.",
            gib_text(limits.resident_cap_mib())
        ),
        format!(
            "Jeśli program naprawdę potrzebuje więcej, podnieś {RESIDENT_MEMORY_KEY} (w MiB) w config.toml, w sekcji [sandbox.limits]."
        ),
    )
}

/// The sandbox settings of the configuration (`[sandbox]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxConfig {
    /// Default limits of a run.
    pub limits: Limits,
    /// Directories a sandboxed program may write besides the workspace and its temp dir.
    pub extra_writable: Vec<PathBuf>,
    /// Paths a sandboxed program may not read, besides the built-in secret stores.
    pub extra_hidden: Vec<PathBuf>,
}

/// One program to run.
#[derive(Debug, Clone)]
pub struct SandboxSpec {
    /// The program (looked up on `PATH` when it has no slash).
    pub program: String,
    /// Its arguments, passed as they are (no shell).
    pub args: Vec<String>,
    /// Working directory: the workspace or a directory inside it.
    pub cwd: PathBuf,
    /// The workspace root: writable.
    pub workspace: PathBuf,
    /// Other writable directories.
    pub writable: Vec<PathBuf>,
    /// Paths the program may not read or write.
    pub hidden: Vec<PathBuf>,
    /// Whether the program may use the network.
    pub network: bool,
    /// Limits.
    pub limits: Limits,
    /// Variables added to the scrubbed environment.
    pub env: Vec<(String, String)>,
    /// Secret values that must not reach the child through its environment.
    pub secret_values: Vec<String>,
    /// Whether Landlock confines the file system (false only for system package managers,
    /// which write outside every workspace and always need the user's explicit approval).
    pub confine_file_system: bool,
    /// Whether hooks and code-running config entries the run plants in the workspace's
    /// repositories are undone after it (off only for git itself, run by the git tools).
    pub guard_repositories: bool,
}

impl SandboxSpec {
    /// A spec for `program args` in `workspace`, with default limits, no network, and the
    /// built-in secret stores hidden.
    pub fn new(program: impl Into<String>, args: Vec<String>, workspace: &Path) -> SandboxSpec {
        SandboxSpec {
            program: program.into(),
            args,
            cwd: workspace.to_path_buf(),
            workspace: workspace.to_path_buf(),
            writable: Vec::new(),
            hidden: hidden::secret_stores(),
            network: false,
            limits: Limits::default(),
            env: Vec::new(),
            secret_values: Vec::new(),
            confine_file_system: true,
            guard_repositories: true,
        }
    }

    /// `sh -c <line>`: a shell line the user typed, run inside the sandbox.
    pub fn shell(line: &str, workspace: &Path) -> SandboxSpec {
        let shell = if cfg!(windows) { "cmd" } else { "sh" };
        let flag = if cfg!(windows) { "/C" } else { "-c" };
        SandboxSpec::new(shell, vec![flag.to_owned(), line.to_owned()], workspace)
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// The program exited by itself (any exit code).
    Exited,
    /// A signal ended it (e.g. SIGXCPU/SIGKILL after the CPU limit).
    Signaled,
    /// The wall-clock limit ran out; the process group was killed.
    TimedOut,
    /// The user cancelled; the process group was killed.
    Cancelled,
    /// The run used more memory than its cap ([`Limits::resident_cap_mib`]); the kernel
    /// killed it.
    OutOfMemory,
}

/// What a run left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunOutput {
    /// How it ended.
    pub ending: Ending,
    /// Exit code, when it exited.
    pub exit_code: Option<i32>,
    /// The signal that ended it, when one did.
    pub signal: Option<i32>,
    /// Standard output (the first [`MAX_CAPTURE_BYTES`]).
    pub stdout: String,
    /// Standard error (the first [`MAX_CAPTURE_BYTES`]).
    pub stderr: String,
    /// Whether output was cut at [`MAX_CAPTURE_BYTES`] (the full stream went to progress).
    pub truncated: bool,
    /// Wall-clock duration in milliseconds.
    pub duration_ms: u64,
    /// Which confinement was in force.
    pub confinement: Support,
    /// Changes the run made to the repositories' hooks and code-running config that were
    /// undone after it (see [`crate::repo_guard::RepositorySnapshot`]), one Polish line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repository_undone: Vec<String>,
}

impl RunOutput {
    /// True when the program exited with code 0.
    pub fn success(&self) -> bool {
        self.ending == Ending::Exited && self.exit_code == Some(0)
    }
}

/// Which confinement this machine gives a sandboxed run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Support {
    /// Landlock ABI version, when the kernel has Landlock (file-system confinement).
    pub landlock_abi: Option<i32>,
    /// Whether seccomp filters are available (network cut, limits locked).
    pub seccomp: bool,
    /// How the process count is limited: `rlimit`, `cgroup`, `job` or `none`.
    pub process_limit: String,
    /// How the memory a run really uses is capped: `cgroup v2`, `cgroup v1`, `job`, or
    /// `rlimit` (address space only: no cap on resident memory).
    pub memory_limit: String,
}

impl Support {
    /// True when a sandboxed program cannot write outside its workspace or read secret stores.
    pub fn file_system_confined(&self) -> bool {
        self.landlock_abi.is_some()
    }
}

/// What this machine supports, probed once per call (cheap: two syscalls).
pub fn support() -> Support {
    #[cfg(target_os = "linux")]
    {
        linux::support()
    }
    #[cfg(windows)]
    {
        windows::support()
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    {
        Support {
            landlock_abi: None,
            seccomp: false,
            process_limit: "rlimit".to_owned(),
            memory_limit: "rlimit".to_owned(),
        }
    }
}

/// Why a sandboxed run could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The working directory is outside the workspace.
    #[error("katalog roboczy {cwd} leży poza obszarem roboczym {workspace}")]
    OutsideWorkspace {
        /// The requested working directory.
        cwd: PathBuf,
        /// The workspace.
        workspace: PathBuf,
    },
    /// A directory is missing or unreadable.
    #[error("nie można otworzyć katalogu {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The confinement could not be prepared.
    #[error("nie można przygotować piaskownicy: {0}")]
    Setup(String),
    /// The program could not be started (missing, not executable, confinement refused).
    #[error("nie można uruchomić „{program}”: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Called with each line the program prints, as it prints it.
pub type LineSink = Arc<dyn Fn(Stream, &str) + Send + Sync>;

/// Runs `spec` confined, streaming lines to `on_line`, until it ends, its time runs out or
/// `cancel` fires; the whole process tree is killed in the last two cases and on drop.
pub async fn run(
    spec: &SandboxSpec,
    on_line: LineSink,
    cancel: CancellationToken,
) -> Result<RunOutput, SandboxError> {
    let temp = tempfile::Builder::new()
        .prefix("dark8-sbx-")
        .tempdir()
        .map_err(|err| SandboxError::Setup(format!("katalog tymczasowy: {err}")))?;
    let (mut command, confinement) = prepare(spec, temp.path(), false)?;
    let snapshot = spec
        .guard_repositories
        .then(|| crate::repo_guard::RepositorySnapshot::take(&spec.workspace));
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let started = Instant::now();
    let mut child = command.spawn().map_err(|source| SandboxError::Spawn {
        program: spec.program.clone(),
        source,
    })?;
    let guard = confinement.attach(&child);
    let capture = OutputCapture::start(&mut child, on_line);
    let timeout = Duration::from_secs(spec.limits.timeout_s.max(1));
    let (ending, status) = tokio::select! {
        biased;
        () = cancel.cancelled() => (Some(Ending::Cancelled), None),
        () = tokio::time::sleep(timeout) => (Some(Ending::TimedOut), None),
        status = child.wait() => (None, status.ok()),
    };
    // Whatever happened, nothing the run started outlives it.
    guard.kill_all();
    let ending = ending.or_else(|| guard.out_of_memory().then_some(Ending::OutOfMemory));
    let status = match status {
        Some(status) => Some(status),
        None => child.wait().await.ok(),
    };
    let (stdout, stderr, truncated) = capture.finish().await;
    let (ending, exit_code, signal) = describe(ending, status);
    drop(guard);
    drop(temp);
    // Every process of the run is gone: nothing can plant a hook again after this.
    let repository_undone = snapshot.map(|s| s.undo_planted()).unwrap_or_default();
    for change in &repository_undone {
        tracing::warn!(program = %spec.program, "undone in a repository: {change}");
    }
    Ok(RunOutput {
        ending,
        exit_code,
        signal,
        stdout,
        stderr,
        truncated,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        confinement: confinement.support(),
        repository_undone,
    })
}

/// Starts `spec` confined in the background, its stdout and stderr appended to `log`, its
/// private temp dir at `temp`; returns its pid. It outlives this process: no wall-clock
/// limit and no final kill (end it with `process_kill`); CPU, memory (its own cgroup, left
/// for the job and removed once it has ended), file-size and process limits apply.
pub fn spawn_detached(
    spec: &SandboxSpec,
    log: std::fs::File,
    temp: &Path,
) -> Result<u32, SandboxError> {
    let (mut command, _confinement) = prepare(spec, temp, true)?;
    let err_log = log
        .try_clone()
        .map_err(|e| SandboxError::Setup(format!("dziennik zadania: {e}")))?;
    command
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(err_log))
        .kill_on_drop(false);
    let child = command.spawn().map_err(|source| SandboxError::Spawn {
        program: spec.program.clone(),
        source,
    })?;
    child
        .id()
        .ok_or_else(|| SandboxError::Setup("proces zakończył się od razu".to_owned()))
}

/// The confined command for `spec` with `temp` as its private temp dir; a `detached` run's
/// cgroup outlives this process.
fn prepare(
    spec: &SandboxSpec,
    temp: &Path,
    detached: bool,
) -> Result<(Command, Confinement), SandboxError> {
    let workspace = canonical_dir(&spec.workspace)?;
    let cwd = canonical_dir(&spec.cwd)?;
    if !cwd.starts_with(&workspace) {
        return Err(SandboxError::OutsideWorkspace {
            cwd,
            workspace: workspace.clone(),
        });
    }
    let mut command = Command::new(&spec.program);
    command
        .args(&spec.args)
        .current_dir(&cwd)
        .env_clear()
        .envs(env::scrubbed(temp, &spec.env, &spec.secret_values))
        .stdin(Stdio::null());
    let mut writable = vec![workspace, temp.to_path_buf()];
    writable.extend(spec.writable.iter().cloned());
    #[cfg(target_os = "linux")]
    let confinement = linux::confine(&mut command, &writable, &spec.hidden, spec, detached)?;
    #[cfg(windows)]
    let confinement = {
        let _ = detached;
        windows::prepare(&mut command, spec)?
    };
    #[cfg(not(any(target_os = "linux", windows)))]
    let confinement = {
        let _ = (detached, writable);
        other_unix::confine(&mut command)
    };
    Ok((command, confinement))
}

#[cfg(target_os = "linux")]
use linux::Confinement;
#[cfg(not(any(target_os = "linux", windows)))]
use other_unix::Confinement;
#[cfg(windows)]
use windows::Confinement;

fn describe(
    ending: Option<Ending>,
    status: Option<std::process::ExitStatus>,
) -> (Ending, Option<i32>, Option<i32>) {
    #[cfg(unix)]
    let signal = status.and_then(|s| std::os::unix::process::ExitStatusExt::signal(&s));
    #[cfg(not(unix))]
    let signal: Option<i32> = None;
    let code = status.and_then(|s| s.code());
    let ending = ending.unwrap_or(if signal.is_some() {
        Ending::Signaled
    } else {
        Ending::Exited
    });
    (ending, code, signal)
}

fn canonical_dir(path: &Path) -> Result<PathBuf, SandboxError> {
    let canonical = path
        .canonicalize()
        .map_err(|source| SandboxError::Directory {
            path: path.to_path_buf(),
            source,
        })?;
    if canonical.is_dir() {
        Ok(canonical)
    } else {
        Err(SandboxError::Directory {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "to nie jest katalog"),
        })
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod other_unix {
    //! Other Unix systems: a process group and rlimits only.
    use super::Support;

    pub(super) struct Confinement;
    pub(super) struct Guard(Option<u32>);

    pub(super) fn confine(_command: &mut tokio::process::Command) -> Confinement {
        Confinement
    }

    impl Confinement {
        pub(super) fn attach(&self, child: &tokio::process::Child) -> Guard {
            Guard(child.id())
        }
        pub(super) fn support(&self) -> Support {
            super::support()
        }
    }

    impl Guard {
        pub(super) fn kill_all(&self) {}
        pub(super) fn out_of_memory(&self) -> bool {
            false
        }
    }
}
