//! The environment a sandboxed program gets: an allow-list of harmless variables from DARK8's
//! own environment, minus anything whose name looks secret or whose value holds a known
//! secret, plus a private temp dir.

use std::path::Path;

/// Variables passed through by exact name.
const PASSED: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "TZ",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "XDG_RUNTIME_DIR",
    "JAVA_HOME",
    "GOPATH",
    "GOROOT",
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "NODE_PATH",
    "SYSTEMROOT",
    "WINDIR",
    "COMSPEC",
    "PATHEXT",
    "USERPROFILE",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMDATA",
    "PROGRAMFILES",
];

/// Variables passed through by prefix (toolchains keep their settings there).
const PASSED_PREFIXES: &[&str] = &["LC_", "CARGO_", "RUSTUP_", "PYENV_", "NVM_", "npm_config_"];

/// Variables never passed although their prefix is: they send a build's output outside the
/// workspace, where the sandbox lets nothing be written (cargo would fail with "Permission
/// denied"); a sandboxed project builds into its own `target/`.
const HELD_BACK: &[&str] = &["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"];

/// Parts of a name that mark a secret, whatever the prefix.
const SECRET_NAME_PARTS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "API_KEY",
    "APIKEY",
    "PRIVATE",
    "CREDENTIAL",
    "AUTH",
    "COOKIE",
    "SESSION",
];

/// True when a variable of this name may reach a sandboxed program.
pub fn passes(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if SECRET_NAME_PARTS.iter().any(|part| upper.contains(part))
        || upper.starts_with("DARK8_")
        || HELD_BACK.contains(&upper.as_str())
    {
        return false;
    }
    PASSED.iter().any(|p| p.eq_ignore_ascii_case(name))
        || PASSED_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The environment for a run whose private temp dir is `temp`: DARK8's own variables that
/// [`passes`], then `extra`, never a value containing one of `secrets`.
pub fn scrubbed(
    temp: &Path,
    extra: &[(String, String)],
    secrets: &[String],
) -> Vec<(String, String)> {
    let leaks = |value: &str| {
        secrets
            .iter()
            .any(|s| !s.is_empty() && value.contains(s.as_str()))
    };
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, v)| passes(k) && !leaks(v))
        .collect();
    let temp = temp.display().to_string();
    for name in ["TMPDIR", "TMP", "TEMP"] {
        vars.push((name.to_owned(), temp.clone()));
    }
    vars.extend(extra.iter().filter(|(_, v)| !leaks(v)).cloned());
    vars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_pass() {
        assert!(passes("PATH"));
        assert!(passes("LC_ALL"));
        assert!(passes("CARGO_HOME"));
        assert!(!passes("CARGO_TARGET_DIR"), "builds stay in the workspace");
        assert!(!passes("CARGO_REGISTRY_TOKEN"));
        assert!(!passes("npm_config__authToken"));
        assert!(!passes("GITHUB_TOKEN"));
        assert!(!passes("AWS_SECRET_ACCESS_KEY"));
        assert!(!passes("DARK8_HOME"));
        assert!(!passes("SSH_AUTH_SOCK"));
        let vars = scrubbed(
            Path::new("/tmp/x"),
            &[
                ("A".to_owned(), "ok".to_owned()),
                ("B".to_owned(), "has kanarek-77 inside".to_owned()),
            ],
            &["kanarek-77".to_owned()],
        );
        assert!(vars.iter().any(|(k, v)| k == "TMPDIR" && v == "/tmp/x"));
        assert!(vars.iter().any(|(k, _)| k == "A"));
        assert!(!vars.iter().any(|(k, _)| k == "B"));
    }
}
