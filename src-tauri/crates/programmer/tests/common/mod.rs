//! Every tool (system and master programmer) behind a real executor, for the programmer's
//! test suites (the shared fixture with the programmer's tools added).
#![allow(dead_code)] // shared by several test crates

pub use dark8_test_support::call;

use dark8_store::Store;
use dark8_tools::{Executor, PolicyConfig};

/// An executor over every tool, its workspace and data directory, and the store.
pub async fn executor() -> (Executor, tempfile::TempDir, tempfile::TempDir, Store) {
    dark8_test_support::fixture_with(
        PolicyConfig::default(),
        |_| {},
        |store, settings| dark8_programmer::tools(store.clone(), settings.sandbox.clone()),
    )
    .await
    .into_parts()
}
