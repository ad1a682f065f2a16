//! Configuration from the environment (APP_* variables).

use std::net::SocketAddr;

/// Everything the service reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`APP_HOST`, `APP_PORT`).
    pub address: SocketAddr,
    /// Log filter (`APP_LOG`, e.g. `info` or `debug`).
    pub log: String,
}

impl Config {
    /// Reads the environment; a malformed host or port is an error naming the variable.
    pub fn from_env() -> Result<Config, String> {
        let host = std::env::var("APP_HOST").unwrap_or_else(|_| "127.0.0.1".to_owned());
        let port = std::env::var("APP_PORT").unwrap_or_else(|_| crate::DEFAULT_PORT.to_string());
        let address = format!("{host}:{port}")
            .parse()
            .map_err(|e| format!("APP_HOST/APP_PORT: {e}"))?;
        let log = std::env::var("APP_LOG").unwrap_or_else(|_| "info".to_owned());
        Ok(Config { address, log })
    }
}
