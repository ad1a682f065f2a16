//! A pids cgroup per run, for root: the kernel exempts uid 0 from RLIMIT_NPROC, so a fork
//! bomb run as root is stopped by the cgroup's `pids.max` instead. The cgroup also finds every
//! process of the run for the final kill, even those that left the process group.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A run's own pids cgroup; removed on drop after its processes are killed.
#[derive(Debug)]
pub(super) struct PidsCgroup {
    dir: PathBuf,
    procs: File,
}

/// Where this process's pids controller lives: a cgroup v2 hierarchy with `pids`, or v1's
/// `pids` hierarchy.
fn base() -> Option<PathBuf> {
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let v2 = Path::new("/sys/fs/cgroup/cgroup.controllers");
    if std::fs::read_to_string(v2).is_ok_and(|c| c.split_whitespace().any(|x| x == "pids")) {
        // v2: only from the root cgroup (elsewhere the no-internal-process rule applies).
        let path = own.lines().find_map(|l| l.strip_prefix("0::"))?;
        if path != "/" {
            return None;
        }
        let root = PathBuf::from("/sys/fs/cgroup");
        let _ = std::fs::write(root.join("cgroup.subtree_control"), "+pids");
        return Some(root);
    }
    let path = own.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let _id = parts.next()?;
        let controllers = parts.next()?;
        let path = parts.next()?;
        controllers
            .split(',')
            .any(|c| c == "pids")
            .then(|| path.to_owned())
    })?;
    Some(PathBuf::from("/sys/fs/cgroup/pids").join(path.trim_start_matches('/')))
}

/// True when a pids cgroup can be made here.
pub(super) fn available() -> bool {
    base().is_some_and(|b| b.join("cgroup.procs").exists())
}

impl PidsCgroup {
    /// Creates a cgroup allowing `max` processes, or `None` where that is not possible.
    pub(super) fn create(max: u64) -> Option<PidsCgroup> {
        let base = base()?;
        let name = format!(
            "dark8-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = base.join(name);
        std::fs::create_dir(&dir).ok()?;
        let ready = std::fs::write(dir.join("pids.max"), max.to_string()).is_ok();
        let procs = OpenOptions::new()
            .write(true)
            .open(dir.join("cgroup.procs"));
        match (ready, procs) {
            (true, Ok(procs)) => Some(PidsCgroup { dir, procs }),
            _ => {
                let _ = std::fs::remove_dir(&dir);
                None
            }
        }
    }

    /// Moves the calling process into the cgroup (in the child, before exec: one write(2)).
    pub(super) fn join_self(&self) -> std::io::Result<()> {
        (&self.procs).write_all(b"0")
    }

    /// SIGKILLs every process in the cgroup until none is left (bounded).
    pub(super) fn kill_all(&self) {
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

impl Drop for PidsCgroup {
    fn drop(&mut self) {
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
