//! The seccomp filter of a sandboxed run: no IPv4/IPv6/raw sockets (and no io_uring, which
//! could open them) when the run has no network; never a change to the limits DARK8 set.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

/// The limits a child may not change (see `rlimits.rs`).
const LOCKED_LIMITS: [libc::__rlimit_resource_t; 4] = [
    libc::RLIMIT_CPU,
    libc::RLIMIT_AS,
    libc::RLIMIT_NPROC,
    libc::RLIMIT_FSIZE,
];

/// Socket families a run without network may not open.
const NETWORK_FAMILIES: [libc::c_int; 3] = [libc::AF_INET, libc::AF_INET6, libc::AF_PACKET];

fn arch() -> Result<TargetArch, String> {
    if cfg!(target_arch = "x86_64") {
        Ok(TargetArch::x86_64)
    } else if cfg!(target_arch = "aarch64") {
        Ok(TargetArch::aarch64)
    } else if cfg!(target_arch = "riscv64") {
        Ok(TargetArch::riscv64)
    } else {
        Err("seccomp: nieobsługiwana architektura".to_owned())
    }
}

fn equals(arg: u8, value: u64) -> Result<SeccompCondition, String> {
    SeccompCondition::new(arg, SeccompCmpArgLen::Dword, SeccompCmpOp::Eq, value)
        .map_err(|e| format!("seccomp: {e}"))
}

fn rule(conditions: Vec<SeccompCondition>) -> Result<SeccompRule, String> {
    SeccompRule::new(conditions).map_err(|e| format!("seccomp: {e}"))
}

/// The compiled filter for a run with or without network.
pub(super) fn filter(network: bool) -> Result<BpfProgram, String> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    let mut setrlimit = Vec::new();
    let mut prlimit = Vec::new();
    for resource in LOCKED_LIMITS {
        let resource = u64::from(resource);
        setrlimit.push(rule(vec![equals(0, resource)?])?);
        // prlimit64(pid, resource, new_limit, old_limit): reading (new_limit == NULL) stays free.
        prlimit.push(rule(vec![
            equals(1, resource)?,
            SeccompCondition::new(2, SeccompCmpArgLen::Qword, SeccompCmpOp::Ne, 0)
                .map_err(|e| format!("seccomp: {e}"))?,
        ])?);
    }
    rules.insert(libc::SYS_setrlimit, setrlimit);
    rules.insert(libc::SYS_prlimit64, prlimit);
    if !network {
        let families = NETWORK_FAMILIES
            .iter()
            .map(|family| rule(vec![equals(0, u64::from(family.unsigned_abs()))?]))
            .collect::<Result<Vec<_>, _>>()?;
        rules.insert(libc::SYS_socket, families);
        rules.insert(libc::SYS_io_uring_setup, Vec::new());
    }
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EACCES.unsigned_abs()),
        arch()?,
    )
    .map_err(|e| format!("seccomp: {e}"))?;
    BpfProgram::try_from(filter).map_err(|e| format!("seccomp: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn filters_compile() {
        assert!(!super::filter(false).unwrap().is_empty());
        assert!(!super::filter(true).unwrap().is_empty());
    }
}
