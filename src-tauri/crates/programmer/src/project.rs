//! What kind of project a directory holds, and its name and version, from its files.

use std::path::Path;

/// The kinds of project DARK8 knows how to build and package.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// pyproject.toml / requirements.txt / setup.py.
    Python,
    /// package.json.
    Node,
    /// Cargo.toml.
    Rust,
    /// CMakeLists.txt.
    Cmake,
}

/// The kind of the project in `dir`, if its files say.
pub fn kind(dir: &Path) -> Option<Kind> {
    if dir.join("Cargo.toml").is_file() {
        Some(Kind::Rust)
    } else if dir.join("package.json").is_file() {
        Some(Kind::Node)
    } else if ["pyproject.toml", "requirements.txt", "setup.py"]
        .iter()
        .any(|f| dir.join(f).is_file())
    {
        Some(Kind::Python)
    } else if dir.join("CMakeLists.txt").is_file() {
        Some(Kind::Cmake)
    } else {
        None
    }
}

fn field(text: &str, pattern: &str) -> Option<String> {
    regex::Regex::new(pattern)
        .ok()?
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned())
}

/// The project's name and version from its manifest (the directory name and 0.1.0 when it
/// names none).
pub fn name_and_version(dir: &Path) -> (String, String) {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let (name, version) = match kind(dir) {
        Some(Kind::Rust) | Some(Kind::Python) => {
            let text = if dir.join("Cargo.toml").is_file() {
                read("Cargo.toml")
            } else {
                read("pyproject.toml")
            };
            (
                field(&text, r#"(?m)^name\s*=\s*"([^"]+)""#),
                field(&text, r#"(?m)^version\s*=\s*"([^"]+)""#),
            )
        }
        Some(Kind::Node) => {
            let json: serde_json::Value =
                serde_json::from_str(&read("package.json")).unwrap_or_default();
            (
                json["name"].as_str().map(str::to_owned),
                json["version"].as_str().map(str::to_owned),
            )
        }
        _ => (None, None),
    };
    let fallback = dir
        .file_name()
        .map(|n| crate::slug::slug(&n.to_string_lossy()))
        .unwrap_or_else(|| "projekt".to_owned());
    (
        name.map(|n| crate::slug::slug(&n))
            .filter(|n| !n.is_empty())
            .unwrap_or(fallback),
        version.unwrap_or_else(|| "0.1.0".to_owned()),
    )
}
