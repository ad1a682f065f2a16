//! `db_redis {op: get|set|keys, key?, value?, pattern?, url?}`: Redis GET, SET and KEYS (as a
//! bounded SCAN, which does not block the server).

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::DatabaseConfig;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Most keys a KEYS call returns.
const MAX_KEYS: usize = 1000;

/// The operation.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Op {
    /// Read a key.
    Get,
    /// Write a key (needs approval).
    Set,
    /// Keys matching a pattern.
    Keys,
}

/// Arguments of `db_redis`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// get | set | keys
    op: Op,
    /// Klucz (key; get, set)
    #[serde(default)]
    key: Option<String>,
    /// Wartość (value; set)
    #[serde(default)]
    value: Option<String>,
    /// Wzorzec, np. "user:*" (pattern; keys)
    #[serde(default)]
    pattern: Option<String>,
    /// redis://… (default: [databases] redis_url)
    #[serde(default)]
    url: Option<String>,
}

/// What `db_redis` got.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RedisReply {
    /// `get`: the value, or null when the key does not exist.
    Value {
        /// The key.
        key: String,
        /// Its value.
        value: Option<String>,
    },
    /// `set`: stored.
    Stored {
        /// The key.
        key: String,
        /// Always true.
        stored: bool,
    },
    /// `keys`: the keys matching a pattern.
    Keys {
        /// The pattern.
        pattern: String,
        /// Matching keys, sorted.
        keys: Vec<String>,
        /// Whether the list stopped at its limit.
        truncated: bool,
    },
}

/// Talks to Redis.
#[derive(Debug, Clone)]
pub struct DbRedis {
    config: DatabaseConfig,
}

impl DbRedis {
    /// With the configured default server.
    pub fn new(config: DatabaseConfig) -> DbRedis {
        DbRedis { config }
    }

    fn url(&self, args: &Args) -> Option<String> {
        args.url.clone().or_else(|| self.config.redis_url.clone())
    }
}

fn redis_error(err: &redis::RedisError) -> ToolError {
    let hint = if err.is_connection_refusal() || err.is_io_error() {
        "Sprawdź, czy serwer Redis działa i adres jest poprawny."
    } else {
        "Sprawdź klucz i typ wartości."
    };
    ToolError::new(format!("Błąd Redis: {err}"), hint)
}

fn need<'a>(value: &'a Option<String>, what: &str) -> Result<&'a str, ToolError> {
    value.as_deref().ok_or_else(|| {
        ToolError::new(
            format!("Brak argumentu {what}."),
            "dark8 tools describe db_redis",
        )
    })
}

impl TypedTool for DbRedis {
    type Args = Args;
    type Output = RedisReply;
    const NAME: &'static str = "db_redis";
    const DESCRIPTION_PL: &'static str =
        "Redis: get (odczyt klucza), set (zapis, wymaga zgody), keys (klucze pasujące do wzorca)";
    const DESCRIPTION_EN: &'static str =
        "Redis: get a key, set a key (needs approval), keys matching a pattern";
    const RISK: RiskClass = RiskClass::Network;
    fn urls(&self, args: &Args) -> Vec<String> {
        self.url(args).into_iter().collect()
    }
    fn risks(&self, args: &Args) -> Vec<RiskClass> {
        if matches!(args.op, Op::Set) {
            vec![RiskClass::Network, RiskClass::Write]
        } else {
            vec![RiskClass::Network]
        }
    }
    async fn run(&self, args: Args, _ctx: ToolContext) -> ToolResult<RedisReply> {
        let url = args
            .url
            .clone()
            .or_else(|| self.config.redis_url.clone())
            .ok_or_else(|| {
                ToolError::new(
                    "Nie podano serwera Redis.",
                    "Podaj url (redis://host:6379) albo ustaw [databases] redis_url.",
                )
            })?;
        let client = redis::Client::open(url.as_str()).map_err(|e| redis_error(&e))?;
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .map_err(|e| redis_error(&e))?;
        let (summary, data) = match args.op {
            Op::Get => {
                let key = need(&args.key, "key")?;
                let value: Option<String> = redis::cmd("GET")
                    .arg(key)
                    .query_async(&mut conn)
                    .await
                    .map_err(|e| redis_error(&e))?;
                let summary = match &value {
                    Some(_) => format!("Odczytano klucz {key}."),
                    None => format!("Klucz {key} nie istnieje."),
                };
                (
                    summary,
                    RedisReply::Value {
                        key: key.to_owned(),
                        value,
                    },
                )
            }
            Op::Set => {
                let key = need(&args.key, "key")?;
                let value = need(&args.value, "value")?;
                let () = redis::cmd("SET")
                    .arg(key)
                    .arg(value)
                    .query_async(&mut conn)
                    .await
                    .map_err(|e| redis_error(&e))?;
                (
                    format!("Zapisano klucz {key}."),
                    RedisReply::Stored {
                        key: key.to_owned(),
                        stored: true,
                    },
                )
            }
            Op::Keys => {
                let pattern = args.pattern.as_deref().unwrap_or("*");
                let mut cursor: u64 = 0;
                let mut keys: Vec<String> = Vec::new();
                loop {
                    let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(pattern)
                        .arg("COUNT")
                        .arg(200)
                        .query_async(&mut conn)
                        .await
                        .map_err(|e| redis_error(&e))?;
                    keys.extend(batch);
                    cursor = next;
                    if cursor == 0 || keys.len() >= MAX_KEYS {
                        break;
                    }
                }
                keys.sort();
                let truncated = keys.len() > MAX_KEYS;
                keys.truncate(MAX_KEYS);
                (
                    format!("Klucze pasujące do {pattern}: {}.", keys.len()),
                    RedisReply::Keys {
                        pattern: pattern.to_owned(),
                        keys,
                        truncated,
                    },
                )
            }
        };
        Ok(ToolOutput { summary, data })
    }
}
