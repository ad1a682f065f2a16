//! Tying the browser's life to DARK8's, so that no Chromium outlives DARK8 even when DARK8 is
//! killed outright: on Linux the browser is started through `setpriv --pdeathsig KILL`
//! (launch.rs); on Windows it joins a job object that kills everything in it when DARK8's
//! handle to the job closes, which the system does when DARK8 ends in any way. Chromium's own
//! processes, started after it joined, are in the job too.

use tokio::process::Child;

/// Holds what keeps the browser tied to DARK8, for as long as the browser lives.
#[derive(Default)]
pub struct Tether {
    #[cfg(windows)]
    job: Option<win32job::Job>,
}

impl std::fmt::Debug for Tether {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tether").finish_non_exhaustive()
    }
}

impl Tether {
    /// Ties `child` (just started) to DARK8.
    pub fn bind(child: &Child) -> Tether {
        #[cfg(windows)]
        {
            Tether {
                job: windows::kill_on_close(child),
            }
        }
        #[cfg(not(windows))]
        {
            // Linux: setpriv --pdeathsig KILL did it at start.
            let _ = child;
            Tether::default()
        }
    }

    /// Whether the browser is in a job object that dies with DARK8 (Windows).
    pub fn in_job(&self) -> bool {
        #[cfg(windows)]
        {
            self.job.is_some()
        }
        #[cfg(not(windows))]
        {
            false
        }
    }
}

#[cfg(windows)]
mod windows {
    use tokio::process::Child;

    /// A job that kills its processes when its last handle closes, with `child` in it.
    pub(super) fn kill_on_close(child: &Child) -> Option<win32job::Job> {
        let mut info = win32job::ExtendedLimitInfo::new();
        info.limit_kill_on_job_close();
        let job = match win32job::Job::create_with_limit_info(&info) {
            Ok(job) => job,
            Err(err) => {
                tracing::warn!("browser: no job object ({err}); Chromium may outlive DARK8");
                return None;
            }
        };
        let handle = child.raw_handle()? as isize;
        if let Err(err) = job.assign_process(handle) {
            tracing::warn!("browser: not in the job object ({err}); Chromium may outlive DARK8");
            return None;
        }
        Some(job)
    }
}
