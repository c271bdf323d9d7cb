//! Live-event wake-ups.
//!
//! Events themselves live in the `events` table (see `store::events`): the table is the one source of
//! truth and gives each event its sequence id. This bus only says "something new was committed"; each
//! SSE connection then reads what it has not yet sent from the store. With PostgreSQL, every instance
//! listens on a NOTIFY channel and wakes its own bus, which is how an event caused through one
//! instance reaches the SSE clients of another.

use tokio::sync::watch;

/// The PostgreSQL NOTIFY channel that carries event wake-ups between instances.
pub const NOTIFY_CHANNEL: &str = "mosharekat_events";

#[derive(Clone, Debug)]
pub struct EventBus {
    tx: watch::Sender<u64>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        let (tx, _rx) = watch::channel(0);
        Self { tx }
    }

    /// Tell every subscriber that new events may be in the store.
    pub fn wake(&self) {
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_wake_on_every_wake() {
        let bus = EventBus::new();
        let mut rx = bus.subscribe();
        bus.wake();
        rx.changed().await.unwrap();
        bus.wake();
        bus.wake();
        rx.changed().await.unwrap();
        assert!(!rx.has_changed().unwrap());
    }
}
