//! The built-in tools behind a real executor, for the tool test suites (the shared fixture).
#![allow(dead_code)] // shared by several test crates

pub use dark8_test_support::Fixture as Tools;

use dark8_tools::builtin::BuiltinSettings;
use dark8_tools::PolicyConfig;

/// Tools under the default policy.
pub async fn tools() -> Tools {
    dark8_test_support::fixture().await
}

/// Tools under `policy`, with `adjust` applied to the built-in settings.
pub async fn tools_with(policy: PolicyConfig, adjust: impl FnOnce(&mut BuiltinSettings)) -> Tools {
    dark8_test_support::fixture_with(policy, adjust, |_, _| Vec::new()).await
}
