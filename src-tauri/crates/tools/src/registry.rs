//! The registry: every tool by name, with the schemas the LLM and the UI need.

use std::collections::BTreeMap;
use std::sync::Arc;

use dark8_protocol::RiskClass;
use serde::Serialize;
use serde_json::Value;

use crate::declare::{declared, TypedTool};
use crate::tool::{valid_tool_name, Tool};

/// A tool as listed for the LLM and the UI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolInfo {
    /// Its name.
    pub name: String,
    /// Polish description.
    pub description_pl: String,
    /// English description.
    pub description_en: String,
    /// Risk class.
    pub risk: RiskClass,
    /// JSON Schema of the arguments.
    pub schema: Value,
    /// JSON Schema of the output (the `data` of a successful result).
    pub output_schema: Value,
}

/// Registering a tool failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// The name is not `<area>_<verb>` in `[a-z0-9_]`.
    #[error("invalid tool name `{0}`: use <area>_<verb> in [a-z0-9_]")]
    InvalidName(String),
    /// A tool of that name exists.
    #[error("tool `{0}` is registered twice")]
    Duplicate(String),
    /// The schema does not compile.
    #[error("tool `{name}` has an invalid argument schema: {detail}")]
    InvalidSchema {
        /// The tool.
        name: String,
        /// What is wrong.
        detail: String,
    },
}

/// A tool with its argument schema compiled once, at registration.
#[derive(Clone)]
struct Registered {
    tool: Arc<dyn Tool>,
    validator: Arc<jsonschema::Validator>,
}

/// Every tool, by name.
#[derive(Default, Clone)]
pub struct Registry {
    tools: BTreeMap<String, Registered>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.tools.keys()).finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds a declared tool (see [`crate::declare`]) after checking its name and schema.
    pub fn add<T: TypedTool>(&mut self, tool: T) -> Result<(), RegistryError> {
        self.register(declared(tool))
    }

    /// Adds a tool after checking its name and schema.
    pub fn register(&mut self, tool: Arc<dyn Tool>) -> Result<(), RegistryError> {
        let name = tool.name().to_owned();
        if !valid_tool_name(&name) {
            return Err(RegistryError::InvalidName(name));
        }
        if self.tools.contains_key(&name) {
            return Err(RegistryError::Duplicate(name));
        }
        let validator = jsonschema::validator_for(&tool.schema()).map_err(|err| {
            RegistryError::InvalidSchema {
                name: name.clone(),
                detail: err.to_string(),
            }
        })?;
        self.tools.insert(
            name,
            Registered {
                tool,
                validator: Arc::new(validator),
            },
        );
        Ok(())
    }

    /// The tool called `name`.
    pub fn get(&self, name: &str) -> Option<Arc<dyn Tool>> {
        self.tools.get(name).map(|r| r.tool.clone())
    }

    /// Checks `args` against the schema of the tool called `name`; `Err` lists every problem
    /// (or says the tool is unknown).
    pub fn check_arguments(&self, name: &str, args: &Value) -> Result<(), String> {
        let registered = self
            .tools
            .get(name)
            .ok_or_else(|| format!("unknown tool `{name}`"))?;
        let problems: Vec<String> = registered
            .validator
            .iter_errors(args)
            .map(|err| {
                let at = err.instance_path().to_string();
                if at.is_empty() {
                    err.to_string()
                } else {
                    format!("{at}: {err}")
                }
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// The lines a person wants to see of a successful `name` result's `data` (nothing for an
    /// unknown tool).
    pub fn render(&self, name: &str, data: &Value) -> Vec<String> {
        self.tools
            .get(name)
            .map(|registered| registered.tool.render(data))
            .unwrap_or_default()
    }

    /// Every tool, sorted by name.
    pub fn list(&self) -> Vec<ToolInfo> {
        self.tools
            .values()
            .map(|registered| &registered.tool)
            .map(|tool| ToolInfo {
                name: tool.name().to_owned(),
                description_pl: tool.description_pl().to_owned(),
                description_en: tool.description_en().to_owned(),
                risk: tool.risk(),
                schema: tool.schema(),
                output_schema: tool.output_schema(),
            })
            .collect()
    }
}
