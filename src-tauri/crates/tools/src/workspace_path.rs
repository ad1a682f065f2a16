//! Paths inside the workspace: what a tool's path argument really points at, with `..` and
//! symlinks resolved, so that neither a traversal nor a planted symlink leads out.

use std::path::{Component, Path, PathBuf};

/// Why a path is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// It resolves outside every workspace root.
    #[error("ścieżka „{given}” prowadzi poza obszar roboczy ({resolved})")]
    Outside {
        /// The path as given.
        given: String,
        /// Where it really leads.
        resolved: PathBuf,
    },
    /// It lies in one of the user's secret stores.
    #[error("ścieżka „{given}” prowadzi do chronionego magazynu sekretów ({resolved})")]
    Hidden {
        /// The path as given.
        given: String,
        /// Where it really leads.
        resolved: PathBuf,
    },
    /// It cannot be resolved (e.g. a `..` past a missing directory).
    #[error("nie można ustalić, dokąd prowadzi ścieżka „{0}”")]
    Unresolvable(String),
}

/// Where `given` (relative to `workspace`, or absolute) really leads: the longest existing
/// prefix with symlinks resolved, then the rest, which may hold no `..`.
pub fn resolve(workspace: &Path, given: &str) -> Result<PathBuf, PathError> {
    let joined = workspace.join(given);
    let mut existing = joined.as_path();
    let mut rest: Vec<Component<'_>> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for component in rest.iter().rev() {
                match component {
                    Component::Normal(part) => out.push(part),
                    Component::CurDir => {}
                    _ => return Err(PathError::Unresolvable(given.to_owned())),
                }
            }
            return Ok(out);
        }
        let Some(parent) = existing.parent() else {
            return Err(PathError::Unresolvable(given.to_owned()));
        };
        if let Some(last) = existing.components().next_back() {
            rest.push(last);
        }
        existing = parent;
    }
}

/// Resolves `given` and checks it lies inside one of `roots` and outside every `hidden` path.
pub fn resolve_inside(
    roots: &[PathBuf],
    hidden: &[PathBuf],
    given: &str,
) -> Result<PathBuf, PathError> {
    let Some(workspace) = roots.first() else {
        return Err(PathError::Unresolvable(given.to_owned()));
    };
    let resolved = resolve(workspace, given)?;
    let real = |p: &PathBuf| p.canonicalize().unwrap_or_else(|_| p.clone());
    if hidden.iter().map(real).any(|h| resolved.starts_with(h)) {
        return Err(PathError::Hidden {
            given: given.to_owned(),
            resolved,
        });
    }
    if roots
        .iter()
        .map(real)
        .any(|root| resolved.starts_with(root))
    {
        Ok(resolved)
    } else {
        Err(PathError::Outside {
            given: given.to_owned(),
            resolved,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_symlinks_are_caught() {
        let ws = tempfile::tempdir().unwrap();
        let roots = vec![ws.path().to_path_buf()];
        std::fs::create_dir(ws.path().join("src")).unwrap();
        assert!(resolve_inside(&roots, &[], "src/main.rs").is_ok());
        assert!(resolve_inside(&roots, &[], "nowy/katalog/plik.txt").is_ok());
        assert!(resolve_inside(&roots, &[], "src/../README.md").is_ok());
        for bad in ["../x", "src/../../x", "/etc/passwd", "nowy/../../x"] {
            assert!(resolve_inside(&roots, &[], bad).is_err(), "{bad}");
        }
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), ws.path().join("link")).unwrap();
            let err = resolve_inside(&roots, &[], "link/plik.txt").unwrap_err();
            assert!(matches!(err, PathError::Outside { .. }), "{err}");
        }
        let hidden = vec![ws.path().join(".ssh")];
        std::fs::create_dir(ws.path().join(".ssh")).unwrap();
        assert!(matches!(
            resolve_inside(&roots, &hidden, ".ssh/id_rsa"),
            Err(PathError::Hidden { .. })
        ));
    }
}
