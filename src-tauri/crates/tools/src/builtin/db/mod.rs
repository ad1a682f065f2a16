//! Database tools: SQL against SQLite files and PostgreSQL (read-only unless the call says
//! `write: true`, which the policy judges as a write), the tables with their columns, and Redis
//! GET / SET / KEYS.

mod connect;
mod query;
mod redis_tool;
mod tables;

pub use query::DbQuery;
pub use redis_tool::DbRedis;
pub use tables::DbTables;

use serde::{Deserialize, Serialize};

/// Default connections (`[databases]` in the configuration).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// The database `db_query` and `db_tables` use when a call names none (a SQLite path or a
    /// postgres:// URL).
    pub database_url: Option<String>,
    /// The Redis server `db_redis` uses when a call names none.
    pub redis_url: Option<String>,
}
