//! The event bus: every front end subscribes to the protocol events the core publishes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dark8_protocol::{Event, EventEnvelope};
use tokio::sync::broadcast;

/// Events a slow subscriber may fall behind by before it starts missing them.
const CAPACITY: usize = 1024;

/// A broadcast channel of [`EventEnvelope`]s with increasing sequence numbers; cheap to clone.
#[derive(Debug, Clone)]
pub struct EventBus {
    sender: broadcast::Sender<EventEnvelope>,
    next_seq: Arc<AtomicU64>,
}

impl Default for EventBus {
    fn default() -> EventBus {
        EventBus::new()
    }
}

impl EventBus {
    /// A bus with no subscribers.
    pub fn new() -> EventBus {
        let (sender, _) = broadcast::channel(CAPACITY);
        EventBus {
            sender,
            next_seq: Arc::new(AtomicU64::new(1)),
        }
    }

    /// Publishes an event to every current subscriber and returns its envelope.
    pub fn publish(&self, event: Event) -> EventEnvelope {
        let envelope = EventEnvelope {
            seq: self.next_seq.fetch_add(1, Ordering::Relaxed),
            timestamp: dark8_store::now_rfc3339(),
            event,
        };
        // No subscriber is not an error: events are for whoever listens.
        let _ = self.sender.send(envelope.clone());
        envelope
    }

    /// A receiver of every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<EventEnvelope> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_get_events_in_order_with_sequence_numbers() {
        let bus = EventBus::new();
        bus.publish(Event::Response {
            text: "przed".into(),
        });
        let mut first = bus.subscribe();
        let mut second = bus.subscribe();
        bus.publish(Event::Response { text: "a".into() });
        bus.publish(Event::Response { text: "b".into() });
        for receiver in [&mut first, &mut second] {
            let a = receiver.recv().await.unwrap();
            let b = receiver.recv().await.unwrap();
            assert_eq!(a.event, Event::Response { text: "a".into() });
            assert_eq!(b.seq, a.seq + 1);
        }
    }
}
