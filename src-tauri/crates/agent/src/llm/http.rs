//! What the HTTP providers share: a client, POST with retries and backoff, streamed lines,
//! a time limit and cancellation.

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::LlmError;

/// Attempts per request when the server cannot be reached or is busy.
const ATTEMPTS: u32 = 3;
/// First pause between attempts; doubled each time.
const BACKOFF: Duration = Duration::from_millis(300);

/// A JSON POST that streams its answer line by line.
pub struct Streaming<'a> {
    /// The HTTP client.
    pub client: &'a reqwest::Client,
    /// The endpoint.
    pub url: String,
    /// The bearer token, if the server wants one.
    pub bearer: Option<&'a str>,
    /// The request body.
    pub body: Value,
}

impl Streaming<'_> {
    /// Sends the request (retrying connection failures, 429 and 5xx with backoff) and feeds
    /// every line of the answer to `on_line` until it returns `false` or the stream ends.
    pub async fn lines(
        self,
        cancel: &CancellationToken,
        mut on_line: impl FnMut(&str) -> Result<bool, LlmError>,
    ) -> Result<(), LlmError> {
        let mut pause = BACKOFF;
        let mut attempt = 1;
        let response = loop {
            let mut request = self.client.post(&self.url).json(&self.body);
            if let Some(token) = self.bearer {
                request = request.bearer_auth(token);
            }
            let sent = cancellable(cancel, async { Ok(request.send().await) }).await?;
            let retry = match sent {
                Ok(response) if response.status().is_success() => break response,
                Ok(response) => {
                    let status = response.status();
                    let body = response.text().await.unwrap_or_default();
                    let error = LlmError::Server(format!("HTTP {status}: {}", error_text(&body)));
                    if status.as_u16() == 429 || status.is_server_error() {
                        error
                    } else {
                        return Err(error);
                    }
                }
                Err(err) => LlmError::Unreachable {
                    url: self.url.clone(),
                    detail: err.to_string(),
                },
            };
            if attempt >= ATTEMPTS {
                return Err(retry);
            }
            tracing::warn!(attempt, "LLM request failed, retrying: {retry}");
            cancellable(cancel, async {
                tokio::time::sleep(pause).await;
                Ok(())
            })
            .await?;
            pause *= 2;
            attempt += 1;
        };
        let mut stream = response.bytes_stream();
        let mut buffer: Vec<u8> = Vec::new();
        loop {
            let chunk = cancellable(cancel, async { Ok(stream.next().await) }).await?;
            let Some(chunk) = chunk else { break };
            let chunk = chunk.map_err(|err| LlmError::Protocol(format!("stream cut: {err}")))?;
            buffer.extend_from_slice(&chunk);
            while let Some(end) = buffer.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                let line = line.trim();
                if !line.is_empty() && !on_line(line)? {
                    return Ok(());
                }
            }
        }
        let rest = String::from_utf8_lossy(&buffer);
        if !rest.trim().is_empty() {
            on_line(rest.trim())?;
        }
        Ok(())
    }
}

/// POSTs `body` to `url` and feeds each line of the streamed answer to `on_line` (which
/// returns `false` at the protocol's end marker), within `timeout_s` and until `cancel`.
/// Returns whether the end marker came; a stream that stops before it is an error for the
/// caller to name.
pub async fn stream_lines(
    client: &reqwest::Client,
    url: String,
    bearer: Option<&str>,
    body: Value,
    timeout_s: u64,
    cancel: &CancellationToken,
    mut on_line: impl FnMut(&str) -> Result<bool, LlmError>,
) -> Result<bool, LlmError> {
    let mut ended = false;
    with_timeout(
        timeout_s,
        cancellable(cancel, async {
            Streaming {
                client,
                url,
                bearer,
                body,
            }
            .lines(cancel, |line| {
                let more = on_line(line)?;
                ended |= !more;
                Ok(more)
            })
            .await
        }),
    )
    .await?;
    Ok(ended)
}

/// The `error` message of a JSON error body, else the body itself (shortened).
pub fn error_text(body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let message = parsed.as_ref().and_then(|v| {
        v.get("error")
            .and_then(|e| e.get("message").or(Some(e)))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    message.unwrap_or_else(|| body.chars().take(300).collect())
}

/// Runs `work` unless `cancel` fires first.
pub async fn cancellable<T>(
    cancel: &CancellationToken,
    work: impl Future<Output = Result<T, LlmError>>,
) -> Result<T, LlmError> {
    tokio::select! {
        () = cancel.cancelled() => Err(LlmError::Cancelled),
        result = work => result,
    }
}

/// Runs `work` with a time limit of `seconds`.
pub async fn with_timeout<T>(
    seconds: u64,
    work: impl Future<Output = Result<T, LlmError>>,
) -> Result<T, LlmError> {
    tokio::time::timeout(Duration::from_secs(seconds), work)
        .await
        .map_err(|_| LlmError::Timeout(seconds))?
}
