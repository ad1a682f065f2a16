//! What an approval grant for the session or for always covers within a tool: the programs a
//! shell line runs, the host a call reaches, the directory it writes in — never more than the
//! user saw in the request.

use std::collections::BTreeSet;
use std::path::Path;

use crate::shell_line::simple_commands;
use crate::tool::CallScope;

/// The grant target of a call reaching `scope`: `program:git`, `program:cargo+npm`,
/// `host:docs.rs`, `dir:src`, or `*` for a call that reaches nothing narrower.
pub fn target(scope: &CallScope) -> String {
    if let Some(line) = &scope.command_line {
        return match simple_commands(line) {
            Ok(commands) => {
                let programs: BTreeSet<String> = commands
                    .iter()
                    .filter_map(|argv| argv.first())
                    .map(|program| {
                        Path::new(program)
                            .file_name()
                            .map_or_else(|| program.clone(), |n| n.to_string_lossy().into_owned())
                    })
                    .collect();
                format!("program:{}", join(programs))
            }
            // A line the parser cannot read is granted only as itself.
            Err(_) => format!("line:{line}"),
        };
    }
    let hosts: BTreeSet<String> = scope
        .urls
        .iter()
        .filter_map(|url| url::Url::parse(url).ok())
        .filter_map(|url| url.host_str().map(str::to_owned))
        .chain(scope.domains.iter().cloned())
        .collect();
    if !hosts.is_empty() {
        return format!("host:{}", join(hosts));
    }
    let dirs: BTreeSet<String> = scope
        .paths
        .iter()
        .map(|path| {
            let parent = Path::new(path).parent().map(Path::to_string_lossy);
            match parent {
                Some(parent) if !parent.is_empty() => parent.into_owned(),
                _ => ".".to_owned(),
            }
        })
        .collect();
    if !dirs.is_empty() {
        return format!("dir:{}", join(dirs));
    }
    "*".to_owned()
}

fn join(parts: BTreeSet<String>) -> String {
    parts.into_iter().collect::<Vec<_>>().join("+")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> CallScope {
        CallScope::default()
    }

    #[test]
    fn a_shell_line_is_granted_by_its_programs() {
        let line = |l: &str| CallScope {
            command_line: Some(l.to_owned()),
            ..scope()
        };
        assert_eq!(target(&line("git status")), "program:git");
        assert_eq!(target(&line("/usr/bin/git log -1")), "program:git");
        assert_eq!(
            target(&line("cargo build && npm test")),
            "program:cargo+npm"
        );
        assert_eq!(
            target(&line("echo 'unterminated")),
            "line:echo 'unterminated"
        );
    }

    #[test]
    fn hosts_then_directories_then_the_whole_tool() {
        let urls = CallScope {
            urls: vec!["https://docs.rs/tokio".into()],
            domains: vec!["db.firma.local".into()],
            ..scope()
        };
        assert_eq!(target(&urls), "host:db.firma.local+docs.rs");
        let paths = CallScope {
            paths: vec!["src/main.rs".into(), "src/lib.rs".into()],
            ..scope()
        };
        assert_eq!(target(&paths), "dir:src");
        let top = CallScope {
            paths: vec!["notatki.md".into()],
            ..scope()
        };
        assert_eq!(target(&top), "dir:.");
        assert_eq!(target(&scope()), "*");
    }
}
