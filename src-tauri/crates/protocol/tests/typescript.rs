//! Fails when the checked-in TypeScript types drift from the Rust protocol types.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic

use std::path::PathBuf;

use dark8_protocol::typescript::{declarations, BINDINGS_PATH};

fn bindings_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../..")
        .join(BINDINGS_PATH)
}

#[test]
fn typescript_bindings_match() {
    let expected = declarations();
    let path = bindings_file();
    if std::env::var_os("DARK8_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} drifted from the Rust protocol types; run \
         `DARK8_BLESS=1 cargo test -p dark8-protocol --test typescript` and commit the result",
        path.display()
    );
}

#[test]
fn every_declaration_is_exported_once() {
    let text = declarations();
    for name in [
        "Command",
        "Understanding",
        "Plan",
        "Step",
        "ToolCall",
        "ToolResult",
        "ApprovalRequest",
        "ApprovalDecision",
        "Event",
        "DoctorReport",
    ] {
        let needle = format!("export type {name} =");
        assert_eq!(
            text.matches(&needle).count(),
            1,
            "{name} must be declared once"
        );
    }
}
