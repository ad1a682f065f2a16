//! Landlock rules: read and execute everywhere but the hidden paths, write only in the
//! writable roots (minus the hidden paths), and a few device files.
//!
//! Landlock only grants, it cannot deny beneath a grant. A hidden path is carved out by
//! granting each sibling along the way from `/` down to it instead of its ancestors: the
//! ancestors themselves can then not be listed, but everything else in them can be used.

use std::path::{Path, PathBuf};

use landlock::{
    Access, AccessFs, BitFlags, Compatible, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreated, RulesetCreatedAttr, RulesetStatus, ABI,
};

/// The Landlock ABI DARK8 asks for; older kernels get what they support (best effort).
const WANTED_ABI: ABI = ABI::V5;

/// Device files a program may write.
const WRITABLE_DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/tty",
    "/dev/random",
    "/dev/urandom",
];

/// How deep a carve-out may go (symlink loops end here).
const MAX_DEPTH: usize = 32;

/// The kernel's Landlock ABI version, or `None` without Landlock.
pub(super) fn abi_version() -> Option<i32> {
    // The highest ABI among the ones this crate knows that the kernel accepts fully.
    let known = [
        (ABI::V7, 7),
        (ABI::V6, 6),
        (ABI::V5, 5),
        (ABI::V4, 4),
        (ABI::V3, 3),
        (ABI::V2, 2),
        (ABI::V1, 1),
    ];
    known.into_iter().find_map(|(abi, number)| {
        Ruleset::default()
            .set_compatibility(landlock::CompatLevel::HardRequirement)
            .handle_access(AccessFs::from_all(abi))
            .and_then(|r| r.create())
            .ok()
            .map(|_| number)
    })
}

/// A created ruleset ready for `restrict_self` in the child, or `None` where the kernel has no
/// Landlock.
pub(super) fn ruleset(
    writable: &[PathBuf],
    hidden: &[PathBuf],
) -> Result<Option<RulesetCreated>, String> {
    if abi_version().is_none() {
        return Ok(None);
    }
    let hidden: Vec<PathBuf> = hidden.iter().map(|p| resolve(p)).collect();
    let read = AccessFs::from_read(WANTED_ABI);
    let all = AccessFs::from_all(WANTED_ABI);
    let mut grants: Vec<(PathBuf, BitFlags<AccessFs>)> = Vec::new();
    grant(Path::new("/"), read, &hidden, &mut grants, 0);
    for root in writable {
        grant(&resolve(root), all, &hidden, &mut grants, 0);
    }
    for device in WRITABLE_DEVICES {
        let path = Path::new(device);
        if path.exists() {
            grants.push((path.to_path_buf(), AccessFs::from_file(WANTED_ABI)));
        }
    }
    let mut created = Ruleset::default()
        .handle_access(all)
        .and_then(|r| r.create())
        .map_err(|e| format!("Landlock: {e}"))?;
    for (path, access) in grants {
        let Ok(fd) = PathFd::new(&path) else {
            continue; // vanished or unreadable: nothing to grant
        };
        let access = if path.is_dir() {
            access
        } else {
            access & AccessFs::from_file(WANTED_ABI)
        };
        created = created
            .add_rule(PathBeneath::new(fd, access))
            .map_err(|e| format!("Landlock ({}): {e}", path.display()))?;
    }
    Ok(Some(created))
}

/// `path` with symlinks resolved where it exists (the kernel judges the real hierarchy).
fn resolve(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Grants `access` on `path`, except beneath the hidden paths.
fn grant(
    path: &Path,
    access: BitFlags<AccessFs>,
    hidden: &[PathBuf],
    out: &mut Vec<(PathBuf, BitFlags<AccessFs>)>,
    depth: usize,
) {
    if depth > MAX_DEPTH || hidden.iter().any(|h| path.starts_with(h)) {
        return;
    }
    if !hidden.iter().any(|h| h.starts_with(path)) {
        out.push((path.to_path_buf(), access));
        return;
    }
    // An ancestor of a hidden path: grant its children one by one.
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let child = resolve(&entry.path());
        grant(&child, access, hidden, out, depth + 1);
    }
}

/// True when a restriction status says Landlock is in force.
pub(super) fn enforced(status: RulesetStatus) -> bool {
    matches!(
        status,
        RulesetStatus::FullyEnforced | RulesetStatus::PartiallyEnforced
    )
}
