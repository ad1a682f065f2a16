//! `ws_exchange {url, messages, expect?, timeout_s?}`: connects to a WebSocket, sends the
//! messages and collects the replies.

use std::time::Duration;

use dark8_protocol::RiskClass;
use futures_util::{SinkExt, StreamExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use super::check_hop;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::policy::Policy;
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Largest message accepted.
const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// Arguments of `ws_exchange`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Adres ws:// albo wss:// (URL)
    #[schemars(length(min = 1, max = 8192))]
    #[tool(url)]
    url: String,
    /// Wiadomości tekstowe do wysłania, po kolei (text messages to send)
    #[serde(default)]
    #[schemars(length(max = 1000))]
    messages: Vec<String>,
    /// Ile odpowiedzi zebrać (how many replies; default: as many as sent)
    #[serde(default)]
    #[schemars(range(min = 0, max = 10000))]
    expect: Option<usize>,
    /// Limit czasu w sekundach (default 10)
    #[serde(default)]
    #[schemars(range(min = 1, max = 600))]
    timeout_s: Option<u64>,
}

/// One message the server sent.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Reply {
    /// text | binary
    pub kind: String,
    /// The text of a text message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// The size of a binary message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<usize>,
}

/// What `ws_exchange` sent and received.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Exchanged {
    /// Messages sent.
    pub sent: usize,
    /// Replies, in order.
    pub replies: Vec<Reply>,
}

/// Talks to a WebSocket server: judging the URL by `policy` once more at connect time.
#[derive(Debug, Clone)]
pub struct WsExchange(pub Policy);

fn ws_error(url: &str, err: &dyn std::fmt::Display) -> ToolError {
    ToolError::new(
        format!("WebSocket {url}: {err}."),
        "Sprawdź adres (ws:// albo wss://), port i czy serwer działa.",
    )
}

impl TypedTool for WsExchange {
    type Args = Args;
    type Output = Exchanged;
    const NAME: &'static str = "ws_exchange";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Łączy się z serwerem WebSocket, wysyła wiadomości i zbiera odpowiedzi (limit czasu i rozmiaru)";
    const DESCRIPTION_EN: &'static str = "Connects to a WebSocket server, sends messages and collects the replies (time and size limits)";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &Exchanged) -> Vec<String> {
        output
            .replies
            .iter()
            .filter_map(|reply| reply.data.clone())
            .collect()
    }
    fn time_limit(&self, args: &Args) -> Option<Duration> {
        Some(Duration::from_secs(args.timeout_s.unwrap_or(10)))
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Exchanged> {
        if !(args.url.starts_with("ws://") || args.url.starts_with("wss://")) {
            return Err(ToolError::new(
                format!("„{}” nie jest adresem WebSocket.", args.url),
                "Podaj adres ws:// albo wss://.",
            ));
        }
        check_hop(&self.0, &args.url)?;
        let timeout = Duration::from_secs(args.timeout_s.unwrap_or(10));
        let expect = args.expect.unwrap_or(args.messages.len());
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE_BYTES))
            .max_frame_size(Some(MAX_MESSAGE_BYTES));
        let exchange = async {
            let (mut socket, _) = tokio_tungstenite::connect_async_with_config(
                args.url.as_str(),
                Some(config),
                false,
            )
            .await
            .map_err(|e| ws_error(&args.url, &e))?;
            for message in &args.messages {
                socket
                    .send(Message::text(message.clone()))
                    .await
                    .map_err(|e| ws_error(&args.url, &e))?;
            }
            let mut replies = Vec::new();
            while replies.len() < expect {
                match socket.next().await {
                    Some(Ok(Message::Text(text))) => {
                        (ctx.progress)(text.to_string(), None);
                        replies.push(Reply {
                            kind: "text".to_owned(),
                            data: Some(text.to_string()),
                            bytes: None,
                        });
                    }
                    Some(Ok(Message::Binary(bytes))) => replies.push(Reply {
                        kind: "binary".to_owned(),
                        data: None,
                        bytes: Some(bytes.len()),
                    }),
                    Some(Ok(Message::Close(_))) | None => break,
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(ws_error(&args.url, &e)),
                }
            }
            let _ = socket.close(None).await;
            Ok::<_, ToolError>(replies)
        };
        let replies = tokio::select! {
            outcome = tokio::time::timeout(timeout, exchange) => outcome.map_err(|_| {
                ToolError::new(
                    format!("WebSocket {}: brak odpowiedzi w {} s.", args.url, timeout.as_secs()),
                    "Zwiększ timeout_s albo zmniejsz expect.",
                )
            })??,
            () = ctx.cancel.cancelled() => return Err(ToolError::new("Przerwano.", "Uruchom ponownie, gdy zechcesz.")),
        };
        Ok(ToolOutput {
            summary: format!(
                "WebSocket {}: wysłano {}, odebrano {} wiadomości.",
                args.url,
                args.messages.len(),
                replies.len()
            ),
            data: Exchanged {
                sent: args.messages.len(),
                replies,
            },
        })
    }
}
