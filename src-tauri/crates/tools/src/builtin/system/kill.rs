//! `process_kill {pid? | process?, grace_s?}`: SIGTERM, then SIGKILL after a grace period;
//! never DARK8 itself, its parent or PID 1.

use std::time::{Duration, Instant};

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, Signal, System};

use super::processes::{is_running, matches, snapshot};
use crate::builtin::polish::count;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `process_kill`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Numer procesu (process id)
    #[serde(default)]
    #[schemars(range(min = 1))]
    pid: Option<u32>,
    /// Nazwa procesu; kończy wszystkie pasujące (name; ends every match)
    #[serde(default)]
    #[schemars(length(min = 1))]
    process: Option<String>,
    /// Sekundy między SIGTERM a SIGKILL (grace period, default 5)
    #[serde(default)]
    #[schemars(range(min = 0, max = 120))]
    grace_s: Option<u64>,
}

/// One process `process_kill` ended.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct EndedProcess {
    /// Its id.
    pub pid: u32,
    /// Its name.
    pub name: String,
    /// How it ended, in Polish ("zakończony (SIGTERM)", ...).
    pub how: String,
}

/// What `process_kill` did.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Ended {
    /// Every process it ended.
    pub ended: Vec<EndedProcess>,
}

/// Ends processes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessKill;

/// Ends `pid`: SIGTERM, wait up to `grace`, then SIGKILL. Says how it ended.
fn end(pid: u32, grace: Duration) -> Result<&'static str, ToolError> {
    let pid = Pid::from_u32(pid);
    if !is_running(pid.as_u32()) {
        return Err(ToolError::new(
            format!("Nie ma procesu o numerze {pid}."),
            "Sprawdź numer: `dark8 tools call process_list`.",
        ));
    }
    let mut sys = System::new();
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    let sent = sys
        .process(pid)
        .and_then(|p| p.kill_with(Signal::Term).or_else(|| Some(p.kill())))
        .unwrap_or(false);
    if !sent {
        return Err(ToolError::new(
            format!("Nie można zakończyć procesu {pid} (brak uprawnień?)."),
            "Proces innego użytkownika kończy administrator.",
        ));
    }
    let started = Instant::now();
    while started.elapsed() < grace {
        if !is_running(pid.as_u32()) {
            return Ok("zakończony (SIGTERM)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if let Some(process) = sys.process(pid) {
        process.kill();
    }
    std::thread::sleep(Duration::from_millis(100));
    if is_running(pid.as_u32()) {
        Err(ToolError::new(
            format!("Proces {pid} nie zakończył się nawet po SIGKILL."),
            "Może czekać na dysk albo sieć (stan D); spróbuj za chwilę.",
        ))
    } else {
        Ok("zabity (SIGKILL po czasie łaski)")
    }
}

/// The pids `process_kill` must never end.
fn protected() -> Vec<u32> {
    let own = std::process::id();
    let mut sys = System::new();
    let me = Pid::from_u32(own);
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[me]),
        true,
        ProcessRefreshKind::nothing(),
    );
    let parent = sys.process(me).and_then(|p| p.parent()).map(|p| p.as_u32());
    [Some(1), Some(own), parent].into_iter().flatten().collect()
}

impl TypedTool for ProcessKill {
    type Args = Args;
    type Output = Ended;
    const NAME: &'static str = "process_kill";
    const DESCRIPTION_PL: &'static str = "Kończy proces po numerze albo nazwie: najpierw SIGTERM, po czasie łaski SIGKILL (wymaga zgody)";
    const DESCRIPTION_EN: &'static str = "Ends a process by id or name: SIGTERM first, SIGKILL after a grace period (needs approval)";
    const RISK: RiskClass = RiskClass::Execute;
    async fn run(&self, args: Args, _ctx: ToolContext) -> ToolResult<Ended> {
        let grace = Duration::from_secs(args.grace_s.unwrap_or(5));
        let ended = tokio::task::spawn_blocking(move || {
            let protected = protected();
            let pids: Vec<(u32, String)> = match (&args.pid, &args.process) {
                (Some(pid), _) => vec![(*pid, pid.to_string())],
                (None, Some(name)) => snapshot()
                    .into_iter()
                    .filter(|p| matches(p, name) && !protected.contains(&p.pid))
                    .map(|p| (p.pid, p.name))
                    .collect(),
                (None, None) => {
                    return Err(ToolError::new(
                        "Podaj pid albo nazwę procesu.",
                        "Np. {\"process\": \"python\"} albo {\"pid\": 4242}.",
                    ))
                }
            };
            if pids.is_empty() {
                return Err(ToolError::new(
                    format!(
                        "Nie działa żaden proces pasujący do „{}”.",
                        args.process.unwrap_or_default()
                    ),
                    "Sprawdź nazwę: `dark8 tools call process_list`.",
                ));
            }
            let mut ended = Vec::new();
            for (pid, name) in pids {
                if protected.contains(&pid) {
                    return Err(ToolError::new(
                        format!("Nie zakończę procesu {pid}: to DARK8, jego rodzic albo init."),
                        "Wybierz inny proces.",
                    ));
                }
                let how = end(pid, grace)?;
                ended.push(EndedProcess {
                    pid,
                    name,
                    how: how.to_owned(),
                });
            }
            Ok(ended)
        })
        .await
        .map_err(|e| ToolError::new(format!("Przerwano: {e}"), "Spróbuj ponownie."))??;
        let summary = match ended.as_slice() {
            [one] => format!("Proces {} ({}) {}.", one.pid, one.name, one.how),
            many => format!(
                "Zakończono {}.",
                count(many.len(), "proces", "procesy", "procesów")
            ),
        };
        Ok(ToolOutput {
            summary,
            data: Ended { ended },
        })
    }
}
