//! The built-in tools behind a real executor, for the tool test suites (the shared fixture).
#![allow(dead_code)] // shared by several test crates

pub use dark8_test_support::Fixture as Tools;

use dark8_tools::builtin::BuiltinSettings;
use dark8_tools::policy::{Action, CommandRule};
use dark8_tools::PolicyConfig;

/// Tools under the default policy.
pub async fn tools() -> Tools {
    dark8_test_support::fixture().await
}

/// Tools under `policy`, with `adjust` applied to the built-in settings.
pub async fn tools_with(policy: PolicyConfig, adjust: impl FnOnce(&mut BuiltinSettings)) -> Tools {
    dark8_test_support::fixture_with(policy, adjust, |_, _| Vec::new()).await
}

/// The default policy with the user's own rules allowing commands starting with `prefixes`.
pub fn allowing(prefixes: &[&str]) -> PolicyConfig {
    PolicyConfig {
        commands: prefixes
            .iter()
            .map(|prefix| CommandRule {
                prefix: (*prefix).to_owned(),
                action: Action::Allow,
                reason: String::new(),
                examples: Vec::new(),
            })
            .collect(),
        ..PolicyConfig::default()
    }
}
