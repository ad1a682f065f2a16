//! The shared tier of the embedding cache: a Redis server (`[cache] url`), so every DARK8
//! process (and machine) that uses it embeds a text once. Vectors are stored as little-endian
//! f32 bytes under `dark8:emb:v1:<model>:<q|p>:<sha256>` with a time to live. A Redis that
//! does not answer is never the user's problem: the cache warns once, leaves Redis alone for
//! a while, and the in-process tier goes on alone.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::Commands;

/// How long a connection attempt or a command may take.
const TIMEOUT: Duration = Duration::from_millis(500);

/// How long a Redis that failed is left alone before it is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(30);

/// Connection state of the shared tier.
enum Link {
    /// Not connected yet (or dropped after an error that may pass).
    Idle,
    /// Connected.
    Up(redis::Connection),
    /// Failed at this moment: not tried again before [`RETRY_AFTER`].
    Down(Instant),
}

/// A Redis server holding vectors for every process that uses it.
pub struct RedisTier {
    client: redis::Client,
    ttl_s: u64,
    link: Mutex<Link>,
}

impl std::fmt::Debug for RedisTier {
    // The URL may carry a password: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisTier")
            .field("ttl_s", &self.ttl_s)
            .finish_non_exhaustive()
    }
}

/// The key of one vector.
pub fn redis_key(model: &str, query: bool, text_sha256: &[u8; 32]) -> String {
    format!(
        "dark8:emb:v1:{model}:{}:{}",
        if query { "q" } else { "p" },
        hex::encode(text_sha256)
    )
}

impl RedisTier {
    /// The server at `url` (`redis://…`), keeping vectors for `ttl_s` seconds; an error only
    /// when the URL cannot be a Redis URL (an unreachable server is not an error).
    pub fn new(url: &str, ttl_s: u64) -> Result<RedisTier, String> {
        let client = redis::Client::open(url).map_err(|e| {
            // The error may quote the URL: say what is wrong without it.
            format!("[cache] url is not a Redis URL ({:?})", e.kind())
        })?;
        Ok(RedisTier {
            client,
            ttl_s: ttl_s.max(1),
            link: Mutex::new(Link::Idle),
        })
    }

    /// Runs `work` on a live connection; `None` when Redis is down (warned once per outage).
    fn with_connection<T>(
        &self,
        work: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Option<T> {
        let mut link = self.link.lock().unwrap_or_else(|e| e.into_inner());
        if let Link::Down(since) = *link {
            if since.elapsed() < RETRY_AFTER {
                return None;
            }
            *link = Link::Idle;
        }
        if matches!(*link, Link::Idle) {
            match self.client.get_connection_with_timeout(TIMEOUT) {
                Ok(connection) => {
                    let _ = connection.set_read_timeout(Some(TIMEOUT));
                    let _ = connection.set_write_timeout(Some(TIMEOUT));
                    *link = Link::Up(connection);
                }
                Err(err) => {
                    tracing::warn!(
                        "Redis cache unreachable ({:?}), using the in-process cache alone",
                        err.kind()
                    );
                    *link = Link::Down(Instant::now());
                    return None;
                }
            }
        }
        let Link::Up(connection) = &mut *link else {
            return None;
        };
        match work(connection) {
            Ok(value) => Some(value),
            Err(err) => {
                tracing::warn!(
                    "Redis cache failed ({:?}), using the in-process cache alone",
                    err.kind()
                );
                *link = Link::Down(Instant::now());
                None
            }
        }
    }

    /// The stored vectors of `keys`, in order (`None` where Redis has none, or is down).
    pub fn get_many(&self, keys: &[String]) -> Vec<Option<Vec<f32>>> {
        if keys.is_empty() {
            return Vec::new();
        }
        let found: Option<Vec<Option<Vec<u8>>>> =
            self.with_connection(|connection| connection.mget(keys));
        match found {
            Some(values) if values.len() == keys.len() => values
                .into_iter()
                .map(|bytes| bytes.and_then(|b| decode(&b)))
                .collect(),
            _ => vec![None; keys.len()],
        }
    }

    /// Stores `vectors` under `keys` with the tier's time to live (best effort).
    pub fn put_many(&self, entries: &[(String, Vec<f32>)]) {
        if entries.is_empty() {
            return;
        }
        let ttl = self.ttl_s;
        self.with_connection(|connection| {
            let mut pipe = redis::pipe();
            for (key, vector) in entries {
                pipe.set_ex(key, encode(vector), ttl).ignore();
            }
            pipe.query::<()>(connection)
        });
    }
}

fn encode(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn decode(bytes: &[u8]) -> Option<Vec<f32>> {
    if bytes.is_empty() || bytes.len() % 4 != 0 {
        return None;
    }
    Some(
        bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}
