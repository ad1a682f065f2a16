//! Resource limits set in the child before it runs the program.

use nix::sys::resource::{setrlimit, Resource};

use crate::sandbox::Limits;

const MIB: u64 = 1024 * 1024;

/// The rlimits of a run, computed in the parent (the child only applies them).
#[derive(Debug, Clone, Copy)]
pub(super) struct Rlimits {
    cpu_s: u64,
    address_space: u64,
    processes: Option<u64>,
    file_size: u64,
}

impl Rlimits {
    /// From the run's limits; `processes` already counts the user's existing tasks (the
    /// kernel counts them all), `None` leaves it to a cgroup.
    pub(super) fn new(limits: &Limits, processes: Option<u64>) -> Rlimits {
        Rlimits {
            cpu_s: limits.cpu_s.max(1),
            address_space: limits.memory_mib.max(16).saturating_mul(MIB),
            processes,
            file_size: limits.file_size_mib.max(1).saturating_mul(MIB),
        }
    }

    /// Applies them to the calling process (the child, between fork and exec). The CPU limit's
    /// hard value is one second above the soft one: SIGXCPU first, SIGKILL after.
    pub(super) fn apply(&self) -> std::io::Result<()> {
        setrlimit(
            Resource::RLIMIT_CPU,
            self.cpu_s,
            self.cpu_s.saturating_add(1),
        )?;
        setrlimit(Resource::RLIMIT_AS, self.address_space, self.address_space)?;
        setrlimit(Resource::RLIMIT_FSIZE, self.file_size, self.file_size)?;
        if let Some(processes) = self.processes {
            setrlimit(Resource::RLIMIT_NPROC, processes, processes)?;
        }
        Ok(())
    }
}

/// How many tasks (processes and threads) the user `uid` has now: RLIMIT_NPROC counts them all,
/// so a run's limit is this plus what the run may add.
pub(super) fn user_tasks(uid: u32) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut count = 0u64;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if entry.metadata().is_ok_and(|m| m.uid() == uid) {
            let threads = std::fs::read_dir(entry.path().join("task"))
                .map(|t| t.count() as u64)
                .unwrap_or(1);
            count += threads.max(1);
        }
    }
    count
}
