//! Path resolution on any text, in a real temp tree with a symlink leading out: a path
//! judged inside really is inside.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

struct Tree {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    root: PathBuf,
}

fn tree() -> &'static Tree {
    static TREE: OnceLock<Tree> = OnceLock::new();
    TREE.get_or_init(|| {
        let workspace = tempfile::tempdir().expect("temp dir");
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(workspace.path().join("a/b")).expect("dirs");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), workspace.path().join("a/out"))
                .expect("link");
            std::os::unix::fs::symlink("../..", workspace.path().join("a/b/up")).expect("link");
        }
        let root = workspace.path().canonicalize().expect("canonical root");
        Tree {
            _dirs: (workspace, outside),
            root,
        }
    })
}

fuzz_target!(|given: &str| {
    let tree = tree();
    let roots = vec![tree.root.clone()];
    if let Ok(resolved) = dark8_tools::workspace_path::resolve_inside(&roots, &[], given) {
        assert!(resolved.starts_with(&tree.root), "{given:?} -> {resolved:?}");
        let mut existing = resolved.clone();
        while !existing.exists() && existing.pop() {}
        let real = existing.canonicalize().expect("an existing prefix");
        assert!(real.starts_with(&tree.root), "{given:?} -> {real:?}");
    }
});
