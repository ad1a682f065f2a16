//! DARK8's tool door. This first part is the permission policy every action will pass:
//! roles with permissions per risk class, and command rules (allow / prompt / forbid) with
//! examples checked at load. The registry, executor, sandbox and secrets vault build on it.

pub mod policy;
pub mod shell_line;

pub use policy::{Action, CommandRule, Policy, PolicyConfig, PolicyError, Role, Verdict};
