//! `system_status {resource?: cpu|memory|disk|network|all}`: per-core CPU, memory and swap,
//! disks, network counters and load, from sysinfo.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
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

/// One part of the report: its data and its Polish line.
type Probe = fn() -> (Value, String);

/// Reports the machine's state.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemStatus;

fn cpu() -> (Value, String) {
    let mut sys = System::new();
    sys.refresh_cpu_usage();
    std::thread::sleep(
        sysinfo::MINIMUM_CPU_UPDATE_INTERVAL.max(std::time::Duration::from_millis(200)),
    );
    sys.refresh_cpu_usage();
    let cores: Vec<Value> = sys
        .cpus()
        .iter()
        .map(|c| json!({"name": c.name(), "usage_percent": c.cpu_usage(), "frequency_mhz": c.frequency()}))
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
    (
        json!({"usage_percent": usage, "cores": cores, "load": {"one": load.one, "five": load.five, "fifteen": load.fifteen}}),
        line,
    )
}

fn memory() -> (Value, String) {
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
    (
        json!({
            "total_bytes": sys.total_memory(),
            "used_bytes": sys.used_memory(),
            "available_bytes": sys.available_memory(),
            "swap_total_bytes": sys.total_swap(),
            "swap_used_bytes": sys.used_swap(),
        }),
        line,
    )
}

fn disks() -> (Value, String) {
    let disks = Disks::new_with_refreshed_list();
    let mut lines = Vec::new();
    let list: Vec<Value> = disks
        .iter()
        .map(|d| {
            lines.push(format!(
                "Dysk {}: wolne {} z {}",
                d.mount_point().display(),
                gib(d.available_space()),
                gib(d.total_space())
            ));
            json!({
                "name": d.name().to_string_lossy(),
                "mount_point": d.mount_point(),
                "file_system": d.file_system().to_string_lossy(),
                "total_bytes": d.total_space(),
                "available_bytes": d.available_space(),
                "removable": d.is_removable(),
            })
        })
        .collect();
    let line = if lines.is_empty() {
        "Dyski: nie znaleziono żadnego".to_owned()
    } else {
        lines.join("\n")
    };
    (Value::Array(list), line)
}

fn network() -> (Value, String) {
    let networks = Networks::new_with_refreshed_list();
    let list: Vec<Value> = networks
        .iter()
        .map(|(name, data)| {
            json!({"interface": name, "received_bytes": data.total_received(), "transmitted_bytes": data.total_transmitted()})
        })
        .collect();
    let line = format!(
        "Sieć: {}",
        count(list.len(), "interfejs", "interfejsy", "interfejsów")
    );
    (Value::Array(list), line)
}

impl TypedTool for SystemStatus {
    type Args = Args;
    type Output = Value;
    const NAME: &'static str = "system_status";
    const DESCRIPTION_PL: &'static str = "Stan komputera: procesor (na rdzeń), pamięć i swap, dyski (wolne miejsce), sieć, obciążenie";
    const DESCRIPTION_EN: &'static str =
        "Machine state: CPU (per core), memory and swap, disks (free space), network, load";
    const RISK: RiskClass = RiskClass::Read;
    async fn run(&self, args: Args, _ctx: ToolContext) -> ToolResult<Value> {
        let resource = args.resource;
        let report = tokio::task::spawn_blocking(move || {
            let mut data = serde_json::Map::new();
            let mut lines = Vec::new();
            let wanted = |r: Resource| resource == r || resource == Resource::All;
            let parts: [(Resource, &str, Probe); 4] = [
                (Resource::Cpu, "cpu", cpu),
                (Resource::Memory, "memory", memory),
                (Resource::Disk, "disks", disks),
                (Resource::Network, "network", network),
            ];
            for (kind, key, probe) in parts {
                if wanted(kind) {
                    let (value, line) = probe();
                    data.insert(key.to_owned(), value);
                    lines.push(line);
                }
            }
            (Value::Object(data), lines.join("\n"))
        })
        .await
        .map_err(|e| {
            crate::ToolError::new(
                format!("Odczyt stanu systemu przerwany: {e}"),
                "Spróbuj ponownie.",
            )
        })?;
        Ok(ToolOutput {
            summary: report.1,
            data: report.0,
        })
    }
}
