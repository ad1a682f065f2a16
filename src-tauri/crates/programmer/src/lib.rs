//! DARK8's master programmer: project templates (`templates/`, embedded) and the tools that
//! work on whole projects. The templates carry the weight; an LLM only refines.

pub mod analyze;
pub mod build;
pub mod create;
pub mod deploy;
pub mod project;
pub mod slug;
pub mod template;
pub mod testgen;

use std::sync::Arc;

use dark8_store::Store;
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{declared, Tool};

pub use analyze::CodeAnalyze;
pub use build::{ProjectBuild, TestsRun};
pub use create::{Framework, ProjectCreate};
pub use deploy::ProjectDeploy;
pub use testgen::examples::{Example, ExampleRequest, ExampleWriter, ExamplesFuture};
pub use testgen::TestsGenerate;

/// Every tool of the master programmer.
pub fn tools(store: Store, sandbox: SandboxConfig) -> Vec<Arc<dyn Tool>> {
    tools_with(store, sandbox, None)
}

/// [`tools`], with `tests_generate` asking `writer` (a language model) for real assertions.
pub fn tools_with(
    store: Store,
    sandbox: SandboxConfig,
    writer: Option<Arc<dyn ExampleWriter>>,
) -> Vec<Arc<dyn Tool>> {
    let mut generate = TestsGenerate::new(sandbox.clone());
    if let Some(writer) = writer {
        generate = generate.with_writer(writer);
    }
    vec![
        declared(ProjectCreate::new(store, sandbox.clone())),
        declared(ProjectDeploy(sandbox.clone())),
        declared(CodeAnalyze(sandbox.clone())),
        declared(ProjectBuild(sandbox.clone())),
        declared(TestsRun(sandbox)),
        declared(generate),
    ]
}
