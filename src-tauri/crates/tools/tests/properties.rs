//! Property tests of the inputs the policy judges: the shell-line parser (no command hides
//! from the policy, no input panics) and path resolution (never a path outside the roots
//! judged as inside, with real symlinks in a real temp dir).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};

use dark8_tools::shell_line::simple_commands;
use dark8_tools::workspace_path::resolve_inside;
use proptest::prelude::*;

/// A plain word: what a command or an argument looks like without quoting.
fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_.-]{0,8}"
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(";"),
        Just(" ; "),
        Just("&&"),
        Just(" || "),
        Just(" | "),
        Just(" & "),
        Just("\n"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_line_is_judged_or_refused_without_panic(line in any::<String>()) {
        let _ = simple_commands(&line);
    }

    #[test]
    fn shell_like_lines_never_panic(line in "[a-z $`()'\";&|<>\\\\\n=-]{0,60}") {
        let _ = simple_commands(&line);
    }

    /// Every command of a list, pipeline or substitution reaches the policy, in order.
    #[test]
    fn no_command_hides_from_the_policy(
        commands in prop::collection::vec(prop::collection::vec(word(), 1..4), 1..6),
        separators in prop::collection::vec(separator(), 6),
        substituted in prop::collection::vec(any::<bool>(), 6),
    ) {
        let mut line = String::new();
        let mut expected: Vec<Vec<String>> = Vec::new();
        for (i, command) in commands.iter().enumerate() {
            if i > 0 {
                line.push_str(separators[i]);
            }
            if substituted[i] {
                // `echo $(cmd args)`: the substitution runs a command of its own.
                line.push_str(&format!("echo $({})", command.join(" ")));
                expected.push(vec!["echo".to_owned()]);
            } else {
                line.push_str(&command.join(" "));
            }
            expected.push(command.clone());
        }
        let got = simple_commands(&line).unwrap();
        for command in &expected {
            prop_assert!(
                got.iter().any(|c| c.first() == command.first()),
                "{line:?}: {command:?} missing from {got:?}"
            );
        }
        let heads: Vec<&String> = got.iter().filter_map(|c| c.first()).collect();
        for command in &commands {
            prop_assert!(heads.contains(&&command[0]), "{line:?}: {got:?}");
        }
    }
}

/// A workspace with a directory, a symlink inside it and a symlink leading out.
struct Tree {
    _outside: tempfile::TempDir,
    workspace: tempfile::TempDir,
    root: PathBuf,
}

fn tree() -> Tree {
    let workspace = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(workspace.path().join("a/b")).unwrap();
    std::fs::write(workspace.path().join("a/plik.txt"), "x").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), workspace.path().join("a/out")).unwrap();
        std::os::unix::fs::symlink(workspace.path().join("a/b"), workspace.path().join("in"))
            .unwrap();
        std::os::unix::fs::symlink("../..", workspace.path().join("a/b/up")).unwrap();
    }
    let root = workspace.path().canonicalize().unwrap();
    Tree {
        _outside: outside,
        workspace,
        root,
    }
}

fn component() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("a"),
        Just("b"),
        Just("in"),
        Just("out"),
        Just("up"),
        Just(".."),
        Just("."),
        Just("nowy"),
        Just("plik.txt"),
        Just(""),
    ]
}

/// Where `path` really leads, checked independently: its longest existing prefix resolved by
/// the OS, and no `..` in the part that does not exist yet.
fn really_inside(root: &Path, path: &Path) -> bool {
    let mut existing = path.to_path_buf();
    while !existing.exists() {
        if !existing.pop() {
            return false;
        }
    }
    existing
        .canonicalize()
        .is_ok_and(|real| real.starts_with(root))
        && path.strip_prefix(&existing).is_ok_and(|rest| {
            rest.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn a_path_judged_inside_really_is_inside(
        parts in prop::collection::vec(component(), 1..7),
        absolute in any::<bool>(),
    ) {
        let tree = tree();
        let relative = parts.join("/");
        let given = if absolute {
            format!("{}/{relative}", tree.workspace.path().display())
        } else {
            relative
        };
        let roots = vec![tree.workspace.path().to_path_buf()];
        if let Ok(resolved) = resolve_inside(&roots, &[], &given) {
            prop_assert!(resolved.starts_with(&tree.root), "{given} -> {resolved:?}");
            prop_assert!(really_inside(&tree.root, &resolved), "{given} -> {resolved:?}");
        }
    }

    #[test]
    fn any_path_text_is_judged_without_panic(given in any::<String>()) {
        let tree = tree();
        let roots = vec![tree.workspace.path().to_path_buf()];
        let _ = resolve_inside(&roots, &[], &given);
    }
}
