//! The project templates in `templates/` (embedded in the binary): each has a
//! `template.toml` and a `files/` tree; files ending in `.j2` are rendered with minijinja
//! (the suffix dropped), everything else is copied byte for byte. Parts several templates
//! share live in `templates/_shared/<part>/files/` and are pulled in with `include`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir, DirEntry};
use serde::{Deserialize, Serialize};

/// Every template, embedded at build time.
static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../../templates");

/// Where the shared parts are, inside `templates/`.
const SHARED: &str = "_shared";

/// A template's `template.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The framework name (`fastapi`, ...), also the directory name.
    pub name: String,
    /// What the template makes, in Polish.
    pub description_pl: String,
    /// What the template makes, in English.
    pub description_en: String,
    /// Shared parts (`templates/_shared/<part>/files/`) rendered into the project too.
    #[serde(default)]
    pub include: Vec<String>,
    /// Default values of the template's variables.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// Commands run in a freshly rendered project before its first commit (skipped, with a
    /// note, when the program is missing).
    #[serde(default)]
    pub post_generate: Vec<Check>,
    /// How to check a generated project: each command is argv, run in the project.
    #[serde(default)]
    pub checks: Vec<Check>,
}

/// A command that checks a generated project (installs, tests, lints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What it does, in Polish.
    pub name: String,
    /// The command as argv.
    pub argv: Vec<String>,
    /// Whether it needs the network (package registries).
    #[serde(default)]
    pub network: bool,
    /// Environment variables it needs.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// Why a template could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// No template of that name.
    #[error("nie ma szablonu „{0}”")]
    Unknown(String),
    /// The template's manifest is broken (a bug in DARK8).
    #[error("szablon „{name}” ma błędny template.toml: {detail}")]
    Manifest {
        /// The template.
        name: String,
        /// What is wrong.
        detail: String,
    },
    /// Two sources give the same file (the template and a part it includes).
    #[error("szablon „{name}”: plik {file} pochodzi z dwóch miejsc")]
    Conflict {
        /// The template.
        name: String,
        /// The file.
        file: String,
    },
    /// A file failed to render.
    #[error("nie można wygenerować {file}: {detail}")]
    Render {
        /// The file.
        file: String,
        /// Why.
        detail: String,
    },
    /// Writing failed.
    #[error("nie można zapisać {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The names of every embedded template, sorted.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = TEMPLATES
        .dirs()
        .filter(|d| d.get_file(d.path().join("template.toml")).is_some())
        .filter_map(|d| {
            d.path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

/// The manifest of template `name`.
pub fn manifest(name: &str) -> Result<Manifest, TemplateError> {
    let dir = TEMPLATES
        .get_dir(name)
        .ok_or_else(|| TemplateError::Unknown(name.to_owned()))?;
    let file = dir
        .get_file(dir.path().join("template.toml"))
        .ok_or_else(|| TemplateError::Unknown(name.to_owned()))?;
    let text = file.contents_utf8().unwrap_or_default();
    toml::from_str(text).map_err(|e| TemplateError::Manifest {
        name: name.to_owned(),
        detail: e.to_string(),
    })
}

/// The `files/` tree of the template's own directory or of a shared part.
fn files_of<'a>(name: &str, dir: &'a Dir<'a>) -> Result<&'a Dir<'a>, TemplateError> {
    dir.get_dir(dir.path().join("files"))
        .ok_or_else(|| TemplateError::Unknown(name.to_owned()))
}

/// The file trees template `name` renders: its included parts first, then its own.
fn sources(name: &str) -> Result<Vec<&'static Dir<'static>>, TemplateError> {
    let dir = TEMPLATES
        .get_dir(name)
        .ok_or_else(|| TemplateError::Unknown(name.to_owned()))?;
    let mut trees = Vec::new();
    for part in manifest(name)?.include {
        let shared = TEMPLATES
            .get_dir(format!("{SHARED}/{part}"))
            .ok_or_else(|| TemplateError::Manifest {
                name: name.to_owned(),
                detail: format!("nie ma części wspólnej „{part}” w templates/{SHARED}"),
            })?;
        trees.push(files_of(name, shared)?);
    }
    trees.push(files_of(name, dir)?);
    Ok(trees)
}

/// Renders template `name` with `variables` into `target` (which must be empty or missing);
/// returns the files written, relative to `target`.
pub fn render(
    name: &str,
    variables: &BTreeMap<String, String>,
    target: &Path,
) -> Result<Vec<PathBuf>, TemplateError> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    let mut written = Vec::new();
    for files_root in sources(name)? {
        render_tree(name, files_root, &env, variables, target, &mut written)?;
    }
    written.sort();
    Ok(written)
}

/// Renders one file tree into `target`, adding each file to `written` (a file already
/// there is a conflict).
fn render_tree(
    name: &str,
    files_root: &Dir<'_>,
    env: &minijinja::Environment<'_>,
    variables: &BTreeMap<String, String>,
    target: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), TemplateError> {
    let mut stack = vec![files_root];
    while let Some(current) = stack.pop() {
        for entry in current.entries() {
            match entry {
                DirEntry::Dir(sub) => stack.push(sub),
                DirEntry::File(file) => {
                    let relative = file
                        .path()
                        .strip_prefix(files_root.path())
                        .unwrap_or(file.path())
                        .to_path_buf();
                    let (relative, bytes) = match relative.to_string_lossy().strip_suffix(".j2") {
                        Some(stripped) => {
                            let source = file.contents_utf8().unwrap_or_default();
                            let text = env.render_str(source, variables).map_err(|e| {
                                TemplateError::Render {
                                    file: relative.display().to_string(),
                                    detail: e.to_string(),
                                }
                            })?;
                            (PathBuf::from(stripped), text.into_bytes())
                        }
                        None => (relative.clone(), file.contents().to_vec()),
                    };
                    // `__name__` in a path is the variable `name` (deploy/__project_slug__.service).
                    let mut shown = relative.to_string_lossy().into_owned();
                    for (key, value) in variables {
                        shown = shown.replace(&format!("__{key}__"), value);
                    }
                    let relative = PathBuf::from(shown);
                    if written.contains(&relative) {
                        return Err(TemplateError::Conflict {
                            name: name.to_owned(),
                            file: relative.display().to_string(),
                        });
                    }
                    let path = target.join(&relative);
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).map_err(|source| TemplateError::Io {
                            path: parent.to_path_buf(),
                            source,
                        })?;
                    }
                    std::fs::write(&path, bytes).map_err(|source| TemplateError::Io {
                        path: path.clone(),
                        source,
                    })?;
                    written.push(relative);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use include_dir::File;

    static PART: Dir<'_> = Dir::new(
        "files",
        &[DirEntry::File(File::new("files/app/shared.py", b"x = 1\n"))],
    );

    #[test]
    fn included_parts_are_rendered_and_a_file_from_two_places_is_refused() {
        let target = tempfile::tempdir().unwrap();
        let env = minijinja::Environment::new();
        let mut written = Vec::new();
        render_tree(
            "t",
            &PART,
            &env,
            &BTreeMap::new(),
            target.path(),
            &mut written,
        )
        .unwrap();
        assert_eq!(written, [PathBuf::from("app/shared.py")]);
        let again = render_tree(
            "t",
            &PART,
            &env,
            &BTreeMap::new(),
            target.path(),
            &mut written,
        );
        assert!(
            matches!(again, Err(TemplateError::Conflict { .. })),
            "{again:?}"
        );
        // The Python templates take their logging (and flask/fastapi their storage) from the
        // shared parts, into their own package.
        for (name, expected) in [
            ("django", vec!["config/logging_setup.py"]),
            ("flask", vec!["app/logging_setup.py", "app/storage.py"]),
            ("fastapi", vec!["app/logging_setup.py", "app/storage.py"]),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let vars = manifest(name).unwrap().variables;
            let parts = sources(name).unwrap();
            assert_eq!(parts.len(), expected.len() + 1, "{name}");
            let mut written = Vec::new();
            for part in &parts[..expected.len()] {
                render_tree(name, part, &env, &vars, dir.path(), &mut written).unwrap();
            }
            let expected: Vec<PathBuf> = expected.into_iter().map(PathBuf::from).collect();
            assert_eq!(written, expected, "{name}");
        }
    }
}
