//! The event stream (SSE): every envelope as an `event: dark8` with `id:` its sequence
//! number; a client that reconnects sends `Last-Event-ID` (or `?after=`) and gets what it
//! missed first; `event: resync` tells it the replay is not complete and it must reload.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use dark8_protocol::EventEnvelope;
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use utoipa::IntoParams;

use crate::extract::ApiQuery;
use crate::state::AppState;

/// Where the stream starts and what it carries.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Replay events after this sequence number (`Last-Event-ID` wins when both are sent);
    /// without either, only new events.
    pub after: Option<u64>,
    /// Only this run's events.
    pub run: Option<String>,
}

/// Follows the core's events.
#[utoipa::path(get, operation_id = "follow_events", path = "/api/v1/events", tag = "events", params(EventsQuery),
    responses((status = 200, description = "text/event-stream of EventEnvelope JSON (`event: dark8`, `id:` = seq); `event: resync` when the replay is incomplete", content_type = "text/event-stream", body = String)),
    security(("token" = [])))]
pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.trim().parse::<u64>().ok());
    let after = last_event_id
        .or(query.after)
        .unwrap_or_else(|| state.dark8.events().next_seq().saturating_sub(1));
    let (tx, rx) = mpsc::channel::<Result<SseEvent, Infallible>>(256);
    let bus = state.dark8.events().clone();
    let run = query.run;
    tokio::spawn(async move {
        let mut last = after;
        'follow: loop {
            let mut follow = bus.follow(last).await;
            if follow.resync {
                let note = serde_json::json!({"next_seq": bus.next_seq()}).to_string();
                if tx
                    .send(Ok(SseEvent::default().event("resync").data(note)))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            for envelope in follow.missed {
                last = envelope.seq;
                if !send(&tx, &envelope, run.as_deref()).await {
                    return;
                }
            }
            loop {
                match follow.live.recv().await {
                    Ok(envelope) if envelope.seq <= last => {}
                    Ok(envelope) => {
                        last = envelope.seq;
                        if !send(&tx, &envelope, run.as_deref()).await {
                            return;
                        }
                    }
                    // Fell behind: replay from where it was, without a gap.
                    Err(RecvError::Lagged(_)) => continue 'follow,
                    Err(RecvError::Closed) => return,
                }
            }
        }
    });
    Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Sends `envelope` unless it belongs to another run; `false` when the client is gone.
async fn send(
    tx: &mpsc::Sender<Result<SseEvent, Infallible>>,
    envelope: &EventEnvelope,
    run: Option<&str>,
) -> bool {
    if run.is_some() && envelope.run.as_deref() != run {
        return !tx.is_closed();
    }
    let data = serde_json::to_string(envelope).unwrap_or_default();
    let event = SseEvent::default()
        .event("dark8")
        .id(envelope.seq.to_string())
        .data(data);
    tx.send(Ok(event)).await.is_ok()
}
