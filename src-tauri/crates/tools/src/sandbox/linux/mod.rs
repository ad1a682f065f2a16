//! Linux confinement: everything is prepared in the parent (Landlock ruleset, seccomp program,
//! limits, cgroup) and the child, between fork and exec, only applies it with a few syscalls.

mod cgroup;
mod landlock_rules;
mod rlimits;
mod seccomp;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use landlock::RulesetCreated;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use tokio::process::{Child, Command};

use self::cgroup::{CgroupLimits, RunCgroup};
use self::rlimits::Rlimits;
use super::{SandboxError, SandboxSpec, Support};

/// What this machine supports.
pub(super) fn support() -> Support {
    let root = nix::unistd::geteuid().is_root();
    Support {
        landlock_abi: landlock_rules::abi_version(),
        seccomp: seccomp::filter(false).is_ok(),
        process_limit: if !root {
            "rlimit".to_owned()
        } else if cgroup::pids_available() {
            "cgroup".to_owned()
        } else {
            "none".to_owned()
        },
        memory_limit: cgroup::memory_mechanism()
            .map_or("rlimit", cgroup::MemoryMechanism::name)
            .to_owned(),
    }
}

/// The confinement of one run, prepared before spawning.
pub(super) struct Confinement {
    cgroup: Option<Arc<RunCgroup>>,
    support: Support,
}

/// Kills what a run left behind: its process group and its cgroup.
pub(super) struct Guard {
    pgid: Option<i32>,
    cgroup: Option<Arc<RunCgroup>>,
}

/// Prepares `command` to run confined by `spec`.
pub(super) fn confine(
    command: &mut Command,
    writable: &[PathBuf],
    hidden: &[PathBuf],
    spec: &SandboxSpec,
    detached: bool,
) -> Result<Confinement, SandboxError> {
    let mut support = support();
    let ruleset = if spec.confine_file_system {
        landlock_rules::ruleset(writable, hidden).map_err(SandboxError::Setup)?
    } else {
        support.landlock_abi = None;
        None
    };
    let ruleset: Arc<Mutex<Option<RulesetCreated>>> = Arc::new(Mutex::new(ruleset));
    let filter = match seccomp::filter(spec.network) {
        Ok(filter) => Some(filter),
        Err(err) if spec.network => {
            tracing::warn!("seccomp unavailable, limits not locked: {err}");
            support.seccomp = false;
            None
        }
        // No network was promised: refuse to run rather than run with it.
        Err(err) => return Err(SandboxError::Setup(err)),
    };
    let root = nix::unistd::geteuid().is_root();
    let cgroup_limits = CgroupLimits {
        memory_bytes: Some(spec.limits.resident_cap_mib().saturating_mul(1024 * 1024)),
        processes: root.then_some(spec.limits.processes.max(1)),
    };
    // A detached run outlives this process: its cgroup stays until the job has ended.
    let cgroup = if detached {
        RunCgroup::create_for_job(cgroup_limits)
    } else {
        RunCgroup::create(cgroup_limits)
    }
    .map(Arc::new);
    let memory = cgroup.as_ref().and_then(|c| c.memory());
    support.memory_limit = memory
        .map_or("rlimit", cgroup::MemoryMechanism::name)
        .to_owned();
    if root && !cgroup.as_ref().is_some_and(|c| c.caps_processes()) {
        support.process_limit = "none".to_owned();
    }
    let processes = (!root).then(|| {
        rlimits::user_tasks(nix::unistd::getuid().as_raw()).saturating_add(spec.limits.processes)
    });
    let limits = Rlimits::new(&spec.limits, processes);
    let child_cgroup = cgroup.clone();
    let expect_landlock = support.landlock_abi.is_some() && spec.confine_file_system;
    let in_child = move || -> std::io::Result<()> {
        nix::unistd::setsid()?;
        limits.apply()?;
        if let Some(cgroup) = &child_cgroup {
            cgroup.join_self()?;
        }
        let taken = ruleset.lock().ok().and_then(|mut r| r.take());
        match taken {
            Some(ruleset) => {
                let status = ruleset.restrict_self().map_err(std::io::Error::other)?;
                if expect_landlock && !landlock_rules::enforced(status.ruleset) {
                    return Err(std::io::Error::other("Landlock nie zadziałał"));
                }
            }
            None => nix::sys::prctl::set_no_new_privs()?,
        }
        if let Some(filter) = &filter {
            seccompiler::apply_filter(filter).map_err(std::io::Error::other)?;
        }
        Ok(())
    };
    // SAFETY: the closure runs in the forked child before exec. It only makes syscalls
    // (setsid, setrlimit, write, prctl, landlock_restrict_self, seccomp) on data prepared in
    // the parent; the mutex is uncontended (the parent never locks it), and glibc keeps
    // malloc usable after fork for the error paths.
    #[allow(unsafe_code)]
    unsafe {
        command.pre_exec(in_child);
    }
    Ok(Confinement { cgroup, support })
}

impl Confinement {
    /// The guard for the spawned child.
    pub(super) fn attach(&self, child: &Child) -> Guard {
        Guard {
            pgid: child.id().and_then(|id| i32::try_from(id).ok()),
            cgroup: self.cgroup.clone(),
        }
    }

    /// The confinement in force.
    pub(super) fn support(&self) -> Support {
        self.support.clone()
    }
}

impl Guard {
    /// True when the kernel's OOM killer ended a process of the run at its memory cap.
    pub(super) fn out_of_memory(&self) -> bool {
        self.cgroup.as_ref().is_some_and(|c| c.out_of_memory())
    }

    /// SIGKILLs the run's process group and every process of its cgroup.
    pub(super) fn kill_all(&self) {
        if let Some(pgid) = self.pgid {
            let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
        }
        if let Some(cgroup) = &self.cgroup {
            cgroup.kill_all();
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.kill_all();
    }
}
