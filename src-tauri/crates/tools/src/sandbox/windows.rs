//! Windows confinement: a job object per run with kill-on-close, an active-process limit, a
//! per-process (address-space) and a job-wide (committed memory) limit and a CPU-time limit; the final kill terminates the whole job.
//! Windows has no Landlock: nothing stops writes outside the workspace, so
//! [`Support::file_system_confined`] is false there and the policy asks before every run.
//!
//! Not compiled on the Linux CI (no Windows target there); the MSI job builds it.
#![allow(unsafe_code)]

use std::ffi::c_void;

use tokio::process::{Child, Command};
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
    QueryInformationJobObject, SetInformationJobObject, TerminateJobObject,
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
    JOB_OBJECT_LIMIT_JOB_MEMORY, JOB_OBJECT_LIMIT_JOB_TIME, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOB_OBJECT_LIMIT_PROCESS_MEMORY,
};
use windows_sys::Win32::System::Threading::CREATE_NEW_PROCESS_GROUP;

use super::{SandboxError, SandboxSpec, Support};

/// What this machine supports.
pub(super) fn support() -> Support {
    Support {
        landlock_abi: None,
        seccomp: false,
        process_limit: "job".to_owned(),
        memory_limit: "job".to_owned(),
    }
}

/// A job object handle, closed (and so killed) on drop.
struct Job(HANDLE);

// SAFETY: a job handle may be used from any thread.
unsafe impl Send for Job {}
// SAFETY: the Win32 job functions used here are thread-safe.
unsafe impl Sync for Job {}

impl Drop for Job {
    fn drop(&mut self) {
        // SAFETY: the handle came from CreateJobObjectW and is closed once.
        unsafe {
            CloseHandle(self.0);
        }
    }
}

/// The confinement of one run.
pub(super) struct Confinement {
    job: std::sync::Arc<Job>,
    job_memory: usize,
}

/// Terminates the run's job.
pub(super) struct Guard {
    job: std::sync::Arc<Job>,
    job_memory: usize,
}

/// Creates the run's job object with its limits.
pub(super) fn prepare(
    command: &mut Command,
    spec: &SandboxSpec,
) -> Result<Confinement, SandboxError> {
    command.creation_flags(CREATE_NEW_PROCESS_GROUP);
    // SAFETY: null attributes and name create an anonymous job.
    let handle = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
    if handle.is_null() {
        return Err(SandboxError::Setup(format!(
            "CreateJobObjectW: {}",
            std::io::Error::last_os_error()
        )));
    }
    let job = Job(handle);
    // SAFETY: an all-zero JOBOBJECT_EXTENDED_LIMIT_INFORMATION is a valid value.
    let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        | JOB_OBJECT_LIMIT_ACTIVE_PROCESS
        | JOB_OBJECT_LIMIT_PROCESS_MEMORY
        | JOB_OBJECT_LIMIT_JOB_MEMORY
        | JOB_OBJECT_LIMIT_JOB_TIME;
    info.BasicLimitInformation.ActiveProcessLimit =
        u32::try_from(spec.limits.processes).unwrap_or(u32::MAX);
    info.BasicLimitInformation.PerJobUserTimeLimit =
        i64::try_from(spec.limits.cpu_s.saturating_mul(10_000_000)).unwrap_or(i64::MAX);
    info.ProcessMemoryLimit =
        usize::try_from(spec.limits.memory_mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
    let job_memory = usize::try_from(spec.limits.resident_cap_mib().saturating_mul(1024 * 1024))
        .unwrap_or(usize::MAX);
    info.JobMemoryLimit = job_memory;
    // SAFETY: `info` is the structure the information class names, with its exact size.
    let ok = unsafe {
        SetInformationJobObject(
            job.0,
            JobObjectExtendedLimitInformation,
            (&info as *const JOBOBJECT_EXTENDED_LIMIT_INFORMATION).cast::<c_void>(),
            u32::try_from(std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>())
                .unwrap_or(u32::MAX),
        )
    };
    if ok == 0 {
        return Err(SandboxError::Setup(format!(
            "SetInformationJobObject: {}",
            std::io::Error::last_os_error()
        )));
    }
    Ok(Confinement {
        job: std::sync::Arc::new(job),
        job_memory,
    })
}

impl Confinement {
    /// Puts the spawned child in the job (its children follow it).
    pub(super) fn attach(&self, child: &Child) -> Guard {
        if let Some(process) = child.raw_handle() {
            // SAFETY: both handles are valid for the duration of the call.
            unsafe {
                AssignProcessToJobObject(self.job.0, process as HANDLE);
            }
        }
        Guard {
            job: self.job.clone(),
            job_memory: self.job_memory,
        }
    }

    /// The confinement in force.
    pub(super) fn support(&self) -> Support {
        support()
    }
}

impl Guard {
    /// True when the job's committed memory reached its limit (allocations failed there).
    pub(super) fn out_of_memory(&self) -> bool {
        // SAFETY: an all-zero JOBOBJECT_EXTENDED_LIMIT_INFORMATION is a valid value.
        let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
        // SAFETY: the job handle is valid while the guard holds it; `info` is the structure
        // the information class names, with its exact size.
        let ok = unsafe {
            QueryInformationJobObject(
                self.job.0,
                JobObjectExtendedLimitInformation,
                (&mut info as *mut JOBOBJECT_EXTENDED_LIMIT_INFORMATION).cast::<c_void>(),
                u32::try_from(std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>())
                    .unwrap_or(u32::MAX),
                std::ptr::null_mut(),
            )
        };
        // Within 2 % of the limit: the next allocation was refused.
        ok != 0 && info.PeakJobMemoryUsed >= self.job_memory - self.job_memory / 50
    }

    /// Terminates every process of the job.
    pub(super) fn kill_all(&self) {
        // SAFETY: the job handle is valid while the guard holds it.
        unsafe {
            TerminateJobObject(self.job.0, 1);
        }
    }
}
