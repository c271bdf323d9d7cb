//! Server settings.

use std::net::SocketAddr;

use chrono::Duration;

use crate::clock::Clock;

#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// `sqlite://path/to/file.db` or `postgres://…`.
    pub database_url: String,
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// An open consultation is flagged `closing_soon` within this many days of its deadline.
    pub closing_soon_days: i64,
    /// The report is due this many days after a consultation closes.
    pub report_due_days: i64,
    /// How long a claim holds a comment before it returns to the queue.
    pub claim_lease: Duration,
    /// How long a staff login lasts.
    pub session_ttl: Duration,
    /// How often the scheduler announces status changes.
    pub scheduler_interval: std::time::Duration,
    pub clock: Clock,
}

impl ServerConfig {
    pub fn new(database_url: impl Into<String>, listen: SocketAddr) -> Self {
        Self {
            database_url: database_url.into(),
            listen,
            closing_soon_days: 3,
            report_due_days: 30,
            claim_lease: Duration::minutes(5),
            session_ttl: Duration::hours(12),
            scheduler_interval: std::time::Duration::from_secs(1),
            clock: Clock::system(),
        }
    }
}
