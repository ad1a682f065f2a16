//! System tools: the machine's state (CPU, memory, disks, network, load) and its processes.

mod kill;
mod processes;
mod status;

pub use kill::ProcessKill;
pub use processes::{is_running, snapshot, ProcessList};
pub use status::{full_report, SystemStatus};

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Bytes as GiB with one decimal, Polish style.
fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / GIB).replace('.', ",")
}
