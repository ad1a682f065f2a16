//! Background jobs: `process_spawn {command, cwd?}` starts a shell line in the sandbox in the
//! background with its output going to a log file; `process_logs {job, tail_lines?}` reads it
//! and says whether the job still runs. Jobs live in `<data dir>/jobs/`.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::sandbox::{self, SandboxConfig};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Most of a log `process_logs` returns.
const MAX_LOG_BYTES: u64 = 256 * 1024;

/// A job as recorded on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct JobRecord {
    id: String,
    pid: u32,
    command: String,
    cwd: PathBuf,
    started_at: String,
    log: PathBuf,
}

fn jobs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("jobs")
}

fn io(what: &str, err: &std::io::Error) -> ToolError {
    ToolError::new(
        format!("Zadanie w tle: {what}: {err}."),
        "Sprawdź katalog danych DARK8 (`dark8 doctor`).",
    )
}

/// Reserves the next job id (`job-1`, `job-2`, ...) by creating its record file.
fn reserve(dir: &Path) -> Result<(String, std::fs::File), ToolError> {
    std::fs::create_dir_all(dir).map_err(|e| io("katalog zadań", &e))?;
    for n in 1..100_000u32 {
        let id = format!("job-{n}");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(format!("{id}.json")))
        {
            Ok(file) => return Ok((id, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io("zapis zadania", &e)),
        }
    }
    Err(ToolError::new(
        "Za dużo zadań w tle.",
        "Usuń stare zadania z katalogu jobs w katalogu danych.",
    ))
}

/// Arguments of `process_spawn`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct SpawnArgs {
    /// Polecenie powłoki uruchamiane w tle, np. "python -m http.server 8000" (shell line)
    #[schemars(length(min = 1, max = 65536))]
    #[tool(command)]
    command: String,
    /// Katalog roboczy (working directory inside the workspace)
    #[serde(default)]
    #[tool(path)]
    cwd: Option<String>,
    /// Czy zadanie potrzebuje sieci, np. serwer (needs the network, e.g. a server)
    #[serde(default)]
    network: bool,
}

/// Starts background jobs.
#[derive(Debug, Clone)]
pub struct ProcessSpawn {
    sandbox: SandboxConfig,
    data_dir: PathBuf,
}

impl ProcessSpawn {
    /// Jobs recorded under `data_dir/jobs`.
    pub fn new(sandbox: SandboxConfig, data_dir: PathBuf) -> ProcessSpawn {
        ProcessSpawn { sandbox, data_dir }
    }
}

impl TypedTool for ProcessSpawn {
    type Args = SpawnArgs;
    type Output = Spawned;
    const NAME: &'static str = "process_spawn";
    const DESCRIPTION_PL: &'static str = "Uruchamia polecenie w tle w piaskownicy (np. serwer deweloperski); wyjście trafia do dziennika, który czyta process_logs";
    const DESCRIPTION_EN: &'static str = "Starts a command in the background in the sandbox (e.g. a dev server); its output goes to a log process_logs reads";
    const RISK: RiskClass = RiskClass::Execute;
    fn risks(&self, args: &SpawnArgs) -> Vec<RiskClass> {
        super::shell_run::shell_risks(args.network)
    }
    async fn run(&self, args: SpawnArgs, ctx: ToolContext) -> ToolResult<Spawned> {
        let dir = jobs_dir(&self.data_dir);
        let (id, record_file) = reserve(&dir)?;
        let log_path = dir.join(format!("{id}.log"));
        let temp = dir.join(format!("{id}.tmp"));
        std::fs::create_dir_all(&temp).map_err(|e| io("katalog tymczasowy", &e))?;
        let log = std::fs::File::create(&log_path).map_err(|e| io("dziennik", &e))?;
        let spec = super::shell_run::shell_spec(
            &ctx,
            &self.sandbox,
            &args.command,
            args.cwd.as_deref(),
            args.network,
        )?;
        let pid = sandbox::spawn_detached(&spec, log, &temp).map_err(|err| {
            let _ = std::fs::remove_file(dir.join(format!("{id}.json")));
            ToolError::new(
                format!("Nie uruchomiono zadania: {err}."),
                "Sprawdź polecenie i `dark8 doctor`.",
            )
        })?;
        let record = JobRecord {
            id: id.clone(),
            pid,
            command: args.command.clone(),
            cwd: spec.cwd.clone(),
            started_at: dark8_store::now_rfc3339(),
            log: log_path.clone(),
        };
        serde_json::to_writer_pretty(record_file, &record).map_err(|e| {
            ToolError::new(
                format!("Nie zapisano zadania: {e}."),
                "Sprawdź katalog danych DARK8.",
            )
        })?;
        Ok(ToolOutput {
                summary: format!(
                    "Uruchomiono w tle {id} (PID {pid}). Wyjście: `dark8 tools call process_logs --args '{{\"job\":\"{id}\"}}'`."
                ),
                data: Spawned {
                    job: id,
                    pid,
                    log: log_path,
                },
            })
    }
}

/// The job `process_spawn` started.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Spawned {
    /// Its id, for `process_logs`.
    pub job: String,
    /// Its process id.
    pub pid: u32,
    /// Its output file.
    pub log: PathBuf,
}

/// A background job's state and output (`process_logs`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct JobLog {
    /// Its id.
    pub job: String,
    /// Its process id.
    pub pid: u32,
    /// Whether it still runs.
    pub running: bool,
    /// The last lines of its output.
    pub output: String,
    /// The shell line it runs.
    pub command: String,
}

/// Arguments of `process_logs`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct LogsArgs {
    /// Identyfikator zadania, np. "job-1" (job id)
    #[schemars(regex(pattern = r"^job-[0-9]+$"))]
    job: String,
    /// Ile ostatnich linii (how many last lines, default 100)
    #[serde(default)]
    #[schemars(range(min = 1, max = 10000))]
    tail_lines: Option<usize>,
}

/// Reads a job's log: jobs recorded under `data_dir/jobs`.
#[derive(Debug, Clone)]
pub struct ProcessLogs(pub PathBuf);

/// The last `lines` lines of the file's last `MAX_LOG_BYTES`.
fn tail(path: &Path, lines: usize) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    file.seek(SeekFrom::Start(len.saturating_sub(MAX_LOG_BYTES)))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let all: Vec<&str> = text.lines().collect();
    Ok(all[all.len().saturating_sub(lines)..].join("\n"))
}

impl TypedTool for ProcessLogs {
    type Args = LogsArgs;
    type Output = JobLog;
    const NAME: &'static str = "process_logs";
    const DESCRIPTION_PL: &'static str =
        "Pokazuje ostatnie linie wyjścia zadania w tle (process_spawn) i czy wciąż działa";
    const DESCRIPTION_EN: &'static str =
        "Shows the last output lines of a background job (process_spawn) and whether it still runs";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &JobLog) -> Vec<String> {
        crate::text::lines(&output.output)
    }
    async fn run(&self, args: LogsArgs, _ctx: ToolContext) -> ToolResult<JobLog> {
        let log = job_log(&self.0, &args.job, args.tail_lines.unwrap_or(100))?;
        Ok(ToolOutput {
            summary: format!(
                "{} (PID {}): {}; polecenie: {}",
                log.job,
                log.pid,
                if log.running {
                    "działa"
                } else {
                    "zakończone"
                },
                log.command
            ),
            data: log,
        })
    }
}

/// A background job as the dashboard lists it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct JobSummary {
    /// Its id (`job-N`).
    pub job: String,
    /// Its process id.
    pub pid: u32,
    /// The shell line it runs.
    pub command: String,
    /// Its working directory.
    pub cwd: PathBuf,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// Whether it still runs.
    pub running: bool,
    /// Its output's size in bytes.
    pub log_bytes: u64,
}

/// The job number of `job-N`, for ordering.
fn job_number(id: &str) -> u64 {
    id.strip_prefix("job-")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Every background job recorded under `data_dir/jobs`, the newest first. A record that
/// cannot be read (one being written right now, or damaged) is left out.
pub fn list_jobs(data_dir: &Path) -> Vec<JobSummary> {
    let Ok(entries) = std::fs::read_dir(jobs_dir(data_dir)) else {
        return Vec::new();
    };
    let mut jobs: Vec<JobSummary> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| serde_json::from_str::<JobRecord>(&text).ok())
        .map(|record| JobSummary {
            running: crate::builtin::system::is_running(record.pid),
            log_bytes: std::fs::metadata(&record.log).map_or(0, |m| m.len()),
            job: record.id,
            pid: record.pid,
            command: record.command,
            cwd: record.cwd,
            started_at: record.started_at,
        })
        .collect();
    jobs.sort_by_key(|job| std::cmp::Reverse(job_number(&job.job)));
    jobs
}

/// Whether `job` names a job id (`job-N`), so it can name no path outside the jobs folder.
fn is_job_id(job: &str) -> bool {
    job.strip_prefix("job-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether background job `job` is recorded under `data_dir/jobs`.
pub fn job_exists(data_dir: &Path, job: &str) -> bool {
    is_job_id(job) && jobs_dir(data_dir).join(format!("{job}.json")).is_file()
}

/// The state and the last `lines` lines of output of background job `job`.
pub fn job_log(data_dir: &Path, job: &str, lines: usize) -> Result<JobLog, ToolError> {
    let known = is_job_id(job);
    let missing = || {
        ToolError::new(
            format!("Nie ma zadania {job}."),
            "Zadania uruchamia process_spawn; jego wynik podaje identyfikator.",
        )
    };
    if !known {
        return Err(missing());
    }
    let text = std::fs::read_to_string(jobs_dir(data_dir).join(format!("{job}.json")))
        .map_err(|_| missing())?;
    let record: JobRecord = serde_json::from_str(&text).map_err(|e| {
        ToolError::new(
            format!("Uszkodzony zapis zadania: {e}."),
            "Uruchom zadanie ponownie.",
        )
    })?;
    let output = tail(&record.log, lines.max(1)).map_err(|e| io("dziennik", &e))?;
    Ok(JobLog {
        running: crate::builtin::system::is_running(record.pid),
        job: record.id,
        pid: record.pid,
        output,
        command: record.command,
    })
}
