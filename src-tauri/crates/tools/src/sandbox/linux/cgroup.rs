//! A cgroup per run: `memory.max` (v2) or `memory.limit_in_bytes` (v1) caps the memory the run
//! really uses, swap included, wherever DARK8 may create cgroups — as root, or in a subtree
//! delegated to the user (systemd's user manager owns `user@UID.service`); `pids.max` caps
//! processes for root, whom the kernel exempts from RLIMIT_NPROC. The cgroup also finds every
//! process of the run for the final kill, even those that left the process group, and tells
//! whether the kernel's OOM killer ended the run.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::{access, AccessFlags, Pid};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Where the memory cap of a run comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MemoryMechanism {
    /// A cgroup v2 `memory.max` with `memory.swap.max = 0`.
    CgroupV2,
    /// A cgroup v1 `memory.limit_in_bytes` (and `memory.memsw.limit_in_bytes` when swap
    /// accounting is on).
    CgroupV1,
}

impl MemoryMechanism {
    /// The name `dark8 doctor` shows.
    pub(super) fn name(self) -> &'static str {
        match self {
            MemoryMechanism::CgroupV2 => "cgroup v2",
            MemoryMechanism::CgroupV1 => "cgroup v1",
        }
    }
}

/// The parent directories run cgroups are made in, one per hierarchy that has a controller
/// DARK8 uses.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bases {
    /// v2: one directory for both controllers; v1: the memory hierarchy's.
    memory: Option<(PathBuf, MemoryMechanism)>,
    /// Where a pids cgroup goes (the same directory as memory on v2).
    pids: Option<PathBuf>,
}

/// What this process may do with cgroups, found once from `/proc/self/cgroup` and the
/// mounts under `/sys/fs/cgroup` (a process does not change cgroups under DARK8's feet; the
/// doctor probe and every run share the answer, and the root's controllers are enabled once).
fn bases() -> &'static Bases {
    static BASES: std::sync::OnceLock<Bases> = std::sync::OnceLock::new();
    BASES.get_or_init(|| match std::fs::read_to_string("/proc/self/cgroup") {
        Ok(own) => bases_in(Path::new("/sys/fs/cgroup"), &own),
        Err(_) => Bases {
            memory: None,
            pids: None,
        },
    })
}

/// [`bases`] for a cgroup file system mounted at `root`, this process's `/proc/self/cgroup`
/// being `own`.
fn bases_in(root: &Path, own: &str) -> Bases {
    if root.join("cgroup.controllers").is_file() {
        let path = own
            .lines()
            .find_map(|l| l.strip_prefix("0::"))
            .unwrap_or("/");
        let base = v2_base(root, path);
        let pids = base.as_ref().filter(|b| enabled(b, "pids")).cloned();
        let memory = base
            .filter(|b| enabled(b, "memory"))
            .map(|b| (b, MemoryMechanism::CgroupV2));
        return Bases { memory, pids };
    }
    let v1 = |controller: &str| {
        let path = own.lines().find_map(|line| {
            let mut parts = line.splitn(3, ':');
            let _id = parts.next()?;
            let controllers = parts.next()?;
            let path = parts.next()?;
            controllers
                .split(',')
                .any(|c| c == controller)
                .then(|| path.to_owned())
        })?;
        let dir = root.join(controller).join(path.trim_start_matches('/'));
        writable(&dir).then_some(dir)
    };
    Bases {
        memory: v1("memory").map(|dir| (dir, MemoryMechanism::CgroupV1)),
        pids: v1("pids"),
    }
}

/// The v2 cgroup run cgroups are made in: the root when this process is in it (root only),
/// else the nearest ancestor of this process's cgroup that hands its controllers down and
/// that this user may write (a delegated subtree). A process's own cgroup cannot take
/// children with controllers while it holds processes (the no-internal-process rule).
fn v2_base(root: &Path, own: &str) -> Option<PathBuf> {
    let own = root.join(own.trim_start_matches('/'));
    if own == root {
        // The root cgroup is exempt from the no-internal-process rule.
        let _ = std::fs::write(root.join("cgroup.subtree_control"), "+memory +pids");
        return writable(root).then(|| root.to_path_buf());
    }
    let mut dir = own.parent()?;
    loop {
        if !dir.starts_with(root) {
            return None;
        }
        if enabled(dir, "memory") && writable(dir) {
            return Some(dir.to_path_buf());
        }
        if dir == root {
            return None;
        }
        dir = dir.parent()?;
    }
}

/// True when `dir`'s children get `controller`.
fn enabled(dir: &Path, controller: &str) -> bool {
    std::fs::read_to_string(dir.join("cgroup.subtree_control"))
        .is_ok_and(|c| c.split_whitespace().any(|x| x == controller))
}

/// True when this user may make cgroups in `dir` and move processes there.
fn writable(dir: &Path) -> bool {
    access(dir, AccessFlags::W_OK).is_ok()
        && access(&dir.join("cgroup.procs"), AccessFlags::W_OK).is_ok()
}

/// True when a pids cgroup can be made here.
pub(super) fn pids_available() -> bool {
    bases().pids.is_some()
}

/// How a run's memory is capped here, when a cgroup can do it.
pub(super) fn memory_mechanism() -> Option<MemoryMechanism> {
    bases().memory.as_ref().map(|(_, mechanism)| *mechanism)
}

/// What a run's cgroups should enforce.
#[derive(Debug, Clone, Copy)]
pub(super) struct CgroupLimits {
    /// Memory cap in bytes, swap included; `None` makes no memory cgroup.
    pub(super) memory_bytes: Option<u64>,
    /// Process cap; `None` makes no pids cgroup.
    pub(super) processes: Option<u64>,
}

/// The name prefix of a background job's cgroups, which outlive the process that made them.
const JOB_PREFIX: &str = "dark8-job-";

/// One cgroup of a run (one per hierarchy on v1).
#[derive(Debug)]
struct Group {
    dir: PathBuf,
    procs: File,
    /// A background job's cgroup: left in place on drop (its processes go on).
    kept: bool,
}

/// A run's own cgroups; removed on drop after their processes are killed — except a
/// background job's, which stay until the job has ended ([`RunCgroup::create_for_job`]).
#[derive(Debug)]
pub(super) struct RunCgroup {
    groups: Vec<Group>,
    memory: Option<(PathBuf, MemoryMechanism)>,
    caps_processes: bool,
}

impl RunCgroup {
    /// Creates the cgroups `limits` asks for, or `None` when none can be made.
    pub(super) fn create(limits: CgroupLimits) -> Option<RunCgroup> {
        let name = format!(
            "dark8-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        RunCgroup::create_named(&name, limits, false)
    }

    /// Creates the cgroups of a background job: the same limits, but they stay when this
    /// process ends (the job goes on); those of jobs that have ended are removed first.
    pub(super) fn create_for_job(limits: CgroupLimits) -> Option<RunCgroup> {
        remove_ended_jobs();
        let name = format!(
            "{JOB_PREFIX}{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        RunCgroup::create_named(&name, limits, true)
    }

    fn create_named(name: &str, limits: CgroupLimits, kept: bool) -> Option<RunCgroup> {
        let bases = bases();
        let mut run = RunCgroup {
            groups: Vec::new(),
            memory: None,
            caps_processes: false,
        };
        if let (Some(bytes), Some((base, mechanism))) = (limits.memory_bytes, bases.memory.as_ref())
        {
            let dir = base.join(name);
            let mut files: Vec<(&str, String)> = match mechanism {
                // `memory.oom.group`: one OOM kill ends the whole run, not a random process.
                MemoryMechanism::CgroupV2 => vec![
                    ("memory.max", bytes.to_string()),
                    ("memory.swap.max", "0".to_owned()),
                    ("memory.oom.group", "1".to_owned()),
                ],
                MemoryMechanism::CgroupV1 => vec![
                    ("memory.limit_in_bytes", bytes.to_string()),
                    ("memory.memsw.limit_in_bytes", bytes.to_string()),
                ],
            };
            // On v2 one cgroup carries both controllers when both are handed down there.
            let pids_here =
                *mechanism == MemoryMechanism::CgroupV2 && bases.pids.as_ref() == Some(base);
            let pids = limits.processes.filter(|_| pids_here);
            if let Some(max) = pids {
                files.push(("pids.max", max.to_string()));
            }
            if let Some(group) = Group::create(
                &dir,
                &files,
                &["memory.max", "memory.limit_in_bytes", "pids.max"],
                kept,
            ) {
                run.memory = Some((dir, *mechanism));
                run.caps_processes = pids.is_some();
                run.groups.push(group);
            }
        }
        if let (Some(max), Some(base), false) =
            (limits.processes, bases.pids.as_ref(), run.caps_processes)
        {
            let dir = base.join(name);
            if let Some(group) =
                Group::create(&dir, &[("pids.max", max.to_string())], &["pids.max"], kept)
            {
                run.caps_processes = true;
                run.groups.push(group);
            }
        }
        (!run.groups.is_empty()).then_some(run)
    }

    /// Whether the run's memory is capped, and how.
    pub(super) fn memory(&self) -> Option<MemoryMechanism> {
        self.memory.as_ref().map(|(_, m)| *m)
    }

    /// Whether a pids cgroup caps the run's processes.
    pub(super) fn caps_processes(&self) -> bool {
        self.caps_processes
    }

    /// Moves the calling process into every cgroup of the run (in the child, before exec:
    /// one write(2) each).
    pub(super) fn join_self(&self) -> std::io::Result<()> {
        for group in &self.groups {
            (&group.procs).write_all(b"0")?;
        }
        Ok(())
    }

    /// True when the kernel's OOM killer ended a process of the run at the memory cap.
    pub(super) fn out_of_memory(&self) -> bool {
        let Some((dir, mechanism)) = &self.memory else {
            return false;
        };
        let file = match mechanism {
            MemoryMechanism::CgroupV2 => "memory.events",
            MemoryMechanism::CgroupV1 => "memory.oom_control",
        };
        std::fs::read_to_string(dir.join(file))
            .ok()
            .and_then(|text| {
                text.lines().find_map(|line| {
                    line.strip_prefix("oom_kill ")
                        .and_then(|n| n.trim().parse::<u64>().ok())
                })
            })
            .is_some_and(|kills| kills > 0)
    }

    /// SIGKILLs every process of the run's cgroups until none is left (bounded).
    pub(super) fn kill_all(&self) {
        for group in &self.groups {
            group.kill_all();
        }
    }
}

/// Removes the cgroups of background jobs that have ended (the kernel refuses to remove one
/// that still holds a process, so a running job's stays).
fn remove_ended_jobs() {
    let bases = bases();
    let dirs = bases
        .memory
        .iter()
        .map(|(dir, _)| dir)
        .chain(bases.pids.iter());
    for base in dirs {
        let Ok(entries) = std::fs::read_dir(base) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(JOB_PREFIX) {
                let _ = std::fs::remove_dir(entry.path());
            }
        }
    }
}

impl Group {
    /// Makes `dir` and writes `files`; those named in `required` must take their value.
    fn create(
        dir: &Path,
        files: &[(&str, String)],
        required: &[&str],
        kept: bool,
    ) -> Option<Group> {
        std::fs::create_dir(dir).ok()?;
        let mut ready = true;
        for (name, value) in files {
            let written = std::fs::write(dir.join(name), value).is_ok();
            if !written && required.contains(name) {
                ready = false;
            }
        }
        let procs = OpenOptions::new()
            .write(true)
            .open(dir.join("cgroup.procs"));
        match (ready, procs) {
            (true, Ok(procs)) => Some(Group {
                dir: dir.to_path_buf(),
                procs,
                kept,
            }),
            _ => {
                let _ = std::fs::remove_dir(dir);
                None
            }
        }
    }

    fn kill_all(&self) {
        for _ in 0..200 {
            let Ok(pids) = std::fs::read_to_string(self.dir.join("cgroup.procs")) else {
                return;
            };
            let pids: Vec<i32> = pids.lines().filter_map(|l| l.trim().parse().ok()).collect();
            if pids.is_empty() {
                return;
            }
            for pid in pids {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        self.kill_all();
        for _ in 0..100 {
            if std::fs::remove_dir(&self.dir).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        tracing::warn!(dir = %self.dir.display(), "could not remove a sandbox cgroup");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cgroup v2 tree as systemd's user manager lays it out, in a temp dir.
    fn tree(root: &Path, dirs: &[(&str, &str)]) {
        for (dir, subtree) in dirs {
            let path = root.join(dir);
            std::fs::create_dir_all(&path).unwrap();
            std::fs::write(path.join("cgroup.subtree_control"), subtree).unwrap();
            std::fs::write(path.join("cgroup.procs"), "").unwrap();
        }
        std::fs::write(root.join("cgroup.controllers"), "cpu memory pids").unwrap();
    }

    #[test]
    fn a_delegated_v2_subtree_is_used_from_the_nearest_ancestor_that_hands_memory_down() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        tree(
            root,
            &[
                ("", "cpu memory pids"),
                ("user.slice", "memory pids"),
                (
                    "user.slice/user-1000.slice/user@1000.service",
                    "memory pids",
                ),
                (
                    "user.slice/user-1000.slice/user@1000.service/app.slice",
                    "memory pids",
                ),
                (
                    "user.slice/user-1000.slice/user@1000.service/app.slice/app-dark8.scope",
                    "",
                ),
            ],
        );
        let own = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-dark8.scope\n";
        let bases = bases_in(root, own);
        let expected = root.join("user.slice/user-1000.slice/user@1000.service/app.slice");
        assert_eq!(
            bases.memory,
            Some((expected.clone(), MemoryMechanism::CgroupV2))
        );
        assert_eq!(bases.pids, Some(expected));
    }

    #[test]
    fn without_memory_handed_down_there_is_no_memory_base() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        tree(
            root,
            &[
                ("", "cpu"),
                ("system.slice", ""),
                ("system.slice/x.service", ""),
            ],
        );
        let bases = bases_in(root, "0::/system.slice/x.service\n");
        assert_eq!(bases.memory, None);
    }

    #[test]
    fn v1_hierarchies_are_found_per_controller() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        for dir in ["memory/box/a", "pids/box/a"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            std::fs::write(root.join(dir).join("cgroup.procs"), "").unwrap();
        }
        let own = "9:name=systemd:/\n4:memory:/box/a\n8:pids:/box/a\n0::/\n";
        let bases = bases_in(root, own);
        assert_eq!(
            bases.memory,
            Some((root.join("memory/box/a"), MemoryMechanism::CgroupV1))
        );
        assert_eq!(bases.pids, Some(root.join("pids/box/a")));
    }
}
