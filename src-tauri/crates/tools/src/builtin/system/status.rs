//! `system_status {resource?: cpu|memory|disk|network|all}`: per-core CPU, memory and swap,
//! disks, network counters and load, from sysinfo.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use sysinfo::{Disks, Networks, System};

use super::gib;
use crate::builtin::polish::count;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolOutput};

/// Which part of the machine to report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Resource {
    /// Processor: per core and overall.
    Cpu,
    /// Memory and swap.
    Memory,
    /// Disks: size and free space.
    Disk,
    /// Network interfaces: bytes received and sent.
    Network,
    /// Everything.
    #[default]
    All,
}

/// Arguments of `system_status`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// cpu | memory | disk | network | all (domyślnie all)
    #[serde(default)]
    resource: Resource,
}

/// One core.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CoreReport {
    /// Its name (`cpu0`, ...).
    pub name: String,
    /// Busy share, percent.
    pub usage_percent: f32,
    /// Clock, MHz.
    pub frequency_mhz: u64,
}

/// Load averages over 1, 5 and 15 minutes.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct LoadReport {
    /// Over one minute.
    pub one: f64,
    /// Over five minutes.
    pub five: f64,
    /// Over fifteen minutes.
    pub fifteen: f64,
}

/// The processor.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CpuReport {
    /// Busy share over every core, percent.
    pub usage_percent: f32,
    /// Each core.
    pub cores: Vec<CoreReport>,
    /// Load averages.
    pub load: LoadReport,
}

/// Memory and swap, in bytes.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct MemoryReport {
    /// Installed.
    pub total_bytes: u64,
    /// In use.
    pub used_bytes: u64,
    /// Available for new programs.
    pub available_bytes: u64,
    /// Swap in all.
    pub swap_total_bytes: u64,
    /// Swap in use.
    pub swap_used_bytes: u64,
}

/// One mounted disk.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct DiskReport {
    /// Device name.
    pub name: String,
    /// Where it is mounted.
    pub mount_point: PathBuf,
    /// File system.
    pub file_system: String,
    /// Size, bytes.
    pub total_bytes: u64,
    /// Free for the user, bytes.
    pub available_bytes: u64,
    /// Whether it is removable.
    pub removable: bool,
}

/// One network interface's counters since boot.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct InterfaceReport {
    /// Its name.
    pub interface: String,
    /// Bytes received.
    pub received_bytes: u64,
    /// Bytes sent.
    pub transmitted_bytes: u64,
}

/// The machine's state (`system_status`): the parts asked for.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// The processor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuReport>,
    /// Memory and swap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemoryReport>,
    /// Disks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disks: Option<Vec<DiskReport>>,
    /// Network interfaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Vec<InterfaceReport>>,
}

/// Reports the machine's state.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemStatus;

fn cpu() -> (CpuReport, String) {
    let mut sys = System::new();
    sys.refresh_cpu_usage();
    std::thread::sleep(
        sysinfo::MINIMUM_CPU_UPDATE_INTERVAL.max(std::time::Duration::from_millis(200)),
    );
    sys.refresh_cpu_usage();
    let cores: Vec<CoreReport> = sys
        .cpus()
        .iter()
        .map(|c| CoreReport {
            name: c.name().to_owned(),
            usage_percent: c.cpu_usage(),
            frequency_mhz: c.frequency(),
        })
        .collect();
    let load = System::load_average();
    let usage = sys.global_cpu_usage();
    let line = format!(
        "Procesor: {usage:.0}% ({}), obciążenie {:.2} / {:.2} / {:.2}",
        count(cores.len(), "rdzeń", "rdzenie", "rdzeni"),
        load.one,
        load.five,
        load.fifteen
    );
    let report = CpuReport {
        usage_percent: usage,
        cores,
        load: LoadReport {
            one: load.one,
            five: load.five,
            fifteen: load.fifteen,
        },
    };
    (report, line)
}

fn memory() -> (MemoryReport, String) {
    let mut sys = System::new();
    sys.refresh_memory();
    let line = format!(
        "Pamięć: zajęte {} z {} (dostępne {}), swap {} z {}",
        gib(sys.used_memory()),
        gib(sys.total_memory()),
        gib(sys.available_memory()),
        gib(sys.used_swap()),
        gib(sys.total_swap())
    );
    let report = MemoryReport {
        total_bytes: sys.total_memory(),
        used_bytes: sys.used_memory(),
        available_bytes: sys.available_memory(),
        swap_total_bytes: sys.total_swap(),
        swap_used_bytes: sys.used_swap(),
    };
    (report, line)
}

fn disks() -> (Vec<DiskReport>, String) {
    let disks = Disks::new_with_refreshed_list();
    let mut lines = Vec::new();
    let list: Vec<DiskReport> = disks
        .iter()
        .map(|d| {
            lines.push(format!(
                "Dysk {}: wolne {} z {}",
                d.mount_point().display(),
                gib(d.available_space()),
                gib(d.total_space())
            ));
            DiskReport {
                name: d.name().to_string_lossy().into_owned(),
                mount_point: d.mount_point().to_path_buf(),
                file_system: d.file_system().to_string_lossy().into_owned(),
                total_bytes: d.total_space(),
                available_bytes: d.available_space(),
                removable: d.is_removable(),
            }
        })
        .collect();
    let line = if lines.is_empty() {
        "Dyski: nie znaleziono żadnego".to_owned()
    } else {
        lines.join("\n")
    };
    (list, line)
}

fn network() -> (Vec<InterfaceReport>, String) {
    let networks = Networks::new_with_refreshed_list();
    let list: Vec<InterfaceReport> = networks
        .iter()
        .map(|(name, data)| InterfaceReport {
            interface: name.clone(),
            received_bytes: data.total_received(),
            transmitted_bytes: data.total_transmitted(),
        })
        .collect();
    let line = format!(
        "Sieć: {}",
        count(list.len(), "interfejs", "interfejsy", "interfejsów")
    );
    (list, line)
}

/// The parts of the report `resource` asks for, with their Polish lines.
/// Everything `system_status` can report, at once (the dashboard's monitors); blocks for the
/// CPU sampling interval (about 200 ms).
pub fn full_report() -> Report {
    Report {
        cpu: Some(cpu().0),
        memory: Some(memory().0),
        disks: Some(disks().0),
        network: Some(network().0),
    }
}

fn report(resource: Resource) -> (Report, String) {
    let wanted = |r: Resource| resource == r || resource == Resource::All;
    let mut report = Report::default();
    let mut lines = Vec::new();
    if wanted(Resource::Cpu) {
        let (part, line) = cpu();
        report.cpu = Some(part);
        lines.push(line);
    }
    if wanted(Resource::Memory) {
        let (part, line) = memory();
        report.memory = Some(part);
        lines.push(line);
    }
    if wanted(Resource::Disk) {
        let (part, line) = disks();
        report.disks = Some(part);
        lines.push(line);
    }
    if wanted(Resource::Network) {
        let (part, line) = network();
        report.network = Some(part);
        lines.push(line);
    }
    (report, lines.join("\n"))
}

impl TypedTool for SystemStatus {
    type Args = Args;
    type Output = Report;
    const NAME: &'static str = "system_status";
    const DESCRIPTION_PL: &'static str = "Stan komputera: procesor (na rdzeń), pamięć i swap, dyski (wolne miejsce), sieć, obciążenie";
    const DESCRIPTION_EN: &'static str =
        "Machine state: CPU (per core), memory and swap, disks (free space), network, load";
    const RISK: RiskClass = RiskClass::Read;
    async fn run(&self, args: Args, _ctx: ToolContext) -> ToolResult<Report> {
        let resource = args.resource;
        let (data, summary) = tokio::task::spawn_blocking(move || report(resource))
            .await
            .map_err(|e| {
                crate::ToolError::new(
                    format!("Odczyt stanu systemu przerwany: {e}"),
                    "Spróbuj ponownie.",
                )
            })?;
        Ok(ToolOutput { summary, data })
    }
}
