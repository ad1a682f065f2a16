//! Helpers every built-in tool uses on its arguments.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::tool::ToolError;

/// Parses already-validated arguments (a mismatch here is a bug in a schema).
pub fn parse<T: DeserializeOwned>(tool: &str, args: Value) -> Result<T, ToolError> {
    serde_json::from_value(args).map_err(|err| {
        ToolError::new(
            format!("Złe argumenty: {err}"),
            format!("dark8 tools describe {tool}"),
        )
    })
}

/// The strings at `keys` of `args` (for [`crate::Tool::paths`] and [`crate::Tool::urls`]).
pub fn string_args(args: &Value, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|key| args.get(*key).and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}
