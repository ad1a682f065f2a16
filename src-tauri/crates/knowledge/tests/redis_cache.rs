//! The embedding cache's Redis tier against a real `redis-server` (started by the test on a
//! free port, or `DARK8_TEST_REDIS_URL`): a second process finds the first one's vectors
//! without embedding them again, keys carry a time to live, and a Redis that is not there, or
//! dies, leaves embedding working through the in-process tier with no error.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dark8_knowledge::cache::{CachedEmbedder, RedisTier, EMBEDDING_CACHE_BYTES};
use dark8_knowledge::{EmbedError, Embedder, Role};

#[derive(Debug, Default)]
struct Counting {
    embedded: Mutex<Vec<String>>,
}

impl Embedder for Counting {
    fn model(&self) -> &str {
        "counting"
    }
    fn dimension(&self) -> usize {
        3
    }
    fn embed(&self, texts: &[&str], _role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut embedded = self.embedded.lock().unwrap();
        Ok(texts
            .iter()
            .map(|text| {
                embedded.push((*text).to_owned());
                vec![text.len() as f32, 0.5, -1.0]
            })
            .collect())
    }
}

/// A redis-server of the test's own, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_redis() -> Option<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let url = format!("redis://127.0.0.1:{port}");
    let client = redis::Client::open(url.as_str()).ok()?;
    for _ in 0..100 {
        if client.get_connection().is_ok() {
            return Some(Server { child, url });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn cached(inner: Arc<Counting>, url: &str) -> CachedEmbedder {
    CachedEmbedder::new(inner, EMBEDDING_CACHE_BYTES)
        .with_remote(Some(RedisTier::new(url, 3600).unwrap()))
}

#[test]
fn a_second_process_finds_the_first_ones_vectors_in_redis_and_a_dead_redis_changes_nothing() {
    let Some(server) = start_redis() else {
        assert!(
            std::env::var_os("DARK8_TEST_REDIS_URL").is_none(),
            "DARK8_TEST_REDIS_URL is set but redis-server could not be started here"
        );
        eprintln!("skipped: no redis-server");
        return;
    };
    let first_inner = Arc::new(Counting::default());
    let first = cached(first_inner.clone(), &server.url);
    let texts = ["Serwer produkcyjny", "Klucze ma Ania"];
    let vectors = first.embed(&texts, Role::Passage).unwrap();
    assert_eq!(first_inner.embedded.lock().unwrap().len(), 2);

    // Another process: its own in-process tier is empty, Redis has the vectors.
    let second_inner = Arc::new(Counting::default());
    let second = cached(second_inner.clone(), &server.url);
    assert_eq!(second.embed(&texts, Role::Passage).unwrap(), vectors);
    assert!(second_inner.embedded.lock().unwrap().is_empty());
    // The role is part of the key: the same text as a query is embedded anew.
    second.embed(&["Serwer produkcyjny"], Role::Query).unwrap();
    assert_eq!(
        *second_inner.embedded.lock().unwrap(),
        ["Serwer produkcyjny"]
    );

    // Every key expires.
    let mut connection = redis::Client::open(server.url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("dark8:emb:v1:counting:*")
        .query(&mut connection)
        .unwrap();
    assert_eq!(keys.len(), 3, "{keys:?}");
    for key in &keys {
        let ttl: i64 = redis::cmd("TTL").arg(key).query(&mut connection).unwrap();
        assert!(ttl > 0 && ttl <= 3600, "{key}: {ttl}");
    }

    // Redis dies: embedding goes on through the in-process tier, no error.
    drop(connection);
    drop(server);
    let third_inner = Arc::new(Counting::default());
    let third = cached(third_inner.clone(), "redis://127.0.0.1:1");
    assert_eq!(third.embed(&texts, Role::Passage).unwrap(), vectors);
    assert_eq!(third_inner.embedded.lock().unwrap().len(), 2);
    assert_eq!(third.embed(&texts, Role::Passage).unwrap(), vectors);
    assert_eq!(third_inner.embedded.lock().unwrap().len(), 2);
    // The first process's Redis is gone too: new texts still embed.
    assert_eq!(
        first.embed(&["Nowy fakt"], Role::Passage).unwrap()[0][0],
        9.0
    );
    assert!(RedisTier::new("not a url", 60).is_err());
}
