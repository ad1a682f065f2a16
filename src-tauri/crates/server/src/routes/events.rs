//! The event stream (SSE): every envelope as an `event: dark8` with `id:` its sequence
//! number; a client that reconnects sends `Last-Event-ID` (or `?after=`) and gets what it
//! missed first; `event: resync` tells it the replay is not complete and it must reload.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use dark8_core::Delivery;
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
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
    let deliveries = state.dark8.events().stream(Some(after), query.run);
    let bus = state.dark8.events().clone();
    let events = ReceiverStream::new(deliveries).map(move |delivery| {
        Ok(match delivery {
            Delivery::Resync => SseEvent::default()
                .event("resync")
                .data(serde_json::json!({"next_seq": bus.next_seq()}).to_string()),
            Delivery::Event(envelope) => SseEvent::default()
                .event("dark8")
                .id(envelope.seq.to_string())
                .data(serde_json::to_string(&envelope).unwrap_or_default()),
        })
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
