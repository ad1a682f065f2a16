//! The event bus: every front end subscribes to the protocol events the core publishes.
//!
//! Each event gets the next sequence number (kept across restarts), goes to the live
//! subscribers, into a ring buffer of the newest events and, when the bus has a store, into
//! SQLite by a background writer. A front end that reconnects [`follow`](EventBus::follow)s
//! from its last sequence number: the missed events come from the ring, or from the database
//! when the ring no longer holds them, and `resync` says when even the database does not.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use dark8_protocol::{Event, EventEnvelope};
use dark8_store::{Store, StoredEvent};
use tokio::sync::{broadcast, mpsc, oneshot};

/// Events a slow subscriber may fall behind by before it starts missing them.
const CAPACITY: usize = 1024;
/// Newest events kept in memory for replay.
const RING: usize = 4096;
/// Newest events kept in the database.
const KEPT_IN_DATABASE: u32 = 100_000;
/// Most events read back from the database in one replay.
const REPLAY_LIMIT: u32 = 20_000;

/// Where an event belongs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventScope {
    /// The session.
    pub session: Option<String>,
    /// The run.
    pub run: Option<String>,
    /// The plan step (1-based).
    pub step: Option<u32>,
}

/// What a front end's stream carries: events in order, each once, and a note when the
/// replay it asked for is incomplete.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// The replay is incomplete: the front end must reload its state.
    Resync,
    /// The next event.
    Event(Box<EventEnvelope>),
}

/// What a front end that (re)connects gets: the events after its sequence number, and a live
/// receiver for what follows (skip envelopes with `seq` <= the last replayed one).
#[derive(Debug)]
pub struct Follow {
    /// The missed events, oldest first.
    pub missed: Vec<EventEnvelope>,
    /// Events older than the oldest kept were asked for: the front end must reload its
    /// state instead of trusting the replay to be complete.
    pub resync: bool,
    /// Everything published from now on.
    pub live: broadcast::Receiver<EventEnvelope>,
}

enum ToWriter {
    Event(Box<EventEnvelope>),
    Flush(oneshot::Sender<()>),
}

struct State {
    next_seq: u64,
    ring: VecDeque<EventEnvelope>,
}

struct Inner {
    sender: broadcast::Sender<EventEnvelope>,
    state: Mutex<State>,
    writer: Option<mpsc::UnboundedSender<ToWriter>>,
    store: Option<Store>,
}

/// The bus; cheap to clone.
#[derive(Clone)]
pub struct EventBus {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for EventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBus")
            .field("persistent", &self.inner.store.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for EventBus {
    fn default() -> EventBus {
        EventBus::new()
    }
}

impl EventBus {
    /// A bus that keeps events in memory only.
    pub fn new() -> EventBus {
        EventBus::build(1, None)
    }

    /// A bus that also stores every event in `store`, numbering on from the newest stored
    /// event. Keeps the newest events only (old ones are pruned here).
    pub async fn persistent(store: Store) -> Result<EventBus, dark8_store::StoreError> {
        store.events().prune(KEPT_IN_DATABASE).await?;
        let next = store.events().bounds().await?.map_or(1, |(_, max)| max + 1);
        Ok(EventBus::build(
            u64::try_from(next).unwrap_or(1),
            Some(store),
        ))
    }

    fn build(next_seq: u64, store: Option<Store>) -> EventBus {
        let (sender, _) = broadcast::channel(CAPACITY);
        let writer = store.clone().map(|store| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(write_events(store, rx));
            tx
        });
        EventBus {
            inner: Arc::new(Inner {
                sender,
                state: Mutex::new(State {
                    next_seq,
                    ring: VecDeque::with_capacity(RING),
                }),
                writer,
                store,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-changed: recover it.
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Publishes an event that belongs to no session or run.
    pub fn publish(&self, event: Event) -> EventEnvelope {
        self.publish_in(&EventScope::default(), event)
    }

    /// Publishes an event of `scope` to every current subscriber and returns its envelope.
    pub fn publish_in(&self, scope: &EventScope, event: Event) -> EventEnvelope {
        let mut state = self.state();
        let envelope = EventEnvelope {
            seq: state.next_seq,
            timestamp: dark8_store::now_rfc3339(),
            session: scope.session.clone(),
            run: scope.run.clone(),
            step: scope.step,
            event,
        };
        state.next_seq += 1;
        if state.ring.len() == RING {
            state.ring.pop_front();
        }
        state.ring.push_back(envelope.clone());
        // Sent under the lock so subscribers see sequence numbers in order. No subscriber is
        // not an error: events are for whoever listens.
        let _ = self.inner.sender.send(envelope.clone());
        if let Some(writer) = &self.inner.writer {
            let _ = writer.send(ToWriter::Event(Box::new(envelope.clone())));
        }
        envelope
    }

    /// A receiver of every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<EventEnvelope> {
        self.inner.sender.subscribe()
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.state().next_seq
    }

    /// The events after `after` (0 = from the oldest kept) and a live receiver, with no gap
    /// and no event twice between them.
    pub async fn follow(&self, after: u64) -> Follow {
        let (ring, live, next) = {
            let state = self.state();
            let ring: Vec<EventEnvelope> = state
                .ring
                .iter()
                .filter(|e| e.seq > after)
                .cloned()
                .collect();
            (ring, self.inner.sender.subscribe(), state.next_seq)
        };
        let ring_start = ring.first().map_or(next, |e| e.seq);
        if after + 1 >= ring_start {
            return Follow {
                missed: ring,
                resync: false,
                live,
            };
        }
        // The ring no longer reaches back far enough: the database may.
        let Some(store) = &self.inner.store else {
            return Follow {
                resync: after > 0 || ring_start > 1,
                missed: ring,
                live,
            };
        };
        self.flush().await;
        let after_db = i64::try_from(after).unwrap_or(i64::MAX);
        let stored = store
            .events()
            .after(after_db, REPLAY_LIMIT)
            .await
            .unwrap_or_default();
        let mut missed: Vec<EventEnvelope> = stored
            .iter()
            .filter(|row| u64::try_from(row.seq).is_ok_and(|seq| seq < ring_start))
            .filter_map(|row| serde_json::from_str(&row.envelope).ok())
            .collect();
        let first = missed.first().map_or(ring_start, |e| e.seq);
        let complete = after == 0 || first == after + 1;
        let short = stored.len() == REPLAY_LIMIT as usize;
        missed.extend(ring);
        Follow {
            missed,
            resync: !complete || short,
            live,
        }
    }

    /// A stream for one front end: the events after `after` (only new ones when `None`) of
    /// run `run` (every run when `None`), then every new one, in order and each once, also
    /// when the receiver falls behind (it is replayed from where it was). The task ends when
    /// the receiver is dropped.
    pub fn stream(&self, after: Option<u64>, run: Option<String>) -> mpsc::Receiver<Delivery> {
        let (tx, rx) = mpsc::channel(256);
        let bus = self.clone();
        tokio::spawn(async move {
            let mut last = after.unwrap_or_else(|| bus.next_seq().saturating_sub(1));
            let wanted = |e: &EventEnvelope| run.is_none() || e.run == run;
            'follow: loop {
                let mut follow = bus.follow(last).await;
                if follow.resync && tx.send(Delivery::Resync).await.is_err() {
                    return;
                }
                for envelope in std::mem::take(&mut follow.missed) {
                    last = envelope.seq;
                    if wanted(&envelope)
                        && tx.send(Delivery::Event(Box::new(envelope))).await.is_err()
                    {
                        return;
                    }
                }
                loop {
                    let envelope = tokio::select! {
                        received = follow.live.recv() => match received {
                            Ok(envelope) => envelope,
                            Err(broadcast::error::RecvError::Lagged(_)) => continue 'follow,
                            Err(broadcast::error::RecvError::Closed) => return,
                        },
                        () = tx.closed() => return,
                    };
                    if envelope.seq <= last {
                        continue;
                    }
                    last = envelope.seq;
                    if wanted(&envelope)
                        && tx.send(Delivery::Event(Box::new(envelope))).await.is_err()
                    {
                        return;
                    }
                }
            }
        });
        rx
    }

    /// Waits until every event published so far is in the database (no-op without one).
    pub async fn flush(&self) {
        if let Some(writer) = &self.inner.writer {
            let (done, wait) = oneshot::channel();
            if writer.send(ToWriter::Flush(done)).is_ok() {
                let _ = wait.await;
            }
        }
    }
}

/// Stores events as they come, in batches of whatever has queued up.
async fn write_events(store: Store, mut queue: mpsc::UnboundedReceiver<ToWriter>) {
    let mut batch: Vec<StoredEvent> = Vec::new();
    let mut waiting: Vec<oneshot::Sender<()>> = Vec::new();
    while let Some(first) = queue.recv().await {
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                ToWriter::Event(envelope) => batch.push(stored(&envelope)),
                ToWriter::Flush(done) => waiting.push(done),
            }
            if batch.len() < 512 {
                next = queue.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            if let Err(err) = store.events().append(&batch).await {
                tracing::warn!(error = %err, events = batch.len(), "could not store events");
            }
            batch.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

fn stored(envelope: &EventEnvelope) -> StoredEvent {
    StoredEvent {
        seq: i64::try_from(envelope.seq).unwrap_or(i64::MAX),
        timestamp: envelope.timestamp.clone(),
        session: envelope.session.clone(),
        run: envelope.run.clone(),
        envelope: serde_json::to_string(envelope).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(text: &str) -> Event {
        Event::Response { text: text.into() }
    }

    #[tokio::test]
    async fn subscribers_get_events_in_order_with_sequence_numbers() {
        let bus = EventBus::new();
        bus.publish(response("przed"));
        let mut first = bus.subscribe();
        let mut second = bus.subscribe();
        bus.publish(response("a"));
        bus.publish(response("b"));
        for receiver in [&mut first, &mut second] {
            let a = receiver.recv().await.unwrap();
            let b = receiver.recv().await.unwrap();
            assert_eq!(a.event, response("a"));
            assert_eq!(b.seq, a.seq + 1);
        }
    }

    #[tokio::test]
    async fn follow_replays_from_the_ring_without_gaps() {
        let bus = EventBus::new();
        let scope = EventScope {
            session: Some("s".into()),
            run: Some("run-1".into()),
            step: Some(2),
        };
        for n in 0..10 {
            bus.publish_in(&scope, response(&n.to_string()));
        }
        let mut follow = bus.follow(7).await;
        assert!(!follow.resync);
        assert_eq!(
            follow.missed.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [8, 9, 10]
        );
        assert_eq!(follow.missed[0].run.as_deref(), Some("run-1"));
        assert_eq!(follow.missed[0].step, Some(2));
        bus.publish(response("po"));
        assert_eq!(follow.live.recv().await.unwrap().seq, 11);
    }

    #[tokio::test]
    async fn a_stream_replays_one_run_then_follows_it_and_ends_with_its_receiver() {
        let bus = EventBus::new();
        let of = |run: &str| EventScope {
            run: Some(run.into()),
            ..EventScope::default()
        };
        bus.publish_in(&of("a"), response("a1"));
        bus.publish_in(&of("b"), response("b1"));
        let mut stream = bus.stream(Some(0), Some("a".into()));
        bus.publish_in(&of("b"), response("b2"));
        bus.publish_in(&of("a"), response("a2"));
        for text in ["a1", "a2"] {
            match stream.recv().await.unwrap() {
                Delivery::Event(envelope) => assert_eq!(envelope.event, response(text)),
                Delivery::Resync => panic!("no resync expected"),
            }
        }
        drop(stream);
    }

    #[tokio::test]
    async fn an_old_sequence_number_without_a_database_asks_for_resync() {
        let bus = EventBus::new();
        for n in 0..(RING + 10) {
            bus.publish(response(&n.to_string()));
        }
        let follow = bus.follow(3).await;
        assert!(follow.resync);
        assert_eq!(follow.missed.len(), RING);
    }
}
