//! The API's routes, one module per resource.

pub mod approvals;
pub mod brain;
pub mod browser;
pub mod changes;
pub mod events;
pub mod machine;
pub mod records;
pub mod runs;
pub mod secrets;
pub mod server;

use serde::Deserialize;
use utoipa::IntoParams;

/// How many rows a list returns.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Limit {
    /// Most rows (1–500, default 50).
    pub limit: Option<u32>,
}

impl Limit {
    /// The limit asked for, within bounds.
    pub fn get(&self) -> u32 {
        self.limit.unwrap_or(50).clamp(1, 500)
    }
}
