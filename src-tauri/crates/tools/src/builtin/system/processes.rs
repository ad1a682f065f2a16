//! `process_list {process?, sort?, limit?}`: running processes, filtered by name and sorted.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// How to order the list.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Sort {
    /// Highest CPU first.
    #[default]
    Cpu,
    /// Most memory first.
    Memory,
    /// By name.
    Name,
    /// By process id.
    Pid,
}

/// Arguments of `process_list`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Fragment nazwy albo polecenia procesu (name or command fragment)
    #[serde(default)]
    process: Option<String>,
    /// cpu | memory | name | pid (domyślnie cpu)
    #[serde(default)]
    sort: Sort,
    /// Najwięcej pozycji (most rows, default 50)
    #[serde(default)]
    #[schemars(range(min = 1, max = 5000))]
    limit: Option<usize>,
}

/// One process.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ProcessInfo {
    /// Process id.
    pub pid: u32,
    /// Executable name.
    pub name: String,
    /// Command line.
    pub command: String,
    /// CPU use in percent of one core.
    pub cpu_percent: f32,
    /// Resident memory in bytes.
    pub memory_bytes: u64,
    /// Run state.
    pub status: String,
}

/// Every process now, with CPU measured over a short interval.
pub fn snapshot() -> Vec<ProcessInfo> {
    let mut sys = System::new();
    let kind = ProcessRefreshKind::nothing()
        .with_cpu()
        .with_memory()
        .with_cmd(UpdateKind::OnlyIfNotSet);
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
    std::thread::sleep(
        sysinfo::MINIMUM_CPU_UPDATE_INTERVAL.max(std::time::Duration::from_millis(200)),
    );
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
    sys.processes()
        .iter()
        .map(|(pid, p)| ProcessInfo {
            pid: pid.as_u32(),
            name: p.name().to_string_lossy().into_owned(),
            command: p
                .cmd()
                .iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            cpu_percent: p.cpu_usage(),
            memory_bytes: p.memory(),
            status: p.status().to_string(),
        })
        .collect()
}

/// True when `pid` is a live process (a zombie or dead one is not).
pub fn is_running(pid: u32) -> bool {
    let mut sys = System::new();
    let pid = sysinfo::Pid::from_u32(pid);
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    sys.process(pid).is_some_and(|p| {
        !matches!(
            p.status(),
            sysinfo::ProcessStatus::Zombie | sysinfo::ProcessStatus::Dead
        )
    })
}

/// True when `process` names `info` (name or command, case-insensitive).
pub fn matches(info: &ProcessInfo, process: &str) -> bool {
    let wanted = process.to_lowercase();
    info.name.to_lowercase().contains(&wanted) || info.command.to_lowercase().contains(&wanted)
}

/// The processes `process_list` found.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Processes {
    /// Sorted as asked, at most `limit`.
    pub processes: Vec<ProcessInfo>,
    /// How many matched in all.
    pub total: usize,
}

/// Lists processes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessList;

impl TypedTool for ProcessList {
    type Args = Args;
    type Output = Processes;
    const NAME: &'static str = "process_list";
    const DESCRIPTION_PL: &'static str = "Wypisuje działające procesy (PID, nazwa, CPU, pamięć), opcjonalnie tylko pasujące do nazwy";
    const DESCRIPTION_EN: &'static str =
        "Lists running processes (PID, name, CPU, memory), optionally only those matching a name";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Processes) -> Vec<String> {
        let header = format!("{:>8}  {:>6}  {:>10}  NAZWA", "PID", "CPU%", "PAMIĘĆ");
        let rows = output.processes.iter().map(|p| {
            format!(
                "{:>8}  {:>6.1}  {:>10}  {}",
                p.pid,
                p.cpu_percent,
                format!("{} MiB", p.memory_bytes / (1024 * 1024)),
                p.name
            )
        });
        std::iter::once(header).chain(rows).collect()
    }
    async fn run(&self, args: Args, _ctx: ToolContext) -> ToolResult<Processes> {
        let mut list = tokio::task::spawn_blocking(snapshot).await.map_err(|e| {
            ToolError::new(
                format!("Odczyt procesów przerwany: {e}"),
                "Spróbuj ponownie.",
            )
        })?;
        if let Some(process) = &args.process {
            list.retain(|p| matches(p, process));
        }
        match args.sort {
            Sort::Cpu => list.sort_by(|a, b| b.cpu_percent.total_cmp(&a.cpu_percent)),
            Sort::Memory => list.sort_by_key(|p| std::cmp::Reverse(p.memory_bytes)),
            Sort::Name => list.sort_by(|a, b| a.name.cmp(&b.name)),
            Sort::Pid => list.sort_by_key(|p| p.pid),
        }
        let total = list.len();
        list.truncate(args.limit.unwrap_or(50));
        let summary = match &args.process {
            Some(name) if total == 0 => {
                format!("Nie działa żaden proces pasujący do „{name}”.")
            }
            Some(name) => format!("Procesy pasujące do „{name}”: {total}."),
            None => format!("Działających procesów: {total}; pokazano {}.", list.len()),
        };
        Ok(ToolOutput {
            summary,
            data: Processes {
                processes: list,
                total,
            },
        })
    }
}
