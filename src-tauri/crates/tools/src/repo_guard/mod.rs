//! Where a write could make code run later outside the sandbox: a repository's control files
//! (`.git/hooks/*`, `.git/config` with `core.hooksPath` or `core.fsmonitor`, anything else
//! under `.git/`) and the hook managers' folders and files (`.husky/`, `.githooks/`,
//! `.pre-commit-config.yaml`, `.gitmodules`). A hook planted there runs unsandboxed the next
//! time the user commits, so a write there needs the user's own yes (never `--yes`).
//!
//! A sandboxed program cannot be kept out of those paths by Landlock (it cannot deny beneath
//! the workspace it grants), so [`RepositorySnapshot`] undoes what a run planted there.

mod git_config;
mod snapshot;

use std::path::{Component, Path};

pub use git_config::{ConfigText, Entry};
pub use snapshot::RepositorySnapshot;

/// Folders whose content a git client or a hook manager runs.
const CONTROL_DIRS: [&str; 3] = [".git", ".husky", ".githooks"];

/// Files a hook manager or git reads to decide what to run.
const CONTROL_FILES: [&str; 2] = [".pre-commit-config.yaml", ".gitmodules"];

/// The control location `path` is in, e.g. `.git`, when a write there could plant code that
/// runs later; `None` for an ordinary file (`.gitignore` is ordinary).
pub fn repository_control(path: &Path) -> Option<&'static str> {
    let names: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    let last = names.len().saturating_sub(1);
    names.iter().enumerate().find_map(|(i, name)| {
        CONTROL_DIRS
            .iter()
            .chain(if i == last {
                CONTROL_FILES.iter()
            } else {
                [].iter()
            })
            .find(|control| name.eq_ignore_ascii_case(control))
            .copied()
    })
}

/// Why a write into `control` waits for the user, in Polish.
pub fn reason(control: &str) -> String {
    format!(
        "zmiana w „{control}” może podłożyć kod, który uruchomi się poza piaskownicą przy następnym commicie (hak gita): wymaga Twojej wyraźnej zgody; --yes jej nie daje"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_and_repository_config_are_control_files_ordinary_files_are_not() {
        for path in [
            "/ws/.git/hooks/pre-commit",
            "/ws/.git/config",
            "/ws/sub/.git/info/attributes",
            "/ws/.GIT/hooks/post-checkout",
            "/ws/.husky/pre-commit",
            "/ws/.githooks/pre-push",
            "/ws/.pre-commit-config.yaml",
            "/ws/.gitmodules",
            ".git",
        ] {
            assert!(repository_control(Path::new(path)).is_some(), "{path}");
        }
        for path in [
            "/ws/.gitignore",
            "/ws/.gitattributes",
            "/ws/src/git/hooks.rs",
            "/ws/.github/workflows/ci.yml",
            "/ws/docs/.gitmodules.md",
            "/ws/.pre-commit-config.yaml/x",
        ] {
            assert_eq!(repository_control(Path::new(path)), None, "{path}");
        }
    }
}
